//! `Rpp`: residual pathway priors (Wang et al.'s `Rot_RPPNet`, after Finzi et al. 2021).
use super::plan::{equivariant_stack, torch_batch_norm};
use super::steerable_conv::{conv_same, SteerableConv};
use crate::model::{FieldNet, FieldNetConfig};
use crate::precision::param_like;
use crate::Result;
use tch::nn::{self, ModuleT, Path};
use tch::Tensor;

/// Weight of the prior on the unconstrained pathway: the reference's `conv_wd`.
pub const RPP_CONV_WEIGHT_DECAY: f64 = 1e-6;

/// One block: the equivariant pathway and the unconstrained one on the same input, summed.
#[derive(Debug)]
struct RppBlock {
    equiv: SteerableConv,
    free: nn::Conv2D,
    norm: Option<nn::BatchNorm>,
}

impl RppBlock {
    /// Both pathways, as one convolution: they read the same input with kernels of the same
    /// size, so the sum of their outputs is the convolution with the sum of their filters
    /// (and of their biases).
    fn f_forward(&self, xs: &Tensor, padding: i64) -> Result<Tensor> {
        let filter = self
            .equiv
            .filter(xs)?
            .f_add(&param_like(&self.free.ws, xs)?)?;
        let free_bias = self
            .free
            .bs
            .as_ref()
            .map(|b| param_like(b, xs))
            .transpose()?;
        let bias = match (self.equiv.channel_bias(xs)?, free_bias) {
            (Some(a), Some(b)) => Some(a.f_add(&b)?),
            (a, b) => a.or(b),
        };
        conv_same(xs, &filter, bias.as_ref(), padding)
    }
}

/// Residual pathway prior network (`models/model_rotation.py`, `Rot_RPPNet`): every layer is
/// a [`SteerableConv`] plus an ordinary `conv2d` with the same input and output channels
/// (PyTorch's default initialisation, a bias per channel), summed; the hidden layers follow
/// with a per-channel `BatchNorm2d` over the `4·hidden` channels and ReLU, the output layer
/// with nothing. The two pathways run as one `conv2d` with the sum of their filters.
///
/// The prior is the reference's `get_weight_constraint`: [`FieldNet::penalty`] returns
/// `conv_wd · Σ θ²` over the unconstrained pathway's weights and biases, with
/// `conv_wd = 1e-6` ([`RPP_CONV_WEIGHT_DECAY`]) fixed as in the reference (its `Rot_RPPNet`
/// takes no `alpha`; the config's `alpha` is not used). The training loop squares it, as
/// Wang et al.'s does.
///
/// With the unconstrained pathway zeroed the model is exactly equivariant in evaluation
/// mode at initialisation (the per-channel norm is then the same on every orientation); in
/// general its per-channel norm and free convolution are not.
///
/// Parameters with `F` in, `G` out frames, width `h`, `L` layers, kernel `k` and the basis
/// sizes `B_vr, B_rr, B_rv`:
/// `[h·F·B_vr + h + 2F·k²·4h + 4h + 8h] + (L − 2)[h²·B_rr + h + 4h·k²·4h + 4h + 8h]
///  + [G·h·B_rv + 4h·k²·2G + 2G]`.
///
/// Parameter paths: `layers.<l>.equiv.…`, `layers.<l>.free.{weight,bias}`,
/// `layers.<l>.norm.…`.
///
/// # Shapes
/// `(B, 2·in_frames, H, W)` → `(B, 2·out_frames, H, W)`, `H = W`.
#[derive(Debug)]
pub struct Rpp {
    blocks: Vec<RppBlock>,
    padding: i64,
}

impl Rpp {
    /// The model under `vs`.
    ///
    /// # Errors
    /// [`crate::NnError::InvalidConfig`] for sizes it cannot be built with.
    pub fn new(vs: &Path, config: &FieldNetConfig) -> Result<Self> {
        let k = config.kernel_size as i64;
        let conv_config = nn::ConvConfig {
            padding: k / 2,
            ..Default::default()
        };
        let blocks = equivariant_stack(config)?
            .into_iter()
            .enumerate()
            .map(|(l, fields)| -> Result<RppBlock> {
                let p = vs / "layers" / l;
                let channels = |(rep, n): (super::FieldRep, usize)| (rep.dim() * n) as i64;
                let (cin, cout) = (channels(fields.input), channels(fields.output));
                Ok(RppBlock {
                    equiv: SteerableConv::new(
                        &(&p / "equiv"),
                        fields.input,
                        fields.output,
                        config.kernel_size,
                    )?,
                    free: nn::conv2d(&p / "free", cin, cout, k, conv_config),
                    norm: (!fields.is_last())
                        .then(|| nn::batch_norm2d(&p / "norm", cout, torch_batch_norm())),
                })
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            blocks,
            padding: k / 2,
        })
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let mut x = xs.shallow_clone();
        for block in &self.blocks {
            let sum = block.f_forward(&x, self.padding)?;
            x = match &block.norm {
                Some(norm) => norm.forward_t(&sum, train).f_relu()?,
                None => sum,
            };
        }
        Ok(x)
    }
}

impl ModuleT for Rpp {
    /// # Panics
    /// On the errors of [`Rpp::f_forward_t`].
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("Rpp forward")
    }
}

impl FieldNet for Rpp {
    fn penalty(&self) -> Option<Tensor> {
        let squares = self.blocks.iter().flat_map(|b| {
            std::iter::once(&b.free.ws)
                .chain(b.free.bs.as_ref())
                .map(|t| t.square().sum(t.kind()))
        });
        squares
            .reduce(|a, b| a + b)
            .map(|total| total * RPP_CONV_WEIGHT_DECAY)
    }
}

#[cfg(test)]
mod tests {
    use super::super::steerable_conv::plain_conv;
    use super::*;
    use tch::nn::VarStore;
    use tch::{Device, Kind};

    /// The fused convolution against the two pathways run separately and summed.
    #[test]
    fn a_block_is_the_sum_of_its_two_pathways() {
        let config = FieldNetConfig {
            in_frames: 2,
            out_frames: 1,
            hidden: 3,
            layers: 3,
            kernel_size: 3,
            height: 6,
            width: 6,
            banks: 1,
            alpha: 0.0,
        };
        tch::manual_seed(4);
        let vs = VarStore::new(Device::Cpu);
        let model = Rpp::new(&vs.root(), &config).unwrap();
        {
            let _guard = tch::no_grad_guard();
            for (_, mut v) in vs.variables() {
                let _ = v.normal_(0.0, 1.0);
            }
        }
        let mut x = Tensor::randn([2, 4, 6, 6], (Kind::Float, Device::Cpu));
        for block in &model.blocks {
            let fused = block.f_forward(&x, 1).unwrap();
            let apart =
                block.equiv.f_forward(&x).unwrap() + plain_conv(&block.free, &x, 1).unwrap();
            let error = f64::try_from((&fused - &apart).abs().max()).unwrap();
            let scale = f64::try_from(apart.abs().max()).unwrap();
            assert!(error < 1e-5 * scale, "{error} at scale {scale}");
            x = fused.relu();
        }
    }
}
