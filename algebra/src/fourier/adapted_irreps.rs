//! Irreps adapted to a subgroup chain `G = G_0 > G_1 > … > G_k = {e}`: bases in which the
//! restriction of every irrep of `G_i` to `G_{i+1}` is block diagonal with blocks *equal* to
//! the adapted irreps of `G_{i+1}` (`docs/theory/chain-fft.md`).

use super::generator_images::within;
use super::numerical::orthogonalise;
use super::real_form::generic_vector;
use super::{
    numerical_irreps, Branch, FsType, Irrep, IrrepConstruction, Irreps, Representation,
    REP_TOLERANCE,
};
use crate::budget::{self, bytes_for};
use crate::group::SubgroupChain;
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, DVector};
use num_complex::Complex64;

/// One level `G_i > G_{i+1}` of a chain: the irreps `ρ` of `G_i` the adaptation started from
/// ([`numerical_irreps`] of `G_i`, indexed by `G_i`'s sorted members), and per irrep the
/// unitary `U` with `ρ'(x) = U* ρ(x) U` adapted, and the blocks of `ρ'|_{G_{i+1}}`.
pub(crate) struct AdaptedLevel {
    start: Irreps,
    changes: Vec<DMatrix<Complex64>>,
    branches: Vec<Vec<Branch>>,
}

impl AdaptedLevel {
    /// The irreps `ρ` the adaptation started from (real-type ones in real orthogonal form).
    pub(crate) fn start(&self) -> &Irreps {
        &self.start
    }

    /// The starting irreps, giving up the changes of basis.
    pub(crate) fn into_start(self) -> Irreps {
        self.start
    }

    /// `U_k`, with `ρ'_k = U_k* ρ_k U_k`.
    pub(crate) fn change(&self, k: usize) -> &DMatrix<Complex64> {
        &self.changes[k]
    }

    /// The blocks of `ρ'_k|_{G_{i+1}}`, in the order of their offsets: block `b` is the
    /// adapted irrep `b.sub_irrep` of `G_{i+1}`, exactly.
    pub(crate) fn branches(&self, k: usize) -> &[Branch] {
        &self.branches[k]
    }

    /// `ρ'_k(x) = U_k* ρ_k(x) U_k` at the element of local index `x`.
    pub(crate) fn matrix(&self, k: usize, x: usize) -> DMatrix<Complex64> {
        let u = &self.changes[k];
        u.adjoint() * self.start.get(k).rep().matrix(x) * u
    }

    /// Every adapted irrep at every element (`|G_i| · Σ d²` numbers).
    pub(crate) fn adapted_irreps(&self) -> Irreps {
        let n = self.start.order();
        let irreps = (0..self.start.len())
            .map(|k| {
                let d = self.start.dims()[k];
                let mut data = Vec::with_capacity(n * d * d);
                for x in 0..n {
                    data.extend_from_slice(self.matrix(k, x).as_slice());
                }
                let fs = self.start.fs_types()[k];
                Irrep::new(Representation::from_flat(d, data), fs)
            })
            .collect();
        Irreps::from_parts(irreps, IrrepConstruction::Adapted)
    }
}

