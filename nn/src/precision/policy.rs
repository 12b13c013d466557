//! The precision policy: what a configured precision means on a device, decided once.

use super::cast_forward;
use crate::{NnError, Result};
use serde::{Deserialize, Serialize};
use tch::nn::ModuleT;
use tch::{Device, Kind, Tensor};

/// Arithmetic precision of training, as configs and the command line name it (`fp16`,
/// `fp32`, `bf16`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    /// Autocast mixed precision with dynamic loss scaling on CUDA; plain fp32 on the CPU.
    Fp16,
    /// fp32 everywhere.
    Fp32,
    /// bf16 activations with fp32 master weights and optimiser state, no loss scaling
    /// ([`super::CastModel`]'s mechanism); CUDA only, plain fp32 on the CPU.
    Bf16,
}

impl Precision {
    /// Every precision, in the order they are listed to users.
    pub const ALL: [Precision; 3] = [Precision::Fp16, Precision::Fp32, Precision::Bf16];

    /// The name configs and the command line use.
    pub fn name(self) -> &'static str {
        match self {
            Precision::Fp16 => "fp16",
            Precision::Fp32 => "fp32",
            Precision::Bf16 => "bf16",
        }
    }
}

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

impl std::str::FromStr for Precision {
    type Err = NnError;

    /// `fp16`, `fp32` or `bf16`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] naming the choices for any other name.
    fn from_str(s: &str) -> Result<Self> {
        Precision::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                NnError::InvalidConfig(format!(
                    "unknown precision `{s}`: expected fp16, fp32 or bf16"
                ))
            })
    }
}

/// What a [`Precision`] means on a device, built once from the pair and applied wherever a
/// model runs (training steps, evaluation, rollouts, benchmarks):
///
/// | precision | CUDA | CPU |
/// |---|---|---|
/// | `fp16` | autocast, dynamic loss scaling | fp32 |
/// | `bf16` | bf16 activations, fp32 weights, no loss scaling | the same (oneDNN's bf16 kernels: fast where the processor has AVX512-BF16 or AMX) |
/// | `fp32` | fp32 | fp32 |
///
/// # Example
/// ```
/// use gm_nn::precision::{Precision, PrecisionPolicy};
/// use tch::{Device, Kind};
/// let gpu = PrecisionPolicy::new(Precision::Bf16, Device::Cuda(0));
/// assert_eq!((gpu.activations(), gpu.autocast(), gpu.loss_scaling()), (Kind::BFloat16, false, false));
/// let fp16 = PrecisionPolicy::new(Precision::Fp16, Device::Cuda(0));
/// assert!(fp16.autocast() && fp16.loss_scaling());
/// let cpu = PrecisionPolicy::new(Precision::Fp16, Device::Cpu);
/// assert_eq!((cpu.activations(), cpu.autocast()), (Kind::Float, false));
/// assert_eq!(PrecisionPolicy::new(Precision::Bf16, Device::Cpu).activations(), Kind::BFloat16);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrecisionPolicy {
    autocast: bool,
    activations: Kind,
}

impl PrecisionPolicy {
    /// The policy of `precision` on `device`.
    pub fn new(precision: Precision, device: Device) -> Self {
        let cuda = device.is_cuda();
        Self {
            autocast: cuda && precision == Precision::Fp16,
            activations: if precision == Precision::Bf16 {
                Kind::BFloat16
            } else {
                Kind::Float
            },
        }
    }

    /// Plain fp32 (on any device).
    pub fn fp32() -> Self {
        Self::new(Precision::Fp32, Device::Cpu)
    }

    /// Whether forward passes run under autocast (fp16 on CUDA).
    pub fn autocast(&self) -> bool {
        self.autocast
    }

    /// The dtype a model's activations are computed in (bf16 for `bf16` on any device, else
    /// fp32).
    pub fn activations(&self) -> Kind {
        self.activations
    }

    /// Whether the loss needs dynamic scaling (exactly when autocasting to fp16).
    pub fn loss_scaling(&self) -> bool {
        self.autocast
    }

    /// `model` on `xs` under this policy: inputs cast to [`Self::activations`], autocast when
    /// on, the output returned in fp32.
    ///
    /// # Errors
    /// [`NnError::Torch`] from the casts (the model's own errors panic inside `forward_t`, as
    /// tch's `ModuleT` does).
    pub fn forward(&self, model: &dyn ModuleT, xs: &Tensor, train: bool) -> Result<Tensor> {
        tch::autocast(self.autocast, || {
            cast_forward(model, xs, self.activations, train)
        })
    }
}
