//! Keeping freed host memory for reuse, so that CPU training does not page-fault its
//! activations in again at every step.
//!
//! glibc serves every allocation above its mmap threshold (128 KiB, rising to at most 32 MiB)
//! with a fresh `mmap` and returns it with `munmap` when it is freed. A CPU training step
//! allocates and frees activations of that size by the dozen (the CIFAR-10 model at
//! `B = 256`: 120 channels × 1,024 points × 256 images is 63 MB in bf16), so each step faults
//! every one of their pages in again: measured with `perf` on `gm bench train --model cifar10
//! --backend cudnn --precision bf16`, a third of the process's CPU time was the kernel's
//! page-fault handling.
//!
//! The cure here is a block cache in front of libtorch's CPU allocator
//! (`nn/csrc/host_block_cache.cpp`): while it is held, a freed block of 128 KiB or more is
//! kept, and the next allocation of the same size gets it back, pages already resident. The
//! first cure, glibc's own heap for large blocks (`M_MMAP_MAX = 0`, no trim), fragmented: a
//! small allocation carved from a freed 64 MiB chunk left it too short for the next block of
//! that size, and the heap grew by blocks at every round on some machines. The cache never
//! hands its blocks back to glibc while held, so nothing else can land in them.
//!
//! Its bound: the bytes of its blocks, kept and in use, never exceed twice the peak of those
//! in use since the hold began; a miss that would pass it first frees kept blocks, the
//! largest first. Blocks of many sizes (the timed planner's probes) therefore stay bounded,
//! and fixed-shape training steps, which find their blocks kept, never evict. Even so, the
//! process's resident memory does not shrink below that peak while the cache is held, so it
//! is not held for a whole process by default: [`KeptHostBlocks`] holds it while CPU training
//! steps run, and when the last hold ends every kept block is freed and `malloc_trim` hands
//! glibc's free memory back to the system.

use std::ffi::c_int;

extern "C" {
    fn gm_host_cache_hold() -> c_int;
    fn gm_host_cache_release();
    fn gm_host_cache_stats(
        cached: *mut u64,
        live: *mut u64,
        peak: *mut u64,
        hits: *mut u64,
        misses: *mut u64,
        holds: *mut u64,
    );
}

/// The smallest block the cache keeps, in bytes: glibc's default mmap threshold, so every
/// block glibc would map afresh.
pub const SMALLEST_KEPT_BLOCK: usize = 128 * 1024;

/// The block cache's counters ([`host_cache_stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostCacheStats {
    /// Bytes of freed blocks kept for reuse.
    pub cached: u64,
    /// Bytes of the cache's blocks in use (allocated while it was held, not yet freed).
    pub live: u64,
    /// The largest `live` since the current hold began (0 before any).
    pub peak: u64,
    /// Allocations served from a kept block, since the process began.
    pub hits: u64,
    /// Allocations of 128 KiB or more made while held and served by libtorch's allocator.
    pub misses: u64,
    /// Holds taken and not yet released.
    pub holds: u64,
}

/// The block cache's counters now (all zero before its first hold).
pub fn host_cache_stats() -> HostCacheStats {
    let mut s = HostCacheStats::default();
    // SAFETY: the function writes six u64 through the pointers given, under the cache's lock.
    unsafe {
        gm_host_cache_stats(
            &mut s.cached,
            &mut s.live,
            &mut s.peak,
            &mut s.hits,
            &mut s.misses,
            &mut s.holds,
        )
    };
    s
}

/// Keeps freed CPU blocks of [`SMALLEST_KEPT_BLOCK`] bytes and more for reuse for the rest of
/// the process: a hold on the block cache that is never ended. Returns whether the hold was
/// taken: `false` if the cache could not be installed (libtorch already uses another CPU
/// allocator of higher priority, or one without a raw deleter), and nothing changes then.
/// [`KeptHostBlocks`] holds the cache for a scope instead.
///
/// The `gm` command calls it at start-up when the environment sets `GM_HOST_MALLOC=keep`.
pub fn keep_freed_host_memory() -> bool {
    take_hold()
}

/// Takes a hold on the block cache, installing it as libtorch's CPU allocator the first time:
/// until the hold ends, freed CPU blocks of [`SMALLEST_KEPT_BLOCK`] bytes and more are kept for
/// reuse. Returns whether the hold was taken: `false` if the cache could not be installed
/// (libtorch already uses another CPU allocator of higher priority, or one without a raw
/// deleter), and nothing changes then.
fn take_hold() -> bool {
    // SAFETY: installs (once, under std::call_once) and counts a hold; catches every C++
    // exception.
    unsafe { gm_host_cache_hold() != 0 }
}

