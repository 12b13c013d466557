//! Irreps of groups too large for the regular representation: each irreducible character `χ`
//! of the exact table cuts its isotypic component out of a small permutation module with the
//! central idempotent `e_χ`, one irreducible copy is split off, and the result is stored as
//! generator images and validated.

use super::generator_images::{within, GeneratorImages, Validation};
use super::numerical::orthogonalise;
use super::permutation_action::PermutationAction;
use super::{FsType, REP_TOLERANCE};
use crate::budget::{self, bytes_for};
use crate::character::CharacterTable;
use crate::group::{ConjugacyClasses, SchreierTree};
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, SymmetricEigen};
use num_complex::Complex64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The largest isotypic component `m·χ(1)` that is spanned and split (its orthonormal basis
/// costs `N·m·χ(1)` numbers and `|S|·N·(m·χ(1))²` operations).
pub const MAX_ISOTYPIC_DIM: usize = 1024;

/// Random commutant elements tried per irrep when the multiplicity is above 1.
const SPLIT_ATTEMPTS: u64 = 8;

/// One irrep built from a permutation module.
#[derive(Debug, Clone)]
pub struct ModuleIrrep {
    row: usize,
    images: GeneratorImages,
    fs: FsType,
    validation: Validation,
    module: String,
    multiplicity: usize,
}

impl ModuleIrrep {
    /// Its row in the character table.
    pub fn row(&self) -> usize {
        self.row
    }

    /// The generator images.
    pub fn images(&self) -> &GeneratorImages {
        &self.images
    }

    /// The degree.
    pub fn dim(&self) -> usize {
        self.images.dim()
    }

    /// The Frobenius–Schur type (from the exact table).
    pub fn fs_type(&self) -> FsType {
        self.fs
    }

    /// What the validation measured.
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// The permutation module it was cut from, and its multiplicity there.
    pub fn source(&self) -> (&str, usize) {
        (&self.module, self.multiplicity)
    }
}

/// The irreps of a group cut out of permutation modules, one outcome per row of the character
/// table: the validated irrep, or the typed error saying why it is missing
/// ([`Error::IrrepNotBuilt`], [`Error::IrrepValidation`], [`Error::OverBudget`]).
///
/// For each character `χ` of degree `d` and each transitive action on `N` points with point
/// stabiliser `H`, the column `c = e_χ δ_0` of the central idempotent
/// `e_χ = (d/n) Σ_g conj χ(g) π(g)` is read off one pass over the group
/// (`c[x] = (d/n) Σ_{g·0 = x} conj χ(g)`), the multiplicity of `χ` is
/// `m = ⟨χ|_H, 1⟩ = N c[0] / d`, and the module with the smallest `m·d` is used:
/// 1. the translates of `c` span the isotypic component `e_χ C^N ≅ χ^{⊕m}` (spun under the
///    generators, orthonormal basis `B`);
/// 2. if `m = 1` that is the irrep; otherwise a random self-adjoint element `a` of the group
///    algebra acts on it as `ρ_χ(a) ⊗ I_m`, so an eigenvector of `B* a B` for an eigenvalue
///    of multiplicity exactly `m` spins to one irreducible copy `W`;
/// 3. `ρ(s) = W* π(s) W`, checked to be an invariant subspace (`‖π(s)W − Wρ(s)‖`), then
///    validated by [`GeneratorImages::validate`] against the exact character.
///
/// Linear characters are their own images (`ρ(s) = χ(s)`); a character no module contains
/// that is `ψ·λ` for a built `ψ` and a linear `λ` is built as `ψ ⊗ λ` (e.g. the sign twists
/// of `S_n`, which no permutation module on cosets of a subgroup with odd elements holds).
///
/// # Example
/// ```
/// use gm_algebra::character::CharacterTable;
/// use gm_algebra::fourier::{ModuleIrreps, PermutationAction};
/// use gm_algebra::group::{Alternating, ConjugacyClasses};
/// use gm_algebra::FiniteGroup;
/// let a5 = Alternating::new(5).unwrap();
/// let classes = ConjugacyClasses::compute(&a5);
/// let table = CharacterTable::compute(&a5, &classes).unwrap();
/// let gens = a5.generator_indices();
/// let actions = PermutationAction::candidates(&a5, &classes, &gens, 60).unwrap();
/// let irreps = ModuleIrreps::build(&a5, &classes, &table, &actions).unwrap();
/// assert!(irreps.is_complete());
/// let dims: Vec<usize> = irreps.built().map(|r| r.dim()).collect();
/// assert_eq!(dims, [1, 3, 3, 4, 5]);
/// ```
#[derive(Debug, Clone)]
pub struct ModuleIrreps {
    tree: Arc<SchreierTree>,
    outcomes: Vec<Result<ModuleIrrep>>,
}

/// One action with, per class `k` and point `x`, `#{g ∈ C_k : g·0 = x}`.
struct Counted<'a> {
    action: &'a PermutationAction,
    counts: Vec<Vec<u32>>,
}

