//! The core of the exact and relaxed GM convolutions: the gather table and backend in Rust,
//! the parameters owned by the Python module and passed in on every forward pass.

use crate::device_cached::DeviceCached;
use crate::group::Group;
use crate::value_error;
use gm_algebra::AnyGroup;
use gm_nn::conv::{BackendChoice, ChannelMode, GMConvConfig, RelaxedGMConv};
use gm_nn::lowering::{Lowering, Support};
use pyo3::prelude::*;
use pyo3_tch::PyTensor;
use std::sync::{Arc, Mutex};
use tch::nn::VarStore;
use tch::{Device, Tensor};

/// The kernel support from the one keyword the Python caller gave.
fn support_of(
    support: Option<Vec<usize>>,
    radius: Option<usize>,
    ball: Option<usize>,
) -> PyResult<Support> {
    match (support, radius, ball) {
        (Some(s), None, None) => Ok(Support::Elements(s)),
        (None, Some(t), None) => Ok(Support::Radius(t)),
        (None, None, Some(t)) => Ok(Support::Ball(t)),
        _ => Err(value_error(
            "give exactly one kernel support: support=[element indices], radius=t (grids of \
             cyclic/dihedral axes) or ball=t (word-metric ball in the generators)",
        )),
    }
}

/// The layer configuration from the Python keywords.
fn config_of(mode: &str, bias: bool, backend: &str, batch_hint: usize) -> PyResult<GMConvConfig> {
    let mode = match mode {
        "shared" => ChannelMode::Shared,
        "full" => ChannelMode::Full,
        other => {
            return Err(value_error(format!(
                "unknown channel mode '{other}': use 'shared' or 'full'"
            )))
        }
    };
    let backend: BackendChoice = backend.parse().map_err(value_error)?;
    Ok(GMConvConfig {
        mode,
        bias,
        backend,
        batch_hint,
    })
}

/// What a GM convolution is built from: the group, the kernel support, the channels, the rank
/// `r` of the relaxation (`r = 0`: the exact layer) and gm-nn's layer configuration.
pub(crate) struct ConvSpec {
    pub group: AnyGroup,
    pub support: Support,
    pub in_channels: usize,
    pub out_channels: usize,
    pub rank: usize,
    pub config: GMConvConfig,
}

impl ConvSpec {
    /// The group and support lowered onto `device`.
    pub fn lowering(&self, device: Device) -> gm_nn::Result<Lowering> {
        Lowering::new(self.group.clone(), &self.support, device)
    }

    /// The rank-`r` relaxed layer (the exact layer inside it for `r = 0`) on `device`.
    fn relaxed_layer(&self, device: Device) -> gm_nn::Result<RelaxedGMConv> {
        let store = VarStore::new(device);
        RelaxedGMConv::new(
            store.root(),
            self.in_channels,
            self.out_channels,
            self.rank,
            &self.lowering(device)?,
            self.config,
        )
    }
}

/// A GM convolution of rank `r` (`r = 0`: the exact layer) without parameters of its own:
/// `forward` applies `gm_nn`'s layer to the parameters it is given (`f_forward_with`).
#[pyclass(module = "gm_torch._native", frozen)]
pub struct ConvCore {
    spec: Arc<ConvSpec>,
    layer: DeviceCached<RelaxedGMConv>,
    initial: Mutex<Vec<(String, Tensor)>>,
    backend: String,
    support: Vec<usize>,
}

impl ConvCore {
    /// What the layer is built from.
    pub(crate) fn spec(&self) -> &ConvSpec {
        &self.spec
    }
}

#[pymethods]
impl ConvCore {
    /// The layer `in_channels → out_channels` on `group` with one of `support`, `radius`,
    /// `ball`; `mode` `shared` or `full`; `backend` `auto`, `timed` or a backend's name.
    #[new]
    #[pyo3(signature = (group, in_channels, out_channels, *, support=None, radius=None, ball=None,
        rank=0, mode="shared", bias=true, backend="auto", batch_hint=32))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        group: &Group,
        in_channels: usize,
        out_channels: usize,
        support: Option<Vec<usize>>,
        radius: Option<usize>,
        ball: Option<usize>,
        rank: usize,
        mode: &str,
        bias: bool,
        backend: &str,
        batch_hint: usize,
    ) -> PyResult<Self> {
        let spec = Arc::new(ConvSpec {
            group: group.group.clone(),
            support: support_of(support, radius, ball)?,
            in_channels,
            out_channels,
            rank,
            config: config_of(mode, bias, backend, batch_hint)?,
        });
        let support_elements = spec
            .lowering(Device::Cpu)
            .map_err(value_error)?
            .support()
            .to_vec();
        let build = {
            let spec = Arc::clone(&spec);
            move |device| spec.relaxed_layer(device)
        };
        let first = build(Device::Cpu).map_err(value_error)?;
        let mut initial = vec![("weight".to_string(), first.exact.weight.detach().copy())];
        if let Some(b) = &first.exact.bias {
            initial.push(("bias".to_string(), b.detach().copy()));
        }
        if rank > 0 {
            initial.push((
                "relax_kernel".to_string(),
                first.relax_kernel.detach().copy(),
            ));
            initial.push((
                "relax_position".to_string(),
                first.relax_position.detach().copy(),
            ));
        }
        let backend_name = first.exact.backend().kind().name().to_string();
        let layer = DeviceCached::new(Device::Cpu, first, build);
        Ok(Self {
            spec,
            layer,
            initial: Mutex::new(initial),
            backend: backend_name,
            support: support_elements,
        })
    }

    /// The freshly initialised parameters, `(name, tensor)` in the order `weight`, `bias`
    /// (when the layer has one), `relax_kernel`, `relax_position` (rank > 0): gm-nn's names,
    /// shapes and initialisation, drawn from torch's global generator.
    fn initial_parameters(&self) -> PyResult<Vec<(String, PyTensor)>> {
        let initial = self
            .initial
            .lock()
            .map_err(|_| value_error("the layer's initial parameters are unavailable"))?;
        Ok(initial
            .iter()
            .map(|(name, t)| (name.clone(), PyTensor(t.copy())))
            .collect())
    }

    /// The output `(B, O, n)` for the input `x` `(B, C, n)` and the given parameters.
    #[pyo3(signature = (x, weight, bias=None, relax_kernel=None, relax_position=None))]
    fn forward(
        &self,
        x: PyTensor,
        weight: PyTensor,
        bias: Option<PyTensor>,
        relax_kernel: Option<PyTensor>,
        relax_position: Option<PyTensor>,
    ) -> PyResult<PyTensor> {
        let bias = bias.as_ref().map(|b| &b.0);
        self.layer.with(x.device(), |layer| {
            let y = match (self.spec.rank, &relax_kernel, &relax_position) {
                (0, None, None) => layer.exact.f_forward_with(&x, &weight, bias),
                (r, Some(u), Some(v)) if r > 0 => layer.f_forward_with(&x, &weight, bias, u, v),
                _ => {
                    return Err(value_error(format!(
                        "a rank-{} layer takes {} relax_kernel and relax_position",
                        self.spec.rank,
                        if self.spec.rank == 0 { "no" } else { "both" }
                    )))
                }
            };
            y.map(PyTensor).map_err(value_error)
        })
    }

    /// The backend the planner chose on the CPU.
    #[getter]
    fn backend(&self) -> String {
        self.backend.clone()
    }

    /// The kernel support `s_0, …, s_{K−1}` as element indices.
    #[getter]
    fn support(&self) -> Vec<usize> {
        self.support.clone()
    }
}
