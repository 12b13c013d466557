//! `Support::Ball` on grids (its true relation to the reference's `Support::Radius` square)
//! and on a group that is not a grid.

use gm_algebra::group::{parse_group, Symmetric};
use gm_algebra::{AnyGroup, FiniteGroup};
use gm_nn::lowering::{grid_group, radius_support, Axis, Lowering, Support};
use std::collections::BTreeSet;
use tch::Device;

fn set(v: Vec<usize>) -> BTreeSet<usize> {
    v.into_iter().collect()
}

fn ball(axes: &[Axis], t: usize) -> BTreeSet<usize> {
    let g = grid_group(axes).unwrap();
    let l = Lowering::new(g, &Support::Ball(t), Device::Cpu).unwrap();
    set(l.support().to_vec())
}

#[test]
fn on_one_cyclic_axis_ball_and_radius_agree() {
    for n in [5, 8] {
        for t in 0..=4 {
            let axes = [Axis::Cyclic(n)];
            assert_eq!(
                ball(&axes, t),
                set(radius_support(&axes, t).unwrap()),
                "n={n} t={t}"
            );
        }
    }
}

#[test]
fn on_a_cyclic_grid_the_ball_is_the_l1_diamond_inside_the_square() {
    let (n, m) = (9, 11);
    let axes = [Axis::Cyclic(n), Axis::Cyclic(m)];
    // Signed distance of a coordinate from 0 on a cycle.
    let dist = |c: usize, n: usize| c.min(n - c);
    for t in 0..=4 {
        let b = ball(&axes, t);
        let square = set(radius_support(&axes, t).unwrap());
        assert!(b.is_subset(&square), "t = {t}");
        assert!(square.is_subset(&ball(&axes, 2 * t)), "t = {t}");
        // 2t + 1 ≤ min(n, m): no wrap, so the diamond has 2t² + 2t + 1 points.
        assert_eq!(b.len(), 2 * t * t + 2 * t + 1, "t = {t}");
        assert_eq!(square.len(), (2 * t + 1) * (2 * t + 1));
        let diamond: BTreeSet<usize> = (0..n * m)
            .filter(|&a| dist(a / m, n) + dist(a % m, m) <= t)
            .collect();
        assert_eq!(b, diamond, "t = {t}");
    }
}

#[test]
fn a_ball_works_where_a_radius_needs_a_grid() {
    let s3 = AnyGroup::cached(Symmetric::new(3).unwrap());
    assert!(Lowering::new(s3.clone(), &Support::Radius(1), Device::Cpu).is_err());
    let l = Lowering::new(s3.clone(), &Support::Ball(1), Device::Cpu).unwrap();
    let gens = s3.generator_indices();
    let mut expected: BTreeSet<usize> = gens.iter().map(|&s| s3.inv_idx(s)).collect();
    expected.extend(gens);
    expected.insert(0);
    assert_eq!(l.support()[0], 0);
    assert_eq!(set(l.support().to_vec()), expected);
    assert_eq!(l.table().size(), vec![expected.len() as i64, 6]);
    // On a dihedral grid axis the ball reaches every element once the radius covers it.
    let d4 = parse_group("D4").unwrap();
    let all = Lowering::new(d4, &Support::Ball(8), Device::Cpu).unwrap();
    assert_eq!(set(all.support().to_vec()), (0..8).collect());
}
