//! The error type of suite files and plans.
use crate::config::ConfigError;

/// Why a suite could not be loaded or planned; every variant names the suite file (or suite
/// name) and what is wrong, before anything has been trained.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// No embedded suite and no file of that name.
    #[error("unknown suite `{name}`: expected one of {allowed} or a path to a .toml file")]
    UnknownSuite {
        /// What was asked for.
        name: String,
        /// The embedded suite names, comma-separated.
        allowed: String,
    },
    /// A suite file could not be read.
    #[error("cannot read suite file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML text does not parse.
    #[error("{origin}: invalid TOML: {message}")]
    Syntax {
        /// Suite name or file path.
        origin: String,
        /// The parser's message.
        message: String,
    },
    /// A key of the suite file is unknown, missing or has a value that is not allowed.
    #[error("{origin}: invalid suite key `{key}`: {message}")]
    InvalidKey {
        /// Suite name or file path.
        origin: String,
        /// Dotted path of the key, e.g. `run[1].sweep`.
        key: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A planned run's experiment does not load with its overrides (an unknown experiment, a
    /// sweep key that is not a config key, a value out of range).
    #[error("{origin}: run {run} does not load: {error}")]
    Config {
        /// Suite name or file path.
        origin: String,
        /// The run: family, experiment, sweep point and seed.
        run: String,
        /// What the config loader said (part of this message, so not a separate cause).
        error: ConfigError,
    },
    /// Two planned runs would write into one run directory.
    #[error(
        "{origin}: runs {first} and {second} would share the run directory {dir}: give them \
         different families, or put the differing keys into a sweep"
    )]
    DuplicateDir {
        /// Suite name or file path.
        origin: String,
        /// The shared directory, relative to the suite's output directory.
        dir: String,
        /// The first run.
        first: String,
        /// The second run.
        second: String,
    },
    /// `--only` or `--seeds` left no run to do.
    #[error("{origin}: no planned run matches {filter}")]
    NothingSelected {
        /// Suite name or file path.
        origin: String,
        /// The filter, as the user gave it.
        filter: String,
    },
}

impl SuiteError {
    /// Shorthand for [`SuiteError::InvalidKey`].
    pub fn key(origin: &str, key: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidKey {
            origin: origin.into(),
            key: key.into(),
            message: message.into(),
        }
    }
}
