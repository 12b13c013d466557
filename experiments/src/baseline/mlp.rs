//! The multilayer-perceptron baseline: flattened pixels → `blocks` × (linear → ReLU) →
//! dropout → linear classifier. No structure, no symmetry: the floor a structured or
//! equivariant model has to clear at the same parameter budget.
use gm_nn::precision::linear;
use tch::nn::{self, ModuleT};
use tch::Tensor;

/// The MLP baseline (see the module docs).
///
/// Parameters: `(n + 1)·w + (blocks − 1)·(w + 1)·w + (w + 1)·classes` for `n` inputs and
/// width `w`.
///
/// # Shapes
/// Input `[B, …]` with `n` values per example, output `[B, classes]` logits.
///
/// # Example
/// ```
/// use tch::nn::ModuleT;
/// let vs = tch::nn::VarStore::new(tch::Device::Cpu);
/// let mlp = gm_experiments::baseline::Mlp::new(&vs.root(), 16, 8, 2, 0.0, 10);
/// assert_eq!(gm_experiments::train::parameter_count(&vs), 17 * 8 + 9 * 8 + 9 * 10);
/// let y = mlp.forward_t(&tch::Tensor::zeros([3, 1, 4, 4], tch::kind::FLOAT_CPU), false);
/// assert_eq!(y.size(), vec![3, 10]);
/// ```
#[derive(Debug)]
pub struct Mlp {
    hidden: Vec<nn::Linear>,
    head: nn::Linear,
    dropout: f64,
}

impl Mlp {
    /// An MLP on `inputs` values with `blocks` hidden layers of `width` units (PyTorch's
    /// `nn.Linear` initialisation).
    pub fn new(
        p: &nn::Path,
        inputs: usize,
        width: usize,
        blocks: usize,
        dropout: f64,
        classes: usize,
    ) -> Self {
        let hidden = (0..blocks.max(1))
            .map(|k| {
                let fan_in = if k == 0 { inputs } else { width };
                nn::linear(
                    p / format!("hidden{k}"),
                    fan_in as i64,
                    width as i64,
                    Default::default(),
                )
            })
            .collect();
        let head = nn::linear(p / "head", width as i64, classes as i64, Default::default());
        Self {
            hidden,
            head,
            dropout,
        }
    }

    /// The forward pass with errors reported, in the dtype of `xs`.
    ///
    /// # Errors
    /// libtorch errors on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> gm_nn::Result<Tensor> {
        let mut h = xs.f_flatten(1, -1)?;
        for layer in &self.hidden {
            h = linear(layer, &h)?.f_relu()?;
        }
        linear(&self.head, &h.f_dropout(self.dropout, train)?)
    }
}

impl ModuleT for Mlp {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train).expect("Mlp forward")
    }
}
