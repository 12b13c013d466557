//! Property tests of group matrices: the facts of the group-matrix section of the theory
//! (`docs/theory/matrices.md`) on random small groups and random kernels, the chain of trust
//! of the fast product, and typed errors on bad input.

use gm_algebra::group::strategy::{real_vector, small_group};
use gm_algebra::group::{AnyGroup, Cyclic, Dihedral, DirectProduct, DoubleCosets, Subgroup};
use gm_algebra::matrix::{
    commutes_with_generators, distance_to_gm, equivariance_error, left_regular, GatherTable,
    GroupMatrix, Kernel, QuotientGroupMatrix,
};
use gm_algebra::space::{HomogeneousSpace, Pooling};
use gm_algebra::{Error, FiniteGroup};
use nalgebra::DMatrix;
use proptest::prelude::*;

/// `G × H`, indexed `(a, b) ↦ a·|H| + b`.
fn product(g: AnyGroup, h: AnyGroup) -> AnyGroup {
    AnyGroup::cached(DirectProduct::new(vec![g, h]).unwrap())
}

/// Random groups of order ≤ 60: every family of the strategy, plus direct products of two.
fn any_group() -> impl Strategy<Value = AnyGroup> {
    prop_oneof![
        3 => small_group(60),
        1 => (small_group(8), small_group(7)).prop_map(|(g, h)| product(g, h)),
    ]
}

/// A random sparse kernel on a group of order `n` (repeated indices allowed).
fn sparse_terms(n: usize) -> impl Strategy<Value = Vec<(usize, f64)>> {
    proptest::collection::vec((0..n, -1.0f64..1.0), 0..=n.min(8))
}

/// A group with two random dense kernels and a random vector.
fn group_ffx() -> impl Strategy<Value = (AnyGroup, Vec<f64>, Vec<f64>, Vec<f64>)> {
    any_group().prop_flat_map(|g| {
        let n = g.order();
        (Just(g), real_vector(n), real_vector(n), real_vector(n))
    })
}

/// A group with a random dense kernel and a random sparse kernel.
fn group_dense_sparse() -> impl Strategy<Value = (AnyGroup, Vec<f64>, Vec<(usize, f64)>)> {
    any_group().prop_flat_map(|g| {
        let n = g.order();
        (Just(g), real_vector(n), sparse_terms(n))
    })
}

/// A group with a random `n × n` matrix (entries in [−1, 1]) and a random dense kernel.
fn group_matrix_kernel() -> impl Strategy<Value = (AnyGroup, DMatrix<f64>, Vec<f64>)> {
    small_group(40).prop_flat_map(|g| {
        let n = g.order();
        (Just(g), real_vector(n * n), real_vector(n))
            .prop_map(move |(g, m, f)| (g, DMatrix::from_vec(n, n, m), f))
    })
}

