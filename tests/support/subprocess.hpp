#pragma once

// Running programs from tests: PostgreSQL's tools, regie-server and the regie tool.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace regie::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + the signal when killed by one, as a shell reports it
  std::string out;
  std::string err;
};

// Runs `args` to completion with `env` added to the environment; captures stdout and stderr.
ProcessResult Run(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {});

// A program running in the background, output going to a log file. Killed when destroyed.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env,
                    const std::filesystem::path& log_file);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool Running();
  // Sends `signal` and waits up to `timeout`; returns the exit code (128 + the signal when a
  // signal ended it, -1 on a timeout).
  int Stop(int signal, std::chrono::milliseconds timeout);
  // Waits up to `timeout` for the program to end by itself; returns as Stop does (and kills it
  // on a timeout).
  int Wait(std::chrono::milliseconds timeout);
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::filesystem::path log_file_;
};

// A fresh directory under /tmp that anyone may traverse, removed when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Directory of the built binaries (REGIE_BINARY_DIR, set by CTest).
std::filesystem::path BinaryDir();

}  // namespace regie::testing
