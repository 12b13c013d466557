//! `gm show-config EXP [--set key=value]...`: the complete, validated config as TOML.
use anyhow::Result;
use gm_experiments::config::{load_experiment, overrides::Override};

/// Prints the experiment's config after overrides, with the derived kernel support size.
pub fn run(experiment: &str, overrides: &[Override]) -> Result<()> {
    let cfg = load_experiment(experiment, overrides)?;
    println!(
        "# {} — kernel support K = {}",
        cfg.name,
        cfg.model.support_size()
    );
    print!("{}", cfg.to_toml());
    Ok(())
}
