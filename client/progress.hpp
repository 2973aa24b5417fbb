#pragma once

// Feedback on long operations (uploads, exports, verification, settlement runs) on standard
// error, only when it is a terminal: scripts and pipes see nothing of it. The line is erased when
// the operation ends, so what the command prints afterwards stands alone.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace regie::client {

// A bar when the total is known ("uploading lines [#####     ] 50/100"), a count otherwise.
class Progress {
 public:
  explicit Progress(std::string what, std::int64_t total = 0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Set(std::int64_t done);
  void SetTotal(std::int64_t total) { total_ = total; }

 private:
  std::string what_;
  std::int64_t total_;
  bool terminal_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// For a single call that may take a while: after a second, "settling ... 3 s" counting up.
class Working {
 public:
  explicit Working(std::string what);
  ~Working();
  Working(const Working&) = delete;
  Working& operator=(const Working&) = delete;

 private:
  std::string what_;
  std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  bool drawn_ = false;
  std::thread ticker_;
};

}  // namespace regie::client
