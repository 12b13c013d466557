//! Lowering: radius supports reproduce the reference's index tables; gather tables.

use gm_algebra::FiniteGroup;
use gm_nn::lowering::{detect_axes, radius_support, Axis, Lowering, Support};
use tch::Device;

mod common;

/// The reference's `cyclic_index(N, t)`: `index[k, a] = idx(g_a·s_k⁻¹)` on `Z_N×Z_N`.
fn reference_cyclic_index(n: i64, t: i64) -> Vec<Vec<i64>> {
    let mut rows = Vec::new();
    for i in -t..=t {
        for j in -t..=t {
            rows.push(
                (0..n * n)
                    .map(|a| {
                        let (p, q) = (a / n, a % n);
                        (p - i).rem_euclid(n) * n + (q - j).rem_euclid(n)
                    })
                    .collect(),
            );
        }
    }
    rows
}

/// The reference's `dihedral_index(n, t)` on `D_n × D_n`, transcribed.
fn reference_dihedral_index(n: usize, t: i64) -> Vec<Vec<i64>> {
    let mul = |a: (usize, usize), b: (usize, usize)| {
        if b.0 == 0 {
            (a.0, (a.1 + b.1) % n)
        } else {
            ((a.0 + 1) % 2, (b.1 + n - a.1) % n)
        }
    };
    let inv = |a: (usize, usize)| if a.0 == 0 { (0, (n - a.1) % n) } else { a };
    let els: Vec<(usize, usize)> = (0..2).flat_map(|f| (0..n).map(move |r| (f, r))).collect();
    let idx = |e: (usize, usize)| e.0 * n + e.1;
    let s1: Vec<(usize, usize)> = (0..2)
        .flat_map(|f| (-t..=t).map(move |i| (f, i.rem_euclid(n as i64) as usize)))
        .collect();
    let m = 2 * n;
    let mut rows = Vec::new();
    for &s in &s1 {
        for &u in &s1 {
            let (si, ui) = (inv(s), inv(u));
            rows.push(
                (0..m * m)
                    .map(|a| (idx(mul(els[a / m], si)) * m + idx(mul(els[a % m], ui))) as i64)
                    .collect(),
            );
        }
    }
    rows
}

fn table_rows(l: &Lowering) -> Vec<Vec<i64>> {
    let k = l.kernel_size() as i64;
    (0..k)
        .map(|r| Vec::<i64>::try_from(l.table().get(r)).unwrap())
        .collect()
}

#[test]
fn radius_support_reproduces_reference_cyclic_table() {
    let l = Lowering::new(common::group("C8xC8"), &Support::Radius(3), Device::Cpu).unwrap();
    assert_eq!(l.kernel_size(), 49);
    assert_eq!(table_rows(&l), reference_cyclic_index(8, 3));
}

#[test]
fn radius_support_reproduces_reference_dihedral_table() {
    let l = Lowering::new(common::group("D5xD5"), &Support::Radius(2), Device::Cpu).unwrap();
    assert_eq!(l.kernel_size(), 100);
    assert_eq!(table_rows(&l), reference_dihedral_index(5, 2));
    // The rot-MNIST configuration has K = 196.
    assert_eq!(
        radius_support(&[Axis::Dihedral(14); 2], 3).unwrap().len(),
        196
    );
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
