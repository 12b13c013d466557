//! Why a trained run could not be evaluated, exported or imported ([`TrainedRunError`]).
use std::path::PathBuf;

/// A parameter whose shape in a weights file differs from the model's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misshaped {
    /// The parameter's name.
    pub name: String,
    /// Its shape in the model.
    pub expected: Vec<i64>,
    /// Its shape in the file.
    pub found: Vec<i64>,
}

/// Why a trained run could not be evaluated, exported or imported; every variant says what
/// to do.
#[derive(Debug, thiserror::Error)]
pub enum TrainedRunError {
    /// The directory holds no run (no `config.toml`).
    #[error(
        "{dir} holds no run (no config.toml): pass a directory `gm run` or `gm import` wrote",
        dir = .dir.display()
    )]
    NoRun {
        /// The directory.
        dir: PathBuf,
    },
    /// The run has no checkpoint of the kind asked for.
    #[error(
        "{dir} has no {which} checkpoint ({file}): {hint}",
        dir = .dir.display(),
        file = .file.display()
    )]
    NoCheckpoint {
        /// The run directory.
        dir: PathBuf,
        /// `best` or `last`.
        which: &'static str,
        /// The file that is missing.
        file: PathBuf,
        /// What to try instead.
        hint: &'static str,
    },
    /// A weights file does not fit the config's model.
    #[error(
        "{path} does not fit the model of the run's config ({model}): {details}",
        path = .path.display(),
        details = mismatch_details(.missing, .extra, .misshaped)
    )]
    Mismatch {
        /// The weights file.
        path: PathBuf,
        /// The model, as `gm report` names it.
        model: String,
        /// Parameters of the model absent from the file.
        missing: Vec<String>,
        /// Tensors of the file the model has no parameter for.
        extra: Vec<String>,
        /// Parameters present in both with different shapes.
        misshaped: Vec<Misshaped>,
    },
    /// The data directory holds data of another kind than the run was trained on.
    #[error(
        "{dir} is not {expected} data of the shape the run was trained on: {found}. Pass a \
         directory of the run's dataset ({expected}), or omit --data for its own test set",
        dir = .dir.display()
    )]
    WrongData {
        /// The data directory.
        dir: PathBuf,
        /// The run's dataset and shape, e.g. `mnist 1×28×28`.
        expected: String,
        /// What was found instead (or why nothing could be read).
        found: String,
    },
    /// The model has no counterpart among the reference GM-CNN's models.
    #[error(
        "the run's model ({model}) has no counterpart in the reference GM-CNN: {reason}. \
         Use --format torchscript, which exports every model"
    )]
    NoReferenceModel {
        /// The model, as `gm report` names it.
        model: String,
        /// What the reference lacks.
        reason: String,
    },
    /// An output file exists and `--force` was not given.
    #[error(
        "{path} exists: pass --force to replace it, or choose another --out",
        path = .path.display()
    )]
    Exists {
        /// The file or directory.
        path: PathBuf,
    },
}

/// The lists of a [`TrainedRunError::Mismatch`] in one sentence.
fn mismatch_details(missing: &[String], extra: &[String], misshaped: &[Misshaped]) -> String {
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!("not in the model {}", extra.join(", ")));
    }
    if !misshaped.is_empty() {
        let shapes: Vec<String> = misshaped
            .iter()
            .map(|m| {
                format!(
                    "{} {:?} in the model, {:?} in the file",
                    m.name, m.expected, m.found
                )
            })
            .collect();
        parts.push(format!("mis-shaped {}", shapes.join(", ")));
    }
    parts.join("; ")
}
