//! Irreps of the symmetric group in Young's orthogonal form, stored by the images of the
//! adjacent transpositions in a basis adapted to the chain `S_n > S_{n−1} > … > S_1`.

use super::{FsType, GeneratorImages, Irrep, IrrepConstruction, Irreps, Representation};
use crate::group::{Group, Permutation, Symmetric};
use crate::{Error, FiniteGroup, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;
use std::collections::HashMap;

/// Largest degree for which [`young_orthogonal_irreps`] stores all matrices
/// (`(n!)²` complex numbers in all: 8 MB for `S_6`).
pub const YOUNG_DEGREE_LIMIT: usize = 6;

/// Largest degree for which [`young_generator_images`] builds the images (`S_10`: 42 irreps of
/// degree up to 768, 9,496 basis vectors in all).
pub const YOUNG_IMAGES_DEGREE_LIMIT: usize = 10;

/// The image `ρ_λ(s_i)` of an adjacent transposition in Young's orthogonal form: a real
/// symmetric orthogonal involution with at most two non-zeros per row, the diagonal entry and
/// one partner entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TranspositionImage {
    diagonal: Vec<f64>,
    partner: Vec<Option<(usize, f64)>>,
}

impl TranspositionImage {
    /// The degree `d_λ`.
    pub fn dim(&self) -> usize {
        self.diagonal.len()
    }

    /// The diagonal entry of row `r`.
    ///
    /// # Panics
    /// If `r ≥ dim()`.
    pub fn diagonal(&self, r: usize) -> f64 {
        self.diagonal[r]
    }

    /// The off-diagonal entry of row `r`, with its column, if the row has one.
    ///
    /// # Panics
    /// If `r ≥ dim()`.
    pub fn partner(&self, r: usize) -> Option<(usize, f64)> {
        self.partner[r]
    }

    /// `dst = ρ(s_i) · src` for `src`, `dst` row-major with `cols` columns (`d_λ` rows).
    ///
    /// # Panics
    /// If a buffer is shorter than `d_λ · cols`.
    pub fn apply_rows(&self, src: &[Complex64], dst: &mut [Complex64], cols: usize) {
        for (r, &a) in self.diagonal.iter().enumerate() {
            let out = &mut dst[r * cols..][..cols];
            let own = &src[r * cols..][..cols];
            match self.partner[r] {
                Some((p, b)) => {
                    let other = &src[p * cols..][..cols];
                    for ((o, &x), &y) in out.iter_mut().zip(own).zip(other) {
                        *o = x * a + y * b;
                    }
                }
                None => {
                    for (o, &x) in out.iter_mut().zip(own) {
                        *o = x * a;
                    }
                }
            }
        }
    }

    /// The dense matrix.
    pub fn to_dense(&self) -> DMatrix<f64> {
        let d = self.dim();
        let mut m = DMatrix::zeros(d, d);
        for r in 0..d {
            m[(r, r)] = self.diagonal[r];
            if let Some((p, b)) = self.partner[r] {
                m[(r, p)] = b;
            }
        }
        m
    }
}

/// One block of the restriction of a chain-adapted irrep `ρ` of `G` to the next subgroup `H`
/// of the chain: the basis vectors `offset..offset+dim` span a copy of `H`'s irrep
/// `sub_irrep`, on which `ρ(h)` is exactly that irrep's matrix. For Young's form
/// (`ρ_λ` restricted to `S_{n−1}`) the block is `ρ_μ`, `μ` = `λ` less one corner box; for a
/// [`super::ChainFft`] it is an adapted irrep of the next subgroup
/// ([`super::ChainFft::branches`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Branch {
    /// The index of the sub-irrep in the subgroup's irreps (for `S_n`: of `μ` in
    /// [`partitions`]`(n − 1)`).
    pub sub_irrep: usize,
    /// Where the block starts in `ρ`'s basis.
    pub offset: usize,
    /// Its size, the sub-irrep's degree.
    pub dim: usize,
}

