//! The reference GM-CNN's state dict (kiryteo/GM-CNN, `gmcnn_base.py`, class `GMCNN`) and
//! gm's classifier parameters, name by name.
//!
//! The reference's classifier is gm's exact GM classifier on a product of two cyclic or two
//! dihedral axes (`symmetry = "axis-product"`, `channel_mode = "shared"`, no relaxation, no
//! pooling, no lift), with one GM layer per block (its configs' `num_layers: 1`) and the
//! channel count changing only in a leading run of blocks (where the reference's
//! `conv1x1_layers[block_id]` are the right 1×1 convolutions). Its parameters:
//!
//! | reference | shape | gm | shape |
//! |---|---|---|---|
//! | `gm_layers.i.weight_coeff` | `(O, 1, K)` | `blocks.i.weight` | same |
//! | `gm_layers.i.bias` | `(O)` | `blocks.i.bias` | same |
//! | `conv1x1_layers.j.weight` | `(O, C, 1, 1)` | `residual.i.weight` | `(O, C, 1)` |
//! | `conv1x1_layers.j.bias` | `(O)` | `residual.i.bias` | same |
//! | `relu.weight` | `(1)` | `prelu` | same |
//! | `fc1.weight`, `fc1.bias` | `(classes, C)`, `(classes)` | `head.weight`, `head.bias` | same |
//!
//! with `j` counting the blocks that have a 1×1 convolution (`j = i` in every model the
//! reference can build). Its `LayerNorm`s have no parameters. The neighbourhood order of
//! `weight_coeff`'s last axis is the reference's (`Support::Radius(t)` is built to match,
//! checked by `nn/tests/reference_crosscheck.rs`).
use super::model::describe;
use super::trained_error::TrainedRunError;
use crate::config::{AxisGroup, ChannelMode, ExperimentConfig, ModelKind, Symmetry, Task};
use anyhow::Result;
use tch::Tensor;

/// The reference's name of each of gm's classifier parameters (`gm` name, `reference` name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceNames {
    pairs: Vec<(String, String)>,
    config: String,
}

impl ReferenceNames {
    /// The names of `cfg`'s classifier for images of shape `(channels, height, width)`.
    ///
    /// # Errors
    /// [`TrainedRunError::NoReferenceModel`] for a model the reference does not have.
    pub fn of(
        cfg: &ExperimentConfig,
        (in_channels, height, width): (usize, usize, usize),
    ) -> Result<Self> {
        reference_counterpart(cfg)?;
        if height != width {
            return Err(no_reference(
                cfg,
                "the reference's grid is square (one order for both axes)",
            ));
        }
        let m = &cfg.model;
        let mut pairs = Vec::new();
        let (mut c, mut residuals) = (in_channels, 0);
        for i in 0..m.blocks {
            for p in ["weight", "bias"] {
                let reference = match p {
                    "weight" => "weight_coeff",
                    _ => p,
                };
                pairs.push((
                    format!("blocks.{i}.{p}"),
                    format!("gm_layers.{i}.{reference}"),
                ));
            }
            if c != m.channels {
                if residuals != i {
                    return Err(no_reference(
                        cfg,
                        "its channel count changes after a block without a change, where the \
                         reference's conv1x1_layers[block_id] would be the wrong convolution",
                    ));
                }
                for p in ["weight", "bias"] {
                    pairs.push((
                        format!("residual.{i}.{p}"),
                        format!("conv1x1_layers.{i}.{p}"),
                    ));
                }
                residuals += 1;
            }
            c = m.channels;
        }
        pairs.push(("prelu".into(), "relu.weight".into()));
        pairs.push(("head.weight".into(), "fc1.weight".into()));
        pairs.push(("head.bias".into(), "fc1.bias".into()));
        Ok(Self {
            pairs,
            config: reference_config(cfg, height),
        })
    }

