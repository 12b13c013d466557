//! `chain_fft`: GM apply through subgroup-chain FFTs (via the planner) against, in the same
//! run:
//!
//! - `S_7` (n = 5,040; Clausen's [`SymmetricFft`]): the dense block transform, `f̂ = F f` and
//!   `f = F* diag(d_ρ/n) f̂` with the `n × n` complex Fourier matrix of the same Young irreps
//!   (406 MB; target ≥ 50×);
//! - `S_8` (n = 40,320, where the dense matrix would take 26 GB): the transform that computes
//!   every `ρ(g)` on the fly along a Schreier tree, one sparse generator image per element
//!   (target ≥ 20×);
//! - `Z_3 ≀ S_4` (n = 1,944, a permutation group on 12 points; [`ChainFft`] along its
//!   stabiliser chain): the dense block transform ([`DenseFourier`]) over the same numerical
//!   irreps.
//!
//! Each baseline uses the same blocks `B_ρ` as the chain FFT, so they compute the same `M_f x`.

use criterion::{black_box, Criterion};
use gm_algebra::fourier::{
    plan, young_generator_images, DenseFourier, FourierGm, PlanKind, YoungImages,
};
use gm_algebra::group::{Group, Permutation, PermutationGroup, Symmetric};
use gm_algebra::FiniteGroup;
use nalgebra::{DMatrix, DVectorView, DVectorViewMut};
use num_complex::Complex64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

fn random_complex(n: usize, rng: &mut ChaCha8Rng) -> Vec<Complex64> {
    (0..n)
        .map(|_| Complex64::new(rng.random_range(-1.0..1.0), 0.0))
        .collect()
}

/// `x̂ ← x̂ · B/n` blockwise (the middle step of every GM apply), `blocks` from [`FourierGm`].
fn multiply_blocks(gm: &FourierGm, hat: &mut [Complex64]) {
    let layout = gm.plan().layout();
    let n = gm.plan().len() as f64;
    let mut row = Vec::new();
    for (k, &d) in layout.dims().iter().enumerate() {
        let off = layout.offset(k);
        let b = &gm.blocks()[off..][..d * d];
        let xh = &mut hat[off..][..d * d];
        for i in 0..d {
            row.clear();
            row.extend_from_slice(&xh[i * d..(i + 1) * d]);
            for j in 0..d {
                xh[i * d + j] = (0..d).map(|l| row[l] * b[l * d + j]).sum::<Complex64>() / n;
            }
        }
    }
}

/// The baseline and the chain FFT compute the same `M_f x` (checked once before timing).
fn assert_same(a: &[Complex64], b: &[Complex64], what: &str) {
    let err = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max);
    assert!(
        err < 1e-8,
        "{what}: baseline and chain FFT differ by {err:e}"
    );
}

/// The transposition `s_i` of `S_n`.
fn transposition(n: usize, i: usize) -> Permutation {
    let mut images: Vec<usize> = (0..n).collect();
    images.swap(i, i + 1);
    Permutation::from_images(images).expect("a transposition")
}

/// A breadth-first Schreier tree of `S_n` on the adjacent transpositions: per element index,
/// its children `(child index, generator i)` with `child = parent · s_i`.
fn schreier_children(s: &Symmetric) -> Vec<Vec<(usize, usize)>> {
    let n = s.degree();
    let order = FiniteGroup::order(s);
    let gens: Vec<Permutation> = (0..n - 1).map(|i| transposition(n, i)).collect();
    let mut children = vec![Vec::new(); order];
    let mut seen = vec![false; order];
    seen[0] = true;
    let mut queue = VecDeque::from([0usize]);
    while let Some(a) = queue.pop_front() {
        let pa = s.element(a);
        for (i, t) in gens.iter().enumerate() {
            let b = s.index(&pa.compose(t));
            if !seen[b] {
                seen[b] = true;
                children[a].push((b, i));
                queue.push_back(b);
            }
        }
    }
    children
}

/// The Fourier transform computing `ρ(g)` for every irrep on the fly: a depth-first walk of
/// the Schreier tree, `ρ(g·s_i) = ρ(g) ρ(s_i)` as one sparse column operation per element.
struct OnTheFly {
    irreps: Vec<YoungImages>,
    offsets: Vec<usize>,
    children: Vec<Vec<(usize, usize)>>,
}

