//! The in-memory image dataset.

/// Images `N×C×H×W` (f32, row-major, values typically in `[0, 1]`) with integer labels.
///
/// # Example
/// ```
/// use gm_experiments::data::ImageSet;
/// let set = ImageSet::new(vec![0.0; 2 * 4], vec![0, 1], 1, 2, 2).unwrap();
/// assert_eq!(set.len(), 2);
/// assert_eq!(set.image(1).len(), 4);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSet {
    /// Pixels, `N·C·H·W` values, sample-major.
    pub images: Vec<f32>,
    /// One label per sample.
    pub labels: Vec<i64>,
    /// Channels per image.
    pub channels: usize,
    /// Image height.
    pub height: usize,
    /// Image width.
    pub width: usize,
}

/// The standard train and test parts of a dataset (validation is split off `train` later).
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSplits {
    /// Training images.
    pub train: ImageSet,
    /// Test images.
    pub test: ImageSet,
}

impl ImageSet {
    /// Builds a set, checking that the pixel count matches the labels and the shape.
    ///
    /// # Errors
    /// A message naming the mismatch.
    pub fn new(
        images: Vec<f32>,
        labels: Vec<i64>,
        channels: usize,
        height: usize,
        width: usize,
    ) -> Result<Self, String> {
        let per = channels * height * width;
        if per == 0 || images.len() != labels.len() * per {
            return Err(format!(
                "{} pixel values for {} labels of shape {channels}×{height}×{width}",
                images.len(),
                labels.len()
            ));
        }
        Ok(Self {
            images,
            labels,
            channels,
            height,
            width,
        })
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Values per image, `C·H·W`.
    pub fn image_len(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// The pixels of sample `i`.
    ///
    /// # Panics
    /// If `i >= len()`.
    pub fn image(&self, i: usize) -> &[f32] {
        let n = self.image_len();
        &self.images[i * n..(i + 1) * n]
    }
}
