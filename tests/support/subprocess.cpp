#include "subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace regie::testing {
namespace {

[[noreturn]] void ExecChild(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env) {
  for (const auto& [key, value] : env) {
    ::setenv(key.c_str(), value.c_str(), 1);
  }
  std::vector<char*> argv;
  for (const auto& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  ::_exit(127);
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

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
  const pid_t pid = ::fork();
  if (pid < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(null, 0);
    ExecChild(args, env);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {ExitCode(status), ReadAll(out_path), ReadAll(err_path)};
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& args,
                                     const std::map<std::string, std::string>& env,
                                     const std::filesystem::path& log_file)
    : log_file_(log_file) {
  pid_ = ::fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    const int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::dup2(null, 0);
    ExecChild(args, env);
  }
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
