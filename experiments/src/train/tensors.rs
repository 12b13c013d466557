//! Inputs and targets as tensors on the CPU, batched onto the training device.
use super::{Result, TrainError};
use crate::data::ImageSet;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tch::{Device, Tensor};

/// Samples along the first axis of `x` (inputs) and `y` (targets), kept on the CPU.
#[derive(Debug)]
pub struct TensorData {
    /// Inputs, first axis = samples.
    pub x: Tensor,
    /// Targets, first axis = samples.
    pub y: Tensor,
}

impl TensorData {
    /// Pairs inputs and targets.
    ///
    /// # Errors
    /// [`TrainError::Invalid`] when the sample counts differ.
    pub fn new(x: Tensor, y: Tensor) -> Result<Self> {
        let (nx, ny) = (x.size().first().copied(), y.size().first().copied());
        if nx != ny {
            return Err(TrainError::Invalid(format!(
                "{nx:?} inputs but {ny:?} targets"
            )));
        }
        Ok(Self { x, y })
    }

    /// Images `[N, C, H, W]` (f32) and labels `[N]` (i64).
    ///
    /// # Errors
    /// libtorch errors.
    pub fn from_images(set: &ImageSet) -> Result<Self> {
        let shape = [
            set.len() as i64,
            set.channels as i64,
            set.height as i64,
            set.width as i64,
        ];
        let x = Tensor::f_from_slice(&set.images)?.f_view(shape)?;
        let y = Tensor::f_from_slice(&set.labels)?;
        Self::new(x, y)
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.x.size()[0] as usize
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The samples at `indices`, moved to `device`.
    ///
    /// # Errors
    /// libtorch errors (e.g. an index out of range).
    pub fn batch(&self, indices: &[i64], device: Device) -> Result<(Tensor, Tensor)> {
        let idx = Tensor::f_from_slice(indices)?;
        Ok((
            self.x.f_index_select(0, &idx)?.f_to_device(device)?,
            self.y.f_index_select(0, &idx)?.f_to_device(device)?,
        ))
    }

    /// The samples at `indices` (on the CPU).
    ///
    /// # Errors
    /// libtorch errors.
    pub fn select(&self, indices: &[i64]) -> Result<Self> {
        let (x, y) = self.batch(indices, Device::Cpu)?;
        Self::new(x, y)
    }

    /// Keeps at most the first `n` samples.
    ///
    /// # Errors
    /// libtorch errors.
    pub fn truncate(&self, n: usize) -> Result<Self> {
        let n = n.min(self.len()) as i64;
        Self::new(self.x.f_narrow(0, 0, n)?, self.y.f_narrow(0, 0, n)?)
    }

    /// A seeded random split into `(train, validation)` with `val_fraction` of the samples
    /// (at least one each) in validation.
    ///
    /// # Errors
    /// [`TrainError::Invalid`] with fewer than two samples.
    pub fn split(&self, val_fraction: f64, seed: u64) -> Result<(Self, Self)> {
        let n = self.len();
        if n < 2 {
            return Err(TrainError::Invalid(format!(
                "{n} sample(s) cannot be split into train and validation"
            )));
        }
        let n_val = ((n as f64 * val_fraction).round() as usize).clamp(1, n - 1);
        let order = permutation(n, &mut ChaCha8Rng::seed_from_u64(seed));
        Ok((self.select(&order[n_val..])?, self.select(&order[..n_val])?))
    }
}

/// A seeded random permutation of `0..n` (Fisher–Yates).
pub fn permutation(n: usize, rng: &mut ChaCha8Rng) -> Vec<i64> {
    use rand::Rng;
    let mut v: Vec<i64> = (0..n as i64).collect();
    for i in (1..n).rev() {
        v.swap(i, rng.random_range(0..=i));
    }
    v
}
