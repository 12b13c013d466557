//! The rank-`r` relaxed GM regression model for smoke plumes (this crate's variant of the
//! reference's regression model).

use super::config::RelaxedRegressionConfig;
use super::GMLayer;
use crate::activation::shared_prelu;
use crate::conv::ChannelMode;
use crate::precision::pointwise_conv;
use crate::Result;
use std::borrow::Borrow;
use tch::nn::{self, Module, Path};
use tch::Tensor;

/// The relaxed regression model: a 1×1 convolution `in → hidden`, `blocks` residual blocks
/// `x ← PReLU(GMConv_relaxed(x)) + x` (one shared PReLU parameter, rank-`r`
/// [`crate::conv::RelaxedGMConv`] layers), a 1×1 convolution `hidden → out`. With
/// `relaxed_rank = 0` every block is exactly equivariant. It differs from the reference's
/// model ([`super::ReferenceRegression`]) in its layer (`M_f + Σ_i diag(v_i)·M_{u_i}`, one
/// position vector per output channel, starting at 0, instead of one unit-norm `e` per layer
/// scaling the whole convolution), its wiring (every block reads the hidden channels and adds
/// its own input) and its initialisation.
///
/// Parameter paths: `input/…`, `blocks/<i>/…`, `prelu`, `output/…`.
///
/// Initialisation: in the shared channel mode a block's kernel acts on the sum of its `hidden`
/// input channels, so its fan-in is `K·hidden`; the GM kernels (and the relaxation's kernels)
/// start uniform in `±1/√(K·hidden)` instead of [`crate::conv::GMConv`]'s `±1/√K`. With `±1/√K`
/// each block amplifies its input about `√hidden`-fold and the first 6-step rollout on the
/// plume data overflows f32; with the fan-in bound a rollout keeps the scale of the data.
///
/// # Shapes
/// `(B, in, H, W)` → `(B, out, H, W)` (or `(B, in, n)` → `(B, out, n)`).
#[derive(Debug)]
pub struct RelaxedRegression {
    input: nn::Conv1D,
    blocks: Vec<GMLayer>,
    prelu: Tensor,
    output: nn::Conv1D,
}

impl RelaxedRegression {
    /// Builds the model of `config` under `vs`.
    ///
    /// # Errors
    /// As [`RelaxedRegressionConfig::lowering`] and [`crate::conv::GMConv::new`].
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: &RelaxedRegressionConfig) -> Result<Self> {
        let vs = vs.borrow();
        let lowering = config.lowering(vs.device())?;
        let (cin, h, cout) = (
            config.in_channels as i64,
            config.hidden as i64,
            config.out_channels as i64,
        );
        let input = nn::conv1d(vs / "input", cin, h, 1, Default::default());
        let blocks = (0..config.blocks)
            .map(|i| {
                GMLayer::new(
                    &(vs / "blocks" / i),
                    config.hidden,
                    config.hidden,
                    config.relaxed_rank,
                    &lowering,
                    config.conv,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        if config.conv.mode == ChannelMode::Shared {
            let factor = 1.0 / (config.hidden as f64).sqrt();
            for block in &blocks {
                scale_kernels(block, factor)?;
            }
        }
        let prelu = vs.f_var("prelu", &[1], nn::Init::Const(0.25))?;
        let output = nn::conv1d(vs / "output", h, cout, 1, Default::default());
        Ok(Self {
            input,
            blocks,
            prelu,
            output,
        })
    }

    /// The forward pass with errors reported; it computes in the dtype of `xs` (see
    /// [`crate::precision`]).
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let size = xs.size();
        let mut x = pointwise_conv(&self.input, &xs.f_reshape([size[0], size[1], -1])?)?;
        for block in &self.blocks {
            let y = block.f_forward(&x)?;
            x = shared_prelu(&y, &self.prelu)?.f_add(&x)?;
        }
        let y = pointwise_conv(&self.output, &x)?;
        let mut out = size.clone();
        out[1] = y.size()[1];
        Ok(y.f_reshape(out)?)
    }
}

/// Multiplies the GM kernels of `layer` (not its bias or relaxation positions) by `factor`.
fn scale_kernels(layer: &GMLayer, factor: f64) -> Result<()> {
    let kernels = match layer {
        GMLayer::Exact(c) => vec![&c.weight],
        GMLayer::Relaxed(r) => vec![&r.exact.weight, &r.relax_kernel],
    };
    tch::no_grad(|| {
        for k in kernels {
            let _ = k.shallow_clone().f_mul_scalar_(factor)?;
        }
        Ok(())
    })
}

impl Module for RelaxedRegression {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("RelaxedRegression forward")
    }
}

/// No soft constraint: the relaxation is part of the model.
impl super::FieldNet for RelaxedRegression {
    fn backends(&self) -> Vec<crate::conv::BackendKind> {
        self.blocks.iter().map(GMLayer::backend_kind).collect()
    }
}
