//! Irreps of any finite group from its multiplication alone (Dixon–Schneider characters, then
//! one irreducible subspace of the regular representation per character).

use super::real_form::{generic_vector, takagi_change};
use super::{FsType, Irrep, IrrepConstruction, Irreps, Representation};
use crate::group::ConjugacyClasses;
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, DVector, SymmetricEigen};
use num_complex::Complex64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::f64::consts::TAU;

/// Random restarts before giving up (each restart draws new random class and group-algebra
/// elements; a failure needs an unlucky draw).
const ATTEMPTS: u64 = 6;

/// Largest order for which the multiplication table is built locally (`n²` `u32`s: 144 MB).
const TABLE_LIMIT: usize = 6000;

/// The multiplication and inverses of a group as local tables.
struct Mul<'a, G: ?Sized> {
    g: &'a G,
    n: usize,
    table: Option<Vec<u32>>,
    inv: Vec<usize>,
}

impl<'a, G: FiniteGroup + ?Sized> Mul<'a, G> {
    /// The table is built from `n·|S|` group products only: along a breadth-first spanning
    /// tree of the Cayley graph (`b = parent(b)·s`), `a·b = (a·parent(b))·s`.
    fn new(g: &'a G, gens: &[usize]) -> Self {
        let n = g.order();
        let table = (n <= TABLE_LIMIT).then(|| {
            let right: Vec<Vec<u32>> = gens
                .iter()
                .map(|&s| (0..n).map(|a| g.mul_idx(a, s) as u32).collect())
                .collect();
            let mut tree = Vec::with_capacity(n);
            let mut seen = vec![false; n];
            seen[0] = true;
            let mut queue = std::collections::VecDeque::from([0usize]);
            while let Some(x) = queue.pop_front() {
                for (k, r) in right.iter().enumerate() {
                    let y = r[x] as usize;
                    if !seen[y] {
                        seen[y] = true;
                        tree.push((y, x, k));
                        queue.push_back(y);
                    }
                }
            }
            let mut t = vec![0u32; n * n];
            for a in 0..n {
                let row = &mut t[a * n..(a + 1) * n];
                row[0] = a as u32;
                for &(b, parent, k) in &tree {
                    row[b] = right[k][row[parent] as usize];
                }
            }
            t
        });
        Self {
            g,
            n,
            table,
            inv: (0..n).map(|a| g.inv_idx(a)).collect(),
        }
    }
    #[inline]
    fn mul(&self, a: usize, b: usize) -> usize {
        match &self.table {
            Some(t) => t[a * self.n + b] as usize,
            None => self.g.mul_idx(a, b),
        }
    }
}

/// A complete set of irreps of any finite group, computed from its multiplication:
///
/// 1. characters (Dixon–Schneider) over the [`ConjugacyClasses`]: the central characters `ω_χ(K_c) = |C_c| χ(g_c)/χ(1)` are
///    the eigenvalues of multiplication by a random self-adjoint central element `z = Σ t_c K_c`
///    on the centre of the group algebra; in the orthonormal basis `K_c/√|C_c|` that operator is
///    an `r×r` Hermitian matrix (r = number of classes) whose eigenvectors are
///    `√|C_c| · conj(χ(g_c))` up to scale;
/// 2. per character of degree `d > 1`: a vector `e_χ` of its isotypic component of the
///    left-regular representation; an eigenvector, within the Krylov space of `e_χ`, of right
///    convolution by a random self-adjoint `h` (which commutes with the left action); the span
///    of its left translates is one irreducible copy, with an orthonormal basis `B`, and
///    `ρ(g) = B* λ(g) B` (generators directly, other elements along a spanning tree);
/// 3. linear characters are snapped to exact roots of unity; real-type irreps are turned into
///    real orthogonal form (as in [`super::real_orthogonal_form`], on the generators).
///
/// Irreps come sorted by degree, the trivial one first. Cost about `O(n·r + r³ + Σ_ρ n d_ρ³)`.
///
/// # Errors
/// [`Error::InvalidParameter`] if no random draw separates the characters (not expected for a
/// valid group).
///
/// # Example
/// ```
/// use gm_algebra::fourier::numerical_irreps;
/// use gm_algebra::group::Dihedral;
/// let irr = numerical_irreps(&Dihedral::new(4).unwrap()).unwrap();
/// assert_eq!(irr.dims(), &[1, 1, 1, 1, 2]);
/// ```
pub fn numerical_irreps<G: FiniteGroup + ?Sized>(g: &G) -> Result<Irreps> {
    let gens = g.generator_indices();
    let m = Mul::new(g, &gens);
    let cl = ConjugacyClasses::compute(g);
    let class_of = cl.labels();
    let reps: Vec<usize> = (0..cl.count()).map(|c| cl.members(c)[0]).collect();
    for attempt in 0..ATTEMPTS {
        let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0000 + attempt);
        let Some(chars) = class_characters(&m, class_of, &reps, &mut rng) else {
            continue;
        };
        let built: Option<Vec<Irrep>> = chars
            .iter()
            .map(|(d, chi)| build_irrep(&m, &gens, class_of, &reps, *d, chi, &mut rng))
            .collect();
        if let Some(irreps) = built {
            return Ok(Irreps::from_parts(irreps, IrrepConstruction::Numerical));
        }
    }
    Err(Error::InvalidParameter {
        family: format!("numerical irreps of {}", g.name()),
        reason: format!("no random draw separated the characters in {ATTEMPTS} attempts"),
    })
}

