//! `gm_apply`: the group-matrix product `M_f x` through the gather table (`O(n·K)`) against
//! the dense `n × n` matrix–vector product (nalgebra `gemv`, `O(n²)`), same run, for a local
//! kernel of `K = 49` elements on three groups of order ~1000–4000:
//!
//! - `Z32xZ32` (n = 1024): the 7×7 window `{(i, j) : i, j ∈ −3..=3}` — a 7×7 periodic
//!   correlation;
//! - `D14xD14` (n = 784): per axis the 7 elements `{r^i : i ∈ −2..=2} ∪ {f, f·r}`
//!   (rotations near the identity and two reflections), 7 × 7 = 49 in the product;
//! - `p4(32)` (n = 4096): the translations of the 7×7 window, the translation `(i, j)` paired
//!   with the quarter-turn `(i + j) mod 4` so every rotation occurs (49 elements).

use criterion::{black_box, Criterion};
use gm_algebra::group::{Cyclic, Dihedral, DirectProduct, Group, Wallpaper, WallpaperElement};
use gm_algebra::matrix::GroupMatrix;
use gm_algebra::{AnyGroup, FiniteGroup};
use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `i mod n` for a signed offset.
fn wrap(i: i64, n: usize) -> usize {
    i.rem_euclid(n as i64) as usize
}

fn torus(n: usize) -> (AnyGroup, Vec<usize>) {
    let g = DirectProduct::pair(Cyclic::new(n).unwrap(), Cyclic::new(n).unwrap()).unwrap();
    let support = (-3..=3)
        .flat_map(|i| (-3..=3).map(move |j| (i, j)))
        .map(|(i, j)| g.index_of(&[wrap(i, n), wrap(j, n)]).unwrap())
        .collect();
    (AnyGroup::new(g), support)
}

fn dihedral_square(n: usize) -> (AnyGroup, Vec<usize>) {
    let d = Dihedral::new(n).unwrap();
    let axis: Vec<usize> = (-2..=2)
        .map(|i| wrap(i, n))
        .chain([n, n + 1]) // f, f·r
        .collect();
    let g = DirectProduct::pair(d, d).unwrap();
    let support = axis
        .iter()
        .flat_map(|&a| axis.iter().map(move |&b| (a, b)))
        .map(|(a, b)| g.index_of(&[a, b]).unwrap())
        .collect();
    (AnyGroup::new(g), support)
}

fn p4(n: usize) -> (AnyGroup, Vec<usize>) {
    let g = Wallpaper::p4(n).unwrap();
    let support = (-3i64..=3)
        .flat_map(|i| (-3i64..=3).map(move |j| (i, j)))
        .map(|(i, j)| {
            Group::index(
                &g,
                &WallpaperElement {
                    tx: wrap(i, n),
                    ty: wrap(j, n),
                    rot: (i + j).rem_euclid(4) as u8,
                    mirror: false,
                },
            )
        })
        .collect();
    (AnyGroup::new(g), support)
}

/// Benchmark group `gm_apply`: `gather/<group>` and `dense/<group>` for each group.
pub fn gm_apply(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut group = c.benchmark_group("gm_apply");
    group.sample_size(30);
    for (name, (g, support)) in [
        ("Z32xZ32", torus(32)),
        ("D14xD14", dihedral_square(14)),
        ("p4(32)", p4(32)),
    ] {
        assert_eq!(support.len(), 49, "{name}");
        let n = g.order();
        let terms = support
            .iter()
            .map(|&s| (s, rng.random_range(-1.0..1.0)))
            .collect();
        let m = GroupMatrix::sparse(g, terms).unwrap();
        let x: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let dense = m.to_dense();
        let xv = DVector::from_column_slice(&x);
        let mut y = DVector::zeros(n);
        // the two paths agree before they are timed
        y.gemv(1.0, &dense, &xv, 0.0);
        let fast = m.apply(&x);
        let err = fast
            .iter()
            .zip(y.iter())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(err < 1e-9, "{name}: gather and dense differ by {err}");
        group.bench_function(format!("gather/{name}"), |b| {
            b.iter(|| m.apply(black_box(&x)))
        });
        group.bench_function(format!("dense/{name}"), |b| {
            b.iter(|| y.gemv(1.0, black_box::<&DMatrix<f64>>(&dense), black_box(&xv), 0.0))
        });
    }
    group.finish();
}
