//! A run directory read back for `gm eval` and `gm export`: its config, its result (when the
//! run finished), its checkpoints, and its model rebuilt with a checkpoint's weights.
use super::model::{classifier, describe, regression_model};
use super::trained_error::TrainedRunError;
use super::weights::{load_into, read_tensors};
use super::{read_result, RunResult};
use crate::config::{raw_experiment_from_text, EvaluateWeights, ExperimentConfig, Task};
use crate::train::checkpoint;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use tch::nn::{ModuleT, VarStore};
use tch::Device;

/// File name of a run's config.
pub const CONFIG: &str = "config.toml";

/// Which weights of a run to use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CheckpointChoice {
    /// The weights the run tested (`train.evaluate`): the best validation weights, or the
    /// last epoch's.
    #[default]
    Tested,
    /// `best.safetensors`: the weights of the best validation loss.
    Best,
    /// The last epoch's checkpoint (the one `state.json` names).
    Last,
    /// A weights file (safetensors, or a `torch.save` of a state dict with gm's names).
    File(PathBuf),
}

impl FromStr for CheckpointChoice {
    type Err = std::convert::Infallible;

    /// `best`, `last`, or a file path.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(match s {
            "best" => Self::Best,
            "last" => Self::Last,
            path => Self::File(PathBuf::from(path)),
        })
    }
}

/// A run directory read back: its config and, once finished, its result.
#[derive(Debug, Clone)]
pub struct TrainedRun {
    /// The run directory.
    pub dir: PathBuf,
    /// Its `config.toml` (the config as run, after `--quick`).
    pub config: ExperimentConfig,
    /// Its `result.json`; `None` for an unfinished or imported run.
    pub result: Option<RunResult>,
}

impl TrainedRun {
    /// Reads the run in `dir`.
    ///
    /// # Errors
    /// [`TrainedRunError::NoRun`] without a `config.toml`; a config that does not parse; a
    /// malformed `result.json`.
    pub fn open(dir: &Path) -> Result<Self> {
        let path = dir.join(CONFIG);
        if !path.is_file() {
            return Err(TrainedRunError::NoRun {
                dir: dir.to_path_buf(),
            }
            .into());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let origin = path.display().to_string();
        let config = ExperimentConfig::from_table(raw_experiment_from_text(&origin, &text)?)
            .with_context(|| format!("{origin}: not a config gm can run"))?;
        let result = if dir.join("result.json").is_file() {
            Some(read_result(dir)?)
        } else {
            None
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            config,
            result,
        })
    }

    /// The weights file of `choice`.
    ///
    /// # Errors
    /// [`TrainedRunError::NoCheckpoint`] when the run has none of that kind;
    /// a corrupt `state.json`.
    pub fn checkpoint(&self, choice: &CheckpointChoice) -> Result<PathBuf> {
        let best = checkpoint::best_path(&self.dir);
        let last = checkpoint::load_state(&self.dir)?.map(|s| self.dir.join(s.weights));
        let no_last = || TrainedRunError::NoCheckpoint {
            dir: self.dir.clone(),
            which: "last",
            file: self.dir.join(checkpoint::STATE),
            hint: "the run has not finished an epoch; use --checkpoint best or a FILE",
        };
        match choice {
            CheckpointChoice::File(path) => Ok(path.clone()),
            CheckpointChoice::Best if best.is_file() => Ok(best),
            CheckpointChoice::Best => Err(TrainedRunError::NoCheckpoint {
                dir: self.dir.clone(),
                which: "best",
                file: best,
                hint: "no epoch has been validated yet; use --checkpoint last or a FILE",
            }
            .into()),
            CheckpointChoice::Last => last.ok_or_else(|| no_last().into()),
            // As the trainer: the best weights when asked for and present, else the last.
            CheckpointChoice::Tested => match (self.config.train.evaluate, best.is_file(), last) {
                (EvaluateWeights::BestValidation, true, _) => Ok(best),
                (_, _, Some(last)) => Ok(last),
                (_, true, None) => Ok(best),
                (_, false, None) => Err(no_last().into()),
            },
        }
    }

    /// The model of the run's config built on `device`, with the weights of `weights`.
    /// `sample` is the shape `(channels, height, width)` of one input image or frame.
    ///
    /// # Errors
    /// As [`classifier`] and [`regression_model`]; [`TrainedRunError::Mismatch`] when the
    /// weights do not fit.
    pub fn model(
        &self,
        weights: &Path,
        sample: (usize, usize, usize),
        device: Device,
    ) -> Result<(VarStore, Box<dyn ModuleT>)> {
        let mut vs = VarStore::new(device);
        let model = build_model(&self.config, &vs, sample)?;
        load_into(
            &mut vs,
            read_tensors(weights)?,
            weights,
            &describe(&self.config),
        )?;
        Ok((vs, model))
    }

    /// The shape `(channels, height, width)` of one input image (or velocity frame) of the
    /// run's dataset, after `data.image_size`.
    pub fn sample_shape(&self) -> (usize, usize, usize) {
        sample_shape(&self.config)
    }
}

/// The shape `(channels, height, width)` of one input image (or velocity frame) of `cfg`'s
/// dataset, after `data.image_size`.
pub fn sample_shape(cfg: &ExperimentConfig) -> (usize, usize, usize) {
    let (c, h, w) = cfg.data.dataset.native_shape();
    let (h, w) = cfg.data.image_size.map_or((h, w), |s| (s, s));
    (c, h, w)
}

/// The model of `cfg` under `vs` for samples of shape `(channels, height, width)`: the
/// classifier, or the regression model on `input_frames` stacked frames.
///
/// # Errors
/// As [`classifier`] and [`regression_model`].
pub fn build_model(
    cfg: &ExperimentConfig,
    vs: &VarStore,
    (c, h, w): (usize, usize, usize),
) -> Result<Box<dyn ModuleT>> {
    match (cfg.task, &cfg.regression) {
        (Task::Regression, Some(r)) => {
            let net = regression_model(cfg, vs, (r.input_frames * c, c), (h, w))?;
            Ok(net)
        }
        _ => classifier(cfg, vs, (c, h, w)),
    }
}
