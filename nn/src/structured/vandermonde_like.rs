//! Vandermonde-like matrices in structured-nets' parametrisation.

use super::krylov::shift_krylov_transpose;
use super::low_rank::generators;
use super::StructuredMap;
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::Tensor;

/// `M = Σ_i K(diag(d), g_i) K(Z₀, h_i)ᵀ` (structured-nets' `vandermonde`), i.e.
/// `M = Σ_i diag(g_i) V K(Z₀, h_i)ᵀ` with `V[j,k] = d_j^k`; Stein displacement
/// `Δ_{D,Z₀ᵀ}(M) = GᵀH`, rank `r`. Parameters `G`, `H` (`r × n`, N(0, 1/(r n))) and the nodes
/// `diag` (`n`, U(−0.7, 0.7)). Product: `K(Z₀, h_i)ᵀ x` by FFT, then the dense `V`,
/// `O(r n²)` per row.
#[derive(Debug)]
pub struct VandermondeLike {
    g: Tensor,
    h: Tensor,
    d: Tensor,
}

impl VandermondeLike {
    /// Creates `G`, `H`, `diag` under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64, r: i64) -> Result<Self> {
        let (g, h) = generators(p, n, r)?;
        let d = p.f_var("diag", &[n], Init::Uniform { lo: -0.7, up: 0.7 })?;
        Ok(Self { g, h, d })
    }
}

impl StructuredMap for VandermondeLike {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let n = self.d.size()[0];
        let d = param_like(&self.d, x)?;
        // V[j, k] = d_j^k as a running product along k (differentiable, exact at d = 0).
        let factors = Tensor::f_cat(
            &[
                d.f_ones_like()?.f_unsqueeze(1)?,
                d.f_unsqueeze(1)?.f_expand([n, n - 1], false)?,
            ],
            1,
        )?;
        let v = factors.f_cumprod(1, None::<tch::Kind>)?;
        // (B, r, k) · Vᵀ → (B, r, j), weighted by g_i[j] and summed over i.
        let w = shift_krylov_transpose(&self.h, x, 0.0)?;
        let t = w.f_matmul(&v.f_tr()?)?;
        Ok(t.f_mul(&param_like(&self.g, x)?.f_unsqueeze(0)?)?
            .f_sum_dim_intlist(1i64, false, None)?)
    }

    fn parameter(&self) -> &Tensor {
        &self.g
    }
}