/// Tolerance for sums of `n` products of numbers of size ≤ 1.
fn tol(n: usize) -> f64 {
    1e-12 * (n * n) as f64 + 1e-12
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

fn gm(g: &AnyGroup, f: Vec<f64>) -> GroupMatrix {
    GroupMatrix::dense(g.clone(), f).unwrap()
}

/// `(f∗h)(g) = Σ_k f(k) h(k⁻¹g)`, straight from the definition.
fn naive_convolution(g: &AnyGroup, f: &[f64], h: &[f64]) -> Vec<f64> {
    let n = g.order();
    (0..n)
        .map(|x| (0..n).map(|k| f[k] * h[g.left_div_idx(k, x)]).sum())
        .collect()
}

fn cases() -> ProptestConfig {
    ProptestConfig::with_cases(256)
}

proptest! {
    #![proptest_config(cases())]

    /// Fact 1: `M_f M_h = M_{f∗h}` (dense and sparse kernels).
    #[test]
    fn product_is_convolution((g, f, terms) in group_dense_sparse(), h in real_vector(60)) {
        let n = g.order();
        let h = h[..n].to_vec();
        let (mf, mh) = (gm(&g, f.clone()), gm(&g, h.clone()));
        let ms = GroupMatrix::sparse(g.clone(), terms.clone()).unwrap();
        // dense × dense against the matrix product and the defining sum
        let p = mf.product(&mh).unwrap();
        prop_assert!((p.to_dense() - mf.to_dense() * mh.to_dense()).amax() <= tol(n));
        prop_assert!(max_abs_diff(&p.kernel().to_vec(), &naive_convolution(&g, &f, &h)) <= tol(n));
        // sparse × sparse stays sparse, and sparse × dense
        let ss = ms.product(&ms).unwrap();
        prop_assert!(ss.kernel().is_sparse());
        let s = ms.kernel().to_vec();
        prop_assert!(max_abs_diff(&ss.kernel().to_vec(), &naive_convolution(&g, &s, &s)) <= tol(n));
        let sd = ms.product(&mf).unwrap();
        prop_assert!((sd.to_dense() - ms.to_dense() * mf.to_dense()).amax() <= tol(n));
    }

    /// Fact 2: `M_fᵀ = M_{f̃}` with `f̃(g) = f(g⁻¹)`, for dense and sparse kernels.
    #[test]
    fn transpose_is_kernel_at_inverse((g, f, terms) in group_dense_sparse()) {
        let mf = gm(&g, f.clone());
        let t = mf.transpose();
        prop_assert_eq!(t.to_dense(), mf.to_dense().transpose());
        for x in 0..g.order() {
            prop_assert_eq!(t.kernel().value(x), f[g.inv_idx(x)]);
        }
        let ms = GroupMatrix::sparse(g.clone(), terms).unwrap();
        prop_assert!(ms.transpose().kernel().is_sparse());
        prop_assert_eq!(ms.transpose().to_dense(), ms.to_dense().transpose());
    }

    /// Fact 2: `f ↦ M_f` is linear, injective (`M_f[0, b] = f(g_b)`), unital and
    /// multiplicative (with fact 1).
    #[test]
    fn kernel_map_is_injective_algebra_map(
        (g, f, h, _x) in group_ffx(),
        (alpha, beta) in (-2.0f64..2.0, -2.0f64..2.0),
    ) {
        let n = g.order();
        let combo: Vec<f64> = f.iter().zip(&h).map(|(a, b)| alpha * a + beta * b).collect();
        let lhs = gm(&g, combo).to_dense();
        let rhs = gm(&g, f.clone()).to_dense() * alpha + gm(&g, h.clone()).to_dense() * beta;
        prop_assert!((lhs - rhs).amax() <= tol(n));
        let row0: Vec<f64> = gm(&g, f.clone()).to_dense().row(0).iter().copied().collect();
        prop_assert_eq!(row0, f.clone());
        prop_assert_eq!(GroupMatrix::identity(g.clone()).to_dense(), DMatrix::identity(n, n));
        let fh = gm(&g, f.clone()).product(&gm(&g, h.clone())).unwrap();
        prop_assert!((fh.to_dense() - gm(&g, f).to_dense() * gm(&g, h).to_dense()).amax() <= tol(n));
    }

    /// Fact 3: `L_u M_f = M_f L_u` for every `u`, and `u ↦ L_u` is the left-regular
    /// action `(L_u x)(g) = x(u⁻¹g)`, a homomorphism.
    #[test]
    fn group_matrices_commute_with_left_regular((g, f, _h, x) in group_ffx()) {
        let n = g.order();
        let m = gm(&g, f).to_dense();
        for u in 0..n {
            let l = left_regular(&g, u).unwrap();
            prop_assert!((&l * &m - &m * &l).amax() <= tol(n));
            let lx = &l * nalgebra::DVector::from_column_slice(&x);
            for a in 0..n {
                prop_assert_eq!(lx[a], x[g.left_div_idx(u, a)]);
            }
        }
        let (u, v) = (n / 2, n - 1);
        let luv = left_regular(&g, g.mul_idx(u, v)).unwrap();
        prop_assert_eq!(left_regular(&g, u).unwrap() * left_regular(&g, v).unwrap(), luv);
        prop_assert!(equivariance_error(&g, &m).unwrap() <= tol(n));
    }

    /// Fact 3 converse: a matrix commuting with `L_s` for the generators is recovered as a GM
    /// with `f(g) = M[0, g]`; a non-GM (a GM plus one entry) is rejected.
    #[test]
    fn commuting_matrix_is_recovered_as_gm((g, a, _f) in group_matrix_kernel()) {
        let n = g.order();
        // a random commuting matrix: the projection of a random matrix
        let m = GroupMatrix::project(g.clone(), &a).unwrap().to_dense();
        prop_assert!(commutes_with_generators(&g, &m, 1e-12).unwrap());
        let back = GroupMatrix::from_commuting(g.clone(), &m, 1e-12).unwrap();
        prop_assert!((back.to_dense() - &m).amax() <= tol(n));
        if n > 1 {
            let mut bad = m.clone();
            bad[(0, n - 1)] += 1.0;
            prop_assert!(!commutes_with_generators(&g, &bad, 1e-9).unwrap());
            let err = GroupMatrix::from_commuting(g.clone(), &bad, 1e-9).unwrap_err();
            let is_not_equivariant = matches!(err, Error::NotEquivariant { .. });
            prop_assert!(is_not_equivariant);
            prop_assert!(equivariance_error(&g, &bad).unwrap() > 1e-9);
        }
    }

    /// Fact 4: an invertible GM has a GM inverse: the dense inverse is a GM, equals
    /// `inverse()`, and `f ∗ f⁻¹ = δ_e`; `solve` inverts `apply`.
    #[test]
    fn inverse_of_gm_is_gm((g, f, _h, x) in group_ffx()) {
        let n = g.order();
        // diagonally dominant, so ‖M_f⁻¹‖₂ ≤ 1 and the tolerances stay n·ε-like
        let mut f = f;
        f[0] = 1.0 + f.iter().map(|v| v.abs()).sum::<f64>();
        let mf = gm(&g, f);
        let inv = mf.inverse().unwrap();
        let dense_inv = mf.to_dense().try_inverse().unwrap();
        prop_assert!(distance_to_gm(&g, &dense_inv).unwrap() <= tol(n));
        prop_assert!((inv.to_dense() - &dense_inv).amax() <= tol(n));
        let unit = mf.product(&inv).unwrap().kernel().to_vec();
        prop_assert!(max_abs_diff(&unit, &Kernel::identity(n).to_vec()) <= tol(n));
        let b = mf.apply(&x);
        prop_assert!(max_abs_diff(&mf.solve(&b).unwrap(), &x) <= tol(n));
    }

    /// Fact 5: on `G × H` with `(a, b) ↦ a·|H| + b`, `M_{f⊗h} = M_f ⊗ M_h` (Kronecker).
    #[test]
    fn direct_product_is_kronecker(
        (g, f) in small_group(8).prop_flat_map(|g| { let n = g.order(); (Just(g), real_vector(n)) }),
        (h, k) in small_group(8).prop_flat_map(|g| { let n = g.order(); (Just(g), real_vector(n)) }),
    ) {
        let gh = product(g.clone(), h.clone());
        let fk: Vec<f64> = f.iter().flat_map(|a| k.iter().map(move |b| a * b)).collect();
        let lhs = gm(&gh, fk).to_dense();
        let rhs = gm(&g, f).to_dense().kronecker(&gm(&h, k).to_dense());
        prop_assert!((lhs - rhs).amax() <= tol(1));
    }

    /// Fact 6: `P` is idempotent, self-adjoint, fixes GMs, lands in GMs, is the closest GM
    /// and `distance_to_gm = ‖M − P(M)‖_F`.
    #[test]
    fn projection_is_orthogonal((g, a, f) in group_matrix_kernel(), seed in any::<u64>()) {
        let n = g.order();
        let b = DMatrix::from_fn(n, n, |i, j| (((i * 31 + j * 17) as u64 ^ seed) % 1000) as f64 / 500.0 - 1.0);
        let pa = GroupMatrix::project(g.clone(), &a).unwrap();
        let pa_dense = pa.to_dense();
        let ppa = GroupMatrix::project(g.clone(), &pa_dense).unwrap();
        prop_assert!(max_abs_diff(&ppa.kernel().to_vec(), &pa.kernel().to_vec()) <= tol(n));
        let pb = GroupMatrix::project(g.clone(), &b).unwrap().to_dense();
        prop_assert!((pa_dense.dot(&b) - a.dot(&pb)).abs() <= tol(n) * n as f64);
        let mf = gm(&g, f.clone());
        let pf = GroupMatrix::project(g.clone(), &mf.to_dense()).unwrap();
        prop_assert!(max_abs_diff(&pf.kernel().to_vec(), &f) <= tol(n));
        prop_assert!(equivariance_error(&g, &pa_dense).unwrap() <= tol(n));
        let dist = distance_to_gm(&g, &a).unwrap();
        prop_assert!((dist - (&a - &pa_dense).norm()).abs() <= tol(n));
        prop_assert!(dist <= (&a - mf.to_dense()).norm() + tol(n));
        prop_assert!(distance_to_gm(&g, &mf.to_dense()).unwrap() <= tol(n));
    }

    /// Fact 6, product bound: for `M = M_f + E`, `N = M_h + F`,
    /// `dist(MN, GM) ≤ ‖MN − M_f M_h‖_F ≤ ‖E‖_F ‖N‖₂ + ‖M_f‖₂ ‖F‖_F`, and in particular
    /// `dist(MN) ≤ dist(M) ‖N‖₂ + ‖M‖₂ dist(N)`.
    #[test]
    fn product_of_near_gms_obeys_bound(
        (g, e, f) in group_matrix_kernel(),
        (h, scale) in (real_vector(40), 0.0f64..0.3),
    ) {
        let n = g.order();
        let e = e * scale;
        let fl = e.transpose() * 0.5; // a second, different perturbation
        let mf = gm(&g, f).to_dense();
        let mh = gm(&g, h[..n].to_vec()).to_dense();
        let m = &mf + &e;
        let nn = &mh + &fl;
        let mn = &m * &nn;
        let two = |x: &DMatrix<f64>| x.clone().svd(false, false).singular_values.max();
        let dist = distance_to_gm(&g, &mn).unwrap();
        let via_gm = (&mn - &mf * &mh).norm();
        let slack = tol(n) * n as f64;
        prop_assert!(dist <= via_gm + slack);
        prop_assert!(via_gm <= e.norm() * two(&nn) + two(&mf) * fl.norm() + slack);
        let (dm, dn) = (distance_to_gm(&g, &m).unwrap(), distance_to_gm(&g, &nn).unwrap());
        prop_assert!(dist <= dm * two(&nn) + two(&m) * dn + slack);
    }

    /// Fact 8: on `Z_n` the GMs are the circulants `C[a,b] = c[(b − a) mod n]`.
    #[test]
    fn cyclic_gms_are_circulants((n, c) in (1usize..=40).prop_flat_map(|n| (Just(n), real_vector(n)))) {
        let z = Cyclic::new(n).unwrap();
        let circulant = DMatrix::from_fn(n, n, |a, b| c[(b + n - a) % n]);
        prop_assert_eq!(GroupMatrix::dense(z, c).unwrap().to_dense(), circulant);
    }

    /// Fact 8: on `Z_m × Z_n` (pixel `(i, j)` at `i·n + j`), applying a GM is the 2-D
    /// periodic correlation `y[i,j] = Σ_{p,q} f[p,q] x[i+p, j+q]`.
    #[test]
    fn torus_gm_is_periodic_correlation(
        (m, n, f, x) in (1usize..=7, 1usize..=7).prop_flat_map(|(m, n)| {
            (Just(m), Just(n), real_vector(m * n), real_vector(m * n))
        })
    ) {
        let torus = product(AnyGroup::new(Cyclic::new(m).unwrap()), AnyGroup::new(Cyclic::new(n).unwrap()));
        let y = gm(&torus, f.clone()).apply(&x);
        for i in 0..m {
            for j in 0..n {
                let mut s = 0.0;
                for p in 0..m {
                    for q in 0..n {
                        s += f[p * n + q] * x[((i + p) % m) * n + (j + q) % n];
                    }
                }
                prop_assert!((y[i * n + j] - s).abs() <= tol(m * n));
            }
        }
    }

    /// Chain of trust: sparse apply == dense-kernel apply == `to_dense() · x`.
    #[test]
    fn sparse_dense_and_matrix_apply_agree((g, _f, terms) in group_dense_sparse(), x in real_vector(60)) {
        let n = g.order();
        let x = &x[..n];
        let ms = GroupMatrix::sparse(g.clone(), terms).unwrap();
        let md = gm(&g, ms.kernel().to_vec());
        let reference = ms.to_dense() * nalgebra::DVector::from_column_slice(x);
        prop_assert!(max_abs_diff(&ms.apply(x), reference.as_slice()) <= tol(n));
        prop_assert!(max_abs_diff(&md.apply(x), reference.as_slice()) <= tol(n));
        prop_assert_eq!(ms.gather_table().len(), ms.kernel().support_len());
    }

    /// Batch apply on a row-major `B × n` batch equals applying row by row.
    #[test]
    fn batch_apply_matches_rows((g, terms) in any_group().prop_flat_map(|g| { let n = g.order(); (Just(g), sparse_terms(n)) }), batch in 0usize..4, x in real_vector(240)) {
        let n = g.order();
        let x = &x[..batch * n];
        let ms = GroupMatrix::sparse(g, terms).unwrap();
        let y = ms.apply_batch(x);
        prop_assert_eq!(y.len(), x.len());
        for (xr, yr) in x.chunks(n).zip(y.chunks(n)) {
            prop_assert_eq!(ms.apply(xr), yr.to_vec());
        }
    }
}

/// Chain of trust on every size: for `Z_n`, `D_n` and `Z_n × Z_2`, `n = 1..=80`, a seeded random
/// sparse kernel gives sparse apply == dense-kernel apply == `to_dense() · x`.
#[test]
fn apply_agrees_on_many_sizes() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    for n in 1..=80 {
        let z2 = AnyGroup::new(Cyclic::new(2).unwrap());
        let groups = [
            AnyGroup::new(Cyclic::new(n).unwrap()),
            AnyGroup::new(Dihedral::new(n).unwrap()),
            product(AnyGroup::new(Cyclic::new(n).unwrap()), z2),
        ];
        for g in groups {
            let order = g.order();
            let k = rng.random_range(0..=order.min(9));
            let terms = (0..k)
                .map(|_| (rng.random_range(0..order), rng.random_range(-1.0..1.0)))
                .collect();
            let x: Vec<f64> = (0..order).map(|_| rng.random_range(-1.0..1.0)).collect();
            let ms = GroupMatrix::sparse(g.clone(), terms).unwrap();
            let md = gm(&g, ms.kernel().to_vec());
            let reference = ms.to_dense() * nalgebra::DVector::from_column_slice(&x);
            assert!(
                max_abs_diff(&ms.apply(&x), reference.as_slice()) <= tol(order),
                "{g:?}"
            );
            assert!(
                max_abs_diff(&md.apply(&x), reference.as_slice()) <= tol(order),
                "{g:?}"
            );
        }
    }
}