impl OnTheFly {
    fn new(s: &Symmetric) -> Self {
        let irreps = young_generator_images(s.degree()).expect("n ≤ 10");
        let mut at = 0;
        let offsets = irreps
            .iter()
            .map(|r| {
                let o = at;
                at += r.dim() * r.dim();
                o
            })
            .collect();
        Self {
            irreps,
            offsets,
            children: schreier_children(s),
        }
    }

    /// Calls `visit(g, ρ(g))` for every element, `ρ(g)` flat in the coefficient layout.
    fn walk(&self, mut visit: impl FnMut(usize, &[f64])) {
        let n: usize = self.irreps.iter().map(|r| r.dim() * r.dim()).sum();
        let mut root = vec![0.0; n];
        for (r, &o) in self.irreps.iter().zip(&self.offsets) {
            for i in 0..r.dim() {
                root[o + i * r.dim() + i] = 1.0;
            }
        }
        let mut stack = vec![(0usize, root)];
        while let Some((g, m)) = stack.pop() {
            visit(g, &m);
            for &(child, i) in &self.children[g] {
                let mut next = vec![0.0; n];
                for (r, &o) in self.irreps.iter().zip(&self.offsets) {
                    let (d, s) = (r.dim(), &r.generators()[i]);
                    let (src, dst) = (&m[o..o + d * d], &mut next[o..o + d * d]);
                    for c in 0..d {
                        let a = s.diagonal(c);
                        match s.partner(c) {
                            Some((p, b)) => {
                                for row in 0..d {
                                    dst[row * d + c] = a * src[row * d + c] + b * src[row * d + p];
                                }
                            }
                            None => {
                                for row in 0..d {
                                    dst[row * d + c] = a * src[row * d + c];
                                }
                            }
                        }
                    }
                }
                stack.push((child, next));
            }
        }
    }

    fn forward(&self, f: &[Complex64], out: &mut [Complex64]) {
        out.fill(Complex64::default());
        self.walk(|g, m| {
            let x = f[g];
            out.iter_mut().zip(m).for_each(|(o, &v)| *o += x * v);
        });
    }

    /// `n·f` from the coefficients (the unnormalised inverse).
    fn inverse_unnormalized(&self, coeffs: &[Complex64], out: &mut [Complex64]) {
        let mut weighted = coeffs.to_vec();
        for (r, &o) in self.irreps.iter().zip(&self.offsets) {
            let d = r.dim();
            weighted[o..o + d * d]
                .iter_mut()
                .for_each(|z| *z *= d as f64);
        }
        self.walk(|g, m| {
            out[g] = weighted.iter().zip(m).map(|(c, &v)| c * v).sum();
        });
    }
}

/// GM apply on `S_7`: chain FFT vs the dense block transform.
fn s7(c: &mut Criterion, rng: &mut ChaCha8Rng) {
    let s = Symmetric::new(7).expect("S_7");
    let n = FiniteGroup::order(&s);
    let gm = FourierGm::new(plan(&s).expect("plan"), &random_complex(n, rng)).expect("kernel");
    let irreps = young_generator_images(7).expect("S_7");
    // F[(ρ,i,j), g] = ρ(g)_ij, in the plan's layout.
    let layout = gm.plan().layout().clone();
    let mut fourier = DMatrix::<Complex64>::zeros(n, n);
    for g in 0..n {
        let p = s.element(g);
        for (k, r) in irreps.iter().enumerate() {
            let m = r.matrix(&p).expect("degree 7");
            let d = r.dim();
            for i in 0..d {
                for j in 0..d {
                    fourier[(layout.offset(k) + i * d + j, g)] = Complex64::new(m[(i, j)], 0.0);
                }
            }
        }
    }
    let weights: Vec<f64> = (0..layout.len())
        .flat_map(|k| {
            let d = layout.dims()[k];
            std::iter::repeat_n(d as f64, d * d)
        })
        .collect();
    let x = random_complex(n, rng);
    let mut hat = vec![Complex64::default(); n];
    let mut dense = |out: &mut [Complex64]| {
        DVectorViewMut::from_slice(&mut hat, n).gemv(
            Complex64::new(1.0, 0.0),
            &fourier,
            &DVectorView::from_slice(&x, n),
            Complex64::default(),
        );
        multiply_blocks(&gm, &mut hat);
        hat.iter_mut().zip(&weights).for_each(|(z, &w)| *z *= w);
        DVectorViewMut::from_slice(out, n).gemv_ad(
            Complex64::new(1.0, 0.0),
            &fourier,
            &DVectorView::from_slice(&hat, n),
            Complex64::default(),
        );
    };
    compare(
        c,
        "chain_fft/s7",
        "dense_block_transform",
        &mut dense,
        &gm,
        &x,
    );
}

