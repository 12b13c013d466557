//! Criterion benchmarks of gm-algebra (ratios against baselines measured in the same run).
//! Each benchmark group lives in its own module; `cargo bench -p gm-algebra --bench main -- <group>`.
use criterion::{criterion_group, criterion_main};

mod chain_fft;
mod fourier;
mod gm_apply;
mod large_groups;
mod ldr;

criterion_group!(
    benches,
    gm_apply::gm_apply,
    fourier::benches,
    large_groups::benches,
    chain_fft::benches
);
criterion_main!(benches, ldr::ldr);
