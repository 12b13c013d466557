//! Group matrices through the Fourier transform: apply, product, inverse, solve, spectrum.

use super::FourierTransform;
use crate::matrix::GroupMatrix;
use crate::{Error, FiniteGroup, Result};
use nalgebra::{DMatrix, DMatrixView};
use num_complex::Complex64;
use std::sync::Arc;

/// A group matrix `M_f[a,b] = f(g_a⁻¹ g_b)` held in its Fourier-diagonal form.
///
/// With `x̂(ρ) = Σ_g x(g) ρ(g)`, one has `(M_f x)^(ρ) = x̂(ρ) B_ρ` where
/// `B_ρ = Σ_k f(k) ρ(k⁻¹) = f̃̂(ρ)` (`f̃(g) = f(g⁻¹)`), i.e. the unitary Fourier matrix
/// `Φ[(ρ,i,j), g] = √(d_ρ/n) ρ(g)_{ij}` gives `Φ M_f Φ* = ⊕_ρ I_{d_ρ} ⊗ B_ρᵀ`. The blocks
/// `B_ρ` are computed once (`B_ρ = (conj f)^(ρ)*`, so no group is needed beyond the plan);
/// apply is then forward transform, `Σ d_ρ³` block products with `B_ρ/n`, unnormalised
/// inverse transform.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{plan, FourierGm};
/// use gm_algebra::group::Cyclic;
/// use num_complex::Complex64;
/// let z4 = Cyclic::new(4).unwrap();
/// // f = δ_r: (M_f x)(g) = Σ_k f(k) x(g k) = x(g·r)
/// let f: Vec<Complex64> = (0..4).map(|k| Complex64::new((k == 1) as u8 as f64, 0.0)).collect();
/// let gm = FourierGm::new(plan(&z4).unwrap(), &f).unwrap();
/// let x: Vec<Complex64> = (0..4).map(|k| Complex64::new(k as f64, 0.0)).collect();
/// let y = gm.apply(&x).unwrap();
/// assert!((y[3].re - 0.0).abs() < 1e-12 && (y[0].re - 1.0).abs() < 1e-12);
/// ```
#[derive(Clone)]
pub struct FourierGm {
    plan: Arc<dyn FourierTransform>,
    blocks: Vec<Complex64>,
    /// `B_ρ / n`: apply folds the inverse's `1/n` into the block products.
    scaled: Vec<Complex64>,
    all_linear: bool,
}

impl std::fmt::Debug for FourierGm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FourierGm({}, n = {})",
            self.plan.algorithm(),
            self.plan.len()
        )
    }
}

impl FourierGm {
    /// Prepares `M_f` for the kernel `f` (length `n`): one forward transform.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `kernel.len() != n`.
    pub fn new(plan: Arc<dyn FourierTransform>, kernel: &[Complex64]) -> Result<Self> {
        let conj: Vec<Complex64> = kernel.iter().map(|z| z.conj()).collect();
        let mut blocks = plan.forward(&conj)?;
        let layout = plan.layout();
        for (k, &d) in layout.dims().iter().enumerate() {
            let b = &mut blocks[layout.offset(k)..][..d * d];
            for i in 0..d {
                b[i * d + i] = b[i * d + i].conj();
                for j in i + 1..d {
                    let (x, y) = (b[i * d + j], b[j * d + i]);
                    b[i * d + j] = y.conj();
                    b[j * d + i] = x.conj();
                }
            }
        }
        Ok(Self::from_blocks(plan, blocks))
    }

    fn from_blocks(plan: Arc<dyn FourierTransform>, blocks: Vec<Complex64>) -> Self {
        let all_linear = plan.layout().all_linear();
        let inv_n = 1.0 / plan.len() as f64;
        let scaled = blocks.iter().map(|b| b * inv_n).collect();
        Self {
            plan,
            blocks,
            scaled,
            all_linear,
        }
    }

