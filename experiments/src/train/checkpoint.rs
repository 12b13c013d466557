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
use super::atomic_write;
use super::early_stopping::EarlyStopping;
use super::grad_scaler::GradScaler;
use super::plateau::ReduceOnPlateau;
use super::{Result, TrainError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
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

/// Saves `vs` to `path` atomically ([`atomic_write`]).
///
/// # Errors
/// [`TrainError::Io`].
pub fn save_weights(vs: &VarStore, path: &Path) -> Result<()> {
    atomic_write::write_with(path, |tmp| vs.save(tmp).map_err(std::io::Error::other))
        .map_err(|e| TrainError::io(path, e))
}

/// Saves the variables of `vs` and the state of `opt` to one safetensors file, atomically.
///
/// # Errors
/// [`TrainError::Io`].
pub fn save_weights_and_optimizer(vs: &VarStore, opt: &AdamW, path: &Path) -> Result<()> {
    let mut named: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    named.extend(opt.state_tensors());
    named.sort_by(|a, b| a.0.cmp(&b.0));
    atomic_write::write_with(path, |tmp| {
        Tensor::write_safetensors(&named, tmp).map_err(std::io::Error::other)
    })
    .map_err(|e| TrainError::io(path, e))
}

/// Loads the weights of `vs` and the state of `opt` from a file written by
/// [`save_weights_and_optimizer`]; returns whether it held optimiser state (a weights-only
/// file leaves `opt` as it was).
///
/// # Errors
/// [`TrainError::Io`] when the file is missing, malformed or does not match the model
/// ([`load_weights`]); [`TrainError::Invalid`] when it holds optimiser state for some
/// variables but not all.
pub fn load_weights_and_optimizer(vs: &mut VarStore, opt: &mut AdamW, path: &Path) -> Result<bool> {
    let named = read_tensors(path)?;
    copy_weights(vs, &named, path)?;
    opt.load_state(&named)
}

/// Writes `bytes` to `path` atomically and durably ([`atomic_write`]).
///
/// # Errors
/// [`TrainError::Io`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic_write::write_bytes(path, bytes).map_err(|e| TrainError::io(path, e))
}

/// Saves the epoch's weights and optimiser state (and the best weights when `is_best`), then
/// the state; removes the previous epoch's checkpoint.
///
/// # Errors
/// [`TrainError::Save`] when a write fails (the previous checkpoint and state are then
/// untouched); [`TrainError::Io`] for a corrupt existing state.
pub fn save(
    dir: &Path,
    vs: &VarStore,
    opt: &AdamW,
    mut state: RunState,
    is_best: bool,
) -> Result<()> {
    let previous = load_state(dir)?.map(|s| s.weights);
    state.weights = weights_name(state.epoch);
    let epoch = state.epoch;
    let failed = |e: TrainError| match e {
        TrainError::Io { path, source } => TrainError::Save {
            path,
            epoch,
            source,
        },
        other => other,
    };
    save_weights_and_optimizer(vs, opt, &dir.join(&state.weights)).map_err(failed)?;
    if is_best {
        save_weights(vs, &dir.join(BEST)).map_err(failed)?;
    }
    let json = serde_json::to_vec_pretty(&state).expect("run state serialises");
    write_atomic(&dir.join(STATE), &json).map_err(failed)?;
    if let Some(old) = previous.filter(|old| *old != state.weights) {
        // Best effort: a stale file is harmless. `load_state` checked the name is an epoch
        // checkpoint of this directory.
        let _ = std::fs::remove_file(dir.join(old));
    }
    Ok(())
}

/// Largest `state.json` read (it holds a few hundred bytes).
const MAX_STATE_BYTES: u64 = 1 << 20;

/// The saved state of a run directory, if any. The weights file it names must be the epoch
/// checkpoint `epoch-NNNN.safetensors` of its epoch, so a tampered state can neither load nor
/// delete a file elsewhere.
///
/// # Errors
/// [`TrainError::Io`] when `state.json` exists but cannot be read, is larger than 1 MiB, does
/// not parse, or names another weights file.
pub fn load_state(dir: &Path) -> Result<Option<RunState>> {
    let path = dir.join(STATE);
    let bytes = match std::fs::File::open(&path) {
        Ok(f) => {
            let mut bytes = Vec::new();
            f.take(MAX_STATE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| TrainError::io(&path, e))?;
            bytes
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(TrainError::io(&path, e)),
    };
    if bytes.len() as u64 > MAX_STATE_BYTES {
        return Err(TrainError::io(
            &path,
            "corrupt run state: larger than 1 MiB",
        ));
    }
    parse_state(&bytes)
        .map(Some)
        .map_err(|m| TrainError::io(&path, m))
}

/// Parses and checks the bytes of a `state.json`.
///
/// # Errors
/// A message naming what is wrong.
pub fn parse_state(bytes: &[u8]) -> std::result::Result<RunState, String> {
    let state: RunState =
        serde_json::from_slice(bytes).map_err(|e| format!("corrupt run state: {e}"))?;
    let expected = weights_name(state.epoch);
    if state.weights != expected {
        return Err(format!(
            "corrupt run state: it names the weights file {:?}, expected {expected:?} for epoch \
             {} (only gm writes this file)",
            state.weights, state.epoch
        ));
    }
    Ok(state)
}

/// Loads weights from `path` into `vs`. Every variable of `vs` must be in the file with its
/// own dtype and shape, and nothing is changed unless all are: tch's `VarStore::load` would
/// instead convert a variable to the file's dtype, broadcast a smaller tensor into it, or
/// panic on an integer tensor.
///
/// # Errors
/// [`TrainError::Io`] when the file is missing or malformed, or a tensor is missing or of
/// another dtype or shape (naming it).
pub fn load_weights(vs: &mut VarStore, path: &Path) -> Result<()> {
    copy_weights(vs, &read_tensors(path)?, path)
}

/// The tensors of the safetensors file `path`, by name.
fn read_tensors(path: &Path) -> Result<HashMap<String, Tensor>> {
    Ok(Tensor::read_safetensors(path)
        .map_err(|e| TrainError::io(path, e))?
        .into_iter()
        .collect())
}

/// Copies the tensors `named` (read from `path`) into the variables of `vs` of the same
/// names, after checking every one's presence, dtype and shape.
fn copy_weights(vs: &mut VarStore, named: &HashMap<String, Tensor>, path: &Path) -> Result<()> {
    let mut variables: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    variables.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, var) in &variables {
        let (kind, shape) = (var.kind(), var.size());
        let Some(src) = named.get(name) else {
            return Err(TrainError::io(
                path,
                format!("no tensor `{name}`; the model needs {kind:?} {shape:?} (a checkpoint of another model?)"),
            ));
        };
        if src.kind() != kind || src.size() != shape {
            return Err(TrainError::io(
                path,
                format!(
                    "tensor `{name}` is {:?} {:?}; the model's variable is {kind:?} {shape:?} \
                     (a checkpoint of another model?)",
                    src.kind(),
                    src.size()
                ),
            ));
        }
    }
    tch::no_grad(|| {
        for (name, var) in &variables {
            var.shallow_clone().f_copy_(&named[name])?;
        }
        Ok(())
    })
}