impl ModuleIrreps {
    /// Builds every irrep of `g` (one per row of `table`, over `classes`) from the given
    /// transitive actions, whose generator images follow `g.generator_indices()`.
    ///
    /// # Errors
    /// Those of [`SchreierTree::new`]; [`Error::OverBudget`] when the per-class counts of an
    /// action do not fit; [`Error::ShapeMismatch`] when an action's generators, the table and
    /// the classes disagree. Failures of single irreps are outcomes, not errors.
    pub fn build<G: FiniteGroup + ?Sized>(
        g: &G,
        classes: &ConjugacyClasses,
        table: &CharacterTable,
        actions: &[PermutationAction],
    ) -> Result<Self> {
        let n = g.order();
        let r = classes.count();
        if table.values().len() != r || table.order() != n {
            return Err(Error::ShapeMismatch {
                what: "character table rows (one per class)".into(),
                expected: r,
                got: table.values().len(),
            });
        }
        let tree = Arc::new(SchreierTree::new(g, &g.generator_indices())?);
        let counted = actions
            .iter()
            .map(|action| count_classes(g, classes, &tree, action))
            .collect::<Result<Vec<_>>>()?;
        let chars = table.complex_values();
        let degrees = table.degrees();
        let validated = |row: usize, (images, module, multiplicity): Source| {
            let validation = images.validate(g, classes, &chars[row], row)?;
            Ok(ModuleIrrep {
                row,
                images,
                fs: table.fs_types()[row],
                validation,
                module,
                multiplicity,
            })
        };
        let mut outcomes: Vec<Result<ModuleIrrep>> = degrees
            .iter()
            .enumerate()
            .map(|(row, &d)| {
                let built = if d == 1 {
                    Ok(linear_images(classes, &tree, &chars[row]))
                } else {
                    build_one(g, &tree, &counted, &chars[row], d, row)
                };
                built.and_then(|source| validated(row, source))
            })
            .collect();
        // ψ ⊗ λ for a built ψ and a linear λ reaches characters no permutation module holds
        // (e.g. the sign twists of S_n).
        for row in 0..outcomes.len() {
            if outcomes[row].is_ok() {
                continue;
            }
            let twist = outcomes.iter().flatten().find_map(|psi| {
                outcomes
                    .iter()
                    .flatten()
                    .find(|lambda| {
                        lambda.dim() == 1
                            && psi.dim() == degrees[row]
                            && (0..classes.count()).all(|k| {
                                let value = chars[psi.row][k] * chars[lambda.row][k];
                                (value - chars[row][k]).norm() < 1e-9
                            })
                    })
                    .map(|lambda| (psi, lambda))
            });
            if let Some((psi, lambda)) = twist {
                let images = psi
                    .images
                    .images()
                    .iter()
                    .zip(lambda.images.images())
                    .map(|(m, l)| m * l[(0, 0)])
                    .collect();
                let module = format!("χ_{} ⊗ χ_{}", psi.row, lambda.row);
                outcomes[row] = GeneratorImages::new(Arc::clone(&tree), images)
                    .and_then(|images| validated(row, (images, module, 1)));
            }
        }
        Ok(Self { tree, outcomes })
    }

