//! LDR-SD: learned subdiagonal operators.

use super::krylov::krylov_product;
use super::low_rank::generators;
use super::StructuredMap;
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::{Kind, Tensor};

/// `M = Σ_i K(A, g_i) K(B, h_i)ᵀ` with `A`, `B` zero except for their learned subdiagonals
/// `subd_A`, `subd_B` (`n − 1` entries, initialised to 1, so `A = B = Z₀` at start; no
/// corners, untied — structured-nets' `subdiagonal`). `A`, `B` are nilpotent, so the Stein
/// displacement `Δ_{A,Bᵀ}(M)` is exactly `GᵀH`, rank `r`. Parameters also `G`, `H`
/// (`r × n`, N(0, 1/(r n))).
///
/// Product: the Krylov matrices are built explicitly and vectorised,
/// `K(A, g)[j,k] = g[j−k] · Π_{l=j−k}^{j−1} a_l` for `j ≥ k` (a running product), then
/// `O(r n²)` per row.
#[derive(Debug)]
pub struct LdrSd {
    g: Tensor,
    h: Tensor,
    sub_a: Tensor,
    sub_b: Tensor,
    /// `j − k` where `j ≥ k`, else 0 (`n × n`, flattened).
    offset: Tensor,
    /// `j − k` where `1 ≤ k ≤ j`, else `n − 1` (the padding 1), flattened.
    factor_index: Tensor,
    /// 1 where `j ≥ k`.
    lower: Tensor,
}

impl LdrSd {
    /// Creates `G`, `H`, `subd_A`, `subd_B` under `p`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn new(p: &Path, n: i64, r: i64) -> Result<Self> {
        let (g, h) = generators(p, n, r)?;
        let sub_a = p.f_var("subd_A", &[n - 1], Init::Const(1.0))?;
        let sub_b = p.f_var("subd_B", &[n - 1], Init::Const(1.0))?;
        let (mut offset, mut factor_index, mut lower) = (vec![], vec![], vec![]);
        for j in 0..n {
            for k in 0..n {
                offset.push(if j >= k { j - k } else { 0 });
                factor_index.push(if (1..=j).contains(&k) { j - k } else { n - 1 });
                lower.push(if j >= k { 1.0 } else { 0.0 });
            }
        }
        let device = p.device();
        let index = |v: Vec<i64>| Tensor::from_slice(&v).f_to_device(device);
        Ok(Self {
            g,
            h,
            sub_a,
            sub_b,
            offset: index(offset)?,
            factor_index: index(factor_index)?,
            lower: Tensor::from_slice(&lower)
                .f_view([n, n])?
                .f_to_device(device)?,
        })
    }

    /// `K(A, v_i)` (`(r, n, n)`) for the subdiagonal `a` and the rows of `v`.
    fn krylov(&self, a: &Tensor, v: &Tensor) -> Result<Tensor> {
        let (r, n) = (v.size()[0], v.size()[1]);
        let padded = Tensor::f_cat(
            &[
                a.shallow_clone(),
                a.f_new_ones([1], (a.kind(), a.device()))?,
            ],
            0,
        )?;
        let products = padded
            .f_index_select(0, &self.factor_index)?
            .f_view([n, n])?
            .f_cumprod(1, None::<Kind>)?
            .f_mul(&self.lower.f_to_kind(a.kind())?)?;
        let shifted = v.f_index_select(1, &self.offset)?.f_view([r, n, n])?;
        Ok(shifted.f_mul(&products.f_unsqueeze(0)?)?)
    }
}

impl StructuredMap for LdrSd {
    fn apply(&self, x: &Tensor) -> Result<Tensor> {
        let p = |t: &Tensor| param_like(t, x);
        let ka = self.krylov(&p(&self.sub_a)?, &p(&self.g)?)?;
        let kb = self.krylov(&p(&self.sub_b)?, &p(&self.h)?)?;
        krylov_product(&ka, &kb, x)
    }

    fn parameter(&self) -> &Tensor {
        &self.g
    }
}