/// The irreducible characters per class with their degrees, sorted (degree, trivial first), or
/// `None` if this draw failed to separate them.
fn class_characters<G: FiniteGroup + ?Sized>(
    m: &Mul<'_, G>,
    class_of: &[usize],
    reps: &[usize],
    rng: &mut ChaCha8Rng,
) -> Option<Vec<(usize, Vec<Complex64>)>> {
    let n = m.n;
    let r = reps.len();
    let mut size = vec![0usize; r];
    for &c in class_of {
        size[c] += 1;
    }
    let inv_class: Vec<usize> = reps.iter().map(|&a| class_of[m.inv[a]]).collect();
    let mut t = vec![Complex64::default(); r];
    for c in 1..r {
        let ci = inv_class[c];
        if ci == c {
            t[c] = Complex64::new(rng.random_range(-1.0..1.0), 0.0);
        } else if ci > c {
            t[c] = Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
            t[ci] = t[c].conj();
        }
    }
    // z·K_l = Σ_k Z[k,l] K_k with Z[k,l] = Σ_x t(x) [x⁻¹ z_k ∈ C_l].
    let mut z = DMatrix::<Complex64>::zeros(r, r);
    for (k, &zk) in reps.iter().enumerate() {
        for x in 0..n {
            let l = class_of[m.mul(m.inv[x], zk)];
            z[(k, l)] += t[class_of[x]];
        }
    }
    let sqrt_size: Vec<f64> = size.iter().map(|&s| (s as f64).sqrt()).collect();
    let mut hm = DMatrix::<Complex64>::zeros(r, r);
    for k in 0..r {
        for l in 0..r {
            hm[(k, l)] = z[(k, l)] * (sqrt_size[k] / sqrt_size[l]);
        }
    }
    let hm = (&hm + hm.adjoint()).map(|z| z * 0.5);
    let scale = hm.norm().max(1.0);
    let eig = SymmetricEigen::new(hm);
    let mut ev: Vec<f64> = eig.eigenvalues.iter().copied().collect();
    ev.sort_by(f64::total_cmp);
    if ev.windows(2).any(|w| w[1] - w[0] < 1e-6 * scale) {
        return None;
    }
    let mut out = Vec::with_capacity(r);
    let mut total = 0;
    for col in eig.eigenvectors.column_iter() {
        let u0 = col[0];
        let d_real = u0.norm() * (n as f64).sqrt();
        let d = d_real.round() as usize;
        if d == 0 || (d_real - d as f64).abs() > 1e-4 {
            return None;
        }
        total += d * d;
        let chi: Vec<Complex64> = (0..r)
            .map(|l| (col[l] / (u0 * sqrt_size[l]) * d as f64).conj())
            .collect();
        out.push((d, chi));
    }
    if total != n {
        return None;
    }
    let is_trivial = |chi: &[Complex64]| chi.iter().all(|z| (z - 1.0).norm() < 1e-6);
    out.sort_by_key(|(d, chi)| (*d, !is_trivial(chi)));
    Some(out)
}

/// One irrep with the given character (per class), or `None` if the random draw failed.
fn build_irrep<G: FiniteGroup + ?Sized>(
    m: &Mul<'_, G>,
    gens: &[usize],
    class_of: &[usize],
    reps: &[usize],
    d: usize,
    chi_class: &[Complex64],
    rng: &mut ChaCha8Rng,
) -> Option<Irrep> {
    let n = m.n;
    let chi: Vec<Complex64> = class_of.iter().map(|&c| chi_class[c]).collect();
    let nu: Complex64 = (0..n).map(|a| chi[m.mul(a, a)]).sum::<Complex64>() / n as f64;
    let fs = FsType::from_indicator(nu.re);
    if d == 1 {
        let data: Vec<Complex64> = (0..n).map(|a| snap_root_of_unity(m, a, chi[a])).collect();
        let fs = if data.iter().all(|z| z.im == 0.0) {
            FsType::Real
        } else {
            FsType::Complex
        };
        return Some(Irrep::new(Representation::from_flat(1, data), fs));
    }
    let basis = irreducible_subspace(m, gens, &chi, d, rng)?;
    let mut gen_mats = generator_matrices(m, gens, &basis, d);
    if fs == FsType::Real {
        gen_mats = real_generators(m, gens, &gen_mats, d)?;
    }
    let rep = Representation::from_generator_images(m.n, gens, &gen_mats, d, |a, b| m.mul(a, b));
    let err = (0..reps.len())
        .map(|c| (rep.matrix(reps[c]).trace() - chi_class[c]).norm())
        .fold(0.0, f64::max);
    (err <= 1e-6).then(|| Irrep::new(rep, fs))
}