/// Fact 8: the matrices commuting with the cyclic shift form a space of dimension `n`
/// (the null space of `M ↦ SM − MS`), the circulants.
#[test]
fn shift_commutant_has_dimension_n() {
    for n in 1..=9 {
        let z = Cyclic::new(n).unwrap();
        let s = left_regular(&z, if n > 1 { 1 } else { 0 }).unwrap();
        // vec(SM − MS) = (I ⊗ S − Sᵀ ⊗ I) vec(M) for column-major vec
        let id = DMatrix::<f64>::identity(n, n);
        let op = id.kronecker(&s) - s.transpose().kronecker(&id);
        let sv = op.svd(false, false).singular_values;
        let null = sv.iter().filter(|v| v.abs() < 1e-9).count();
        assert_eq!(null, n, "Z_{n}");
    }
}

#[test]
fn wrong_kernel_length_is_rejected() {
    let d = Dihedral::new(3).unwrap();
    let err = GroupMatrix::dense(d, vec![1.0; 5]).unwrap_err();
    assert_eq!(
        err,
        Error::ShapeMismatch {
            what: "dense kernel length".into(),
            expected: 6,
            got: 5
        }
    );
    let k = Kernel::dense(4, vec![0.0; 4]).unwrap();
    assert!(matches!(
        GroupMatrix::new(d, k),
        Err(Error::ShapeMismatch {
            expected: 6,
            got: 4,
            ..
        })
    ));
}

