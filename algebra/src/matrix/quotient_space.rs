//! Group matrices on homogeneous spaces: the `G`-equivariant linear maps
//! `ℝ^{G/H₁} → ℝ^{G/H₂}`, one parameter per double coset `H₂\G/H₁`.

use super::check_len;
use crate::group::DoubleCosets;
use crate::space::HomogeneousSpace;
use crate::{Error, FiniteGroup, Result};
use nalgebra::DMatrix;

/// An equivariant linear map from `X₁ = G/H₁` (the input space) to `X₂ = G/H₂` (the output
/// space): the group matrix of a homogeneous space.
///
/// Definition: with `g_x` the representative of point `x`,
///
/// `M[x, y] = κ(g_x⁻¹ g_y)`  for `x ∈ X₂`, `y ∈ X₁`,
///
/// where `κ: G → ℝ` is constant on the double cosets `H₂ g H₁` (so the entry does not depend
/// on the representatives). Such `M` satisfy `λ_{X₂}(u) M = M λ_{X₁}(u)` for every `u`, and
/// every equivariant map is of this form, so the space has dimension `|H₂\G/H₁|`: the
/// parameters are `κ` on each double coset, in the numbering of [`DoubleCosets`]. For
/// `H₁ = H₂ = {e}` this is the ordinary [`GroupMatrix`](super::GroupMatrix); for
/// `X₁ = X₂ = G/H` it is a GM on `G/H`, with `κ` bi-`H`-invariant.
///
/// The double-coset label of every entry is computed once (`|X₂|·|X₁|` `u32`s), so
/// [`QuotientGroupMatrix::apply`] costs `O(|X₂|·|X₁|)` with no group products.
///
/// # Example
/// ```
/// use gm_algebra::group::{Dihedral, Subgroup};
/// use gm_algebra::matrix::QuotientGroupMatrix;
/// use gm_algebra::space::HomogeneousSpace;
/// // D4 on the 4 vertices of a square: equivariant maps are spanned by
/// // "same vertex", "adjacent vertex", "opposite vertex".
/// let d4 = Dihedral::new(4).unwrap();
/// let square = HomogeneousSpace::new(d4, &Subgroup::generated_by(&d4, &[4]).unwrap()).unwrap();
/// let m = QuotientGroupMatrix::on(&square, vec![2.0, 1.0, 0.0]).unwrap();
/// assert_eq!(m.dimension(), 3);
/// assert_eq!(m.apply(&[1.0, 0.0, 0.0, 0.0]), vec![2.0, 1.0, 0.0, 1.0]);
/// ```
#[derive(Debug, Clone)]
pub struct QuotientGroupMatrix {
    double_cosets: DoubleCosets,
    rows: usize,
    cols: usize,
    labels: Vec<u32>,
    values: Vec<f64>,
}

impl QuotientGroupMatrix {
    /// The equivariant map `ℝ^{input} → ℝ^{output}` with `values[d] = κ` on double coset `d`
    /// of `H₂\G/H₁`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the spaces are over groups of different orders or
    /// `values.len()` is not the number of double cosets.
    pub fn new<G: FiniteGroup>(
        input: &HomogeneousSpace<G>,
        output: &HomogeneousSpace<G>,
        values: Vec<f64>,
    ) -> Result<Self> {
        let mut m = Self::layout(input, output)?;
        if values.len() != m.dimension() {
            return Err(Error::ShapeMismatch {
                what: "one value per double coset".into(),
                expected: m.dimension(),
                got: values.len(),
            });
        }
        m.values = values;
        Ok(m)
    }

    /// A GM on `X = G/H`: the equivariant map `X → X` with one value per double coset `H\G/H`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `values.len()` is not the number of double cosets.
    pub fn on<G: FiniteGroup>(space: &HomogeneousSpace<G>, values: Vec<f64>) -> Result<Self> {
        Self::new(space, space, values)
    }

