//! Cross-crate: the matrix a gm-nn layer exports is, judged by gm-algebra, a group matrix for
//! an exact GM convolution and measurably not one for a relaxed convolution whose rank-r part
//! is nonzero.
use gm_algebra::group::parse_group;
use gm_algebra::matrix::distance_to_gm;
use gm_algebra::FiniteGroup;
use gm_nn::conv::{GMConv, GMConvConfig, RelaxedGMConv};
use gm_nn::dense::ExportDense;
use gm_nn::lowering::{Lowering, Support};
use nalgebra::DMatrix;
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

fn to_nalgebra(t: &Tensor) -> DMatrix<f64> {
    let size = t.size();
    let (rows, cols) = (size[0] as usize, size[1] as usize);
    let flat = t.to_kind(Kind::Double).contiguous().view([-1]);
    let values = Vec::<f64>::try_from(&flat).expect("a dense f64 tensor");
    DMatrix::from_row_slice(rows, cols, &values)
}

#[test]
fn exact_layers_export_group_matrices_and_relaxed_layers_do_not() {
    tch::manual_seed(7);
    for spec in ["C5xC4", "D3xD2", "S4", "Q8", "p4(2)"] {
        let group = parse_group(spec).unwrap();
        let n = group.order();
        let support: Vec<usize> = (0..n.min(7)).collect();
        let lowering =
            Lowering::new(group.clone(), &Support::Elements(support), Device::Cpu).unwrap();
        let vs = VarStore::new(Device::Cpu);
        let exact = GMConv::new(
            vs.root() / "exact",
            1,
            1,
            &lowering,
            GMConvConfig::default(),
        )
        .unwrap();
        let relaxed = RelaxedGMConv::new(
            vs.root() / "relaxed",
            1,
            1,
            1,
            &lowering,
            GMConvConfig::default(),
        )
        .unwrap();
        // Random values for every parameter, so the rank-1 part is certainly nonzero.
        tch::no_grad(|| {
            for (_, mut var) in vs.variables() {
                var.copy_(&Tensor::randn_like(&var));
            }
        });
        let m = to_nalgebra(&exact.export_dense().unwrap());
        assert_eq!(m.shape(), (n, n), "{spec}");
        let d = distance_to_gm(&group, &m).unwrap();
        assert!(
            d <= 1e-5 * m.norm(),
            "{spec}: exact layer is {d} from the GMs"
        );
        let r = to_nalgebra(&relaxed.export_dense().unwrap());
        let dr = distance_to_gm(&group, &r).unwrap();
        assert!(
            dr > 1e-2 * r.norm(),
            "{spec}: relaxed layer only {dr} from the GMs"
        );
    }
}
