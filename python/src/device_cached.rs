//! A layer's index tables on the device its inputs live on.

use crate::value_error;
use pyo3::PyResult;
use std::sync::Mutex;
use tch::Device;

/// The builder of a layer on a device.
type Builder<T> = Box<dyn Fn(Device) -> gm_nn::Result<T> + Send + Sync>;

/// A layer whose tables (gather tables, pooling indices, irreps) are built on one device and
/// rebuilt when an input arrives on another: a Python module's `.to(device)` moves its
/// parameters, and the first forward pass on the new device moves the tables.
pub struct DeviceCached<T> {
    build: Builder<T>,
    current: Mutex<(Device, T)>,
}

impl<T> DeviceCached<T> {
    /// The layer `layer`, built on `device`; `build` rebuilds it on other devices.
    pub fn new(
        device: Device,
        layer: T,
        build: impl Fn(Device) -> gm_nn::Result<T> + Send + Sync + 'static,
    ) -> Self {
        Self {
            build: Box::new(build),
            current: Mutex::new((device, layer)),
        }
    }

    /// Runs `f` on the layer built on `device` (building it there first if needed).
    pub fn with<R>(&self, device: Device, f: impl FnOnce(&T) -> PyResult<R>) -> PyResult<R> {
        let mut current = self
            .current
            .lock()
            .map_err(|_| value_error("an earlier forward pass of this layer panicked"))?;
        if current.0 != device {
            *current = (device, (self.build)(device).map_err(value_error)?);
        }
        f(&current.1)
    }
}
