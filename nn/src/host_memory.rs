//! Keeping freed host memory for reuse, so that CPU training does not page-fault its
//! activations in again at every step.
//!
//! glibc serves every allocation above its mmap threshold (at most 32 MiB) with a fresh
//! `mmap` and returns it with `munmap` when it is freed. A CPU training step allocates and
//! frees activations of that size by the dozen (the CIFAR-10 model at `B = 256`: 120 channels
//! × 1,024 points × 256 images is 63 MB in bf16), so each step faults every one of their pages
//! in again: measured with `perf` on `gm bench train --model cifar10 --backend cudnn
//! --precision bf16`, a third of the process's CPU time was the kernel's page-fault handling.
//! [`keep_freed_host_memory`] makes glibc serve large allocations from its heap and keep what
//! is freed there, so the next step reuses the same pages. The price: the process's resident
//! memory does not shrink below its peak until it exits, and a workload that allocates blocks of
//! many different sizes can fragment the heap far above its live memory (the timed planner's
//! probes of the CIFAR-10 model in bf16 grew it past 24 GB), so it is opt-in.

/// The largest free space kept at the top of the heap, in bytes, before glibc returns it to
/// the system (`M_TRIM_THRESHOLD`; an `int` in glibc's interface).
pub const KEPT_HEAP_TOP: i32 = i32::MAX;

/// Asks the C allocator to serve large allocations from its heap (no `mmap`) and to keep up to
/// [`KEPT_HEAP_TOP`] bytes of freed memory for reuse. Returns whether the allocator accepted
/// both settings: `false` where the C library is not glibc (nothing is changed there).
///
/// Call it once at the start of a process that trains or evaluates on the CPU, before large
/// tensors exist; the `gm` command does when the environment sets `GM_HOST_MALLOC=keep`.
pub fn keep_freed_host_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes allocator parameters; glibc applies them under the
        // allocator's lock and they are valid at any time.
        unsafe {
            libc::mallopt(libc::M_MMAP_MAX, 0) == 1
                && libc::mallopt(libc::M_TRIM_THRESHOLD, KEPT_HEAP_TOP) == 1
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn glibc_accepts_the_settings_and_large_tensors_still_allocate() {
        assert!(keep_freed_host_memory());
        // A tensor above the default mmap threshold now comes from the heap: it must still be
        // usable, and freed and allocated again.
        for _ in 0..3 {
            let t = tch::Tensor::ones([16, 1024, 1024], (tch::Kind::Float, tch::Device::Cpu));
            assert_eq!(
                t.sum(tch::Kind::Double).double_value(&[]),
                (16 << 20) as f64
            );
        }
    }
}
