//! The kept host heap around CPU training steps (`gm_nn::host_memory::KeptHostHeap`): while
//! it lives, freed activations stay resident for the next step; when it ends, they go back to
//! the system. Measured on the process's resident set. Without the libtest harness
//! (`harness = false`), so it runs alone on the main thread: the main malloc arena, where
//! `gm`'s training steps allocate (a thread's arena cannot hold blocks above 64 MiB at all).

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use gm_nn::host_memory::{HostMalloc, KeptHostHeap};
    use tch::{Device, Kind, Tensor};

    /// The resident set of this process in MiB (`/proc/self/statm`, second field, in pages).
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

    /// Allocates four 64 MiB tensors (written, so resident; above glibc's largest mmap
    /// threshold, 32 MiB, so its defaults map and unmap each) and frees them.
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

    pub fn freed_blocks_stay_resident_while_the_guard_lives_and_go_back_after() {
        allocate_and_free_256_mib(); // libtorch's own first-use allocations, before the baseline
        let base = resident_mib();
        allocate_and_free_256_mib();
        let after_default = resident_mib() - base;
        assert!(
            after_default < 64.0,
            "glibc's defaults kept {after_default:.0} MiB"
        );

        let guard = KeptHostHeap::while_training_on(Device::Cpu, HostMalloc::DuringTraining);
        assert!(guard.is_active());
        allocate_and_free_256_mib();
        let kept = resident_mib() - base;
        assert!(
            kept >= 192.0,
            "the kept heap holds only {kept:.0} MiB of 256"
        );
        // Reused: a second round needs at most one block more (the four blocks plus their
        // headers are a little over the 256 MiB freed), and from then on nothing new.
        allocate_and_free_256_mib();
        let second = resident_mib() - base;
        assert!(
            second <= kept + 80.0,
            "round 2: {kept:.0} MiB grew to {second:.0}"
        );
        allocate_and_free_256_mib();
        let third = resident_mib() - base;
        assert!(
            third <= second + 1.0,
            "round 3: {second:.0} MiB grew to {third:.0}"
        );

        drop(guard);
        let released = resident_mib() - base;
        assert!(
            released < 64.0,
            "{released:.0} MiB still resident after the guard"
        );
    }
}

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        glibc::freed_blocks_stay_resident_while_the_guard_lives_and_go_back_after();
        println!("test freed_blocks_stay_resident_while_the_guard_lives_and_go_back_after ... ok");
    }
}