    /// One outcome per row of the character table.
    pub fn outcomes(&self) -> &[Result<ModuleIrrep>] {
        &self.outcomes
    }

    /// The irreps that were built and validated, in table order.
    pub fn built(&self) -> impl Iterator<Item = &ModuleIrrep> {
        self.outcomes.iter().filter_map(|o| o.as_ref().ok())
    }

    /// Why the others were not.
    pub fn failures(&self) -> impl Iterator<Item = &Error> {
        self.outcomes.iter().filter_map(|o| o.as_ref().err())
    }

    /// Whether every irrep was built.
    pub fn is_complete(&self) -> bool {
        self.outcomes.iter().all(Result::is_ok)
    }

    /// The Schreier tree shared by all the irreps.
    pub fn tree(&self) -> &Arc<SchreierTree> {
        &self.tree
    }
}

/// Generator images, the module they were cut from and the multiplicity there.
type Source = (GeneratorImages, String, usize);

/// A linear character as a representation: `ρ(s_j) = χ(s_j)`, read off the table.
fn linear_images(
    classes: &ConjugacyClasses,
    tree: &Arc<SchreierTree>,
    chi: &[Complex64],
) -> Source {
    let images = tree
        .generators()
        .iter()
        .map(|&s| DMatrix::from_element(1, 1, chi[classes.class_of(s)]))
        .collect();
    let images =
        GeneratorImages::new(Arc::clone(tree), images).expect("one 1×1 image per generator");
    (images, "the character itself (degree 1)".into(), 1)
}

/// The per-class counts of `g · 0` for one action: one pass over the group.
fn count_classes<'a, G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &ConjugacyClasses,
    tree: &SchreierTree,
    action: &'a PermutationAction,
) -> Result<Counted<'a>> {
    let (r, points) = (classes.count(), action.points());
    if action.images().len() != tree.generators().len() {
        return Err(Error::ShapeMismatch {
            what: format!("generator images of the action on {}", action.description()),
            expected: tree.generators().len(),
            got: action.images().len(),
        });
    }
    let needed =
        bytes_for(r, 4 * points as u64).and_then(|c| c.checked_add(bytes_for(g.order(), 4)?));
    budget::require(
        &format!("counting {} by class", action.description()),
        needed,
        "offer actions on fewer points",
    )?;
    let point = action.base_point_images(tree);
    let mut counts = vec![vec![0u32; points]; r];
    for (a, &x) in point.iter().enumerate() {
        counts[classes.class_of(a)][x as usize] += 1;
    }
    Ok(Counted { action, counts })
}

/// `c[x] = (d/n) Σ_k conj χ(z_k) · #{g ∈ C_k : g·0 = x}`, the column of `e_χ` at point 0.
fn idempotent_column(
    counted: &Counted<'_>,
    chi: &[Complex64],
    d: usize,
    n: usize,
) -> Vec<Complex64> {
    let scale = d as f64 / n as f64;
    let mut c = vec![Complex64::default(); counted.action.points()];
    for (row, value) in counted.counts.iter().zip(chi) {
        let v = value.conj() * scale;
        for (cx, &k) in c.iter_mut().zip(row) {
            if k != 0 {
                *cx += v * k as f64;
            }
        }
    }
    c
}

