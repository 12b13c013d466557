//! Experiment configurations: the schema ([`ExperimentConfig`]), the embedded reference
//! experiments ([`registry`]), dotted-key overrides ([`overrides`]) and validation.
//!
//! Loading goes TOML text → [`toml::Table`] → `base` merged in → `--set` overrides applied →
//! typed config (unknown keys rejected, with the key's dotted path) → range checks
//! ([`ExperimentConfig::validate`]). Every error names the key and what is allowed.

pub mod error;
pub mod overrides;
pub mod registry;
pub mod schema;
mod validate;

pub use error::ConfigError;
pub use registry::{experiment_names, load_experiment, raw_experiment, raw_experiment_from_text};
pub use schema::{
    AxisGroup, ChannelMode, DataConfig, Dataset, EvaluateWeights, ExperimentConfig, FieldBaseline,
    ModelConfig, ModelKind, Precision, QuickConfig, RegressionConfig, RegressionModel,
    StructuredFamily, Symmetry, Task, TrainConfig, NOISE_LEVELS,
};
