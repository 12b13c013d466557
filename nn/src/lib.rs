//! # gm-nn
//!
//! Group-matrix layers and models on libtorch through `tch`: lowering of `gm-algebra`
//! groups to gather tables, exact and relaxed GM convolutions with several backends,
//! pooling and lifting, and the reference models.
//!
//! ## Re-exported dependencies
//!
//! [`gm_algebra`] and the crates its API speaks in are re-exported, so a user of this crate
//! needs no extra dependency lines (and no version pins) to call, say,
//! [`testing::equivariance_error`] or to read an exported dense matrix: [`nalgebra`] 0.33 and
//! [`num_complex`] 0.4, the versions `gm-algebra` is built with.
//!
//! ```
//! use gm_nn::nalgebra::DMatrix;
//! use gm_nn::num_complex::Complex64;
//! let m: DMatrix<f64> = DMatrix::identity(3, 3);
//! assert_eq!(m.trace(), 3.0);
//! assert_eq!(Complex64::new(0.0, 1.0).norm(), 1.0);
//! let g = gm_nn::gm_algebra::group::Cyclic::new(4).unwrap();
//! assert_eq!(gm_nn::gm_algebra::FiniteGroup::order(&g), 4);
//! ```
#![deny(missing_docs)]

pub mod activation;
pub mod conv;
pub mod dense;
pub mod device;
pub mod error;
pub mod field;
pub mod host_memory;
pub mod lowering;
pub mod model;
pub mod pool;
pub mod precision;
pub mod structured;
pub mod testing;

pub use device::{select_device, DeviceChoice};
pub use error::{NnError, Result};
pub use gm_algebra;
pub use gm_algebra::{nalgebra, num_complex};
