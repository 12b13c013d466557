//! Bad input to the group constructors and the spec parser: typed errors, never a panic.

use gm_algebra::group::{
    parse_group, AnyGroup, Cyclic, Dihedral, Permutation, PermutationGroup, SemidirectProduct,
    TableGroup,
};
use gm_algebra::{Error, FiniteGroup};
use proptest::prelude::*;

/// The reason of an `InvalidCayleyTable` error.
fn table_error(table: Vec<Vec<usize>>) -> String {
    match TableGroup::from_cayley_table(table, None) {
        Err(Error::InvalidCayleyTable { reason }) => reason,
        other => panic!("expected InvalidCayleyTable, got {other:?}"),
    }
}

#[test]
fn invalid_cayley_tables_name_the_violated_axiom() {
    assert!(table_error(vec![]).contains("empty"));
    let ragged = table_error(vec![vec![0, 1], vec![1]]);
    assert!(
        ragged.contains("not square") && ragged.contains("row 1"),
        "{ragged}"
    );
    let open = table_error(vec![vec![0, 1, 2], vec![1, 2, 0], vec![2, 0, 5]]);
    assert!(
        open.contains("not closed") && open.contains("2·2 = 5"),
        "{open}"
    );
    assert!(table_error(vec![vec![0, 0], vec![0, 0]]).contains("identity"));
    let no_inverse = table_error(vec![vec![0, 1], vec![1, 1]]);
    assert!(
        no_inverse.contains("element 1 has no two-sided inverse"),
        "{no_inverse}"
    );
    // Identity 0, every element self-inverse, but (1·1)·2 = 2 ≠ 1 = 1·(1·2).
    let loop_table = vec![vec![0, 1, 2], vec![1, 0, 0], vec![2, 0, 0]];
    let assoc = table_error(loop_table);
    assert!(assoc.contains("not associative"), "{assoc}");
    assert!(matches!(
        TableGroup::from_cayley_table(vec![vec![0]], Some(vec![])),
        Err(Error::ShapeMismatch {
            expected: 1,
            got: 0,
            ..
        })
    ));
}

#[test]
fn associativity_violation_names_a_real_counterexample() {
    // A non-associative loop of order 5 (a Latin square with identity 0).
    let t = vec![
        vec![0, 1, 2, 3, 4],
        vec![1, 0, 3, 4, 2],
        vec![2, 4, 0, 1, 3],
        vec![3, 2, 4, 0, 1],
        vec![4, 3, 1, 2, 0],
    ];
    let reason = table_error(t.clone());
    let nums: Vec<usize> = reason
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    let (x, s, y) = (nums[0], nums[1], nums[2]);
    assert_ne!(t[t[x][s]][y], t[x][t[s][y]], "{reason}");
}

#[test]
fn cayley_table_identity_is_moved_to_index_zero() {
    let d3 = Dihedral::new(3).unwrap();
    // Relabel by swapping 0 and 4, so the identity is element 4 of the input.
    let sw = |x: usize| match x {
        0 => 4,
        4 => 0,
        x => x,
    };
    let table: Vec<Vec<usize>> = (0..6)
        .map(|a| (0..6).map(|b| sw(d3.mul_idx(sw(a), sw(b)))).collect())
        .collect();
    let g = TableGroup::from_cayley_table(table, None).unwrap();
    assert!((0..6).all(|a| (0..6).all(|b| g.mul_idx(a, b) == d3.mul_idx(a, b))));
}

/// The position of an `InvalidSpec` error.
fn spec_error_at(spec: &str) -> usize {
    match parse_group(spec) {
        Err(Error::InvalidSpec {
            position, spec: s, ..
        }) => {
            assert_eq!(s, spec);
            position
        }
        other => panic!("{spec:?}: expected InvalidSpec, got {other:?}"),
    }
}

