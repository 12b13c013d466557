//! The in-memory trajectory dataset (velocity fields over time) and the directory layout
//! shared by the plume and JetFlow loaders: one `.npy` file per simulation or measured
//! sequence, float32 `[T, 2, H, W]` (channel 0 = x-velocity, channel 1 = y-velocity),
//! files taken in name order.
use super::error::{read, require};
use super::{npy, DataError, Result};
use std::path::{Path, PathBuf};

/// One trajectory: `steps` frames of `channels×height×width` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// Values `[T, C, H, W]`, C order.
    pub frames: Vec<f32>,
    /// Number of frames `T`.
    pub steps: usize,
    /// Channels per frame.
    pub channels: usize,
    /// Frame height.
    pub height: usize,
    /// Frame width.
    pub width: usize,
}

impl Trajectory {
    /// Values per frame.
    pub fn frame_len(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// Frame `t`.
    ///
    /// # Panics
    /// If `t >= steps`.
    pub fn frame(&self, t: usize) -> &[f32] {
        let n = self.frame_len();
        &self.frames[t * n..(t + 1) * n]
    }
}

/// Trajectories of one dataset, all of the same frame shape, with their file names.
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectorySet {
    /// The trajectories, in file-name order.
    pub trajectories: Vec<Trajectory>,
    /// The file each came from.
    pub files: Vec<PathBuf>,
}

/// The `.npy` files of `dir`, sorted by name.
///
/// # Errors
/// [`DataError::Io`] if `dir` cannot be listed.
pub fn npy_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "npy"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(DataError::Io {
                path: dir.into(),
                source,
            })
        }
    };
    files.sort();
    Ok(files)
}

/// Parses one trajectory file's bytes: a `.npy` float32 `[T, 2, H, W]` array with
/// `(H, W) == frame` when given.
///
/// # Errors
/// [`DataError::Corrupt`] or [`DataError::TooLarge`] from [`npy::parse`];
/// [`DataError::Format`] on a wrong shape or a non-finite value.
pub fn parse_trajectory(
    path: &Path,
    bytes: &[u8],
    frame: Option<(usize, usize)>,
) -> Result<Trajectory> {
    let arr = npy::parse(path, bytes)?;
    let ok_rank = arr.shape.len() == 4 && arr.shape[1] == 2;
    let ok_frame = frame.is_none_or(|hw| ok_rank && (arr.shape[2], arr.shape[3]) == hw);
    if !ok_rank || !ok_frame {
        let want = frame.map_or("H, W".to_string(), |(h, w)| format!("{h}, {w}"));
        return Err(DataError::format(
            path,
            format!("shape {:?}; expected [T, 2, {want}]", arr.shape),
        ));
    }
    if let Some(i) = arr.data.iter().position(|v| !v.is_finite()) {
        return Err(DataError::format(
            path,
            format!(
                "value {i} (in C order) is {}; velocities must be finite",
                arr.data[i]
            ),
        ));
    }
    Ok(Trajectory {
        steps: arr.shape[0],
        channels: 2,
        height: arr.shape[2],
        width: arr.shape[3],
        frames: arr.data,
    })
}

/// Loads every `.npy` trajectory of `dir`, checking each is `[T, 2, H, W]` and (when given)
/// that `(H, W) == frame`.
///
/// # Errors
/// [`DataError::Missing`] when `dir` has no `.npy` file (naming `pattern` and `origin`),
/// [`DataError::Format`] on a wrong shape.
pub fn load_dir(
    dataset: &'static str,
    dir: &Path,
    pattern: &str,
    frame: Option<(usize, usize)>,
    origin: &'static str,
) -> Result<TrajectorySet> {
    let files = npy_files(dir)?;
    if files.is_empty() {
        require(dataset, dir, &[pattern.to_string()], origin)?;
    }
    let trajectories = files
        .iter()
        .map(|f| parse_trajectory(f, &read(f)?, frame))
        .collect::<Result<Vec<_>>>()?;
    Ok(TrajectorySet {
        trajectories,
        files,
    })
}
