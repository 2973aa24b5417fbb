#include "progress.hpp"

#include <unistd.h>

#include <iostream>

namespace regie::client {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;

void Erase() { std::cerr << "\r\033[K" << std::flush; }

}  // namespace

Progress::Progress(std::string what, std::int64_t total)
    : what_(std::move(what)), total_(total), terminal_(isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() {
  if (drawn_) {
    Erase();
  }
}

void Progress::Set(std::int64_t done) {
  const auto now = std::chrono::steady_clock::now();
  if (!terminal_ || (now - last_ < kRedrawEvery && done != total_)) {
    return;
  }
  last_ = now;
  drawn_ = true;
  std::cerr << "\r" << what_ << " ";
  if (total_ > 0) {
    const auto filled = static_cast<std::size_t>(std::min(done, total_) * kBarWidth / total_);
    std::cerr << "[" << std::string(filled, '#') << std::string(kBarWidth - filled, ' ') << "] ";
  }
  std::cerr << done;
  if (total_ > 0) {
    std::cerr << "/" << total_;
  }
  std::cerr << std::flush;
}

Working::Working(std::string what) : what_(std::move(what)) {
  if (isatty(STDERR_FILENO) != 1) {
    return;
  }
  ticker_ = std::thread([this] {
    const auto started = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    // Quiet for the first second: most calls are done by then.
    while (!done_.wait_for(lock, std::chrono::seconds(1), [this] { return finished_; })) {
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now() - started)
                               .count();
      std::cerr << "\r" << what_ << " ... " << seconds << " s" << std::flush;
      drawn_ = true;
    }
  });
}

Working::~Working() {
  if (!ticker_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  done_.notify_one();
  ticker_.join();
  if (drawn_) {
    Erase();
  }
}

}  // namespace regie::client
