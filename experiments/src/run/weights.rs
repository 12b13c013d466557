//! Loading named tensors into a model's variables, all or nothing: every variable must be
//! present with its shape, and the file may hold nothing else besides the optimiser state of
//! an epoch checkpoint. A mismatch names every missing, extra and mis-shaped parameter
//! ([`TrainedRunError::Mismatch`]) instead of libtorch's first complaint.
use super::trained_error::{Misshaped, TrainedRunError};
use crate::train::adamw;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::Path;
use tch::nn::VarStore;
use tch::Tensor;

/// Reads the tensors of a weights file: safetensors, or a PyTorch `torch.save` of a state
/// dict (`.pt`, `.pth`, `.bin`).
///
/// # Errors
/// An unreadable or malformed file.
pub fn read_tensors(path: &Path) -> Result<Vec<(String, Tensor)>> {
    let pickled = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "pt" | "pth" | "bin"));
    let read = if pickled {
        Tensor::loadz_multi(path)
    } else {
        Tensor::read_safetensors(path)
    };
    read.map_err(|e| {
        // libtorch's message, without the C++ backtrace it appends.
        let message = e.to_string();
        let first = message.lines().next().unwrap_or_default();
        let hint = if pickled {
            "write it with torch.save(dict(model.state_dict()), PATH): a plain dict of tensors"
        } else {
            "expected safetensors (or a .pt written by torch.save)"
        };
        anyhow::anyhow!("reading {}: {first}; {hint}", path.display())
    })
}

/// Checks that the tensors `file` fit the parameters `expected` (name and shape): every
/// parameter present with its shape, nothing else. `model` names the model in the error.
///
/// # Errors
/// [`TrainedRunError::Mismatch`] naming every missing, extra and mis-shaped parameter.
pub fn check_fit(
    expected: &BTreeMap<String, Vec<i64>>,
    file: &BTreeMap<String, Tensor>,
    source: &Path,
    model: &str,
) -> Result<(), TrainedRunError> {
    let missing: Vec<String> = expected
        .keys()
        .filter(|n| !file.contains_key(*n))
        .cloned()
        .collect();
    let extra: Vec<String> = file
        .keys()
        .filter(|n| !expected.contains_key(*n))
        .cloned()
        .collect();
    let misshaped: Vec<Misshaped> = expected
        .iter()
        .filter_map(|(name, shape)| {
            let found = file.get(name)?.size();
            (found != *shape).then(|| Misshaped {
                name: name.clone(),
                expected: shape.clone(),
                found,
            })
        })
        .collect();
    if missing.is_empty() && extra.is_empty() && misshaped.is_empty() {
        Ok(())
    } else {
        Err(TrainedRunError::Mismatch {
            path: source.to_path_buf(),
            model: model.to_string(),
            missing,
            extra,
            misshaped,
        })
    }
}

/// The names and shapes of the variables of `vs`.
pub fn shapes(vs: &VarStore) -> BTreeMap<String, Vec<i64>> {
    vs.variables()
        .into_iter()
        .map(|(n, t)| (n, t.size()))
        .collect()
}

/// Copies `named` into the variables of `vs` (converting to each variable's dtype and
/// device) after [`check_fit`]; tensors named `optimizer/…` (an epoch checkpoint's
/// optimiser state) are ignored.
///
/// # Errors
/// [`TrainedRunError::Mismatch`] (nothing is copied then); libtorch errors.
pub fn load_into(
    vs: &mut VarStore,
    named: Vec<(String, Tensor)>,
    source: &Path,
    model: &str,
) -> Result<()> {
    let file: BTreeMap<String, Tensor> = named
        .into_iter()
        .filter(|(n, _)| !n.starts_with(adamw::PREFIX))
        .collect();
    check_fit(&shapes(vs), &file, source, model)?;
    let variables = vs.variables();
    tch::no_grad(|| -> Result<()> {
        for (name, var) in variables {
            let t = &file[&name];
            let mut var = var.shallow_clone();
            var.f_copy_(&t.f_to_kind(var.kind())?.f_to_device(var.device())?)?;
        }
        Ok(())
    })
}
