//! The same layer built with gm-nn's Rust API, for the tests that compare it with the Python
//! module (`python/tests/test_layers.py`).

use crate::conv::ConvCore;
use crate::value_error;
use gm_nn::conv::{GMConv, RelaxedGMConv};
use pyo3::prelude::*;
use pyo3_tch::PyTensor;
use tch::nn::{Module, VarStore};

/// Builds the layer `core` describes the way a Rust program does (`GMConv::new`, or
/// `RelaxedGMConv::new` for rank > 0, its fp32 parameters in a `VarStore` on `x`'s device
/// and drawn from torch's global generator), gives its position vectors random values (they
/// start at 0) and applies it to `x` with `Module::forward`. Returns its parameters by name
/// (sorted) and the output.
#[pyfunction]
pub fn rust_conv_layer(
    core: &ConvCore,
    x: PyTensor,
) -> PyResult<(Vec<(String, PyTensor)>, PyTensor)> {
    let spec = core.spec();
    let lowering = spec.lowering(x.device()).map_err(value_error)?;
    let store = VarStore::new(x.device());
    let (cin, cout) = (spec.in_channels, spec.out_channels);
    let y = if spec.rank == 0 {
        GMConv::new(store.root(), cin, cout, &lowering, spec.config)
            .map_err(value_error)?
            .forward(&x)
    } else {
        let layer = RelaxedGMConv::new(store.root(), cin, cout, spec.rank, &lowering, spec.config)
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
