//! # gm-nn
//!
//! Group-matrix layers and models on libtorch through `tch`: lowering of `gm-algebra`
//! groups to gather tables, exact and relaxed GM convolutions with several backends,
//! pooling and lifting, and the reference models.
#![deny(missing_docs)]

pub mod conv;
pub mod dense;
pub mod device;
pub mod error;
pub mod lowering;
pub mod model;
pub mod pool;
pub mod precision;
pub mod structured;
pub mod testing;

pub use device::{select_device, DeviceChoice};
pub use error::{NnError, Result};