    /// gm's named tensors renamed and reshaped to the reference's (a name gm's model does
    /// not have keeps its name).
    ///
    /// # Errors
    /// libtorch errors.
    pub fn to_reference(&self, named: Vec<(String, Tensor)>) -> Result<Vec<(String, Tensor)>> {
        named
            .into_iter()
            .map(
                |(name, t)| match self.pairs.iter().find(|(g, _)| *g == name) {
                    Some((g, r)) if is_residual_weight(g) => Ok((r.clone(), t.f_unsqueeze(-1)?)),
                    Some((_, r)) => Ok((r.clone(), t)),
                    None => Ok((name, t)),
                },
            )
            .collect()
    }

    /// The reference's named tensors renamed and reshaped to gm's (a name the reference's
    /// model does not have keeps its name).
    ///
    /// # Errors
    /// libtorch errors.
    pub fn from_reference(&self, named: Vec<(String, Tensor)>) -> Result<Vec<(String, Tensor)>> {
        named
            .into_iter()
            .map(
                |(name, t)| match self.pairs.iter().find(|(_, r)| *r == name) {
                    Some((g, _)) if is_residual_weight(g) && t.dim() == 4 => {
                        Ok((g.clone(), t.f_squeeze_dim(-1)?))
                    }
                    Some((g, _)) => Ok((g.clone(), t)),
                    None => Ok((name, t)),
                },
            )
            .collect()
    }

    /// The reference's config keys for this model (`configs/exp/*.yaml`, section `model:`),
    /// as YAML.
    pub fn reference_config(&self) -> &str {
        &self.config
    }
}

/// The reference's `model:` config keys of `cfg`'s classifier on a `side × side` grid.
fn reference_config(cfg: &ExperimentConfig, side: usize) -> String {
    let m = &cfg.model;
    let (group, order) = match m.axis_groups.map_or(m.axis_group, |[a, _]| a) {
        AxisGroup::Cyclic => ("cyclic", side),
        AxisGroup::Dihedral => ("dihedral", side / 2),
    };
    let blocks: String = (0..m.blocks)
        .map(|_| {
            format!(
                "    - num_layers: 1\n      out_channels: [{}]\n",
                m.channels
            )
        })
        .collect();
    format!(
        "model:\n  group: {group}\n  order: {order}\n  nbr: {}\n  num_classes: {}\n  \
         dropout: {}\n  blocks:\n{blocks}",
        m.t,
        m.classes.unwrap_or(0),
        m.dropout
    )
}

/// Whether `gm` names a residual 1×1 convolution's weight (`(O, C, 1)` in gm, `(O, C, 1, 1)`
/// in the reference).
fn is_residual_weight(gm: &str) -> bool {
    gm.starts_with("residual.") && gm.ends_with(".weight")
}

/// [`TrainedRunError::NoReferenceModel`] for `cfg`.
fn no_reference(cfg: &ExperimentConfig, reason: &str) -> anyhow::Error {
    TrainedRunError::NoReferenceModel {
        model: describe(cfg),
        reason: reason.into(),
    }
    .into()
}

/// Checks that `cfg`'s model is one the reference has (see the module docs).
fn reference_counterpart(cfg: &ExperimentConfig) -> Result<()> {
    let m = &cfg.model;
    let reason = if cfg.task != Task::Classification {
        Some("only the reference's classifier is mapped; export regression models as torchscript")
    } else if m.kind != ModelKind::Gm {
        Some("the reference has GM classifiers only")
    } else if m.symmetry != Symmetry::AxisProduct {
        Some("the reference acts on the pixel grid by a product of two axes, not a wallpaper group")
    } else if m.axis_groups.is_some_and(|[a, b]| a != b) {
        Some("the reference has the same group on both axes")
    } else if m.channel_mode != ChannelMode::Shared {
        Some("the reference's weights are shared over input channels (channel_mode = \"shared\")")
    } else if m.relaxed_rank > 0 {
        Some("the reference's classifier is exactly equivariant (relaxed_rank = 0)")
    } else if !m.pool_after.is_empty() {
        Some("the reference's classifier does not pool between blocks")
    } else {
        None
    };
    match reason {
        Some(r) => Err(no_reference(cfg, r)),
        None => Ok(()),
    }
}
