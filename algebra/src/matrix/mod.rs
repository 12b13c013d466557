//! Group matrices (GMs) `M_f[a,b] = f(g_a⁻¹ g_b)`: kernels, the gather table behind the fast
//! product, the GM algebra (product = convolution, transpose, inverse), and the orthogonal
//! projection of any matrix onto GMs with the equivariance diagnostics, and GMs on homogeneous
//! spaces `G/H` (equivariant maps between them).
//!
//! Theory and the tests of each fact: `docs/theory/matrices.md`.

mod gather;
mod group_matrix;
mod kernel;
mod projection;
mod quotient_space;

pub use gather::GatherTable;
pub use group_matrix::GroupMatrix;
pub use kernel::Kernel;
pub use projection::{commutes_with_generators, distance_to_gm, equivariance_error, left_regular};
pub use quotient_space::QuotientGroupMatrix;

use crate::shape::check_len;
