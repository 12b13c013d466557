//! Lowering: radius supports reproduce the reference's index tables (rebuilt the reference's
//! way), legacy weights convert, gather tables.

use gm_algebra::FiniteGroup;
use gm_nn::conv::backend::{self, BackendKind};
use gm_nn::lowering::{
    detect_axes, grid_group, legacy_radius_order, radius_support, Axis, Lowering, Support,
};
use tch::{Device, Kind, Tensor};

mod common;
use common::reference_gmcnn::{gmconv_index_matrix, RefGroup};

fn table_rows(l: &Lowering) -> Vec<Vec<i64>> {
    let k = l.kernel_size() as i64;
    (0..k)
        .map(|r| Vec::<i64>::try_from(l.table().get(r)).unwrap())
        .collect()
}

/// Cyclic and dihedral grids `A × A` and radii, wrapping ones (`2t + 1 > n`) included.
fn reference_cases() -> Vec<(RefGroup, Axis, usize)> {
    let mut cases = Vec::new();
    for n in [5, 8] {
        for t in 1..=3 {
            cases.push((RefGroup::Cyclic, Axis::Cyclic(n), t));
        }
    }
    for n in [3, 4, 5, 7] {
        for t in 1..=3 {
            cases.push((RefGroup::Dihedral, Axis::Dihedral(n), t));
        }
    }
    cases
}

#[test]
fn radius_support_reproduces_the_reference_gmconv_tables() {
    for (group, axis, t) in reference_cases() {
        let n = match axis {
            Axis::Cyclic(n) | Axis::Dihedral(n) => n,
        };
        let reference = gmconv_index_matrix(group, n as i64, t as i64);
        let grid = grid_group(&[axis, axis]).unwrap();
        let l = Lowering::new(grid, &Support::Radius(t), Device::Cpu).unwrap();
        let ours: Vec<Vec<usize>> = table_rows(&l)
            .iter()
            .map(|row| row.iter().map(|&i| i as usize).collect())
            .collect();
        assert_eq!(ours, reference, "{axis:?} × {axis:?}, t = {t}");
    }
    // The rot-MNIST configuration has K = 196.
    assert_eq!(
        radius_support(&[Axis::Dihedral(14); 2], 3).unwrap().len(),
        196
    );
}

/// The dihedral radius support in the order this crate used before 0.2: every rotation
/// `r^−t..r^t`, then every reflection, per axis (last axis fastest), inverted.
fn legacy_radius_support(axes: &[Axis], t: usize) -> Vec<usize> {
    let grid = grid_group(axes).unwrap();
    let mut support = vec![0usize];
    for axis in axes {
        let wrap = |i: i64, n: usize| i.rem_euclid(n as i64) as usize;
        let t = t as i64;
        let s1: Vec<usize> = match *axis {
            Axis::Cyclic(n) => (-t..=t).map(|i| wrap(i, n)).collect(),
            Axis::Dihedral(n) => (0..2)
                .flat_map(|flip| (-t..=t).map(move |i| flip * n + wrap(i, n)))
                .collect(),
        };
        support = support
            .iter()
            .flat_map(|&p| s1.iter().map(move |&s| p * axis.order() + s))
            .collect();
    }
    support.into_iter().map(|s| grid.inv_idx(s)).collect()
}

#[test]
fn legacy_weights_convert_with_the_documented_permutation() {
    tch::manual_seed(11);
    for (axes, t) in [
        (vec![Axis::Dihedral(5); 2], 2),
        (vec![Axis::Dihedral(4), Axis::Cyclic(6)], 1),
        (vec![Axis::Cyclic(7), Axis::Dihedral(3)], 2),
    ] {
        let grid = grid_group(&axes).unwrap();
        let n = grid.order() as i64;
        let legacy = Support::Elements(legacy_radius_support(&axes, t));
        let old = Lowering::new(grid.clone(), &legacy, Device::Cpu).unwrap();
        let new = Lowering::new(grid, &Support::Radius(t), Device::Cpu).unwrap();
        let k = new.kernel_size() as i64;
        let x = Tensor::randn([2, 3, n], (Kind::Double, Device::Cpu));
        let w_old = Tensor::randn([4, 1, k], (Kind::Double, Device::Cpu));
        let order: Vec<i64> = legacy_radius_order(&axes, t)
            .into_iter()
            .map(|i| i as i64)
            .collect();
        let w_new = w_old.index_select(-1, &Tensor::from_slice(&order));
        let y_old = backend::build(BackendKind::Gather, &old)
            .unwrap()
            .forward(&x, &w_old)
            .unwrap();
        let y_new = backend::build(BackendKind::Gather, &new)
            .unwrap()
            .forward(&x, &w_new)
            .unwrap();
        let err = f64::try_from((y_old - y_new).abs().max()).unwrap();
        assert!(err < 1e-12, "{axes:?}, t = {t}: {err}");
    }
}

#[test]
fn gather_table_is_right_multiplication() {
    for spec in common::FAMILIES {
        let g = common::group(spec);
        let support: Vec<usize> = (0..g.order()).step_by(3).collect();
        let l = Lowering::new(g.clone(), &Support::Elements(support.clone()), Device::Cpu).unwrap();
        for (k, row) in table_rows(&l).iter().enumerate() {
            for (a, &v) in row.iter().enumerate() {
                assert_eq!(v as usize, g.mul_idx(a, support[k]), "{spec}");
            }
        }
    }
}

#[test]
fn axes_are_detected_only_for_grids() {
    assert_eq!(
        detect_axes(&common::group("C4xD3")),
        Some(vec![Axis::Cyclic(4), Axis::Dihedral(3)])
    );
    assert_eq!(
        detect_axes(&common::group("Z5")),
        Some(vec![Axis::Cyclic(5)])
    );
    assert_eq!(detect_axes(&common::group("S3")), None);
    assert_eq!(detect_axes(&common::group("p4(3)")), None);
    assert!(matches!(
        Lowering::new(common::group("S3"), &Support::Radius(1), Device::Cpu),
        Err(gm_nn::NnError::NotAGrid(_))
    ));
    assert!(Lowering::new(
        common::group("C3"),
        &Support::Elements(vec![3]),
        Device::Cpu
    )
    .is_err());
}