    /// The Fourier form of a [`GroupMatrix`], with its group's plan from the global
    /// [`super::FourierPlanner`].
    ///
    /// # Errors
    /// Those of [`super::plan`].
    ///
    /// # Example
    /// ```
    /// use gm_algebra::fourier::FourierGm;
    /// use gm_algebra::group::Dihedral;
    /// use gm_algebra::matrix::GroupMatrix;
    /// use num_complex::Complex64;
    /// let m = GroupMatrix::sparse(Dihedral::new(5).unwrap(), vec![(0, 2.0), (1, 1.0), (6, -1.0)]).unwrap();
    /// let fm = FourierGm::from_group_matrix(&m).unwrap();
    /// let x: Vec<f64> = (0..10).map(|k| k as f64).collect();
    /// let xc: Vec<Complex64> = x.iter().map(|&v| Complex64::new(v, 0.0)).collect();
    /// let (y, yc) = (m.apply(&x), fm.apply(&xc).unwrap());
    /// assert!(y.iter().zip(&yc).all(|(a, b)| (a - b.re).abs() < 1e-12));
    /// ```
    pub fn from_group_matrix<G: FiniteGroup>(m: &GroupMatrix<G>) -> Result<Self> {
        let kernel: Vec<Complex64> = m
            .kernel()
            .to_vec()
            .into_iter()
            .map(|v| Complex64::new(v, 0.0))
            .collect();
        Self::new(super::plan(m.group())?, &kernel)
    }

    /// The plan used.
    pub fn plan(&self) -> &Arc<dyn FourierTransform> {
        &self.plan
    }

    /// The blocks `B_ρ = f̃̂(ρ)`, flat in the plan's layout (each row-major).
    pub fn blocks(&self) -> &[Complex64] {
        &self.blocks
    }

    /// The kernel `f` back (one inverse transform).
    pub fn kernel(&self) -> Vec<Complex64> {
        let mut adj = self.blocks.clone();
        self.for_each_block(&mut adj, |b| b.adjoint());
        let conj = self
            .plan
            .inverse(&adj)
            .expect("blocks have the plan's length");
        conj.into_iter().map(|z| z.conj()).collect()
    }

    /// The scratch `apply_with_scratch` needs.
    pub fn scratch_len(&self) -> usize {
        self.plan.inplace_scratch_len()
    }

    /// `y = M_f x`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `x.len() != n`.
    pub fn apply(&self, x: &[Complex64]) -> Result<Vec<Complex64>> {
        let mut out = vec![Complex64::default(); self.plan.len()];
        let mut scratch = vec![Complex64::default(); self.scratch_len()];
        self.apply_with_scratch(x, &mut out, &mut scratch)?;
        Ok(out)
    }

    /// `out = M_f x` using `scratch` (at least [`FourierGm::scratch_len`]).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if a buffer has the wrong length.
    pub fn apply_with_scratch(
        &self,
        x: &[Complex64],
        out: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        let n = self.plan.len();
        for (what, got) in [
            ("GM apply input length", x.len()),
            ("GM apply output length", out.len()),
        ] {
            if got != n {
                return Err(Error::ShapeMismatch {
                    what: what.into(),
                    expected: n,
                    got,
                });
            }
        }
        out.copy_from_slice(x);
        self.plan.forward_inplace(out, scratch)?;
        let hat = out;
        let layout = self.plan.layout();
        if self.all_linear {
            hat.iter_mut().zip(&self.scaled).for_each(|(a, b)| *a *= b);
        } else {
            let mut row = Vec::new();
            for (k, &d) in layout.dims().iter().enumerate() {
                let off = layout.offset(k);
                let b = &self.scaled[off..][..d * d];
                let xh = &mut hat[off..][..d * d];
                for i in 0..d {
                    row.clear();
                    row.extend_from_slice(&xh[i * d..(i + 1) * d]);
                    for j in 0..d {
                        xh[i * d + j] = (0..d).map(|l| row[l] * b[l * d + j]).sum();
                    }
                }
            }
        }
        self.plan.inverse_unnormalized_inplace(hat, scratch)
    }