/// The irrep `ρ_λ` of `S_n` in Young's orthogonal form, stored by the images of the adjacent
/// transpositions `s_i = (i+1, i+2)` (1-based points; `i = 0..n−1`).
///
/// The basis is the standard Young tableaux of shape `λ`, ordered for the chain
/// `S_n > S_{n−1} > …`: grouped by the box holding `n` (the removed corner leaves a shape
/// `μ ⊢ n−1`; groups in the order of `μ` in [`partitions`]`(n − 1)`), each group ordered the same
/// way recursively. So `ρ_λ(h) = ⊕_μ ρ_μ(h)` for `h ∈ S_{n−1}` block-diagonally
/// ([`YoungImages::branches`]): the branching rule.
#[derive(Debug, Clone, PartialEq)]
pub struct YoungImages {
    partition: Vec<usize>,
    generators: Vec<TranspositionImage>,
    branches: Vec<Branch>,
}

impl YoungImages {
    /// The partition `λ`.
    pub fn partition(&self) -> &[usize] {
        &self.partition
    }

    /// The degree `d_λ` (the number of standard tableaux of shape `λ`).
    pub fn dim(&self) -> usize {
        self.branches.last().map_or(1, |b| b.offset + b.dim)
    }

    /// `ρ_λ(s_i)` for `i = 0..n−1` (`n − 1` images).
    pub fn generators(&self) -> &[TranspositionImage] {
        &self.generators
    }

    /// The blocks of the restriction to `S_{n−1}`, in basis order (empty for `n = 1`).
    pub fn branches(&self) -> &[Branch] {
        &self.branches
    }

    /// The dense matrix `ρ_λ(g)`, along the reduced word of `g` ([`reduced_word`]).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `g` does not act on `n` points.
    pub fn matrix(&self, g: &Permutation) -> Result<DMatrix<f64>> {
        let n = self.partition.iter().sum::<usize>();
        if g.degree() != n {
            return Err(Error::ShapeMismatch {
                what: "degree of the permutation for ρ_λ".into(),
                expected: n,
                got: g.degree(),
            });
        }
        let d = self.dim();
        let mut m = vec![Complex64::default(); d * d];
        for i in 0..d {
            m[i * d + i] = Complex64::new(1.0, 0.0);
        }
        let mut tmp = m.clone();
        // ρ(s_{w0} ⋯ s_{wk}) = ρ(s_{w0}) ⋯ ρ(s_{wk}): apply the letters right to left.
        for &i in reduced_word(g).iter().rev() {
            self.generators[i].apply_rows(&m, &mut tmp, d);
            std::mem::swap(&mut m, &mut tmp);
        }
        Ok(DMatrix::from_fn(d, d, |r, c| m[r * d + c].re))
    }
}

impl YoungImages {
    /// This irrep of `group` (`S_n` with `n = |λ|`) as [`GeneratorImages`]: the images of the
    /// adjacent transpositions `s_1, …, s_{n−1}` on a Schreier tree over them, so `ρ(g)` of
    /// every element is available on demand and [`GeneratorImages::validate`] can check the
    /// irrep against the exact character table. The tree holds `n!` entries (checked against
    /// the memory budget).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `λ` is not a partition of `group`'s degree; those of
    /// [`GeneratorImages::from_generators`] (e.g. [`Error::OverBudget`]).
    pub fn generator_images(&self, group: &Symmetric) -> Result<GeneratorImages> {
        let n = group.degree();
        if self.partition.iter().sum::<usize>() != n {
            return Err(Error::InvalidParameter {
                family: "Young's orthogonal form".into(),
                reason: format!("λ = {:?} is not a partition of {n}", self.partition),
            });
        }
        let transpositions = (0..n.saturating_sub(1))
            .map(|i| {
                let mut images: Vec<usize> = (0..n).collect();
                images.swap(i, i + 1);
                Ok(group.index(&Permutation::from_images(images)?))
            })
            .collect::<Result<Vec<_>>>()?;
        let images = self
            .generators
            .iter()
            .map(|t| t.to_dense().map(|x| Complex64::new(x, 0.0)))
            .collect();
        GeneratorImages::from_generators(group, &transpositions, images)
    }
}

