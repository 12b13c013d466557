//! The unitary Fourier matrix `Φ` and the block-diagonal form `Φ M_f Φ*` of a group matrix.

use super::{FourierGm, Irreps};
use crate::Result;
use nalgebra::{DMatrix, DMatrixView};
use num_complex::Complex64;

/// The unnormalised Fourier matrix `F[(ρ,i,j), g] = ρ(g)_{ij}` (rows: coefficient positions
/// of the irreps' layout, columns: elements), so that `f̂ = F f`. No size check.
pub(crate) fn fourier_matrix(irreps: &Irreps) -> DMatrix<Complex64> {
    let n = irreps.order();
    let mut f = DMatrix::<Complex64>::zeros(n, n);
    for (k, irrep) in irreps.irreps().iter().enumerate() {
        let (d, off) = (irrep.dim(), irreps.offset(k));
        for g in 0..n {
            let m = irrep.rep().matrix(g);
            for i in 0..d {
                for j in 0..d {
                    f[(off + i * d + j, g)] = m[(i, j)];
                }
            }
        }
    }
    f
}

/// The unitary Fourier matrix `Φ[(ρ,i,j), g] = √(d_ρ/n) ρ(g)_{ij}`: rows indexed by
/// (irrep `ρ`, row `i`, column `j`) in the irreps' coefficient layout, columns by elements.
/// `Φ Φ* = I` (Schur orthogonality), and for every group matrix
/// `Φ M_f Φ* = ⊕_ρ I_{d_ρ} ⊗ B_ρᵀ` ([`FourierGm::block_diagonal`]). It is the dense
/// transform's matrix ([`super::DenseFourier::matrix`]) with row `(ρ,i,j)` scaled by
/// `√(d_ρ/n)`. See `docs/theory/fourier.md`, fact 8.
///
/// # Errors
/// [`crate::Error::TooLarge`] above [`super::DENSE_LIMIT`].
///
/// # Example
/// ```
/// use gm_algebra::fourier::{irreps, unitary_fourier_matrix};
/// use gm_algebra::group::Dihedral;
/// use gm_algebra::nalgebra::DMatrix;
/// let phi = unitary_fourier_matrix(&irreps(&Dihedral::new(4).unwrap()).unwrap()).unwrap();
/// assert!((&phi * phi.adjoint() - DMatrix::identity(8, 8)).norm() < 1e-12);
/// ```
pub fn unitary_fourier_matrix(irreps: &Irreps) -> Result<DMatrix<Complex64>> {
    let n = irreps.order();
    super::dense::check_dense_order(n)?;
    let mut phi = fourier_matrix(irreps);
    for (k, &d) in irreps.dims().iter().enumerate() {
        let w = (d as f64 / n as f64).sqrt();
        for r in irreps.offset(k)..irreps.offset(k) + d * d {
            phi.row_mut(r).scale_mut(w);
        }
    }
    Ok(phi)
}

impl FourierGm {
    /// The diagonal blocks of `Φ M_f Φ*` ([`unitary_fourier_matrix`]), one `d_ρ²×d_ρ²` block
    /// per irrep in the plan's layout order: block `ρ` is `I_{d_ρ} ⊗ B_ρᵀ` with
    /// `B_ρ = f̃̂(ρ)` ([`FourierGm::blocks`]). Every entry of `Φ M_f Φ*` outside these blocks
    /// is zero, so this is the whole of `Φ M_f Φ*`.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::fourier::{plan, unitary_fourier_matrix, FourierGm};
    /// use gm_algebra::group::Dihedral;
    /// use gm_algebra::nalgebra::DMatrix;
    /// use gm_algebra::num_complex::Complex64;
    /// use gm_algebra::FiniteGroup;
    /// let d3 = Dihedral::new(3).unwrap();
    /// let f: Vec<Complex64> = (0..6).map(|k| Complex64::new(k as f64, 0.0)).collect();
    /// let gm = FourierGm::new(plan(&d3).unwrap(), &f).unwrap();
    /// let m = DMatrix::from_fn(6, 6, |a, b| f[d3.left_div_idx(a, b)]);
    /// let phi = unitary_fourier_matrix(&gm.plan().irreps()).unwrap();
    /// let diag = &phi * m * phi.adjoint();
    /// let blocks = gm.block_diagonal();
    /// assert_eq!(blocks.iter().map(|b| b.nrows()).collect::<Vec<_>>(), vec![1, 1, 4]);
    /// assert!((diag.view((2, 2), (4, 4)) - &blocks[2]).norm() < 1e-12);
    /// ```
    pub fn block_diagonal(&self) -> Vec<DMatrix<Complex64>> {
        let layout = self.plan().layout();
        layout
            .dims()
            .iter()
            .enumerate()
            .map(|(k, &d)| {
                let b = DMatrixView::from_slice(&self.blocks()[layout.offset(k)..][..d * d], d, d);
                // The slice is B_ρ row-major, so read column-major it is B_ρᵀ.
                DMatrix::<Complex64>::identity(d, d).kronecker(&b)
            })
            .collect()
    }
}