    /// Applies `op` to every block (as a `d×d` matrix) of a flat coefficient vector.
    fn for_each_block(
        &self,
        flat: &mut [Complex64],
        mut op: impl FnMut(DMatrix<Complex64>) -> DMatrix<Complex64>,
    ) {
        let layout = self.plan.layout();
        for (k, &d) in layout.dims().iter().enumerate() {
            let off = layout.offset(k);
            let m = block(&flat[off..][..d * d], d);
            let r = op(m);
            for i in 0..d {
                for j in 0..d {
                    flat[off + i * d + j] = r[(i, j)];
                }
            }
        }
    }

    /// `M_f M_h` (the GM of the convolution `f∗h`): blocks `B_h B_f`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if the two GMs use plans of different layouts.
    pub fn product(&self, other: &FourierGm) -> Result<FourierGm> {
        if self.plan.layout() != other.plan.layout() {
            return Err(Error::ShapeMismatch {
                what: "GM product: Fourier layouts".into(),
                expected: self.plan.len(),
                got: other.plan.len(),
            });
        }
        let mut blocks = self.blocks.clone();
        let layout = self.plan.layout();
        for (k, &d) in layout.dims().iter().enumerate() {
            let off = layout.offset(k);
            let p =
                block(&other.blocks[off..][..d * d], d) * block(&self.blocks[off..][..d * d], d);
            for i in 0..d {
                for j in 0..d {
                    blocks[off + i * d + j] = p[(i, j)];
                }
            }
        }
        Ok(Self::from_blocks(Arc::clone(&self.plan), blocks))
    }

    /// `M_f⁻¹`, itself a GM (of the group-algebra inverse of `f`): blocks `B_ρ⁻¹`.
    ///
    /// # Errors
    /// [`Error::Singular`] naming the irrep whose block is (numerically) singular.
    pub fn inverse(&self) -> Result<FourierGm> {
        let layout = self.plan.layout();
        let scale = self.blocks.iter().map(|z| z.norm()).fold(0.0, f64::max);
        let mut blocks = self.blocks.clone();
        for (k, &d) in layout.dims().iter().enumerate() {
            let off = layout.offset(k);
            let b = block(&self.blocks[off..][..d * d], d);
            let svd = b.clone().svd(false, false);
            let smin = svd.singular_values.min();
            if smin <= 1e-12 * scale * self.plan.len() as f64 {
                return Err(Error::Singular {
                    reason: format!(
                        "the block of irrep {k} has smallest singular value {smin:.3e}"
                    ),
                });
            }
            let inv = b.try_inverse().ok_or_else(|| Error::Singular {
                reason: format!("the block of irrep {k} is not invertible"),
            })?;
            for i in 0..d {
                for j in 0..d {
                    blocks[off + i * d + j] = inv[(i, j)];
                }
            }
        }
        Ok(Self::from_blocks(Arc::clone(&self.plan), blocks))
    }

    /// The `x` with `M_f x = y`.
    ///
    /// # Errors
    /// [`Error::Singular`] as for [`FourierGm::inverse`]; [`Error::ShapeMismatch`] if
    /// `y.len() != n`.
    pub fn solve(&self, y: &[Complex64]) -> Result<Vec<Complex64>> {
        self.inverse()?.apply(y)
    }

    /// The eigenvalues of `M_f` with multiplicity: each eigenvalue of `B_ρ` repeated `d_ρ`
    /// times, irreps in layout order.
    pub fn spectrum(&self) -> Vec<Complex64> {
        let layout = self.plan.layout();
        let mut out = Vec::with_capacity(self.plan.len());
        for (k, &d) in layout.dims().iter().enumerate() {
            let b = block(&self.blocks[layout.offset(k)..][..d * d], d);
            let ev = eigenvalues(b);
            for _ in 0..d {
                out.extend_from_slice(&ev);
            }
        }
        out
    }
}

/// A row-major flat block as a matrix.
fn block(flat: &[Complex64], d: usize) -> DMatrix<Complex64> {
    DMatrixView::from_slice(flat, d, d).transpose()
}

/// The eigenvalues of a small complex matrix (diagonal of its Schur form).
fn eigenvalues(b: DMatrix<Complex64>) -> Vec<Complex64> {
    if b.nrows() == 1 {
        return vec![b[(0, 0)]];
    }
    let (_, t) = nalgebra::Schur::new(b).unpack();
    t.diagonal().iter().copied().collect()
}
