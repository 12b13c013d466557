//! Checkpoints of a run directory, all written atomically (a temporary file, then a rename):
//! - `epoch-NNNN.safetensors` — the weights after the last completed epoch and the AdamW
//!   state (moments and step counts, tensors named `optimizer/…`, see [`super::adamw`]);
//!   older ones are removed once the state below points to a newer one;
//! - `best.safetensors` — the weights of the best validation loss so far;
//! - `state.json` — the epoch, scheduler, early-stopping and loss-scaler state and the name
//!   of the weights file.
//!
//! The state is written after the weights it names, so an interruption at any point leaves a
//! consistent pair and `--resume` loses at most the epoch in progress.
use super::adamw::AdamW;
use super::early_stopping::EarlyStopping;
use super::grad_scaler::GradScaler;
use super::plateau::ReduceOnPlateau;
use super::{Result, TrainError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tch::nn::VarStore;
use tch::Tensor;

/// File name of the best weights.
pub const BEST: &str = "best.safetensors";
/// File name of the state sidecar.
pub const STATE: &str = "state.json";

/// Everything besides the weights needed to continue a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    /// Epochs completed (1-based count).
    pub epoch: usize,
    /// The learning-rate scheduler.
    pub scheduler: ReduceOnPlateau,
    /// Early stopping.
    pub early: EarlyStopping,
    /// Loss scaling.
    pub scaler: GradScaler,
    /// Training seconds spent so far (over all sessions).
    pub elapsed_s: f64,
    /// File name of the weights after `epoch`.
    pub weights: String,
}

fn weights_name(epoch: usize) -> String {
    format!("epoch-{epoch:04}.safetensors")
}

/// Saves `vs` to `path` atomically.
///
/// # Errors
/// [`TrainError::Io`].
pub fn save_weights(vs: &VarStore, path: &Path) -> Result<()> {
    let tmp = path.with_extension("tmp.safetensors");
    vs.save(&tmp).map_err(|e| TrainError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| TrainError::io(path, e))
}

/// Saves the variables of `vs` and the state of `opt` to one safetensors file, atomically.
///
/// # Errors
/// [`TrainError::Io`].
pub fn save_weights_and_optimizer(vs: &VarStore, opt: &AdamW, path: &Path) -> Result<()> {
    let tmp = path.with_extension("tmp.safetensors");
    let mut named: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    named.extend(opt.state_tensors());
    named.sort_by(|a, b| a.0.cmp(&b.0));
    Tensor::write_safetensors(&named, &tmp).map_err(|e| TrainError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| TrainError::io(path, e))
}

/// Loads the weights of `vs` and the state of `opt` from a file written by
/// [`save_weights_and_optimizer`]; returns whether it held optimiser state (a weights-only
/// file leaves `opt` as it was).
///
/// # Errors
/// [`TrainError::Io`] when the file is missing or does not match the model;
/// [`TrainError::Invalid`] when it holds optimiser state for some variables but not all.
pub fn load_weights_and_optimizer(vs: &mut VarStore, opt: &mut AdamW, path: &Path) -> Result<bool> {
    load_weights(vs, path)?;
    let named: HashMap<String, Tensor> = Tensor::read_safetensors(path)
        .map_err(|e| TrainError::io(path, e))?
        .into_iter()
        .collect();
    opt.load_state(&named)
}

/// Writes `bytes` to `path` atomically.
///
/// # Errors
/// [`TrainError::Io`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| TrainError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| TrainError::io(path, e))
}

/// Saves the epoch's weights and optimiser state (and the best weights when `is_best`), then
/// the state; removes the previous epoch's checkpoint.
///
/// # Errors
/// [`TrainError::Io`].
pub fn save(
    dir: &Path,
    vs: &VarStore,
    opt: &AdamW,
    mut state: RunState,
    is_best: bool,
) -> Result<()> {
    let previous = load_state(dir)?.map(|s| s.weights);
    state.weights = weights_name(state.epoch);
    save_weights_and_optimizer(vs, opt, &dir.join(&state.weights))?;
    if is_best {
        save_weights(vs, &dir.join(BEST))?;
    }
    let json = serde_json::to_vec_pretty(&state).expect("run state serialises");
    write_atomic(&dir.join(STATE), &json)?;
    if let Some(old) = previous.filter(|old| *old != state.weights) {
        // Best effort: a stale file is harmless.
        let _ = std::fs::remove_file(dir.join(old));
    }
    Ok(())
}

/// The saved state of a run directory, if any.
///
/// # Errors
/// [`TrainError::Io`] when `state.json` exists but cannot be read or parsed.
pub fn load_state(dir: &Path) -> Result<Option<RunState>> {
    let path = dir.join(STATE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| TrainError::io(&path, format!("corrupt run state: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(TrainError::io(&path, e)),
    }
}

/// Loads weights from `path` into `vs`.
///
/// # Errors
/// [`TrainError::Io`] when the file is missing or does not match the model.
pub fn load_weights(vs: &mut VarStore, path: &Path) -> Result<()> {
    vs.load(path).map_err(|e| TrainError::io(path, e))
}

/// The path of the best weights of a run directory.
pub fn best_path(dir: &Path) -> PathBuf {
    dir.join(BEST)
}
