//! `gm export`: a trained run's model for PyTorch, as TorchScript or as a state dict of the
//! reference GM-CNN ([`super::reference_state`]).
//!
//! TorchScript is traced through libtorch on one input of `batch` samples: the module holds
//! the weights and the index tables as constants and runs the operations the model ran for
//! that input. The trace fixes the input's shape, the batch size included (the GM layers
//! reshape by the traced batch), so the module takes exactly `(batch, C, H, W)` and refuses
//! another shape with a shape error; classifiers return the logits `(batch, classes)`,
//! regression models the next frame. It runs in evaluation mode (no dropout) on the device it
//! was traced on.
//!
//! Exports are new files: an existing one is replaced only with `force`, and never a file of
//! the run itself.
use super::reference_state::ReferenceNames;
use super::trained::{CheckpointChoice, TrainedRun};
use super::trained_error::TrainedRunError;
use crate::config::Task;
use crate::train::atomic_write;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;
use tch::{CModule, Device, Kind, Tensor};

/// Default file name of the TorchScript export, in the run directory.
pub const TORCHSCRIPT: &str = "model.torchscript.pt";
/// Default file name of the reference state dict, in the run directory.
pub const STATE_DICT: &str = "reference_state_dict.safetensors";

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A traced TorchScript module (`torch.jit.load`).
    TorchScript,
    /// The weights under the reference GM-CNN's parameter names and shapes (safetensors).
    StateDict,
}

impl FromStr for ExportFormat {
    type Err = String;

    /// `torchscript` or `state-dict`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "torchscript" => Ok(Self::TorchScript),
            "state-dict" => Ok(Self::StateDict),
            other => Err(format!(
                "unknown format `{other}`: torchscript or state-dict"
            )),
        }
    }
}

/// Options of [`export`].
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The format.
    pub format: ExportFormat,
    /// Which weights.
    pub checkpoint: CheckpointChoice,
    /// Output file (default: [`TORCHSCRIPT`] or [`STATE_DICT`] in the run directory).
    pub out: Option<PathBuf>,
    /// The batch size the TorchScript trace fixes.
    pub batch: usize,
    /// Replace an existing output file.
    pub force: bool,
}

/// What [`export`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The weights exported.
    pub checkpoint: PathBuf,
    /// The TorchScript module's input shape (`None` for a state dict).
    pub input_shape: Option<Vec<i64>>,
    /// The reference's config keys of the model (state dicts only).
    pub reference_config: Option<String>,
    /// Wall seconds (model building and tracing included).
    pub seconds: f64,
}

/// The files of a run directory an export must never replace.
fn is_run_file(name: &str) -> bool {
    matches!(
        name,
        "config.toml" | "state.json" | "result.json" | "metrics.jsonl" | "eval.json"
    ) || name.ends_with(".safetensors") && !name.starts_with("reference_state_dict")
        || name.ends_with(".lock")
}

/// Refuses `path` when it exists (without `force`) or is one of the run's own files.
fn check_target(run: &Path, path: &Path, force: bool) -> Result<()> {
    let in_run = path
        .parent()
        .zip(path.file_name())
        .is_some_and(|(dir, name)| {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            same_dir(dir, run) && is_run_file(&name.to_string_lossy())
        });
    if in_run {
        bail!(
            "{} is a file of the run: export to another name with --out",
            path.display()
        );
    }
    if path.exists() && !force {
        return Err(TrainedRunError::Exists {
            path: path.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// Whether `a` and `b` are the same directory.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Exports the run in `dir` (see the module docs), its model built on `device`.
///
/// # Errors
/// [`TrainedRunError`] for a directory without a run, a missing checkpoint, weights that do
/// not fit, a model the reference lacks (state dict) and an existing output; libtorch and
/// I/O errors.
pub fn export(dir: &Path, opts: &ExportOptions, device: Device) -> Result<Exported> {
    let start = Instant::now();
    let run = TrainedRun::open(dir)?;
    let default = match opts.format {
        ExportFormat::TorchScript => TORCHSCRIPT,
        ExportFormat::StateDict => STATE_DICT,
    };
    let path = opts.out.clone().unwrap_or_else(|| dir.join(default));
    check_target(dir, &path, opts.force)?;
    let shape = run.sample_shape();
    // Say first that the reference lacks the model, before looking for weights.
    let names = match opts.format {
        ExportFormat::StateDict => Some(ReferenceNames::of(&run.config, shape)?),
        ExportFormat::TorchScript => None,
    };
    let weights = run.checkpoint(&opts.checkpoint)?;
    let (mut vs, model) = run.model(&weights, shape, device)?;
    // The trace holds the weights as constants, which must not require gradients.
    vs.freeze();
    let (input_shape, reference_config) = match names {
        None => {
            let input = model_input(&run, opts.batch)?;
            let traced = tch::no_grad(|| {
                let x = Tensor::f_randn(&input, (Kind::Float, device))?;
                CModule::create_by_tracing("GmModel", "forward", &[x], &mut |xs| {
                    vec![model.forward_t(&xs[0], false)]
                })
            })?;
            atomic_write::write_with(&path, |tmp| traced.save(tmp).map_err(std::io::Error::other))
                .with_context(|| format!("writing {}", path.display()))?;
            (Some(input), None)
        }
        Some(names) => {
            let named = names.to_reference(vs.variables().into_iter().collect())?;
            let mut cpu = named
                .into_iter()
                .map(|(n, t)| {
                    let t = t
                        .f_to_kind(Kind::Float)?
                        .f_to_device(Device::Cpu)?
                        .f_contiguous()?;
                    Ok((n, t))
                })
                .collect::<Result<Vec<(String, Tensor)>>>()?;
            cpu.sort_by(|a, b| a.0.cmp(&b.0));
            atomic_write::write_with(&path, |tmp| {
                Tensor::write_safetensors(&cpu, tmp).map_err(std::io::Error::other)
            })
            .with_context(|| format!("writing {}", path.display()))?;
            (None, Some(names.reference_config().to_string()))
        }
    };
    Ok(Exported {
        bytes: std::fs::metadata(&path)?.len(),
        path,
        checkpoint: weights,
        input_shape,
        reference_config,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The input shape of the run's model for `batch` samples: `(batch, C, H, W)` of an image,
/// or of the regression protocol's stacked input frames.
fn model_input(run: &TrainedRun, batch: usize) -> Result<Vec<i64>> {
    if batch == 0 {
        bail!("--batch must be at least 1");
    }
    let (c, h, w) = run.sample_shape();
    let channels = match (run.config.task, &run.config.regression) {
        (Task::Regression, Some(r)) => r.input_frames * c,
        _ => c,
    };
    Ok([batch, channels, h, w].iter().map(|&d| d as i64).collect())
}