/// A reduced word of `g`: the shortest `w` with `g = s_{w[0]} ∘ s_{w[1]} ∘ ⋯` (composition right
/// factor first, `s_i` swapping the 0-based points `i` and `i + 1`); its length is the number
/// of inversions of `g`.
pub fn reduced_word(g: &Permutation) -> Vec<usize> {
    // Bubble-sort the images: every swap of an adjacent inversion is g ← g ∘ s_i.
    let mut images = g.images().to_vec();
    let mut word = Vec::new();
    let mut swapped = true;
    while swapped {
        swapped = false;
        for i in 0..images.len().saturating_sub(1) {
            if images[i] > images[i + 1] {
                images.swap(i, i + 1);
                word.push(i);
                swapped = true;
            }
        }
    }
    // g ∘ s_{w[0]} ∘ ⋯ ∘ s_{w[k]} = e, so g = s_{w[k]} ∘ ⋯ ∘ s_{w[0]}.
    word.reverse();
    word
}

/// The irreps of `S_n` in Young's orthogonal form by generator images, one per partition
/// `λ ⊢ n` in the order of [`partitions`] (the trivial `(n)` first, the sign `(1ⁿ)` last).
///
/// For the adjacent transposition `s_i` and a tableau `T`: if `i+1` and `i+2` share a row,
/// `ρ(s_i) e_T = e_T`; if they share a column, `ρ(s_i) e_T = −e_T`; otherwise, with the axial
/// distance `a = c(i+2) − c(i+1)` (contents `c = column − row`),
/// `ρ(s_i) e_T = (1/a) e_T + √(1 − 1/a²) e_{s_i T}`. These matrices are real symmetric and
/// orthogonal and satisfy the Coxeter relations of `S_n` (checked in `algebra/tests/young.rs`),
/// so they define a real orthogonal representation; it is irreducible with character `χ_λ`.
///
/// # Errors
/// [`Error::TooLarge`] for `n > `[`YOUNG_IMAGES_DEGREE_LIMIT`]; [`Error::InvalidParameter`]
/// for `n = 0`.
///
/// # Example
/// ```
/// use gm_algebra::fourier::young_generator_images;
/// let s5 = young_generator_images(5).unwrap();
/// let dims: Vec<usize> = s5.iter().map(|r| r.dim()).collect();
/// assert_eq!(dims, [1, 4, 5, 6, 5, 4, 1]);
/// // ρ_λ restricted to S_4 is the sum of the ρ_μ for the corners of λ = (3,2)
/// assert_eq!(s5[2].branches().iter().map(|b| b.dim).collect::<Vec<_>>(), [3, 2]);
/// ```
pub fn young_generator_images(n: usize) -> Result<Vec<YoungImages>> {
    if n == 0 {
        return Err(Error::InvalidParameter {
            family: "Young's orthogonal form".into(),
            reason: "the degree n must be at least 1".into(),
        });
    }
    if n > YOUNG_IMAGES_DEGREE_LIMIT {
        return Err(Error::TooLarge {
            order: (1..=n).product(),
            operation: "Young's orthogonal form by generator images".into(),
            limit: (1..=YOUNG_IMAGES_DEGREE_LIMIT).product(),
        });
    }
    let levels = chain_tableaux(n);
    let (shapes, tabs) = levels.last().expect("n ≥ 1");
    let below = if n > 1 { Some(&levels[n - 2].0) } else { None };
    Ok(shapes
        .iter()
        .zip(tabs)
        .map(|(shape, tabs)| YoungImages {
            partition: shape.clone(),
            generators: transposition_images(shape, tabs, n),
            branches: below.map_or_else(Vec::new, |sub| branches(shape, sub)),
        })
        .collect())
}

