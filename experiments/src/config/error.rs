//! The error type of configuration loading.

/// Why a configuration could not be loaded; every variant names the offending key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No embedded experiment and no file of that name.
    #[error("unknown experiment `{name}`: expected one of {allowed} or a path to a .toml file")]
    UnknownExperiment {
        /// What was asked for.
        name: String,
        /// The embedded experiment names, comma-separated.
        allowed: String,
    },
    /// The TOML text does not parse.
    #[error("{origin}: invalid TOML: {message}")]
    Syntax {
        /// Experiment name or file path.
        origin: String,
        /// The parser's message.
        message: String,
    },
    /// A key has a value outside what is allowed (or is unknown, or missing).
    #[error("invalid config key `{key}`: {message}")]
    InvalidKey {
        /// Dotted path of the key, e.g. `train.epochs`.
        key: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A `--set` argument is not of the form `key=value`.
    #[error("invalid override `{arg}`: expected key=value with a dotted key, e.g. train.epochs=5")]
    BadOverride {
        /// The argument as given.
        arg: String,
    },
    /// A config file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ConfigError {
    /// Shorthand for [`ConfigError::InvalidKey`].
    pub fn key(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidKey {
            key: key.into(),
            message: message.into(),
        }
    }
}
