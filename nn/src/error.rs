//! The crate's typed error.

use thiserror::Error;

/// Errors of `gm-nn`.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum NnError {
    /// An error from libtorch.
    #[error(transparent)]
    Torch(#[from] tch::TchError),
    /// An error from the algebra crate (bad group, bad kernel support, ...).
    #[error(transparent)]
    Algebra(#[from] gm_algebra::Error),
    /// CUDA was asked for but is not available.
    #[error("device cuda was requested but CUDA is not available (libtorch sees no GPU); use --device cpu or auto")]
    CudaUnavailable,
    /// A device name that is not `cpu`, `cuda` or `auto`.
    #[error("unknown device {0:?}: expected cpu, cuda, cuda:N or auto")]
    UnknownDevice(String),
    /// A backend name that is not `auto`, `timed` or a registered backend's.
    #[error("unknown backend `{0}`: expected auto, timed, {names}", names = crate::conv::backend::REGISTRY.iter().map(|r| r.name).collect::<Vec<_>>().join(", "))]
    UnknownBackend(String),
    /// A radius support (or a grid-only backend) was asked for on a group that is not a
    /// product of cyclic and dihedral axes in grid order.
    #[error("group {0} is not a product of cyclic/dihedral axes in grid order (C<n>xD<m>x...): give the support as a list of elements")]
    NotAGrid(String),
    /// A backend that does not apply to this layer (e.g. cuDNN on a non-abelian group).
    #[error("backend {backend} does not apply: {reason}")]
    BackendUnavailable {
        /// The backend's name.
        backend: String,
        /// Why it does not apply.
        reason: String,
    },
    /// A tensor or configuration of the wrong size.
    #[error("shape mismatch in {what}: expected {expected}, got {got}")]
    ShapeMismatch {
        /// What was checked.
        what: String,
        /// The size needed.
        expected: i64,
        /// The size given.
        got: i64,
    },
    /// An invalid layer or model configuration.
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
}

/// `Result` with [`NnError`].
pub type Result<T> = std::result::Result<T, NnError>;
