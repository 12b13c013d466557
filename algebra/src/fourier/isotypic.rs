//! Cutting one irrep out of a module: what [`super::ModuleIrreps`] needs from a representation
//! (the [`Module`] trait, implemented by permutation modules and tensor products of built
//! irreps), the multiplicity of a character in it, the central idempotent `e_χ` applied to a
//! start vector, and the spin and split that leave one irreducible copy as generator images.

use super::generator_images::within;
use super::numerical::orthonormal_span;
use super::REP_TOLERANCE;
use crate::budget::{self, bytes_for};
use crate::group::SchreierTree;
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, SymmetricEigen};
use num_complex::Complex64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The largest isotypic component `m·χ(1)` that is spanned and split (its orthonormal basis
/// costs `N·m·χ(1)` numbers and `|S|·N·(m·χ(1))²` operations).
pub const MAX_ISOTYPIC_DIM: usize = 1024;

/// Random commutant elements tried per irrep when the spin holds more than one copy.
const SPLIT_ATTEMPTS: u64 = 8;

/// Random group elements in each self-adjoint element used to split copies.
const SPLIT_TERMS: usize = 4;

/// A unitary representation `π` of the group on `C^N`, known through how its generators
/// `s_j` (the [`SchreierTree`]'s) act, from which irreps are cut.
///
/// Besides the action, a module says its character on each class (so multiplicities
/// `⟨χ, π⟩` come from the exact table) and, for a start vector `v₀` with `e_χ v₀ ≠ 0`
/// whenever `χ` occurs in `π`, the class sums `K_k v₀ = Σ_{g ∈ C_k} π(g) v₀`: then
/// `e_χ v₀ = (d/n) Σ_k conj χ(z_k) K_k v₀` without an `N × N` matrix.
pub(crate) trait Module {
    /// A group element prepared once to act on many vectors.
    type Element;

    /// What the module is, for reports.
    fn description(&self) -> &str;

    /// The dimension `N`.
    fn dim(&self) -> usize;

    /// `tr π(z_k)` for every class `k`.
    fn character(&self) -> &[Complex64];

    /// The start vector `v₀`.
    fn start(&self) -> Vec<Complex64>;

    /// `K_k v₀` for every class `k`.
    ///
    /// # Errors
    /// [`Error::OverBudget`] when the work space does not fit the memory budget.
    fn class_sums(&self) -> Result<Vec<Vec<Complex64>>>;

    /// `π(s_j) v`.
    fn apply_generator(&self, j: usize, v: &[Complex64]) -> Vec<Complex64>;

    /// The element with index `a`, prepared by [`Module::apply`].
    fn element(&self, a: usize) -> Self::Element;

    /// `π(g) v` for a prepared element `g`.
    fn apply(&self, element: &Self::Element, v: &[Complex64]) -> Vec<Complex64>;
}

/// `⟨χ, π⟩ = (1/n) Σ_k |C_k| conj χ(z_k) π(z_k)` (`n = Σ_k |C_k|`), rounded; the value itself
/// when it is not a non-negative integer (a table that does not belong to the group).
pub(crate) fn multiplicity(
    sizes: &[usize],
    chi: &[Complex64],
    pi: &[Complex64],
) -> std::result::Result<usize, Complex64> {
    let n: usize = sizes.iter().sum();
    let value = sizes
        .iter()
        .zip(chi.iter().zip(pi))
        .map(|(&size, (x, p))| x.conj() * p * size as f64)
        .sum::<Complex64>()
        / n as f64;
    let m = value.re.round();
    if (value - m).norm() > 1e-6 || m < 0.0 {
        return Err(value);
    }
    Ok(m as usize)
}

/// A module being cut, with its class sums once they were needed.
pub(crate) struct Isotypic<'a, M: Module> {
    module: &'a M,
    class_sums: Option<Vec<Vec<Complex64>>>,
}

impl<'a, M: Module> Isotypic<'a, M> {
    /// Starts cutting `module`.
    pub(crate) fn new(module: &'a M) -> Self {
        Self {
            module,
            class_sums: None,
        }
    }

