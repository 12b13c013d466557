//! The error type of the loaders.
use std::path::PathBuf;

/// Why a dataset could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// Expected files are absent.
    #[error(
        "{dataset}: missing {missing} in {dir}\n  expected files: {files}\n  where they come from: {origin}",
        missing = .missing.join(", "),
        files = .expected.join(", "),
        dir = .dir.display()
    )]
    Missing {
        /// The dataset's name.
        dataset: &'static str,
        /// The directory searched.
        dir: PathBuf,
        /// The files not found.
        missing: Vec<String>,
        /// Every file the loader reads.
        expected: Vec<String>,
        /// Where the files can be obtained.
        origin: &'static str,
    },
    /// A file exists but is not in the expected format.
    #[error("{path}: {message}", path = .path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A header field, a value or the length of a file contradicts its format.
    #[error("{path}, byte {offset}: expected {expected}, found {found}", path = .path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Byte offset of the offending field (the file length for a length mismatch).
        offset: u64,
        /// What the format requires there.
        expected: String,
        /// What the file holds.
        found: String,
    },
    /// A file (or its header) claims more memory than [`super::budget::MEMORY_BUDGET`].
    #[error(
        "{path}: {what} needs {needed} bytes, more than the loader's memory budget of {budget} \
         bytes: the file is corrupt or not of this format",
        path = .path.display(),
        needed = .claimed.map_or("more than 2^64".to_string(), |c| c.to_string())
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What claims the memory (e.g. `the header's shape [99999999999, 2, 64, 64]`).
        what: String,
        /// The bytes claimed (`None`: more than `u64` counts).
        claimed: Option<u64>,
        /// The budget.
        budget: u64,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The dataset serves the other task (images vs trajectories).
    #[error("dataset `{dataset}` is not loaded this way (classification images vs regression trajectories)")]
    WrongTask {
        /// The dataset's name.
        dataset: &'static str,
    },
    /// `mnist-noise` without a noise level in `1..=6` (`data.noise_level`).
    #[error(
        "mnist-noise: data.noise_level must name one of the files \
         mnist_noise_variations_all_1.amat … _6.amat (1..=6), got {}",
        .got.map_or("none".to_string(), |n| n.to_string())
    )]
    BadNoiseLevel {
        /// The level asked for.
        got: Option<usize>,
    },
    /// An external tool (npm, python) failed.
    #[error("{tool} failed: {message}")]
    Tool {
        /// The program.
        tool: String,
        /// What happened.
        message: String,
    },
}

/// Result of the data functions.
pub type Result<T> = std::result::Result<T, DataError>;

impl DataError {
    /// Shorthand for [`DataError::Format`].
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl DataError {
    /// Shorthand for [`DataError::Corrupt`].
    pub fn corrupt(
        path: impl Into<PathBuf>,
        offset: usize,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Self::Corrupt {
            path: path.into(),
            offset: offset as u64,
            expected: expected.into(),
            found: found.into(),
        }
    }
}

/// Reads a whole file, refusing one larger than [`super::budget::MEMORY_BUDGET`] before
/// reading it.
///
/// # Errors
/// [`DataError::Io`], [`DataError::TooLarge`].
pub fn read(path: &std::path::Path) -> Result<Vec<u8>> {
    let io = |source| DataError::Io {
        path: path.into(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    super::budget::check(path, "the file", Some(len))?;
    std::fs::read(path).map_err(io)
}

/// Writes a file atomically (a temporary sibling, then a rename).
///
/// # Errors
/// [`DataError::Io`].
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let io = |source| DataError::Io {
        path: path.into(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Checks that every file of `expected` exists in `dir`.
///
/// # Errors
/// [`DataError::Missing`] listing the absent ones.
pub fn require(
    dataset: &'static str,
    dir: &std::path::Path,
    expected: &[String],
    origin: &'static str,
) -> Result<()> {
    let missing: Vec<String> = expected
        .iter()
        .filter(|f| !dir.join(f).is_file())
        .cloned()
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DataError::Missing {
            dataset,
            dir: dir.into(),
            missing,
            expected: expected.to_vec(),
            origin,
        })
    }
}
