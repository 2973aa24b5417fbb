// db::Batcher: callers that arrive while writers are busy are written together, a lone caller
// is written at once, and a failed batch leaves each caller its own answer.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "db/batcher.hpp"

namespace regie::db {
namespace {

using Batches = std::vector<std::vector<int>>;

// A write function that records every batch it is given and answers each item with its square;
// item 13 fails its batch. While `hold` is set, a write waits until `release` is called, so that
// a test can make callers queue behind it.
class Recorder {
 public:
  std::vector<int> Write(const std::vector<const int*>& batch) {
    std::vector<int> items;
    for (const auto* item : batch) {
      items.push_back(*item);
    }
    {
      std::unique_lock lock(mutex_);
      batches_.push_back(items);
      ++writing_;
      most_writing_ = std::max(most_writing_, writing_);
      changed_.notify_all();
      changed_.wait(lock, [&] { return !hold_; });
      --writing_;
    }
    std::vector<int> results;
    for (const int item : items) {
      if (item == 13) {
        throw std::runtime_error("item 13 fails its batch");
      }
      results.push_back(item * item);
    }
    return results;
  }

  void Hold() {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }
  void Release() {
    std::lock_guard lock(mutex_);
    hold_ = false;
    changed_.notify_all();
  }
  // Waits until `count` writes have started.
  void AwaitWrites(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return batches_.size() >= count; });
  }
  Batches batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }
  int most_writing() {
    std::lock_guard lock(mutex_);
    return most_writing_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  int writing_ = 0;
  int most_writing_ = 0;
  Batches batches_;
};

// At most three items a batch, and never two even numbers together.
bool FitsTestBatch(const std::vector<const int*>& batch, const int& item) {
  if (batch.size() >= 3) {
    return false;
  }
  for (const auto* queued : batch) {
    if (*queued % 2 == 0 && item % 2 == 0) {
      return false;
    }
  }
  return true;
}

struct Fixture {
  Recorder recorder;
  Batcher<int, int> batcher{
      1, [this](const std::vector<const int*>& batch) { return recorder.Write(batch); },
      FitsTestBatch};
  std::mutex mutex;
  std::vector<std::string> answers;  // "item=result" or "item!error", in no particular order

  // Starts a caller of `item` on its own thread.
  std::thread Caller(int item) {
    return std::thread([this, item] {
      std::string answer;
      try {
        answer = std::to_string(item) + "=" + std::to_string(batcher.Write(item));
      } catch (const std::exception& e) {
        answer = std::to_string(item) + "!" + e.what();
      }
      std::lock_guard lock(mutex);
      answers.push_back(answer);
    });
  }

  // Holds the writer on `first`, queues `queued` behind it, and lets everything through.
  void QueueBehindOneWrite(int first, const std::vector<int>& queued) {
    recorder.Hold();
    std::vector<std::thread> threads;
    threads.push_back(Caller(first));
    recorder.AwaitWrites(1);
    for (const int item : queued) {
      threads.push_back(Caller(item));
    }
    // The queued callers cannot write: the only writer is held.
    while (batcher.Stats().queued < queued.size()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    recorder.Release();
    for (auto& thread : threads) {
      thread.join();
    }
  }

  std::vector<std::string> SortedAnswers() {
    std::sort(answers.begin(), answers.end());
    return answers;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(batcher)

BOOST_FIXTURE_TEST_CASE(a_lone_caller_is_written_at_once_and_alone, Fixture) {
  BOOST_TEST(batcher.Write(7) == 49);
  BOOST_TEST(batcher.Write(8) == 64);
  BOOST_TEST(recorder.batches() == (Batches{{7}, {8}}));
}

BOOST_FIXTURE_TEST_CASE(callers_queued_behind_a_write_are_written_together, Fixture) {
  QueueBehindOneWrite(1, {3, 5});
  const auto batches = recorder.batches();
  BOOST_REQUIRE_EQUAL(batches.size(), 2U);
  BOOST_TEST(batches[0] == std::vector<int>{1});
  auto second = batches[1];
  std::sort(second.begin(), second.end());
  BOOST_TEST(second == (std::vector<int>{3, 5}));
  BOOST_TEST(SortedAnswers() == (std::vector<std::string>{"1=1", "3=9", "5=25"}));
  const auto stats = batcher.Stats();
  BOOST_TEST(stats.queued == 0U);
  BOOST_TEST(stats.batches_total == 2U);
  BOOST_TEST(stats.items_total == 3U);
}

BOOST_FIXTURE_TEST_CASE(an_item_that_does_not_fit_waits_for_the_next_batch, Fixture) {
  // 2 and 4 may not share a batch, and a batch holds at most three.
  QueueBehindOneWrite(1, {3, 5, 7, 2, 4});
  const auto batches = recorder.batches();
  std::size_t items = 0;
  for (const auto& batch : batches) {
    BOOST_TEST(batch.size() <= 3U);
    int even = 0;
    for (const int item : batch) {
      even += item % 2 == 0 ? 1 : 0;
    }
    BOOST_TEST(even <= 1);
    items += batch.size();
  }
  BOOST_TEST(items == 6U);
  BOOST_TEST(batches.size() >= 3U);  // 1, then at least two more for five items
  BOOST_TEST(SortedAnswers() ==
             (std::vector<std::string>{"1=1", "2=4", "3=9", "4=16", "5=25", "7=49"}));
}

BOOST_FIXTURE_TEST_CASE(a_failed_batch_is_written_again_item_by_item, Fixture) {
  QueueBehindOneWrite(1, {13, 5});
  // The batch of 13 and 5 failed as a whole; each was then written alone, and only 13 fails.
  BOOST_TEST(SortedAnswers() ==
             (std::vector<std::string>{"13!item 13 fails its batch", "1=1", "5=25"}));
  std::size_t alone = 0;
  for (const auto& batch : recorder.batches()) {
    alone += batch.size() == 1 ? 1 : 0;
  }
  BOOST_TEST(alone == 3U);  // 1, then 13 and 5 on their own
  // Taken from the queue: 1, then 13 and 5 together (written again alone by their callers).
  BOOST_TEST(batcher.Stats().batches_total == 2U);
  BOOST_TEST(batcher.Stats().items_total == 3U);
}

BOOST_FIXTURE_TEST_CASE(a_lone_failure_reaches_its_caller, Fixture) {
  BOOST_CHECK_EXCEPTION(batcher.Write(13), std::runtime_error, [](const std::runtime_error& e) {
    return std::string(e.what()) == "item 13 fails its batch";
  });
  BOOST_TEST(batcher.Write(2) == 4);  // and the batcher goes on
}

BOOST_AUTO_TEST_CASE(no_more_writers_than_allowed_and_every_caller_answered) {
  Recorder recorder;
  Batcher<int, int> batcher(
      2, [&](const std::vector<const int*>& batch) { return recorder.Write(batch); },
      [](const std::vector<const int*>& batch, const int&) { return batch.size() < 4; });
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const int item = t * 1000 + i + 100;  // never 13
        if (batcher.Write(item) != item * item) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  BOOST_TEST(wrong.load() == 0);
  BOOST_TEST(recorder.most_writing() <= 2);
  std::size_t items = 0;
  for (const auto& batch : recorder.batches()) {
    items += batch.size();
  }
  BOOST_TEST(items == 1600U);
  BOOST_TEST(batcher.Stats().items_total == 1600U);
  BOOST_TEST(batcher.Stats().batches_total == recorder.batches().size());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::db
