//! The reference GM-CNN classifier.

use super::config::ClassifierConfig;
use super::fused_block::{self, fused_block};
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
/// On the CPU, a block with an exact shared-mode GM convolution runs as one fused operation
/// ([`fused_block`](super::fused_block)): the same map, computed one sample at a time in
/// cache instead of a dozen passes over the batch's activations. It is on by default;
/// [`Classifier::set_fused_blocks`] turns it off (the blocks then run composed of libtorch
/// operations, on the planned backend).
///
/// # Shapes
/// `(B, C, H, W)` or `(B, C, n)` → `(B, classes)`.
#[derive(Debug)]
pub struct Classifier {
    blocks: Vec<GMLayer>,
    /// Each block's gather table `(K, n)` (the fused block's).
    tables: Vec<Tensor>,
    /// Whether blocks run fused where [`fused_block::applies`].
    fused: bool,
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
        let mut tables = Vec::new();
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
            tables.push(lowering.table().shallow_clone());
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
            tables,
            fused: true,
            residual,
            pools,
            prelu,
            head,
            dropout: config.dropout,
        })
    }

    /// The GM convolutions' backends, block by block (the backend a fused block's
    /// convolution would run on composed: see [`Classifier::fused_on`]).
    pub fn backends(&self) -> Vec<BackendKind> {
        self.blocks.iter().map(GMLayer::backend_kind).collect()
    }

    /// Turns the fused blocks on (the default) or off: off, every block runs composed of
    /// libtorch operations on its planned backend.
    pub fn set_fused_blocks(&mut self, on: bool) {
        self.fused = on;
    }

    /// Which blocks run fused on activations of `kind` on `device`.
    pub fn fused_on(&self, device: tch::Device, kind: tch::Kind) -> Vec<bool> {
        self.blocks
            .iter()
            .map(|b| self.fusable(b, device, kind).is_some())
            .collect()
    }

    /// The block's exact convolution, when the block runs fused on activations of `kind` on
    /// `device`.
    fn fusable<'b>(
        &self,
        block: &'b GMLayer,
        device: tch::Device,
        kind: tch::Kind,
    ) -> Option<&'b crate::conv::GMConv> {
        match block {
            GMLayer::Exact(conv)
                if self.fused && fused_block::applies(device, kind, &conv.weight) =>
            {
                Some(conv)
            }
            _ => None,
        }
    }

    /// The forward pass with errors reported; it computes in the dtype of `xs` (see
    /// [`crate::precision`]).
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let size = xs.size();
        let mut x = xs.f_reshape([size[0], size[1], -1])?;
        for (((block, residual), pool), table) in self
            .blocks
            .iter()
            .zip(&self.residual)
            .zip(&self.pools)
            .zip(&self.tables)
        {
            let r = residual
                .as_ref()
                .map(|conv| pointwise_conv(conv, &x))
                .transpose()?;
            x = match self.fusable(block, x.device(), x.kind()) {
                Some(conv) => {
                    let bias = match &conv.bias {
                        Some(b) => b.shallow_clone(),
                        None => Tensor::f_zeros(
                            [conv.weight.size()[0]],
                            (conv.weight.kind(), conv.weight.device()),
                        )?,
                    };
                    fused_block(&x, r.as_ref(), &conv.weight, &bias, &self.prelu, table)?
                }
                None => {
                    let h = block.f_forward(&x)?;
                    let shape = h.size();
                    let h = h.f_layer_norm(
                        &shape[1..],
                        None::<&Tensor>,
                        None::<&Tensor>,
                        fused_block::LAYER_NORM_EPS,
                        true,
                    )?;
                    shared_prelu(&h, &self.prelu)?.f_add(r.as_ref().unwrap_or(&x))?
                }
            };
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
