//! The reference GM-CNN classifier.

use super::config::ClassifierConfig;
use super::GMLayer;
use crate::activation::shared_prelu;
use crate::conv::BackendKind;
use crate::lowering::{grid_group, Lowering};
use crate::pool::{InvariantPool, PoolMode, SubgroupPool};
use crate::precision::{linear, pointwise_conv};
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
/// identity); after the blocks listed in [`ClassifierConfig::pool_after`], a stride-2
/// subgroup max pool `G → H` (each axis halved; the following blocks are GM convolutions on
/// `H`, equivariant under `H`); then the global max over the group, dropout and a linear
/// layer. Parameter counts equal the reference's: 13,691 for [`ClassifierConfig::cifar10`],
/// 48,731 for [`ClassifierConfig::rot_mnist`]; pooling adds none.
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
    /// The pool after each block, if any.
    pools: Vec<Option<SubgroupPool>>,
    prelu: Tensor,
    head: nn::Linear,
    dropout: f64,
}

impl Classifier {
    /// Builds the model of `config` under `vs`, with its lowering on `vs`'s device.
    ///
    /// # Errors
    /// As [`ClassifierConfig::lowering`] and [`crate::conv::GMConv::new`];
    /// [`crate::NnError::InvalidConfig`] for a pool after a block that does not exist, or on
    /// a group that is not a grid of even cyclic/dihedral axes.
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: &ClassifierConfig) -> Result<Self> {
        let vs = vs.borrow();
        if let Some(&i) = config
            .pool_after
            .iter()
            .find(|&&i| i >= config.channels.len())
        {
            return Err(crate::NnError::InvalidConfig(format!(
                "pool_after names block {i}, but the model has {} blocks (0-based)",
                config.channels.len()
            )));
        }
        let mut lowering = config.lowering(vs.device())?;
        let mut blocks = Vec::new();
        let mut residual = Vec::new();
        let mut pools = Vec::new();
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
            let pool = if config.pool_after.contains(&i) {
                let (pool, next) = halve(&lowering, config)?;
                lowering = next;
                Some(pool)
            } else {
                None
            };
            pools.push(pool);
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
            pools,
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
        for ((block, residual), pool) in self.blocks.iter().zip(&self.residual).zip(&self.pools) {
            let h = block.f_forward(&x)?;
            let shape = h.size();
            let h = h.f_layer_norm(&shape[1..], None::<&Tensor>, None::<&Tensor>, 1e-5, true)?;
            let h = shared_prelu(&h, &self.prelu)?;
            let r = match residual {
                Some(conv) => pointwise_conv(conv, &x)?,
                None => x,
            };
            x = h.f_add(&r)?;
            if let Some(pool) = pool {
                x = pool.f_forward(&x)?;
            }
        }
        let pooled = InvariantPool::new(PoolMode::Max).f_forward(&x)?;
        linear(&self.head, &pooled.f_dropout(self.dropout, train)?)
    }
}

/// The stride-2 pool of `lowering`'s grid and the lowering of the halved grid (same support).
fn halve(lowering: &Lowering, config: &ClassifierConfig) -> Result<(SubgroupPool, Lowering)> {
    let axes = lowering.axes().ok_or_else(|| {
        crate::NnError::InvalidConfig(format!(
            "pooling needs a grid of cyclic/dihedral axes; {} is not one",
            gm_algebra::FiniteGroup::name(lowering.group())
        ))
    })?;
    let (pool, halved) = SubgroupPool::stride2(axes, PoolMode::Max, lowering.device())?;
    let next = Lowering::new(grid_group(&halved)?, &config.support, lowering.device())?;
    Ok((pool, next))
}

impl ModuleT for Classifier {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("Classifier forward")
    }
}