/// GM apply on `S_8`: chain FFT vs the transform computing `ρ(g)` on the fly.
fn s8(c: &mut Criterion, rng: &mut ChaCha8Rng) {
    let s = Symmetric::new(8).expect("S_8");
    let n = FiniteGroup::order(&s);
    let gm = FourierGm::new(plan(&s).expect("plan"), &random_complex(n, rng)).expect("kernel");
    let slow = OnTheFly::new(&s);
    let x = random_complex(n, rng);
    let mut hat = vec![Complex64::default(); n];
    let mut on_the_fly = |out: &mut [Complex64]| {
        slow.forward(&x, &mut hat);
        multiply_blocks(&gm, &mut hat);
        slow.inverse_unnormalized(&hat, out);
    };
    compare(
        c,
        "chain_fft/s8",
        "on_the_fly_schreier",
        &mut on_the_fly,
        &gm,
        &x,
    );
}

/// GM apply on `Z_3 ≀ S_4`: the chain FFT along the stabiliser chain vs the dense block
/// transform over the same irreps.
fn wreath(c: &mut Criterion, rng: &mut ChaCha8Rng) {
    let z3 = Permutation::parse("(1,2,3)").expect("a 3-cycle");
    let g = PermutationGroup::wreath_product(&[z3], 4).expect("Z_3 ≀ S_4");
    let n = FiniteGroup::order(&g);
    let chain = plan(&g).expect("plan");
    assert_eq!(
        chain.kind(),
        PlanKind::ChainFft,
        "the planner's pick for Z_3 ≀ S_4"
    );
    let kernel = random_complex(n, rng);
    let dense = Arc::new(DenseFourier::new(chain.irreps()).expect("n ≤ DENSE_LIMIT"));
    let dense_gm = FourierGm::new(dense, &kernel).expect("kernel");
    let gm = FourierGm::new(chain, &kernel).expect("kernel");
    let x = random_complex(n, rng);
    let mut scratch = vec![Complex64::default(); dense_gm.scratch_len()];
    let mut baseline = |out: &mut [Complex64]| {
        dense_gm
            .apply_with_scratch(&x, out, &mut scratch)
            .expect("lengths");
    };
    compare(
        c,
        "chain_fft/z3_wr_s4",
        "dense_block_transform",
        &mut baseline,
        &gm,
        &x,
    );
}

/// Checks once that `baseline` and the chain FFT's GM apply agree, then times both in one
/// group.
fn compare(
    c: &mut Criterion,
    name: &str,
    baseline_name: &str,
    baseline: &mut dyn FnMut(&mut [Complex64]),
    gm: &FourierGm,
    x: &[Complex64],
) {
    let mut out = vec![Complex64::default(); x.len()];
    let mut scratch = vec![Complex64::default(); gm.scratch_len()];
    baseline(&mut out);
    assert_same(&out, &gm.apply(x).expect("lengths"), name);
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    group.bench_function(baseline_name, |b| {
        b.iter(|| {
            baseline(&mut out);
            black_box(&out);
        })
    });
    group.bench_function("chain_fft", |b| {
        b.iter(|| {
            gm.apply_with_scratch(x, &mut out, &mut scratch)
                .expect("lengths");
            black_box(&out);
        })
    });
    group.finish();
}

pub fn benches(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    s7(c, &mut rng);
    s8(c, &mut rng);
    wreath(c, &mut rng);
}
