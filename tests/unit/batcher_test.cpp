// db::Batcher: callers that arrive while writers are busy are written together, a lone caller
// is written at once, a failed batch leaves each caller its own answer, and a second writer
// starts only when the first has been writing for the batcher's patience.

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
  // Waits until `count` writes have started; false if they have not within ten seconds.
  bool AwaitWrites(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10),
                             [&] { return batches_.size() >= count; });
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

using Patience = Batcher<int, int>::Clock::duration;

// A batcher of `max_writers` over the fixture's recorder.
struct Fixture {
  explicit Fixture(std::size_t max_writers = 1, Patience patience = Patience::zero())
      : batcher(
            max_writers, patience,
            [this](const std::vector<const int*>& batch) { return recorder.Write(batch); },
            FitsTestBatch) {}

  Recorder recorder;
  Batcher<int, int> batcher;
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

  // Starts a caller of `item` whose write is held until the recorder is released.
  std::thread HeldWrite(int item) {
    recorder.Hold();
    auto caller = Caller(item);
    BOOST_REQUIRE(recorder.AwaitWrites(1));
    return caller;
  }

  // Holds the writer on `first`, queues `queued` behind it, and lets everything through.
  void QueueBehindOneWrite(int first, const std::vector<int>& queued) {
    std::vector<std::thread> threads;
    threads.push_back(HeldWrite(first));
    for (const int item : queued) {
      threads.push_back(Caller(item));
    }
    // The queued callers cannot write: the only writer is held.
    AwaitQueued(queued.size());
    recorder.Release();
    for (auto& thread : threads) {
      thread.join();
    }
  }

  // Waits until `count` callers queue, for five seconds at most (then a test's checks fail).
  void AwaitQueued(std::size_t count) {
    for (int i = 0; i < 5000 && batcher.Stats().queued < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
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

BOOST_AUTO_TEST_CASE(a_second_writer_waits_out_the_first_writers_patience) {
  Fixture f(2, std::chrono::hours(1));
  auto first = f.HeldWrite(1);
  auto second = f.Caller(3);
  // A second writer would start at once without the patience (it is allowed two): the caller
  // queues instead, and does not start writing a moment later either.
  f.AwaitQueued(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  BOOST_TEST(f.batcher.Stats().queued == 1U);
  BOOST_TEST(f.recorder.batches().size() == 1U);
  f.recorder.Release();
  first.join();
  second.join();
  // Once the writer was free, the queued caller wrote without waiting for any patience.
  BOOST_TEST(f.SortedAnswers() == (std::vector<std::string>{"1=1", "3=9"}));
  BOOST_TEST(f.recorder.most_writing() == 1);
}

BOOST_AUTO_TEST_CASE(a_second_writer_starts_beside_a_slow_one) {
  Fixture f(2, std::chrono::milliseconds(20));
  auto first = f.HeldWrite(1);
  auto second = f.Caller(3);
  // The first write is held well past the patience: 3 is written beside it, not behind it.
  BOOST_REQUIRE(f.recorder.AwaitWrites(2));
  BOOST_TEST(f.recorder.most_writing() == 2);
  auto third = f.Caller(5);  // two write: the third queues, whatever the time
  f.AwaitQueued(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  BOOST_TEST(f.batcher.Stats().queued == 1U);
  BOOST_TEST(f.recorder.most_writing() == 2);
  f.recorder.Release();
  for (auto* t : {&first, &second, &third}) {
    t->join();
  }
  BOOST_TEST(f.SortedAnswers() == (std::vector<std::string>{"1=1", "3=9", "5=25"}));
}

BOOST_AUTO_TEST_CASE(no_more_writers_than_allowed_and_every_caller_answered) {
  Recorder recorder;
  Batcher<int, int> batcher(
      2, Patience::zero(),
      [&](const std::vector<const int*>& batch) { return recorder.Write(batch); },
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
