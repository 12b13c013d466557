//! The host block cache around CPU training steps (`gm_nn::host_memory`): while it is held,
//! freed blocks stay resident and come back for allocations of their size; its blocks never
//! exceed twice the peak of those in use; when the last hold ends, they go back to the system.
//! Measured on the process's resident set, and on the cache's counters over random sequences
//! of allocations and frees. Without the libtest harness (`harness = false`): the cache is one
//! per process, so nothing else may allocate while these run.

use gm_nn::host_memory::{
    host_cache_stats, HostCacheStats, HostMalloc, KeptHostBlocks, SMALLEST_KEPT_BLOCK,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tch::{Device, Kind, Tensor};

/// The resident set of this process in MiB (`/proc/self/statm`, second field, in pages).
#[cfg(target_os = "linux")]
fn resident_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("procfs");
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("statm's resident field");
    // SAFETY: sysconf only reads a constant of the system.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as f64;
    pages * page / (1 << 20) as f64
}

/// Allocates four 64 MiB tensors (written, so resident; above glibc's largest mmap threshold,
/// 32 MiB, so glibc maps and unmaps each) and frees them.
fn allocate_and_free_256_mib() {
    let blocks: Vec<Tensor> = (0..4)
        .map(|_| Tensor::ones([16 << 20], (Kind::Float, Device::Cpu)))
        .collect();
    // Summed in f32 (no f64 copy of the blocks): exact, 2^24 ones a block.
    let total: f64 = blocks
        .iter()
        .map(|t| t.sum(Kind::Float).double_value(&[]))
        .sum();
    assert_eq!(total, (64 << 20) as f64);
}

#[cfg(target_os = "linux")]
fn freed_blocks_stay_resident_while_the_guard_lives_and_go_back_after() {
    allocate_and_free_256_mib(); // libtorch's own first-use allocations, before the baseline
    let base = resident_mib();
    allocate_and_free_256_mib();
    let after_default = resident_mib() - base;
    assert!(
        after_default < 64.0,
        "glibc's defaults kept {after_default:.0} MiB"
    );

    let guard = KeptHostBlocks::while_training_on(Device::Cpu, HostMalloc::DuringTraining);
    assert!(guard.is_active());
    allocate_and_free_256_mib();
    let kept = resident_mib() - base;
    assert!(
        kept >= 192.0,
        "the kept blocks hold only {kept:.0} MiB of 256"
    );
    // Reused: later rounds get the same four blocks back, and the resident set stays.
    for round in 2..=4 {
        let hits = host_cache_stats().hits;
        allocate_and_free_256_mib();
        let now = resident_mib() - base;
        assert!(
            now <= kept + 8.0,
            "round {round}: {kept:.0} MiB grew to {now:.0}"
        );
        assert_eq!(host_cache_stats().hits, hits + 4, "round {round}");
    }

    drop(guard);
    let released = resident_mib() - base;
    assert!(
        released < 64.0,
        "{released:.0} MiB still resident after the guard"
    );
    assert_eq!(host_cache_stats().cached, 0);
}

/// One step of a random sequence: allocate a block of one of the [`SIZES`], or free the live
/// block at an index.
#[derive(Debug, Clone)]
enum Op {
    Allocate(usize),
    Free(usize),
}

/// Block sizes in bytes: the smallest kept one, a page more, five sizes of a few MiB (whose
/// blocks, each freed before the next is allocated, add up to more than twice the largest:
/// the bound must evict), and one above glibc's largest mmap threshold.
const SIZES: [usize; 8] = [
    SMALLEST_KEPT_BLOCK,
    SMALLEST_KEPT_BLOCK + 4096,
    1 << 20,
    2 << 20,
    3 << 20,
    4 << 20,
    5 << 20,
    33 << 20,
];

/// Under one hold, over random sequences of allocations and frees: every block reads back
/// what was written to it; the cache's live bytes are the live tensors' bytes; its blocks,
/// kept and live, stay within twice the peak of the live ones; an allocation right after a
/// free of the same size is served from the kept block; a block smaller than the smallest
/// kept size is never counted. When the hold ends, nothing is kept, and blocks freed after it
/// are not kept either.
fn the_cache_reuses_blocks_of_the_same_size_within_twice_the_live_peak() {
    let ops = prop::collection::vec(
        prop_oneof![
            (0..SIZES.len()).prop_map(Op::Allocate),
            any::<prop::sample::Index>().prop_map(|i| Op::Free(i.index(usize::MAX))),
        ],
        1..60,
    );
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(64)
    });
    runner
        .run(&ops, |ops| {
            let before = host_cache_stats();
            let guard = KeptHostBlocks::while_training_on(Device::Cpu, HostMalloc::DuringTraining);
            prop_assert!(guard.is_active());
            let mut live: Vec<(Tensor, u8)> = Vec::new();
            let mut last_freed = None;
            for (step, op) in ops.iter().enumerate() {
                match *op {
                    Op::Allocate(s) => {
                        let hits = host_cache_stats().hits;
                        let t = Tensor::empty([SIZES[s] as i64], (Kind::Uint8, Device::Cpu));
                        let value = (step % 251) as u8;
                        let _ = t.shallow_clone().fill_(value as i64);
                        if last_freed == Some(SIZES[s]) {
                            prop_assert_eq!(host_cache_stats().hits, hits + 1, "step {}", step);
                        }
                        live.push((t, value));
                        last_freed = None;
                    }
                    Op::Free(i) if !live.is_empty() => {
                        let (t, value) = live.swap_remove(i % live.len());
                        let bytes = t.numel();
                        // Scalar reductions: no temporary block of the tensor's size.
                        let (min, max) = (t.min().int64_value(&[]), t.max().int64_value(&[]));
                        prop_assert_eq!((min, max), (value as i64, value as i64), "step {}", step);
                        drop(t);
                        last_freed = Some(bytes);
                    }
                    Op::Free(_) => {}
                }
                // A small tensor between the steps: never the cache's.
                let _small = Tensor::ones([1000], (Kind::Uint8, Device::Cpu));
                let s: HostCacheStats = host_cache_stats();
                let live_bytes: u64 = live.iter().map(|(t, _)| t.numel() as u64).sum();
                prop_assert_eq!(s.live, live_bytes, "step {}", step);
                prop_assert!(
                    s.cached + s.live <= 2 * s.peak,
                    "step {}: {} kept + {} live > 2 × peak {}",
                    step,
                    s.cached,
                    s.live,
                    s.peak
                );
            }
            drop(guard);
            let after = host_cache_stats();
            prop_assert_eq!(after.cached, 0);
            prop_assert_eq!(after.holds, before.holds);
            drop(live);
            prop_assert_eq!(host_cache_stats().cached, 0);
            prop_assert_eq!(host_cache_stats().live, 0);
            Ok(())
        })
        .unwrap();
}

fn main() {
    #[cfg(target_os = "linux")]
    {
        freed_blocks_stay_resident_while_the_guard_lives_and_go_back_after();
        println!("test freed_blocks_stay_resident_while_the_guard_lives_and_go_back_after ... ok");
    }
    the_cache_reuses_blocks_of_the_same_size_within_twice_the_live_peak();
    println!("test the_cache_reuses_blocks_of_the_same_size_within_twice_the_live_peak ... ok");
}
