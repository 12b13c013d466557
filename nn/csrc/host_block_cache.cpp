// libtorch's CPU allocator, wrapped so that freed large blocks are kept for reuse by exact size
// while someone holds the cache (gm_nn::host_memory: CPU training steps, whose blocks repeat
// from step to step).
//
// Why not glibc's heap: glibc maps every block above its mmap threshold afresh and unmaps it
// when freed, so each training step faults its activations in again. Making glibc serve them
// from its heap instead (no mmap, no trim) keeps the pages, but the heap fragments: a small
// allocation carved out of a freed large chunk leaves it too short for the next block of that
// size, and the heap grows (seen with four 64 MiB blocks: three blocks more in the second
// round, more again in the fourth). Here large blocks never go back to glibc while held, so
// no small allocation can land in them, and a block of the same size is handed out again.
//
// Accounting, under one lock: `live` bytes of this cache's blocks in use, `cached` bytes kept,
// `peak` the largest `live` since the hold began. A miss that would make `cached + live`
// exceed twice `peak` first frees kept blocks, the largest first, so `cached + live ≤ 2·peak`
// always: the blocks of many sizes of the timed planner's probes stay bounded, and
// fixed-shape training steps, which hit, never evict. When the last hold ends, every kept
// block is freed; blocks still in use are freed when libtorch drops them.
//
// Every allocation, kept block or not, is the wrapped allocator's raw allocation handed out
// with this cache's deleter and the data pointer as context, as libtorch's default allocator
// does: some of libtorch's kernels allocate through `raw_allocate` and free through
// `raw_deleter`, which must then be the deleter of every allocation. The deleter looks the
// pointer up among the cache's blocks in use (only while there are any) and hands anything
// else to the wrapped allocator's raw deleter.
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace {

// Blocks from this size on are kept: glibc's default mmap threshold (128 KiB), so every block
// glibc would map afresh. gm_nn::host_memory::SMALLEST_KEPT_BLOCK states it to Rust; the
// host_memory proptest, which counts blocks of exactly that size, fails if the two differ.
constexpr size_t kSmallestKept = 128 * 1024;

// The counters gm_host_cache_stats reports.
struct Stats {
  uint64_t cached = 0, live = 0, peak = 0, hits = 0, misses = 0, holds = 0;
};

class BlockCache final : public c10::Allocator {
 public:
  // `base` must have a raw deleter (libtorch's default CPU allocator has).
  explicit BlockCache(c10::Allocator* base) : base_(base), base_free_(base->raw_deleter()) {}

  c10::DataPtr allocate(size_t n) override {
    void* data = nullptr;
    if (n >= kSmallestKept) {
      Taken taken = take(n);
      for (void* block : taken.evicted) base_free_(block);
      data = taken.block;
      if (taken.held && data == nullptr) data = allocate_kept(n);
    }
    if (data == nullptr) data = base_->raw_allocate(n);
    return {data, data, &BlockCache::give_back, c10::Device(c10::DeviceType::CPU)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &BlockCache::give_back; }

  void copy_data(void* dest, const void* src, std::size_t count) const override {
    default_copy_data(dest, src, count);
  }

  void hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.holds += 1;
  }

  // Ends one hold; the last one frees every kept block.
  void release() {
    std::vector<void*> kept;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stats_.holds == 0) return;
      stats_.holds -= 1;
      if (stats_.holds > 0) return;
      for (auto& [size, blocks] : free_) kept.insert(kept.end(), blocks.begin(), blocks.end());
      free_.clear();
      stats_.cached = 0;
      stats_.peak = stats_.live;
    }
    for (void* block : kept) base_free_(block);
  }

  Stats stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
  }

  // The deleter of everything this allocator hands out (given the data pointer).
  static void give_back(void* data);

 private:
  // What take() found for an allocation of n bytes.
  struct Taken {
    bool held = false;           // false: nothing held, the wrapped allocator serves it
    void* block = nullptr;       // a kept block of n bytes (now in use), or none
    std::vector<void*> evicted;  // kept blocks to free (outside the lock)
  };

  // While held, counts n bytes live; hands out a kept block of n bytes if there is one, else
  // evicts kept blocks, the largest first, until cached + live ≤ 2·peak.
  Taken take(size_t n) {
    Taken taken;
    std::lock_guard<std::mutex> lock(mutex_);
    if (stats_.holds == 0) return taken;
    taken.held = true;
    stats_.live += n;
    stats_.peak = std::max(stats_.peak, stats_.live);
    auto kept = free_.find(n);
    if (kept != free_.end()) {
      taken.block = kept->second.back();
      kept->second.pop_back();
      if (kept->second.empty()) free_.erase(kept);
      stats_.cached -= n;
      stats_.hits += 1;
      mark_in_use(taken.block, n);
      return taken;
    }
    stats_.misses += 1;
    while (!free_.empty() && stats_.cached + stats_.live > 2 * stats_.peak) {
      auto largest = std::prev(free_.end());
      taken.evicted.push_back(largest->second.back());
      largest->second.pop_back();
      stats_.cached -= largest->first;
      if (largest->second.empty()) free_.erase(largest);
    }
    return taken;
  }

  // A new block of n bytes for the cache (already counted live by take()).
  void* allocate_kept(size_t n) {
    void* block = nullptr;
    try {
      block = base_->raw_allocate(n);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      stats_.live -= n;
      throw;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    mark_in_use(block, n);
    return block;
  }

  // Under the lock.
  void mark_in_use(void* block, size_t n) {
    in_use_.emplace(block, n);
    in_use_count_.store(in_use_.size(), std::memory_order_release);
  }

  // A block of the cache goes back to it (kept while held, else freed); anything else to the
  // wrapped allocator.
  void put(void* data) {
    if (in_use_count_.load(std::memory_order_acquire) > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = in_use_.find(data);
      if (found != in_use_.end()) {
        const size_t n = found->second;
        in_use_.erase(found);
        in_use_count_.store(in_use_.size(), std::memory_order_release);
        stats_.live -= n;
        if (stats_.holds > 0) {
          free_[n].push_back(data);
          stats_.cached += n;
          return;
        }
      }
    }
    base_free_(data);
  }

  c10::Allocator* base_;
  c10::DeleterFnPtr base_free_;
  std::mutex mutex_;
  Stats stats_;
  std::map<size_t, std::vector<void*>> free_;  // kept blocks by size
  std::unordered_map<void*, size_t> in_use_;   // the cache's blocks in use, with their sizes
  std::atomic<size_t> in_use_count_{0};        // in_use_.size(), read without the lock
};

