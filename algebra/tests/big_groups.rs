//! Big groups as first-class test subjects: random groups of order `10³`–`10⁵` (direct
//! products, wreath products, symmetric, alternating and random permutation groups; the
//! strategies `big_group` and `big_fourier_group`) against the group axioms on sampled
//! triples, the class equation, batched products against single ones, and the planned Fourier transform against the gather GM
//! product and its own inverse. A slower target: a handful of cases per law.

use gm_algebra::fourier::{plan, FourierGm};
use gm_algebra::group::strategy::{big_fourier_group, big_group};
use gm_algebra::group::{
    check_associativity_sample, check_identity_and_inverses, ConjugacyClasses,
};
use gm_algebra::matrix::GroupMatrix;
use gm_algebra::FiniteGroup;
use num_complex::Complex64;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Group axioms (identity, inverses on every element; associativity on sampled triples)
    /// and the class equation `n = Σ |C|` with every class size dividing `n`.
    #[test]
    fn big_groups_satisfy_the_axioms_and_the_class_equation(g in big_group()) {
        let n = g.order();
        prop_assert!((1_000..=100_000).contains(&n), "order {n}");
        check_identity_and_inverses(&g).map_err(TestCaseError::fail)?;
        check_associativity_sample(&g, 300).map_err(TestCaseError::fail)?;
        let classes = ConjugacyClasses::compute(&g);
        prop_assert_eq!(classes.sizes().iter().sum::<usize>(), n);
        prop_assert!(classes.sizes().iter().all(|&s| n.is_multiple_of(s)));
        prop_assert_eq!(classes.size(classes.class_of(0)), 1);
    }

    /// `mul_idx_batch` (batched hash lookups for permutation groups, stack products for
    /// `S_n` and `A_n`) equals `mul_idx` one product at a time, on batches longer than the
    /// groups' internal batch size, and the batch leaves entries past its pairs untouched.
    #[test]
    fn batched_products_equal_single_products(g in big_group(), seed in any::<u64>()) {
        let n = g.order();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let pairs: Vec<(usize, usize)> = (0..1_000)
            .map(|_| (rng.random_range(0..n), rng.random_range(0..n)))
            .collect();
        let mut out = vec![usize::MAX; pairs.len() + 1];
        g.mul_idx_batch(&pairs, &mut out);
        for (k, &(a, b)) in pairs.iter().enumerate() {
            prop_assert_eq!(out[k], g.mul_idx(a, b), "{}: pair {}", g.name(), k);
        }
        prop_assert_eq!(out[pairs.len()], usize::MAX);
    }

    /// The planned transform inverts itself, and the Fourier GM apply of a sparse kernel equals
    /// the gather product `(M_f x)(g) = Σ_k f(k) x(g k)`.
    #[test]
    fn big_fourier_plans_equal_the_gather_product(g in big_fourier_group(), seed in any::<u64>()) {
        let n = g.order();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = plan(&g).unwrap();
        let f: Vec<Complex64> = (0..n)
            .map(|_| Complex64::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)))
            .collect();
        let back = p.inverse(&p.forward(&f).unwrap()).unwrap();
        let err = f.iter().zip(&back).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max);
        prop_assert!(err < 1e-9, "{}: round trip {err:e}", g.name());
        let terms: std::collections::BTreeMap<usize, f64> = (0..5)
            .map(|_| (rng.random_range(0..n), rng.random_range(-1.0..1.0)))
            .collect();
        let terms: Vec<(usize, f64)> = terms.into_iter().collect();
        let m = GroupMatrix::sparse(g.clone(), terms).unwrap();
        let x: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let gathered = m.apply(&x);
        let xc: Vec<Complex64> = x.iter().map(|&v| Complex64::new(v, 0.0)).collect();
        let y = FourierGm::from_group_matrix(&m).unwrap().apply(&xc).unwrap();
        let err = gathered
            .iter()
            .zip(&y)
            .map(|(a, b)| (a - b.re).abs().max(b.im.abs()))
            .fold(0.0, f64::max);
        prop_assert!(err < 1e-9, "{}: GM apply {err:e}", g.name());
    }
}
