//! Models built from configs: the reference GM-CNN classifier (also behind a lift from the
//! pixel grid, [`LiftedClassifier`]), the GM regression models for smoke plumes — the
//! reference's ([`ReferenceRegression`]), the rank-`r` relaxed variant
//! ([`RelaxedRegression`]) and GM layers on p4 acting on velocity fields ([`GmP4Field`]) — and
//! the plume baselines of Wang, Walters & Yu (2022) ([`rotation_baselines`],
//! [`relaxed_rotation`]).

mod classifier;
mod config;
mod field_net;
pub mod fused_block;
mod lifted;
mod reference_regression;
mod relaxed_regression;
pub mod relaxed_rotation;
mod relaxed_translation;
pub mod rotation_baselines;
mod structured_mlp;

pub use classifier::Classifier;
pub use config::{ClassifierConfig, ReferenceRegressionConfig, RelaxedRegressionConfig};
pub use field_net::{FieldNet, FieldNetConfig};
pub use lifted::LiftedClassifier;
pub use reference_regression::ReferenceRegression;
pub use relaxed_regression::RelaxedRegression;
pub use relaxed_rotation::{GmP4Field, RGroup};
pub use relaxed_translation::RelaxedConvNet;
pub use rotation_baselines::{ConvNet, Equiv, FieldMlp, Lift, RSteer, Rpp};
pub use structured_mlp::{StructuredMlp, StructuredMlpConfig};

use crate::conv::{BackendKind, GMConv, GMConvConfig, RelaxedGMConv};
use crate::lowering::Lowering;
use crate::Result;
use tch::nn::Path;
use tch::Tensor;

/// A GM convolution of either kind, as the models use it: exact when `rank = 0`.
#[derive(Debug)]
pub enum GMLayer {
    /// [`GMConv`].
    Exact(GMConv),
    /// [`RelaxedGMConv`] with `rank ≥ 1`.
    Relaxed(RelaxedGMConv),
}

impl GMLayer {
    /// An exact layer for `rank = 0`, else a relaxed one.
    ///
    /// # Errors
    /// As [`GMConv::new`].
    pub fn new(
        vs: &Path,
        in_channels: usize,
        out_channels: usize,
        rank: usize,
        lowering: &Lowering,
        config: GMConvConfig,
    ) -> Result<Self> {
        Ok(if rank == 0 {
            Self::Exact(GMConv::new(
                vs,
                in_channels,
                out_channels,
                lowering,
                config,
            )?)
        } else {
            Self::Relaxed(RelaxedGMConv::new(
                vs,
                in_channels,
                out_channels,
                rank,
                lowering,
                config,
            )?)
        })
    }

    /// The backend of the layer's GM convolution.
    pub fn backend_kind(&self) -> BackendKind {
        match self {
            Self::Exact(l) => l.backend().kind(),
            Self::Relaxed(l) => l.exact.backend().kind(),
        }
    }

    /// The forward pass.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        match self {
            Self::Exact(l) => l.f_forward(xs),
            Self::Relaxed(l) => l.f_forward(xs),
        }
    }
}

/// The number of trainable scalars in `vs`.
pub fn parameter_count(vs: &tch::nn::VarStore) -> usize {
    vs.trainable_variables().iter().map(|t| t.numel()).sum()
}
