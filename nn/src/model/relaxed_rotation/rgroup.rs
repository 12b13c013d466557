//! RGroup: the relaxed group-convolution network of Wang, Walters & Yu on vector fields.

use super::filter_bank::Padding;
use super::regular::{lift_vector_field, project_regular_field};
use super::relaxed_group_conv::RelaxedP4GroupConv;
use crate::model::{FieldNet, FieldNetConfig};
use crate::{NnError, Result};
use std::borrow::Borrow;
use tch::nn::{ModuleT, Path};
use tch::Tensor;

/// Choices of an [`RGroup`] beyond its sizes.
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::{Padding, RGroupOptions};
/// let o = RGroupOptions::default();
/// assert_eq!((o.padding, o.relu), (Padding::Zeros, true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RGroupOptions {
    /// The border of every convolution: zeros as the reference, or circular.
    pub padding: Padding,
    /// A ReLU after every layer but the last. The reference builds its hidden layers with
    /// `activation = True` and the last with `False`, but `Relaxed_GroupConv.forward` never
    /// reads the flag: `false` reproduces the released code, a linear network.
    pub relu: bool,
}

impl Default for RGroupOptions {
    fn default() -> Self {
        Self {
            padding: Padding::Zeros,
            relu: true,
        }
    }
}

/// RGroup (`RelaxedGroupEquivariantCNN` with `vel_inp = True`, Wang, Walters & Yu, ICML 2022,
/// `models/model_rotation.py`) on stacked vector fields:
///
/// ```text
/// x = lift(input)                       // F vector fields → F regular fields (cos, sin)
/// x = RelaxedP4GroupConv(x)             // F → hidden, then (layers − 2) × hidden → hidden,
///   …                                   // then hidden → out_frames; ReLU between (options)
/// result = project(x)                   // Σ_s f(s) e_s: regular → vector fields
/// ```
///
/// with [`super::lift_vector_field`], [`RelaxedP4GroupConv`] (`banks` filter banks, side
/// `kernel_size`, no bias) and [`super::project_regular_field`]. With the initial (uniform)
/// combination weights it is exactly equivariant under
/// [`crate::field::rotate_vector_field`]; training them relaxes the equivariance.
///
/// Penalty: none ([`FieldNet::penalty`] is `None` and `alpha` is unused). The reference's
/// `RelaxedGroupEquivariantCNN` has no `get_weight_constraint`, and `run.sh`'s Rotation row
/// (`alpha = 1e-5`) trains `Relaxed_Rot_SteerConvNet` (RSteer), not this model.
///
/// Parameters: `Σ_layers (L·O·C·4k² + 4L)` over the layers `C → O` above — 1,901,128 at the
/// `run.sh` Rotation sizes (`hidden = 92`, `layers = 5`, `banks = 2`, `k = 3`, 10 → 1 frames).
///
/// Parameter paths: `layers/<i>/weight|combination_weights`.
///
/// # Shapes
/// `(B, 2·in_frames, H, W)` → `(B, 2·out_frames, H, W)`.
///
/// # Example
/// ```
/// use gm_nn::field::rotate_vector_field;
/// use gm_nn::model::relaxed_rotation::RGroup;
/// use gm_nn::model::{parameter_count, FieldNetConfig};
/// use tch::{nn::{ModuleT, VarStore}, Device, Kind, Tensor};
/// let config = FieldNetConfig {
///     in_frames: 2, out_frames: 1, hidden: 3, layers: 3, kernel_size: 3,
///     height: 8, width: 8, banks: 2, alpha: 0.0,
/// };
/// let vs = VarStore::new(Device::Cpu);
/// let model = RGroup::new(vs.root(), &config).unwrap();
/// assert_eq!(parameter_count(&vs), 2 * 36 * (2 * 3 + 3 * 3 + 3 * 1) + 3 * 8);
/// let x = Tensor::randn([2, 4, 8, 8], (Kind::Float, Device::Cpu));
/// let y = model.forward_t(&x, false);
/// assert_eq!(y.size(), vec![2, 2, 8, 8]);
/// let y_turned = model.forward_t(&rotate_vector_field(&x, 1).unwrap(), false);
/// let err = (y_turned - rotate_vector_field(&y, 1).unwrap()).abs().max();
/// assert!(f64::try_from(err).unwrap() < 1e-5);
/// ```
#[derive(Debug)]
pub struct RGroup {
    layers: Vec<RelaxedP4GroupConv>,
    relu: bool,
}

impl RGroup {
    /// The model of `config` under `vs` with the default options (zero padding, ReLU).
    ///
    /// # Errors
    /// As [`RGroup::with_options`].
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: &FieldNetConfig) -> Result<Self> {
        Self::with_options(vs, config, RGroupOptions::default())
    }

    /// The model of `config` under `vs` with `options`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for fewer than 2 layers, no banks, no frames, no hidden
    /// fields or an even kernel size; [`NnError::Torch`] from libtorch.
    pub fn with_options<'a, P: Borrow<Path<'a>>>(
        vs: P,
        config: &FieldNetConfig,
        options: RGroupOptions,
    ) -> Result<Self> {
        let vs = vs.borrow();
        if config.layers < 2 {
            return Err(NnError::InvalidConfig(format!(
                "RGroup needs at least 2 layers (input and output), got {}",
                config.layers
            )));
        }
        let mut widths = vec![config.in_frames];
        widths.extend(std::iter::repeat_n(config.hidden, config.layers - 1));
        widths.push(config.out_frames);
        let layers = widths
            .windows(2)
            .enumerate()
            .map(|(i, pair)| {
                RelaxedP4GroupConv::new(
                    vs / "layers" / i,
                    pair[0],
                    pair[1],
                    config.banks,
                    config.kernel_size,
                    options.padding,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            layers,
            relu: options.relu,
        })
    }

    /// The relaxed convolutions, first to last.
    pub fn layers(&self) -> &[RelaxedP4GroupConv] {
        &self.layers
    }

    /// The forward pass with errors reported; it computes in `xs`'s dtype.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when `xs` is not `(B, 2·in_frames, H, W)`;
    /// [`NnError::Torch`] from libtorch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let mut x = lift_vector_field(xs)?;
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.f_forward(&x)?;
            if self.relu && i < last {
                x = x.f_relu()?;
            }
        }
        project_regular_field(&x)
    }
}

impl ModuleT for RGroup {
    fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
        self.f_forward(xs).expect("RGroup forward")
    }
}

/// No soft constraint (see [`RGroup`]).
impl FieldNet for RGroup {}
