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
//! probes of the CIFAR-10 model in bf16 grew it past 24 GB). So it is not set for a whole
//! process by default: [`KeptHostHeap`] keeps freed memory only while CPU training steps run
//! (fixed shapes, after the model and its planner's probes are built), and hands the
//! allocator back its usual settings and the kept memory back to the system when it ends.

/// The largest free space kept at the top of the heap, in bytes, before glibc returns it to
/// the system (`M_TRIM_THRESHOLD`; an `int` in glibc's interface).
pub const KEPT_HEAP_TOP: i32 = i32::MAX;

/// Asks the C allocator to serve large allocations from its heap (no `mmap`) and to keep up to
/// [`KEPT_HEAP_TOP`] bytes of freed memory for reuse. Returns whether the allocator accepted
/// both settings: `false` where the C library is not glibc (nothing is changed there).
///
/// The `gm` command calls it once at start-up when the environment sets `GM_HOST_MALLOC=keep`,
/// and otherwise through [`KeptHostHeap`] around CPU training steps.
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

/// glibc's default `M_MMAP_MAX`: how many allocations it may serve by `mmap` at once.
pub const DEFAULT_MMAP_MAX: i32 = 65_536;

/// glibc's default `M_TRIM_THRESHOLD` in bytes (128 KiB).
pub const DEFAULT_TRIM_THRESHOLD: i32 = 128 * 1024;

/// Undoes [`keep_freed_host_memory`]: glibc's default `M_MMAP_MAX` and `M_TRIM_THRESHOLD`, then
/// `malloc_trim(0)` returns the freed memory the heap kept. Returns whether the allocator
/// accepted the settings (`false` where the C library is not glibc).
pub fn release_kept_host_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: as in keep_freed_host_memory; malloc_trim only returns free memory.
        unsafe {
            let restored = libc::mallopt(libc::M_MMAP_MAX, DEFAULT_MMAP_MAX) == 1
                && libc::mallopt(libc::M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD) == 1;
            libc::malloc_trim(0);
            restored
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// What the environment variable `GM_HOST_MALLOC` asks of the host allocator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostMalloc {
    /// Unset (the default): keep freed memory while CPU training steps run ([`KeptHostHeap`]).
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
/// `GM_HOST_MALLOC` is unset; when dropped, [`release_kept_host_memory`]. Create it after the
/// model is built (the planner's probes allocate blocks of many sizes) and around the training
/// steps, whose blocks repeat from step to step.
#[derive(Debug)]
pub struct KeptHostHeap {
    active: bool,
}

impl KeptHostHeap {
    /// Starts keeping freed memory if `device` is the CPU and `policy` is
    /// [`HostMalloc::DuringTraining`]; otherwise does nothing.
    pub fn while_training_on(device: tch::Device, policy: HostMalloc) -> Self {
        let active = device == tch::Device::Cpu
            && policy == HostMalloc::DuringTraining
            && keep_freed_host_memory();
        Self { active }
    }

    /// [`KeptHostHeap::while_training_on`] under the policy of `GM_HOST_MALLOC`; an invalid
    /// value changes nothing (the `gm` command refuses one at start-up, naming the accepted
    /// values).
    pub fn for_training_on(device: tch::Device) -> Self {
        Self::while_training_on(device, HostMalloc::from_env().unwrap_or(HostMalloc::System))
    }

    /// Whether this guard changed the allocator's settings (and will restore them).
    pub fn is_active(&self) -> bool {
        self.active
    }
}

impl Drop for KeptHostHeap {
    fn drop(&mut self) {
        if self.active {
            release_kept_host_memory();
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
            KeptHostHeap::while_training_on(tch::Device::Cuda(0), HostMalloc::DuringTraining);
        assert!(!cuda.is_active());
        for policy in [HostMalloc::Always, HostMalloc::System] {
            assert!(!KeptHostHeap::while_training_on(tch::Device::Cpu, policy).is_active());
        }
    }

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
