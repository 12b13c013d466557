//! The structured layer: a structured matrix plus a bias.

use super::{StructuredFamily, StructuredMap};
use crate::dense::{linear_map_matrix, ExportDense};
use crate::precision::param_like;
use crate::{NnError, Result};
use std::borrow::Borrow;
use tch::nn::{Module, Path};
use tch::Tensor;

/// The configuration of a [`StructuredLinear`] layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructuredConfig {
    /// The matrix family.
    pub family: StructuredFamily,
    /// The size `n` (inputs = outputs).
    pub n: usize,
    /// The (displacement) rank `r`; ignored by the families without one.
    pub rank: usize,
    /// Whether the layer adds a bias `b ∈ ℝⁿ` (initialised to 0), as structured-nets' layers
    /// do by default.
    pub bias: bool,
}

impl StructuredConfig {
    /// `family` at size `n` and rank `rank`, with a bias.
    pub fn new(family: StructuredFamily, n: usize, rank: usize) -> Self {
        Self {
            family,
            n,
            rank,
            bias: true,
        }
    }

    /// The layer's number of trainable scalars (matrix and bias).
    pub fn parameter_count(&self) -> usize {
        self.family.parameter_count(self.n, self.rank) + if self.bias { self.n } else { 0 }
    }
}

/// `x ↦ M x + b` with `M` an `n × n` matrix of a [`StructuredFamily`], computing exactly
/// structured-nets' `StructuredLinear(class_type, layer_size=n, r=rank)` for the same
/// parameters.
///
/// Parameter paths (structured-nets' names): `W` (unconstrained), `c` (circulant), `G`, `H`
/// (rank families), `diag` (Vandermonde-like), `subd_A`, `subd_B` (LDR-SD),
/// `subd_A|diag_A|supd_A|subd_B|diag_B|supd_B` (LDR-TD), `b` (bias).
///
/// # Shapes
/// `(…, n)` → `(…, n)`.
///
/// # Example
/// ```
/// use gm_nn::structured::{StructuredConfig, StructuredFamily, StructuredLinear};
/// use tch::{nn::VarStore, Device, Kind, Tensor};
/// let vs = VarStore::new(Device::Cpu);
/// let cfg = StructuredConfig::new(StructuredFamily::ToeplitzLike, 16, 2);
/// let layer = StructuredLinear::new(vs.root(), cfg).unwrap();
/// let y = layer.f_forward(&Tensor::randn([4, 16], (Kind::Float, Device::Cpu))).unwrap();
/// assert_eq!(y.size(), [4, 16]);
/// assert_eq!(gm_nn::model::parameter_count(&vs), cfg.parameter_count());
/// ```
#[derive(Debug)]
pub struct StructuredLinear {
    config: StructuredConfig,
    map: Box<dyn StructuredMap>,
    bias: Option<Tensor>,
}

impl StructuredLinear {
    /// Creates the layer's parameters under `vs` with structured-nets' initialisation
    /// (`G`, `H` ~ N(0, 1/(r n)); `W`, `c` ~ N(0, 1/n); see the family types).
    ///
    /// # Errors
    /// As [`StructuredFamily::build`].
    pub fn new<'a, P: Borrow<Path<'a>>>(vs: P, config: StructuredConfig) -> Result<Self> {
        let vs = vs.borrow();
        let map = config.family.build(vs, config.n, config.rank)?;
        let bias = if config.bias {
            Some(vs.f_zeros("b", &[config.n as i64])?)
        } else {
            None
        };
        Ok(Self { config, map, bias })
    }

    /// The layer's configuration.
    pub fn config(&self) -> StructuredConfig {
        self.config
    }

    /// `M x + b` over the last axis of `x`, in the dtype of `x`.
    ///
    /// # Errors
    /// [`NnError::ShapeMismatch`] when the last axis is not `n`; [`NnError::Torch`] from
    /// libtorch (e.g. FFTs in a dtype the device does not support).
    pub fn f_forward(&self, x: &Tensor) -> Result<Tensor> {
        let n = self.config.n as i64;
        let size = x.size();
        match size.last() {
            Some(&last) if last == n => {}
            got => {
                return Err(NnError::ShapeMismatch {
                    what: format!("last axis of the input of a {} layer", self.config.family),
                    expected: n,
                    got: got.copied().unwrap_or(0),
                })
            }
        }
        let y = self.map.apply(&x.f_reshape([-1, n])?)?;
        let y = match &self.bias {
            Some(b) => y.f_add(&param_like(b, x)?)?,
            None => y,
        };
        Ok(y.f_reshape(size.as_slice())?)
    }
}

impl Module for StructuredLinear {
    /// # Panics
    /// On the errors of [`StructuredLinear::f_forward`].
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("StructuredLinear forward")
    }
}

impl ExportDense for StructuredLinear {
    /// The `n × n` matrix `M` (column `j` = `M e_j`), bias left out.
    fn export_dense(&self) -> Result<Tensor> {
        let n = self.config.n;
        let probe = self.map.parameter();
        linear_map_matrix(1, n, probe.kind(), probe.device(), |x| {
            self.map.apply(&x.f_reshape([-1, n as i64])?)
        })
    }
}
