//! The reference GM-CNN classifier.

use super::config::ClassifierConfig;
use super::GMLayer;
use crate::conv::BackendKind;
use crate::pool::{InvariantPool, PoolMode};
use crate::precision::{linear, param_like, pointwise_conv};
use crate::Result;
use std::borrow::Borrow;
use tch::nn::{self, ModuleT, Path};
use tch::Tensor;

/// The reference classifier: the input `(B, C, H, W)` (or `(B, C, n)`) is flattened to
/// functions on `G`; each block is
///
/// `x ← PReLU(LayerNorm(GMConv(x))) + residual(x)`
///
/// with `LayerNorm` over `(C, n)` without affine parameters, one `PReLU` parameter shared by
/// all blocks, and `residual` a 1×1 convolution where the channel count changes (else the
/// identity); then the global max over `G`, dropout and a linear layer. Parameter counts equal
/// the reference's: 13,691 for [`ClassifierConfig::cifar10`], 48,731 for
/// [`ClassifierConfig::rot_mnist`].
///
/// Parameter paths: `blocks/<i>/weight|bias` (GM convolutions), `residual/<i>/weight|bias`,
/// `prelu`, `head/weight|bias`.
///
/// # Shapes
/// `(B, C, H, W)` or `(B, C, n)` → `(B, classes)`.
#[derive(Debug)]
pub struct Classifier {
    blocks: Vec<GMLayer>,
    residual: Vec<Option<nn::Conv1D>>,
    prelu: Tensor,
    head: nn::Linear,
    dropout: f64,
}

impl Classifier {
    /// Builds the model of `config` under `vs`, with its lowering on `vs`'s device.
    ///
    /// # Errors
    /// As [`ClassifierConfig::lowering`] and [`crate::conv::GMConv::new`].
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: &ClassifierConfig) -> Result<Self> {
        let vs = vs.borrow();
        let lowering = config.lowering(vs.device())?;
        let mut blocks = Vec::new();
        let mut residual = Vec::new();
        let mut c = config.in_channels;
        for (i, &co) in config.channels.iter().enumerate() {
            blocks.push(GMLayer::new(
                &(vs / "blocks" / i),
                c,
                co,
                config.relaxed_rank,
                &lowering,
                config.conv,
            )?);
            residual.push((c != co).then(|| {
                nn::conv1d(
                    vs / "residual" / i,
                    c as i64,
                    co as i64,
                    1,
                    Default::default(),
                )
            }));
            c = co;
        }
        let prelu = vs.f_var("prelu", &[1], nn::Init::Const(0.25))?;
        let head = nn::linear(
            vs / "head",
            c as i64,
            config.classes as i64,
            Default::default(),
        );
        Ok(Self {
            blocks,
            residual,
            prelu,
            head,
            dropout: config.dropout,
        })
    }

    /// The GM convolutions' backends, block by block.
    pub fn backends(&self) -> Vec<BackendKind> {
        self.blocks.iter().map(GMLayer::backend_kind).collect()
    }

    /// The forward pass with errors reported; it computes in the dtype of `xs` (see
    /// [`crate::precision`]).
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let size = xs.size();
        let mut x = xs.f_reshape([size[0], size[1], -1])?;
        for (block, residual) in self.blocks.iter().zip(&self.residual) {
            let h = block.f_forward(&x)?;
            let shape = h.size();
            let h = h.f_layer_norm(&shape[1..], None::<&Tensor>, None::<&Tensor>, 1e-5, true)?;
            let h = h.f_prelu(&param_like(&self.prelu, &h)?)?;
            let r = match residual {
                Some(conv) => pointwise_conv(conv, &x)?,
                None => x,
            };
            x = h.f_add(&r)?;
        }
        let pooled = InvariantPool::new(PoolMode::Max).f_forward(&x)?;
        linear(&self.head, &pooled.f_dropout(self.dropout, train)?)
    }
}

impl ModuleT for Classifier {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("Classifier forward")
    }
}
