//! Pooling and lifting: equivariance, dense forms, the reference's GMPool, p4 on images.

use gm_algebra::group::{Group, Wallpaper, WallpaperElement};
use gm_algebra::FiniteGroup;
use gm_nn::conv::{BackendChoice, BackendKind, ChannelMode, GMConv, GMConvConfig};
use gm_nn::dense::ExportDense;
use gm_nn::lowering::{Axis, Lowering, Support};
use gm_nn::pool::{wallpaper_pixel_labels, CosetPool, InvariantPool, Lift, PoolMode, SubgroupPool};
use gm_nn::testing::{assert_equivariant, Action};
use gm_nn::Result;
use tch::nn::VarStore;
use tch::{Device, Kind, Tensor};

mod common;
use common::{max_abs, randn};

/// Left-coset labels of the subgroup `h` (closed set containing 0).
fn coset_labels<G: FiniteGroup + ?Sized>(g: &G, h: &[usize]) -> Vec<usize> {
    let n = g.order();
    let mut labels = vec![usize::MAX; n];
    let mut next = 0;
    for a in 0..n {
        if labels[a] == usize::MAX {
            for &s in h {
                labels[g.mul_idx(a, s)] = next;
            }
            next += 1;
        }
    }
    labels
}

fn coset_actions<G: FiniteGroup + ?Sized>(g: &G, labels: &[usize], lift: bool) -> Vec<(Action, Action)> {
    g.generator_indices()
        .into_iter()
        .map(|u| {
            let on_g = Action::regular(g, u, Device::Cpu).unwrap();
            let on_x = Action::on_cosets(g, labels, u, Device::Cpu).unwrap();
            if lift { (on_x, on_g) } else { (on_g, on_x) }
        })
        .collect()
}

#[test]
fn coset_pooling_and_lifting_are_equivariant() {
    tch::manual_seed(21);
    for (spec, h) in [("C6", vec![0, 3]), ("D4", vec![0, 4]), ("S3", vec![0, 1]), ("D3xC2", vec![0, 1])] {
        let g = common::group(spec);
        let h: Vec<usize> = if spec == "S3" { vec![0, g.generator_indices()[1]] } else { h };
        let h = if g.mul_idx(h[1], h[1]) == 0 { h } else { panic!("{spec}: not an involution") };
        let labels = coset_labels(&g, &h);
        let x = randn(&[2, 3, g.order() as i64]);
        for mode in [PoolMode::Max, PoolMode::Average] {
            let pool = CosetPool::new(&labels, mode, Device::Cpu).unwrap();
            assert_equivariant(|x| pool.f_forward(x), &x, &coset_actions(&g, &labels, false), 1e-12);
        }
        let lift = Lift::new(&labels, Device::Cpu).unwrap();
        let phi = randn(&[2, 3, (g.order() / 2) as i64]);
        assert_equivariant(|x| lift.f_forward(x), &phi, &coset_actions(&g, &labels, true), 1e-12);
        // Average pooling is 1/|H| times the transpose of lifting.
        let avg = CosetPool::new(&labels, PoolMode::Average, Device::Cpu).unwrap();
        let diff = avg.export_dense().unwrap() - lift.export_dense().unwrap().tr() / 2.0;
        assert!(max_abs(&diff) < 1e-15);
        assert!(CosetPool::new(&labels, PoolMode::Max, Device::Cpu).unwrap().export_dense().is_err());
    }
    assert!(CosetPool::new(&[0, 0, 1], PoolMode::Max, Device::Cpu).is_err());
}

#[test]
fn invariant_pooling_is_invariant() {
    let g = common::group("A4");
    let x = randn(&[2, 3, 12]);
    for mode in [PoolMode::Max, PoolMode::Average] {
        let pool = InvariantPool::new(mode);
        for u in g.generator_indices() {
            let ux = Action::regular(&g, u, Device::Cpu).unwrap().apply(&x).unwrap();
            assert!(max_abs(&(pool.f_forward(&ux).unwrap() - pool.f_forward(&x).unwrap())) < 1e-15);
        }
    }
}

#[test]
fn gmpool_on_the_cyclic_grid_is_stride_two_max_pooling() {
    let (pool, halved) = SubgroupPool::stride2(&[Axis::Cyclic(6), Axis::Cyclic(4)], PoolMode::Max, Device::Cpu).unwrap();
    assert_eq!(halved, vec![Axis::Cyclic(3), Axis::Cyclic(2)]);
    let x = randn(&[2, 3, 24]);
    let y = pool.f_forward(&x).unwrap();
    let expected = x.view([2, 3, 6, 4]).max_pool2d([2, 2], [2, 2], [0, 0], [1, 1], false).view([2, 3, 6]);
    assert_eq!(max_abs(&(y - expected)), 0.0);
}

