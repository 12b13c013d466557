//! The error type of training.
use std::path::PathBuf;

/// Why training stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// libtorch reported an error.
    #[error("libtorch: {0}")]
    Tch(#[from] tch::TchError),
    /// A model or precision error of gm-nn.
    #[error(transparent)]
    Model(#[from] gm_nn::NnError),
    /// The loss became NaN or infinite.
    #[error(
        "the training loss became {value} at epoch {epoch}, batch {batch}: stopping. \
         Lower train.lr, use precision = \"fp32\", or check the data for NaN/inf values"
    )]
    NonFiniteLoss {
        /// Epoch (1-based).
        epoch: usize,
        /// Batch within the epoch (1-based).
        batch: usize,
        /// The offending value.
        value: f64,
    },
    /// A file of the run directory could not be read or written.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong (an I/O, libtorch or parse error, or a sentence of ours).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The inputs make no sense (e.g. an empty training set).
    #[error("{0}")]
    Invalid(String),
}

/// Result of the training functions.
pub type Result<T> = std::result::Result<T, TrainError>;

impl TrainError {
    /// Wraps an error about `path` (kept as the [`std::error::Error::source`]; a plain
    /// message becomes one) as [`TrainError::Io`].
    pub fn io(
        path: impl Into<PathBuf>,
        e: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Io {
            path: path.into(),
            source: e.into(),
        }
    }
}
