//! The single-hidden-layer networks of Thomas et al. (2018) (structured-nets' `SHL`).

use crate::precision::linear;
use crate::structured::{StructuredConfig, StructuredFamily, StructuredLinear};
use crate::{NnError, Result};
use std::borrow::Borrow;
use tch::nn::{self, Init, LinearConfig, ModuleT, Path};
use tch::Tensor;

/// The configuration of a [`StructuredMlp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructuredMlpConfig {
    /// The hidden layer's matrix family.
    pub family: StructuredFamily,
    /// Its (displacement) rank `r` (ignored by the families without one).
    pub rank: usize,
    /// The input size `n` (images are flattened), also the hidden width.
    pub inputs: usize,
    /// The number of classes.
    pub classes: usize,
}

impl StructuredMlpConfig {
    /// `family` at rank `rank` on `inputs` inputs and `classes` classes.
    pub fn new(family: StructuredFamily, rank: usize, inputs: usize, classes: usize) -> Self {
        Self {
            family,
            rank,
            inputs,
            classes,
        }
    }

    /// The hidden layer's configuration (with its bias).
    pub fn hidden(&self) -> StructuredConfig {
        StructuredConfig::new(self.family, self.inputs, self.rank)
    }

    /// The model's number of trainable scalars: the hidden layer's (matrix and bias) plus
    /// the classifier's `n·classes + classes` — e.g. 10,202 for Toeplitz-like, `r = 1`,
    /// 784 inputs, 10 classes.
    pub fn parameter_count(&self) -> usize {
        self.hidden().parameter_count() + (self.inputs + 1) * self.classes
    }
}

/// `x ↦ W₂ ReLU(M x + b) + b₂`: one structured `n × n` hidden layer ([`StructuredLinear`])
/// and a dense classifier initialised as PyTorch's `nn.Linear`
/// (weights and bias U(−1/√n, 1/√n)) — structured-nets' single-hidden-layer model `SHL`.
///
/// Parameter paths: `hidden/…` (see [`StructuredLinear`]), `logits/weight|bias`.
///
/// # Shapes
/// `(B, …)` with `n` values per example (e.g. `(B, 1, 28, 28)`) → `(B, classes)`.
///
/// # Example
/// ```
/// use gm_nn::model::{parameter_count, StructuredMlp, StructuredMlpConfig};
/// use gm_nn::structured::StructuredFamily;
/// use tch::{nn::VarStore, Device};
/// let vs = VarStore::new(Device::Cpu);
/// let cfg = StructuredMlpConfig::new(StructuredFamily::ToeplitzLike, 1, 784, 10);
/// let _model = StructuredMlp::new(vs.root(), &cfg).unwrap();
/// assert_eq!(parameter_count(&vs), 10_202);
/// ```
#[derive(Debug)]
pub struct StructuredMlp {
    hidden: StructuredLinear,
    logits: nn::Linear,
    inputs: usize,
}

impl StructuredMlp {
    /// Builds the model of `config` under `vs`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] when `classes == 0`; as [`StructuredLinear::new`].
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: &StructuredMlpConfig) -> Result<Self> {
        let vs = vs.borrow();
        if config.classes == 0 {
            return Err(NnError::InvalidConfig(
                "a classifier needs at least one class".into(),
            ));
        }
        let hidden = StructuredLinear::new(vs / "hidden", config.hidden())?;
        let bound = 1.0 / (config.inputs as f64).sqrt();
        let uniform = Init::Uniform {
            lo: -bound,
            up: bound,
        };
        let logits = nn::linear(
            vs / "logits",
            config.inputs as i64,
            config.classes as i64,
            LinearConfig {
                ws_init: uniform,
                bs_init: Some(uniform),
                bias: true,
            },
        );
        Ok(Self {
            hidden,
            logits,
            inputs: config.inputs,
        })
    }

    /// The structured hidden layer.
    pub fn hidden(&self) -> &StructuredLinear {
        &self.hidden
    }

    /// The forward pass, in the dtype of `xs`.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when an example does not have `n` values;
    /// [`NnError::Torch`] from libtorch.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let size = xs.size();
        let batch = *size.first().unwrap_or(&0);
        let per_example: i64 = size.iter().skip(1).product();
        if per_example != self.inputs as i64 {
            return Err(NnError::ShapeMismatch {
                what: "values per example of a structured MLP's input".into(),
                expected: self.inputs as i64,
                got: per_example,
            });
        }
        let h = self
            .hidden
            .f_forward(&xs.f_reshape([batch, per_example])?)?
            .f_relu()?;
        linear(&self.logits, &h)
    }
}

impl ModuleT for StructuredMlp {
    /// # Panics
    /// On the errors of [`StructuredMlp::f_forward`].
    fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
        self.f_forward(xs).expect("StructuredMlp forward")
    }
}