/// The root of unity of order dividing `ord(g_a)` nearest to `z` (exactly `±1` when real).
fn snap_root_of_unity<G: FiniteGroup + ?Sized>(
    m: &Mul<'_, G>,
    a: usize,
    z: Complex64,
) -> Complex64 {
    let (mut o, mut x) = (1, a);
    while x != 0 {
        x = m.mul(x, a);
        o += 1;
    }
    let k = ((z.arg() / TAU * o as f64).round() as i64).rem_euclid(o as i64) as usize;
    if k == 0 {
        Complex64::new(1.0, 0.0)
    } else if 2 * k == o {
        Complex64::new(-1.0, 0.0)
    } else {
        Complex64::from_polar(1.0, TAU * k as f64 / o as f64)
    }
}

/// Orthogonalises `v` against the orthonormal columns `q` (twice, for stability); returns the
/// remaining norm.
pub(super) fn orthogonalise(q: &[Vec<Complex64>], v: &mut [Complex64]) -> f64 {
    for _ in 0..2 {
        for b in q {
            let dot: Complex64 = b.iter().zip(v.iter()).map(|(x, y)| x.conj() * y).sum();
            v.iter_mut().zip(b).for_each(|(y, x)| *y -= dot * x);
        }
    }
    v.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt()
}

/// An orthonormal basis of the span of `start` and its images under every word in the maps
/// `act(0, ·), …, act(actions − 1, ·)` (the smallest subspace holding `start` that they
/// preserve), by Gram–Schmidt on the images of each basis vector in turn; an image whose
/// remaining norm is at most `tolerance` adds nothing. `None` when `start` is zero or the span
/// exceeds `limit` dimensions.
pub(super) fn orthonormal_span(
    start: Vec<Complex64>,
    actions: usize,
    mut act: impl FnMut(usize, &[Complex64]) -> Vec<Complex64>,
    limit: usize,
    tolerance: f64,
) -> Option<Vec<Vec<Complex64>>> {
    let mut first = start;
    let norm = orthogonalise(&[], &mut first);
    if norm < 1e-10 {
        return None;
    }
    first.iter_mut().for_each(|z| *z /= norm);
    let mut basis = vec![first];
    let mut i = 0;
    while i < basis.len() {
        for j in 0..actions {
            let mut v = act(j, &basis[i]);
            let rest = orthogonalise(&basis, &mut v);
            if rest > tolerance {
                if basis.len() == limit {
                    return None;
                }
                v.iter_mut().for_each(|z| *z /= rest);
                basis.push(v);
            }
        }
        i += 1;
    }
    Some(basis)
}

