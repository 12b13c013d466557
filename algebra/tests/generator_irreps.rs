//! Irreps stored as generator images: `ρ(g)` along the Schreier tree against the dense
//! irreps and the multiplication table, the validator against corrupted images, and the
//! permutation-module construction on random small groups, on the split path (multiplicity
//! above 1) and on M11 (and M12, ignored in debug builds).

use gm_algebra::character::CharacterTable;
use gm_algebra::fourier::{irreps, GeneratorImages, ModuleIrreps, PermutationAction};
use gm_algebra::group::strategy::small_group;
use gm_algebra::group::{
    Alternating, ConjugacyClasses, Group, Permutation, PermutationGroup, SchreierTree, Subgroup,
    Symmetric,
};
use gm_algebra::{Error, FiniteGroup};
use nalgebra::DMatrix;
use num_complex::Complex64;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::sync::Arc;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// M11 as GAP's `MathieuGroup(11)` on 11 points.
fn m11() -> PermutationGroup {
    PermutationGroup::from_spec("perm:(1,2,3,4,5,6,7,8,9,10,11);(3,7,11,8)(4,10,5,6)").unwrap()
}

/// Every action the crate offers a permutation group: the generic candidates and the orbits
/// of point tuples and subsets, up to `max_points` points.
fn permutation_actions<G: Group<Element = Permutation> + FiniteGroup>(
    g: &G,
    classes: &ConjugacyClasses,
    max_points: usize,
) -> Vec<PermutationAction> {
    let mut actions =
        PermutationAction::candidates(g, classes, &g.generator_indices(), max_points).unwrap();
    let perms = Group::generators(g).unwrap();
    for k in 1..=6 {
        for ordered in [false, true] {
            actions.extend(PermutationAction::on_tuples(&perms, k, ordered, max_points));
        }
    }
    actions
}

/// Every irrep of the permutation group `g` from its actions on at most `max_points` points,
/// asserting that all were built, in the table's order of degrees.
fn complete_irreps(
    g: &PermutationGroup,
    max_points: usize,
) -> (ConjugacyClasses, CharacterTable, ModuleIrreps) {
    let classes = ConjugacyClasses::compute(g);
    let table = CharacterTable::compute(g, &classes).unwrap();
    let actions = permutation_actions(g, &classes, max_points);
    let built = ModuleIrreps::build(g, &classes, &table, &actions).unwrap();
    let failures: Vec<_> = built.failures().collect();
    assert!(failures.is_empty(), "{failures:?}");
    let dims: Vec<usize> = built.built().map(|r| r.dim()).collect();
    assert_eq!(dims, table.degrees());
    (classes, table, built)
}

/// The class function of a per-class character, on every element.
fn per_element(classes: &ConjugacyClasses, chi: &[Complex64]) -> Vec<Complex64> {
    classes.labels().iter().map(|&k| chi[k]).collect()
}

/// Builds all irreps of `g` from its candidate actions (the regular one included).
fn module_irreps_of<G: FiniteGroup + ?Sized>(g: &G) -> (ConjugacyClasses, ModuleIrreps) {
    let classes = ConjugacyClasses::compute(g);
    let table = CharacterTable::compute(g, &classes).unwrap();
    let actions =
        PermutationAction::candidates(g, &classes, &g.generator_indices(), g.order()).unwrap();
    let built = ModuleIrreps::build(g, &classes, &table, &actions).unwrap();
    (classes, built)
}

