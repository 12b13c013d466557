//! GM convolutions: the exact layer, the rank-`r` relaxed layer, the reference's
//! error-vector layer, their backends and the planner that picks one.

pub mod backend;
mod config;
pub mod cost;
mod error_vector;
mod exact;
pub mod planner;
mod relaxed;

pub use backend::{BackendKind, ConvBackend};
pub use config::{BackendChoice, ChannelMode, GMConvConfig};
pub use error_vector::ErrorVectorGMConv;
pub use exact::GMConv;
pub use relaxed::RelaxedGMConv;