    /// The module.
    pub(crate) fn module(&self) -> &'a M {
        self.module
    }

    /// The generator images of one irreducible copy of `χ` (row `row`, degree `d`, exact
    /// values `chi`), which occurs `m ≥ 1` times in the module:
    /// 1. `c = e_χ v₀` (`v₀` itself when `m·d` is the whole module);
    /// 2. the translates of `c` span `χ ⊗ C^r` for some `1 ≤ r ≤ m` (spun under the
    ///    generators, orthonormal basis `B`);
    /// 3. if `r > 1`, a random self-adjoint `a` of the group algebra acts there as
    ///    `ρ_χ(a) ⊗ I_r`, so an eigenvector of `B* a B` for an eigenvalue of multiplicity
    ///    exactly `r` spins to one copy `W`;
    /// 4. `ρ(s) = W* π(s) W`, checked to be an invariant subspace (`‖π(s)W − Wρ(s)‖_F`).
    ///
    /// # Errors
    /// [`Error::IrrepNotBuilt`] when `m·d` is above [`MAX_ISOTYPIC_DIM`], the spin is not a
    /// multiple of `d` dimensions or no split is found; [`Error::OverBudget`] when the basis
    /// does not fit; [`Error::IrrepValidation`] when the subspace is not invariant.
    pub(crate) fn irrep<G: FiniteGroup + ?Sized>(
        &mut self,
        g: &G,
        tree: &SchreierTree,
        chi: &[Complex64],
        (row, d, m): (usize, usize, usize),
    ) -> Result<Vec<DMatrix<Complex64>>> {
        let module = self.module;
        let description = module.description();
        let not_built = |reason: String| Error::IrrepNotBuilt {
            irrep: row,
            degree: d,
            reason,
        };
        if m * d > MAX_ISOTYPIC_DIM {
            return Err(not_built(format!(
                "its isotypic component in {description}, {m} copies, has dimension {} > \
                 {MAX_ISOTYPIC_DIM}",
                m * d
            )));
        }
        budget::require(
            &format!("the isotypic component of χ_{row} in {description}"),
            bytes_for(module.dim(), 16 * (m * d) as u64),
            "offer smaller modules",
        )?;
        let column = if m * d == module.dim() {
            module.start()
        } else {
            self.idempotent_vector(chi, d, g.order())?
        };
        let generators = tree.generators().len();
        let spun = spin(module, generators, column, m * d)
            .filter(|basis| basis.len().is_multiple_of(d))
            .ok_or_else(|| {
                not_built(format!(
                    "the translates of e_χ v₀ in {description} do not span a multiple of {d} \
                     dimensions up to {m}·{d}"
                ))
            })?;
        let copies = spun.len() / d;
        let copy = if copies == 1 {
            spun
        } else {
            (0..SPLIT_ATTEMPTS)
                .find_map(|attempt| {
                    split_off_copy(g, module, generators, &spun, (copies, d), attempt)
                })
                .ok_or_else(|| {
                    not_built(format!(
                        "no random commutant element split the {copies} copies in \
                         {description} ({SPLIT_ATTEMPTS} attempts)"
                    ))
                })?
        };
        let images = restrict(module, &copy, generators);
        let tolerance = REP_TOLERANCE * (d as f64).sqrt();
        for (j, rho) in images.iter().enumerate() {
            let residual = invariance_residual(module, &copy, j, rho);
            if !within(residual, tolerance) {
                return Err(Error::IrrepValidation {
                    irrep: row,
                    degree: d,
                    check: format!(
                        "the subspace of {description} is invariant under {}",
                        g.label(tree.generators()[j])
                    ),
                    residual,
                    tolerance,
                });
            }
        }
        Ok(images)
    }

    /// `e_χ v₀ = (d/n) Σ_k conj χ(z_k) K_k v₀`, computing the class sums on first use.
    fn idempotent_vector(
        &mut self,
        chi: &[Complex64],
        d: usize,
        n: usize,
    ) -> Result<Vec<Complex64>> {
        if self.class_sums.is_none() {
            self.class_sums = Some(self.module.class_sums()?);
        }
        let sums = self.class_sums.as_deref().unwrap_or_default();
        let scale = d as f64 / n as f64;
        let mut c = vec![Complex64::default(); self.module.dim()];
        for (sum, value) in sums.iter().zip(chi) {
            let v = value.conj() * scale;
            c.iter_mut().zip(sum).for_each(|(cx, s)| *cx += v * s);
        }
        Ok(c)
    }
}

/// An orthonormal basis of the submodule generated by `start` (closed under the first
/// `generators` generators), or `None` when `start` is zero or the submodule has more than
/// `limit` dimensions.
fn spin<M: Module>(
    module: &M,
    generators: usize,
    start: Vec<Complex64>,
    limit: usize,
) -> Option<Vec<Vec<Complex64>>> {
    orthonormal_span(
        start,
        generators,
        |j, v| module.apply_generator(j, v),
        limit,
        1e-8,
    )
}

