//! GM convolutions: the exact layer, the rank-`r` relaxed layer, their backends and the
//! planner that picks one.

pub mod backend;
mod config;
pub mod cost;
mod exact;
pub mod planner;
mod relaxed;

pub use backend::{BackendKind, ConvBackend};
pub use config::{BackendChoice, ChannelMode, GMConvConfig};
pub use exact::GMConv;
pub use relaxed::RelaxedGMConv;
