//! `gm import FILE --config EXP [--set key=value]... --out DIR`: a reference GM-CNN state
//! dict as a new run directory ([`gm_experiments::run::import`]).
use anyhow::Result;
use gm_experiments::config::overrides::Override;
use gm_experiments::run::import::import;
use std::path::Path;

/// Imports `file` for `experiment` into `out` and prints what was written.
pub fn run(file: &Path, experiment: &str, overrides: &[Override], out: &Path) -> Result<()> {
    let i = import(file, experiment, overrides, out)?;
    println!(
        "{}: {} ({} parameters) -> {}; evaluate with `gm eval {}`",
        file.display(),
        i.model,
        i.parameters,
        i.weights.display(),
        i.dir.display()
    );
    Ok(())
}
