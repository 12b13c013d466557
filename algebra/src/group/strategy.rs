//! proptest strategies for random groups, kernels and vectors (feature `proptest-support`),
//! shared by every crate's property tests.

use super::{AnyGroup, Cyclic, Dihedral};
use proptest::prelude::*;

/// A random group of order at most `max_order` from every family of the crate, behind a
/// [`super::CachedGroup`].
pub fn small_group(max_order: usize) -> impl Strategy<Value = AnyGroup> {
    let max_order = max_order.max(2);
    prop_oneof![
        (1..=max_order).prop_map(|n| AnyGroup::cached(Cyclic::new(n).expect("n ≥ 1"))),
        (1..=(max_order / 2).max(1))
            .prop_map(|n| AnyGroup::cached(Dihedral::new(n).expect("n ≥ 1"))),
    ]
}

/// A random real function on a group of order `n` (a kernel or a signal), entries in [−1, 1].
pub fn real_vector(n: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(-1.0f64..1.0, n)
}

/// A random group together with a random real function on it.
pub fn group_and_vector(max_order: usize) -> impl Strategy<Value = (AnyGroup, Vec<f64>)> {
    small_group(max_order).prop_flat_map(|g| {
        let n = g.0.order();
        (Just(g), real_vector(n))
    })
}
