//! The exactly equivariant steerable convolution: a filter in the span of
//! [`SteerableBasis`], built once per forward and applied by one `conv2d`.
use super::steerable::{check_fields, FieldRep, SteerableBasis};
use crate::precision::param_like;
use crate::Result;
use tch::nn::{Init, Path};
use tch::Tensor;

/// `C4`-steerable convolution from `in_fields` fields of `input` to `out_fields` of `output`
/// (e2cnn's `R2Conv` on `Rot2dOnR2(4)`, with the exact grid basis).
///
/// The filter is `W[o·d_out + p, i·d_in + q] = Σ_b w[o, i, b] K_b[p, q]` (one weight per
/// output field, input field and basis kernel), so the layer has
/// `out_fields · in_fields · |basis|` weights. The bias is the equivariant one: one scalar
/// per regular output field, added to its four orientations, and none for vector outputs
/// (a constant vector is not invariant). Padding keeps the grid size (`(k − 1)/2`, zeros);
/// zero padding commutes with quarter turns of a square grid, so the layer is exactly
/// equivariant.
///
/// Weights start He-like: `N(0, 2·d_out / (in_fields·|basis|))`, which gives the filter
/// entries the variance `2 / fan_in` on average. Parameter paths: `weight`, `bias`.
///
/// # Shapes
/// `(B, in_fields·d_in, H, W)` → `(B, out_fields·d_out, H, W)`.
#[derive(Debug)]
pub struct SteerableConv {
    basis: Tensor,
    weight: Tensor,
    bias: Option<Tensor>,
    output: FieldRep,
    padding: i64,
}

impl SteerableConv {
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
        check_fields("a steerable convolution", in_fields, out_fields)?;
        let basis = SteerableBasis::new(input, output, kernel_size)?;
        let stdev = (2.0 * output.dim() as f64 / (in_fields * basis.len()) as f64).sqrt();
        let weight = vs.var(
            "weight",
            &[out_fields as i64, in_fields as i64, basis.len() as i64],
            Init::Randn { mean: 0.0, stdev },
        );
        let bias = (output == FieldRep::Regular)
            .then(|| vs.var("bias", &[out_fields as i64], Init::Const(0.0)));
        Ok(Self {
            basis: basis.tensor(vs.device())?,
            weight,
            bias,
            output,
            padding: (kernel_size / 2) as i64,
        })
    }

    /// The dense filter `(out_fields·d_out, in_fields·d_in, k, k)` in the dtype of `like`.
    ///
    /// # Errors
    /// [`NnError::Torch`](crate::NnError::Torch) from libtorch.
    pub fn filter(&self, like: &Tensor) -> Result<Tensor> {
        let basis = param_like(&self.basis, like)?;
        let filter = Tensor::f_einsum(
            "oib,bpqyx->opiqyx",
            &[param_like(&self.weight, like)?, basis],
            None::<i64>,
        )?;
        let s = filter.size();
        Ok(filter.f_reshape([s[0] * s[1], s[2] * s[3], s[4], s[5]])?)
    }

    /// The bias per output channel, or `None` for vector outputs.
    ///
    /// # Errors
    /// [`NnError::Torch`](crate::NnError::Torch) from libtorch.
    pub fn channel_bias(&self, like: &Tensor) -> Result<Option<Tensor>> {
        self.bias
            .as_ref()
            .map(|b| -> Result<Tensor> {
                Ok(param_like(b, like)?.f_repeat_interleave_self_int(
                    self.output.dim() as i64,
                    0,
                    None,
                )?)
            })
            .transpose()
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`NnError::Torch`](crate::NnError::Torch) on a shape mismatch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        conv_same(
            xs,
            &self.filter(xs)?,
            self.channel_bias(xs)?.as_ref(),
            self.padding,
        )
    }
}

/// `conv2d` with stride 1 and `padding` zeros on every side.
///
/// # Errors
/// [`NnError::Torch`](crate::NnError::Torch) on a shape mismatch.
pub(crate) fn conv_same(
    xs: &Tensor,
    filter: &Tensor,
    bias: Option<&Tensor>,
    padding: i64,
) -> Result<Tensor> {
    Ok(xs.f_conv2d(filter, bias, [1, 1], [padding, padding], [1, 1], 1)?)
}

/// An unconstrained `nn::Conv2D` (stride 1, `padding` zeros) applied in the dtype of `xs`.
///
/// # Errors
/// [`NnError::Torch`](crate::NnError::Torch) on a shape mismatch.
pub(crate) fn plain_conv(conv: &tch::nn::Conv2D, xs: &Tensor, padding: i64) -> Result<Tensor> {
    let bias = conv.bs.as_ref().map(|b| param_like(b, xs)).transpose()?;
    conv_same(xs, &param_like(&conv.ws, xs)?, bias.as_ref(), padding)
}
