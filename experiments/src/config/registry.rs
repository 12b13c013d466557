//! The reference experiments, embedded in the binary so `gm list` works from any directory.
//!
//! A variant file names its parent with `base = "<experiment>"` and holds only what differs.
use super::overrides::{apply, merge, Override};
use super::{ConfigError, ExperimentConfig};
use toml::{Table, Value};

/// `(name, TOML text)` of every embedded experiment, in listing order.
const EMBEDDED: &[(&str, &str)] = &[
    ("cifar10", include_str!("../../configs/cifar10.toml")),
    ("cifar10-p4", include_str!("../../configs/cifar10-p4.toml")),
    (
        "cifar10-p4m",
        include_str!("../../configs/cifar10-p4m.toml"),
    ),
    ("mnist", include_str!("../../configs/mnist.toml")),
    ("rot-mnist", include_str!("../../configs/rot-mnist.toml")),
    (
        "rot-mnist-p4",
        include_str!("../../configs/rot-mnist-p4.toml"),
    ),
    (
        "rot-mnist-p4m",
        include_str!("../../configs/rot-mnist-p4m.toml"),
    ),
    (
        "rot-mnist-digits",
        include_str!("../../configs/rot-mnist-digits.toml"),
    ),
    (
        "rot-mnist-digits-cnn",
        include_str!("../../configs/rot-mnist-digits-cnn.toml"),
    ),
    (
        "rot-mnist-digits-pooled",
        include_str!("../../configs/rot-mnist-digits-pooled.toml"),
    ),
    (
        "rot-mnist-digits-p4",
        include_str!("../../configs/rot-mnist-digits-p4.toml"),
    ),
    (
        "rot-mnist-digits-mlp",
        include_str!("../../configs/rot-mnist-digits-mlp.toml"),
    ),
    (
        "rot-mnist-digits-ldr",
        include_str!("../../configs/rot-mnist-digits-ldr.toml"),
    ),
    (
        "mnist-bg-rot",
        include_str!("../../configs/mnist-bg-rot.toml"),
    ),
    (
        "mnist-bg-rot-p4",
        include_str!("../../configs/mnist-bg-rot-p4.toml"),
    ),
    (
        "mnist-bg-rot-p4m",
        include_str!("../../configs/mnist-bg-rot-p4m.toml"),
    ),
    (
        "mnist-noise",
        include_str!("../../configs/mnist-noise.toml"),
    ),
    (
        "mnist-noise-p4",
        include_str!("../../configs/mnist-noise-p4.toml"),
    ),
    (
        "mnist-back-rand-digits",
        include_str!("../../configs/mnist-back-rand-digits.toml"),
    ),
    ("norb", include_str!("../../configs/norb.toml")),
    ("norb-p4", include_str!("../../configs/norb-p4.toml")),
    ("smallnorb", include_str!("../../configs/smallnorb.toml")),
    (
        "smallnorb-p4",
        include_str!("../../configs/smallnorb-p4.toml"),
    ),
    ("rectangles", include_str!("../../configs/rectangles.toml")),
    (
        "rectangles-p4m",
        include_str!("../../configs/rectangles-p4m.toml"),
    ),
    (
        "rectangles-twin",
        include_str!("../../configs/rectangles-twin.toml"),
    ),
    (
        "convex-twin",
        include_str!("../../configs/convex-twin.toml"),
    ),
    (
        "plume-translation",
        include_str!("../../configs/plume-translation.toml"),
    ),
    (
        "plume-rotation",
        include_str!("../../configs/plume-rotation.toml"),
    ),
    (
        "plume-rotation-relaxed",
        include_str!("../../configs/plume-rotation-relaxed.toml"),
    ),
    (
        "plume-rotation-p4",
        include_str!("../../configs/plume-rotation-p4.toml"),
    ),
    (
        "plume-rotation-baseline",
        include_str!("../../configs/plume-rotation-baseline.toml"),
    ),
    (
        "plume-translation-p4",
        include_str!("../../configs/plume-translation-p4.toml"),
    ),
    (
        "plume-translation-baseline",
        include_str!("../../configs/plume-translation-baseline.toml"),
    ),
    (
        "plume-scale",
        include_str!("../../configs/plume-scale.toml"),
    ),
    ("jetflow", include_str!("../../configs/jetflow.toml")),
];

