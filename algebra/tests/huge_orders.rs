//! Every family's constructors driven with parameters up to `u64::MAX`: a constructor either
//! refuses with a typed error (exactly when the order overflows `usize`) or builds a group
//! whose arithmetic stays exact at the top of the index range; and the class computation
//! refuses huge groups against the memory budget instead of aborting.

use gm_algebra::budget::MemoryBudget;
use gm_algebra::group::{
    parse_group, Alternating, ConjugacyClasses, Cyclic, Dicyclic, Dihedral, DirectProduct,
    Symmetric, Wallpaper,
};
use gm_algebra::{AnyGroup, Error, FiniteGroup};

/// Parameters from 1 to `u64::MAX`, dense near the powers of two where overflow starts.
fn parameters() -> Vec<usize> {
    let mut out = vec![1, 2, 3, 7, 1000];
    for bits in [31u32, 32, 33, 61, 62, 63] {
        let p = 1usize << bits;
        out.extend([p - 1, p, p + 1]);
    }
    out.extend([
        usize::MAX / 8,
        usize::MAX / 4,
        usize::MAX / 2,
        usize::MAX - 1,
        usize::MAX,
    ]);
    out
}

/// Group laws on elements spread over the whole index range (first, last, middle, a few
/// strides): identity, inverses, associativity and indices in range.
fn check_sampled_laws(g: &dyn FiniteGroup) {
    let n = g.order();
    let mut picks = vec![0, 1 % n, n - 1, n / 2, n / 3, n - n / 7 - 1];
    picks.retain(|&a| a < n);
    for &a in &picks {
        assert_eq!(g.mul_idx(0, a), a, "{}: e·a", g.name());
        let ai = g.inv_idx(a);
        assert!(ai < n);
        assert_eq!(g.mul_idx(a, ai), 0, "{}: a·a⁻¹ for a = {a}", g.name());
        for &b in &picks {
            let ab = g.mul_idx(a, b);
            assert!(ab < n);
            for &c in &picks {
                assert_eq!(
                    g.mul_idx(ab, c),
                    g.mul_idx(a, g.mul_idx(b, c)),
                    "{}: associativity on {a}, {b}, {c}",
                    g.name()
                );
            }
        }
    }
}

/// `Ok` exactly when `parameter · factor` fits in `usize`, with that order and exact laws.
fn check_family(family: &str, parameter: usize, factor: u128, built: gm_algebra::Result<AnyGroup>) {
    let exact = parameter as u128 * factor;
    match built {
        Ok(g) => {
            assert!(
                exact <= usize::MAX as u128,
                "{family}({parameter}) should overflow"
            );
            assert_eq!(g.order() as u128, exact, "{family}({parameter})");
            check_sampled_laws(&g);
        }
        Err(Error::InvalidParameter { reason, .. }) => {
            assert!(
                exact > usize::MAX as u128,
                "{family}({parameter}): {reason}"
            );
            assert!(reason.contains("overflow"), "{reason}");
        }
        Err(e) => panic!("{family}({parameter}): unexpected error {e}"),
    }
}

#[test]
fn cyclic_dihedral_dicyclic_take_any_parameter() {
    for n in parameters() {
        check_family("C", n, 1, Cyclic::new(n).map(AnyGroup::new));
        check_family("D", n, 2, Dihedral::new(n).map(AnyGroup::new));
        check_family("Dic", n, 4, Dicyclic::new(n).map(AnyGroup::new));
    }
}

#[test]
fn wallpaper_groups_take_any_grid_size() {
    for n in parameters() {
        let square = n as u128 * n as u128;
        let fits = |k: u128| {
            square
                .checked_mul(k)
                .is_some_and(|o| o <= usize::MAX as u128)
        };
        for (mirrors, k) in [(false, 4u128), (true, 8)] {
            let built = if mirrors {
                Wallpaper::p4m(n)
            } else {
                Wallpaper::p4(n)
            };
            match built {
                Ok(g) => {
                    assert!(fits(k), "p4(m)({n}) should overflow");
                    assert_eq!(FiniteGroup::order(&g) as u128, square * k);
                    check_sampled_laws(&g);
                }
                Err(Error::InvalidParameter { reason, .. }) => {
                    assert!(!fits(k), "p4(m)({n}): {reason}")
                }
                Err(e) => panic!("p4(m)({n}): {e}"),
            }
        }
    }
}

