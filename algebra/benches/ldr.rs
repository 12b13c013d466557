//! Low-displacement-rank products: the fast structured product against the dense product of
//! the reconstructed matrix, in the same run.

use criterion::{black_box, criterion_group, BenchmarkId, Criterion};
use gm_algebra::displacement::{LdrMatrix, LdrSd, LdrTd, Operator, ToeplitzLike};
use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;

fn random_matrix(rng: &mut ChaCha8Rng, rows: usize, cols: usize) -> DMatrix<f64> {
    DMatrix::from_fn(rows, cols, |_, _| rng.random_range(-1.0..1.0))
}

/// Fast product and dense product of the reconstruction of one LDR matrix.
fn fast_vs_dense<M: LdrMatrix>(c: &mut Criterion, group: &str, m: &M) {
    let n = m.shape().1;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let x: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let dense = m.to_dense();
    let xv = DVector::from_column_slice(&x);
    let mut g = c.benchmark_group(group);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    g.bench_with_input(BenchmarkId::new("fast", n), &x, |b, x| {
        b.iter(|| m.apply(black_box(x)))
    });
    g.bench_with_input(BenchmarkId::new("dense", n), &xv, |b, xv| {
        b.iter(|| &dense * black_box(xv))
    });
    g.finish();
}

/// Toeplitz-like, r = 4, n = 2^14 (the target: fast ≥ 50× dense).
fn toeplitz_like(c: &mut Criterion) {
    let (n, r) = (1 << 14, 4);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let m = ToeplitzLike::new(random_matrix(&mut rng, n, r), random_matrix(&mut rng, n, r))
        .expect("valid generators");
    fast_vs_dense(c, "ldr_toeplitz_like_r4", &m);
}

/// LDR-SD (FFT path) and LDR-TD (Horner), r = 4, n = 2^10.
fn sd_td(c: &mut Criterion) {
    let (n, r) = (1 << 10, 4);
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut weights = || -> Vec<f64> { (0..n).map(|_| rng.random_range(0.9..1.1)).collect() };
    let (a, b) = (weights(), weights());
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let (g, h) = (random_matrix(&mut rng, n, r), random_matrix(&mut rng, n, r));
    let sd = LdrSd::new(a, b, g.clone(), h.clone()).expect("valid generators");
    assert!(sd.uses_fft(), "weights near 1 keep the FFT path");
    fast_vs_dense(c, "ldr_sd_r4", &sd);
    let mut tri = || {
        let v = |k: usize, rng: &mut ChaCha8Rng| {
            (0..k)
                .map(|_| rng.random_range(-0.5..0.5))
                .collect::<Vec<_>>()
        };
        Operator::tridiagonal(v(n - 1, &mut rng), v(n, &mut rng), v(n - 1, &mut rng))
            .expect("valid sizes")
    };
    let (ta, tb) = (tri(), tri());
    let td = LdrTd::new(ta, tb, g, h).expect("valid generators");
    fast_vs_dense(c, "ldr_td_r4", &td);
}

criterion_group!(ldr, toeplitz_like, sd_td);
