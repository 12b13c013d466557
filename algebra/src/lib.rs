//! # gm-algebra
//!
//! Finite groups, homogeneous spaces, group matrices (GMs) `M_f[a,b] = f(g_a⁻¹ g_b)`, their
//! displacement structure and their diagonalisation by the group Fourier transform.
//!
//! Conventions (see `docs/theory.md`): a group of order `n` has its elements indexed `0..n`
//! with the identity at index 0; everything downstream works on these dense indices.
//!
//! A researcher adds a group by implementing the six-method [`Group`] trait; the index view
//! [`FiniteGroup`] and everything built on it (cosets, classes, group matrices, transforms)
//! then comes for free.
//!
//! ## Re-exported dependencies
//!
//! The public API speaks in [`nalgebra`] matrices (`DMatrix`, `DVector`) and [`num_complex`]
//! numbers (`Complex64`); both crates are re-exported so that downstream code names the exact
//! versions this crate was built with (nalgebra 0.33, num-complex 0.4) without pinning them:
//!
//! ```
//! use gm_algebra::nalgebra::DMatrix;
//! use gm_algebra::num_complex::Complex64;
//! let m = DMatrix::from_element(2, 2, Complex64::new(1.0, 0.0));
//! assert_eq!(m.trace(), Complex64::new(2.0, 0.0));
//! ```
#![deny(missing_docs)]

pub mod budget;
pub mod character;
pub mod cyclotomic;
pub mod displacement;
pub mod error;
pub mod fourier;
pub mod group;
pub mod matrix;
pub mod primes;
mod shape;
pub mod space;

pub use error::{Error, Result};
pub use group::{AnyGroup, FiniteGroup, Group};
pub use nalgebra;
pub use num_complex;