/// The irreps of `S_n` in Young's orthogonal form, one per partition `λ ⊢ n` in the order of
/// [`partitions`], every matrix stored: [`young_generator_images`] extended along a spanning
/// tree of the Cayley graph. All irreps of `S_n` are of real type.
///
/// # Errors
/// [`Error::TooLarge`] for `n > `[`YOUNG_DEGREE_LIMIT`].
///
/// # Example
/// ```
/// use gm_algebra::fourier::young_orthogonal_irreps;
/// use gm_algebra::group::Symmetric;
/// let irr = young_orthogonal_irreps(&Symmetric::new(4).unwrap()).unwrap();
/// assert_eq!(irr.dims(), &[1, 3, 2, 3, 1]);
/// ```
pub fn young_orthogonal_irreps(s: &Symmetric) -> Result<Irreps> {
    let n = s.degree();
    if n > YOUNG_DEGREE_LIMIT {
        return Err(Error::TooLarge {
            order: FiniteGroup::order(s),
            operation: "Young's orthogonal form of all irreps".into(),
            limit: (1..=YOUNG_DEGREE_LIMIT).product(),
        });
    }
    stored_young_irreps(s)
}

/// The Young irreps of `s` with every matrix stored (`n · Σ d_λ² = (n!)²` complex numbers),
/// along a spanning tree of the Cayley graph on the adjacent transpositions.
///
/// # Errors
/// Those of [`young_generator_images`].
pub(super) fn stored_young_irreps(s: &Symmetric) -> Result<Irreps> {
    let n = s.degree();
    let transpositions: Vec<usize> = (0..n.saturating_sub(1))
        .map(|i| {
            let mut images: Vec<usize> = (0..n).collect();
            images.swap(i, i + 1);
            s.index(&Permutation::from_images(images).expect("a transposition"))
        })
        .collect();
    let irreps = young_generator_images(n)?
        .iter()
        .map(|images| {
            let gens: Vec<DMatrix<Complex64>> = images
                .generators()
                .iter()
                .map(|t| t.to_dense().map(|x| Complex64::new(x, 0.0)))
                .collect();
            let rep = Representation::from_generator_images(
                FiniteGroup::order(s),
                &transpositions,
                &gens,
                images.dim(),
                |a, b| s.mul_idx(a, b),
            );
            Irrep::new(rep, FsType::Real)
        })
        .collect();
    Ok(Irreps::from_parts(irreps, IrrepConstruction::Young))
}

