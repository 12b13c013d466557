//! Representations stored as the images of the group's generators (what GAP stores), with
//! `ρ(g)` computed on demand along a [`SchreierTree`], and their validation against the exact
//! character table.

use super::{gemm, REP_TOLERANCE};
use crate::budget::{self, bytes_for};
use crate::group::{ConjugacyClasses, SchreierTree};
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, DVector};
use num_complex::Complex64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The homomorphism law is checked on every (element, generator) pair when that costs at most
/// this many complex multiply–adds, `n · |S| · d²` (one matrix–vector product per pair);
/// above it, on [`SAMPLED_PAIRS`] random pairs.
pub const EXHAUSTIVE_CHECK_LIMIT: u64 = 1 << 30;

/// The number of random (element, generator) pairs checked above [`EXHAUSTIVE_CHECK_LIMIT`].
pub const SAMPLED_PAIRS: usize = 512;

/// The most columns one batched product of the validator takes.
const BATCH_COLUMNS: usize = 4096;

/// Whether a residual is within its tolerance (a NaN residual is not).
pub(crate) fn within(residual: f64, tolerance: f64) -> bool {
    residual <= tolerance
}

/// A unitary representation `ρ` of degree `d` of a group with generators `s_0, …, s_{k−1}`,
/// stored as the `k` matrices `ρ(s_j)` (`k·d²` numbers instead of `n·d²`); `ρ(a)` for any
/// element is the product along the word of `a` in the [`SchreierTree`].
///
/// The images are only shape-checked here: [`GeneratorImages::validate`] checks unitarity,
/// the homomorphism law and the character.
///
/// # Example
/// ```
/// use gm_algebra::fourier::GeneratorImages;
/// use gm_algebra::group::Cyclic;
/// use gm_algebra::FiniteGroup;
/// use nalgebra::DMatrix;
/// use num_complex::Complex64;
/// let c4 = Cyclic::new(4).unwrap(); // generator 1
/// let i = DMatrix::from_element(1, 1, Complex64::new(0.0, 1.0));
/// let rho = GeneratorImages::from_generators(&c4, &[1], vec![i]).unwrap();
/// assert!((rho.character(3) - Complex64::new(0.0, -1.0)).norm() < 1e-15); // i³ = −i
/// ```
#[derive(Debug, Clone)]
pub struct GeneratorImages {
    tree: Arc<SchreierTree>,
    dim: usize,
    images: Vec<DMatrix<Complex64>>,
}

/// What [`GeneratorImages::validate`] measured (every residual was within its tolerance).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Validation {
    /// `max_s ‖ρ(s)ρ(s)* − I‖_F` over the generators.
    pub unitarity: f64,
    /// `max ‖ρ(s)ρ(a)v − ρ(s·a)v‖` over the pairs checked, `v` a random unit vector.
    pub homomorphism: f64,
    /// How many (element, generator) pairs were checked.
    pub pairs_checked: usize,
    /// Whether that was every pair (else a random sample of [`SAMPLED_PAIRS`]).
    pub exhaustive: bool,
    /// `max_k |tr ρ(z_k) − χ(z_k)|` over one member `z_k` of each class.
    pub character: f64,
}

impl GeneratorImages {
    /// The representation with `images[j] = ρ(s_j)` for the tree's generators `s_j`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for a wrong number of images, a degree of 0, or images that are
    /// not all square of one size.
    pub fn new(tree: Arc<SchreierTree>, images: Vec<DMatrix<Complex64>>) -> Result<Self> {
        if images.len() != tree.generators().len() {
            return Err(Error::ShapeMismatch {
                what: "number of generator images".into(),
                expected: tree.generators().len(),
                got: images.len(),
            });
        }
        let dim = images.first().map_or(1, DMatrix::nrows);
        if dim == 0 {
            return Err(Error::ShapeMismatch {
                what: "representation degree".into(),
                expected: 1,
                got: 0,
            });
        }
        if let Some(m) = images.iter().find(|m| m.nrows() != dim || m.ncols() != dim) {
            return Err(Error::ShapeMismatch {
                what: "generator image size".into(),
                expected: dim,
                got: if m.nrows() != dim {
                    m.nrows()
                } else {
                    m.ncols()
                },
            });
        }
        Ok(Self { tree, dim, images })
    }

