#pragma once

// Writes that arrive together are stored together (docs/adr/0018). Each caller hands its item to
// Write() and blocks until the item is stored. At most `max_writers` callers write at a time;
// the others queue, and the next caller to write takes as many queued items as fit into one
// batch, its own among them or not, and stores them with one call of `write`. A caller alone
// writes at once, so batching adds no wait: batches grow only while writers are busy.
//
// One writer at a time stores the most per batch, and a second one starts only when the one
// writing has been at it for `patience` (docs/adr/0021): a batch that is slow or stuck (behind a
// lock, say) then does not stop everyone behind it. More precisely, a caller may start writing
// when nobody writes, or when fewer than `max_writers` write and the latest of them started at
// least `patience` ago. A patience of zero lets `max_writers` write at once.
//
// A batch that fails stores nothing (`write` must be one statement, or one transaction), and
// then every item of it is written alone by its own caller, so that each caller gets its own
// answer or its own error.
//
// Stats() tells how it goes, for metrics: the items queued now, and the batches taken from the
// queue with their items (items / batches is the average batch).

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

namespace regie::db {

struct BatcherStats {
  std::size_t queued = 0;           // items waiting for a writer now
  std::uint64_t batches_total = 0;  // batches taken from the queue, a lone item's too
  std::uint64_t items_total = 0;    // the items in them
};

template <typename Item, typename Result>
class Batcher {
 public:
  // Stores `batch` and returns one result per item, in the order given; throws to fail them all.
  using WriteBatch = std::function<std::vector<Result>(const std::vector<const Item*>& batch)>;
  // Whether `item` may join `batch`, which holds at least one item already.
  using Fits = std::function<bool(const std::vector<const Item*>& batch, const Item& item)>;

  using Clock = std::chrono::steady_clock;

  Batcher(std::size_t max_writers, Clock::duration patience, WriteBatch write, Fits fits)
      : max_writers_(max_writers < 1 ? 1 : max_writers),
        patience_(std::max(patience, Clock::duration::zero())),
        write_(std::move(write)),
        fits_(std::move(fits)) {}

  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  BatcherStats Stats() {
    std::lock_guard lock(mutex_);
    return {queue_.size(), batches_total_, items_total_};
  }

  Result Write(const Item& item) {
    Pending mine(&item);
    std::unique_lock lock(mutex_);
    queue_.push_back(&mine);
    while (!mine.done) {
      // The queue may be empty: another writer took this caller's item and is storing it.
      const auto now = Clock::now();
      if (!queue_.empty() && MayStartWriting(now)) {
        auto batch = TakeBatch();
        ++batches_total_;
        items_total_ += batch.size();
        const auto started = writing_since_.insert(now);
        WakeNextWriter();  // what did not fit may have a writer of its own
        lock.unlock();
        Store(batch);
        lock.lock();
        writing_since_.erase(started);
        // Only the callers of this batch and one next writer wake: a thread woken for nothing
        // costs a context switch, and most callers wait.
        for (auto* pending : batch) {
          pending->done = true;
          pending->wake.notify_one();
        }
        WakeNextWriter();
      } else if (MayWriteAlongside() && !queue_.empty() && queue_.front() == &mine) {
        // First in line behind a writer: ready to write alongside it once its patience is out.
        mine.wake.wait_until(lock, *writing_since_.rbegin() + patience_);
      } else {
        mine.wake.wait(lock);
      }
    }
    lock.unlock();
    if (mine.alone) {
      return std::move(write_({&item}).at(0));
    }
    if (mine.error) {
      std::rethrow_exception(mine.error);
    }
    return std::move(*mine.result);
  }

 private:
  struct Pending {
    explicit Pending(const Item* pending_item) : item(pending_item) {}
    const Item* item;
    std::condition_variable wake;  // done, or a writer is free and this caller is first in line
    bool done = false;
    bool alone = false;  // the batch failed: the caller writes its item alone
    std::optional<Result> result;
    std::exception_ptr error;
  };

  // Whether a caller may start a batch now. Under mutex_.
  bool MayStartWriting(Clock::time_point now) const {
    return writing_since_.empty() ||
           (MayWriteAlongside() && now - *writing_since_.rbegin() >= patience_);
  }

  // Whether a writer could start beside those writing, in time. Under mutex_.
  bool MayWriteAlongside() const {
    return !writing_since_.empty() && writing_since_.size() < max_writers_;
  }

  // Wakes the oldest queued caller when a writer may start, now or once the patience is out
  // (it then waits for that). Under mutex_.
  void WakeNextWriter() {
    if (writing_since_.size() < max_writers_ && !queue_.empty()) {
      queue_.front()->wake.notify_one();
    }
  }

  // The oldest queued item and the queued items after it that fit, in their order. Under mutex_.
  std::vector<Pending*> TakeBatch() {
    std::vector<Pending*> batch;
    std::vector<const Item*> items;
    for (auto it = queue_.begin(); it != queue_.end();) {
      if (items.empty() || fits_(items, *(*it)->item)) {
        items.push_back((*it)->item);
        batch.push_back(*it);
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
    return batch;
  }

  void Store(const std::vector<Pending*>& batch) {
    std::vector<const Item*> items;
    items.reserve(batch.size());
    for (const auto* pending : batch) {
      items.push_back(pending->item);
    }
    try {
      auto results = write_(items);
      if (results.size() != batch.size()) {
        throw std::logic_error("a batch write returned a result count other than its items'");
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i]->result = std::move(results[i]);
      }
    } catch (...) {
      for (auto* pending : batch) {
        if (batch.size() == 1) {
          pending->error = std::current_exception();
        } else {
          pending->alone = true;
        }
      }
    }
  }

  const std::size_t max_writers_;
  const Clock::duration patience_;
  const WriteBatch write_;
  const Fits fits_;
  std::mutex mutex_;
  std::deque<Pending*> queue_;
  std::multiset<Clock::time_point> writing_since_;  // when each writer now writing started
  std::uint64_t batches_total_ = 0;
  std::uint64_t items_total_ = 0;
};

}  // namespace regie::db
