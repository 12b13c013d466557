//! `gm import`: a state dict of the reference GM-CNN (PyTorch, `torch.save(model.state_dict(),
//! "model.pt")`, or safetensors) turned into a run directory that `gm eval` and `gm export`
//! accept: the experiment's `config.toml` and the weights as `best.safetensors`, under gm's
//! names ([`super::reference_state`]). The file must fit the config's classifier exactly;
//! a mismatch names, in the reference's names, every missing, extra and mis-shaped tensor.
use super::model::describe;
use super::reference_state::ReferenceNames;
use super::trained::{build_model, sample_shape, CONFIG};
use super::trained_error::TrainedRunError;
use super::weights::{check_fit, load_into, read_tensors};
use crate::config::{load_experiment, overrides::Override};
use crate::train::{checkpoint, parameter_count, RunLock};
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tch::nn::VarStore;
use tch::{Device, Tensor};

/// What [`import`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The new run directory.
    pub dir: PathBuf,
    /// Its weights file.
    pub weights: PathBuf,
    /// The model, as `gm report` names it.
    pub model: String,
    /// Its trainable parameters.
    pub parameters: usize,
}

/// Imports the reference state dict `file` for `experiment` (after `overrides`) into the new
/// run directory `out` (see the module docs).
///
/// # Errors
/// A bad config; [`TrainedRunError::NoReferenceModel`] for a model the reference lacks;
/// [`TrainedRunError::Mismatch`] for a file that does not fit;
/// [`TrainedRunError::Exists`] when `out` already holds a run; I/O errors.
pub fn import(
    file: &Path,
    experiment: &str,
    overrides: &[Override],
    out: &Path,
) -> Result<Imported> {
    let cfg = load_experiment(experiment, overrides)?;
    let shape = sample_shape(&cfg);
    let names = ReferenceNames::of(&cfg, shape)?;
    let mut vs = VarStore::new(Device::Cpu);
    build_model(&cfg, &vs, shape)?;
    let model = describe(&cfg);
    let expected: BTreeMap<String, Vec<i64>> = names
        .to_reference(vs.variables().into_iter().collect())?
        .into_iter()
        .map(|(n, t)| (n, t.size()))
        .collect();
    let tensors = read_tensors(file)?;
    let by_name: BTreeMap<String, Tensor> = tensors
        .iter()
        .map(|(n, t)| (n.clone(), t.shallow_clone()))
        .collect();
    check_fit(&expected, &by_name, file, &model)?;
    load_into(&mut vs, names.from_reference(tensors)?, file, &model)?;
    let _lock = RunLock::acquire(out)?;
    for existing in [CONFIG, checkpoint::STATE, checkpoint::BEST] {
        let path = out.join(existing);
        if path.exists() {
            return Err(TrainedRunError::Exists { path }.into());
        }
    }
    let weights = checkpoint::best_path(out);
    checkpoint::save_weights(&vs, &weights)?;
    checkpoint::write_atomic(&out.join(CONFIG), cfg.to_toml().as_bytes())?;
    Ok(Imported {
        dir: out.to_path_buf(),
        weights,
        model,
        parameters: parameter_count(&vs),
    })
}
