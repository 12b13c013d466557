//! Invariant pooling over the whole group.

use super::{reduce_last, PoolMode};
use crate::Result;
use tch::nn::Module;
use tch::Tensor;

/// Global max (or mean) over `G`: `(B, C, n) → (B, C)`, invariant under every permutation of
/// the group axis — in particular under `G`'s action. The reference classifier's
/// `AdaptiveMaxPool` head.
///
/// # Example
/// ```
/// use gm_nn::pool::{InvariantPool, PoolMode};
/// use tch::{nn::Module, Tensor};
/// let y = InvariantPool::new(PoolMode::Average).forward(&Tensor::from_slice(&[1.0f32, 3.0]).view([1, 1, 2]));
/// assert_eq!(y.size(), vec![1, 1]);
/// assert_eq!(y.double_value(&[0, 0]), 2.0);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct InvariantPool {
    mode: PoolMode,
}

impl InvariantPool {
    /// The pool with `mode`.
    pub fn new(mode: PoolMode) -> Self {
        Self { mode }
    }

    /// The forward pass with errors reported.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] for an input without a last axis.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        reduce_last(xs, self.mode)
    }
}

impl Module for InvariantPool {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("InvariantPool forward")
    }
}
