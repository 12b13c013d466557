//! Backends of the GM convolution: interchangeable implementations of one linear map.
//!
//! Every backend computes, for input `x` of shape `(B, C, n)` and weight `w`,
//!
//! `y[b,o,a] = Σ_i Σ_k w[o,i,k]·x[b,i, index(g_a·s_k)]`
//!
//! with `w` of shape `(O, C, K)` (`full` channel mode) or `(O, 1, K)` (`shared` mode: the input
//! channels are summed, `w[o,0,k]` is used for every `i`). No bias. All backends are
//! numerically equal (tests in `nn/tests/conv_backends.rs`, which enumerate the [`REGISTRY`]);
//! the [`crate::conv::planner`] picks one by the entries' own `applies` and `cost`.

mod cudnn;
mod fourier;
mod gather;
mod irreps;
mod reference;

pub use cudnn::CudnnBackend;
pub use fourier::FourierBackend;
pub use gather::GatherBackend;
pub use irreps::{IrrepBackend, IRREP_LIMIT};
pub use reference::ReferenceBackend;

use super::cost::CostTerms;
use crate::lowering::Lowering;
use crate::Result;
use serde::{Deserialize, Serialize};
use tch::Tensor;

/// The backends a GM convolution can run on: the names of the [`REGISTRY`]'s entries (what
/// configs and `--backend` say, see [`BackendKind::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    /// Gather + matmul, channels summed before the gather in shared mode ([`GatherBackend`]).
    Gather,
    /// The reference's formulation: gather `B×C×K×n`, then contract ([`ReferenceBackend`]).
    Reference,
    /// Circularly padded `conv2d` (cuDNN on CUDA) on translations of a grid times a point
    /// group: cyclic and dihedral axes, `p4`, `p4m` ([`CudnnBackend`]).
    Cudnn,
    /// Torch FFT on an abelian grid `Z_H×Z_W` ([`FourierBackend`]).
    Fourier,
    /// Block products with precomputed irreps, any group ([`IrrepBackend`]).
    Irreps,
}

/// A backend's entry in the [`REGISTRY`]: what the planner needs to know about it without
/// building it, and how to build it. Each backend's file defines its own.
#[derive(Debug, Clone, Copy)]
pub struct Registration {
    /// Its kind.
    pub kind: BackendKind,
    /// Its short lower-case name (configs and the command line; [`BackendKind::name`]).
    pub name: &'static str,
    /// Whether it applies to a lowering (decided without building it; a backend that applies
    /// must build).
    pub applies: fn(&Lowering) -> bool,
    /// Its estimate of one forward pass, in the device's [`Prices`](crate::conv::cost::Prices)
    /// (only the ranking across backends matters).
    pub cost: fn(&CostTerms) -> f64,
    /// Builds it for a lowering it applies to.
    pub build: fn(&Lowering) -> Result<Box<dyn ConvBackend>>,
}

/// Every backend, in the planner's order of preference on ties. Adding a backend: a file
/// with the [`ConvBackend`] and its [`Registration`], a [`BackendKind`] variant, and a line
/// here; the planner, `--backend`, the configs and the backend tests pick it up from here.
pub const REGISTRY: &[Registration] = &[
    gather::REGISTRATION,
    cudnn::REGISTRATION,
    fourier::REGISTRATION,
    irreps::REGISTRATION,
    reference::REGISTRATION,
];

impl BackendKind {
    /// All kinds, in the [`REGISTRY`]'s order.
    pub const ALL: [BackendKind; REGISTRY.len()] = {
        let mut all = [BackendKind::Gather; REGISTRY.len()];
        let mut i = 0;
        while i < REGISTRY.len() {
            all[i] = REGISTRY[i].kind;
            i += 1;
        }
        all
    };

    /// A short lower-case name (the config's and the command line's).
    pub fn name(&self) -> &'static str {
        self.registration().name
    }

    /// The backend's [`Registration`].
    pub fn registration(self) -> &'static Registration {
        REGISTRY
            .iter()
            .find(|r| r.kind == self)
            .expect("every kind is registered (checked by a test)")
    }
}

impl std::fmt::Display for BackendKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// One implementation of the GM convolution map (see the [module docs](self)).
pub trait ConvBackend: std::fmt::Debug + Send {
    /// Which backend this is.
    fn kind(&self) -> BackendKind;

    /// `y[b,o,a] = Σ_i Σ_k w[o,i,k]·x[b,i, g_a·s_k]` (shared mode when `w` has one input
    /// channel): `x` is `(B, C, n)`, `w` is `(O, C, K)` or `(O, 1, K)`, `y` is `(B, O, n)`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape or device mismatch.
    fn forward(&self, x: &Tensor, weight: &Tensor) -> Result<Tensor>;
}

/// Builds the backend `kind` for `lowering`.
///
/// # Errors
/// [`crate::NnError::BackendUnavailable`] when the backend does not apply to the group (cuDNN needs
/// translations of a grid times a point group, Fourier a grid of at most two cyclic axes).
pub fn build(kind: BackendKind, lowering: &Lowering) -> Result<Box<dyn ConvBackend>> {
    (kind.registration().build)(lowering)
}

/// Whether `w` is a shared-mode weight (one input channel).
pub(crate) fn is_shared(weight: &Tensor) -> Result<bool> {
    Ok(weight.size3()?.1 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conv::BackendChoice;

    #[test]
    fn every_registered_backend_has_a_unique_name_that_parses_back() {
        for (i, r) in REGISTRY.iter().enumerate() {
            assert_eq!(BackendKind::ALL[i], r.kind);
            assert_eq!(r.kind.registration().name, r.name);
            assert_eq!(r.kind.to_string(), r.name);
            assert_eq!(
                r.name.parse::<BackendChoice>().unwrap(),
                BackendChoice::Fixed(r.kind)
            );
            assert!(REGISTRY[..i]
                .iter()
                .all(|s| s.name != r.name && s.kind != r.kind));
        }
        let err = "tpu".parse::<BackendChoice>().unwrap_err().to_string();
        assert!(REGISTRY.iter().all(|r| err.contains(r.name)), "{err}");
    }
}
