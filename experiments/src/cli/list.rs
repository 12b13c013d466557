//! `gm list`: the embedded experiments with their model, parameter count and one-line
//! description.
use anyhow::Result;
use gm_experiments::config::{experiment_names, load_experiment};
use gm_experiments::run::model::{describe, parameter_count};

/// Prints one line per experiment: name, task, dataset, parameters, model, description (the
/// model column as wide as its longest entry).
pub fn run() -> Result<()> {
    let mut rows = Vec::new();
    for name in experiment_names() {
        let cfg = load_experiment(name, &[])?;
        let parameters = parameter_count(&cfg).map_or_else(|e| format!("({e})"), |n| n.to_string());
        rows.push((name, cfg, parameters));
    }
    let models: Vec<String> = rows.iter().map(|(_, cfg, _)| describe(cfg)).collect();
    let width = models.iter().map(|m| m.chars().count()).max().unwrap_or(5);
    println!(
        "{:<26} {:<14} {:<18} {:>10}  {:<width$}  description",
        "experiment", "task", "dataset", "parameters", "model"
    );
    for ((name, cfg, parameters), model) in rows.iter().zip(&models) {
        println!(
            "{name:<26} {:<14} {:<18} {parameters:>10}  {model:<width$}  {}",
            cfg.task.to_string(),
            cfg.data.dataset.name(),
            cfg.description
        );
    }
    Ok(())
}
