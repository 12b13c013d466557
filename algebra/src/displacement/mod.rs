//! Displacement structure: the Sylvester and Stein displacement maps and the numerical (LDR)
//! displacement rank, the classical low-displacement-rank (LDR) families with their
//! generators, Krylov reconstructions and fast products, the group displacement of a matrix
//! with respect to a generating set, and the diagonal form with the rank-`r` relaxation of
//! group matrices used by approximately equivariant layers.
//!
//! Theory and the test of each fact: `docs/theory/displacement.md`.
//!
//! Three numbers here are called a displacement rank: the *LDR displacement rank*
//! ([`Displacement::rank`], the rank of `AM − MB` or `M − AMB` for fixed operators), the
//! *group displacement rank* ([`group_displacement_rank`], the rank of the stack of
//! `∇_s(M) = L_sM − ML_s` over the generators) and the *diagonal-form displacement rank*
//! ([`DiagonalForm::displacement_rank`], the rank of the stack of `F − F_s` of the diagonal
//! form), which the rank-`r` relaxation ([`RankRForm`], the relaxed layers of `gm-nn`)
//! bounds by `r`. The last two vanish exactly on group matrices but differ otherwise: a
//! rank-1 form on a group of order 27 can have group displacement rank 27.
//!
//! | family | displacement | reconstruction | product |
//! |---|---|---|---|
//! | [`Circulant`] | `∇_{Z₁,Z₋₁}`, rank 1 (`∇_{Z₁,Z₁} = 0`) | `K(Z₁, c)` | `O(n log n)` |
//! | [`ToeplitzLike`] | `∇_{Z₁,Z₋₁}` | Pan | `O(r n log n)` |
//! | [`HankelLike`] | `∇_{Z₁,Z₋₁ᵀ}` | Pan | `O(r n log n)` |
//! | [`VandermondeLike`] | `∇_{D_v,Z_f}` | Pan | `O(r n log n + r m n)` |
//! | [`CauchyLike`] | `∇_{D_s,D_t}` | entrywise | `O(r m n)`, `O(m + n)` memory |
//! | [`LowRank`] | `Δ_{0,0}` | `G Hᵀ` | `O(r (m + n))` |
//! | [`LdrSd`] | `Δ_{A,B}`, subdiagonal + corner | Thomas et al. | `O(r n log n)` (FFT), else `O(r n²)` |
//! | [`LdrTd`] | `Δ_{A,B}`, tridiagonal, rank ≤ 2r | Thomas et al. | `O(r n²)` |
//! | [`KrylovProduct`] | `Δ_{A,Bᵀ}`, the LDR layers' parametrisations | Thomas et al. | `O(r n²)` |

mod cauchy_like;
mod circulant;
mod diagonal_form;
mod family;
mod group;
mod hankel_like;
mod krylov;
mod krylov_product;
mod ldr_sd;
mod ldr_td;
mod low_rank;
mod operator;
mod rank_r_form;
mod shift;
mod toeplitz_like;
mod vandermonde_like;

pub use cauchy_like::CauchyLike;
pub use circulant::Circulant;
pub use diagonal_form::DiagonalForm;
pub use family::LdrMatrix;
pub use group::{
    group_displacement, group_displacement_rank, mean_word_length, stacked_group_displacement,
};
pub use hankel_like::HankelLike;
pub use krylov::{krylov_matrix, krylov_sum, krylov_sum_apply, reversed_krylov_sum};
pub use krylov_product::KrylovProduct;
pub use ldr_sd::{LdrSd, FFT_CONDITION_LIMIT};
pub use ldr_td::LdrTd;
pub use low_rank::LowRank;
pub use operator::{
    numerical_rank, numerical_rank_with, rank_tolerance, stein, sylvester, Displacement,
    DisplacementKind, Operator,
};
pub use rank_r_form::RankRForm;
pub use shift::{KrylovSum, ShiftKrylov};
pub use toeplitz_like::ToeplitzLike;
pub use vandermonde_like::VandermondeLike;

use crate::shape::check_len;
