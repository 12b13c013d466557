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
    /// Another process is running in the run directory (it holds the run lock).
    #[error(
        "{dir} is in use by another `gm run`{by}: wait for it to finish, or choose another \
         directory with --out",
        dir = .dir.display(),
        by = .holder.map_or(String::new(), |p| format!(" (process {p})"))
    )]
    Busy {
        /// The run directory.
        dir: PathBuf,
        /// The process id the lock file records, when readable.
        holder: Option<u32>,
    },
    /// `--resume` was asked for a directory that holds no saved run.
    #[error(
        "{dir} holds no run to resume (no state.json): drop --resume to start a new run there",
        dir = .dir.display()
    )]
    NothingToResume {
        /// The run directory.
        dir: PathBuf,
    },
    /// Saving a checkpoint failed (disk full, an I/O error); the previous one is intact.
    #[error(
        "{path}: saving the checkpoint of epoch {epoch} failed: {source}. The last good \
         checkpoint is intact: free space and continue with --resume",
        path = .path.display()
    )]
    Save {
        /// The file being written.
        path: PathBuf,
        /// The epoch whose checkpoint failed.
        epoch: usize,
        /// What went wrong.
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
