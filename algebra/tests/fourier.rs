//! Laws of representations and the group Fourier transform (docs/theory/fourier.md).

use gm_algebra::fourier::{
    character_table, fs_indicator, irreps, numerical_irreps, plan, real_irreps,
    real_orthogonal_form, unitary_fourier_matrix, FourierGm, FourierTransform, FsType, Irreps,
    NaiveFourier, Representation,
};
use gm_algebra::group::strategy::small_group;
use gm_algebra::group::{AnyGroup, ConjugacyClasses, Cyclic, Dihedral, PermutationGroup};
use gm_algebra::{Error, FiniteGroup};
use nalgebra::DMatrix;
use num_complex::Complex64;
use proptest::prelude::*;
use std::f64::consts::TAU;
use std::sync::Arc;

type C = Complex64;

/// Non-abelian, non-dihedral test groups given only by permutation generators, plus a
/// dihedral and an abelian one in a scrambled layout.
fn perm_groups() -> Vec<AnyGroup> {
    [
        ("(1,2);(1,2,3,4)", 24),
        ("(1,2,3);(2,3,4)", 12),
        ("(1,2,3);(1,2,3,4,5)", 60),
        ("(1,2,5,6)(3,8,7,4);(1,3,5,7)(2,4,6,8)", 8),
        ("(1,2,3,4,5);(2,5)(3,4)", 10),
        ("(1,2);(3,4,5,6)", 8),
        ("(1,2);(1,2,3);(4,5,6)", 18),
    ]
    .iter()
    .map(|&(spec, order)| {
        let g = PermutationGroup::from_spec(spec).unwrap();
        assert_eq!(g.order(), order, "{spec}");
        AnyGroup::new(g)
    })
    .collect()
}

/// The conjugacy classes as member lists.
fn classes(g: &dyn FiniteGroup) -> Vec<Vec<usize>> {
    let cl = ConjugacyClasses::compute(g);
    (0..cl.count()).map(|c| cl.members(c).to_vec()).collect()
}

fn all_test_groups() -> Vec<AnyGroup> {
    let mut gs = perm_groups();
    for n in [1, 2, 5, 12] {
        gs.push(AnyGroup::cached(Cyclic::new(n).unwrap()));
    }
    for m in [1, 2, 3, 4, 7] {
        gs.push(AnyGroup::cached(Dihedral::new(m).unwrap()));
    }
    gs
}

fn max_diff(a: &[C], b: &[C]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}

fn cvec(v: &[f64]) -> Vec<C> {
    v.iter().map(|&x| C::new(x, 0.0)).collect()
}

fn irreps_of(g: &AnyGroup) -> Arc<Irreps> {
    irreps(g).expect("irreps")
}

#[test]
fn naive_matches_textbook_dft() {
    for n in 1..=24 {
        let z = Cyclic::new(n).unwrap();
        let naive = NaiveFourier::new(irreps(&z).unwrap());
        let f: Vec<C> = (0..n)
            .map(|k| C::new((k as f64).sin(), (k * k) as f64 / 7.0))
            .collect();
        let hat = naive.forward(&f).unwrap();
        let textbook: Vec<C> = (0..n)
            .map(|k| {
                (0..n)
                    .map(|j| f[j] * C::from_polar(1.0, TAU * (j * k) as f64 / n as f64))
                    .sum()
            })
            .collect();
        assert!(max_diff(&hat, &textbook) < 1e-10 * n as f64, "Z_{n}");
    }
}

#[test]
fn degrees_square_sum_and_class_count() {
    for g in all_test_groups() {
        let irr = irreps_of(&g);
        assert_eq!(
            irr.dims().iter().map(|d| d * d).sum::<usize>(),
            g.order(),
            "{g:?}"
        );
        assert_eq!(irr.len(), classes(&g).len(), "{g:?}");
    }
}

#[test]
fn irreps_are_unitary_homomorphisms() {
    for g in all_test_groups() {
        let irr = irreps_of(&g);
        let n = g.order();
        for r in irr.irreps() {
            let rep = r.rep();
            let id = DMatrix::<C>::identity(r.dim(), r.dim());
            for a in 0..n {
                let m = rep.matrix(a);
                assert!((m * m.adjoint() - &id).norm() < 1e-10, "{g:?} unitarity");
                for b in 0..n {
                    let err = (m * rep.matrix(b) - rep.matrix(g.mul_idx(a, b))).norm();
                    assert!(err < 1e-10, "{g:?} homomorphism error {err:e}");
                }
            }
        }
    }
}