proptest! {
    #![proptest_config(config(48))]

    /// The dense irreps, re-stored as generator images, give back every dense matrix along
    /// the Schreier tree and pass the validator with their own characters.
    #[test]
    fn generator_images_reproduce_the_dense_irreps(g in small_group(48)) {
        let dense = irreps(&g).unwrap();
        let classes = ConjugacyClasses::compute(&g);
        let gens = g.generator_indices();
        let tree = Arc::new(SchreierTree::new(&g, &gens).unwrap());
        for (k, irrep) in dense.irreps().iter().enumerate() {
            let rep = irrep.rep();
            let images = gens.iter().map(|&s| rep.matrix(s).into_owned()).collect();
            let gi = GeneratorImages::new(Arc::clone(&tree), images).unwrap();
            for a in 0..g.order() {
                prop_assert!((gi.matrix(a) - rep.matrix(a)).norm() < 1e-10);
            }
            let chi: Vec<Complex64> =
                (0..classes.count()).map(|c| rep.matrix(classes.representative(c)).trace()).collect();
            let v = gi.validate(&g, &classes, &chi, k).unwrap();
            prop_assert!(v.exhaustive && v.pairs_checked == g.order() * gens.len());
        }
    }

    /// The permutation-module irreps of a random group are complete, have the exact
    /// characters of the dense irreps (as a multiset) and are homomorphisms on the whole
    /// multiplication table.
    #[test]
    fn module_irreps_agree_with_the_dense_irreps(g in small_group(48)) {
        let (classes, built) = module_irreps_of(&g);
        prop_assert!(built.is_complete(), "{:?}", built.failures().collect::<Vec<_>>());
        prop_assert_eq!(classes.count(), built.outcomes().len());
        agrees_with_the_dense_irreps(&g, &built)?;
    }

    /// Burnside–Brauer: from the permutation module of one faithful action on as few points
    /// as the subgroups `⟨a, b⟩` (`a`, `b` class representatives) give, and the linear
    /// characters, tensor products of built irreps reach every irrep of a random group of
    /// order at most 120, and the result agrees with the dense irreps. (About one draw in
    /// five, e.g. `S_4`, `S_5`, `A_5` or `p4m(2)`, needs tensor products.)
    #[test]
    fn tensor_products_close_the_built_set(g in small_group(120)) {
        let classes = ConjugacyClasses::compute(&g);
        let table = CharacterTable::compute(&g, &classes).unwrap();
        let built = ModuleIrreps::build(&g, &classes, &table, &[smallest_faithful_action(&g, &classes)]).unwrap();
        prop_assert!(built.is_complete(), "{:?}", built.failures().collect::<Vec<_>>());
        agrees_with_the_dense_irreps(&g, &built)?;
    }
}

/// The faithful action on the cosets of a subgroup `⟨a, b⟩` (`a`, `b` class
/// representatives, possibly equal) with the fewest points; the regular action when no
/// proper one is faithful.
fn smallest_faithful_action<G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &ConjugacyClasses,
) -> PermutationAction {
    let gens = g.generator_indices();
    let representatives: Vec<usize> = (0..classes.count())
        .map(|k| classes.representative(k))
        .collect();
    let mut best = PermutationAction::on_cosets(g, &Subgroup::trivial(g), &gens).unwrap();
    for &a in &representatives {
        for &b in &representatives {
            let h = Subgroup::generated_by(g, &[a, b]).unwrap();
            if h.order() == g.order() || g.order() / h.order() >= best.points() {
                continue;
            }
            let action = PermutationAction::on_cosets(g, &h, &gens).unwrap();
            if is_faithful(g, &action) {
                best = action;
            }
        }
    }
    best
}

/// Whether only the identity fixes every point of `action` (each element's permutation
/// multiplied out along its word).
fn is_faithful<G: FiniteGroup + ?Sized>(g: &G, action: &PermutationAction) -> bool {
    let tree = SchreierTree::new(g, &g.generator_indices()).unwrap();
    (1..g.order()).all(|a| {
        let word = tree.word(a);
        (0..action.points() as u32).any(|x| {
            word.iter()
                .rev()
                .fold(x, |y, &j| action.images()[j][y as usize])
                != x
        })
    })
}

/// The built irreps of `g` are homomorphisms on the whole multiplication table and their
/// characters, per element, are those of distinct dense irreps.
fn agrees_with_the_dense_irreps<G: FiniteGroup + ?Sized>(
    g: &G,
    built: &ModuleIrreps,
) -> Result<(), TestCaseError> {
    let dense = irreps(g).unwrap();
    let mut unmatched: Vec<Vec<Complex64>> =
        dense.irreps().iter().map(|r| r.rep().character()).collect();
    let n = g.order();
    for irrep in built.built() {
        let rho: Vec<DMatrix<Complex64>> = (0..n).map(|a| irrep.images().matrix(a)).collect();
        for a in 0..n {
            for b in 0..n {
                prop_assert!((&rho[a] * &rho[b] - &rho[g.mul_idx(a, b)]).norm() < 1e-9);
            }
        }
        let chi: Vec<Complex64> = rho.iter().map(|m| m.trace()).collect();
        let hit = unmatched
            .iter()
            .position(|other| other.iter().zip(&chi).all(|(x, y)| (x - y).norm() < 1e-8));
        prop_assert!(
            hit.is_some(),
            "character of irrep {} not among the dense ones",
            irrep.row()
        );
        unmatched.swap_remove(hit.unwrap());
    }
    prop_assert!(unmatched.is_empty());
    Ok(())
}