/// `m_ij = ⟨w_i, moved_j⟩`.
fn gram(w: &[Vec<Complex64>], moved: &[Vec<Complex64>]) -> DMatrix<Complex64> {
    DMatrix::from_fn(w.len(), moved.len(), |i, j| {
        w[i].iter().zip(&moved[j]).map(|(x, y)| x.conj() * y).sum()
    })
}

/// One irreducible copy inside `basis ≅ χ ⊗ C^copies`: the submodule generated by an
/// eigenvector of `B* a B` for an eigenvalue of multiplicity exactly `copies`, where
/// `a = Σ_i (c_i π(g_i) + conj(c_i) π(g_i)*)` for random `c_i` and elements `g_i`
/// (`B* π(g)* B = (B* π(g) B)*`, so no inverse is applied); `None` when this draw does not
/// give a `d`-dimensional submodule.
fn split_off_copy<G: FiniteGroup + ?Sized, M: Module>(
    g: &G,
    module: &M,
    generators: usize,
    basis: &[Vec<Complex64>],
    (copies, d): (usize, usize),
    attempt: u64,
) -> Option<Vec<Vec<Complex64>>> {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5911_7000 + attempt);
    let k = basis.len();
    let mut h = DMatrix::<Complex64>::zeros(k, k);
    for _ in 0..SPLIT_TERMS {
        let c = Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
        let element = module.element(rng.random_range(0..g.order()));
        let moved: Vec<Vec<Complex64>> = basis.iter().map(|b| module.apply(&element, b)).collect();
        let m = gram(basis, &moved);
        h += m.adjoint() * c.conj() + m * c;
    }
    let eig = SymmetricEigen::new((&h + h.adjoint()).map(|z| z * 0.5));
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[a].total_cmp(&eig.eigenvalues[b]));
    let values: Vec<f64> = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let scale = values.iter().fold(1.0f64, |s, v| s.max(v.abs()));
    // Clusters of (numerically) equal eigenvalues; the best isolated one of size `copies`.
    let mut clusters: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=k {
        if i == k || values[i] - values[i - 1] > 1e-7 * scale {
            clusters.push((start, i));
            start = i;
        }
    }
    let gap = |&(a, b): &(usize, usize)| {
        let below = if a > 0 {
            values[a] - values[a - 1]
        } else {
            f64::INFINITY
        };
        let above = if b < k {
            values[b] - values[b - 1]
        } else {
            f64::INFINITY
        };
        below.min(above)
    };
    let &(a, _) = clusters
        .iter()
        .filter(|(a, b)| b - a == copies)
        .max_by(|x, y| gap(x).total_cmp(&gap(y)))?;
    let u = eig.eigenvectors.column(order[a]);
    let mut v = vec![Complex64::default(); basis[0].len()];
    for (b, &ui) in basis.iter().zip(u.iter()) {
        v.iter_mut().zip(b).for_each(|(x, y)| *x += ui * y);
    }
    let copy = spin(module, generators, v, d)?;
    (copy.len() == d).then_some(copy)
}

/// `ρ(s_j) = W* π(s_j) W` for each of the `generators` generators.
fn restrict<M: Module>(
    module: &M,
    w: &[Vec<Complex64>],
    generators: usize,
) -> Vec<DMatrix<Complex64>> {
    (0..generators)
        .map(|j| {
            let moved: Vec<Vec<Complex64>> =
                w.iter().map(|b| module.apply_generator(j, b)).collect();
            gram(w, &moved)
        })
        .collect()
}

/// `‖π(s_j) W − W ρ(s_j)‖_F`: zero exactly when `span W` is invariant under `s_j`.
fn invariance_residual<M: Module>(
    module: &M,
    w: &[Vec<Complex64>],
    j: usize,
    rho: &DMatrix<Complex64>,
) -> f64 {
    let mut total = 0.0;
    for (col, b) in w.iter().enumerate() {
        let mut moved = module.apply_generator(j, b);
        for (i, wi) in w.iter().enumerate() {
            let c = rho[(i, col)];
            moved.iter_mut().zip(wi).for_each(|(x, y)| *x -= c * y);
        }
        total += moved.iter().map(|z| z.norm_sqr()).sum::<f64>();
    }
    total.sqrt()
}
