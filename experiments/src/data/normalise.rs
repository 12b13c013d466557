//! Per-channel standardisation of images, `x ← (x − mean_c) / std_c`, applied by
//! [`super::load_images`] to the datasets whose reference pipeline normalises
//! ([`for_dataset`]): one decision, made here for every caller.
use super::ImageSet;
use crate::config::Dataset;

/// Per-channel mean and standard deviation.
///
/// # Example
/// ```
/// use gm_experiments::data::{normalise::ChannelStats, ImageSet};
/// let stats = ChannelStats { mean: &[0.5], std: &[0.25] };
/// let mut set = ImageSet::new(vec![0.0, 0.5, 1.0, 0.75], vec![0], 1, 2, 2).unwrap();
/// stats.apply(&mut set);
/// assert_eq!(set.images, vec![-2.0, 0.0, 2.0, 1.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChannelStats {
    /// Mean of each channel.
    pub mean: &'static [f32],
    /// Standard deviation of each channel.
    pub std: &'static [f32],
}

impl ChannelStats {
    /// Standardises every image of `set` in place.
    ///
    /// # Panics
    /// When the statistics are not given for exactly `set.channels` channels.
    pub fn apply(&self, set: &mut ImageSet) {
        assert!(
            self.mean.len() == set.channels && self.std.len() == set.channels,
            "statistics for {} channels, images with {}",
            self.mean.len(),
            set.channels
        );
        let plane = set.height * set.width;
        for image in set.images.chunks_exact_mut(set.channels * plane) {
            for (c, values) in image.chunks_exact_mut(plane).enumerate() {
                let (m, s) = (self.mean[c], self.std[c]);
                values.iter_mut().for_each(|v| *v = (*v - m) / s);
            }
        }
    }
}

/// CIFAR-10's per-channel (R, G, B) mean and standard deviation, the constants of the reference
/// GM-CNN: kiryteo/GM-CNN `dataset/dataset_manager.py`, `_load_cifar10`,
/// `transforms.Normalize((0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261))` applied to the
/// training and the test images alike. They are the statistics of CIFAR-10's 50,000 training
/// images (pixel values in `[0, 1]`), so computing them from the training files would give the
/// same numbers; fixed constants keep a subset (`--quick`) on the same scale as the full set.
pub const CIFAR10: ChannelStats = ChannelStats {
    mean: &[0.4914, 0.4822, 0.4465],
    std: &[0.247, 0.243, 0.261],
};

/// The standardisation [`super::load_images`] applies to `dataset` (after any resizing; the two
/// commute, both being affine per channel): CIFAR-10's reference constants, none for the other
/// datasets (the reference feeds them in `[0, 1]`).
pub fn for_dataset(dataset: Dataset) -> Option<ChannelStats> {
    match dataset {
        Dataset::Cifar10 => Some(CIFAR10),
        _ => None,
    }
}
