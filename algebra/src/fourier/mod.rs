//! Representation theory of finite groups and the group Fourier transform.
//!
//! Convention: `f̂(ρ) = Σ_g f(g) ρ(g)` and `f(g) = (1/n) Σ_ρ d_ρ tr(ρ(g)* f̂(ρ))`; coefficients
//! are laid out flat ([`CoefficientLayout`]). Irreps come from closed forms where known
//! (abelian, dihedral, direct products, Young's orthogonal form for `S_n`, Mackey's induced
//! irreps of the wallpaper groups) and from a numerical construction for any group
//! ([`numerical_irreps`]); every irrep is unitary, carries its Frobenius–Schur type, and those
//! of real type are stored in real orthogonal form. A [`FourierPlanner`] picks a fast
//! transform per group (among them the subgroup-chain FFT [`ChainFft`] in irreps adapted to a
//! chain); [`NaiveFourier`] is the oracle; [`FourierGm`] does GM arithmetic in the Fourier
//! domain. See `docs/theory/fourier.md` and `docs/theory/chain-fft.md`.

mod abelian;
mod abelian_fft;
mod adapted_irreps;
mod chain_fft;
mod character;
mod dense;
mod diagonalize;
mod dihedral;
mod dihedral_fft;
mod gemm;
mod generator_images;
mod induced;
mod induced_fft;
mod irrep;
mod isotypic;
mod module_irreps;
mod naive;
mod numerical;
mod packed_spectrum;
mod permutation_action;
mod planner;
mod product;
mod real_cyclic;
mod real_form;
mod real_irreps;
mod separable;
mod symmetric;
mod symmetric_fft;
mod tensor_module;
mod transform;
mod unitary;

pub use abelian::AbelianStructure;
pub use abelian_fft::AbelianFft;
pub use chain_fft::{ChainBasis, ChainFft};
pub use character::{character_table, representation_summary, RepresentationSummary};
pub use dense::{DenseFourier, DENSE_LIMIT};
pub use diagonalize::FourierGm;
pub use dihedral::DihedralStructure;
pub use dihedral_fft::DihedralFft;
pub use generator_images::{GeneratorImages, Validation, EXHAUSTIVE_CHECK_LIMIT, SAMPLED_PAIRS};
pub use induced::induced_irreps;
pub use induced_fft::InducedFft;
pub use irrep::{
    fs_indicator, CoefficientLayout, FsType, Irrep, IrrepConstruction, Irreps, Representation,
    REP_TOLERANCE,
};
pub use isotypic::MAX_ISOTYPIC_DIM;
pub use module_irreps::{ModuleIrrep, ModuleIrreps, MAX_TENSOR_DIM};
pub use naive::NaiveFourier;
pub use numerical::numerical_irreps;
pub use permutation_action::PermutationAction;
pub use planner::FourierPlanner;
pub use product::kronecker_irreps;
pub use real_cyclic::RealCyclicGm;
pub use real_form::real_orthogonal_form;
pub use real_irreps::{real_irreps, RealIrrep};
pub use separable::SeparableFourier;
pub use symmetric::{
    partitions, reduced_word, young_generator_images, Branch, TranspositionImage, YoungImages,
    YOUNG_IMAGES_DEGREE_LIMIT,
};
pub use symmetric::{young_orthogonal_irreps, YOUNG_DEGREE_LIMIT};
pub use symmetric_fft::SymmetricFft;
pub use transform::{FourierTransform, PlanKind};
pub use unitary::unitary_fourier_matrix;

use crate::{FiniteGroup, Result};
use std::sync::Arc;

/// A complete set of irreps of `g` from the global [`FourierPlanner`] (cached per group).
///
/// # Errors
/// Those of [`numerical_irreps`].
pub fn irreps<G: FiniteGroup + ?Sized>(g: &G) -> Result<Arc<Irreps>> {
    FourierPlanner::global().irreps(g)
}

/// The global [`FourierPlanner`]'s plan for `g`.
///
/// # Errors
/// Those of [`numerical_irreps`].
pub fn plan<G: FiniteGroup + ?Sized>(g: &G) -> Result<Arc<dyn FourierTransform>> {
    FourierPlanner::global().plan(g)
}