    /// The representation of `g` with `images[j] = ρ(g_{generators[j]})`, building the
    /// Schreier tree over those generators.
    ///
    /// # Errors
    /// Those of [`SchreierTree::new`] (e.g. elements that do not generate `g`) and of
    /// [`GeneratorImages::new`].
    pub fn from_generators<G: FiniteGroup + ?Sized>(
        g: &G,
        generators: &[usize],
        images: Vec<DMatrix<Complex64>>,
    ) -> Result<Self> {
        Self::new(Arc::new(SchreierTree::new(g, generators)?), images)
    }

    /// The degree `d`.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The Schreier tree the images are read along.
    pub fn tree(&self) -> &Arc<SchreierTree> {
        &self.tree
    }

    /// The generators' element indices.
    pub fn generators(&self) -> &[usize] {
        self.tree.generators()
    }

    /// The images `ρ(s_j)`, in generator order.
    pub fn images(&self) -> &[DMatrix<Complex64>] {
        &self.images
    }

    /// `ρ(g_a)`, the product of the images along the word of `a` (at most `depth` products
    /// of `d × d` matrices).
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn matrix(&self, a: usize) -> DMatrix<Complex64> {
        self.tree
            .word(a)
            .iter()
            .fold(DMatrix::identity(self.dim, self.dim), |m, &j| {
                gemm::product(&m, &self.images[j])
            })
    }

    /// `ρ(g_a) v`, at `d²` operations per letter of the word of `a`.
    ///
    /// # Panics
    /// If `a` is not an element index or `v` does not have length `d`.
    pub fn apply(&self, a: usize, v: &DVector<Complex64>) -> DVector<Complex64> {
        self.tree
            .word(a)
            .iter()
            .rev()
            .fold(v.clone(), |w, &j| &self.images[j] * w)
    }

    /// The character value `tr ρ(g_a)`.
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn character(&self, a: usize) -> Complex64 {
        self.matrix(a).trace()
    }

    /// Whether every entry of every image is real (imaginary parts at most `tol`).
    pub fn is_real(&self, tol: f64) -> bool {
        self.images.iter().flatten().all(|z| z.im.abs() <= tol)
    }

    /// Checks that these images define the irrep with character `character` (one value per
    /// class of `classes`, e.g. a row of the exact character table as complex numbers):
    ///
    /// 1. every image is unitary: `‖ρ(s)ρ(s)* − I‖_F ≤ 10⁻⁸ √d`;
    /// 2. the homomorphism law `ρ(s)ρ(a) = ρ(s·a)` on (element, generator) pairs, applied to a
    ///    random unit vector `v` (a nonzero difference of matrices moves a random vector
    ///    almost surely): on every pair when `n·|S|·d² ≤` [`EXHAUSTIVE_CHECK_LIMIT`] and the
    ///    `2·n·d` numbers of the vectors `ρ(a)v` fit in the memory budget, else on [`SAMPLED_PAIRS`] seeded
    ///    random pairs; tolerance `10⁻⁸ (1 + depth) √d`;
    /// 3. `tr ρ(z_k) = χ(z_k)` on one member of every class (the one with the shortest word,
    ///    the character being a class function), same tolerance.
    ///
    /// Since `ρ(a)` is defined along the tree, (2) on every pair is equivalent to `ρ` being a
    /// homomorphism; with (3) and `⟨χ, χ⟩ = 1` it is the irrep with that character.
    ///
    /// # Errors
    /// [`Error::IrrepValidation`] naming `irrep`, the degree, the failed check (with the
    /// generator or element) and the residual; [`Error::ShapeMismatch`] when `g`, the tree,
    /// `classes` and `character` disagree in size.
    pub fn validate<G: FiniteGroup + ?Sized>(
        &self,
        g: &G,
        classes: &ConjugacyClasses,
        character: &[Complex64],
        irrep: usize,
    ) -> Result<Validation> {
        let n = g.order();
        for (what, expected, got) in [
            ("Schreier tree order", n, self.tree.order()),
            ("class labels", n, classes.labels().len()),
            (
                "character values per class",
                classes.count(),
                character.len(),
            ),
        ] {
            if expected != got {
                return Err(Error::ShapeMismatch {
                    what: what.into(),
                    expected,
                    got,
                });
            }
        }
        let d = self.dim;
        let root_d = (d as f64).sqrt();
        let tolerance = REP_TOLERANCE * (1 + self.tree.depth()) as f64 * root_d;
        let fail = |check: String, residual: f64, tolerance: f64| Error::IrrepValidation {
            irrep,
            degree: d,
            check,
            residual,
            tolerance,
        };
        let identity = DMatrix::<Complex64>::identity(d, d);
        let mut unitarity = 0.0f64;
        for (j, m) in self.images.iter().enumerate() {
            let r = (gemm::product(m, &m.adjoint()) - &identity).norm();
            if !within(r, REP_TOLERANCE * root_d) {
                return Err(fail(
                    format!("ρ({}) unitary", g.label(self.generators()[j])),
                    r,
                    REP_TOLERANCE * root_d,
                ));
            }
            unitarity = unitarity.max(r);
        }
        let (homomorphism, pairs_checked, exhaustive, worst) = self.homomorphism_residual(g)?;
        if !within(homomorphism, tolerance) {
            let (a, j) = worst;
            return Err(fail(
                format!(
                    "ρ({s})ρ({a_l}) = ρ({s}·{a_l})",
                    s = g.label(self.generators()[j]),
                    a_l = g.label(a)
                ),
                homomorphism,
                tolerance,
            ));
        }
        let mut char_residual = 0.0f64;
        for (k, (&want, z)) in character
            .iter()
            .zip(self.shortest_class_members(classes))
            .enumerate()
        {
            let r = (self.character(z) - want).norm();
            if !within(r, tolerance) {
                return Err(fail(
                    format!("character on class {k} (representative {})", g.label(z)),
                    r,
                    tolerance,
                ));
            }
            char_residual = char_residual.max(r);
        }
        Ok(Validation {
            unitarity,
            homomorphism,
            pairs_checked,
            exhaustive,
            character: char_residual,
        })
    }

