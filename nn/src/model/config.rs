//! Serde-deserialisable model configurations, with the reference's presets.

use crate::conv::GMConvConfig;
use crate::lowering::{grid_group, Axis, Lowering, Support};
use crate::Result;
use gm_algebra::AnyGroup;
use serde::{Deserialize, Serialize};
use tch::Device;

/// The grid `G × G` of two equal axes, for the presets.
fn square_grid(axis: Axis) -> AnyGroup {
    grid_group(&[axis, axis]).expect("the presets' axes are non-empty")
}

/// The reference GM-CNN classifier ([`super::Classifier`]). The group is a typed group; a
/// config file gives it as a spec (`"C28xC28"`), parsed once on deserialisation.
///
/// # Example
/// ```
/// use gm_nn::model::ClassifierConfig;
/// let c: ClassifierConfig = serde_json::from_str(r#"{"group": "C28xC28", "in_channels": 1}"#).unwrap();
/// assert_eq!(c.channels, vec![120, 120]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassifierConfig {
    /// The group acting on the flattened input (in a config file its spec: `"C32xC32"`,
    /// `"D14xD14"`, `"p4(8)"`, …).
    pub group: AnyGroup,
    /// The kernel support (a radius needs a grid of cyclic/dihedral axes).
    pub support: Support,
    /// Input channels.
    pub in_channels: usize,
    /// Output channels of each block.
    pub channels: Vec<usize>,
    /// Dropout before the linear head.
    pub dropout: f64,
    /// Number of classes.
    pub classes: usize,
    /// Rank `r` of the relaxed layers' relaxation, a bound on their diagonal-form displacement
    /// rank (docs/theory/displacement.md; 0: exact GM convolutions).
    pub relaxed_rank: usize,
    /// The blocks (0-based) after which a stride-2 subgroup pool
    /// ([`crate::pool::SubgroupPool::stride2`], max) halves every axis of the grid, the
    /// following blocks running on the halved grid; empty (the reference) pools only at the
    /// end. Needs a grid of cyclic/dihedral axes of even size at each pool.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pool_after: Vec<usize>,
    /// The GM convolutions' configuration.
    pub conv: GMConvConfig,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        Self::cifar10()
    }
}

impl ClassifierConfig {
    /// The reference's CIFAR-10 model: `C32xC32`, `t = 3` (`K = 49`), 3 → 120 → 120, dropout
    /// 0.2, 10 classes (13,691 parameters).
    pub fn cifar10() -> Self {
        Self {
            group: square_grid(Axis::Cyclic(32)),
            support: Support::Radius(3),
            in_channels: 3,
            channels: vec![120, 120],
            dropout: 0.2,
            classes: 10,
            relaxed_rank: 0,
            pool_after: Vec::new(),
            conv: GMConvConfig::default(),
        }
    }

    /// The reference's rotated-MNIST model: `D14xD14`, `t = 3` (`K = 196`), 1 → 120 → 120,
    /// dropout 0.3, 10 classes (48,731 parameters).
    pub fn rot_mnist() -> Self {
        Self {
            group: square_grid(Axis::Dihedral(14)),
            in_channels: 1,
            dropout: 0.3,
            ..Self::cifar10()
        }
    }

    /// The group and support lowered onto `device`.
    ///
    /// # Errors
    /// As [`Lowering::new`]: [`crate::NnError::NotAGrid`] for a radius on a non-grid group.
    pub fn lowering(&self, device: Device) -> Result<Lowering> {
        Lowering::new(self.group.clone(), &self.support, device)
    }
}

/// The rank-`r` relaxed GM regression model ([`super::RelaxedRegression`]), this crate's
/// variant of the reference's regression model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelaxedRegressionConfig {
    /// The group (the reference: `C64xC64`; a spec in a config file).
    pub group: AnyGroup,
    /// The kernel support (the reference: radius 1).
    pub support: Support,
    /// Input channels (10 frames × 2 velocity components).
    pub in_channels: usize,
    /// Output channels (one velocity frame).
    pub out_channels: usize,
    /// Hidden channels.
    pub hidden: usize,
    /// Number of residual GM blocks.
    pub blocks: usize,
    /// Rank `r` of the relaxed layers' relaxation, a bound on their diagonal-form displacement
    /// rank (0: exact).
    pub relaxed_rank: usize,
    /// The GM convolutions' configuration.
    pub conv: GMConvConfig,
}

impl Default for RelaxedRegressionConfig {
    fn default() -> Self {
        Self {
            group: square_grid(Axis::Cyclic(64)),
            support: Support::Radius(1),
            in_channels: 20,
            out_channels: 2,
            hidden: 64,
            blocks: 4,
            relaxed_rank: 1,
            conv: GMConvConfig::default(),
        }
    }
}

impl RelaxedRegressionConfig {
    /// The group and support lowered onto `device`.
    ///
    /// # Errors
    /// As [`ClassifierConfig::lowering`].
    pub fn lowering(&self, device: Device) -> Result<Lowering> {
        Lowering::new(self.group.clone(), &self.support, device)
    }
}

/// The reference's regression model ([`super::ReferenceRegression`]). The default is the
/// reference's plume config at its last commit (`configs/exp/plume-rotation-config.yaml`:
/// cyclic 64 per axis, `t = 1`, two blocks of 120 channels): 13,356 parameters.
///
/// # Example
/// ```
/// use gm_nn::model::ReferenceRegressionConfig;
/// let c = ReferenceRegressionConfig::default();
/// assert_eq!((c.hidden, c.blocks, c.in_channels, c.out_channels), (120, 2, 20, 2));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferenceRegressionConfig {
    /// The group (the reference: `C64xC64`; a spec in a config file).
    pub group: AnyGroup,
    /// The kernel support (the reference: radius 1).
    pub support: Support,
    /// Input channels (10 frames × 2 velocity components).
    pub in_channels: usize,
    /// Output channels (one velocity frame).
    pub out_channels: usize,
    /// Hidden channels `C`.
    pub hidden: usize,
    /// Number of residual blocks.
    pub blocks: usize,
    /// The GM convolutions' configuration (the reference: shared channel mode, with bias).
    pub conv: GMConvConfig,
}

impl Default for ReferenceRegressionConfig {
    fn default() -> Self {
        Self {
            group: square_grid(Axis::Cyclic(64)),
            support: Support::Radius(1),
            in_channels: 20,
            out_channels: 2,
            hidden: 120,
            blocks: 2,
            conv: GMConvConfig::default(),
        }
    }
}

impl ReferenceRegressionConfig {
    /// The group and support lowered onto `device`.
    ///
    /// # Errors
    /// As [`ClassifierConfig::lowering`].
    pub fn lowering(&self, device: Device) -> Result<Lowering> {
        Lowering::new(self.group.clone(), &self.support, device)
    }
}
