//! Early stopping on the validation loss.
use serde::{Deserialize, Serialize};

/// Stops when the validation loss has not improved for `patience` epochs; remembers the
/// best epoch.
///
/// # Example
/// ```
/// use gm_experiments::train::early_stopping::EarlyStopping;
/// let mut e = EarlyStopping::new(2);
/// assert!(e.update(1, 1.0));   // improved
/// assert!(!e.update(2, 1.5));
/// assert!(!e.should_stop());
/// assert!(!e.update(3, 1.2));
/// assert!(e.should_stop());
/// assert_eq!(e.best_epoch, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    /// Epochs without improvement tolerated.
    pub patience: usize,
    /// Best validation loss seen (+∞ before any finite loss; `null` in JSON).
    #[serde(deserialize_with = "super::null_as_infinity")]
    pub best: f64,
    /// The epoch that reached it (0 = none yet).
    pub best_epoch: usize,
    /// Consecutive epochs without improvement.
    pub bad_epochs: usize,
}

impl EarlyStopping {
    /// A fresh tracker.
    pub fn new(patience: usize) -> Self {
        Self {
            patience,
            best: f64::INFINITY,
            best_epoch: 0,
            bad_epochs: 0,
        }
    }

    /// Records the loss of `epoch`; returns whether it is a new best.
    pub fn update(&mut self, epoch: usize, loss: f64) -> bool {
        if loss < self.best {
            self.best = loss;
            self.best_epoch = epoch;
            self.bad_epochs = 0;
            true
        } else {
            self.bad_epochs += 1;
            false
        }
    }

    /// Whether training should stop.
    pub fn should_stop(&self) -> bool {
        self.bad_epochs >= self.patience
    }
}