/// The irreps of every level of `chain` (a chain of `g`), adapted from the bottom up:
/// `levels[i]` holds `G_i`'s irreps adapted to `G_{i+1}`'s adapted irreps, `i = 0..k`.
///
/// For each irrep `ρ` of `G_i` (degree `d`) and adapted irrep `σ` of `H = G_{i+1}` (degree
/// `e`), the operators `P_{j1} = (e/|H|) Σ_h conj(σ(h)_{j1}) ρ(h)` satisfy
/// `ρ(h) P_{j1} = Σ_l σ(h)_{lj} P_{l1}` and `P_{j1}* P_{l1} = δ_{jl} P_{11}`, so for an
/// orthonormal basis `v_1, …, v_m` of the image of the projection `P_{11}` (of rank
/// `m = tr P_{11} = ⟨χ_ρ|_H, χ_σ⟩`, the multiplicity of `σ` in `ρ|_H`, taken from the characters
/// first so that an absent `σ` costs nothing) the vectors `P_{j1} v_c` are orthonormal and
/// `ρ(h)` acts on each copy `(P_{11} v_c, …, P_{e1} v_c)` by exactly `σ(h)`. These columns, for
/// every `σ` and copy, make the unitary `U`. Checked per irrep, each an
/// [`Error::ChainAdaptation`] when it fails: `ρ` is unitary on the generators and a
/// homomorphism on every (element, generator) pair (applied to a fixed generic vector), every
/// multiplicity is an integer equal to the trace of its `P_{11}`, the blocks fill the degree,
/// `U` is unitary, and `U* ρ(s) U = ⊕ σ(s)` on the generators of `H` (all three then hold for
/// `ρ'` on the whole groups).
///
/// # Errors
/// [`Error::OverBudget`] when the matrices of every level's irreps do not fit the memory
/// budget; those of [`numerical_irreps`]; [`Error::ChainAdaptation`] as above.
pub(crate) fn adapt_chain<G: FiniteGroup + ?Sized>(
    g: &G,
    chain: &SubgroupChain,
) -> Result<Vec<AdaptedLevel>> {
    let k = chain.len();
    // Every level's starting irreps, and one level's adapted irreps at a time (G_1's at most).
    let square = |i: usize| {
        chain
            .subgroup(i)
            .order()
            .checked_mul(chain.subgroup(i).order())
    };
    let squares = (0..k)
        .chain((k >= 2).then_some(1))
        .try_fold(0usize, |acc, i| acc.checked_add(square(i)?));
    budget::require(
        &format!(
            "the irreps of the subgroup chain of {} (every matrix stored)",
            g.name()
        ),
        squares.and_then(|s| bytes_for(s, 16)),
        "use a group with fewer elements",
    )?;
    let mut sub = trivial_irreps();
    let mut levels = Vec::with_capacity(k);
    for i in (0..k).rev() {
        let below = chain.level(g, i + 1);
        let sub_gens = below.generator_indices();
        let members = chain.subgroup(i + 1).members();
        let level = if i == 0 {
            adapt_level(g, members, &sub, &sub_gens, 0)?
        } else {
            let here = chain.level(g, i);
            let embed: Vec<usize> = members.iter().map(|&a| here.local(a)).collect();
            adapt_level(&here, &embed, &sub, &sub_gens, i)?
        };
        if i > 0 {
            sub = level.adapted_irreps();
        }
        levels.push(level);
    }
    levels.reverse();
    Ok(levels)
}

/// The one irrep of the trivial group, the bottom of every chain.
pub(crate) fn trivial_irreps() -> Irreps {
    let trivial = Irrep::new(
        Representation::from_flat(1, vec![Complex64::new(1.0, 0.0)]),
        FsType::Real,
    );
    Irreps::from_parts(vec![trivial], IrrepConstruction::Adapted)
}

/// Where a check runs: which irrep of which level.
struct Check {
    level: usize,
    irrep: usize,
    degree: usize,
}

impl Check {
    /// `Ok` when `residual ≤ tolerance`, else the typed error.
    fn within(&self, check: &str, residual: f64, tolerance: f64) -> Result<()> {
        if within(residual, tolerance) {
            Ok(())
        } else {
            Err(Error::ChainAdaptation {
                level: self.level,
                irrep: self.irrep,
                degree: self.degree,
                check: check.into(),
                residual,
                tolerance,
            })
        }
    }
}

/// Adapts the irreps of `gv` (`G_i` with local indices) to `sub`, the adapted irreps of
/// `H = G_{i+1}`, whose element `h` is `embed[h]` in `gv` and whose generators are `sub_gens`.
fn adapt_level<GV: FiniteGroup + ?Sized>(
    gv: &GV,
    embed: &[usize],
    sub: &Irreps,
    sub_gens: &[usize],
    level: usize,
) -> Result<AdaptedLevel> {
    let start = numerical_irreps(gv)?;
    let gens = gv.generator_indices();
    let mut changes = Vec::with_capacity(start.len());
    let mut branches = Vec::with_capacity(start.len());
    for (irrep, r) in start.irreps().iter().enumerate() {
        let rho = r.rep();
        let d = rho.dim();
        let check = Check {
            level,
            irrep,
            degree: d,
        };
        let tolerance = REP_TOLERANCE * (d as f64).sqrt();
        check_representation(gv, &gens, rho, &check, tolerance)?;
        let (u, blocks) = intertwiner(rho, embed, sub, &check, tolerance)?;
        let identity = DMatrix::<Complex64>::identity(d, d);
        check.within(
            "U unitary",
            (u.adjoint() * &u - &identity).norm(),
            tolerance,
        )?;
        for &s in sub_gens {
            let mut expected = DMatrix::<Complex64>::zeros(d, d);
            for b in &blocks {
                expected
                    .view_mut((b.offset, b.offset), (b.dim, b.dim))
                    .copy_from(&sub.get(b.sub_irrep).rep().matrix(s));
            }
            let got = u.adjoint() * rho.matrix(embed[s]) * &u;
            check.within(
                &format!(
                    "U* ρ(s) U = ⊕ σ(s) for the generator of G_{} at {s}",
                    level + 1
                ),
                (got - expected).norm(),
                tolerance,
            )?;
        }
        changes.push(u);
        branches.push(blocks);
    }
    Ok(AdaptedLevel {
        start,
        changes,
        branches,
    })
}

