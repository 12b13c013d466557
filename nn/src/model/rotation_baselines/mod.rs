//! The rotation baselines of Wang, Walters & Yu (ICML 2022, "Approximately Equivariant
//! Networks for Imperfectly Symmetric Dynamics", `models/model_rotation.py`) on the plume
//! task, built on exact `C4`-steerable kernels of the grid ([`SteerableBasis`]).
//!
//! | model | reference | symmetry |
//! |---|---|---|
//! | [`ConvNet`] | `ConvNet` | none |
//! | [`FieldMlp`] | `MLPNet` | none |
//! | [`Equiv`] | `E2CNN` | exact |
//! | [`Rpp`] | `Rot_RPPNet` | exact + penalised free pathway |
//! | [`Lift`] | `Lift_Rot_Expansion` | exact backbone + free encoder |
//! | [`RSteer`] | `Relaxed_Rot_SteerConvNet` | relaxed, penalised |
//!
//! # Protocol sizes
//! [`protocol_config`]: the reference's `run.sh` line for rotation (`hidden_dim = 92`,
//! `num_layers = 5`, `N = 4`, `alpha = 1e-5`; kernel 3, 10 input frames, one predicted
//! frame, 64 × 64). Its models take no default sizes of their own, so every baseline uses
//! the same ones. Trainable parameters there, with this crate's exact grid basis and, for
//! comparison, the reference's models built with e2cnn 0.2.3 (band-limited basis: 12, 24, 12
//! kernels for vector → regular, regular → regular, regular → vector instead of 18, 36, 18):
//!
//! | model | here | reference (e2cnn) |
//! |---|---|---|
//! | `ConvNet` | 247,850 | 247,850 |
//! | `FieldMlp` | 8,324,992 | 8,324,992 |
//! | `Equiv` | 933,432 | 622,656 |
//! | `Rpp` | 4,666,426 | 4,355,658¹ |
//! | `Lift` | 8,563,820 | 3,314,852² |
//! | `RSteer` | 8,392,426 | 5,596,178¹ |
//!
//! With the reference's basis sizes (12, 24, 12) the formulas of the tests give its counts
//! exactly, up to: ¹ modules it builds but never calls (`Rot_RPPNet`'s output block builds a
//! `BatchNorm2d(4)`, 8 parameters; `Relaxed_Rot_SteerConv` builds an `InnerBatchNorm` per
//! hidden layer and leaves it out of `forward`, 736) — they are not built here; ² its encoder
//! reads a hard-coded 62 × 23 grid (JetFlow's), here `height × width`. The exact grid basis
//! is larger because e2cnn's band limit drops the highest angular frequencies a 3 × 3 grid
//! carries (see [`SteerableBasis`]).
//!
//! The counts are asserted, from formulas written in the tests, in
//! `nn/tests/rotation_baselines.rs`.

mod conv_net;
mod equiv;
mod field_mlp;
mod field_norm;
mod lift;
mod plan;
mod relaxed_steerable_conv;
mod rpp;
mod rsteer;
mod steerable;
mod steerable_conv;

pub use conv_net::ConvNet;
pub use equiv::Equiv;
pub use field_mlp::FieldMlp;
pub use field_norm::FieldBatchNorm;
pub use lift::{Lift, LIFT_JOIN_AFTER};
pub use plan::{equivariant_stack, torch_batch_norm, validate, LayerFields};
pub use relaxed_steerable_conv::RelaxedSteerableConv;
pub use rpp::{Rpp, RPP_CONV_WEIGHT_DECAY};
pub use rsteer::RSteer;
pub use steerable::{rotate_offset, FieldRep, SteerableBasis};
pub use steerable_conv::SteerableConv;

use super::FieldNetConfig;

/// The rotation protocol's sizes (see the module docs): 10 → 1 frames, width 92, 5 layers,
/// kernel 3, 64 × 64, `alpha = 1e-5`, one filter bank (unused here).
pub fn protocol_config() -> FieldNetConfig {
    FieldNetConfig {
        in_frames: 10,
        out_frames: 1,
        hidden: 92,
        layers: 5,
        kernel_size: 3,
        height: 64,
        width: 64,
        banks: 1,
        alpha: 1e-5,
    }
}