#[test]
fn schur_orthogonality() {
    for g in all_test_groups() {
        let irr = irreps_of(&g);
        let n = g.order();
        for (p, rho) in irr.irreps().iter().enumerate() {
            for (q, sigma) in irr.irreps().iter().enumerate() {
                let (dr, ds) = (rho.dim(), sigma.dim());
                for i in 0..dr {
                    for j in 0..dr {
                        for k in 0..ds {
                            for l in 0..ds {
                                let s: C = (0..n)
                                    .map(|a| {
                                        rho.rep().matrix(a)[(i, j)]
                                            * sigma.rep().matrix(a)[(k, l)].conj()
                                    })
                                    .sum();
                                let want = if p == q && i == k && j == l {
                                    n as f64 / dr as f64
                                } else {
                                    0.0
                                };
                                assert!((s - want).norm() < 1e-9 * n as f64, "{g:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn character_table_orthogonality() {
    for g in all_test_groups() {
        let irr = irreps_of(&g);
        let cls = classes(&g);
        let t = character_table(&irr, &ConjugacyClasses::compute(&g));
        let n = g.order() as f64;
        let r = t.len();
        for a in 0..r {
            for b in 0..r {
                let row: C = cls
                    .iter()
                    .enumerate()
                    .map(|(c, k)| t[a][c] * t[b][c].conj() * k.len() as f64)
                    .sum();
                assert!(
                    (row - if a == b { n } else { 0.0 }).norm() < 1e-9 * n,
                    "{g:?} rows"
                );
                let col: C = (0..r).map(|p| t[p][a] * t[p][b].conj()).sum();
                let want = if a == b { n / cls[a].len() as f64 } else { 0.0 };
                assert!((col - want).norm() < 1e-9 * n, "{g:?} columns");
            }
        }
    }
}

#[test]
fn fs_indicator_matches_type_and_real_forms_are_orthogonal() {
    for g in all_test_groups() {
        let irr = irreps_of(&g);
        for r in irr.irreps() {
            let nu = fs_indicator(&g, &r.rep().character());
            assert!(
                (nu - r.fs_type().indicator() as f64).abs() < 1e-9,
                "{g:?}: ν = {nu}"
            );
            if let Some(real) = r.real_matrices() {
                let id = DMatrix::<f64>::identity(r.dim(), r.dim());
                for m in &real {
                    assert!((m * m.transpose() - &id).norm() < 1e-10);
                }
                assert!(r.rep().is_real(0.0));
            }
        }
    }
}

#[test]
fn real_form_of_a_scrambled_real_irrep() {
    // Conjugate a real irrep by a unitary (complex) change of basis, then recover a real form.
    for g in perm_groups() {
        let irr = irreps_of(&g);
        for r in irr
            .irreps()
            .iter()
            .filter(|r| r.fs_type() == FsType::Real && r.dim() > 1)
        {
            let d = r.dim();
            let x = DMatrix::<C>::from_fn(d, d, |i, j| {
                C::new((i + 2 * j) as f64 % 3.0 - 1.0, (i * j) as f64 % 2.0)
            });
            let u = x.qr().q();
            let mats: Vec<DMatrix<C>> = (0..g.order())
                .map(|a| u.adjoint() * r.rep().matrix(a) * &u)
                .collect();
            let rho = Representation::new(&g, mats).unwrap();
            assert!(!rho.is_real(1e-6));
            let (sigma, v) = real_orthogonal_form(&g, &rho).unwrap();
            assert!(sigma.is_real(0.0));
            for a in 0..g.order() {
                let back = v.adjoint() * rho.matrix(a) * &v;
                assert!((back - sigma.matrix(a)).norm() < 1e-9, "{g:?}");
            }
        }
        for r in irr.irreps().iter().filter(|r| r.fs_type() != FsType::Real) {
            assert!(matches!(
                real_orthogonal_form(&g, r.rep()),
                Err(Error::InvalidRepresentation { .. })
            ));
        }
    }
}

#[test]
fn numerical_construction_agrees_with_closed_forms() {
    let groups: Vec<AnyGroup> = vec![
        AnyGroup::cached(Dihedral::new(6).unwrap()),
        AnyGroup::cached(Dihedral::new(9).unwrap()),
        AnyGroup::cached(Cyclic::new(10).unwrap()),
    ];
    for g in groups {
        let cls = ConjugacyClasses::compute(&g);
        let closed = character_table(&irreps_of(&g), &cls);
        let num = numerical_irreps(&g).unwrap();
        let numerical = character_table(&num, &cls);
        for row in &numerical {
            assert!(closed.iter().any(|c| max_diff(c, row) < 1e-9), "{g:?}");
        }
        assert_eq!(closed.len(), numerical.len());
    }
}

#[test]
fn planned_transforms_equal_the_naive_one_up_to_order_200() {
    let mut groups: Vec<AnyGroup> = perm_groups();
    groups.extend((1..=200).map(|n| AnyGroup::cached(Cyclic::new(n).unwrap())));
    groups.extend((1..=100).map(|m| AnyGroup::cached(Dihedral::new(m).unwrap())));
    for (t, g) in groups.iter().enumerate() {
        let p = plan(g).unwrap();
        let naive = NaiveFourier::new(p.irreps());
        let n = g.order();
        let f: Vec<C> = (0..n)
            .map(|k| C::new(((k * 7 + t) % 13) as f64 - 6.0, ((k * 3) % 5) as f64))
            .collect();
        let tol = 1e-10 * n as f64;
        assert!(
            max_diff(&p.forward(&f).unwrap(), &naive.forward(&f).unwrap()) < tol,
            "{g:?} forward"
        );
        let hat = naive.forward(&f).unwrap();
        assert!(
            max_diff(&p.inverse(&hat).unwrap(), &naive.inverse(&hat).unwrap()) < tol,
            "{g:?} inverse"
        );
    }
}

#[test]
fn separable_transform_of_direct_products_equals_naive_and_gm_apply() {
    use gm_algebra::fourier::FourierPlanner;
    use gm_algebra::group::{Alternating, DirectProduct, Symmetric};
    let products = vec![
        DirectProduct::pair(Dihedral::new(3).unwrap(), Cyclic::new(4).unwrap()).unwrap(),
        DirectProduct::new(vec![perm_groups()[3].clone(), perm_groups()[3].clone()]).unwrap(),
        DirectProduct::new(vec![
            AnyGroup::cached(Symmetric::new(3).unwrap()),
            AnyGroup::cached(Cyclic::new(2).unwrap()),
            AnyGroup::cached(Alternating::new(4).unwrap()),
        ])
        .unwrap(),
    ];
    for g in products {
        let n = g.order();
        let p = FourierPlanner::global().plan_direct_product(&g).unwrap();
        assert_eq!(p.algorithm(), "separable");
        let irr = p.irreps();
        for r in irr.irreps() {
            for a in 0..n {
                for s in g.generator_indices() {
                    let err = (r.rep().matrix(a) * r.rep().matrix(s)
                        - r.rep().matrix(g.mul_idx(a, s)))
                    .norm();
                    assert!(err < 1e-10);
                }
            }
            let nu = fs_indicator(&g, &r.rep().character());
            assert!((nu - r.fs_type().indicator() as f64).abs() < 1e-9);
            if r.fs_type() == FsType::Real {
                assert!(r.rep().is_real(0.0));
            }
        }
        let naive = NaiveFourier::new(irr);
        let f: Vec<C> = (0..n)
            .map(|k| C::new((k as f64 * 0.37).sin(), (k % 3) as f64))
            .collect();
        let tol = 1e-10 * n as f64;
        let hat = naive.forward(&f).unwrap();
        assert!(max_diff(&p.forward(&f).unwrap(), &hat) < tol);
        assert!(max_diff(&p.inverse(&hat).unwrap(), &f) < tol);
        let x: Vec<C> = (0..n)
            .map(|k| C::new((k as f64 * 1.1).cos(), 0.0))
            .collect();
        let m = DMatrix::<C>::from_fn(n, n, |a, b| f[g.left_div_idx(a, b)]);
        let dense: Vec<C> = (&m * nalgebra::DVector::from_vec(x.clone()))
            .iter()
            .copied()
            .collect();
        assert!(max_diff(&FourierGm::new(p, &f).unwrap().apply(&x).unwrap(), &dense) < tol);
    }
}

#[test]
fn young_orthogonal_form_is_a_complete_set_of_real_orthogonal_irreps() {
    use gm_algebra::fourier::young_orthogonal_irreps;
    use gm_algebra::group::Symmetric;
    for n in 1..=5 {
        let s = Symmetric::new(n).unwrap();
        let g = AnyGroup::cached(s);
        let order = g.order();
        let yor = young_orthogonal_irreps(&s).unwrap();
        assert_eq!(yor.dims().iter().map(|d| d * d).sum::<usize>(), order);
        for r in yor.irreps() {
            assert!(r.rep().is_real(0.0));
            let id = DMatrix::<C>::identity(r.dim(), r.dim());
            for a in 0..order {
                let m = r.rep().matrix(a);
                assert!((m * m.transpose() - &id).norm() < 1e-12);
                for b in 0..order {
                    assert!(
                        (m * r.rep().matrix(b) - r.rep().matrix(g.mul_idx(a, b))).norm() < 1e-10
                    );
                }
            }
        }
        // Same characters as the planner's irreps (a complete set), hence irreducible and
        // pairwise inequivalent.
        let cls = ConjugacyClasses::compute(&g);
        let ours = character_table(&yor, &cls);
        let reference = character_table(&numerical_irreps(&g).unwrap(), &cls);
        assert_eq!(ours.len(), reference.len());
        for row in &ours {
            assert_eq!(
                reference.iter().filter(|c| max_diff(c, row) < 1e-9).count(),
                1,
                "S_{n}"
            );
        }
    }
    assert!(matches!(
        young_orthogonal_irreps(&Symmetric::new(7).unwrap()),
        Err(Error::TooLarge { .. })
    ));
}

/// Checks that `irr` is a complete set of unitary irreps of `g` in the crate's conventions:
/// `Σ d² = n`, one irrep per class, homomorphisms on elements × generators, Schur orthogonality
/// (the matrix `Φ[(ρ,i,j), g] = √(d_ρ/n) ρ(g)_ij` is unitary), each stored type equal to its
/// Frobenius–Schur indicator with real-type irreps stored real, and the same character table as
/// the numerical construction up to row order.
fn assert_complete_irreps(g: &AnyGroup, irr: &Irreps) {
    let n = g.order();
    assert_eq!(irr.dims().iter().map(|d| d * d).sum::<usize>(), n, "{g:?}");
    let cls = ConjugacyClasses::compute(g);
    assert_eq!(irr.len(), cls.count(), "{g:?}");
    let gens = g.generator_indices();
    for r in irr.irreps() {
        let (rep, d) = (r.rep(), r.dim());
        let id = DMatrix::<C>::identity(d, d);
        for a in 0..n {
            let m = rep.matrix(a);
            assert!((m * m.adjoint() - &id).norm() < 1e-10, "{g:?} unitarity");
            for &s in &gens {
                let err = (m * rep.matrix(s) - rep.matrix(g.mul_idx(a, s))).norm();
                assert!(err < 1e-10, "{g:?} homomorphism error {err:e}");
            }
        }
        let nu = fs_indicator(g, &rep.character());
        assert!((nu - r.fs_type().indicator() as f64).abs() < 1e-9, "{g:?}");
        if r.fs_type() == FsType::Real {
            assert!(rep.is_real(0.0), "{g:?}: real type stored complex");
        }
    }
    let phi = unitary_fourier_matrix(irr).unwrap();
    let err = (&phi * phi.adjoint() - DMatrix::<C>::identity(n, n)).norm();
    assert!(
        err < 1e-9 * n as f64,
        "{g:?} Schur orthogonality error {err:e}"
    );
    let ours = character_table(irr, &cls);
    let reference = character_table(&numerical_irreps(g).unwrap(), &cls);
    for row in &ours {
        assert_eq!(
            reference.iter().filter(|c| max_diff(c, row) < 1e-8).count(),
            1,
            "{g:?}"
        );
    }
}

#[test]
fn induced_irreps_of_p4_and_p4m_are_complete_and_match_the_numerical_ones() {
    use gm_algebra::fourier::induced_irreps;
    use gm_algebra::group::Wallpaper;
    for big_n in 1..=6 {
        for w in [
            Wallpaper::p4(big_n).unwrap(),
            Wallpaper::p4m(big_n).unwrap(),
        ] {
            let irr = induced_irreps(&w).unwrap();
            assert!(irr
                .get(0)
                .rep()
                .character()
                .iter()
                .all(|z| (z - 1.0).norm() < 1e-12));
            assert_complete_irreps(&AnyGroup::new(w), &irr);
        }
    }
}

#[test]
fn induced_irreps_and_induced_fft_of_p4_32_are_fast_and_agree_with_naive() {
    use gm_algebra::fourier::{induced_irreps, InducedFft};
    use gm_algebra::group::Wallpaper;
    for w in [Wallpaper::p4(32).unwrap(), Wallpaper::p4m(16).unwrap()] {
        let start = std::time::Instant::now();
        let irr = Arc::new(induced_irreps(&w).unwrap());
        let took = start.elapsed();
        let n = w.order();
        assert_eq!(irr.dims().iter().map(|d| d * d).sum::<usize>(), n);
        let g = AnyGroup::new(w);
        assert_eq!(irr.len(), ConjugacyClasses::compute(&g).count());
        let plan = InducedFft::new(w);
        let f: Vec<C> = (0..n)
            .map(|k| C::new((k as f64 * 0.37).sin(), (k % 7) as f64 - 3.0))
            .collect();
        let start = std::time::Instant::now();
        let hat = plan.forward(&f).unwrap();
        let back = plan.inverse(&hat).unwrap();
        let fft_took = start.elapsed();
        eprintln!(
            "{}: {} induced irreps in {took:?}; InducedFft forward + inverse {fft_took:?}",
            w.name(),
            irr.len()
        );
        let tol = 1e-10 * n as f64;
        assert!(max_diff(&hat, &NaiveFourier::new(irr).forward(&f).unwrap()) < tol);
        assert!(max_diff(&back, &f) < tol);
    }
}

#[test]
fn planner_sees_families_through_type_erasure() {
    use gm_algebra::fourier::{FourierPlanner, IrrepConstruction, PlanKind};
    use gm_algebra::group::parse_group;
    let cases = [
        ("C4xD3", PlanKind::Separable),
        ("S4", PlanKind::ChainFft),
        ("S5", PlanKind::ChainFft),
        ("D5", PlanKind::DihedralFft),
        ("p4(3)", PlanKind::InducedFft),
        ("p4m(2)", PlanKind::InducedFft),
        ("p4(8)", PlanKind::InducedFft),
        ("p4m(5)", PlanKind::InducedFft),
        ("p4m(1)", PlanKind::InducedFft),
        ("C3xC4", PlanKind::AbelianFft),
        ("S3xp4(2)xC2", PlanKind::Separable),
        ("A4", PlanKind::Dense(IrrepConstruction::Numerical)),
        (
            "perm:(1,2,3);(1,2,3,4,5)",
            PlanKind::Dense(IrrepConstruction::Numerical),
        ),
    ];
    let planner = FourierPlanner::new();
    for (t, (spec, kind)) in cases.into_iter().enumerate() {
        let g = parse_group(spec).unwrap();
        let p = planner.plan(&g).unwrap();
        assert_eq!(p.kind(), kind, "{spec}");
        let irr = planner.irreps(&g).unwrap();
        assert_eq!(irr.layout(), p.layout(), "{spec}");
        let naive = NaiveFourier::new(p.irreps());
        let n = g.order();
        let f: Vec<C> = (0..n)
            .map(|k| C::new(((k * 7 + t) % 13) as f64 - 6.0, ((k * 3) % 5) as f64))
            .collect();
        let tol = 1e-10 * n as f64;
        let hat = naive.forward(&f).unwrap();
        assert!(
            max_diff(&p.forward(&f).unwrap(), &hat) < tol,
            "{spec} forward"
        );
        assert!(
            max_diff(&p.inverse(&hat).unwrap(), &f) < tol,
            "{spec} inverse"
        );
    }
}

/// Checks `Φ Φ* = I` and that `Φ M_f Φ*`, multiplied out densely, is block diagonal with
/// exactly the blocks of `FourierGm::block_diagonal` (the oracle is the dense product).
fn assert_block_diagonalises(g: &AnyGroup, f: &[C]) -> Result<(), TestCaseError> {
    let n = g.order();
    let tol = 1e-9 * n as f64;
    let gm = FourierGm::new(plan(g).unwrap(), f).unwrap();
    let phi = unitary_fourier_matrix(&gm.plan().irreps()).unwrap();
    let unitarity = (&phi * phi.adjoint() - DMatrix::<C>::identity(n, n)).norm();
    prop_assert!(unitarity < tol, "{:?}: ΦΦ* − I = {:e}", g, unitarity);
    let m = DMatrix::<C>::from_fn(n, n, |a, b| f[g.left_div_idx(a, b)]);
    let mut rest = &phi * &m * phi.adjoint();
    let blocks = gm.block_diagonal();
    let layout = gm.plan().layout();
    prop_assert_eq!(blocks.len(), layout.dims().len());
    for (k, block) in blocks.iter().enumerate() {
        let (off, d2) = (layout.offset(k), layout.dims()[k].pow(2));
        prop_assert_eq!(block.shape(), (d2, d2));
        let err = (rest.view((off, off), (d2, d2)) - block).norm();
        prop_assert!(err < tol, "{:?}: block {} differs by {:e}", g, k, err);
        rest.view_mut((off, off), (d2, d2)).fill(C::default());
    }
    prop_assert!(
        rest.norm() < tol,
        "{:?}: off-block mass {:e}",
        g,
        rest.norm()
    );
    Ok(())
}

#[test]
fn gm_block_diagonalisation_matches_the_dense_matrix() {
    // Φ M_f Φ* = ⊕_ρ I_d ⊗ B_ρᵀ with B_ρ = f̃̂(ρ), Φ[(ρ,i,j), g] = √(d/n) ρ(g)_ij.
    for g in all_test_groups() {
        let f: Vec<C> = (0..g.order())
            .map(|k| C::new((k as f64 * 1.3).sin(), (k as f64 * 0.7).cos()))
            .collect();
        assert_block_diagonalises(&g, &f).unwrap();
    }
}

#[test]
fn wrong_lengths_are_typed_errors() {
    let g = AnyGroup::cached(Dihedral::new(4).unwrap());
    let p = plan(&g).unwrap();
    let short = vec![C::default(); 7];
    assert!(matches!(
        p.forward(&short),
        Err(Error::ShapeMismatch {
            expected: 8,
            got: 7,
            ..
        })
    ));
    assert!(matches!(
        p.inverse(&short),
        Err(Error::ShapeMismatch {
            expected: 8,
            got: 7,
            ..
        })
    ));
    let gm = FourierGm::new(Arc::clone(&p), &[C::new(1.0, 0.0); 8]).unwrap();
    assert!(matches!(gm.apply(&short), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(
        FourierGm::new(p, &short),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn non_homomorphism_is_a_typed_error_naming_the_elements() {
    let d3 = Dihedral::new(3).unwrap();
    let one = |x: f64| DMatrix::from_element(1, 1, C::new(x, 0.0));
    // χ(r) = −1 violates r³ = e.
    let mats = vec![one(1.0), one(-1.0), one(1.0), one(1.0), one(1.0), one(1.0)];
    match Representation::new(&d3, mats) {
        Err(Error::InvalidRepresentation { reason }) => {
            assert!(reason.contains("homomorphism"), "{reason}")
        }
        other => panic!("expected InvalidRepresentation, got {other:?}"),
    }
}

#[test]
fn non_unitary_is_a_typed_error_naming_the_element() {
    let z2 = Cyclic::new(2).unwrap();
    let mats = vec![
        DMatrix::<C>::identity(2, 2),
        DMatrix::from_row_slice(
            2,
            2,
            &[
                C::new(1.0, 0.0),
                C::new(1.0, 0.0),
                C::new(0.0, 0.0),
                C::new(-1.0, 0.0),
            ],
        ),
    ];
    match Representation::new(&z2, mats) {
        Err(Error::InvalidRepresentation { reason }) => assert!(
            reason.contains("unitary") && reason.contains('r'),
            "{reason}"
        ),
        other => panic!("expected InvalidRepresentation, got {other:?}"),
    }
    let wrong = vec![DMatrix::<C>::identity(1, 1)];
    assert!(matches!(
        Representation::new(&z2, wrong),
        Err(Error::ShapeMismatch {
            expected: 2,
            got: 1,
            ..
        })
    ));
}

fn group_and_two_functions(max: usize) -> impl Strategy<Value = (AnyGroup, Vec<f64>, Vec<f64>)> {
    let perms = perm_groups();
    prop_oneof![
        3 => small_group(max),
        1 => (0..perms.len()).prop_map(move |i| perms[i].clone()),
    ]
    .prop_flat_map(|g| {
        let n = g.order();
        (
            Just(g),
            proptest::collection::vec(-1.0f64..1.0, n),
            proptest::collection::vec(-1.0f64..1.0, n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn unitary_fourier_matrix_block_diagonalises_every_gm((g, re, im) in group_and_two_functions(48)) {
        let f: Vec<C> = re.iter().zip(&im).map(|(&a, &b)| C::new(a, b)).collect();
        assert_block_diagonalises(&g, &f)?;
    }

    #[test]
    fn representation_laws_for_every_family(g in small_group(60)) {
        let irr = irreps_of(&g);
        let n = g.order();
        let tol = 1e-9 * n as f64;
        prop_assert_eq!(irr.dims().iter().map(|d| d * d).sum::<usize>(), n);
        let cls = classes(&g);
        prop_assert_eq!(irr.len(), cls.len());
        for r in irr.irreps() {
            let rep = r.rep();
            let id = DMatrix::<C>::identity(r.dim(), r.dim());
            for a in 0..n {
                let m = rep.matrix(a);
                prop_assert!((m * m.adjoint() - &id).norm() < 1e-10);
                for s in g.generator_indices() {
                    prop_assert!((m * rep.matrix(s) - rep.matrix(g.mul_idx(a, s))).norm() < 1e-10);
                }
            }
            let nu = fs_indicator(&g, &rep.character());
            prop_assert!((nu - r.fs_type().indicator() as f64).abs() < 1e-9);
            prop_assert_eq!(r.real_matrices().is_some(), r.fs_type() == FsType::Real);
            if r.fs_type() == FsType::Real {
                prop_assert!(rep.is_real(0.0));
            }
        }
        // Schur orthogonality of characters (rows of the table).
        let t = character_table(&irr, &ConjugacyClasses::compute(&g));
        for a in 0..t.len() {
            for b in 0..t.len() {
                let s: C = cls.iter().enumerate().map(|(c, k)| t[a][c] * t[b][c].conj() * k.len() as f64).sum();
                let want = if a == b { n as f64 } else { 0.0 };
                prop_assert!((s - want).norm() < tol);
            }
        }
    }

    #[test]
    fn planned_equals_naive_for_every_family_up_to_order_200(g in small_group(200)) {
        let p = plan(&g).unwrap();
        let naive = NaiveFourier::new(p.irreps());
        let n = g.order();
        let f: Vec<C> = (0..n).map(|k| C::new(((k * 7) % 13) as f64 - 6.0, ((k * 3) % 5) as f64)).collect();
        let tol = 1e-10 * n as f64;
        let hat = naive.forward(&f).unwrap();
        prop_assert!(max_diff(&p.forward(&f).unwrap(), &hat) < tol);
        prop_assert!(max_diff(&p.inverse(&hat).unwrap(), &naive.inverse(&hat).unwrap()) < tol);
        prop_assert_eq!(p.irreps().dims().iter().map(|d| d * d).sum::<usize>(), n);
    }

    #[test]
    fn plancherel_inversion_and_convolution((g, f, h) in group_and_two_functions(60)) {
        let n = g.order();
        let p = plan(&g).unwrap();
        let layout = p.layout().clone();
        let (fc, hc) = (cvec(&f), cvec(&h));
        let fh = p.forward(&fc).unwrap();
        let hh = p.forward(&hc).unwrap();
        let tol = 1e-9 * n as f64;
        // inversion
        prop_assert!(max_diff(&p.inverse(&fh).unwrap(), &fc) < tol);
        // Plancherel
        let lhs: f64 = f.iter().map(|x| x * x).sum();
        let rhs: f64 = layout.dims().iter().enumerate().map(|(k, &d)| {
            d as f64 * fh[layout.offset(k)..][..d * d].iter().map(|z| z.norm_sqr()).sum::<f64>()
        }).sum::<f64>() / n as f64;
        prop_assert!((lhs - rhs).abs() < tol);
        // convolution theorem: (f∗h)^ = f̂ ĥ with (f∗h)(g) = Σ_k f(k) h(k⁻¹g)
        let conv: Vec<C> = (0..n).map(|x| (0..n).map(|k| fc[k] * hc[g.left_div_idx(k, x)]).sum()).collect();
        let ch = p.forward(&conv).unwrap();
        for (k, &d) in layout.dims().iter().enumerate() {
            let o = layout.offset(k);
            for i in 0..d { for j in 0..d {
                let want: C = (0..d).map(|l| fh[o + i * d + l] * hh[o + l * d + j]).sum();
                prop_assert!((ch[o + i * d + j] - want).norm() < tol);
            }}
        }
    }

    #[test]
    fn real_irreps_invert_and_diagonalise_convolution((g, f, h) in group_and_two_functions(60)) {
        let n = g.order();
        let tol = 1e-9 * n as f64;
        let irr = irreps_of(&g);
        let real = real_irreps(&irr).unwrap();
        // One real irrep per real-type irrep and quaternionic irrep, one per complex pair.
        let count = |t| irr.fs_types().iter().filter(|&&x| x == t).count();
        prop_assert_eq!(real.len(), count(FsType::Real) + count(FsType::Quaternionic) + count(FsType::Complex) / 2);
        // δ_e recovered: Σ_R c_R·D_R = 1.
        prop_assert!((real.iter().map(|r| r.weight() * r.dim() as f64).sum::<f64>() - 1.0).abs() < 1e-12);
        let transform = |v: &[f64]| -> Vec<DMatrix<f64>> {
            real.iter().map(|r| (0..n).map(|a| r.matrix(a) * v[a]).sum()).collect()
        };
        let (fh, hh) = (transform(&f), transform(&h));
        for r in &real {
            let id = DMatrix::<f64>::identity(r.dim(), r.dim());
            for a in 0..n {
                prop_assert!((r.matrix(a) * r.matrix(a).transpose() - &id).norm() < 1e-10);
                for s in g.generator_indices() {
                    prop_assert!((r.matrix(a) * r.matrix(s) - r.matrix(g.mul_idx(a, s))).norm() < 1e-10);
                }
            }
        }
        // Inversion f(g) = Σ_R c_R tr(R(g)ᵀ f̂(R)).
        for (a, value) in f.iter().enumerate() {
            let back: f64 = real.iter().zip(&fh).map(|(r, m)| r.weight() * r.matrix(a).component_mul(m).sum()).sum();
            prop_assert!((back - value).abs() < tol);
        }
        // Convolution theorem in real arithmetic.
        let conv: Vec<f64> = (0..n).map(|x| (0..n).map(|k| f[k] * h[g.left_div_idx(k, x)]).sum()).collect();
        for ((c, a), b) in transform(&conv).iter().zip(&fh).zip(&hh) {
            prop_assert!((c - a * b).norm() < tol);
        }
    }

    #[test]
    fn fourier_gm_agrees_with_group_matrix((g, f, x) in group_and_two_functions(60)) {
        use gm_algebra::matrix::GroupMatrix;
        let n = g.order();
        let tol = 1e-9 * n as f64;
        let m = GroupMatrix::dense(g.clone(), f.clone()).unwrap();
        let fm = FourierGm::from_group_matrix(&m).unwrap();
        let y = m.apply(&x);
        prop_assert!(max_diff(&fm.apply(&cvec(&x)).unwrap(), &cvec(&y)) < tol);
        let h = GroupMatrix::dense(g.clone(), x.clone()).unwrap();
        let prod = m.product(&h).unwrap();
        let fprod = fm.product(&FourierGm::from_group_matrix(&h).unwrap()).unwrap();
        prop_assert!(max_diff(&fprod.kernel(), &cvec(&prod.kernel().to_vec())) < tol);
    }

    #[test]
    fn gm_arithmetic_through_the_transform_equals_dense((g, f, x) in group_and_two_functions(60)) {
        let n = g.order();
        let tol = 1e-9 * n as f64;
        let (fc, xc) = (cvec(&f), cvec(&x));
        let m = DMatrix::<C>::from_fn(n, n, |a, b| fc[g.left_div_idx(a, b)]);
        let gm = FourierGm::new(plan(&g).unwrap(), &fc).unwrap();
        let y = gm.apply(&xc).unwrap();
        let dense: Vec<C> = (&m * nalgebra::DVector::from_vec(xc.clone())).iter().copied().collect();
        prop_assert!(max_diff(&y, &dense) < tol);
        prop_assert!(max_diff(&gm.kernel(), &fc) < tol);
        // product: M_f M_x
        let gx = FourierGm::new(plan(&g).unwrap(), &xc).unwrap();
        let mx = DMatrix::<C>::from_fn(n, n, |a, b| xc[g.left_div_idx(a, b)]);
        let prod = gm.product(&gx).unwrap();
        let mp = &m * &mx;
        let pk: Vec<C> = (0..n).map(|b| mp[(0, b)]).collect();
        prop_assert!(max_diff(&prod.kernel(), &pk) < tol);
        // trace of the spectrum = n f(e)
        let tr: C = gm.spectrum().iter().sum();
        prop_assert!((tr - fc[0] * n as f64).norm() < tol);
        // solve / inverse on a strictly diagonally dominant kernel: every row of M_d holds
        // each value of d once, d(e) on the diagonal, so d(e) > Σ_{g≠e} |d(g)| + 1 makes M_d
        // invertible with ‖M_d⁻¹‖ ≤ 1 (Lévy–Desplanques).
        let mut dc = fc.clone();
        let s: f64 = fc.iter().map(|z| z.norm()).sum();
        dc[0] += C::new(s + 1.0, 0.0);
        let gd = FourierGm::new(plan(&g).unwrap(), &dc).unwrap();
        let md = DMatrix::<C>::from_fn(n, n, |a, b| dc[g.left_div_idx(a, b)]);
        let rhs: Vec<C> = (&md * nalgebra::DVector::from_vec(xc.clone())).iter().copied().collect();
        let scale = 1.0 + 2.0 * s;
        prop_assert!(max_diff(&gd.solve(&rhs).unwrap(), &xc) < tol * scale);
        let delta: Vec<C> = (0..n).map(|k| C::new(f64::from(u8::from(k == 0)), 0.0)).collect();
        let inv = gd.inverse().unwrap();
        prop_assert!(max_diff(&inv.product(&gd).unwrap().kernel(), &delta) < tol * scale);
        prop_assert!(max_diff(&gd.product(&inv).unwrap().kernel(), &delta) < tol * scale);
    }
}

/// Every length from 1 to 72 (each parity; for even `n = 2h` the edge cases `h = 1`, `h = 2`, a
/// middle frequency for even `h`, and one, several and partly filled blocks of eight pairs),
/// against the dense GM on a deterministic kernel and signal.
#[test]
fn real_cyclic_gm_equals_the_dense_product_at_every_small_length() {
    use gm_algebra::fourier::RealCyclicGm;
    use gm_algebra::matrix::GroupMatrix;
    for n in 1..=72usize {
        let kernel: Vec<f64> = (0..n)
            .map(|i| ((i * 37 + 11) % 19) as f64 / 9.5 - 1.0)
            .collect();
        let x: Vec<f64> = (0..n)
            .map(|i| ((i * 53 + 5) % 23) as f64 / 11.5 - 1.0)
            .collect();
        let z = Cyclic::new(n).unwrap();
        let y = RealCyclicGm::new(&z, &kernel).unwrap().apply(&x).unwrap();
        let dense = GroupMatrix::dense(z, kernel).unwrap().apply(&x);
        let err = max_diff(&cvec(&y), &cvec(&dense));
        assert!(err < 1e-12, "n = {n}: {err}");
    }
}

proptest! {
    /// The real-to-complex GM apply on `Z_n` equals the dense GM product and the complex
    /// Fourier path, for every length (odd, even, prime, powers of two).
    #[test]
    fn real_cyclic_gm_equals_the_dense_product_and_the_complex_path(
        (n, kernel, x) in (1usize..300).prop_flat_map(|n| (
            Just(n),
            proptest::collection::vec(-1.0f64..1.0, n),
            proptest::collection::vec(-1.0f64..1.0, n),
        ))
    ) {
        use gm_algebra::fourier::RealCyclicGm;
        use gm_algebra::matrix::GroupMatrix;
        let z = Cyclic::new(n).unwrap();
        let y = RealCyclicGm::new(&z, &kernel).unwrap().apply(&x).unwrap();
        let dense = GroupMatrix::dense(z, kernel.clone()).unwrap().apply(&x);
        let complex_kernel: Vec<Complex64> = kernel.iter().map(|&v| Complex64::new(v, 0.0)).collect();
        let xc: Vec<Complex64> = x.iter().map(|&v| Complex64::new(v, 0.0)).collect();
        let complex = FourierGm::new(gm_algebra::fourier::plan(&z).unwrap(), &complex_kernel)
            .unwrap()
            .apply(&xc)
            .unwrap();
        for ((a, b), c) in y.iter().zip(&dense).zip(&complex) {
            prop_assert!((a - b).abs() < 1e-10 && (a - c.re).abs() < 1e-10);
        }
        let short = RealCyclicGm::new(&z, &kernel).unwrap().apply(&x[1..]);
        let refused = matches!(short, Err(Error::ShapeMismatch { .. }));
        prop_assert!(refused);
    }
}
