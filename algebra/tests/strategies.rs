//! The composable strategies of `group::strategy` (feature `proptest-support`): a user's
//! group mixed in at its share, and the couplings (a group with two kernels, a group with a
//! class function), each checked by a law that holds only for what the strategy promises.

use gm_algebra::group::strategy::{
    group_with_class_function, group_with_two_kernels, mixed_groups, real_vector, small_group,
};
use gm_algebra::group::Cyclic;
use gm_algebra::nalgebra::DMatrix;
use gm_algebra::{AnyGroup, FiniteGroup};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{FileFailurePersistence, TestRunner};

/// 128 cases per law; failures are saved beside this file (`strategies.proptest-regressions`).
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// The group matrix `M_f[a, b] = f(g_a⁻¹ g_b)`, built from its definition.
fn group_matrix(g: &AnyGroup, f: &[f64]) -> DMatrix<f64> {
    let n = g.order();
    DMatrix::from_fn(n, n, |a, b| f[g.left_div_idx(a, b)])
}

/// A stand-in for a user's group: `Z_97`, an order no built-in draw of order ≤ 24 has.
fn user_group() -> AnyGroup {
    AnyGroup::cached(Cyclic::new(97).unwrap())
}

/// The share of `draws` values of `mixed_groups(small_group(24), user, percent)` that are
/// the user's group.
fn user_share(percent: u32, draws: usize) -> f64 {
    let strategy = mixed_groups(small_group(24), Just(user_group()), percent);
    let mut runner = TestRunner::deterministic();
    let hits = (0..draws)
        .filter(|_| strategy.new_tree(&mut runner).unwrap().current().order() == 97)
        .count();
    hits as f64 / draws as f64
}

#[test]
fn mixed_groups_draws_the_users_group_at_its_share() {
    assert_eq!(user_share(0, 200), 0.0);
    assert_eq!(user_share(100, 200), 1.0);
    // 2,000 draws at 30 %: the standard deviation of the share is about 0.01.
    let share = user_share(30, 2000);
    assert!((share - 0.30).abs() < 0.05, "share {share}");
}

#[test]
#[should_panic(expected = "is not a percentage")]
fn mixed_groups_refuses_a_share_above_one_hundred_percent() {
    let _ = mixed_groups(small_group(8), Just(user_group()), 101);
}

proptest! {
    #![proptest_config(config())]

    /// `M_f M_h = M_{f∗h}` with `(f∗h)(x) = Σ_y f(y) h(y⁻¹x)`, on built-in groups with a
    /// user's group mixed in at 20 %.
    #[test]
    fn convolution_of_two_kernels_is_the_product_of_their_group_matrices(
        (g, f, h) in group_with_two_kernels(mixed_groups(small_group(24), Just(user_group()), 20))
    ) {
        let n = g.order();
        prop_assert_eq!((f.len(), h.len()), (n, n));
        let conv: Vec<f64> = (0..n)
            .map(|x| (0..n).map(|y| f[y] * h[g.left_div_idx(y, x)]).sum())
            .collect();
        let product = group_matrix(&g, &f) * group_matrix(&g, &h);
        let tol = 4.0 * n as f64 * f64::EPSILON * (1.0 + product.amax());
        prop_assert!((product - group_matrix(&g, &conv)).amax() <= tol);
    }

    /// A class function is constant on conjugacy classes, and its group matrix commutes with
    /// every group matrix on the group (a random kernel's is not central in general: the
    /// law would fail for a plain random function on a non-abelian group).
    #[test]
    fn a_class_functions_group_matrix_commutes_with_every_group_matrix(
        (g, c, f) in group_with_class_function(small_group(24)).prop_flat_map(|(g, c)| {
            let n = g.order();
            (Just(g), Just(c), real_vector(n))
        })
    ) {
        let n = g.order();
        for x in 0..n {
            for y in 0..n {
                let conjugate = g.mul_idx(g.mul_idx(y, x), g.inv_idx(y));
                prop_assert_eq!(c[conjugate], c[x]);
            }
        }
        let (mc, mf) = (group_matrix(&g, &c), group_matrix(&g, &f));
        let tol = 4.0 * n as f64 * f64::EPSILON * (1.0 + mc.amax() * mf.amax() * n as f64);
        prop_assert!((&mc * &mf - &mf * &mc).amax() <= tol);
    }
}