// Installed once and never destroyed: what it handed out may outlive every hold.
std::atomic<BlockCache*> installed{nullptr};
std::once_flag install_once;

void BlockCache::give_back(void* data) { installed.load()->put(data); }

// Installs the cache as libtorch's CPU allocator (once); whether it is the one libtorch uses.
bool install() {
  std::call_once(install_once, [] {
    c10::Allocator* base = c10::GetCPUAllocator();
    if (base->raw_deleter() == nullptr) return;  // nothing to free raw allocations with
    auto* cache = new BlockCache(base);
    installed.store(cache);
    // Priority 1 takes over from libtorch's default (registered at 0).
    c10::SetCPUAllocator(cache, 1);
  });
  BlockCache* cache = installed.load();
  return cache != nullptr && c10::GetCPUAllocator() == cache;
}

}  // namespace

extern "C" {

// Takes a hold on the cache (installing it first): from now until the matching
// gm_host_cache_release, freed CPU blocks of 128 KiB and more are kept for reuse. Returns 1
// when the cache is libtorch's CPU allocator; 0 when it could not be installed (another
// allocator of higher priority, or one without a raw deleter): nothing is held then.
int gm_host_cache_hold() {
  try {
    if (!install()) return 0;
    installed.load()->hold();
    return 1;
  } catch (...) {
    return 0;
  }
}

// Ends a hold taken by gm_host_cache_hold; the last one frees every kept block.
void gm_host_cache_release() {
  if (BlockCache* cache = installed.load()) cache->release();
}

// The cache's counters (all zero before it is installed): bytes kept, bytes of its blocks in
// use, the peak of the latter since the hold began, allocations served from kept blocks and
// not, and the holds taken.
void gm_host_cache_stats(uint64_t* cached, uint64_t* live, uint64_t* peak, uint64_t* hits,
                         uint64_t* misses, uint64_t* holds) {
  BlockCache* cache = installed.load();
  const Stats s = cache != nullptr ? cache->stats() : Stats{};
  *cached = s.cached;
  *live = s.live;
  *peak = s.peak;
  *hits = s.hits;
  *misses = s.misses;
  *holds = s.holds;
}

}  // extern "C"
