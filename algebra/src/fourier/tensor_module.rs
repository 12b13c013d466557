//! The tensor product `ψ ⊗ φ` of two representations given by generator images, as a module
//! irreps are cut out of ([`super::ModuleIrreps`]): by Burnside–Brauer, the irreps that no
//! permutation module holds occur in products of those that were built.

use super::generator_images::GeneratorImages;
use super::isotypic::Module;
use crate::budget::{self, bytes_for};
use crate::group::ConjugacyClasses;
use crate::Result;
use nalgebra::{DMatrix, DMatrixView, DVector};
use num_complex::Complex64;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The module `V_ψ ⊗ V_φ` of dimension `d_ψ d_φ`: a vector is a `d_ψ × d_φ` matrix `V`
/// (column-major) and `π(g) V = ψ(g) V φ(g)ᵀ`, `d_ψ d_φ (d_ψ + d_φ)` operations per generator
/// instead of `(d_ψ d_φ)²`. Its character is `ψ·φ`, from the exact table.
///
/// The start vector is a seeded random product `v₀ = x ⊗ y` (`V₀ = x yᵀ`), whose projection
/// `e_χ v₀` is nonzero for every `χ` in the product (products span the module, so `e_χ` does
/// not vanish on all of them, and a random one avoids the zero set of a nonzero polynomial).
/// Its class sums `K_k v₀ = Σ_{g ∈ C_k} (ψ(g)x)(φ(g)y)ᵀ` take one depth-first walk of the
/// Schreier tree carrying `ψ(g)x` and `φ(g)y`: `n (d_ψ² + d_φ² + d_ψ d_φ)` operations and
/// memory for `r` class sums, independent of `n`.
pub(crate) struct TensorModule<'a> {
    left: &'a GeneratorImages,
    right: &'a GeneratorImages,
    /// `φ(s_j)ᵀ`, applied on the right.
    right_transposed: Vec<DMatrix<Complex64>>,
    classes: &'a ConjugacyClasses,
    character: Vec<Complex64>,
    description: String,
    x: DVector<Complex64>,
    y: DVector<Complex64>,
}

impl<'a> TensorModule<'a> {
    /// The product of `left` and `right` (images along the same Schreier tree), with
    /// character `character` (one value per class of `classes`) and a description.
    ///
    /// # Panics
    /// If the two representations have different numbers of generator images.
    pub(crate) fn new(
        left: &'a GeneratorImages,
        right: &'a GeneratorImages,
        classes: &'a ConjugacyClasses,
        character: Vec<Complex64>,
        description: String,
    ) -> Self {
        assert_eq!(
            left.images().len(),
            right.images().len(),
            "one image per generator on both sides"
        );
        let mut rng = ChaCha8Rng::seed_from_u64(0x7e45_0a11);
        let mut unit = |d: usize| {
            let v = DVector::from_fn(d, |_, _| {
                Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))
            });
            let norm = v.norm();
            v / Complex64::from(norm)
        };
        let (x, y) = (unit(left.dim()), unit(right.dim()));
        Self {
            left,
            right,
            right_transposed: right.images().iter().map(DMatrix::transpose).collect(),
            classes,
            character,
            description,
            x,
            y,
        }
    }

    /// `ψ(g) V φ(g)ᵀ` for `a = ψ(g)` and `bt = φ(g)ᵀ`.
    fn act(
        &self,
        a: &DMatrix<Complex64>,
        bt: &DMatrix<Complex64>,
        v: &[Complex64],
    ) -> Vec<Complex64> {
        let m = DMatrixView::from_slice(v, self.left.dim(), self.right.dim());
        (a * m * bt).data.into()
    }
}

impl Module for TensorModule<'_> {
    /// `(ψ(g), φ(g)ᵀ)`.
    type Element = (DMatrix<Complex64>, DMatrix<Complex64>);

    fn description(&self) -> &str {
        &self.description
    }

    fn dim(&self) -> usize {
        self.left.dim() * self.right.dim()
    }

    fn character(&self) -> &[Complex64] {
        &self.character
    }

    fn start(&self) -> Vec<Complex64> {
        (&self.x * self.y.transpose()).data.into()
    }

    fn class_sums(&self) -> Result<Vec<Vec<Complex64>>> {
        let (dl, dr) = (self.left.dim(), self.right.dim());
        let tree = self.left.tree();
        let path = bytes_for(tree.depth() + 1, 16 * (dl + dr) as u64);
        budget::require(
            &format!("the class sums of {}", self.description),
            bytes_for(self.classes.count(), 32 * self.dim() as u64)
                .and_then(|sums| sums.checked_add(path?)),
            "lower the tensor dimension limit",
        )?;
        let split = |m: &DMatrix<Complex64>| Split::new(m.nrows(), m.as_slice());
        let left: Vec<Split> = self.left.images().iter().map(split).collect();
        let right: Vec<Split> = self.right.images().iter().map(split).collect();
        let mut sums = vec![Split::zeros(self.dim()); self.classes.count()];
        tree.depth_first(
            (
                Split::new(dl, self.x.as_slice()),
                Split::new(dr, self.y.as_slice()),
            ),
            |(x, y), j| (left[j].mul_vector(x), right[j].mul_vector(y)),
            |a, (x, y)| sums[self.classes.class_of(a)].add_outer(x, y),
        )?;
        Ok(sums.iter().map(Split::to_complex).collect())
    }

    fn apply_generator(&self, j: usize, v: &[Complex64]) -> Vec<Complex64> {
        self.act(&self.left.images()[j], &self.right_transposed[j], v)
    }

    fn element(&self, a: usize) -> Self::Element {
        (self.left.matrix(a), self.right.matrix(a).transpose())
    }

    fn apply(&self, (a, bt): &Self::Element, v: &[Complex64]) -> Vec<Complex64> {
        self.act(a, bt, v)
    }
}