/// Names of the embedded experiments, in listing order.
pub fn experiment_names() -> Vec<&'static str> {
    EMBEDDED.iter().map(|(n, _)| *n).collect()
}

fn parse(origin: &str, text: &str) -> Result<Table, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Syntax {
        origin: origin.into(),
        message: e.message().to_string(),
    })
}

/// The TOML table of an experiment (an embedded name, or a path to a `.toml` file) with its
/// `base` chain merged in, before overrides.
///
/// # Errors
/// [`ConfigError::UnknownExperiment`], [`ConfigError::Io`], [`ConfigError::Syntax`], or
/// [`ConfigError::InvalidKey`] for a bad `base` (also one that leads back to itself).
pub fn raw_experiment(name: &str) -> Result<Table, ConfigError> {
    chain(name, &mut Vec::new())
}

/// The TOML table of experiment text (read from `origin`) with its `base` chain merged in,
/// before overrides.
///
/// # Errors
/// As [`raw_experiment`].
pub fn raw_experiment_from_text(origin: &str, text: &str) -> Result<Table, ConfigError> {
    with_base(origin, text, &mut vec![origin.to_string()])
}

/// [`raw_experiment`], remembering the names met along the `base` chain in `seen`.
fn chain(name: &str, seen: &mut Vec<String>) -> Result<Table, ConfigError> {
    if seen.iter().any(|s| s == name) {
        return Err(ConfigError::key(
            "base",
            format!("the base chain {} -> {name} loops", seen.join(" -> ")),
        ));
    }
    seen.push(name.to_string());
    let text = match EMBEDDED.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => (*text).to_string(),
        None if name.ends_with(".toml") => {
            std::fs::read_to_string(name).map_err(|source| ConfigError::Io {
                path: name.into(),
                source,
            })?
        }
        None => {
            return Err(ConfigError::UnknownExperiment {
                name: name.into(),
                allowed: experiment_names().join(", "),
            })
        }
    };
    with_base(name, &text, seen)
}

fn with_base(name: &str, text: &str, seen: &mut Vec<String>) -> Result<Table, ConfigError> {
    let mut table = parse(name, text)?;
    match table.remove("base") {
        None => Ok(table),
        Some(Value::String(base)) => {
            let mut merged = chain(&base, seen)?;
            merge(&mut merged, table);
            Ok(merged)
        }
        Some(_) => Err(ConfigError::key(
            "base",
            format!(
                "must name another experiment, one of {}",
                experiment_names().join(", ")
            ),
        )),
    }
}

/// Loads, overrides and validates an experiment.
///
/// # Errors
/// Any [`ConfigError`]; a bad value names its dotted key and the allowed values.
pub fn load_experiment(
    name: &str,
    overrides: &[Override],
) -> Result<ExperimentConfig, ConfigError> {
    let mut table = raw_experiment(name)?;
    for ov in overrides {
        apply(&mut table, ov)?;
    }
    ExperimentConfig::from_table(table)
}

impl ExperimentConfig {
    /// Types and validates a TOML table (unknown keys are errors).
    ///
    /// # Errors
    /// [`ConfigError::InvalidKey`] naming the dotted key and what is allowed.
    pub fn from_table(table: Table) -> Result<Self, ConfigError> {
        let cfg: Self = serde_path_to_error::deserialize(Value::Table(table)).map_err(|e| {
            let key = e.path().to_string();
            ConfigError::key(key, e.into_inner().message())
        })?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// The config as TOML text (every key, after overrides).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("configs are plain data and always serialise")
    }
}
