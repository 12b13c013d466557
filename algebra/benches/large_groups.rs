//! `large_groups`: what the structure code costs on groups of order 10⁴ to 10⁶ that have no
//! `n × n` table (these were wall-clock assertions in the tests; timings belong here). Each
//! group is measured beside its baseline in the same run: `n products`, one `mul_idx` per
//! element, so the report reads as "classes cost k products per element".
//!
//! - D500 × C100 (n = 10⁵): conjugacy classes, the subgroup ⟨f⟩ × C100, its left cosets and
//!   double cosets;
//! - p4(256) (n = 262,144): the homogeneous space p4(256)/C4, average pooling onto it, and its
//!   classes;
//! - S9 (n = 362,880): classes, and S9 enumerated as a permutation group from two generators;
//! - C8 × C9 × S5 as a permutation group (n = 8640): enumeration.

use criterion::{black_box, Criterion};
use gm_algebra::group::{
    ConjugacyClasses, Cosets, Cyclic, Dihedral, DirectProduct, DoubleCosets, PermutationGroup,
    Subgroup, Symmetric, Wallpaper,
};
use gm_algebra::space::{HomogeneousSpace, Pooling};
use gm_algebra::FiniteGroup;
use std::time::Duration;

/// The baseline: one product per element.
fn products<G: FiniteGroup + ?Sized>(g: &G) -> usize {
    (0..g.order()).fold(0, |acc, a| acc ^ g.mul_idx(a, acc % g.order()))
}

fn settings<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(2));
    group
}

fn d500_c100(c: &mut Criterion) {
    let g = DirectProduct::pair(Dihedral::new(500).unwrap(), Cyclic::new(100).unwrap()).unwrap();
    let h = Subgroup::generated_by(&g, &[500 * 100, 1]).unwrap();
    let mut b = settings(c, "large_groups/D500xC100");
    b.bench_function("n products (baseline)", |b| {
        b.iter(|| products(black_box(&g)))
    });
    b.bench_function("classes", |b| {
        b.iter(|| ConjugacyClasses::compute(black_box(&g)))
    });
    b.bench_function("subgroup", |b| {
        b.iter(|| Subgroup::generated_by(black_box(&g), &[500 * 100, 1]).unwrap())
    });
    b.bench_function("left cosets", |b| {
        b.iter(|| Cosets::left(black_box(&g), &h).unwrap())
    });
    b.bench_function("double cosets", |b| {
        b.iter(|| DoubleCosets::new(black_box(&g), &h, &h).unwrap())
    });
    b.finish();
}

fn p4_256(c: &mut Criterion) {
    let p4 = Wallpaper::p4(256).unwrap();
    let c4 = Subgroup::generated_by(&p4, &[1]).unwrap();
    let grid = HomogeneousSpace::new(p4, &c4).unwrap();
    let ones = vec![1.0; p4.order()];
    let mut b = settings(c, "large_groups/p4(256)");
    b.bench_function("n products (baseline)", |b| {
        b.iter(|| products(black_box(&p4)))
    });
    b.bench_function("homogeneous space /C4", |b| {
        b.iter(|| HomogeneousSpace::new(black_box(p4), &c4).unwrap())
    });
    b.bench_function("average pooling", |b| {
        b.iter(|| grid.pool(black_box(&ones), Pooling::Average).unwrap())
    });
    b.bench_function("classes", |b| {
        b.iter(|| ConjugacyClasses::compute(black_box(&p4)))
    });
    b.finish();
}

fn permutations(c: &mut Criterion) {
    let s9 = Symmetric::new(9).unwrap();
    let mut b = settings(c, "large_groups/S9");
    b.bench_function("n products (baseline)", |b| {
        b.iter(|| products(black_box(&s9)))
    });
    b.bench_function("classes", |b| {
        b.iter(|| ConjugacyClasses::compute(black_box(&s9)))
    });
    b.bench_function("enumerate perm:(1,2);(1,...,9)", |b| {
        b.iter(|| PermutationGroup::from_spec(black_box("perm:(1,2);(1,2,3,4,5,6,7,8,9)")).unwrap())
    });
    b.finish();
    let spec = "perm:(1,2,3,4,5,6,7,8);(9,10,11,12,13,14,15,16,17);(18,19);(18,19,20,21,22)";
    let g = PermutationGroup::from_spec(spec).unwrap();
    let mut b = settings(c, "large_groups/C8xC9xS5");
    b.bench_function("n products (baseline)", |b| {
        b.iter(|| products(black_box(&g)))
    });
    b.bench_function("enumerate", |b| {
        b.iter(|| PermutationGroup::from_spec(black_box(spec)).unwrap())
    });
    b.finish();
}

/// The `large_groups` benchmarks.
pub fn benches(c: &mut Criterion) {
    d500_c100(c);
    p4_256(c);
    permutations(c);
}