#[test]
fn support_index_out_of_range_is_rejected() {
    let z = Cyclic::new(5).unwrap();
    let err = GroupMatrix::sparse(z, vec![(1, 1.0), (5, 2.0)]).unwrap_err();
    assert_eq!(err, Error::IndexOutOfRange { index: 5, order: 5 });
    assert_eq!(
        GatherTable::new(&z, &[0, 7]).unwrap_err(),
        Error::IndexOutOfRange { index: 7, order: 5 }
    );
    assert!(matches!(
        left_regular(&z, 5),
        Err(Error::IndexOutOfRange { .. })
    ));
}

#[test]
fn singular_inverse_is_rejected() {
    let z = Cyclic::new(6).unwrap();
    let singular = [
        vec![0.0; 6],                        // zero
        vec![1.0; 6],                        // rank one
        vec![1.0, -1.0, 0.0, 0.0, 0.0, 0.0], // I − shift: the constants are in the kernel
        vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0],  // I + shift³: kills the alternating vector
    ];
    for f in singular {
        let m = GroupMatrix::dense(z, f.clone()).unwrap();
        assert!(matches!(m.inverse(), Err(Error::Singular { .. })), "{f:?}");
        assert!(matches!(m.solve(&[1.0; 6]), Err(Error::Singular { .. })));
    }
    let m = GroupMatrix::identity(z);
    assert!(matches!(
        m.solve(&[1.0; 5]),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn projection_of_wrong_size_is_rejected() {
    let d = Dihedral::new(4).unwrap();
    let wrong = [
        DMatrix::zeros(8, 7),
        DMatrix::zeros(7, 8),
        DMatrix::zeros(9, 9),
    ];
    for m in &wrong {
        assert!(matches!(
            GroupMatrix::project(d, m),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            distance_to_gm(&d, m),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            equivariance_error(&d, m),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            commutes_with_generators(&d, m, 1e-9),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            GroupMatrix::from_commuting(d, m, 1e-9),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}

#[test]
fn product_of_different_orders_is_rejected() {
    let a = GroupMatrix::identity(AnyGroup::new(Cyclic::new(4).unwrap()));
    let b = GroupMatrix::identity(AnyGroup::new(Cyclic::new(5).unwrap()));
    assert!(matches!(a.product(&b), Err(Error::ShapeMismatch { .. })));
}

/// A random group of order ≤ 12 with two random cyclic subgroups `H₁ = ⟨a⟩`, `H₂ = ⟨b⟩`.
fn group_two_subgroups() -> impl Strategy<Value = (AnyGroup, Subgroup, Subgroup)> {
    small_group(12).prop_flat_map(|g| {
        let n = g.order();
        (Just(g), 0..n, 0..n).prop_map(|(g, a, b)| {
            let h1 = Subgroup::generated_by(&g, &[a]).unwrap();
            let h2 = Subgroup::generated_by(&g, &[b]).unwrap();
            (g, h1, h2)
        })
    })
}

fn space(g: &AnyGroup, h: &Subgroup) -> HomogeneousSpace<AnyGroup> {
    HomogeneousSpace::new(g.clone(), h).unwrap()
}

/// The number of singular values above `1e-9` (times the largest dimension).
fn numerical_rank(m: DMatrix<f64>) -> usize {
    let scale = 1e-9 * m.nrows().max(m.ncols()).max(1) as f64;
    m.svd(false, false)
        .singular_values
        .iter()
        .filter(|&&s| s > scale)
        .count()
}

proptest! {
    #![proptest_config(cases())]

    /// Fact 7: a GM on homogeneous spaces `G/H₁ → G/H₂` intertwines the actions,
    /// `λ_{X₂}(u) M = M λ_{X₁}(u)` for every `u`, and `apply` is `to_dense() · φ`.
    #[test]
    fn quotient_gms_commute_with_action(
        (g, h1, h2) in group_two_subgroups(),
        values in real_vector(12),
        phi in real_vector(12),
    ) {
        let (x1, x2) = (space(&g, &h1), space(&g, &h2));
        let dim = DoubleCosets::new(&g, &h2, &h1).unwrap().count();
        let m = QuotientGroupMatrix::new(&x1, &x2, values[..dim].to_vec()).unwrap();
        let dense = m.to_dense();
        prop_assert_eq!((dense.nrows(), dense.ncols()), (x2.num_points(), x1.num_points()));
        for u in 0..g.order() {
            let lhs = x2.permutation_matrix(u) * &dense;
            let rhs = &dense * x1.permutation_matrix(u);
            prop_assert!((lhs - rhs).amax() <= tol(1));
        }
        let phi = &phi[..x1.num_points()];
        let reference = &dense * nalgebra::DVector::from_column_slice(phi);
        prop_assert!(max_abs_diff(&m.apply(phi), reference.as_slice()) <= tol(x1.num_points()));
    }

    /// Fact 7: the equivariant maps `G/H₁ → G/H₂` form a space of dimension `|H₂\G/H₁|`:
    /// the null space of `M ↦ (λ_{X₂}(s) M − M λ_{X₁}(s))_s` over the generators has that
    /// dimension, and the one-double-coset matrices are independent and inside it.
    #[test]
    fn quotient_gm_dimension_is_double_coset_count((g, h1, h2) in group_two_subgroups()) {
        let (x1, x2) = (space(&g, &h1), space(&g, &h2));
        let (p, q) = (x2.num_points(), x1.num_points());
        let count = DoubleCosets::new(&g, &h2, &h1).unwrap().count();
        // column-major vec: vec(A M − M B) = (I ⊗ A − Bᵀ ⊗ I) vec(M)
        let gens = g.generator_indices();
        let mut op = DMatrix::zeros(gens.len().max(1) * p * q, p * q);
        for (i, &s) in gens.iter().enumerate() {
            let a = x2.permutation_matrix(s);
            let b = x1.permutation_matrix(s);
            let block = DMatrix::<f64>::identity(q, q).kronecker(&a) - b.transpose().kronecker(&DMatrix::<f64>::identity(p, p));
            op.view_mut((i * p * q, 0), (p * q, p * q)).copy_from(&block);
        }
        prop_assert_eq!(p * q - numerical_rank(op), count);
        let basis: Vec<DMatrix<f64>> = (0..count)
            .map(|d| {
                let mut v = vec![0.0; count];
                v[d] = 1.0;
                QuotientGroupMatrix::new(&x1, &x2, v).unwrap().to_dense()
            })
            .collect();
        let stacked = DMatrix::from_fn(p * q, count, |r, d| basis[d][(r % p, r / p)]);
        prop_assert_eq!(numerical_rank(stacked), count);
        prop_assert_eq!(QuotientGroupMatrix::new(&x1, &x2, vec![0.0; count]).unwrap().dimension(), count);
    }

    /// Fact 7: the projection onto equivariant maps is the orbit average
    /// `(1/|G|) Σ_u λ_{X₂}(u) M λ_{X₁}(u)⁻¹`, idempotent, and fixes equivariant maps.
    #[test]
    fn quotient_projection_is_orbit_average((g, h1, h2) in group_two_subgroups(), a in real_vector(144)) {
        let (x1, x2) = (space(&g, &h1), space(&g, &h2));
        let (p, q) = (x2.num_points(), x1.num_points());
        let a = DMatrix::from_column_slice(p, q, &a[..p * q]);
        let proj = QuotientGroupMatrix::project(&x1, &x2, &a).unwrap();
        let mut avg = DMatrix::zeros(p, q);
        for u in 0..g.order() {
            avg += x2.permutation_matrix(u) * &a * x1.permutation_matrix(u).transpose();
        }
        avg /= g.order() as f64;
        prop_assert!((proj.to_dense() - &avg).amax() <= tol(g.order()));
        let again = QuotientGroupMatrix::project(&x1, &x2, &proj.to_dense()).unwrap();
        prop_assert!(max_abs_diff(again.values(), proj.values()) <= tol(g.order()));
    }

    /// Fact 7: lifting `G/H → G` and average pooling `G → G/H` are GMs between homogeneous
    /// spaces (`G = G/{e}`): projecting their matrices onto equivariant maps changes nothing,
    /// and they have `|{e}\G/H| = |H\G/{e}| = |X|` parameters.
    #[test]
    fn lifting_and_average_pooling_are_quotient_gms((g, h, _h2) in group_two_subgroups()) {
        let x = space(&g, &h);
        let whole = space(&g, &Subgroup::trivial(&g));
        let (n, p) = (g.order(), x.num_points());
        let unit = |len: usize, i: usize| { let mut v = vec![0.0; len]; v[i] = 1.0; v };
        let lift = DMatrix::from_fn(n, p, |a, y| x.lift(&unit(p, y)).unwrap()[a]);
        let pool = DMatrix::from_fn(p, n, |y, a| x.pool(&unit(n, a), Pooling::Average).unwrap()[y]);
        let pl = QuotientGroupMatrix::project(&x, &whole, &lift).unwrap();
        prop_assert_eq!(pl.dimension(), p);
        prop_assert!((pl.to_dense() - &lift).amax() <= tol(n));
        let pp = QuotientGroupMatrix::project(&whole, &x, &pool).unwrap();
        prop_assert_eq!(pp.dimension(), p);
        prop_assert!((pp.to_dense() - &pool).amax() <= tol(n));
    }

    /// For trivial subgroups the GM on `G/{e} = G` is the ordinary group matrix.
    #[test]
    fn trivial_quotient_is_group_matrix((g, f) in small_group(24).prop_flat_map(|g| { let n = g.order(); (Just(g), real_vector(n)) })) {
        let x = space(&g, &Subgroup::trivial(&g));
        let m = QuotientGroupMatrix::on(&x, f.clone()).unwrap();
        prop_assert_eq!(m.to_dense(), gm(&g, f).to_dense());
    }
}

#[test]
fn quotient_gm_bad_input_is_rejected() {
    let d = AnyGroup::new(Dihedral::new(4).unwrap());
    let x = space(&d, &Subgroup::generated_by(&d, &[4]).unwrap());
    assert!(matches!(
        QuotientGroupMatrix::on(&x, vec![1.0; 4]),
        Err(Error::ShapeMismatch {
            expected: 3,
            got: 4,
            ..
        })
    ));
    assert!(matches!(
        QuotientGroupMatrix::project(&x, &x, &DMatrix::zeros(4, 3)),
        Err(Error::ShapeMismatch { .. })
    ));
    let z = AnyGroup::new(Cyclic::new(6).unwrap());
    let y = space(&z, &Subgroup::trivial(&z));
    assert!(matches!(
        QuotientGroupMatrix::new(&x, &y, vec![]),
        Err(Error::ShapeMismatch { .. })
    ));
}