/// The generator images of the irrep with character `chi` (degree `d`), the module used and
/// the multiplicity there.
fn build_one<G: FiniteGroup + ?Sized>(
    g: &G,
    tree: &Arc<SchreierTree>,
    counted: &[Counted<'_>],
    chi: &[Complex64],
    d: usize,
    row: usize,
) -> Result<Source> {
    let n = g.order();
    let not_built = |reason: String| Error::IrrepNotBuilt {
        irrep: row,
        degree: d,
        reason,
    };
    // The multiplicity of χ in each module, and the cheapest module containing it.
    let mut best: Option<(usize, usize, Vec<Complex64>)> = None;
    for (t, c) in counted.iter().enumerate() {
        let column = idempotent_column(c, chi, d, n);
        let m_real = column[0].re * c.action.points() as f64 / d as f64;
        let m = m_real.round();
        if (m_real - m).abs() > 1e-6 || m < 0.0 {
            return Err(not_built(format!(
                "the multiplicity in {} is {m_real}, not an integer: the character table does \
                 not belong to this group",
                c.action.description()
            )));
        }
        let m = m as usize;
        let cost = (m * d, c.action.points());
        if m > 0
            && best
                .as_ref()
                .is_none_or(|(bt, bm, _)| cost < (bm * d, counted[*bt].action.points()))
        {
            best = Some((t, m, column));
        }
    }
    let tried = counted.len();
    let Some((t, m, column)) = best else {
        return Err(not_built(format!(
            "none of the {tried} permutation modules tried contains it (offer larger actions)"
        )));
    };
    let action = counted[t].action;
    let module = action.description().to_string();
    if m * d > MAX_ISOTYPIC_DIM {
        return Err(not_built(format!(
            "its smallest isotypic component, {m} copies in {module}, has dimension {} > \
             {MAX_ISOTYPIC_DIM}",
            m * d
        )));
    }
    budget::require(
        &format!("the isotypic component of χ_{row} in {module}"),
        bytes_for(action.points(), 16 * (m * d) as u64),
        "offer actions on fewer points",
    )?;
    let isotypic = spin(action, column, m * d).ok_or_else(|| {
        not_built(format!(
            "the translates of e_χ in {module} do not span {m}·{d} dimensions"
        ))
    })?;
    let copy = if m == 1 {
        isotypic
    } else {
        (0..SPLIT_ATTEMPTS)
            .find_map(|attempt| split_off_copy(g, tree, action, &isotypic, m, d, attempt))
            .ok_or_else(|| {
                not_built(format!(
                    "no random commutant element split the {m} copies in {module} \
                     ({SPLIT_ATTEMPTS} attempts)"
                ))
            })?
    };
    let images = restrict(action, &copy);
    let tolerance = REP_TOLERANCE * (d as f64).sqrt();
    for (j, rho) in images.iter().enumerate() {
        let residual = invariance_residual(action, &copy, j, rho);
        if !within(residual, tolerance) {
            return Err(Error::IrrepValidation {
                irrep: row,
                degree: d,
                check: format!(
                    "the subspace of {module} is invariant under {}",
                    g.label(tree.generators()[j])
                ),
                residual,
                tolerance,
            });
        }
    }
    Ok((GeneratorImages::new(Arc::clone(tree), images)?, module, m))
}

/// `π(s_j) v`: `(π(s)v)[s·x] = v[x]`.
fn permute(image: &[u32], v: &[Complex64]) -> Vec<Complex64> {
    let mut out = vec![Complex64::default(); v.len()];
    for (&y, &vx) in image.iter().zip(v) {
        out[y as usize] = vx;
    }
    out
}

/// An orthonormal basis of the submodule generated by `start` (closed under the
/// generators), or `None` when it has more than `limit` dimensions.
fn spin(
    action: &PermutationAction,
    start: Vec<Complex64>,
    limit: usize,
) -> Option<Vec<Vec<Complex64>>> {
    let mut first = start;
    let norm = orthogonalise(&[], &mut first);
    if norm == 0.0 {
        return None;
    }
    first.iter_mut().for_each(|z| *z /= norm);
    let mut basis = vec![first];
    let mut i = 0;
    while i < basis.len() {
        for image in action.images() {
            let mut v = permute(image, &basis[i]);
            let rest = orthogonalise(&basis, &mut v);
            if rest > 1e-8 {
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

/// One irreducible copy inside the isotypic component `basis ≅ χ^{⊕m}`: the submodule
/// generated by an eigenvector of `B* a B` for an eigenvalue of multiplicity exactly `m`,
/// `a = Σ_i (c_i π(g_i) + conj(c_i) π(g_i)⁻¹)` with random `c_i` and elements `g_i`; `None`
/// when this draw does not give a `d`-dimensional submodule.
fn split_off_copy<G: FiniteGroup + ?Sized>(
    g: &G,
    tree: &SchreierTree,
    action: &PermutationAction,
    basis: &[Vec<Complex64>],
    m: usize,
    d: usize,
    attempt: u64,
) -> Option<Vec<Vec<Complex64>>> {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5911_7000 + attempt);
    let terms: Vec<(Complex64, Vec<u32>)> = (0..4)
        .map(|_| {
            let c = Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
            (
                c,
                action.element_image(&tree.word(rng.random_range(0..g.order()))),
            )
        })
        .collect();
    let apply_a = |v: &[Complex64]| -> Vec<Complex64> {
        let mut out = vec![Complex64::default(); v.len()];
        for (c, perm) in &terms {
            for (x, &y) in perm.iter().enumerate() {
                let y = y as usize;
                out[y] += c * v[x];
                out[x] += c.conj() * v[y];
            }
        }
        out
    };
    let k = basis.len();
    let ab: Vec<Vec<Complex64>> = basis.iter().map(|b| apply_a(b)).collect();
    let h = DMatrix::from_fn(k, k, |i, j| {
        basis[i]
            .iter()
            .zip(&ab[j])
            .map(|(x, y)| x.conj() * y)
            .sum::<Complex64>()
    });
    let eig = SymmetricEigen::new((&h + h.adjoint()).map(|z| z * 0.5));
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[a].total_cmp(&eig.eigenvalues[b]));
    let values: Vec<f64> = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let scale = values.iter().fold(1.0f64, |s, v| s.max(v.abs()));
    // Clusters of (numerically) equal eigenvalues; the best isolated one of size m.
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
        .filter(|(a, b)| b - a == m)
        .max_by(|x, y| gap(x).total_cmp(&gap(y)))?;
    let u = eig.eigenvectors.column(order[a]);
    let mut v = vec![Complex64::default(); basis[0].len()];
    for (b, &ui) in basis.iter().zip(u.iter()) {
        v.iter_mut().zip(b).for_each(|(x, y)| *x += ui * y);
    }
    let copy = spin(action, v, d)?;
    (copy.len() == d).then_some(copy)
}

/// `ρ(s_j) = W* π(s_j) W` for each generator.
fn restrict(action: &PermutationAction, w: &[Vec<Complex64>]) -> Vec<DMatrix<Complex64>> {
    let d = w.len();
    action
        .images()
        .iter()
        .map(|image| {
            let moved: Vec<Vec<Complex64>> = w.iter().map(|b| permute(image, b)).collect();
            DMatrix::from_fn(d, d, |i, j| {
                w[i].iter().zip(&moved[j]).map(|(x, y)| x.conj() * y).sum()
            })
        })
        .collect()
}

/// `‖π(s_j) W − W ρ(s_j)‖_F`: zero exactly when `span W` is invariant under `s_j`.
fn invariance_residual(
    action: &PermutationAction,
    w: &[Vec<Complex64>],
    j: usize,
    rho: &DMatrix<Complex64>,
) -> f64 {
    let image = &action.images()[j];
    let mut total = 0.0;
    for (col, b) in w.iter().enumerate() {
        let mut moved = permute(image, b);
        for (i, wi) in w.iter().enumerate() {
            let c = rho[(i, col)];
            moved.iter_mut().zip(wi).for_each(|(x, y)| *x -= c * y);
        }
        total += moved.iter().map(|z| z.norm_sqr()).sum::<f64>();
    }
    total.sqrt()
}