/// Checks that `ρ` is unitary on the generators and `ρ(a)ρ(s)v = ρ(a·s)v` for every element
/// `a`, generator `s` and a fixed generic unit vector `v` (`n·|S|·d²` operations).
fn check_representation<GV: FiniteGroup + ?Sized>(
    gv: &GV,
    gens: &[usize],
    rho: &Representation,
    check: &Check,
    tolerance: f64,
) -> Result<()> {
    let d = rho.dim();
    let identity = DMatrix::<Complex64>::identity(d, d);
    let mut v = generic_vector(d);
    v /= Complex64::new(v.norm(), 0.0);
    let moved: Vec<DVector<Complex64>> = (0..gv.order()).map(|a| rho.matrix(a) * &v).collect();
    for &s in gens {
        let m = rho.matrix(s);
        check.within(
            &format!("ρ({}) unitary", gv.label(s)),
            (m * m.adjoint() - &identity).norm(),
            tolerance,
        )?;
        let sv = &moved[s];
        let worst = (0..gv.order())
            .map(|a| (rho.matrix(a) * sv - &moved[gv.mul_idx(a, s)]).norm())
            .fold(0.0, f64::max);
        check.within(
            &format!("ρ(a)ρ({s}) = ρ(a·{s}) on every a", s = gv.label(s)),
            worst,
            tolerance,
        )?;
    }
    Ok(())
}

/// The unitary `U` whose columns are, for every adapted irrep `σ` of `H` in order and every
/// copy `c` of `σ` in `ρ|_H`, the vectors `P_{11} v_c, …, P_{e1} v_c` (see [`adapt_chain`]),
/// with the blocks they form.
fn intertwiner(
    rho: &Representation,
    embed: &[usize],
    sub: &Irreps,
    check: &Check,
    tolerance: f64,
) -> Result<(DMatrix<Complex64>, Vec<Branch>)> {
    let d = rho.dim();
    let order = embed.len() as f64;
    let chi: Vec<Complex64> = embed.iter().map(|&x| rho.matrix(x).trace()).collect();
    let mut columns: Vec<DVector<Complex64>> = Vec::with_capacity(d);
    let mut blocks = Vec::new();
    for (s, sigma) in sub.irreps().iter().enumerate() {
        let e = sigma.dim();
        // m = ⟨χ_ρ|_H, χ_σ⟩ from the characters, before any projection is formed.
        let inner: Complex64 = sigma
            .rep()
            .character()
            .iter()
            .zip(&chi)
            .map(|(cs, cr)| cs.conj() * cr)
            .sum::<Complex64>()
            / order;
        let multiplicity = inner.re.round();
        check.within(
            &format!("the multiplicity of sub-irrep {s} in the restriction is an integer"),
            (inner - multiplicity).norm(),
            tolerance,
        )?;
        if multiplicity < 0.5 {
            continue;
        }
        let weight = Complex64::new(e as f64 / order, 0.0);
        // P_{j1} M = (e/|H|) Σ_h conj(σ(h)_{j1}) ρ(h) M for j = 1..rows (M = I when `None`).
        let project = |m: Option<&DMatrix<Complex64>>, rows: usize| -> Vec<DMatrix<Complex64>> {
            let cols = m.map_or(d, DMatrix::ncols);
            let mut out = vec![DMatrix::<Complex64>::zeros(d, cols); rows];
            for (h, &x) in embed.iter().enumerate() {
                let sh = sigma.rep().matrix(h);
                let y = match m {
                    Some(m) => rho.matrix(x) * m,
                    None => rho.matrix(x).into_owned(),
                };
                for (j, o) in out.iter_mut().enumerate() {
                    let c = sh[(j, 0)].conj();
                    if c != Complex64::default() {
                        o.zip_apply(&y, |a, b| *a += c * b);
                    }
                }
            }
            out.iter_mut().for_each(|o| *o *= weight);
            out
        };
        let p11 = project(None, 1).remove(0);
        check.within(
            &format!("tr P_11 is the multiplicity of sub-irrep {s}"),
            (p11.trace().re - multiplicity).abs(),
            tolerance,
        )?;
        let v = image_basis(&p11, multiplicity as usize, check, tolerance)?;
        let copies = project(Some(&v), e);
        for c in 0..v.ncols() {
            blocks.push(Branch {
                sub_irrep: s,
                offset: columns.len(),
                dim: e,
            });
            columns.extend(copies.iter().map(|w| w.column(c).into_owned()));
        }
    }
    check.within(
        "the blocks of the restriction fill the degree",
        columns.len().abs_diff(d) as f64,
        0.0,
    )?;
    Ok((DMatrix::from_columns(&columns), blocks))
}

