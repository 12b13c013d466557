//! Criterion benchmarks of gm-algebra (ratios against baselines measured in the same run).
use criterion::{criterion_group, criterion_main, Criterion};

mod ldr;

fn placeholder(_c: &mut Criterion) {}

criterion_group!(benches, placeholder);
criterion_main!(benches, ldr::ldr);
