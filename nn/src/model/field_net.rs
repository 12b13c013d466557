//! What the vector-field regression baselines share: their sizes ([`FieldNetConfig`], the
//! arguments of Wang, Walters & Yu's models, `models/model_rotation.py`) and the soft
//! constraint a relaxed model adds to its training loss ([`FieldNet::penalty`]).
use crate::conv::BackendKind;
use tch::nn::ModuleT;
use tch::Tensor;

/// Sizes of a network that maps `in_frames` stacked vector fields `(B, 2·in_frames, H, W)`
/// to `out_frames` predicted ones `(B, 2·out_frames, H, W)`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldNetConfig {
    /// Input frames (2 channels each).
    pub in_frames: usize,
    /// Predicted frames (2 channels each; 1 in the plume protocol).
    pub out_frames: usize,
    /// Hidden width: channels, or fields of the group (each `|C4|` channels) in the
    /// equivariant models, as the original's `hidden_dim`.
    pub hidden: usize,
    /// Layers, the output layer included (`num_layers`).
    pub layers: usize,
    /// Side of the square convolution kernels (`kernel_size`, 3 in the protocol).
    pub kernel_size: usize,
    /// Grid height.
    pub height: usize,
    /// Grid width.
    pub width: usize,
    /// Filter banks of the relaxed group convolution (`num_filter_banks`).
    pub banks: usize,
    /// Weight of the relaxed models' soft constraint in the loss (`alpha`).
    pub alpha: f64,
}

/// A regression network on stacked vector fields. Relaxed models return the soft constraint
/// that the training loss adds (already weighted by `alpha`): Wang et al. add
/// `MSE(get_weight_constraint(), 0)` to the rollout loss.
pub trait FieldNet: ModuleT {
    /// The weighted constraint term (a scalar with a graph), or `None` for models without.
    fn penalty(&self) -> Option<Tensor> {
        None
    }

    /// The backends its GM convolutions run on, first to last; empty for a model without GM
    /// convolutions.
    fn backends(&self) -> Vec<BackendKind> {
        Vec::new()
    }

    /// Which of its blocks run as one fused operation on activations of `kind` on `device`
    /// (see [`crate::model::fused_block`]), first to last; empty for a model without such
    /// blocks.
    fn fused_on(&self, _device: tch::Device, _kind: tch::Kind) -> Vec<bool> {
        Vec::new()
    }

    /// Turns its fused blocks on (the default) or off; nothing for a model without them.
    fn set_fused_blocks(&mut self, _on: bool) {}
}