#[test]
fn symmetric_and_alternating_refuse_degrees_beyond_a_64_bit_order() {
    for n in parameters().into_iter().chain(1..=25) {
        let factorial: Option<u128> =
            (1..=n.min(40) as u128).try_fold(1u128, |a, k| a.checked_mul(k));
        let representable = n <= 20;
        match Symmetric::new(n) {
            Ok(g) => {
                assert!(representable);
                assert_eq!(FiniteGroup::order(&g) as u128, factorial.unwrap());
                check_sampled_laws(&g);
            }
            Err(e) => assert!(!representable && matches!(e, Error::InvalidParameter { .. })),
        }
        match Alternating::new(n) {
            Ok(g) => {
                assert!(representable);
                assert_eq!(
                    FiniteGroup::order(&g) as u128,
                    (factorial.unwrap() / 2).max(1)
                );
                check_sampled_laws(&g);
            }
            Err(e) => assert!(!representable && matches!(e, Error::InvalidParameter { .. })),
        }
    }
}

#[test]
fn direct_products_refuse_overflowing_orders() {
    // Twelve cyclic factors of order 1000 (10³⁶ > u64::MAX), then fewer.
    for k in 1..=12 {
        let factors = vec![AnyGroup::new(Cyclic::new(1000).unwrap()); k];
        let exact = 1000u128.pow(k as u32);
        check_family(
            "C1000^k",
            1,
            exact,
            DirectProduct::new(factors).map(AnyGroup::new),
        );
    }
    let big = AnyGroup::new(Cyclic::new(usize::MAX).unwrap());
    let two = AnyGroup::new(Cyclic::new(2).unwrap());
    check_family(
        "C_max × C2",
        usize::MAX,
        2,
        DirectProduct::new(vec![big, two]).map(AnyGroup::new),
    );
}

#[test]
fn formerly_aborting_specs_parse_or_refuse() {
    for (spec, order) in [
        ("C100000000000", Some(100_000_000_000u128)),
        ("S12", Some(479_001_600)),
        ("D99999999999999999", Some(199_999_999_999_999_998)),
        ("p4(99999999)", Some(39_999_999_200_000_004)),
        (
            "C10xC10xC10xC10xC10xC10xC10xC10xC10xC10xC10xC10",
            Some(10u128.pow(12)),
        ),
        ("D9999999999999999999", None),
        ("p4m(9999999999)", None),
        ("C1000xC1000xC1000xC1000xC1000xC1000xC1000", None),
    ] {
        match (parse_group(spec), order) {
            (Ok(g), Some(o)) => {
                assert_eq!(g.order() as u128, o, "{spec}");
                check_sampled_laws(&g);
            }
            (Err(Error::InvalidSpec { .. }), None) => {}
            (other, _) => panic!("{spec}: {other:?}"),
        }
    }
}

#[test]
fn classes_of_huge_groups_are_refused_against_the_budget() {
    MemoryBudget::set_process_default(Some(MemoryBudget::from_bytes(1 << 30)));
    for spec in ["C100000000000", "S12", "D99999999999999999", "p4(99999999)"] {
        let g = parse_group(spec).unwrap();
        match ConjugacyClasses::try_compute(&g) {
            Err(Error::OverBudget { needed, budget, .. }) => {
                assert_eq!(budget, 1 << 30);
                assert!(needed.is_none_or(|b| b > budget), "{spec}");
            }
            other => panic!("{spec}: {other:?}"),
        }
    }
    // Within the budget the same call answers.
    let s6 = parse_group("S6").unwrap();
    assert_eq!(ConjugacyClasses::try_compute(&s6).unwrap().count(), 11);
    MemoryBudget::set_process_default(None);
}