/// An orthonormal basis of the image of the projection `p` of rank `m`: Gram–Schmidt on its
/// columns, each time the one with the largest remaining norm (at least `√(1/d)` for a
/// projection, since the remaining traces sum to the remaining rank). Real and equal to the
/// standard basis vectors where `p` is.
fn image_basis(
    p: &DMatrix<Complex64>,
    m: usize,
    check: &Check,
    tolerance: f64,
) -> Result<DMatrix<Complex64>> {
    let d = p.nrows();
    let mut q: Vec<Vec<Complex64>> = Vec::with_capacity(m);
    for _ in 0..m {
        let mut best: Option<(f64, Vec<Complex64>)> = None;
        for c in 0..d {
            let mut v: Vec<Complex64> = p.column(c).iter().copied().collect();
            let norm = orthogonalise(&q, &mut v);
            if best.as_ref().is_none_or(|(b, _)| norm > *b) {
                best = Some((norm, v));
            }
        }
        let (norm, v) = best.expect("d ≥ 1");
        let floor = (1.0 / d as f64).sqrt() - tolerance;
        check.within(
            "P_11 is a projection of its traced rank",
            (floor - norm).max(0.0),
            0.0,
        )?;
        q.push(v.into_iter().map(|z| z / norm).collect());
    }
    Ok(DMatrix::from_fn(d, m, |i, c| q[c][i]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::{Dihedral, PermutationGroup, SubgroupChain};

    /// Every level's adapted irreps restrict to the next level's adapted irreps exactly, block
    /// by block, on every element of the subgroup.
    fn assert_adapted<G: FiniteGroup + ?Sized>(g: &G, chain: &SubgroupChain) {
        let levels = adapt_chain(g, chain).unwrap();
        for (i, pair) in levels.windows(2).enumerate() {
            let (top, below) = (&pair[0], &pair[1]);
            let sub = below.adapted_irreps();
            let here = chain.subgroup(i).members();
            for (h, &a) in chain.subgroup(i + 1).members().iter().enumerate() {
                let x = here.binary_search(&a).unwrap();
                for k in 0..top.start().len() {
                    let m = top.matrix(k, x);
                    let d = m.nrows();
                    let mut expected = DMatrix::<Complex64>::zeros(d, d);
                    for b in top.branches(k) {
                        expected
                            .view_mut((b.offset, b.offset), (b.dim, b.dim))
                            .copy_from(&sub.get(b.sub_irrep).rep().matrix(h));
                    }
                    assert!(
                        (m - expected).norm() < 1e-9,
                        "level {i}, irrep {k}, element {a}"
                    );
                }
            }
        }
    }

    #[test]
    fn restrictions_are_block_sums_of_the_adapted_irreps_below() {
        let d6 = Dihedral::new(6).unwrap();
        assert_adapted(
            &d6,
            &SubgroupChain::from_generators(&d6, &[vec![1], vec![2]]).unwrap(),
        );
        let s4 = PermutationGroup::from_spec("(1,2);(1,2,3,4)").unwrap();
        assert_adapted(&s4, &SubgroupChain::stabiliser_chain(&s4));
        // Z3 ≀ Z2: complex sub-irreps inside real-type irreps
        let w = PermutationGroup::from_spec("(1,2,3);(1,4)(2,5)(3,6)").unwrap();
        assert_adapted(&w, &SubgroupChain::stabiliser_chain(&w));
    }
}
