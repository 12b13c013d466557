//! `RSteer`: the relaxed rotation-steerable CNN (Wang et al.'s `Relaxed_Rot_SteerConvNet`).
use super::plan::equivariant_stack;
use super::relaxed_steerable_conv::RelaxedSteerableConv;
use crate::model::{FieldNet, FieldNetConfig};
use crate::{NnError, Result};
use tch::nn::{ModuleT, Path};
use tch::Tensor;

/// Relaxed steerable CNN (`models/model_rotation.py`, `Relaxed_Rot_SteerConvNet`):
/// `layers` [`RelaxedSteerableConv`]s, vector fields → `hidden` regular fields → … →
/// vector fields, with ReLU after every layer but the last. The reference builds an
/// `InnerBatchNorm` per hidden layer but leaves it out of its forward pass
/// (`self.relu(…)#self.norm(`), so there is no norm here either.
/// Padding is `(k − 1)/2` (the reference hard-codes 1, the same for its 3 × 3 kernels).
///
/// [`FieldNet::penalty`] is `alpha · Σ_layers constraint` (the reference's
/// `get_weight_constraint`; the training loop squares it).
///
/// Parameters with `F` in, `G` out frames, width `h`, `L` layers, kernel `k` and the basis
/// sizes `B_vr, B_rr, B_rv`:
/// `h·B_vr·F·k² + 4h + (L − 2)(h·B_rr·h·k² + 4h) + G·B_rv·h·k² + 2G`.
///
/// Parameter paths: `layers.<l>.{relaxed_weights,bias}`.
///
/// # Shapes
/// `(B, 2·in_frames, H, W)` → `(B, 2·out_frames, H, W)`.
#[derive(Debug)]
pub struct RSteer {
    layers: Vec<RelaxedSteerableConv>,
    alpha: f64,
}

impl RSteer {
    /// The model under `vs`.
    ///
    /// # Errors
    /// [`crate::NnError::InvalidConfig`] for sizes it cannot be built with.
    pub fn new(vs: &Path, config: &FieldNetConfig) -> Result<Self> {
        let layers = equivariant_stack(config)?
            .into_iter()
            .enumerate()
            .map(|(l, fields)| {
                RelaxedSteerableConv::new(
                    &(vs / "layers" / l),
                    fields.input,
                    fields.output,
                    config.kernel_size,
                )
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            layers,
            alpha: config.alpha,
        })
    }

    /// The layers, input first.
    pub fn layers(&self) -> &[RelaxedSteerableConv] {
        &self.layers
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, _train: bool) -> Result<Tensor> {
        let mut x = xs.shallow_clone();
        for (l, layer) in self.layers.iter().enumerate() {
            x = layer.f_forward(&x)?;
            if l + 1 < self.layers.len() {
                x = x.f_relu()?;
            }
        }
        Ok(x)
    }

    /// `alpha · Σ_layers constraint`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from libtorch.
    pub fn f_penalty(&self) -> Result<Tensor> {
        let mut total: Option<Tensor> = None;
        for layer in &self.layers {
            let term = layer.constraint()?;
            total = Some(match total {
                Some(sum) => sum.f_add(&term)?,
                None => term,
            });
        }
        let total = total.ok_or_else(|| NnError::InvalidConfig("RSteer without layers".into()))?;
        Ok(total.f_mul_scalar(self.alpha)?)
    }
}

impl ModuleT for RSteer {
    /// # Panics
    /// On the errors of [`RSteer::f_forward_t`].
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("RSteer forward")
    }
}

impl FieldNet for RSteer {
    /// # Panics
    /// On the errors of [`RSteer::f_penalty`].
    fn penalty(&self) -> Option<Tensor> {
        Some(self.f_penalty().expect("RSteer penalty"))
    }
}
