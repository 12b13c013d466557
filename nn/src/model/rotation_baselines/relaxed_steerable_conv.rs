//! The relaxed steerable convolution of Wang et al.: steerable basis kernels combined with
//! weights that may change from one kernel position to the next.
use super::steerable::{check_fields, FieldRep, SteerableBasis};
use super::steerable_conv::conv_same;
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::Tensor;

/// Relaxed steerable convolution (`Relaxed_Rot_SteerConv`): the filter is
///
/// $$ W[o\,p,\; i\,q,\; k] = \sum_b K_b[p, q, k]\; w[o, b, i, k] $$
///
/// for kernel positions `k` (row-major over the `k × k` grid), with `relaxed_weights`
/// `w: (out_fields, |basis|, in_fields, k²)`. Weights constant in `k` give a steerable
/// filter (an exactly equivariant layer, bias aside); varying ones break the symmetry, and
/// [`RelaxedSteerableConv::constraint`] measures how much.
///
/// As the reference: weights and a bias **per output channel** (`out_fields·d_out`, not
/// constrained to be equivariant) start `U(±1/√(in_fields·k²))`. Parameter count:
/// `out_fields·|basis|·in_fields·k² + out_fields·d_out`. Parameter paths:
/// `relaxed_weights`, `bias`.
///
/// # Shapes
/// `(B, in_fields·d_in, H, W)` → `(B, out_fields·d_out, H, W)`.
#[derive(Debug)]
pub struct RelaxedSteerableConv {
    basis: Tensor,
    weights: Tensor,
    bias: Tensor,
    padding: i64,
}

impl RelaxedSteerableConv {
    /// A layer under `vs`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`](crate::NnError::InvalidConfig) for no fields or an even kernel
    /// size.
    pub fn new(
        vs: &Path,
        (input, in_fields): (FieldRep, usize),
        (output, out_fields): (FieldRep, usize),
        kernel_size: usize,
    ) -> Result<Self> {
        check_fields("a relaxed steerable convolution", in_fields, out_fields)?;
        let basis = SteerableBasis::new(input, output, kernel_size)?;
        let k2 = (kernel_size * kernel_size) as i64;
        let bound = 1.0 / ((in_fields as i64 * k2) as f64).sqrt();
        let init = Init::Uniform {
            lo: -bound,
            up: bound,
        };
        let shape = [out_fields as i64, basis.len() as i64, in_fields as i64, k2];
        let b = basis.tensor(vs.device())?;
        let s = b.size();
        Ok(Self {
            basis: b.f_reshape([s[0], s[1], s[2], k2])?,
            weights: vs.var("relaxed_weights", &shape, init),
            bias: vs.var("bias", &[(out_fields * output.dim()) as i64], init),
            padding: (kernel_size / 2) as i64,
        })
    }

    /// The dense filter `(out_fields·d_out, in_fields·d_in, k, k)` in the dtype of `like`.
    ///
    /// # Errors
    /// [`NnError::Torch`](crate::NnError::Torch) from libtorch.
    pub fn filter(&self, like: &Tensor) -> Result<Tensor> {
        let filter = Tensor::f_einsum(
            "bpqk,obik->opiqk",
            &[
                param_like(&self.basis, like)?,
                param_like(&self.weights, like)?,
            ],
            None::<i64>,
        )?;
        let s = filter.size();
        let side = 2 * self.padding + 1;
        Ok(filter.f_reshape([s[0] * s[1], s[2] * s[3], side, side])?)
    }

    /// The soft constraint of one layer: the mean of `|w[…, k] − w[…, k + 1]|` over
    /// consecutive positions in the flattened (row-major) order, as the reference's
    /// `get_weight_constraint` (0 for position-constant weights).
    ///
    /// # Errors
    /// [`NnError::Torch`](crate::NnError::Torch) from libtorch.
    pub fn constraint(&self) -> Result<Tensor> {
        let k2 = *self.weights.size().last().unwrap_or(&1);
        let diff = self
            .weights
            .f_narrow(3, 0, k2 - 1)?
            .f_sub(&self.weights.f_narrow(3, 1, k2 - 1)?)?;
        Ok(diff.f_abs()?.f_mean(self.weights.kind())?)
    }

    /// The forward pass (no activation).
    ///
    /// # Errors
    /// [`NnError::Torch`](crate::NnError::Torch) on a shape mismatch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let bias = param_like(&self.bias, xs)?;
        conv_same(xs, &self.filter(xs)?, Some(&bias), self.padding)
    }
}
