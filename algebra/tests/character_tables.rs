//! Exact character tables (Dixon–Schneider, the abelian closed form) against the numerical
//! irreps' characters, the orthogonality relations and the Galois action, on random groups and
//! on named groups up to A10 (order 1,814,400).

use gm_algebra::character::{
    abelian_character_table, check_orthogonality, dixon_schneider, CharacterTable,
};
use gm_algebra::fourier::representation_summary;
use gm_algebra::group::strategy::small_group;
use gm_algebra::group::{
    Alternating, ConjugacyClasses, Cyclic, DirectProduct, Permutation, PermutationGroup, Symmetric,
};
use gm_algebra::{Error, FiniteGroup};
use num_complex::Complex64;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// Every row of `a` matches a distinct row of `b` to `tol` (the tables are equal up to the
/// order of their rows).
fn same_rows(a: &[Vec<Complex64>], b: &[Vec<Complex64>], tol: f64) -> bool {
    let mut used = vec![false; b.len()];
    a.len() == b.len()
        && a.iter().all(|row| {
            let hit = b.iter().enumerate().position(|(j, other)| {
                !used[j] && row.iter().zip(other).all(|(x, y)| (x - y).norm() < tol)
            });
            hit.map(|j| used[j] = true).is_some()
        })
}

/// `PSL(2, p)` acting on the projective line `{0, …, p−1, ∞}` by `x ↦ x + 1` and
/// `x ↦ −1/x`.
fn psl2(p: usize) -> PermutationGroup {
    let inf = p;
    let shift = (0..=p)
        .map(|x| if x == inf { inf } else { (x + 1) % p })
        .collect();
    let inv = |x: usize| (1..p).find(|&y| x * y % p == 1).expect("p is prime");
    let flip = (0..=p)
        .map(|x| match x {
            _ if x == inf => 0,
            0 => inf,
            _ => (p - inv(x)) % p,
        })
        .collect();
    let gens = [shift, flip].map(|images| Permutation::from_images(images).unwrap());
    PermutationGroup::from_generators(&gens).unwrap()
}

/// M12 as GAP's `MathieuGroup(12)` on 12 points.
fn m12() -> PermutationGroup {
    PermutationGroup::from_spec(
        "perm:(1,2,3,4,5,6,7,8,9,10,11);(3,7,11,8)(4,10,5,6);(1,12)(2,11)(3,6)(4,8)(5,9)(7,10)",
    )
    .unwrap()
}

fn table_of<G: FiniteGroup + ?Sized>(g: &G) -> CharacterTable {
    CharacterTable::compute(g, &ConjugacyClasses::compute(g)).unwrap()
}

