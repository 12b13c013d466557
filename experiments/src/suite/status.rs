//! What a suite does with a planned run, decided from what its run directory holds
//! ([`decide`]): skip a finished run, resume an interrupted one, start the rest — and never
//! touch a directory holding a run of another configuration.
//!
//! "Finished" means a readable `result.json`; "interrupted" means a saved state
//! (`state.json`, the same test as [`crate::train::RunLock::claim`]) without one.
use crate::config::ExperimentConfig;
use crate::run::{read_result, RunResult};
use crate::train::checkpoint;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use toml::{Table, Value};

/// The decision for one planned run.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// The run finished (its result is read back); nothing to do.
    Skip(Box<RunResult>),
    /// The run was interrupted after `epochs` epochs; continue it (`--resume`).
    Resume {
        /// Epochs saved.
        epochs: usize,
    },
    /// Nothing saved; train from the start.
    Fresh,
    /// The directory holds a run of a different configuration (the suite file or `--quick`
    /// changed since); it is left as it is and the run counts as failed.
    Conflict(String),
}

impl fmt::Display for Decision {
    /// `skip (finished: accuracy 0.9120)`, `resume after epoch 3`, `start`, `conflict: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Skip(r) => write!(f, "skip (finished: {} {:.4})", r.metric, r.test_metric),
            Self::Resume { epochs } => write!(f, "resume after epoch {epochs}"),
            Self::Fresh => f.write_str("start"),
            Self::Conflict(why) => write!(f, "conflict: {why}"),
        }
    }
}

/// Decides what to do with the run directory `dir` of a run planned with the config
/// `planned` (already shrunk when `quick`).
///
/// # Errors
/// A corrupt `state.json`, or a `config.toml` that cannot be read.
pub fn decide(dir: &Path, planned: &ExperimentConfig, quick: bool) -> Result<Decision> {
    let finished = read_result(dir).ok();
    let saved = checkpoint::load_state(dir)?;
    if finished.is_none() && saved.is_none() {
        return Ok(Decision::Fresh);
    }
    let differences = config_differences(dir, planned)?;
    if !differences.is_empty() {
        return Ok(Decision::Conflict(format!(
            "{} holds a run of another config ({}): move it away or use another --out",
            dir.display(),
            differences.join("; ")
        )));
    }
    Ok(match (finished, saved) {
        (Some(r), _) if r.quick != quick => Decision::Conflict(format!(
            "{} holds a {} run: move it away or use another --out",
            dir.display(),
            if r.quick {
                "--quick"
            } else {
                "full (not --quick)"
            }
        )),
        (Some(r), _) => Decision::Skip(Box::new(r)),
        (None, Some(s)) => Decision::Resume { epochs: s.epoch },
        (None, None) => unreachable!("returned Fresh above"),
    })
}

