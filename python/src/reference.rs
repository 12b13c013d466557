//! The same layer built with gm-nn's Rust API, for the tests that compare it with the Python
//! module (`python/tests/test_layers.py`).

use crate::conv::{config_of, support_of};
use crate::group::Group;
use crate::value_error;
use gm_nn::conv::{GMConv, RelaxedGMConv};
use gm_nn::lowering::Lowering;
use pyo3::prelude::*;
use pyo3_tch::PyTensor;
use tch::nn::{Module, VarStore};

/// Builds a GM convolution the way a Rust program does (`GMConv::new`, or
/// `RelaxedGMConv::new` for `rank > 0`, its fp32 parameters in a `VarStore` on `x`'s device
/// and drawn from torch's global generator), gives its position vectors random values (they start
/// at 0) and applies it to `x` with `Module::forward`. Returns its parameters by name and
/// the output.
#[pyfunction]
#[pyo3(signature = (group, in_channels, out_channels, x, *, support=None, radius=None,
    ball=None, rank=0, mode="shared", bias=true, backend="auto"))]
#[allow(clippy::too_many_arguments)]
pub fn rust_conv_layer(
    group: &Group,
    in_channels: usize,
    out_channels: usize,
    x: PyTensor,
    support: Option<Vec<usize>>,
    radius: Option<usize>,
    ball: Option<usize>,
    rank: usize,
    mode: &str,
    bias: bool,
    backend: &str,
) -> PyResult<(Vec<(String, PyTensor)>, PyTensor)> {
    let config = config_of(mode, bias, backend, x.size()[0] as usize)?;
    let support = support_of(support, radius, ball)?;
    let lowering = Lowering::new(group.group.clone(), &support, x.device()).map_err(value_error)?;
    let store = VarStore::new(x.device());
    let y = if rank == 0 {
        let layer = GMConv::new(store.root(), in_channels, out_channels, &lowering, config)
            .map_err(value_error)?;
        layer.forward(&x)
    } else {
        let layer = RelaxedGMConv::new(
            store.root(),
            in_channels,
            out_channels,
            rank,
            &lowering,
            config,
        )
        .map_err(value_error)?;
        tch::no_grad(|| {
            let _ = layer.relax_position.shallow_clone().uniform_(-1.0, 1.0);
        });
        layer.forward(&x)
    };
    let mut params: Vec<(String, PyTensor)> = store
        .variables()
        .into_iter()
        .map(|(name, t)| (name, PyTensor(t.detach().copy())))
        .collect();
    params.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((params, PyTensor(y.detach())))
}