/// The path of the best weights of a run directory.
pub fn best_path(dir: &Path) -> PathBuf {
    dir.join(BEST)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(epoch: usize, weights: &str) -> Vec<u8> {
        let (mut scheduler, mut early) =
            (ReduceOnPlateau::new(1e-3, 0.5, 2), EarlyStopping::new(3));
        scheduler.step(0.5);
        early.update(1, 0.5);
        let s = RunState {
            epoch,
            scheduler,
            early,
            scaler: GradScaler::new(false),
            elapsed_s: 1.0,
            weights: weights.into(),
        };
        serde_json::to_vec(&s).unwrap()
    }

    #[test]
    fn the_state_must_name_its_own_epoch_checkpoint() {
        assert_eq!(
            parse_state(&state(3, "epoch-0003.safetensors"))
                .unwrap()
                .epoch,
            3
        );
        for name in [
            "../victim.safetensors",
            "/etc/passwd",
            "epoch-0002.safetensors",
            "best.safetensors",
            "metrics.jsonl",
            "",
        ] {
            let e = parse_state(&state(3, name)).unwrap_err();
            assert!(
                e.contains("expected \"epoch-0003.safetensors\""),
                "{name}: {e}"
            );
        }
        assert!(parse_state(b"{")
            .unwrap_err()
            .starts_with("corrupt run state"));
    }

    /// A one-variable model `w` of shape `[2, 3]`, f32, zero.
    fn model() -> VarStore {
        let vs = VarStore::new(tch::Device::Cpu);
        let _w = vs.root().zeros("w", &[2, 3]);
        vs
    }

    #[test]
    fn weights_of_another_dtype_or_shape_are_refused_and_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.safetensors");
        let ones = |shape: &[i64], kind| Tensor::ones(shape, (kind, tch::Device::Cpu));
        for (src, why) in [
            (ones(&[2, 3], tch::Kind::Int64), "Int64 [2, 3]"),
            (ones(&[2, 3], tch::Kind::Double), "Double [2, 3]"),
            (ones(&[1], tch::Kind::Float), "Float [1]"),
            (ones(&[3, 2], tch::Kind::Float), "Float [3, 2]"),
        ] {
            Tensor::write_safetensors(&[("w", &src)], &file).unwrap();
            let mut vs = model();
            let e = load_weights(&mut vs, &file).unwrap_err().to_string();
            assert!(
                e.contains(&format!(
                    "tensor `w` is {why}; the model's variable is Float [2, 3]"
                )),
                "{e}"
            );
            let w = &vs.variables()["w"];
            assert_eq!((w.kind(), w.size()), (tch::Kind::Float, vec![2, 3]));
            assert_eq!(w.abs().sum(tch::Kind::Float).double_value(&[]), 0.0);
        }
        Tensor::write_safetensors(&[("v", &ones(&[2, 3], tch::Kind::Float))], &file).unwrap();
        let e = load_weights(&mut model(), &file).unwrap_err().to_string();
        assert!(
            e.contains("no tensor `w`; the model needs Float [2, 3]"),
            "{e}"
        );
        Tensor::write_safetensors(&[("w", &ones(&[2, 3], tch::Kind::Float))], &file).unwrap();
        let mut vs = model();
        load_weights(&mut vs, &file).unwrap();
        assert_eq!(
            vs.variables()["w"].sum(tch::Kind::Float).double_value(&[]),
            6.0
        );
    }

    #[test]
    fn an_oversized_state_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STATE), vec![b' '; 2 << 20]).unwrap();
        let e = load_state(dir.path()).unwrap_err().to_string();
        assert!(e.contains("larger than 1 MiB"), "{e}");
        assert!(load_state(&dir.path().join("none")).unwrap().is_none());
    }
}
