//! The exact `p4` group convolution on regular fields.

use super::filter_bank::{
    check_kernel_size, check_regular_input, p4_conv2d, p4_filter_bank, Padding,
};
use crate::conv::ChannelMode;
use crate::field::ORIENTATIONS;
use crate::{NnError, Result};
use std::borrow::Borrow;
use tch::nn::{Init, Module, Path};
use tch::Tensor;

/// Sizes and choices of a [`P4GroupConv`] (`Default` + struct update syntax).
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::{P4ConvConfig, Padding};
/// let c = P4ConvConfig { padding: Padding::Zeros, ..Default::default() };
/// assert_eq!(c.kernel_size, 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct P4ConvConfig {
    /// Side `k` of the square kernel (odd).
    pub kernel_size: usize,
    /// One kernel per output field applied to the sum of the input fields (the GM-CNN's
    /// [`ChannelMode::Shared`]), or one per (output, input) pair.
    pub mode: ChannelMode,
    /// Whether to add a bias per output field (the same for its four orientations).
    pub bias: bool,
    /// The border: [`Padding::Circular`] (the default) is the GM convolution on `p4(N)`.
    pub padding: Padding,
}

impl Default for P4ConvConfig {
    fn default() -> Self {
        Self {
            kernel_size: 3,
            mode: ChannelMode::Shared,
            bias: true,
            padding: Padding::Circular,
        }
    }
}

/// The `p4` group convolution of regular fields (group convolution in the sense of Cohen &
/// Welling): the filter bank [`p4_filter_bank`] of one base kernel `W` `(O, 1|C, 4, k, k)`,
/// applied as one `conv2d` ([`p4_conv2d`]). Exactly equivariant under
/// [`crate::field::rotate_regular_field`]; with [`Padding::Circular`] it is the GM convolution
/// [`crate::conv::GMConv`] on [`gm_algebra::group::Wallpaper::p4`]`(N)` with the weights
/// [`super::p4_kernel_to_gm_weight`]`(W)` (see [`super::p4_functions`]), checked against the
/// dense group matrices in the tests.
///
/// Parameters: `weight` `(O, 1|C, 4, k, k)` initialised `U(±1/√(4k²·C_w))` (as
/// [`crate::conv::GMConv`] with `K = 4k²`), `bias` `(O)` initialised to 0:
/// `O·C_w·4k² (+ O)` with `C_w = 1` (shared) or `C`.
///
/// # Shapes
/// `(B, 4C, H, W)` → `(B, 4O, H, W)`.
///
/// # Example
/// ```
/// use gm_nn::field::rotate_regular_field;
/// use gm_nn::model::relaxed_rotation::{P4ConvConfig, P4GroupConv};
/// use tch::{nn::VarStore, Device, Kind, Tensor};
/// let vs = VarStore::new(Device::Cpu);
/// let conv = P4GroupConv::new(vs.root(), 2, 3, P4ConvConfig::default()).unwrap();
/// let x = Tensor::randn([1, 8, 6, 6], (Kind::Float, Device::Cpu));
/// let y = conv.f_forward(&x).unwrap();
/// assert_eq!(y.size(), vec![1, 12, 6, 6]);
/// let y_turned = conv.f_forward(&rotate_regular_field(&x, 1).unwrap()).unwrap();
/// let err = (y_turned - rotate_regular_field(&y, 1).unwrap()).abs().max();
/// assert!(f64::try_from(err).unwrap() < 1e-5);
/// ```
#[derive(Debug)]
pub struct P4GroupConv {
    /// The base kernel `(O, 1|C, 4, k, k)`.
    pub weight: Tensor,
    /// The bias `(O)`, if any.
    pub bias: Option<Tensor>,
    in_fields: i64,
    config: P4ConvConfig,
}

impl P4GroupConv {
    /// A convolution from `in_fields` to `out_fields` regular fields, its parameters
    /// (`weight`, `bias`) created under `vs`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for an even kernel size or no fields;
    /// [`NnError::Torch`] from libtorch.
    pub fn new<'a, P: Borrow<Path<'a>>>(
        vs: P,
        in_fields: usize,
        out_fields: usize,
        config: P4ConvConfig,
    ) -> Result<Self> {
        let vs = vs.borrow();
        check_kernel_size(config.kernel_size)?;
        if in_fields == 0 || out_fields == 0 {
            return Err(NnError::InvalidConfig(format!(
                "a p4 convolution needs fields on both sides, got {in_fields} → {out_fields}"
            )));
        }
        let k = config.kernel_size as i64;
        let cw = match config.mode {
            ChannelMode::Shared => 1,
            ChannelMode::Full => in_fields as i64,
        };
        let bound = 1.0 / ((ORIENTATIONS * k * k * cw) as f64).sqrt();
        let weight = vs.f_var(
            "weight",
            &[out_fields as i64, cw, ORIENTATIONS, k, k],
            Init::Uniform {
                lo: -bound,
                up: bound,
            },
        )?;
        let bias = config
            .bias
            .then(|| vs.f_zeros("bias", &[out_fields as i64]))
            .transpose()?;
        Ok(Self {
            weight,
            bias,
            in_fields: in_fields as i64,
            config,
        })
    }

    /// The layer's configuration.
    pub fn config(&self) -> P4ConvConfig {
        self.config
    }

    /// The filter bank `(O, 4, 1|C, 4, k, k)` of the weight ([`p4_filter_bank`]).
    ///
    /// # Errors
    /// [`NnError::Torch`] from libtorch.
    pub fn filter_bank(&self) -> Result<Tensor> {
        p4_filter_bank(&self.weight)
    }

    /// The forward pass with errors reported; it computes in `xs`'s dtype.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when `xs` is not `(B, 4C, H, W)` with `C` the layer's input
    /// fields; [`NnError::Torch`] from libtorch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let size = check_regular_input(xs, self.in_fields, "a p4 convolution")?;
        let input = match self.config.mode {
            ChannelMode::Full => xs.shallow_clone(),
            ChannelMode::Shared => xs
                .f_view([size[0], self.in_fields, ORIENTATIONS, size[2], size[3]])?
                .f_sum_dim_intlist(1, false, None::<tch::Kind>)?,
        };
        p4_conv2d(
            &input,
            &self.filter_bank()?,
            self.bias.as_ref(),
            self.config.padding,
        )
    }
}

impl Module for P4GroupConv {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("P4GroupConv forward")
    }
}
