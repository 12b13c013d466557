//! Fourier benchmarks: GM apply through the planner against rustfft and against the dense
//! product, and the numerical construction of all irreps of groups given by permutations or
//! Cayley tables.

use criterion::{BenchmarkId, Criterion};
use gm_algebra::fourier::{numerical_irreps, plan, FourierGm, RealCyclicGm};
use gm_algebra::group::{
    AnyGroup, Cyclic, Dihedral, DirectProduct, Permutation, PermutationGroup, TableGroup,
};
use gm_algebra::FiniteGroup;
use nalgebra::{DMatrix, DVector};
use num_complex::Complex64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustfft::FftPlanner;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn random_complex(n: usize, rng: &mut ChaCha8Rng) -> Vec<Complex64> {
    (0..n)
        .map(|_| Complex64::new(rng.random_range(-1.0..1.0), 0.0))
        .collect()
}

/// GM apply on `Z_{2^16}` through the planner, and on real data through [`RealCyclicGm`]
/// (target: ≤ 0.6×), vs rustfft's own complex forward + inverse of the same length.
fn apply_vs_rustfft(c: &mut Criterion, rng: &mut ChaCha8Rng) {
    let n = 1 << 16;
    let z = Cyclic::new(n).expect("n ≥ 1");
    let gm = FourierGm::new(plan(&z).expect("plan"), &random_complex(n, rng)).expect("kernel");
    let x = random_complex(n, rng);
    let mut out = vec![Complex64::default(); n];
    let mut scratch = vec![Complex64::default(); gm.scratch_len()];
    let mut fft = FftPlanner::<f64>::new();
    let (fwd, inv) = (fft.plan_fft_forward(n), fft.plan_fft_inverse(n));
    let mut buf = x.clone();
    let mut fft_scratch = vec![
        Complex64::default();
        fwd.get_inplace_scratch_len()
            .max(inv.get_inplace_scratch_len())
    ];
    let mut group = c.benchmark_group("fourier/z65536");
    group
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    group.bench_function("rustfft_forward_inverse", |b| {
        b.iter(|| {
            buf.copy_from_slice(&x);
            fwd.process_with_scratch(&mut buf, &mut fft_scratch);
            inv.process_with_scratch(&mut buf, &mut fft_scratch);
            black_box(&buf);
        })
    });
    group.bench_function("gm_apply_planned", |b| {
        b.iter(|| {
            gm.apply_with_scratch(&x, &mut out, &mut scratch)
                .expect("lengths");
            black_box(&out);
        })
    });
    let kernel: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let real = RealCyclicGm::new(&z, &kernel).expect("kernel");
    let x_real: Vec<f64> = x.iter().map(|v| v.re).collect();
    let (mut work, mut out_real) = (x_real.clone(), vec![0.0; n]);
    let mut real_scratch = vec![Complex64::default(); real.scratch_len()];
    group.bench_function("gm_apply_real", |b| {
        b.iter(|| {
            work.copy_from_slice(&x_real);
            real.apply_with_scratch(&mut work, &mut out_real, &mut real_scratch)
                .expect("lengths");
            black_box(&out_real);
        })
    });
    group.finish();
    // The ratio with the two timed alternately, so that a drift in the machine's speed between
    // criterion's consecutive measurements does not enter it: the median over rounds.
    let mut ratios: Vec<f64> = (0..15)
        .map(|_| {
            let time = |f: &mut dyn FnMut()| {
                let t = Instant::now();
                (0..50).for_each(|_| f());
                t.elapsed().as_secs_f64()
            };
            let complex = time(&mut || {
                buf.copy_from_slice(&x);
                fwd.process_with_scratch(&mut buf, &mut fft_scratch);
                inv.process_with_scratch(&mut buf, &mut fft_scratch);
                black_box(&buf);
            });
            let real_time = time(&mut || {
                work.copy_from_slice(&x_real);
                real.apply_with_scratch(&mut work, &mut out_real, &mut real_scratch)
                    .expect("lengths");
                black_box(&out_real);
            });
            real_time / complex
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    eprintln!(
        "fourier/z65536: gm_apply_real / rustfft_forward_inverse, timed alternately: median {:.3} \
         (range {:.3}–{:.3}, 15 rounds of 50 each)",
        ratios[7], ratios[0], ratios[14]
    );
}

/// GM apply through the planner vs the dense real matrix–vector product, n = 4096.
fn apply_vs_dense(c: &mut Criterion, rng: &mut ChaCha8Rng) {
    let groups = [
        (
            "z64xz64",
            AnyGroup::new(
                DirectProduct::pair(Cyclic::new(64).expect("64"), Cyclic::new(64).expect("64"))
                    .expect("product"),
            ),
        ),
        (
            "d2048",
            AnyGroup::cached(Dihedral::new(2048).expect("2048")),
        ),
    ];
    let mut group = c.benchmark_group("fourier/n4096");
    group
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    for (name, g) in &groups {
        let n = g.order();
        let f: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let dense = DMatrix::<f64>::from_fn(n, n, |a, b| f[g.left_div_idx(a, b)]);
        let xr = DVector::<f64>::from_fn(n, |_, _| rng.random_range(-1.0..1.0));
        let fc: Vec<Complex64> = f.iter().map(|&v| Complex64::new(v, 0.0)).collect();
        let xc: Vec<Complex64> = xr.iter().map(|&v| Complex64::new(v, 0.0)).collect();
        let gm = FourierGm::new(plan(g).expect("plan"), &fc).expect("kernel");
        let mut out = vec![Complex64::default(); n];
        let mut scratch = vec![Complex64::default(); gm.scratch_len()];
        group.bench_function(BenchmarkId::new("dense_matvec", name), |b| {
            b.iter(|| black_box(&dense * &xr))
        });
        group.bench_function(BenchmarkId::new("gm_apply_planned", name), |b| {
            b.iter(|| {
                gm.apply_with_scratch(&xc, &mut out, &mut scratch)
                    .expect("lengths");
                black_box(&out);
            })
        });
    }
    group.finish();
}

/// A permutation group from generators given as images (0-based).
fn perms(gens: &[Vec<usize>]) -> PermutationGroup {
    let gens: Vec<Permutation> = gens
        .iter()
        .map(|g| Permutation::from_images(g.clone()).expect("permutation"))
        .collect();
    PermutationGroup::from_generators(&gens).expect("group")
}

/// `Z_2 × D_250` (order 1000, 254 classes) on 252 points.
fn z2_times_d250() -> PermutationGroup {
    let m = 250;
    let mut rot: Vec<usize> = (1..=m).collect();
    rot[m - 1] = 0;
    rot.extend([m, m + 1]);
    let mut refl: Vec<usize> = (0..m).map(|i| (m - i) % m).collect();
    refl.extend([m, m + 1]);
    let mut swap: Vec<usize> = (0..m).collect();
    swap.extend([m + 1, m]);
    perms(&[rot, refl, swap])
}

/// All irreps of groups given only by permutation generators or a Cayley table.
fn all_irreps(c: &mut Criterion) {
    let spec = |s: &str| AnyGroup::new(PermutationGroup::from_spec(s).expect("spec"));
    let s6 = spec("(1,2);(1,2,3,4,5,6)");
    let table = |g: &AnyGroup| {
        AnyGroup::new(
            TableGroup::from_cayley_table(TableGroup::cayley_table(g), None).expect("table"),
        )
    };
    let groups = [
        ("A5_perm", spec("(1,2,3);(1,2,3,4,5)")),
        ("PSL27_perm", spec("(1,2,3,4,5,6,7);(1,2)(3,6)")),
        ("A6_perm", spec("(1,2,3);(2,3,4,5,6)")),
        ("S6_table", table(&s6)),
        ("S6_perm", s6),
        ("Z2xD250_perm", AnyGroup::new(z2_times_d250())),
    ];
    let mut group = c.benchmark_group("fourier/all_irreps");
    group
        .measurement_time(Duration::from_secs(2))
        .sample_size(10);
    for (name, g) in &groups {
        group.bench_function(BenchmarkId::new(*name, g.order()), |b| {
            b.iter(|| black_box(numerical_irreps(g).expect("irreps")))
        });
    }
    group.finish();
    // Beyond order 1000: one timed run each (too slow for repeated sampling).
    for (name, s) in [
        ("A7_perm", "(1,2,3);(3,4,5,6,7)"),
        ("S7_perm", "(1,2);(1,2,3,4,5,6,7)"),
    ] {
        let g = spec(s);
        let t = Instant::now();
        let irr = numerical_irreps(&g).expect("irreps");
        eprintln!(
            "fourier/all_irreps/{name}/{}: {} irreps in {:.2?} (one run)",
            g.order(),
            irr.len(),
            t.elapsed()
        );
    }
}

/// The Fourier benchmarks, registered in `main.rs`.
pub fn benches(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    apply_vs_rustfft(c, &mut rng);
    apply_vs_dense(c, &mut rng);
    all_irreps(c);
}
