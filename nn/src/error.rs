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
}

/// `Result` with [`NnError`].
pub type Result<T> = std::result::Result<T, NnError>;
