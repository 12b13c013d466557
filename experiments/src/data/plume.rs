//! Smoke-plume trajectories written by `gm data plume` (PhiFlow): in
//! `data/plume-<kind>/`, one file `sim_NNN.npy` per simulation, float32 `[T, 2, 64, 64]`,
//! plus `meta.json` recording how they were generated.
use super::trajectories::load_dir;
use super::{Result, TrajectorySet};
use crate::config::Dataset;
use std::path::Path;

/// The file name of simulation `k`.
pub fn sim_file(k: usize) -> String {
    format!("sim_{k:03}.npy")
}

/// Loads the simulations of a plume dataset.
///
/// # Errors
/// [`super::DataError::Missing`] (naming the `gm data plume` command that generates them),
/// [`super::DataError::Format`].
pub fn load(dataset: Dataset, dir: &Path) -> Result<TrajectorySet> {
    let origin = match dataset {
        Dataset::PlumeTranslation => "generate them with `gm data plume --kind translation`",
        Dataset::PlumeRotation => "generate them with `gm data plume --kind rotation`",
        _ => "generate them with `gm data plume --kind scale`",
    };
    load_dir(
        dataset.name(),
        dir,
        "sim_000.npy, sim_001.npy, ...",
        Some((64, 64)),
        origin,
    )
}