/// Ends one hold taken by [`take_hold`]. The last hold's end frees every kept block and, with
/// glibc, calls `malloc_trim(0)` so the freed memory goes back to the system.
fn end_hold() {
    // SAFETY: counts a hold off; frees kept blocks outside the cache's lock.
    unsafe { gm_host_cache_release() };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// What the environment variable `GM_HOST_MALLOC` asks of the host allocator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostMalloc {
    /// Unset (the default): keep freed memory while CPU training steps run ([`KeptHostBlocks`]).
    DuringTraining,
    /// `keep`: keep freed memory for the whole process (set once at start-up).
    Always,
    /// `system`: never change the allocator's settings.
    System,
}

impl HostMalloc {
    /// Reads `GM_HOST_MALLOC`: unset, `keep` or `system`.
    ///
    /// # Errors
    /// Any other value, with the accepted ones.
    pub fn from_env() -> Result<Self, String> {
        match std::env::var("GM_HOST_MALLOC") {
            Err(std::env::VarError::NotPresent) => Self::parse(None),
            Ok(v) => Self::parse(Some(&v)),
            Err(e) => Err(format!("GM_HOST_MALLOC: {e}")),
        }
    }

    /// The policy a value of `GM_HOST_MALLOC` names (`None`: unset).
    ///
    /// # Errors
    /// Any value but `keep` and `system`, with the accepted ones.
    pub fn parse(value: Option<&str>) -> Result<Self, String> {
        match value {
            None => Ok(Self::DuringTraining),
            Some("keep") => Ok(Self::Always),
            Some("system") => Ok(Self::System),
            Some(v) => Err(format!(
                "GM_HOST_MALLOC={v:?}: expected `keep` (the whole process), `system` (never) or \
                 unset (while CPU training steps run)"
            )),
        }
    }
}

/// Keeps freed host memory for reuse while it lives, when training runs on the CPU and
/// `GM_HOST_MALLOC` is unset; when dropped, ends its hold (the last hold's end frees every kept
/// block and hands glibc's free memory back to the system). Create it after the
/// model is built (the planner's probes allocate blocks of many sizes) and around the training
/// steps, whose blocks repeat from step to step.
#[derive(Debug)]
pub struct KeptHostBlocks {
    active: bool,
}

impl KeptHostBlocks {
    /// Starts keeping freed memory if `device` is the CPU and `policy` is
    /// [`HostMalloc::DuringTraining`]; otherwise does nothing.
    pub fn while_training_on(device: tch::Device, policy: HostMalloc) -> Self {
        let active =
            device == tch::Device::Cpu && policy == HostMalloc::DuringTraining && take_hold();
        Self { active }
    }

    /// [`KeptHostBlocks::while_training_on`] under the policy of `GM_HOST_MALLOC`; an invalid
    /// value changes nothing (the `gm` command refuses one at start-up, naming the accepted
    /// values).
    pub fn for_training_on(device: tch::Device) -> Self {
        Self::while_training_on(device, HostMalloc::from_env().unwrap_or(HostMalloc::System))
    }

    /// Whether this guard holds the block cache (and will end its hold when dropped).
    pub fn is_active(&self) -> bool {
        self.active
    }
}

impl Drop for KeptHostBlocks {
    fn drop(&mut self) {
        if self.active {
            end_hold();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_read_from_the_variable() {
        assert_eq!(HostMalloc::parse(None), Ok(HostMalloc::DuringTraining));
        assert_eq!(HostMalloc::parse(Some("keep")), Ok(HostMalloc::Always));
        assert_eq!(HostMalloc::parse(Some("system")), Ok(HostMalloc::System));
        let err = HostMalloc::parse(Some("Keep")).unwrap_err();
        assert!(err.contains("\"Keep\"") && err.contains("system"), "{err}");
    }

    #[test]
    fn the_guard_acts_only_on_the_cpu_under_the_default_policy() {
        let cuda =
            KeptHostBlocks::while_training_on(tch::Device::Cuda(0), HostMalloc::DuringTraining);
        assert!(!cuda.is_active());
        for policy in [HostMalloc::Always, HostMalloc::System] {
            assert!(!KeptHostBlocks::while_training_on(tch::Device::Cpu, policy).is_active());
        }
    }
}