#[test]
fn gmpool_is_equivariant_under_the_subgroup_and_upsampling_is_its_transpose() {
    tch::manual_seed(22);
    for axes in [vec![Axis::Dihedral(4)], vec![Axis::Dihedral(2), Axis::Cyclic(4)], vec![Axis::Cyclic(4), Axis::Cyclic(6)]] {
        let g = gm_nn::lowering::grid_group(&axes).unwrap();
        let x = randn(&[2, 2, g.order() as i64]);
        let (max_pool, halved) = SubgroupPool::stride2(&axes, PoolMode::Max, Device::Cpu).unwrap();
        let (avg_pool, _) = SubgroupPool::stride2(&axes, PoolMode::Average, Device::Cpu).unwrap();
        let members = max_pool.members().to_vec();
        // H's generators, as elements of G: the images of the halved grid's generators.
        let h = gm_nn::lowering::grid_group(&halved).unwrap();
        let actions: Vec<(Action, Action)> = h
            .generator_indices()
            .into_iter()
            .map(|j| {
                let u = members[j];
                (
                    Action::regular(&g, u, Device::Cpu).unwrap(),
                    Action::on_subgroup(&g, &members, u, Device::Cpu).unwrap(),
                )
            })
            .collect();
        for pool in [&max_pool, &avg_pool] {
            assert_equivariant(|x| pool.f_forward(x), &x, &actions, 1e-12);
        }
        // The output order is H's own grid order: the member list is a homomorphic image.
        for a in 0..h.order() {
            for b in 0..h.order() {
                assert_eq!(g.mul_idx(members[a], members[b]), members[h.mul_idx(a, b)]);
            }
        }
        let up = avg_pool.upsample().unwrap();
        let window = (g.order() / h.order()) as f64;
        let diff = up.export_dense().unwrap() - avg_pool.export_dense().unwrap().tr() * window;
        assert!(max_abs(&diff) < 1e-15);
    }
}

#[test]
fn restriction_is_subgroup_pooling_with_a_trivial_window() {
    let g = common::group("D6");
    let members = vec![0, 2, 4]; // ⟨r²⟩
    let pool = SubgroupPool::new(&g, &members, &[0], PoolMode::Max, Device::Cpu).unwrap();
    let x = randn(&[1, 1, 12]);
    let y = pool.f_forward(&x).unwrap();
    assert_eq!(max_abs(&(y - x.index_select(-1, &Tensor::from_slice(&[0i64, 2, 4])))), 0.0);
    assert!(pool.upsample().is_err());
    assert!(SubgroupPool::stride2(&[Axis::Cyclic(5)], PoolMode::Max, Device::Cpu).is_err());
}

/// An image on `Z_N² = p4/C4`, lifted to `p4`, convolved, pooled back over the rotations:
/// the whole map commutes with rotating and translating the image.
#[test]
fn p4_acts_on_images_through_lift_conv_pool() {
    tch::manual_seed(23);
    for group in [Wallpaper::p4(4).unwrap(), Wallpaper::p4m(3).unwrap()] {
        let labels = wallpaper_pixel_labels(&group);
        let g = gm_algebra::AnyGroup::new(group);
        let n = FiniteGroup::order(&g);
        let lift = Lift::new(&labels, Device::Cpu).unwrap();
        let pool = CosetPool::new(&labels, PoolMode::Max, Device::Cpu).unwrap();
        let l = Lowering::new(g.clone(), &Support::Elements(vec![0, 1, 2, 3 * group.point_group_order(), n - 1]), Device::Cpu).unwrap();
        let vs = VarStore::new(Device::Cpu);
        let config = GMConvConfig { mode: ChannelMode::Full, backend: BackendChoice::Fixed(BackendKind::Gather), ..Default::default() };
        let conv = GMConv::new(vs.root(), 1, 2, &l, config).unwrap();
        let net = |x: &Tensor| -> Result<Tensor> { pool.f_forward(&conv.f_forward(&lift.f_forward(x)?)?.relu()) };
        let side = group.grid_size();
        let image = Tensor::randn([2, 1, (side * side) as i64], (Kind::Float, Device::Cpu));
        let actions: Vec<(Action, Action)> = g
            .generator_indices()
            .into_iter()
            .map(|u| {
                (
                    Action::on_cosets(&g, &labels, u, Device::Cpu).unwrap(),
                    Action::on_cosets(&g, &labels, u, Device::Cpu).unwrap(),
                )
            })
            .collect();
        assert_equivariant(net, &image, &actions, 1e-5);
        // The coset action is the geometric action on pixels: (u·φ)(p) = φ(u⁻¹·p).
        let quarter = WallpaperElement { tx: 1, ty: 0, rot: 1, mirror: false };
        let u = Group::index(&group, &quarter);
        let moved = Action::on_cosets(&g, &labels, u, Device::Cpu).unwrap().apply(&image).unwrap();
        let inv = Group::inv(&group, &quarter);
        for p in 0..side * side {
            let (i, j) = group.act_on_pixel(&inv, (p / side, p % side));
            let want = image.double_value(&[0, 0, (i * side + j) as i64]);
            assert_eq!(moved.double_value(&[0, 0, p as i64]), want);
        }
    }
}
