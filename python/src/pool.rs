//! The cores of the pooling and lifting layers (no parameters): subgroup pooling `G → H`
//! (the reference's stride-2 GMPool among them), coset pooling `G → G/H`, lifting `G/H → G`.

use crate::device_cached::DeviceCached;
use crate::group::Group;
use crate::value_error;
use gm_nn::lowering::{detect_axes, grid_group, Axis};
use gm_nn::pool::{CosetPool, Lift, PoolMode, SubgroupPool};
use gm_nn::Result;
use pyo3::prelude::*;
use pyo3_tch::PyTensor;
use tch::{Device, Tensor};

/// One of gm-nn's parameter-free layers on functions on a group or a coset space.
enum Layer {
    Subgroup(SubgroupPool),
    Coset(CosetPool),
    Lift(Lift),
}

impl Layer {
    fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        match self {
            Self::Subgroup(p) => p.f_forward(xs),
            Self::Coset(p) => p.f_forward(xs),
            Self::Lift(l) => l.f_forward(xs),
        }
    }
}

fn mode_of(mode: &str) -> PyResult<PoolMode> {
    match mode {
        "max" => Ok(PoolMode::Max),
        "mean" | "average" => Ok(PoolMode::Average),
        other => Err(value_error(format!(
            "unknown pooling mode '{other}': use 'max' or 'mean'"
        ))),
    }
}

/// The spec string of the grid `axes` (`C4xD2`).
fn grid_spec(axes: &[Axis]) -> String {
    axes.iter()
        .map(|axis| match axis {
            Axis::Cyclic(n) => format!("C{n}"),
            Axis::Dihedral(n) => format!("D{n}"),
        })
        .collect::<Vec<_>>()
        .join("x")
}

/// A pooling or lifting layer: `forward(x)` on `(B, C, n_in)` gives `(B, C, n_out)`.
#[pyclass(module = "gm_torch._native", frozen)]
pub struct PoolCore {
    layer: DeviceCached<Layer>,
    output_size: usize,
}

impl PoolCore {
    fn build(
        output_size: usize,
        build: impl Fn(Device) -> Result<Layer> + Send + Sync + 'static,
    ) -> PyResult<Self> {
        let first = build(Device::Cpu).map_err(value_error)?;
        Ok(Self {
            layer: DeviceCached::new(Device::Cpu, first, build),
            output_size,
        })
    }
}

#[pymethods]
impl PoolCore {
    /// Pools `G` onto the subgroup `members` (in that output order) over the windows `h·W`,
    /// `W = window`: `y(h) = max` (or mean) of `x` on `h·W`.
    #[staticmethod]
    #[pyo3(signature = (group, members, window, mode="max"))]
    fn subgroup(
        group: &Group,
        members: Vec<usize>,
        window: Vec<usize>,
        mode: &str,
    ) -> PyResult<Self> {
        let (mode, group) = (mode_of(mode)?, group.group.clone());
        let size = members.len();
        Self::build(size, move |device| {
            SubgroupPool::new(&group, &members, &window, mode, device).map(Layer::Subgroup)
        })
    }

    /// The reference's GMPool on a grid of even cyclic/dihedral axes (`C8xC8`: 2×2 pooling
    /// with stride 2): the pool and the halved group the output lives on.
    #[staticmethod]
    #[pyo3(signature = (group, mode="max"))]
    fn stride2(group: &Group, mode: &str) -> PyResult<(Self, Group)> {
        let mode = mode_of(mode)?;
        let axes = detect_axes(&group.group).ok_or_else(|| {
            value_error(format!(
                "{} is not a grid of cyclic and dihedral axes: give the subgroup and window \
                 to subgroup pooling instead",
                group.spec()
            ))
        })?;
        let (first, halved) =
            SubgroupPool::stride2(&axes, mode, Device::Cpu).map_err(value_error)?;
        let smaller = Group::from_parts(
            grid_group(&halved).map_err(value_error)?,
            grid_spec(&halved),
        );
        let output_size = first.members().len();
        let build =
            move |device| SubgroupPool::stride2(&axes, mode, device).map(|p| Layer::Subgroup(p.0));
        Ok((
            Self {
                layer: DeviceCached::new(Device::Cpu, Layer::Subgroup(first), build),
                output_size,
            },
            smaller,
        ))
    }

    /// Pools `G` onto the cosets `G/H` given by every element's coset label.
    #[staticmethod]
    #[pyo3(signature = (labels, mode="max"))]
    fn coset(labels: Vec<usize>, mode: &str) -> PyResult<Self> {
        let mode = mode_of(mode)?;
        let size = labels.iter().max().map_or(0, |m| m + 1);
        Self::build(size, move |device| {
            CosetPool::new(&labels, mode, device).map(Layer::Coset)
        })
    }

    /// Lifts a function on the cosets `G/H` (labels as for `coset`) to `G`:
    /// `(Lφ)(g) = φ(gH)`.
    #[staticmethod]
    fn lift(labels: Vec<usize>) -> PyResult<Self> {
        let size = labels.len();
        Self::build(size, move |device| {
            Lift::new(&labels, device).map(Layer::Lift)
        })
    }

    /// The length of the output's last axis.
    #[getter]
    fn output_size(&self) -> usize {
        self.output_size
    }

    /// The layer applied to `x` `(B, C, n_in)`.
    fn forward(&self, x: PyTensor) -> PyResult<PyTensor> {
        self.layer.with(x.device(), |layer| {
            layer.f_forward(&x).map(PyTensor).map_err(value_error)
        })
    }
}
