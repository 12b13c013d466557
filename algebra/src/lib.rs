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
