#include "subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <list>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace regie::testing {
namespace {

// Children are started with posix_spawn: the test process runs gRPC threads, and a fork()ed child
// that allocates before exec can deadlock on a lock another thread held at fork time (seen under
// ASan). Everything the child needs (argv, environment, redirections) is prepared beforehand.
class Spawn {
 public:
  Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env)
      : args_(args) {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      if (env.count(entry.substr(0, entry.find('='))) == 0) {
        env_.push_back(entry);
      }
    }
    for (const auto& [key, value] : env) {
      env_.push_back(key + "=" + value);
    }
    posix_spawn_file_actions_init(&actions_);
  }
  ~Spawn() { posix_spawn_file_actions_destroy(&actions_); }
  Spawn(const Spawn&) = delete;
  Spawn& operator=(const Spawn&) = delete;

  // Standard input from /dev/null; `fd` (1 or 2) to `path`.
  void Redirect(int fd, const std::filesystem::path& path, int flags) {
    paths_.push_back(path.string());
    posix_spawn_file_actions_addopen(&actions_, fd, paths_.back().c_str(), flags, 0644);
  }

  pid_t Start() {
    posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (auto& a : args_) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawnp(&pid, argv[0], &actions_, nullptr, argv.data(), envp.data()) != 0) {
      throw std::runtime_error("cannot start " + args_.front());
    }
    return pid;
  }

 private:
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  std::list<std::string> paths_;  // stable addresses for the file actions
  posix_spawn_file_actions_t actions_;
};

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);  // as a shell reports it
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = "/tmp/regie-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  ::chmod(pattern.c_str(), 0755);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path BinaryDir() {
  const char* dir = std::getenv("REGIE_BINARY_DIR");
  if (dir == nullptr || *dir == '\0') {
    throw std::runtime_error("REGIE_BINARY_DIR is not set (run the tests through ctest)");
  }
  return dir;
}

ProcessResult Run(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env) {
  TempDir dir;
  const auto out_path = dir.path() / "out";
  const auto err_path = dir.path() / "err";
  Spawn spawn(args, env);
  spawn.Redirect(1, out_path, O_WRONLY | O_CREAT | O_TRUNC);
  spawn.Redirect(2, err_path, O_WRONLY | O_CREAT | O_TRUNC);
  const pid_t pid = spawn.Start();
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {ExitCode(status), ReadAll(out_path), ReadAll(err_path)};
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& args,
                                     const std::map<std::string, std::string>& env,
                                     const std::filesystem::path& log_file)
    : log_file_(log_file) {
  Spawn spawn(args, env);
  spawn.Redirect(1, log_file, O_WRONLY | O_CREAT | O_APPEND);
  spawn.Redirect(2, log_file, O_WRONLY | O_CREAT | O_APPEND);
  pid_ = spawn.Start();
}

BackgroundProcess::~BackgroundProcess() {
  if (Running()) {
    Stop(SIGKILL, std::chrono::seconds(5));
  }
}

bool BackgroundProcess::Running() {
  if (reaped_) {
    return false;
  }
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
    reaped_ = true;
    return false;
  }
  return true;
}

int BackgroundProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  if (Running()) {
    ::kill(pid_, signal);
  }
  return Wait(timeout);
}

int BackgroundProcess::Wait(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() > until) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status_, 0);
      reaped_ = true;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ExitCode(status_);
}

std::string BackgroundProcess::Log() const { return ReadAll(log_file_); }

}  // namespace regie::testing
