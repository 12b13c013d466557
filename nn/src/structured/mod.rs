//! Trainable structured-matrix layers: the low-displacement-rank (LDR) baselines of Thomas,
//! Gu, Dao, Rudra & Ré, "Learning Compressed Transforms with Low Displacement Rank"
//! (NeurIPS 2018; code HazyResearch/structured-nets), with their parameter shapes, names and
//! initialisation, so results compare with that paper's.
//!
//! A [`StructuredLinear`] layer maps `x ∈ ℝⁿ` to `M x + b` with `M` an `n × n` matrix of one
//! [`StructuredFamily`]:
//!
//! | family | parameters | `M` | product |
//! |---|---|---|---|
//! | [`Unconstrained`] | `W` (`n × n`) | `Wᵀ` | dense |
//! | [`LowRank`] | `G`, `H` (`r × n`) | `Gᵀ H` | `O(r n)` |
//! | [`Circulant`] | `c` (`n`) | `C(c)`, first column `c` | FFT, `O(n log n)` |
//! | [`ToeplitzLike`] | `G`, `H` | `Σ K(Z₀, g_i) K(Z₀, h_i)ᵀ` | FFT, `O(r n log n)` |
//! | [`HankelLike`] | `G`, `H` | `J Σ K(Z₁, g_i) K(Z₋₁, h_i)ᵀ` | FFT, `O(r n log n)` |
//! | [`VandermondeLike`] | `G`, `H`, `diag` (`n`) | `Σ K(diag(d), g_i) K(Z₀, h_i)ᵀ` | FFT + `O(r n²)` |
//! | [`LdrSd`] | `G`, `H`, `subd_A`, `subd_B` (`n − 1`) | `Σ K(A, g_i) K(B, h_i)ᵀ`, subdiagonal `A`, `B` | `O(r n²)` |
//! | [`LdrTd`] | `G`, `H`, `subd_*`, `diag_*`, `supd_*` | the same, tridiagonal `A`, `B` | `O(r n²)` |
//!
//! The oracle is `gm_algebra::displacement::KrylovProduct` (and `Circulant`, `LowRank`):
//! every layer's dense matrix equals the algebra's Krylov product for the same parameters
//! (`nn/tests/structured.rs`). Theory: `docs/theory/displacement.md` §3b; usage:
//! `docs/nn-layers.md`.

mod circulant;
mod family;
mod hankel_like;
mod krylov;
mod ldr_sd;
mod ldr_td;
mod linear;
mod low_rank;
mod toeplitz_like;
mod unconstrained;
mod vandermonde_like;

pub use circulant::Circulant;
pub use family::StructuredFamily;
pub use hankel_like::HankelLike;
pub use ldr_sd::LdrSd;
pub use ldr_td::LdrTd;
pub use linear::{StructuredConfig, StructuredLinear};
pub use low_rank::LowRank;
pub use toeplitz_like::ToeplitzLike;
pub use unconstrained::Unconstrained;
pub use vandermonde_like::VandermondeLike;

use crate::Result;
use tch::Tensor;

/// The linear part `x ↦ M x` of a structured layer, batched over rows.
pub trait StructuredMap: std::fmt::Debug + Send {
    /// `M x_b` for every row `x_b` of `x` (`(B, n)` → `(B, n)`, i.e. `x Mᵀ`), in the dtype
    /// of `x` (parameters are cast to it).
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] when `x` does not have `n` columns or libtorch fails.
    fn apply(&self, x: &Tensor) -> Result<Tensor>;

    /// One of the map's parameters (for the kind and device of its dense export).
    fn parameter(&self) -> &Tensor;
}
