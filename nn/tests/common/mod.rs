//! Shared helpers of the gm-nn integration tests.
#![allow(dead_code)]

pub mod reference_gmcnn;

use gm_algebra::group::parse_group;
use gm_algebra::matrix::GroupMatrix;
use gm_algebra::{AnyGroup, FiniteGroup};
use std::sync::{Mutex, MutexGuard};
use tch::{Device, Kind, Tensor};

/// One group of every family (and products), small enough for dense checks.
pub const FAMILIES: [&str; 13] = [
    "C7",
    "D5",
    "S4",
    "A4",
    "Dic3",
    "Q8",
    "V4",
    "C4xC3",
    "D3xC2",
    "C3xD4",
    "p4(3)",
    "p4m(2)",
    "perm:(1,2,3);(1,2)",
];

pub fn group(spec: &str) -> AnyGroup {
    parse_group(spec).unwrap()
}

/// The dense oracle of a GM convolution from the algebra's `GroupMatrix::to_dense`
/// (`M_f[a,b] = f(g_a⁻¹g_b)` through `left_div_idx`, not through a gather table): block
/// `(o, i)` is `M_{f_oi}` with `f_oi = Σ_k w[o,i,k]·δ_{s_k}` (shared weights: `i` ignored);
/// rows `o·n + a`, columns `i·n + b`.
pub fn dense_oracle(g: &AnyGroup, support: &[usize], weight: &Tensor, cin: usize) -> Tensor {
    let n = g.order();
    let w = weight.detach().to_kind(Kind::Double);
    let (o, wi, k) = w.size3().unwrap();
    let w: Vec<f64> = Vec::try_from(w.reshape([-1])).unwrap();
    let (o, wi, k) = (o as usize, wi as usize, k as usize);
    let mut m = vec![0f64; o * n * cin * n];
    for oo in 0..o {
        for i in 0..cin {
            let row = (oo * wi + if wi == 1 { 0 } else { i }) * k;
            let terms = support
                .iter()
                .zip(&w[row..row + k])
                .map(|(&s, &v)| (s, v))
                .collect();
            let dense = GroupMatrix::sparse(g.clone(), terms).unwrap().to_dense();
            for a in 0..n {
                for b in 0..n {
                    m[(oo * n + a) * cin * n + i * n + b] = dense[(a, b)];
                }
            }
        }
    }
    Tensor::from_slice(&m).view([(o * n) as i64, (cin * n) as i64])
}

pub fn max_abs(t: &Tensor) -> f64 {
    t.abs().max().double_value(&[])
}

pub fn randn(shape: &[i64]) -> Tensor {
    Tensor::randn(shape, (Kind::Double, Device::Cpu))
}

/// libtorch's random generator is one per process, and the tests of one binary run on
/// several threads: a test whose assertions depend on the values it draws holds this lock
/// from its seed to its last draw, so that no other test's draws interleave with its own.
static TORCH_RNG: Mutex<()> = Mutex::new(());

/// Seeds libtorch's generator with `seed` and returns the guard of [`TORCH_RNG`]; keep it
/// alive while the test draws. A test that panicked while holding it does not poison the
/// others.
pub fn seeded(seed: i64) -> MutexGuard<'static, ()> {
    let guard = TORCH_RNG
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    tch::manual_seed(seed);
    guard
}
