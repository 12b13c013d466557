//! Cross-framework check: the reference GM-CNN layer, rebuilt in PyTorch by
//! `nn/tests/python/reference_gmconv.py` the reference's own way (string group matrices, their
//! Kronecker product, the `np.where` rule; never handed this crate's table), against `GMConv`
//! with `Support::Radius(t)` on every applicable backend, the reference's weight vector and
//! bias loaded unchanged.
//!
//! The Python is the libtorch cache's (`GM_TORCH_PYTHON`, exported by
//! `scripts/setup-libtorch.sh`, or found beside `LIBTORCH`).

use gm_algebra::FiniteGroup;
use gm_nn::conv::{planner, ChannelMode, GMConv, GMConvConfig};
use gm_nn::lowering::{grid_group, Axis, Lowering, Support};
use serde::Deserialize;
use std::path::Path;
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

/// What the script prints.
#[derive(Deserialize)]
struct ReferenceRun {
    batch: i64,
    in_channels: i64,
    out_channels: i64,
    kernel: i64,
    order: i64,
    x: Vec<f64>,
    w: Vec<f64>,
    bias: Vec<f64>,
    y: Vec<f64>,
}

fn run_reference(group: &str, n: usize, t: usize, seed: u64) -> ReferenceRun {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/reference_gmconv.py");
    let args = [group, &n.to_string(), &t.to_string(), &seed.to_string()];
    let stdout = gm_nn::testing::run_torch_script(&script, &args).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_slice(&stdout).expect("the script prints one JSON object")
}

fn tensor(values: &[f64], shape: &[i64]) -> Tensor {
    Tensor::from_slice(values).view(shape)
}

/// `‖y − y_ref‖ / ‖y_ref‖` of every applicable backend, in `kind`.
fn backend_errors(axis: Axis, t: usize, run: &ReferenceRun, kind: Kind) -> Vec<(String, f64)> {
    let grid = grid_group(&[axis, axis]).unwrap();
    assert_eq!(grid.order() as i64, run.order);
    let lowering = Lowering::new(grid, &Support::Radius(t), Device::Cpu).unwrap();
    assert_eq!(lowering.kernel_size() as i64, run.kernel);
    let (b, c, o, n) = (run.batch, run.in_channels, run.out_channels, run.order);
    let x = tensor(&run.x, &[b, c, n]).to_kind(kind);
    let y_ref = tensor(&run.y, &[b, o, n]);
    let backends = planner::candidates(&lowering).unwrap();
    assert!(!backends.is_empty());
    backends
        .into_iter()
        .map(|backend| {
            let mut vs = VarStore::new(Device::Cpu);
            vs.set_kind(kind);
            let config = GMConvConfig {
                mode: ChannelMode::Shared,
                ..Default::default()
            };
            let mut conv =
                GMConv::new(vs.root(), c as usize, o as usize, &lowering, config).unwrap();
            let name = backend.kind().name().to_string();
            conv.set_backend(backend);
            tch::no_grad(|| {
                conv.weight
                    .copy_(&tensor(&run.w, &[o, 1, run.kernel]).to_kind(kind));
                conv.bias
                    .as_mut()
                    .unwrap()
                    .copy_(&tensor(&run.bias, &[o]).to_kind(kind));
            });
            let y = conv.f_forward(&x).unwrap().to_kind(Kind::Double);
            let err = (&y - &y_ref).norm().double_value(&[]) / y_ref.norm().double_value(&[]);
            (name, err)
        })
        .collect()
}

#[test]
fn every_backend_equals_the_reference_layer_built_by_pytorch() {
    let cases = [
        ("cyclic", Axis::Cyclic(8), 2),
        ("cyclic", Axis::Cyclic(5), 3),
        ("dihedral", Axis::Dihedral(5), 2),
        ("dihedral", Axis::Dihedral(3), 2),
        ("dihedral", Axis::Dihedral(7), 1),
    ];
    for (seed, (group, axis, t)) in cases.into_iter().enumerate() {
        let n = match axis {
            Axis::Cyclic(n) | Axis::Dihedral(n) => n,
        };
        let run = run_reference(group, n, t, seed as u64);
        for kind in [Kind::Double, Kind::Float] {
            for (backend, err) in backend_errors(axis, t, &run, kind) {
                eprintln!("{axis:?}² t = {t} {kind:?} {backend}: ‖y − y_ref‖/‖y_ref‖ = {err:.2e}");
                assert!(
                    err <= 1e-5,
                    "{axis:?}² t = {t} {kind:?} {backend}: {err:.3e}"
                );
            }
        }
    }
}