/// With only the regular action every character of degree `d` occurs `d` times, so every
/// irrep of degree above 1 goes through the split by a random commutant element.
#[test]
fn multiplicity_above_one_is_split() {
    for g in [
        gm_algebra::AnyGroup::new(Symmetric::new(4).unwrap()),
        gm_algebra::AnyGroup::new(Alternating::new(5).unwrap()),
    ] {
        let classes = ConjugacyClasses::compute(&g);
        let table = CharacterTable::compute(&g, &classes).unwrap();
        let gens = g.generator_indices();
        let regular = PermutationAction::on_cosets(&g, &Subgroup::trivial(&g), &gens).unwrap();
        let built = ModuleIrreps::build(&g, &classes, &table, &[regular]).unwrap();
        assert!(
            built.is_complete(),
            "{:?}",
            built.failures().collect::<Vec<_>>()
        );
        for irrep in built.built() {
            assert_eq!(
                irrep.source().1,
                irrep.dim(),
                "multiplicity d in the regular module"
            );
            let chi = per_element(&classes, &table.complex_values()[irrep.row()]);
            for (a, want) in chi.iter().enumerate() {
                assert!((irrep.images().character(a) - want).norm() < 1e-9);
            }
        }
    }
}

/// A module that does not contain a character leaves it unbuilt (without tensor products),
/// with a typed error naming the row, instead of a wrong matrix.
#[test]
fn a_character_missing_from_every_module_is_reported() {
    let a5 = Alternating::new(5).unwrap();
    let classes = ConjugacyClasses::compute(&a5);
    let table = CharacterTable::compute(&a5, &classes).unwrap();
    let gens = a5.generator_indices();
    // A5 on the 5 points of its natural action (cosets of A4): 1 + 4 only.
    let a4 = Subgroup::from_subset(
        &a5,
        &(0..60)
            .filter(|&a| a5.element(a).apply(4) == 4)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let points = PermutationAction::on_cosets(&a5, &a4, &gens).unwrap();
    let built = ModuleIrreps::build_with_tensor_limit(&a5, &classes, &table, &[points], 0).unwrap();
    let dims: Vec<usize> = built.built().map(|r| r.dim()).collect();
    assert_eq!(dims, [1, 4]);
    let missing: Vec<(usize, usize)> = built
        .failures()
        .map(|e| match e {
            Error::IrrepNotBuilt {
                irrep,
                degree,
                reason,
            } => {
                assert!(reason.contains("tensor product"), "{reason}");
                (*irrep, *degree)
            }
            other => panic!("unexpected {other}"),
        })
        .collect();
    assert_eq!(missing, [(1, 3), (2, 3), (4, 5)]);
}

/// Linear characters are read off the table, and `ψ ⊗ sign` reaches the sign twists that the
/// natural module of `S_5` (`1 + 4`) does not hold; with tensor products up to dimension 4
/// (`4 ⊗ sign`, not `4 ⊗ 4`) the rest is reported.
#[test]
fn sign_twists_come_from_tensoring_with_a_linear_character() {
    let s5 = Symmetric::new(5).unwrap();
    let classes = ConjugacyClasses::compute(&s5);
    let table = CharacterTable::compute(&s5, &classes).unwrap();
    assert_eq!(table.degrees(), [1, 1, 4, 4, 5, 5, 6]);
    let fixing_4: Vec<usize> = (0..120).filter(|&a| s5.element(a).apply(4) == 4).collect();
    let s4 = Subgroup::from_subset(&s5, &fixing_4).unwrap();
    let points = PermutationAction::on_cosets(&s5, &s4, &s5.generator_indices()).unwrap();
    let built = ModuleIrreps::build_with_tensor_limit(&s5, &classes, &table, &[points], 4).unwrap();
    let sources: Vec<(usize, String)> = built
        .built()
        .map(|r| (r.dim(), r.source().0.to_string()))
        .collect();
    assert_eq!(sources.len(), 4, "{sources:?}");
    assert!(sources[1].1.contains("degree 1"), "{sources:?}");
    let twisted = sources.iter().filter(|(d, s)| *d == 4 && s.contains('⊗'));
    assert_eq!(twisted.count(), 1, "{sources:?}");
    assert_eq!(built.failures().count(), 3);
}

/// A7 (ATLAS: degrees 1, 6, 10, 10, 14, 14, 15, 21, 35) on points, 2-subsets and ordered
/// pairs: those modules hold only `1, 6, 14, 15`; the complex pair of degree 10, the second
/// 14, the 21 and the 35 come from tensor products only, and pass the validator on every
/// (element, generator) pair against the exact table.
#[test]
fn a7_gets_characters_only_tensor_products_give() {
    let a7 = Alternating::new(7).unwrap();
    let classes = ConjugacyClasses::compute(&a7);
    let table = CharacterTable::compute(&a7, &classes).unwrap();
    assert_eq!(table.degrees(), [1, 6, 10, 10, 14, 14, 15, 21, 35]);
    let perms = Group::generators(&a7).unwrap();
    let actions: Vec<PermutationAction> = [(1, false), (2, false), (2, true)]
        .into_iter()
        .map(|(k, ordered)| PermutationAction::on_tuples(&perms, k, ordered, 100).unwrap())
        .collect();
    let points_only =
        ModuleIrreps::build_with_tensor_limit(&a7, &classes, &table, &actions, 0).unwrap();
    let from_points: Vec<usize> = points_only.built().map(|r| r.row()).collect();
    assert_eq!(from_points, [0, 1, 4, 6]);
    let built = ModuleIrreps::build(&a7, &classes, &table, &actions).unwrap();
    assert!(
        built.is_complete(),
        "{:?}",
        built.failures().collect::<Vec<_>>()
    );
    let from_tensors: Vec<(usize, usize)> = built
        .built()
        .filter(|r| r.source().0.contains('⊗'))
        .map(|r| (r.row(), r.dim()))
        .collect();
    assert_eq!(from_tensors, [(2, 10), (3, 10), (5, 14), (7, 21), (8, 35)]);
    for irrep in built.built() {
        let v = irrep.validation();
        assert!(v.exhaustive && v.pairs_checked == 2 * 2520, "{v:?}");
        assert_eq!(irrep.fs_type(), table.fs_types()[irrep.row()]);
    }
}

/// M11 (ATLAS: order 7920, degrees 1, 10, 10, 10, 11, 16, 16, 44, 45, 55): every irrep is
/// built from a module on at most 440 points and validated on every (element, generator)
/// pair.
#[test]
fn m11_irreps_are_built_and_validated() {
    let g = m11();
    assert_eq!(FiniteGroup::order(&g), 7920);
    let (_, table, built) = complete_irreps(&g, 500);
    assert_eq!(table.degrees(), [1, 10, 10, 10, 11, 16, 16, 44, 45, 55]);
    for irrep in built.built() {
        let v = irrep.validation();
        assert!(v.exhaustive && v.pairs_checked == 2 * 7920, "{v:?}");
        assert_eq!(irrep.fs_type(), table.fs_types()[irrep.row()]);
    }
}

/// The validator rejects corrupted images of M11's irreps with a typed error naming the
/// irrep: a non-unitary image, a unitary image that breaks the homomorphism law, and the
/// images of one irrep offered for another of the same degree (a homomorphism with the
/// wrong character).
#[test]
fn corrupted_images_fail_validation() {
    let g = m11();
    let (classes, table, built) = complete_irreps(&g, 500);
    let chars = table.complex_values();
    let sixteen: Vec<_> = built.built().filter(|r| r.dim() == 16).collect();
    let (a, b) = (sixteen[0], sixteen[1]);
    let tree = Arc::clone(built.tree());
    let check = |images: Vec<DMatrix<Complex64>>| {
        GeneratorImages::new(Arc::clone(&tree), images)
            .unwrap()
            .validate(&g, &classes, &chars[a.row()], a.row())
    };
    assert!(check(a.images().images().to_vec()).is_ok());
    let failed_check = |r: gm_algebra::Result<_>| match r {
        Err(Error::IrrepValidation {
            irrep,
            degree,
            check,
            residual,
            ..
        }) => {
            assert_eq!((irrep, degree), (a.row(), 16));
            assert!(residual > 1e-3, "{check}: {residual}");
            check
        }
        other => panic!("expected a validation error, got {other:?}"),
    };
    let mut scaled = a.images().images().to_vec();
    scaled[0] *= Complex64::new(1.01, 0.0);
    assert!(failed_check(check(scaled)).contains("unitary"));
    // Conjugate one image by a unitary: still unitary, no longer a homomorphism.
    let mut twisted = a.images().images().to_vec();
    let h = DMatrix::<Complex64>::from_fn(16, 16, |i, j| {
        Complex64::new(((i * 7 + j * 3) % 5) as f64, ((i + 2 * j) % 3) as f64)
    });
    let h = &h + h.adjoint();
    let u = (h.map(|z| z * Complex64::new(0.0, 0.1))).exp();
    twisted[1] = &u * &twisted[1] * u.adjoint();
    assert!(failed_check(check(twisted)).contains('ρ'));
    assert!(failed_check(check(b.images().images().to_vec())).contains("character"));
}

/// M12 (ATLAS: order 95,040, 15 irreps of degrees 1 … 176): every irrep built and validated
/// (sampled pairs above `EXHAUSTIVE_CHECK_LIMIT`).
#[test]
fn m12_irreps_are_built_and_validated() {
    let g = PermutationGroup::from_spec(
        "perm:(1,2,3,4,5,6,7,8,9,10,11);(3,7,11,8)(4,10,5,6);(1,12)(2,11)(3,6)(4,8)(5,9)(7,10)",
    )
    .unwrap();
    let (_, table, built) = complete_irreps(&g, 2000);
    assert_eq!(
        table.degrees(),
        [1, 11, 11, 16, 16, 45, 54, 55, 55, 55, 66, 99, 120, 144, 176]
    );
    for irrep in built.built() {
        // n·|S|·d² = 95,040 · 3 · d² is within the exhaustive limit exactly for d ≤ 61.
        let exhaustive = 95_040 * 3 * irrep.dim() * irrep.dim() <= 1 << 30;
        assert_eq!(
            irrep.validation().exhaustive,
            exhaustive,
            "degree {}",
            irrep.dim()
        );
    }
}

/// A9 (ATLAS: order 181,440, 18 irreps): the point actions and the generic ones up to 2000
/// points miss six irreps (the complex pair of degree 21, the two 35s, 162 and 189), which
/// tensor products of built irreps give; all 18 are built and validated against the exact
/// table. The sampled homomorphism check (degree 216: `n·|S|·d²` is far above the exhaustive
/// limit) rejects the images with one of them conjugated by a coordinate swap.
#[test]
fn a9_irreps_are_built_and_validated() {
    let a9 = Alternating::new(9).unwrap();
    let classes = ConjugacyClasses::compute(&a9);
    let table = CharacterTable::compute(&a9, &classes).unwrap();
    assert_eq!(
        table.degrees(),
        [1, 8, 21, 21, 27, 28, 35, 35, 42, 48, 56, 84, 105, 120, 162, 168, 189, 216]
    );
    let actions = permutation_actions(&a9, &classes, 2000);
    let points_only =
        ModuleIrreps::build_with_tensor_limit(&a9, &classes, &table, &actions, 0).unwrap();
    assert_eq!(points_only.built().count(), 12);
    let built = ModuleIrreps::build(&a9, &classes, &table, &actions).unwrap();
    let failures: Vec<_> = built.failures().collect();
    assert!(failures.is_empty(), "{failures:?}");
    let from_tensors: Vec<usize> = built
        .built()
        .filter(|r| r.source().0.contains('⊗'))
        .map(|r| r.dim())
        .collect();
    assert_eq!(from_tensors, [21, 21, 35, 35, 162, 189]);
    for irrep in built.built() {
        assert_eq!(irrep.fs_type(), table.fs_types()[irrep.row()]);
    }
    let largest = built.built().last().unwrap();
    assert!(largest.dim() == 216 && !largest.validation().exhaustive);
    let chars = table.complex_values();
    let check = |images: Vec<DMatrix<Complex64>>| {
        GeneratorImages::new(Arc::clone(built.tree()), images)
            .unwrap()
            .validate(&a9, &classes, &chars[largest.row()], largest.row())
    };
    assert!(check(largest.images().images().to_vec()).is_ok());
    let mut twisted = largest.images().images().to_vec();
    twisted[1].swap_rows(0, 1);
    twisted[1].swap_columns(0, 1);
    match check(twisted) {
        Err(Error::IrrepValidation {
            degree,
            check,
            residual,
            ..
        }) => assert!(
            degree == 216 && check.contains('ρ') && residual > 1e-3,
            "{check}: {residual}"
        ),
        other => panic!("expected a failed homomorphism check, got {other:?}"),
    }
}
