//! `gm_torch._native`, the native half of the Python package `gm_torch` (python/gm_torch):
//! groups from spec strings with their tables, characters, irreps and Fourier transforms
//! ([`group::Group`]), and the cores of the GM layers ([`conv::ConvCore`],
//! [`pool::PoolCore`]) whose forward passes take torch tensors through tch's Python tensor
//! bridge (pyo3-tch), so they run in the Python process's libtorch and its autograd graph.
//! The `torch.nn.Module`s, the NumPy conversions and the torch-version check live in Python.
#![deny(missing_docs)]

mod conv;
mod device_cached;
mod group;
mod pool;
mod reference;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The torch version tch 0.24.0, and hence this extension, is built against.
pub const TORCH_VERSION: &str = "2.11.0";

/// A Python `ValueError` carrying `err`'s message (every typed error of gm-algebra and gm-nn
/// says what was wrong and what to do).
pub(crate) fn value_error(err: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// The module `gm_torch._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("TORCH_VERSION", TORCH_VERSION)?;
    m.add_class::<group::Group>()?;
    m.add_class::<conv::ConvCore>()?;
    m.add_class::<pool::PoolCore>()?;
    m.add_function(wrap_pyfunction!(reference::rust_conv_layer, m)?)?;
    Ok(())
}
