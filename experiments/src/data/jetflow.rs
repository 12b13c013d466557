//! JetFlow (measured jet velocities on a 62×23 grid; Wang, Walters & Yu, 2022). It cannot be
//! downloaded here. Expected layout: `data/jetflow/*.npy`, one file per measured sequence,
//! float32 `[T, 2, 62, 23]` (channel 0 = x-velocity, channel 1 = y-velocity), taken in name
//! order; convert the published tensors with `numpy.save(path, array.astype("float32"))`.
use super::trajectories::load_dir;
use super::{Result, TrajectorySet};
use std::path::Path;

/// The frame shape (height, width) of the JetFlow measurements.
pub const JETFLOW_FRAME: (usize, usize) = (62, 23);

/// Loads the JetFlow sequences.
///
/// # Errors
/// [`super::DataError::Missing`] naming the layout and origin, [`super::DataError::Format`].
pub fn load(dir: &Path) -> Result<TrajectorySet> {
    load_dir(
        "jetflow",
        dir,
        "*.npy, one float32 [T, 2, 62, 23] array per sequence",
        Some(JETFLOW_FRAME),
        "the JetFlow measurements of Wang, Walters & Yu (ICML 2022, approximately equivariant \
         networks); save each sequence as float32 [T, 2, 62, 23] with numpy.save",
    )
}