/// The Galois group of `Q(ζ_e)` permutes the rows: `σ_k(χ)` is again a row, exactly.
fn assert_galois_closed(t: &CharacterTable, exponent: usize) {
    for k in (2..exponent).filter(|k| gcd(*k, exponent) == 1) {
        for row in t.values() {
            let image: Vec<_> = row.iter().map(|v| v.galois(k % v.field().max(1))).collect();
            assert!(t.values().contains(&image), "σ_{k} leaves the table");
        }
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

proptest! {
    #![proptest_config(config(96))]

    /// Dixon–Schneider (or the abelian closed form) equals the characters of the numerically
    /// built irreps, with the same degrees and Frobenius–Schur types.
    #[test]
    fn exact_table_matches_the_numerical_irreps(g in small_group(120)) {
        let classes = ConjugacyClasses::compute(&g);
        let exact = CharacterTable::compute(&g, &classes).unwrap();
        let oracle = representation_summary(&g).unwrap();
        prop_assert!(same_rows(&exact.complex_values(), &oracle.character_table, 1e-8));
        let mut a: Vec<_> = exact.degrees().into_iter().zip(exact.fs_types().iter().copied()).collect();
        let mut b: Vec<_> = oracle.dims.iter().copied().zip(oracle.types.iter().copied()).collect();
        a.sort_by_key(|x| format!("{x:?}"));
        b.sort_by_key(|x| format!("{x:?}"));
        prop_assert_eq!(a, b);
    }

    /// On abelian groups the general algorithm and the closed form agree exactly.
    #[test]
    fn dixon_schneider_equals_the_abelian_closed_form(g in small_group(64)) {
        prop_assume!(g.is_abelian());
        let classes = ConjugacyClasses::compute(&g);
        let general = dixon_schneider(&g, &classes).unwrap();
        let closed = abelian_character_table(&g, &classes).unwrap();
        prop_assert_eq!(general.values(), closed.values());
        check_orthogonality(g.order(), closed.class_sizes(), &closed.complex_values()).unwrap();
    }
}

#[test]
fn a5_values_are_exact_and_galois_closed() {
    let a5 = Alternating::new(5).unwrap();
    let t = table_of(&a5);
    assert_eq!(t.degrees(), [1, 3, 3, 4, 5]);
    let shown = t.display_gap("A5");
    // The golden ratio and its Galois conjugate, in E(5) notation.
    assert!(shown.contains("A = -E(5)^2-E(5)^3"), "{shown}");
    assert!(shown.contains("*A") || shown.contains("B = "), "{shown}");
    assert_galois_closed(&t, 30);
}

#[test]
fn symmetric_groups_have_rational_tables() {
    for n in 2..=6 {
        let t = table_of(&Symmetric::new(n).unwrap());
        assert!(t
            .values()
            .iter()
            .flatten()
            .all(|v| v.as_integer().is_some()));
        let total: usize = t.degrees().iter().map(|d| d * d).sum();
        assert_eq!(total, t.order());
    }
}

#[test]
fn psl2_tables_have_the_known_shape() {
    for p in [5usize, 7, 11, 13] {
        let g = psl2(p);
        assert_eq!(g.order(), p * (p * p - 1) / 2);
        let t = table_of(&g);
        assert_eq!(t.degrees().len(), (p + 5) / 2, "PSL(2,{p})");
        // Degrees 1, p, (p ± 1) and (p ± 1)/2 only.
        for d in t.degrees() {
            assert!([1, p, p - 1, p + 1, (p - 1) / 2, p.div_ceil(2)].contains(&d));
        }
    }
    let g = psl2(7);
    let oracle = representation_summary(&g).unwrap();
    assert!(same_rows(
        &table_of(&g).complex_values(),
        &oracle.character_table,
        1e-8
    ));
}

#[test]
fn m12_has_the_atlas_degrees() {
    let g = m12();
    assert_eq!(g.order(), 95_040);
    let t = table_of(&g);
    assert_eq!(
        t.degrees(),
        [1, 11, 11, 16, 16, 45, 54, 55, 55, 55, 66, 99, 120, 144, 176]
    );
    assert_galois_closed(&t, 1320);
}

/// The degrees of `S_n`'s irreps by the hook length formula, `n! / Π hooks`, one per
/// partition of `n` (sorted): an oracle independent of the class algebra.
fn hook_length_degrees(n: usize) -> Vec<usize> {
    fn partitions(n: usize, largest: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![Vec::new()];
        }
        (1..=largest.min(n))
            .rev()
            .flat_map(|first| {
                partitions(n - first, first)
                    .into_iter()
                    .map(move |mut rest| {
                        rest.insert(0, first);
                        rest
                    })
            })
            .collect()
    }
    let factorial: usize = (1..=n).product();
    let mut degrees: Vec<usize> = partitions(n, n)
        .iter()
        .map(|rows| {
            let hooks: usize = rows
                .iter()
                .enumerate()
                .flat_map(|(i, &len)| {
                    (0..len).map(move |j| {
                        let below = rows[i + 1..].iter().filter(|&&l| l > j).count();
                        len - j + below
                    })
                })
                .product();
            factorial / hooks
        })
        .collect();
    degrees.sort_unstable();
    degrees
}

/// Tables beyond M12's order, from permutations (the enumerated group, its classes by orbit
/// search, Dixon–Schneider): S9 (order 362,880) against the hook length formula, and A10
/// (order 1,814,400, given by GAP's `AlternatingGroup(10)` generators) against the degrees of
/// the ATLAS table in GAP's character table library, `CharacterTable("A10")`.
#[test]
fn tables_beyond_m12_from_permutations() {
    let s9 = PermutationGroup::from_spec("perm:(1,2,3,4,5,6,7,8,9);(1,2)").unwrap();
    assert_eq!(s9.order(), 362_880);
    let t = table_of(&s9);
    assert_eq!(t.degrees().len(), 30, "the partitions of 9");
    let mut degrees = t.degrees();
    degrees.sort_unstable();
    assert_eq!(degrees, hook_length_degrees(9));
    assert!(t
        .values()
        .iter()
        .flatten()
        .all(|v| v.as_integer().is_some()));

    let a10 = PermutationGroup::from_spec("perm:(1,2,3,4,5,6,7,8,9);(8,9,10)").unwrap();
    assert_eq!(a10.order(), 1_814_400);
    let classes = ConjugacyClasses::compute(&a10);
    let mut sizes = classes.sizes();
    sizes.sort_unstable();
    let mut atlas_sizes = vec![
        1, 630, 4725, 240, 8400, 22400, 18900, 18900, 56700, 6048, 72576, 25200, 25200, 151200,
        86400, 226800, 201600, 201600, 90720, 151200, 151200, 120960, 86400, 86400,
    ];
    atlas_sizes.sort_unstable();
    assert_eq!(sizes, atlas_sizes);
    let t = CharacterTable::compute(&a10, &classes).unwrap();
    let mut degrees = t.degrees();
    degrees.sort_unstable();
    assert_eq!(
        degrees,
        [
            1, 9, 35, 36, 42, 75, 84, 90, 126, 160, 210, 224, 224, 225, 252, 288, 300, 315, 350,
            384, 384, 450, 525, 567
        ]
    );
}

#[test]
fn products_multiply_tables() {
    let g = DirectProduct::pair(Symmetric::new(3).unwrap(), Cyclic::new(4).unwrap()).unwrap();
    let t = table_of(&g);
    assert_eq!(t.degrees().len(), 12);
    assert_eq!(t.degrees().iter().filter(|&&d| d == 2).count(), 4);
}

#[test]
fn a_corrupted_table_fails_the_orthogonality_check() {
    let s4 = Symmetric::new(4).unwrap();
    let t = table_of(&s4);
    let mut values = t.complex_values();
    check_orthogonality(24, t.class_sizes(), &values).unwrap();
    values[3][2] += Complex64::new(1.0, 0.0);
    assert!(matches!(
        check_orthogonality(24, t.class_sizes(), &values),
        Err(Error::CharacterTableCheck { .. })
    ));
    values.pop();
    assert!(check_orthogonality(24, t.class_sizes(), &values).is_err());
}

#[test]
fn young_orthogonal_form_on_s6_is_validated_against_the_exact_table() {
    use gm_algebra::fourier::young_orthogonal_irreps;
    let s6 = Symmetric::new(6).unwrap();
    let classes = ConjugacyClasses::compute(&s6);
    let exact = CharacterTable::compute(&s6, &classes)
        .unwrap()
        .complex_values();
    let yor = young_orthogonal_irreps(&s6).unwrap();
    let gens = s6.generator_indices();
    let mut characters = Vec::new();
    for r in yor.irreps() {
        let rep = r.rep();
        for a in 0..s6.order() {
            let m = rep.matrix(a);
            let d = r.dim();
            // Orthogonal, and a homomorphism on every (element, generator) pair.
            assert!(
                (m * m.transpose() - nalgebra::DMatrix::<Complex64>::identity(d, d)).norm() < 1e-12
            );
            for &s in &gens {
                let residual = (m * rep.matrix(s) - rep.matrix(s6.mul_idx(a, s))).norm();
                assert!(residual < 1e-10, "ρ_{d}(a)ρ(s) ≠ ρ(as): {residual:e}");
            }
        }
        characters.push(
            (0..classes.count())
                .map(|k| rep.matrix(classes.representative(k)).trace())
                .collect::<Vec<Complex64>>(),
        );
    }
    assert!(same_rows(&characters, &exact, 1e-9));
}