    /// One member of each class, the first in breadth-first order (so its word is shortest).
    fn shortest_class_members(&self, classes: &ConjugacyClasses) -> Vec<usize> {
        let mut member = vec![usize::MAX; classes.count()];
        let mut missing = classes.count();
        for &a in self.tree.breadth_first() {
            let slot = &mut member[classes.class_of(a as usize)];
            if *slot == usize::MAX {
                *slot = a as usize;
                missing -= 1;
                if missing == 0 {
                    break;
                }
            }
        }
        member
    }

    /// The `d × n` matrix whose column `a` is `ρ(a)v`, built along the tree one breadth-first
    /// level at a time: the children of a level by edge `j` are `ρ(s_j)` times their parents'
    /// columns, one matrix product per (level, generator) — in pieces of at most
    /// [`BATCH_COLUMNS`] columns, so the temporaries stay small beside the result — instead of
    /// a matrix–vector product per element.
    fn tree_columns(&self, v: &DVector<Complex64>) -> DMatrix<Complex64> {
        let n = self.tree.order();
        let order = self.tree.breadth_first();
        // The level of each element once its level is done (unset: u32::MAX).
        let mut level = vec![u32::MAX; n];
        level[0] = 0;
        let mut w = DMatrix::<Complex64>::zeros(self.dim, n);
        w.set_column(0, v);
        let mut start = 1;
        while start < order.len() {
            let parents_level = level[self.parent_of(order[start])];
            let end = start
                + order[start..]
                    .iter()
                    .take_while(|&&a| level[self.parent_of(a)] == parents_level)
                    .count();
            for &a in &order[start..end] {
                level[a as usize] = parents_level + 1;
            }
            for piece in order[start..end].chunks(BATCH_COLUMNS) {
                for j in 0..self.images.len() {
                    let (children, parents): (Vec<usize>, Vec<usize>) = piece
                        .iter()
                        .filter_map(|&a| {
                            let (p, e) = self.tree.parent(a as usize).expect("not the root");
                            (e == j).then_some((a as usize, p))
                        })
                        .unzip();
                    self.move_columns(&mut w, j, &parents, &children);
                }
            }
            start = end;
        }
        w
    }

