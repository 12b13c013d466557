//! `gm list`: the embedded experiments with their one-line descriptions.
use anyhow::Result;
use gm_experiments::config::{experiment_names, load_experiment};

/// Prints one line per experiment: name, task, dataset, description.
pub fn run() -> Result<()> {
    for name in experiment_names() {
        let cfg = load_experiment(name, &[])?;
        println!(
            "{name:<22} {:<14} {:<18} {}",
            cfg.task.to_string(),
            cfg.data.dataset.name(),
            cfg.description
        );
    }
    Ok(())
}
