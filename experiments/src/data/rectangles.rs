//! `gm data rectangles`: a fully synthetic twin of Larochelle et al.'s (2007) *rectangles*
//! set, tall versus wide rectangle outlines, written as `rectangles_train.amat` /
//! `rectangles_test.amat`.
//!
//! Larochelle's description: the pixels on the border of the rectangle are 255 (stored as
//! 1), the others 0; height and width are sampled uniformly, and a pair whose difference is
//! smaller than 3 pixels is rejected; the top-left corner is sampled uniformly among the
//! positions where the whole rectangle fits in the 28×28 image. The original has 1,200 training
//! (1,000 + 200 validation) and 50,000 test images.
//!
//! This generator, per image: the class is fixed first (a shuffled list with exactly half of
//! each class, so both classes are balanced); two side lengths are drawn uniformly from
//! `MIN_SIDE..=28` until they differ by at least [`MIN_DIFFERENCE`]; the larger one becomes the
//! height of a tall rectangle and the width of a wide one (by symmetry the same distribution of
//! shapes as Larochelle's rejection sampler conditioned on the class); the top-left pixel is
//! uniform among the fitting positions; the outline is one pixel thick.
//!
//! Labels: [`TALL`] = 0, [`WIDE`] = 1. The LISA pages only say the label "is 1 or 0"; this
//! convention follows a third-party reading of the original files ("0 if rectangle is tall, 1
//! if it is wide") and is not confirmed by the authors. "Tall" means more rows than columns.
use super::raster::Mask;
use super::twin::{self, Built, Sizes, Stream};
use super::{ImageSet, Result};
use crate::config::Dataset;
use rand::Rng;
use std::path::{Path, PathBuf};

/// Label of a rectangle with more rows than columns.
pub const TALL: i64 = 0;
/// Label of a rectangle with more columns than rows.
pub const WIDE: i64 = 1;
/// Shortest side drawn, in pixels (a one-pixel side would be a line, not an outline).
pub const MIN_SIDE: usize = 2;
/// Height and width differ by at least this many pixels (Larochelle's rejection rule).
pub const MIN_DIFFERENCE: usize = 3;
/// Default sizes: the original's training size, and a test set small enough for CPU suites.
pub const DEFAULT_SIZES: Sizes = Sizes {
    train: 1200,
    test: 2000,
};

/// Where the twin goes under the data root.
pub fn output_dir(out: &Path) -> PathBuf {
    out.join("rectangles")
}

/// One rectangle: `(top, left, height, width)` in pixels.
pub fn draw(label: i64, rng: &mut impl Rng) -> (usize, usize, usize, usize) {
    let side = super::amat::SIDE;
    let (long, short) = loop {
        let a = rng.random_range(MIN_SIDE..=side);
        let b = rng.random_range(MIN_SIDE..=side);
        if a.abs_diff(b) >= MIN_DIFFERENCE {
            break (a.max(b), a.min(b));
        }
    };
    let (height, width) = if label == TALL {
        (long, short)
    } else {
        (short, long)
    };
    let top = rng.random_range(0..=side - height);
    let left = rng.random_range(0..=side - width);
    (top, left, height, width)
}

/// `n` images, half of each class, in random order.
pub fn generate(n: usize, rng: &mut impl Rng) -> ImageSet {
    let mut set = twin::empty_set();
    for label in twin::balanced_labels(n, 2, rng) {
        let (top, left, height, width) = draw(label, rng);
        set.images
            .extend(Mask::rectangle_outline(top, left, height, width).to_pixels());
        set.labels.push(label);
    }
    set
}

/// Writes the twin into `output_dir(out)` unless both files are already there.
///
/// # Errors
/// [`super::DataError::Io`].
pub fn build(out: &Path, seed: u64, sizes: Sizes) -> Result<Built> {
    let dir = output_dir(out);
    if twin::is_complete(Dataset::Rectangles, &dir) {
        return Ok(Built::AlreadyComplete);
    }
    let train = generate(sizes.train, &mut twin::rng(seed, Stream::Train));
    let test = generate(sizes.test, &mut twin::rng(seed, Stream::Test));
    let readme = format!(
        "Twin of the rectangles set of Larochelle et al. (2007), written by\n\
         `gm data rectangles --seed {seed} --train {} --test {}` (gm-experiments {}).\n\n\
         Fully synthetic: 28x28 images of one-pixel rectangle outlines (1 on the border, 0\n\
         elsewhere). Per image the class is fixed first (exactly half of each class, shuffled);\n\
         two side lengths are drawn uniformly from {MIN_SIDE}..=28 until they differ by at least\n\
         {MIN_DIFFERENCE}; the longer is the height of a tall rectangle, the width of a wide one;\n\
         the top-left corner is uniform among the positions where the rectangle fits.\n\
         Labels: {TALL} = tall (more rows than columns), {WIDE} = wide. Random numbers: ChaCha8\n\
         seeded with {seed}, stream 1 for the training file, stream 2 for the test file.\n\n\
         Sizes: {} training images (rectangles_train.amat), {} test images\n\
         (rectangles_test.amat).\n\n\
         Differences from the original: the original has 1,200 training and 50,000 test images;\n\
         its side-length range and which label means tall are not published (label 0 = tall\n\
         follows a third-party reading of the files); the original's exact random draws cannot\n\
         be reproduced. Values are written as 0 and 1 instead of the original's float notation.\n",
        sizes.train,
        sizes.test,
        env!("CARGO_PKG_VERSION"),
        sizes.train,
        sizes.test,
    );
    twin::write(Dataset::Rectangles, &dir, &train, &test, &readme).map(Built::Wrote)
}
