//! `gm list`: the embedded experiments with their model, parameter count and one-line
//! description.
use anyhow::Result;
use gm_experiments::config::{experiment_names, load_experiment};
use gm_experiments::run::model::{describe, parameter_count};

/// Prints one line per experiment: name, task, dataset, parameters, model, description.
pub fn run() -> Result<()> {
    println!(
        "{:<26} {:<14} {:<18} {:>10}  {:<44} description",
        "experiment", "task", "dataset", "parameters", "model"
    );
    for name in experiment_names() {
        let cfg = load_experiment(name, &[])?;
        let parameters = parameter_count(&cfg).map_or_else(|e| format!("({e})"), |n| n.to_string());
        println!(
            "{name:<26} {:<14} {:<18} {parameters:>10}  {:<44} {}",
            cfg.task.to_string(),
            cfg.data.dataset.name(),
            describe(&cfg),
            cfg.description
        );
    }
    Ok(())
}