    /// Column `targets[i]` of `w` becomes `ρ(s_j)` times column `sources[i]`, all in one
    /// matrix product.
    fn move_columns(
        &self,
        w: &mut DMatrix<Complex64>,
        j: usize,
        sources: &[usize],
        targets: &[usize],
    ) {
        if sources.is_empty() {
            return;
        }
        let moved = gemm::product(&self.images[j], &w.select_columns(sources));
        for (i, &t) in targets.iter().enumerate() {
            w.set_column(t, &moved.column(i));
        }
    }

    /// The parent of the non-identity element `a` in the tree.
    fn parent_of(&self, a: u32) -> usize {
        self.tree.parent(a as usize).expect("not the root").0
    }

    /// Column `i` is `ρ(s_{w_1}) ⋯ ρ(s_{w_m}) v` for `words[i] = [w_1, …, w_m]`: the words are
    /// read from their last letter, and at each step the columns whose next letter is `j`
    /// are multiplied by `ρ(s_j)` in one matrix product.
    fn apply_words(&self, words: &[Vec<usize>], v: &DVector<Complex64>) -> DMatrix<Complex64> {
        let mut columns = DMatrix::<Complex64>::from_fn(self.dim, words.len(), |r, _| v[r]);
        let longest = words.iter().map(Vec::len).max().unwrap_or(0);
        for step in 0..longest {
            for j in 0..self.images.len() {
                let selected: Vec<usize> = (0..words.len())
                    .filter(|&i| {
                        let word = &words[i];
                        word.len() > step && word[word.len() - 1 - step] == j
                    })
                    .collect();
                self.move_columns(&mut columns, j, &selected, &selected);
            }
        }
        columns
    }

    /// `(max residual, pairs checked, exhaustive, worst pair)` of `ρ(s_j)ρ(a)v = ρ(s_j a)v`.
    fn homomorphism_residual<G: FiniteGroup + ?Sized>(
        &self,
        g: &G,
    ) -> Result<(f64, usize, bool, (usize, usize))> {
        let n = g.order();
        let d = self.dim;
        let gens = self.generators();
        let mut rng = ChaCha8Rng::seed_from_u64(0x6e6e_7265_7073);
        let mut v = DVector::<Complex64>::from_fn(d, |_, _| {
            Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))
        });
        v /= Complex64::new(v.norm(), 0.0);
        let ops = (n as u64)
            .saturating_mul(gens.len() as u64)
            .saturating_mul((d * d) as u64);
        let budget = budget::MemoryBudget::current()?.bytes();
        // The vectors ρ(a)v and their images under one generator, and a level per element.
        let fits = bytes_for(n, 32 * d as u64 + 4).is_some_and(|b| b <= budget);
        let mut worst = (0.0f64, (0, 0));
        let mut note = |r: f64, a: usize, j: usize| {
            if r.is_nan() || r > worst.0 {
                worst = (r, (a, j));
            }
        };
        if ops <= EXHAUSTIVE_CHECK_LIMIT && fits {
            let w = self.tree_columns(&v);
            for (j, &s) in gens.iter().enumerate() {
                let moved = gemm::product(&self.images[j], &w);
                for a in 0..n {
                    note((moved.column(a) - w.column(g.mul_idx(s, a))).norm(), a, j);
                }
            }
            Ok((worst.0, n * gens.len(), true, worst.1))
        } else {
            // Pair (a, j): ρ(s_j)ρ(a)v is v along the word j·word(a), ρ(s_j·a)v along the
            // word of s_j·a; all 2·SAMPLED_PAIRS words are applied together.
            let mut pairs = Vec::with_capacity(SAMPLED_PAIRS);
            let mut words = Vec::with_capacity(2 * SAMPLED_PAIRS);
            for _ in 0..SAMPLED_PAIRS {
                let a = rng.random_range(0..n);
                let j = rng.random_range(0..gens.len());
                let mut moved = vec![j];
                moved.extend(self.tree.word(a));
                words.push(moved);
                words.push(self.tree.word(g.mul_idx(gens[j], a)));
                pairs.push((a, j));
            }
            let applied = self.apply_words(&words, &v);
            for (i, &(a, j)) in pairs.iter().enumerate() {
                note(
                    (applied.column(2 * i) - applied.column(2 * i + 1)).norm(),
                    a,
                    j,
                );
            }
            Ok((worst.0, SAMPLED_PAIRS, false, worst.1))
        }
    }
}