/// The keys in which the `config.toml` of `dir` differs from `planned`, as
/// `key: <in dir> here, <planned> planned` (at most five, then a count); empty when they agree
/// or when `dir` has no `config.toml`.
///
/// # Errors
/// When `config.toml` exists but cannot be read or parsed.
pub fn config_differences(dir: &Path, planned: &ExperimentConfig) -> Result<Vec<String>> {
    let path = dir.join("config.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let saved: Table =
        toml::from_str(&text).with_context(|| format!("{}: not a config", path.display()))?;
    let planned: Table = toml::from_str(&planned.to_toml()).expect("configs serialise to TOML");
    let (saved, planned) = (flatten(&saved), flatten(&planned));
    let shown = |v: Option<&String>| v.map_or("absent".to_string(), Clone::clone);
    let mut keys: Vec<&String> = saved.keys().chain(planned.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    let differing: Vec<String> = keys
        .into_iter()
        .filter(|k| saved.get(*k) != planned.get(*k))
        .map(|k| {
            format!(
                "{k}: {} here, {} planned",
                shown(saved.get(k)),
                shown(planned.get(k))
            )
        })
        .collect();
    let mut out: Vec<String> = differing.iter().take(5).cloned().collect();
    if differing.len() > 5 {
        out.push(format!("{} more", differing.len() - 5));
    }
    Ok(out)
}

/// Dotted key → value as TOML text, for every leaf of `table`.
fn flatten(table: &Table) -> BTreeMap<String, String> {
    fn walk(prefix: &str, table: &Table, out: &mut BTreeMap<String, String>) {
        for (k, v) in table {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                Value::Table(t) => walk(&key, t, out),
                v => {
                    out.insert(key, v.to_string());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", table, &mut out);
    out
}

/// Writes the `state.json` of a run saved after `epoch` epochs (the weights file it names is
/// not written: decisions and reports only read the state).
#[cfg(test)]
pub(crate) fn write_fake_state(dir: &Path, epoch: usize) {
    use crate::train::checkpoint::{RunState, STATE};
    use crate::train::plateau::ReduceOnPlateau;
    use crate::train::{early_stopping::EarlyStopping, grad_scaler::GradScaler};
    let mut state = RunState {
        epoch,
        scheduler: ReduceOnPlateau::new(1e-3, 0.7, 5),
        early: EarlyStopping::new(4),
        scaler: GradScaler::new(false),
        elapsed_s: 1.0,
        weights: format!("epoch-{epoch:04}.safetensors"),
    };
    for e in 1..=epoch {
        state.scheduler.step(1.0 / e as f64);
        state.early.update(e, 1.0 / e as f64);
    }
    std::fs::write(dir.join(STATE), serde_json::to_vec(&state).unwrap()).unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_experiment;
    use crate::run::write_result;
    use crate::train::checkpoint::STATE;

    fn config(epochs: usize) -> ExperimentConfig {
        let sets = [format!("train.epochs={epochs}").parse().unwrap()];
        load_experiment("rot-mnist-digits-cnn", &sets).unwrap()
    }

    fn result(quick: bool) -> RunResult {
        RunResult {
            experiment: "rot-mnist-digits-cnn".into(),
            model: "cnn 2x32 ch".into(),
            parameters: 9898,
            metric: "accuracy".into(),
            test_metric: 0.75,
            test_loss: 0.8,
            epochs: 2,
            best_epoch: 2,
            train_seconds: 3.0,
            device: "cpu".into(),
            quick,
            invariance: None,
            seconds_per_epoch: None,
            rotation: None,
            val_metric: None,
            regression: None,
        }
    }

    fn write_config(dir: &Path, cfg: &ExperimentConfig) {
        std::fs::write(dir.join("config.toml"), cfg.to_toml()).unwrap();
    }

    #[test]
    fn empty_and_missing_directories_start_fresh() {
        let tmp = tempfile::tempdir().unwrap();
        let cfg = config(2);
        assert_eq!(
            decide(&tmp.path().join("none"), &cfg, false).unwrap(),
            Decision::Fresh
        );
        // Killed before its first epoch was saved: a config and no state.
        write_config(tmp.path(), &config(9));
        assert_eq!(decide(tmp.path(), &cfg, false).unwrap(), Decision::Fresh);
    }

    #[test]
    fn finished_runs_are_skipped_and_interrupted_ones_resumed() {
        let tmp = tempfile::tempdir().unwrap();
        let cfg = config(2);
        write_config(tmp.path(), &cfg);
        write_fake_state(tmp.path(), 1);
        assert_eq!(
            decide(tmp.path(), &cfg, false).unwrap(),
            Decision::Resume { epochs: 1 }
        );
        write_result(tmp.path(), &result(false)).unwrap();
        assert_eq!(
            decide(tmp.path(), &cfg, false).unwrap(),
            Decision::Skip(Box::new(result(false)))
        );
        // An unreadable result is not a finished run: the saved state is resumed (which
        // evaluates again and rewrites the result).
        std::fs::write(tmp.path().join("result.json"), "{ truncated").unwrap();
        assert_eq!(
            decide(tmp.path(), &cfg, false).unwrap(),
            Decision::Resume { epochs: 1 }
        );
    }

    #[test]
    fn a_run_of_another_config_is_a_conflict_naming_the_keys() {
        let tmp = tempfile::tempdir().unwrap();
        write_config(tmp.path(), &config(5));
        write_fake_state(tmp.path(), 1);
        let d = decide(tmp.path(), &config(2), false).unwrap();
        let Decision::Conflict(why) = d else {
            panic!("expected a conflict, got {d:?}")
        };
        assert!(why.contains("train.epochs: 5 here, 2 planned"), "{why}");
        // A finished full run is not taken for a --quick one, nor the other way round.
        write_config(tmp.path(), &config(2));
        write_result(tmp.path(), &result(false)).unwrap();
        let d = decide(tmp.path(), &config(2), true).unwrap();
        assert!(
            matches!(&d, Decision::Conflict(w) if w.contains("full (not --quick)")),
            "{d:?}"
        );
    }

    #[test]
    fn a_corrupt_state_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(STATE), "{").unwrap();
        assert!(decide(tmp.path(), &config(2), false).is_err());
    }
}