/// The partitions of `n`, in decreasing lexicographic order.
///
/// # Example
/// ```
/// use gm_algebra::fourier::partitions;
/// assert_eq!(partitions(3), [vec![3], vec![2, 1], vec![1, 1, 1]]);
/// ```
pub fn partitions(n: usize) -> Vec<Vec<usize>> {
    fn rec(rest: usize, max: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if rest == 0 {
            out.push(prefix.clone());
            return;
        }
        for part in (1..=rest.min(max)).rev() {
            prefix.push(part);
            rec(rest - part, part, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    rec(n, n, &mut Vec::new(), &mut out);
    out
}

/// The shape less the corner box in row `r`, if row `r` ends in a corner.
fn remove_corner(shape: &[usize], r: usize) -> Option<Vec<usize>> {
    let is_corner = shape[r] > 0 && shape.get(r + 1).is_none_or(|&next| next < shape[r]);
    is_corner.then(|| {
        let mut mu = shape.to_vec();
        mu[r] -= 1;
        if mu[r] == 0 {
            mu.pop();
        }
        mu
    })
}

/// For each level `k = 1..=n`: the partitions of `k` and, per partition, its standard tableaux
/// in chain order, each tableau as the row of every entry `0..k`.
#[allow(clippy::type_complexity)]
fn chain_tableaux(n: usize) -> Vec<(Vec<Vec<usize>>, Vec<Vec<Vec<usize>>>)> {
    let mut levels: Vec<(Vec<Vec<usize>>, Vec<Vec<Vec<usize>>>)> =
        vec![(vec![vec![1]], vec![vec![vec![0]]])];
    for k in 2..=n {
        let (sub_shapes, sub_tabs) = levels.last().expect("level k − 1");
        let sub_index: HashMap<&[usize], usize> = sub_shapes
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_slice(), i))
            .collect();
        let shapes = partitions(k);
        let tabs = shapes
            .iter()
            .map(|shape| {
                let mut corners: Vec<(usize, usize)> = (0..shape.len())
                    .filter_map(|r| remove_corner(shape, r).map(|mu| (sub_index[mu.as_slice()], r)))
                    .collect();
                corners.sort_unstable();
                corners
                    .iter()
                    .flat_map(|&(mu, r)| {
                        sub_tabs[mu].iter().map(move |t| {
                            let mut t = t.clone();
                            t.push(r);
                            t
                        })
                    })
                    .collect()
            })
            .collect();
        levels.push((shapes, tabs));
    }
    levels
}

/// The blocks of `λ`'s chain-ordered basis under `S_{n−1}` (`sub`: the partitions of `n − 1`).
fn branches(shape: &[usize], sub: &[Vec<usize>]) -> Vec<Branch> {
    let mut corners: Vec<usize> = (0..shape.len())
        .filter_map(|r| {
            remove_corner(shape, r).map(|mu| sub.iter().position(|s| *s == mu).expect("μ ⊢ n−1"))
        })
        .collect();
    corners.sort_unstable();
    let mut offset = 0;
    corners
        .into_iter()
        .map(|mu| {
            let dim = standard_tableaux_count(&sub[mu]);
            let b = Branch {
                sub_irrep: mu,
                offset,
                dim,
            };
            offset += dim;
            b
        })
        .collect()
}

/// The number of standard tableaux of a shape (the hook length formula).
fn standard_tableaux_count(shape: &[usize]) -> usize {
    let n: usize = shape.iter().sum();
    let mut hooks: u128 = 1;
    for (r, &len) in shape.iter().enumerate() {
        for c in 0..len {
            let below = shape[r + 1..].iter().filter(|&&l| l > c).count();
            hooks *= (len - c + below) as u128;
        }
    }
    ((1..=n as u128).product::<u128>() / hooks) as usize
}

/// The images `ρ_λ(s_i)` on the tableaux `tabs` of shape `shape` (in their order).
fn transposition_images(shape: &[usize], tabs: &[Vec<usize>], n: usize) -> Vec<TranspositionImage> {
    let index: HashMap<&[usize], usize> = tabs
        .iter()
        .enumerate()
        .map(|(k, t)| (t.as_slice(), k))
        .collect();
    // (row, column) of every entry of every tableau.
    let cells: Vec<Vec<(i64, i64)>> = tabs
        .iter()
        .map(|rows| {
            let mut seen = vec![0i64; shape.len()];
            rows.iter()
                .map(|&r| {
                    seen[r] += 1;
                    (r as i64, seen[r] - 1)
                })
                .collect()
        })
        .collect();
    (0..n.saturating_sub(1))
        .map(|i| {
            let (diagonal, partner) = tabs
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let ((r1, c1), (r2, c2)) = (cells[k][i], cells[k][i + 1]);
                    if r1 == r2 {
                        (1.0, None)
                    } else if c1 == c2 {
                        (-1.0, None)
                    } else {
                        let a = ((c2 - r2) - (c1 - r1)) as f64;
                        let mut swapped = t.clone();
                        swapped.swap(i, i + 1);
                        let p = index[swapped.as_slice()];
                        (1.0 / a, Some((p, (1.0 - 1.0 / (a * a)).sqrt())))
                    }
                })
                .unzip();
            TranspositionImage { diagonal, partner }
        })
        .collect()
}