/// An orthonormal basis (`d` vectors of length `n`) of one irreducible subspace of the
/// left-regular representation with character `chi`, or `None` on an unlucky draw.
fn irreducible_subspace<G: FiniteGroup + ?Sized>(
    m: &Mul<'_, G>,
    gens: &[usize],
    chi: &[Complex64],
    d: usize,
    rng: &mut ChaCha8Rng,
) -> Option<Vec<Vec<Complex64>>> {
    let n = m.n;
    // A random self-adjoint h (h(s⁻¹) = conj h(s)) on a small support; right convolution
    // (Tφ)(g) = Σ_s h(s) φ(g s⁻¹) commutes with the left-regular action.
    let mut h = vec![Complex64::default(); n];
    let extra: Vec<usize> = (0..8).map(|_| rng.random_range(0..n)).collect();
    for s in gens.iter().copied().chain(extra) {
        let c = Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
        h[s] += c;
        h[m.inv[s]] += c.conj();
    }
    let support: Vec<(usize, Complex64)> = (0..n)
        .filter(|&s| h[s].norm() > 0.0)
        .map(|s| (m.inv[s], h[s]))
        .collect();
    let apply_t = |phi: &[Complex64]| -> Vec<Complex64> {
        (0..n)
            .map(|g| support.iter().map(|&(si, c)| c * phi[m.mul(g, si)]).sum())
            .collect()
    };
    // Krylov space of the isotypic vector e_χ ∝ conj(χ) under T (Arnoldi).
    let mut first: Vec<Complex64> = chi.iter().map(|z| z.conj()).collect();
    let norm = orthogonalise(&[], &mut first);
    first.iter_mut().for_each(|z| *z /= norm);
    let mut q = vec![first];
    while q.len() < d {
        let mut v = apply_t(q.last().expect("non-empty"));
        let before = orthogonalise(&[], &mut v.clone());
        let after = orthogonalise(&q, &mut v);
        if after <= 1e-9 * before.max(1e-300) {
            break;
        }
        v.iter_mut().for_each(|z| *z /= after);
        q.push(v);
    }
    let k = q.len();
    let tq: Vec<Vec<Complex64>> = q.iter().map(|v| apply_t(v)).collect();
    let hk = DMatrix::<Complex64>::from_fn(k, k, |i, j| {
        q[i].iter().zip(&tq[j]).map(|(a, b)| a.conj() * b).sum()
    });
    let eig = SymmetricEigen::new((&hk + hk.adjoint()).map(|z| z * 0.5));
    let ev = &eig.eigenvalues;
    let isolation = |i: usize| {
        (0..k)
            .filter(|&j| j != i)
            .map(|j| (ev[i] - ev[j]).abs())
            .fold(f64::INFINITY, f64::min)
    };
    let best = (0..k).max_by(|&a, &b| isolation(a).total_cmp(&isolation(b)))?;
    let u = eig.eigenvectors.column(best);
    let mut y = vec![Complex64::default(); n];
    for (qi, &ui) in q.iter().zip(u.iter()) {
        y.iter_mut().zip(qi).for_each(|(a, b)| *a += ui * b);
    }
    // The span of the left translates of y: close under the generators.
    let translate = |k: usize, v: &[Complex64]| -> Vec<Complex64> {
        let si = m.inv[gens[k]];
        (0..n).map(|g| v[m.mul(si, g)]).collect()
    };
    let basis = orthonormal_span(y, gens.len(), translate, d, 1e-6)?;
    (basis.len() == d).then_some(basis)
}

/// `ρ(s) = B* λ(s) B` for each generator `s`, for an invariant orthonormal basis `B`.
fn generator_matrices<G: FiniteGroup + ?Sized>(
    m: &Mul<'_, G>,
    gens: &[usize],
    basis: &[Vec<Complex64>],
    d: usize,
) -> Vec<DMatrix<Complex64>> {
    gens.iter()
        .map(|&s| {
            let si = m.inv[s];
            DMatrix::from_fn(d, d, |i, j| {
                (0..m.n)
                    .map(|g| basis[i][g].conj() * basis[j][m.mul(si, g)])
                    .sum()
            })
        })
        .collect()
}

/// A breadth-first spanning tree of the Cayley graph from the identity with left edges:
/// `(y, x, k)` with `y = gens[k] · x`, in visiting order.
fn left_spanning_tree<G: FiniteGroup + ?Sized>(
    m: &Mul<'_, G>,
    gens: &[usize],
) -> Vec<(usize, usize, usize)> {
    let mut seen = vec![false; m.n];
    seen[0] = true;
    let mut tree = Vec::with_capacity(m.n);
    let mut queue = std::collections::VecDeque::from([0usize]);
    while let Some(x) = queue.pop_front() {
        for (k, &s) in gens.iter().enumerate() {
            let y = m.mul(s, x);
            if !seen[y] {
                seen[y] = true;
                tree.push((y, x, k));
                queue.push_back(y);
            }
        }
    }
    tree
}

/// For generator matrices of an irrep of real type, the same irrep in real orthogonal form:
/// `S = Σ_g w_g w_gᵀ` with `w_{s·x} = conj(ρ(s)) w_x` (a left spanning tree, `O(n d²)`), then
/// the Takagi change of basis `V` of [`real_orthogonal_form`] applied to the generators.
fn real_generators<G: FiniteGroup + ?Sized>(
    m: &Mul<'_, G>,
    gens: &[usize],
    gen_mats: &[DMatrix<Complex64>],
    d: usize,
) -> Option<Vec<DMatrix<Complex64>>> {
    let conj: Vec<DMatrix<Complex64>> = gen_mats.iter().map(|a| a.map(|z| z.conj())).collect();
    let mut w = vec![DVector::<Complex64>::zeros(d); m.n];
    w[0] = generic_vector(d);
    let mut s = &w[0] * w[0].transpose();
    for (y, x, k) in left_spanning_tree(m, gens) {
        w[y] = &conj[k] * &w[x];
        s += &w[y] * w[y].transpose();
    }
    let v = takagi_change(s).ok()?;
    gen_mats
        .iter()
        .map(|a| {
            let r = v.adjoint() * a * &v;
            r.iter()
                .all(|z| z.im.abs() < 1e-8)
                .then(|| r.map(|z| Complex64::new(z.re, 0.0)))
        })
        .collect()
}
