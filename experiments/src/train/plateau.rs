//! ReduceLROnPlateau (mode "min", relative threshold 1e-4, as PyTorch's default): when the
//! monitored loss has not improved for more than `patience` epochs, multiply the learning
//! rate by `factor`.
use serde::{Deserialize, Serialize};

/// The scheduler's state (serialisable, for resuming).
///
/// # Example
/// ```
/// use gm_experiments::train::plateau::ReduceOnPlateau;
/// let mut s = ReduceOnPlateau::new(1.0, 0.5, 1);
/// assert_eq!(s.step(1.0), 1.0);
/// assert_eq!(s.step(1.0), 1.0); // one bad epoch: within patience
/// assert_eq!(s.step(1.0), 0.5); // two bad epochs: reduce
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReduceOnPlateau {
    /// Current learning rate.
    pub lr: f64,
    /// Multiplier applied on a plateau.
    pub factor: f64,
    /// Bad epochs tolerated before reducing.
    pub patience: usize,
    /// Best loss seen (+∞ before any finite loss; `null` in JSON).
    #[serde(deserialize_with = "super::null_as_infinity")]
    pub best: f64,
    /// Consecutive epochs without improvement.
    pub bad_epochs: usize,
}

/// Relative improvement a loss needs to count as better (PyTorch's default threshold).
pub const THRESHOLD: f64 = 1e-4;

impl ReduceOnPlateau {
    /// A scheduler starting at `lr`.
    pub fn new(lr: f64, factor: f64, patience: usize) -> Self {
        Self {
            lr,
            factor,
            patience,
            best: f64::INFINITY,
            bad_epochs: 0,
        }
    }

    /// Records an epoch's loss and returns the learning rate for the next epoch.
    pub fn step(&mut self, loss: f64) -> f64 {
        if loss < self.best * (1.0 - THRESHOLD) {
            self.best = loss;
            self.bad_epochs = 0;
        } else {
            self.bad_epochs += 1;
            if self.bad_epochs > self.patience {
                self.lr *= self.factor;
                self.bad_epochs = 0;
            }
        }
        self.lr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduces_after_patience_and_resets() {
        let mut s = ReduceOnPlateau::new(4e-3, 0.7, 5);
        assert_eq!(s.step(1.0), 4e-3);
        for _ in 0..5 {
            assert_eq!(s.step(1.0), 4e-3);
        }
        assert!((s.step(1.0) - 2.8e-3).abs() < 1e-15);
        assert_eq!(s.bad_epochs, 0);
        assert!((s.step(0.5) - 2.8e-3).abs() < 1e-15);
        assert_eq!(s.best, 0.5);
    }
}
