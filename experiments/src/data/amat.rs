//! The `.amat` text format of Larochelle et al. (2007), "An empirical evaluation of deep
//! architectures on problems with many factors of variation": one sample per line, 784
//! whitespace-separated floats in `[0, 1]` (a 28×28 image, row-major as stored) followed by
//! the label as a float.
//!
//! Files per dataset (as distributed in the zip archives of the LISA lab's "Variations on
//! MNIST" page):
//! - rot-mnist (`mnist_rotation_new.zip`): `mnist_all_rotation_normalized_float_train_valid.amat`,
//!   `mnist_all_rotation_normalized_float_test.amat`;
//! - mnist-bg-rot (`mnist_rotation_back_image_new.zip`):
//!   `mnist_all_background_images_rotation_normalized_train_valid.amat`, `..._test.amat`;
//! - mnist-noise: the random-noise-background variant `mnist-back-rand`
//!   (`mnist_background_random.zip`): `mnist_background_random_train.amat`,
//!   `mnist_background_random_test.amat`;
//! - rectangles (`rectangles.zip`): `rectangles_train.amat`, `rectangles_test.amat`.
use super::error::{read, require};
use super::{DataError, ImageSet, ImageSplits, Result};
use crate::config::Dataset;
use std::path::Path;

const SIDE: usize = 28;
const ORIGIN: &str = "the \"Variations on MNIST\" benchmarks of Larochelle et al. (2007), LISA lab, \
                      Université de Montréal (mnist_rotation_new.zip, mnist_rotation_back_image_new.zip, \
                      mnist_background_random.zip, rectangles.zip); unzip the .amat files here";

/// `(train file, test file)` of an `.amat` dataset.
///
/// # Panics
/// For a dataset that is not stored as `.amat`.
pub fn files(dataset: Dataset) -> (&'static str, &'static str) {
    match dataset {
        Dataset::RotMnist => (
            "mnist_all_rotation_normalized_float_train_valid.amat",
            "mnist_all_rotation_normalized_float_test.amat",
        ),
        Dataset::MnistBgRot => (
            "mnist_all_background_images_rotation_normalized_train_valid.amat",
            "mnist_all_background_images_rotation_normalized_test.amat",
        ),
        Dataset::MnistNoise => (
            "mnist_background_random_train.amat",
            "mnist_background_random_test.amat",
        ),
        Dataset::Rectangles => ("rectangles_train.amat", "rectangles_test.amat"),
        d => panic!("`{}` is not an .amat dataset", d.name()),
    }
}

/// Parses `.amat` text: each non-empty line holds 784 pixel values and a label.
///
/// # Errors
/// [`DataError::Format`] naming the line of a malformed or non-finite value, a wrong count, or a label that
/// is not a whole number in `0..classes`.
pub fn parse(path: &Path, text: &str, classes: usize) -> Result<ImageSet> {
    let mut images = Vec::new();
    let mut labels = Vec::new();
    for (k, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bad = |m: String| DataError::format(path, format!("line {}: {m}", k + 1));
        let start = images.len();
        let mut count = 0;
        let mut last = 0.0f64;
        for tok in line.split_whitespace() {
            let v: f64 = tok
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| bad(format!("`{tok}` is not a finite number")))?;
            if count > 0 {
                images.push(last as f32);
            }
            last = v;
            count += 1;
        }
        if count != SIDE * SIDE + 1 {
            return Err(bad(format!(
                "{count} values, expected 785 (784 pixels + label)"
            )));
        }
        if last.fract() != 0.0 || last < 0.0 || last as usize >= classes {
            return Err(bad(format!("label {last} is not one of 0..{classes}")));
        }
        debug_assert_eq!(images.len() - start, SIDE * SIDE);
        labels.push(last as i64);
    }
    if labels.is_empty() {
        return Err(DataError::format(path, "no samples"));
    }
    Ok(ImageSet {
        images,
        labels,
        channels: 1,
        height: SIDE,
        width: SIDE,
    })
}

/// Loads the train (train+valid) and test files of an `.amat` dataset.
///
/// # Errors
/// [`DataError::Missing`] naming the absent files, [`DataError::Format`].
pub fn load(dataset: Dataset, dir: &Path) -> Result<ImageSplits> {
    let (train, test) = files(dataset);
    require(dataset.name(), dir, &[train.into(), test.into()], ORIGIN)?;
    let classes = dataset
        .classes()
        .expect("amat sets are classification sets");
    let load = |f: &str| {
        let path = dir.join(f);
        let bytes = read(&path)?;
        let text =
            String::from_utf8(bytes).map_err(|_| DataError::format(&path, "not UTF-8 text"))?;
        parse(&path, &text, classes)
    };
    Ok(ImageSplits {
        train: load(train)?,
        test: load(test)?,
    })
}
