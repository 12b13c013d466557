//! mnist-noise: Larochelle et al.'s (2007) MNIST digits with background noise of six increasing
//! levels (`mnist_noise_variation.tar.gz`), one `.amat` file per level,
//! `mnist_noise_variations_all_N.amat` for `N` in [`NOISE_LEVELS`], each of 14,000 rows
//! (10,000 train, 2,000 validation, 2,000 test in Larochelle's protocol; images stored
//! transposed, see [`super::amat`]).
//!
//! The reference GM-CNN (`dataset/dataset_manager.py`, `_load_mnist_noise`) reads one such
//! file and keeps its last 2,000 rows as the test set, the rows before them as the training set
//! (from which validation is split off as for every dataset). [`load`] does the same; the level
//! is `data.noise_level`.
use super::amat;
use super::error::require;
use super::{DataError, ImageSet, ImageSplits, Result};
use crate::config::{Dataset, NOISE_LEVELS};
use std::path::Path;

/// The last this many rows of a noise-level file are the test set.
pub const TEST_ROWS: usize = 2000;
const ORIGIN: &str = "mnist_noise_variation.tar.gz of Larochelle et al. (2007), LISA lab, \
                      Université de Montréal (http://www.iro.umontreal.ca/~lisa/icml2007data/); \
                      it holds mnist_noise_variations_all_1.amat … _6.amat, unpack them here";

/// The file of noise level `level`.
pub fn file(level: usize) -> String {
    format!("mnist_noise_variations_all_{level}.amat")
}

/// Splits `set` into its first `len - test_rows` rows (train) and its last `test_rows` rows
/// (test).
///
/// # Errors
/// A message when `set` has no more than `test_rows` rows (nothing would be left to train on).
pub fn split_tail(set: ImageSet, test_rows: usize) -> std::result::Result<ImageSplits, String> {
    let n = set.len();
    if n <= test_rows {
        return Err(format!(
            "{n} samples, but the last {test_rows} are the test set and at least one must remain \
             for training"
        ));
    }
    let cut = (n - test_rows) * set.image_len();
    let ImageSet {
        mut images,
        mut labels,
        channels,
        height,
        width,
    } = set;
    let test_images = images.split_off(cut);
    let test_labels = labels.split_off(n - test_rows);
    let part = |images, labels| ImageSet {
        images,
        labels,
        channels,
        height,
        width,
    };
    Ok(ImageSplits {
        train: part(images, labels),
        test: part(test_images, test_labels),
    })
}

/// Loads noise level `level` from `dir`: the last [`TEST_ROWS`] rows are the test set.
///
/// # Errors
/// [`DataError::BadNoiseLevel`] for a level outside [`NOISE_LEVELS`] (or none),
/// [`DataError::Missing`] naming the file and the archive it comes from, [`DataError::Format`]
/// for a malformed file or one with no more than [`TEST_ROWS`] rows.
pub fn load(dir: &Path, level: Option<usize>) -> Result<ImageSplits> {
    let level = match level {
        Some(n) if NOISE_LEVELS.contains(&n) => n,
        got => return Err(DataError::BadNoiseLevel { got }),
    };
    let name = file(level);
    require(
        Dataset::MnistNoise.name(),
        dir,
        std::slice::from_ref(&name),
        ORIGIN,
    )?;
    let path = dir.join(&name);
    let set = amat::read_file(&path, 10)?;
    split_tail(set, TEST_ROWS).map_err(|m| DataError::format(&path, m))
}
