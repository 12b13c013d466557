//! LDR-TD: learned tridiagonal operators.

use super::krylov::{krylov_columns, krylov_product};
use super::low_rank::generators;
use super::StructuredMap;
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::Tensor;

/// A learned tridiagonal operator: subdiagonal (`n − 1`, init 1), diagonal (`n`, init 0),
/// superdiagonal (`n − 1`, init 0) — the down-shift `Z₀` at initialisation.
#[derive(Debug)]
struct Tridiagonal {
    sub: Tensor,
    diag: Tensor,
    sup: Tensor,
}

impl Tridiagonal {
    /// Creates `subd_<s>`, `diag_<s>`, `supd_<s>` under `p`.
    fn new(p: &Path, n: i64, suffix: &str) -> Result<Self> {
        Ok(Self {
            sub: p.f_var(&format!("subd_{suffix}"), &[n - 1], Init::Const(1.0))?,
            diag: p.f_var(&format!("diag_{suffix}"), &[n], Init::Const(0.0))?,
            sup: p.f_var(&format!("supd_{suffix}"), &[n - 1], Init::Const(0.0))?,
        })
    }

    /// `K(T, v_i)` (`(r, n, n)`) for the rows of `v`, in the dtype of `v`:
    /// `(Tv)_j = sub_{j−1} v_{j−1} + diag_j v_j + sup_j v_{j+1}`.
    fn krylov(&self, v: &Tensor) -> Result<Tensor> {
        let (r, n) = (v.size()[0], v.size()[1]);
        let (sub, diag, sup) = (
            param_like(&self.sub, v)?,
            param_like(&self.diag, v)?,
            param_like(&self.sup, v)?,
        );
        let zero = v.f_new_zeros([r, 1], (v.kind(), v.device()))?;
        krylov_columns(v, |u| {
            let down = u.f_narrow(1, 0, n - 1)?.f_mul(&sub)?;
            let up = u.f_narrow(1, 1, n - 1)?.f_mul(&sup)?;
            let y = u.f_mul(&diag)?;
            let y = y.f_add(&Tensor::f_cat(&[zero.shallow_clone(), down], 1)?)?;
            Ok(y.f_add(&Tensor::f_cat(&[up, zero.shallow_clone()], 1)?)?)
        })
    }
}

/// `M = Σ_i K(A, g_i) K(B, h_i)ᵀ` with learned tridiagonal `A`, `B` (structured-nets'
/// `tridiagonal`: no corners, untied; `A = B = Z₀` at initialisation). Stein displacement
/// `Δ_{A,Bᵀ}(M) = GᵀH − Aⁿ GᵀH (Bⁿ)ᵀ`, rank `≤ 2r`. Parameters `G`, `H` (`r × n`,
/// N(0, 1/(r n))), `subd_A`, `diag_A`, `supd_A`, `subd_B`, `diag_B`, `supd_B`.
///
/// Product: the Krylov matrices by `n − 1` sequential operator applications, then
/// `O(r n²)` per row (structured-nets' cost).
#[derive(Debug)]
pub struct LdrTd {
    g: Tensor,
    h: Tensor,
    a: Tridiagonal,
    b: Tridiagonal,
}

impl LdrTd {
    /// Creates the generators and both operators under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64, r: i64) -> Result<Self> {
        let (g, h) = generators(p, n, r)?;
        Ok(Self {
            g,
            h,
            a: Tridiagonal::new(p, n, "A")?,
            b: Tridiagonal::new(p, n, "B")?,
        })
    }
}

impl StructuredMap for LdrTd {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let ka = self.a.krylov(&param_like(&self.g, x)?)?;
        let kb = self.b.krylov(&param_like(&self.h, x)?)?;
        krylov_product(&ka, &kb, x)
    }

    fn parameter(&self) -> &Tensor {
        &self.g
    }
}