    /// The orthogonal projection of an `|X₂| × |X₁|` matrix onto the equivariant maps:
    /// `(1/|G|) Σ_u λ_{X₂}(u) M λ_{X₁}(u)⁻¹`, i.e. the mean of `M` over each `G`-orbit of
    /// pairs `(x, y)`. The orbit of `(x, y)` is the double coset of `g_x⁻¹ g_y`, so `κ` on a
    /// double coset is the mean of the entries labelled by it; `O(|X₂|·|X₁|)`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the groups' orders differ or `m` is not
    /// `|X₂| × |X₁|`.
    pub fn project<G: FiniteGroup>(
        input: &HomogeneousSpace<G>,
        output: &HomogeneousSpace<G>,
        m: &DMatrix<f64>,
    ) -> Result<Self> {
        let mut out = Self::layout(input, output)?;
        for (what, expected, got) in [
            ("matrix rows (output points)", out.rows, m.nrows()),
            ("matrix columns (input points)", out.cols, m.ncols()),
        ] {
            if got != expected {
                return Err(Error::ShapeMismatch {
                    what: what.into(),
                    expected,
                    got,
                });
            }
        }
        let mut counts = vec![0usize; out.dimension()];
        for x in 0..out.rows {
            for y in 0..out.cols {
                let d = out.labels[x * out.cols + y] as usize;
                out.values[d] += m[(x, y)];
                counts[d] += 1;
            }
        }
        for (v, &c) in out.values.iter_mut().zip(&counts) {
            *v /= c as f64;
        }
        Ok(out)
    }

    /// The double cosets, the labels of every entry, and zero values.
    fn layout<G: FiniteGroup>(
        input: &HomogeneousSpace<G>,
        output: &HomogeneousSpace<G>,
    ) -> Result<Self> {
        let group = input.group();
        let n = group.order();
        if output.group().order() != n {
            return Err(Error::ShapeMismatch {
                what: "order of the output space's group".into(),
                expected: n,
                got: output.group().order(),
            });
        }
        if u32::try_from(n).is_err() {
            return Err(Error::TooLarge {
                order: n,
                operation: "a quotient group matrix (u32 labels)".into(),
                limit: u32::MAX as usize,
            });
        }
        let double_cosets = DoubleCosets::new(group, output.subgroup(), input.subgroup())?;
        let (rows, cols) = (output.representatives(), input.representatives());
        let mut labels = Vec::with_capacity(rows.len() * cols.len());
        for &gx in rows {
            labels.extend(
                cols.iter()
                    .map(|&gy| double_cosets.double_coset_of(group.left_div_idx(gx, gy)) as u32),
            );
        }
        let dimension = double_cosets.count();
        Ok(Self {
            double_cosets,
            rows: rows.len(),
            cols: cols.len(),
            labels,
            values: vec![0.0; dimension],
        })
    }

    /// The dimension of the space of equivariant maps `X₁ → X₂`: the number of double
    /// cosets `|H₂\G/H₁|`.
    pub fn dimension(&self) -> usize {
        self.double_cosets.count()
    }

    /// The double cosets `H₂\G/H₁` that number the parameters.
    pub fn double_cosets(&self) -> &DoubleCosets {
        &self.double_cosets
    }

    /// The parameters: `κ` on each double coset.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The number of input points `|X₁|` (columns).
    pub fn num_inputs(&self) -> usize {
        self.cols
    }

    /// The number of output points `|X₂|` (rows).
    pub fn num_outputs(&self) -> usize {
        self.rows
    }

    /// The entry `M[x, y] = κ(g_x⁻¹ g_y)`.
    ///
    /// # Panics
    /// If `x ≥ |X₂|` or `y ≥ |X₁|`.
    pub fn entry(&self, x: usize, y: usize) -> f64 {
        assert!(
            x < self.rows && y < self.cols,
            "point ({x}, {y}) out of range"
        );
        self.values[self.labels[x * self.cols + y] as usize]
    }

    /// The dense `|X₂| × |X₁|` matrix.
    pub fn to_dense(&self) -> DMatrix<f64> {
        DMatrix::from_fn(self.rows, self.cols, |x, y| self.entry(x, y))
    }

    /// `M φ` for a function `φ` on the input points: `(Mφ)(x) = Σ_y κ(g_x⁻¹g_y) φ(y)`.
    ///
    /// # Panics
    /// If `phi.len() != |X₁|`.
    pub fn apply(&self, phi: &[f64]) -> Vec<f64> {
        check_len("quotient GM input", self.cols, phi.len());
        self.labels
            .chunks_exact(self.cols.max(1))
            .take(self.rows)
            .map(|row| {
                row.iter()
                    .zip(phi)
                    .map(|(&d, &p)| self.values[d as usize] * p)
                    .sum()
            })
            .collect()
    }
}