/// Complex numbers as separate real and imaginary parts, so that the inner loops of the walk
/// over the group (`n` matrix–vector products and outer products) are plain `f64` FMAs the
/// compiler vectorises; a matrix is stored column-major, a vector as one column.
#[derive(Debug, Clone)]
struct Split {
    rows: usize,
    re: Vec<f64>,
    im: Vec<f64>,
}

impl Split {
    /// `n` zeros.
    fn zeros(n: usize) -> Self {
        Self {
            rows: n,
            re: vec![0.0; n],
            im: vec![0.0; n],
        }
    }

    /// The matrix with `rows` rows and the given entries, column-major (a vector: one
    /// column).
    fn new(rows: usize, entries: &[Complex64]) -> Self {
        Self {
            rows,
            re: entries.iter().map(|z| z.re).collect(),
            im: entries.iter().map(|z| z.im).collect(),
        }
    }

    /// The complex entries, column-major.
    fn to_complex(&self) -> Vec<Complex64> {
        self.re
            .iter()
            .zip(&self.im)
            .map(|(&re, &im)| Complex64::new(re, im))
            .collect()
    }

    /// `self · x` for a square matrix, as a sum of columns scaled by the entries of `x`.
    fn mul_vector(&self, x: &Self) -> Self {
        let n = self.rows;
        let mut out = Self::zeros(n);
        let columns = self.re.chunks_exact(n).zip(self.im.chunks_exact(n));
        for (column, c) in columns.zip(x.re.iter().copied().zip(x.im.iter().copied())) {
            axpy((&mut out.re, &mut out.im), c, column);
        }
        out
    }

    /// `self += x yᵀ` for `self` of `x.rows × y.rows`, column-major.
    fn add_outer(&mut self, x: &Self, y: &Self) {
        let n = x.rows;
        let columns = self.re.chunks_exact_mut(n).zip(self.im.chunks_exact_mut(n));
        for (column, c) in columns.zip(y.re.iter().copied().zip(y.im.iter().copied())) {
            axpy(column, c, (&x.re, &x.im));
        }
    }
}

/// `out += c · a` for a complex scalar `c` and columns `out`, `a` given by their parts.
fn axpy(
    (o_re, o_im): (&mut [f64], &mut [f64]),
    (c_re, c_im): (f64, f64),
    (a_re, a_im): (&[f64], &[f64]),
) {
    for (((o_r, o_i), &a_r), &a_i) in o_re.iter_mut().zip(o_im).zip(a_re).zip(a_im) {
        *o_r += a_r * c_re - a_i * c_im;
        *o_i += a_r * c_im + a_i * c_re;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fourier::irreps;
    use crate::group::{SchreierTree, Symmetric};
    use crate::FiniteGroup;
    use std::sync::Arc;

    /// Against the dense irreps of `S_4` (`2 ⊗ 3`, `3 ⊗ 3'`): the generators act as the
    /// Kronecker product `φ(s) ⊗ ψ(s)` on the column-major `V`, and the class sums from the
    /// walk equal `Σ_{g ∈ C_k} (φ(g) ⊗ ψ(g)) v₀` summed over the class members.
    #[test]
    fn the_walk_and_the_action_match_kronecker_products() {
        let g = Symmetric::new(4).unwrap();
        let classes = ConjugacyClasses::compute(&g);
        let dense = irreps(&g).unwrap();
        let gens = g.generator_indices();
        let tree = Arc::new(SchreierTree::new(&g, &gens).unwrap());
        let reps: Vec<_> = dense.irreps().iter().map(|r| r.rep()).collect();
        let of_degree = |d: usize| reps.iter().filter(move |r| r.matrix(0).nrows() == d);
        let two = of_degree(2).next().unwrap();
        let mut threes = of_degree(3);
        let (three, other_three) = (threes.next().unwrap(), threes.next().unwrap());
        for (psi, phi) in [(two, three), (three, other_three)] {
            let images = |rep: &&crate::fourier::Representation| {
                let m = gens.iter().map(|&s| rep.matrix(s).into_owned()).collect();
                GeneratorImages::new(Arc::clone(&tree), m).unwrap()
            };
            let (left, right) = (images(psi), images(phi));
            let kron = |a: usize| phi.matrix(a).kronecker(&psi.matrix(a));
            let character = (0..classes.count())
                .map(|k| kron(classes.representative(k)).trace())
                .collect();
            let module = TensorModule::new(&left, &right, &classes, character, "test".into());
            let v0 = DVector::from_vec(module.start());
            let dim = module.dim() as f64;
            for (j, &s) in gens.iter().enumerate() {
                let got = DVector::from_vec(module.apply_generator(j, v0.as_slice()));
                assert!((got - kron(s) * &v0).norm() < 1e-12 * dim);
            }
            for (k, sum) in module.class_sums().unwrap().iter().enumerate() {
                let want = classes
                    .members(k)
                    .iter()
                    .fold(DVector::zeros(module.dim()), |acc, &a| acc + kron(a) * &v0);
                assert!((DVector::from_column_slice(sum) - want).norm() < 1e-12 * dim);
            }
        }
    }
}