#[test]
fn malformed_specs_point_at_the_problem() {
    let cases = [
        ("", 0),
        ("D", 1),
        ("C0", 1),
        ("Q9", 1),
        ("Q4", 1),
        ("C4x", 3),
        ("C4 y", 3),
        ("C4xX", 3),
        ("p4(0)", 3),
        ("p4(3", 4),
        ("p4m()", 4),
        ("perm:(1,2", 9),
        ("perm:(1,1)", 8),
        ("perm:(0,1)", 6),
        ("perm:(1,2);", 11),
        ("X5", 0),
        ("V5", 1),
        ("S21", 1),
        ("Dic0", 3),
        ("C99999999999999999999999", 1),
        ("C4294967296xC4294967296", 12),
    ];
    for (spec, position) in cases {
        assert_eq!(spec_error_at(spec), position, "{spec:?}");
    }
}

/// The whole spec is read before any factor is built: a syntax error after a factor that
/// cannot be built (or would take long to build, like `A7`'s 2,520² table, which a fuzzer
/// found) is the error reported, not the factor's.
#[test]
fn a_spec_is_read_whole_before_any_group_is_built() {
    for (spec, position) in [("C0xQ", 4), ("S21x", 4), ("A7Q", 2), ("A7 x C4 @", 8)] {
        assert_eq!(spec_error_at(spec), position, "{spec:?}");
    }
}

#[test]
fn permutation_on_the_wrong_number_of_points_is_a_typed_error() {
    for result in [
        Permutation::parse_with_degree("(1,5)", 4),
        Permutation::from_images(vec![0, 2]),
        Permutation::parse("(1,2)(3,4)").unwrap().with_degree(3),
    ] {
        match result {
            Err(Error::InvalidPermutation { reason }) => {
                assert!(reason.contains("wrong number of points"), "{reason}")
            }
            other => panic!("expected InvalidPermutation, got {other:?}"),
        }
    }
    match Permutation::parse("(1,2,1)") {
        Err(Error::InvalidPermutation { reason }) => {
            assert!(
                reason.contains("at byte 5") && reason.contains("twice"),
                "{reason}"
            )
        }
        other => panic!("expected InvalidPermutation, got {other:?}"),
    }
    assert!(matches!(
        PermutationGroup::with_limit(&[Permutation::parse("(1,2,3,4,5)").unwrap()], 4),
        Err(Error::TooLarge { limit: 4, .. })
    ));
}

/// The reason of the `InvalidParameter` error of `Z_n ⋊ Z_k` under `action`.
fn action_error(n: usize, k: usize, action: impl Fn(usize, usize) -> usize) -> String {
    let z = |m| AnyGroup::new(Cyclic::new(m).unwrap());
    match SemidirectProduct::new(z(n), z(k), action) {
        Err(Error::InvalidParameter { reason, .. }) => reason,
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

#[test]
fn invalid_semidirect_actions_are_rejected() {
    assert!(action_error(5, 2, |_, x| x + 1).contains("outside N"));
    assert!(action_error(5, 2, |_, _| 0).contains("not a bijection"));
    // A bijection that is not a homomorphism of Z_5.
    assert!(action_error(5, 2, |h, x| (x + h) % 5).contains("not a homomorphism of N"));
    // x ↦ 2x is an automorphism of Z_7 but has order 3, not dividing 2.
    let twice = |h: usize, x: usize| if h == 0 { x } else { 2 * x % 7 };
    assert!(action_error(7, 2, twice).contains("φ is not a homomorphism"));
    assert!(action_error(7, 3, |_, x| 2 * x % 7).contains("φ(e) is not the identity"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_spec_parser_never_panics(
        spec in proptest::collection::vec(
            proptest::sample::select(vec![
                "C", "Z", "D", "S", "A", "Q", "V", "Dic", "p4(", "p4m(", "perm:", "p", "(", ")",
                ",", ";", "x", " ", "0", "1", "2", "3", "4", "9", "12", "€",
            ]),
            0..10,
        )
        .prop_map(|tokens| tokens.concat())
    ) {
        if let Ok(g) = parse_group(&spec) {
            prop_assert!(g.order() >= 1);
        }
    }

    #[test]
    fn cayley_validation_never_panics(
        table in (0usize..5).prop_flat_map(|n| {
            proptest::collection::vec(proptest::collection::vec(0usize..6, 0..=n), n)
        })
    ) {
        if let Ok(g) = TableGroup::from_cayley_table(table, None) {
            prop_assert_eq!(gm_algebra::group::check_index_laws(&g), Ok(()));
        }
    }
}
