//! Property tests of the displacement structure (docs/theory/displacement.md names each).

use gm_algebra::displacement::{
    group_displacement, group_displacement_rank, krylov_sum, krylov_sum_apply, mean_word_length,
    numerical_rank, numerical_rank_with, reversed_krylov_sum, stacked_group_displacement, stein,
    sylvester, CauchyLike, Circulant, DiagonalForm, Displacement, HankelLike, LdrMatrix, LdrSd,
    LdrTd, LowRank, Operator, RankRForm, ToeplitzLike, VandermondeLike,
};
use gm_algebra::group::strategy::{real_vector, small_group};
use gm_algebra::group::Cyclic;
use gm_algebra::matrix::{distance_to_gm, left_regular, GroupMatrix, Kernel};
use gm_algebra::{AnyGroup, Error, FiniteGroup};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

// ---------------------------------------------------------------- helpers

/// A random `r × c` matrix with entries in [−1, 1].
fn mat(r: usize, c: usize) -> impl Strategy<Value = DMatrix<f64>> {
    proptest::collection::vec(-1.0f64..1.0, r * c).prop_map(move |v| DMatrix::from_vec(r, c, v))
}

/// `(n, r, G, H, x)`: square generators of size `n × r` and an input vector.
fn square_generators(
    max_n: usize,
    max_r: usize,
) -> impl Strategy<Value = (DMatrix<f64>, DMatrix<f64>, Vec<f64>)> {
    (1..=max_n, 1..=max_r).prop_flat_map(|(n, r)| (mat(n, r), mat(n, r), real_vector(n)))
}

/// `‖a − b‖_∞ ≤ 1e-12 · n · scale` (rounding of `n`-term sums at the size of `scale`).
fn assert_close(a: &[f64], b: &[f64], scale: f64) {
    assert_eq!(a.len(), b.len());
    let n = a.len().max(1) as f64;
    let err = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    assert!(
        err <= 1e-12 * n * (1.0 + scale),
        "error {err} at scale {scale}"
    );
}

fn assert_mat_close(a: &DMatrix<f64>, b: &DMatrix<f64>, scale: f64) {
    assert_eq!(a.shape(), b.shape());
    assert_close(
        a.as_slice(),
        b.as_slice(),
        scale * a.nrows().max(a.ncols()) as f64,
    );
}

/// The fast product equals the dense reconstruction, and the displacement rank of the
/// reconstruction is within the family's bound.
fn check_family<M: LdrMatrix>(m: &M, x: &[f64]) {
    let dense = m.to_dense();
    let expected = &dense * DVector::from_column_slice(x);
    let scale = dense.norm() * DVector::from_column_slice(x).norm();
    assert_close(&m.matvec(x).unwrap(), expected.as_slice(), scale);
    let rank = m.displacement().rank(&dense).unwrap();
    assert!(
        rank <= m.displacement_rank_bound(),
        "rank {rank} > {}",
        m.displacement_rank_bound()
    );
}

/// The Sylvester-family identity `∇(M) = G Hᵀ`.
fn check_sylvester_generators<M: LdrMatrix>(m: &M) {
    let dense = m.to_dense();
    let (g, h) = m.generators();
    let d = m.displacement().apply(&dense).unwrap();
    assert_mat_close(&d, &(g * h.transpose()), dense.norm());
}

fn reverse_rows(h: &DMatrix<f64>) -> DMatrix<f64> {
    let n = h.nrows();
    DMatrix::from_fn(n, h.ncols(), |i, j| h[(n - 1 - i, j)])
}

/// Solves `AM − MB = R` through the Kronecker form (small sizes only).
fn solve_sylvester(a: &DMatrix<f64>, b: &DMatrix<f64>, r: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let (m, n) = r.shape();
    let k = DMatrix::<f64>::identity(n, n).kronecker(a)
        - b.transpose().kronecker(&DMatrix::identity(m, m));
    let v = k.lu().solve(&DVector::from_column_slice(r.as_slice()))?;
    Some(DMatrix::from_column_slice(m, n, v.as_slice()))
}

/// A random operator with spectrum shifted by `shift` (Gershgorin-separated for `|shift| > n`).
fn shifted(a: DMatrix<f64>, shift: f64) -> DMatrix<f64> {
    let n = a.nrows();
    a + DMatrix::identity(n, n) * shift
}

fn gm(g: &AnyGroup, f: &[f64]) -> DMatrix<f64> {
    GroupMatrix::dense(g.clone(), f.to_vec())
        .unwrap()
        .to_dense()
}

/// `L_u M L_u⁻¹`, entrywise `M[u⁻¹a, u⁻¹b]`.
fn conjugate<G: FiniteGroup + ?Sized>(g: &G, m: &DMatrix<f64>, u: usize) -> DMatrix<f64> {
    let ui = g.inv_idx(u);
    DMatrix::from_fn(m.nrows(), m.ncols(), |a, b| {
        m[(g.mul_idx(ui, a), g.mul_idx(ui, b))]
    })
}

/// `P(M) = (1/n) Σ_u L_u M L_u⁻¹`, by its definition.
fn projection<G: FiniteGroup + ?Sized>(g: &G, m: &DMatrix<f64>) -> DMatrix<f64> {
    let n = g.order();
    (0..n).fold(DMatrix::zeros(n, n), |acc, u| acc + conjugate(g, m, u)) / n as f64
}

fn spectral(m: &DMatrix<f64>) -> f64 {
    m.singular_values().max()
}

/// A random near-GM on `g`: a GM plus a rank-`k ≤ 2` perturbation `Σ u_i v_iᵀ` scaled by
/// `eps ∈ [0, 0.5)`.
fn near_gm_on(g: &AnyGroup) -> impl Strategy<Value = DMatrix<f64>> {
    let (g, n) = (g.clone(), g.order());
    (real_vector(n), 0usize..3, 0.0f64..0.5)
        .prop_flat_map(move |(f, k, eps)| (Just(f), mat(n, k), mat(n, k), Just(eps)))
        .prop_map(move |(f, u, v, eps)| gm(&g, &f) + (u * v.transpose()) * eps)
}

/// A random group with one near-GM on it.
fn near_gm(max_order: usize) -> impl Strategy<Value = (AnyGroup, DMatrix<f64>)> {
    small_group(max_order).prop_flat_map(|g| (Just(g.clone()), near_gm_on(&g)))
}

/// A random group with two near-GMs on it.
fn near_gm_pair(max_order: usize) -> impl Strategy<Value = (AnyGroup, DMatrix<f64>, DMatrix<f64>)> {
    small_group(max_order).prop_flat_map(|g| (Just(g.clone()), near_gm_on(&g), near_gm_on(&g)))
}

// ---------------------------------------------------------------- classical operators

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Toeplitz matrices have `∇_{Z₁,Z₋₁}`-rank ≤ 2.
    #[test]
    fn toeplitz_has_displacement_rank_at_most_two(n in 1usize..=24, seed in real_vector(47)) {
        let t = DMatrix::from_fn(n, n, |i, j| seed[23 + i - j]);
        let d = Displacement::sylvester(Operator::shift(n, 1.0).unwrap(), Operator::shift(n, -1.0).unwrap());
        prop_assert!(d.rank(&t).unwrap() <= 2);
    }

    /// Hankel matrices have `∇_{Z₁,Z₋₁ᵀ}`-rank ≤ 2.
    #[test]
    fn hankel_has_displacement_rank_at_most_two(n in 1usize..=24, seed in real_vector(47)) {
        let hk = DMatrix::from_fn(n, n, |i, j| seed[i + j]);
        let zt = Operator::dense(Operator::shift(n, -1.0).unwrap().to_dense().transpose()).unwrap();
        let d = Displacement::sylvester(Operator::shift(n, 1.0).unwrap(), zt);
        prop_assert!(d.rank(&hk).unwrap() <= 2);
    }

    /// Vandermonde matrices `V[j,k] = v_j^k` have `∇_{D_v,Z_f}`-rank ≤ 1.
    #[test]
    fn vandermonde_has_displacement_rank_one(v in proptest::collection::vec(-1.0f64..1.0, 1..=16), n in 1usize..=16, f in -2.0f64..2.0) {
        let vm = DMatrix::from_fn(v.len(), n, |j, k| v[j].powi(k as i32));
        let d = Displacement::sylvester(Operator::diagonal(v.clone()).unwrap(), Operator::shift(n, f).unwrap());
        prop_assert!(d.rank(&vm).unwrap() <= 1);
    }

    /// Cauchy matrices `1/(s_i − t_j)` have `∇_{D_s,D_t}(C) = 1 1ᵀ`.
    #[test]
    fn cauchy_has_displacement_rank_one(s in proptest::collection::vec(0.0f64..1.0, 1..=16), t in proptest::collection::vec(2.0f64..3.0, 1..=16)) {
        let c = DMatrix::from_fn(s.len(), t.len(), |i, j| 1.0 / (s[i] - t[j]));
        let d = Displacement::sylvester(Operator::diagonal(s.clone()).unwrap(), Operator::diagonal(t.clone()).unwrap());
        let ones = DMatrix::from_element(s.len(), t.len(), 1.0);
        assert_mat_close(&d.apply(&c).unwrap(), &ones, c.norm());
        prop_assert_eq!(d.rank(&c).unwrap(), 1);
    }

    /// Circulants commute with `Z₁`: `∇_{Z₁,Z₁}(C) = 0`.
    #[test]
    fn circulant_has_zero_z1_displacement(c in (1usize..=24).prop_flat_map(real_vector)) {
        let m = Circulant::new(c).unwrap();
        let z = Operator::shift(m.shape().0, 1.0).unwrap().to_dense();
        prop_assert!(sylvester(&z, &m.to_dense(), &z).unwrap().norm() <= 1e-14);
    }

    /// Subadditivity: `rank ∇(M+N) ≤ rank ∇M + rank ∇N`, random operators.
    #[test]
    fn displacement_rank_is_subadditive(
        (a, b, g1, h1, g2, h2) in (1usize..=6, 1usize..=6, 0usize..=2, 0usize..=2).prop_flat_map(|(m, n, r1, r2)| {
            (mat(m, m), mat(n, n), mat(m, r1), mat(n, r1), mat(m, r2), mat(n, r2))
        })
    ) {
        let (m, n) = (a.nrows(), b.nrows());
        let a = shifted(a, (m + n) as f64);
        let b = shifted(b, -((m + n) as f64));
        let mm = solve_sylvester(&a, &b, &(&g1 * h1.transpose())).unwrap();
        let nn = solve_sylvester(&a, &b, &(&g2 * h2.transpose())).unwrap();
        let d = Displacement::sylvester(Operator::dense(a).unwrap(), Operator::dense(b).unwrap());
        let (r1, r2, r12) = (d.rank(&mm).unwrap(), d.rank(&nn).unwrap(), d.rank(&(&mm + &nn)).unwrap());
        prop_assert!(r1 <= g1.ncols() && r2 <= g2.ncols());
        prop_assert!(r12 <= r1 + r2);
    }

    /// Product rule `∇_{A,C}(MN) = ∇_{A,B}(M)N + M∇_{B,C}(N)` (random operators and
    /// rectangular matrices) and its rank consequence.
    #[test]
    fn sylvester_product_rule(
        (a, b, c, m, n) in (1usize..=6, 1usize..=6, 1usize..=6).prop_flat_map(|(p, q, s)| {
            (mat(p, p), mat(q, q), mat(s, s), mat(p, q), mat(q, s))
        })
    ) {
        let lhs = sylvester(&a, &(&m * &n), &c).unwrap();
        let rhs = sylvester(&a, &m, &b).unwrap() * &n + &m * sylvester(&b, &n, &c).unwrap();
        assert_mat_close(&lhs, &rhs, 1.0);
        prop_assert!(numerical_rank(&lhs) <= numerical_rank(&sylvester(&a, &m, &b).unwrap()) + numerical_rank(&sylvester(&b, &n, &c).unwrap()));
    }

    /// Inverse rule `∇_{B,A}(M⁻¹) = −M⁻¹ ∇_{A,B}(M) M⁻¹` (random operators).
    #[test]
    fn sylvester_inverse_rule((a, b, m) in (1usize..=8).prop_flat_map(|n| (mat(n, n), mat(n, n), mat(n, n)))) {
        let n = m.nrows();
        let m = shifted(m, n as f64 + 1.0); // diagonally dominant, hence invertible
        let mi = m.clone().try_inverse().unwrap();
        let lhs = sylvester(&b, &mi, &a).unwrap();
        let rhs = -(&mi * sylvester(&a, &m, &b).unwrap() * &mi);
        assert_mat_close(&lhs, &rhs, 1.0);
    }
}

// ---------------------------------------------------------------- LDR families

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Circulant: fast product = dense; `∇_{Z₁,Z₋₁}(C) = 2c e_{n−1}ᵀ` = GHᵀ; Krylov form `C = K(Z₁, c)`.
    #[test]
    fn circulant_laws(c in (1usize..=32).prop_flat_map(real_vector), x in real_vector(32)) {
        let n = c.len();
        let m = Circulant::new(c.clone()).unwrap();
        check_family(&m, &x[..n]);
        check_sylvester_generators(&m);
        let k = gm_algebra::displacement::krylov_matrix(&Operator::shift(n, 1.0).unwrap(), &c, n);
        prop_assert_eq!(k, m.to_dense());
    }

    /// Toeplitz-like: ∇ = GHᵀ, rank ≤ r, fast product = dense = Pan-form Krylov reference.
    #[test]
    fn toeplitz_like_laws((g, h, x) in square_generators(32, 4)) {
        let m = ToeplitzLike::new(g.clone(), h.clone()).unwrap();
        check_family(&m, &x);
        check_sylvester_generators(&m);
        let n = g.nrows();
        let reference = reversed_krylov_sum(&Operator::shift(n, 1.0).unwrap(), &Operator::shift(n, -1.0).unwrap(), &g, &h).unwrap() / 2.0;
        assert_mat_close(&m.to_dense(), &reference, reference.norm());
    }

    /// Hankel-like: ∇_{Z₁,Z₋₁ᵀ} = GHᵀ, rank ≤ r, fast = dense = Pan-form Krylov reference.
    #[test]
    fn hankel_like_laws((g, h, x) in square_generators(32, 4)) {
        let m = HankelLike::new(g.clone(), h.clone()).unwrap();
        check_family(&m, &x);
        check_sylvester_generators(&m);
        let d = m.displacement();
        let reference = reversed_krylov_sum(d.a(), d.b(), &g, &h).unwrap() / 2.0;
        assert_mat_close(&m.to_dense(), &reference, reference.norm());
        // M J is the Toeplitz-like matrix of (G, JH).
        let t = ToeplitzLike::new(g, reverse_rows(&h)).unwrap().to_dense();
        let n = t.nrows();
        let mj = DMatrix::from_fn(n, n, |i, j| m.to_dense()[(i, n - 1 - j)]);
        assert_mat_close(&mj, &t, t.norm());
    }

    /// Vandermonde-like (rectangular): ∇_{D_v,Z_f} = GHᵀ, rank ≤ r, fast = dense.
    #[test]
    fn vandermonde_like_laws(
        (v, g, h, x) in (1usize..=16, 1usize..=16, 1usize..=3).prop_flat_map(|(m, n, r)| {
            (proptest::collection::vec(-1.0f64..1.0, m), mat(m, r), mat(n, r), real_vector(n))
        }),
        f in prop_oneof![Just(2.0), Just(-2.0), Just(3.0)],
    ) {
        let m = VandermondeLike::new(v, f, g, h).unwrap();
        check_family(&m, &x);
        check_sylvester_generators(&m);
    }

    /// Cauchy-like (rectangular): ∇_{D_s,D_t} = GHᵀ, rank ≤ r, fast = dense.
    #[test]
    fn cauchy_like_laws(
        (s, t, g, h, x) in (1usize..=16, 1usize..=16, 1usize..=3).prop_flat_map(|(m, n, r)| {
            (proptest::collection::vec(0.0f64..1.0, m), proptest::collection::vec(1.5f64..3.0, n), mat(m, r), mat(n, r), real_vector(n))
        })
    ) {
        let m = CauchyLike::new(s, t, g, h).unwrap();
        check_family(&m, &x);
        check_sylvester_generators(&m);
    }

    /// Low rank: Δ_{0,0}(M) = M = GHᵀ, rank ≤ r, fast = dense.
    #[test]
    fn low_rank_laws(
        (g, h, x) in (1usize..=16, 1usize..=16, 1usize..=3).prop_flat_map(|(m, n, r)| (mat(m, r), mat(n, r), real_vector(n)))
    ) {
        let m = LowRank::new(g.clone(), h.clone()).unwrap();
        check_family(&m, &x);
        let d = m.displacement().apply(&m.to_dense()).unwrap();
        assert_mat_close(&d, &(&g * h.transpose()), 1.0);
    }
}

/// LDR operator weights: nonzero in `±[0.5, 1.5]`, or (sometimes) with a zero to force the
/// Horner path.
fn sd_weights(n: usize) -> impl Strategy<Value = Vec<f64>> {
    let nonzero = proptest::collection::vec(
        (0.5f64..1.5, any::<bool>()).prop_map(|(x, s)| if s { x } else { -x }),
        n,
    );
    prop_oneof![
        3 => nonzero.clone(),
        1 => (nonzero, 0..n).prop_map(|(mut w, k)| { w[k] = 0.0; w }),
    ]
}

/// A random tridiagonal operator of dimension `n ≥ 2`, entries in [−1, 1].
fn tridiagonal(n: usize) -> impl Strategy<Value = Operator> {
    (real_vector(n - 1), real_vector(n), real_vector(n - 1))
        .prop_map(|(l, d, u)| Operator::tridiagonal(l, d, u).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// LDR-SD: fast product (FFT or Horner) = Thomas et al. Krylov reconstruction;
    /// `Δ_{A,B}(M) = (1 − αβ) GHᵀ`, rank ≤ r.
    #[test]
    fn ldr_sd_laws(
        (a, b, g, h, x) in (1usize..=24, 1usize..=3).prop_flat_map(|(n, r)| (sd_weights(n), sd_weights(n), mat(n, r), mat(n, r), real_vector(n)))
    ) {
        let alpha: f64 = a.iter().product();
        let beta: f64 = b.iter().product();
        let m = LdrSd::new(a.clone(), b.clone(), g.clone(), h.clone()).unwrap();
        prop_assert_eq!(m.uses_fft(), alpha != 0.0 && beta != 0.0 && m.uses_fft());
        check_family(&m, &x);
        let dense = m.to_dense();
        let d = m.displacement().apply(&dense).unwrap();
        assert_mat_close(&d, &((&g * h.transpose()) * (1.0 - alpha * beta)), dense.norm());
    }

    /// LDR-TD: fast product = Krylov reconstruction; `Δ_{A,B}(M) = GHᵀ − AⁿGHᵀBⁿ`, rank ≤ 2r;
    /// the reconstruction is the sum `Σ_{j<n} Aʲ GHᵀ Bʲ` of dense matrix powers.
    #[test]
    fn ldr_td_laws(
        (a, b, g, h, x) in (2usize..=16, 1usize..=3).prop_flat_map(|(n, r)| {
            (tridiagonal(n), tridiagonal(n), mat(n, r), mat(n, r), real_vector(n))
        })
    ) {
        let n = g.nrows();
        let m = LdrTd::new(a.clone(), b.clone(), g.clone(), h.clone()).unwrap();
        check_family(&m, &x);
        let dense = m.to_dense();
        let (ad, bd) = (a.to_dense(), b.to_dense());
        let (an, bn) = (ad.pow(n as u32), bd.pow(n as u32));
        let gh = &g * h.transpose();
        let expected = &gh - &an * &gh * &bn;
        assert_mat_close(&stein(&ad, &dense, &bd).unwrap(), &expected, dense.norm() * (1.0 + ad.norm() * bd.norm()));
        let (mut power_sum, mut scale) = (DMatrix::<f64>::zeros(n, n), 0.0);
        let (mut aj, mut bj) = (DMatrix::<f64>::identity(n, n), DMatrix::<f64>::identity(n, n));
        for _ in 0..n {
            power_sum += &aj * &gh * &bj;
            scale += aj.norm() * gh.norm() * bj.norm();
            aj = &ad * aj;
            bj *= &bd;
        }
        assert_mat_close(&dense, &power_sum, scale);
    }
}

// ---------------------------------------------------------------- bad input

#[test]
fn mismatched_shapes_are_rejected() {
    let a = DMatrix::<f64>::zeros(3, 3);
    let m = DMatrix::<f64>::zeros(3, 4);
    assert!(matches!(
        sylvester(&a, &m, &a),
        Err(Error::ShapeMismatch {
            expected: 4,
            got: 3,
            ..
        })
    ));
    assert!(matches!(
        stein(&a, &m, &DMatrix::zeros(4, 5)),
        Err(Error::ShapeMismatch { .. })
    ));
    let d = Displacement::sylvester(
        Operator::shift(3, 1.0).unwrap(),
        Operator::shift(3, -1.0).unwrap(),
    );
    assert!(matches!(d.apply(&m), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(d.rank(&m), Err(Error::ShapeMismatch { .. })));
    let t = ToeplitzLike::new(DMatrix::zeros(4, 1), DMatrix::zeros(4, 1)).unwrap();
    assert!(matches!(
        t.matvec(&[1.0; 3]),
        Err(Error::ShapeMismatch {
            expected: 4,
            got: 3,
            ..
        })
    ));
    assert!(matches!(
        ToeplitzLike::new(DMatrix::zeros(4, 1), DMatrix::zeros(5, 1)),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        CauchyLike::new(
            vec![0.0; 2],
            vec![1.0; 3],
            DMatrix::zeros(2, 1),
            DMatrix::zeros(2, 1)
        ),
        Err(Error::ShapeMismatch { .. })
    ));
    let z3 = Cyclic::new(3).unwrap();
    assert!(matches!(
        group_displacement(&z3, &m, 1),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        DiagonalForm::from_matrix(z3, &m),
        Err(Error::ShapeMismatch { .. })
    ));
    let k = |n: usize| Kernel::dense(n, vec![0.0; n]).unwrap();
    assert!(matches!(
        RankRForm::new(z3, k(2), DMatrix::zeros(3, 1), vec![k(3)]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        RankRForm::new(z3, k(3), DMatrix::zeros(4, 1), vec![k(3)]),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn operators_of_the_wrong_size_are_rejected() {
    assert!(matches!(
        Operator::dense(DMatrix::zeros(2, 3)),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        Operator::tridiagonal(vec![0.0; 3], vec![0.0; 3], vec![0.0; 2]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        Operator::shift(0, 1.0),
        Err(Error::InvalidParameter { .. })
    ));
    let (a3, a4) = (
        Operator::shift(3, 1.0).unwrap(),
        Operator::shift(4, 1.0).unwrap(),
    );
    let g = DMatrix::zeros(3, 1);
    assert!(matches!(
        LdrTd::new(a3.clone(), a4, g.clone(), g.clone()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        LdrSd::new(vec![1.0; 3], vec![1.0; 4], g.clone(), g.clone()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        krylov_sum(&a3, &a3, &DMatrix::zeros(4, 1), &g),
        Err(Error::ShapeMismatch { .. })
    ));
    let z3 = Cyclic::new(3).unwrap();
    assert!(matches!(
        group_displacement(&z3, &DMatrix::zeros(3, 3), 3),
        Err(Error::IndexOutOfRange { index: 3, order: 3 })
    ));
    assert!(matches!(
        mean_word_length(&Cyclic::new(4).unwrap(), &[2]),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn generators_of_inconsistent_rank_are_rejected() {
    let (g2, h3) = (DMatrix::zeros(4, 2), DMatrix::zeros(4, 3));
    let bad = |r: gm_algebra::Result<()>| matches!(r, Err(Error::InvalidGenerators { .. }));
    assert!(bad(ToeplitzLike::new(g2.clone(), h3.clone()).map(|_| ())));
    assert!(bad(HankelLike::new(g2.clone(), h3.clone()).map(|_| ())));
    assert!(bad(VandermondeLike::new(
        vec![0.5; 4],
        2.0,
        g2.clone(),
        h3.clone()
    )
    .map(|_| ())));
    assert!(bad(CauchyLike::new(
        vec![0.0; 4],
        vec![1.0; 4],
        g2.clone(),
        h3.clone()
    )
    .map(|_| ())));
    assert!(bad(LowRank::new(g2.clone(), h3.clone()).map(|_| ())));
    assert!(bad(LdrSd::new(
        vec![1.0; 4],
        vec![1.0; 4],
        g2.clone(),
        h3.clone()
    )
    .map(|_| ())));
    let t = Operator::tridiagonal(vec![0.0; 3], vec![1.0; 4], vec![0.0; 3]).unwrap();
    assert!(bad(
        LdrTd::new(t.clone(), t, g2.clone(), h3.clone()).map(|_| ())
    ));
    let k = Kernel::dense(4, vec![0.0; 4]).unwrap();
    assert!(bad(RankRForm::new(
        Cyclic::new(4).unwrap(),
        k.clone(),
        g2,
        vec![k; 3]
    )
    .map(|_| ())));
}

#[test]
fn singular_node_sets_are_rejected() {
    let g = DMatrix::zeros(2, 1);
    // 1² = 1 = f: ∇_{D_v, Z_1} is not invertible.
    assert!(matches!(
        VandermondeLike::new(vec![1.0, 0.5], 1.0, g.clone(), g.clone()),
        Err(Error::Singular { .. })
    ));
    assert!(matches!(
        CauchyLike::new(vec![1.0, 2.0], vec![3.0, 2.0], g.clone(), g),
        Err(Error::Singular { .. })
    ));
}

// ---------------------------------------------------------------- group displacement

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `∇_s(M) = 0` for all generators ⇔ `M` is a GM (then `f(g) = M[0, g]`), on every group
    /// family of the strategy; a single changed entry is detected.
    #[test]
    fn group_displacement_vanishes_exactly_on_group_matrices(
        (g, f, pos, delta) in small_group(48).prop_flat_map(|g| {
            let n = g.order();
            (Just(g), real_vector(n), (0..n, 0..n), prop_oneof![Just(0.0), 0.1f64..1.0])
        })
    ) {
        let gens = g.generator_indices();
        let mut m = gm(&g, &f);
        m[pos] += delta;
        let d = stacked_group_displacement(&g, &m, &gens).unwrap();
        let is_gm = d.norm() == 0.0;
        prop_assert_eq!(is_gm, delta == 0.0 || g.order() == 1);
        prop_assert_eq!(group_displacement_rank(&g, &m, &gens).unwrap() == 0, is_gm);
        prop_assert_eq!(DiagonalForm::from_matrix(g.clone(), &m).unwrap().is_group_matrix(0.0), is_gm);
        if is_gm {
            let f0: Vec<f64> = (0..g.order()).map(|b| m[(0, b)]).collect();
            prop_assert_eq!(gm(&g, &f0), m);
        }
    }

    /// For `Z_n` and `S = {1}`: `∇_1(M) = Z₁M − MZ₁`, the circulant Sylvester displacement.
    #[test]
    fn cyclic_group_displacement_is_circulant_sylvester((n, m) in (1usize..=24).prop_flat_map(|n| (Just(n), mat(n, n)))) {
        let z = Cyclic::new(n).unwrap();
        let z1 = Operator::shift(n, 1.0).unwrap().to_dense();
        let s = if n == 1 { 0 } else { 1 };
        prop_assert_eq!(group_displacement(&z, &m, s).unwrap(), sylvester(&z1, &m, &z1).unwrap());
    }

    /// Subadditivity of the group displacement rank.
    #[test]
    fn group_displacement_rank_is_subadditive((g, m, n2) in near_gm_pair(32)) {
        let gens = g.generator_indices();
        let (rm, rn) = (group_displacement_rank(&g, &m, &gens).unwrap(), group_displacement_rank(&g, &n2, &gens).unwrap());
        prop_assert!(group_displacement_rank(&g, &(&m + &n2), &gens).unwrap() <= rm + rn);
    }

    /// Product and inverse rules per generator: `∇_s(MN) = ∇_s(M)N + M∇_s(N)`,
    /// `∇_s(M⁻¹) = −M⁻¹∇_s(M)M⁻¹`.
    #[test]
    fn group_displacement_product_and_inverse_rules((g, m, n2) in near_gm_pair(32)) {
        let order = g.order();
        for s in g.generator_indices() {
            let d = |x: &DMatrix<f64>| group_displacement(&g, x, s).unwrap();
            let lhs = d(&(&m * &n2));
            let rhs = d(&m) * &n2 + &m * d(&n2);
            assert_mat_close(&lhs, &rhs, m.norm() * n2.norm());
            let inv_m = shifted(m.clone(), 2.0 * order as f64);
            let mi = inv_m.clone().try_inverse().unwrap();
            assert_mat_close(&d(&mi), &-(&mi * d(&inv_m) * &mi), 1.0);
        }
    }

    /// Sandwich `½ max_s ‖∇_s M‖_F ≤ dist(M, GM) ≤ L̄_S · max_s ‖∇_s M‖_F`.
    #[test]
    fn group_displacement_bounds_distance_to_gm((g, m) in near_gm(40)) {
        let gens = g.generator_indices();
        let delta = gens.iter().map(|&s| group_displacement(&g, &m, s).unwrap().norm()).fold(0.0, f64::max);
        let dist = (&m - projection(&g, &m)).norm();
        let tol = 1e-12 * g.order() as f64 * (1.0 + m.norm());
        prop_assert!(0.5 * delta <= dist + tol);
        prop_assert!(dist <= mean_word_length(&g, &gens).unwrap() * delta + tol);
    }

    /// Products of near-GMs: `‖∇_s(MN)‖_F ≤ ‖∇_s M‖_F‖N‖₂ + ‖M‖₂‖∇_s N‖_F`, hence
    /// `dist(MN) ≤ L̄_S max_s(…) ≤ 2 L̄_S (dist(M)‖N‖₂ + ‖M‖₂ dist(N))`.
    #[test]
    fn product_of_near_group_matrices_bound((g, m, n2) in near_gm_pair(32)) {
        let gens = g.generator_indices();
        let mn = &m * &n2;
        let (sm, sn) = (spectral(&m), spectral(&n2));
        let tol = 1e-12 * g.order() as f64 * (1.0 + m.norm() * n2.norm());
        let mut bound: f64 = 0.0;
        for &s in &gens {
            let lhs = group_displacement(&g, &mn, s).unwrap().norm();
            let rhs = group_displacement(&g, &m, s).unwrap().norm() * sn + sm * group_displacement(&g, &n2, s).unwrap().norm();
            prop_assert!(lhs <= rhs + tol);
            bound = bound.max(rhs);
        }
        let lbar = mean_word_length(&g, &gens).unwrap();
        let dist = |x: &DMatrix<f64>| distance_to_gm(&g, x).unwrap();
        prop_assert!(dist(&mn) <= lbar * bound + tol);
        prop_assert!(lbar * bound <= 2.0 * lbar * (dist(&m) * sn + sm * dist(&n2)) + tol);
    }

    // ------------------------------------------------------------ diagonal form

    /// `M = Σ_g diag(d_g) B_g` with `d_g[a] = M[a, g_a g]`, uniquely; the nearest GM is the
    /// row mean and `dist(M, GM) = ‖F − f1ᵀ‖_F`; `F − F_s` is the stack of `M − L_sML_s⁻¹`.
    #[test]
    fn diagonal_form_laws((g, m) in small_group(32).prop_flat_map(|g| { let n = g.order(); (Just(g), mat(n, n)) })) {
        let n = g.order();
        let d = DiagonalForm::from_matrix(g.clone(), &m).unwrap();
        prop_assert_eq!(d.to_matrix(), m.clone());
        let mut sum = DMatrix::zeros(n, n);
        for k in 0..n {
            let b = DMatrix::from_fn(n, n, |a, c| if g.left_div_idx(a, c) == k { 1.0 } else { 0.0 });
            sum += DMatrix::from_diagonal(&d.values().row(k).transpose()) * b;
        }
        prop_assert_eq!(&sum, &m);
        let p = projection(&g, &m);
        let means: Vec<f64> = d.values().row_iter().map(|r| r.mean()).collect();
        assert_mat_close(&gm(&g, &means), &p, m.norm());
        assert_close(&GroupMatrix::project(g.clone(), &m).unwrap().kernel().to_vec(), &means, m.norm());
        let centred = d.values() - DMatrix::from_fn(n, n, |k, _| means[k]);
        prop_assert!(((&m - &p).norm() - centred.norm()).abs() <= 1e-12 * n as f64 * (1.0 + m.norm()));
        for s in g.generator_indices() {
            let shifted = DiagonalForm::from_matrix(g.clone(), &conjugate(&g, &m, s)).unwrap();
            prop_assert_eq!(d.displacement(s).unwrap(), d.values() - shifted.values());
            let nd = group_displacement(&g, &m, s).unwrap().norm();
            prop_assert!((d.displacement(s).unwrap().norm() - nd).abs() <= 1e-12 * n as f64 * (1.0 + nd));
        }
    }

    /// Rank-r form: `F = f1ᵀ + Σ b_i a_iᵀ` has displacement rank ≤ r, its dense matrix is
    /// `M_f + Σ diag(a_i) M_{b_i}` and equals the diagonal form's reconstruction, the product
    /// through r + 1 GM products equals the dense product, and with a shared support of size
    /// `K` it has `K(r + 1) + rn` parameters.
    #[test]
    fn rank_r_form_laws(
        (g, support, f, a, b, x) in (small_group(40), 0usize..=3).prop_flat_map(|(g, r)| {
            let n = g.order();
            let support = proptest::collection::vec(any::<bool>(), n)
                .prop_map(|mut s| { s[0] = true; (0..s.len()).filter(|&i| s[i]).collect::<Vec<_>>() });
            (Just(g), support, real_vector(n), mat(n, r), proptest::collection::vec(real_vector(n), r), real_vector(n))
        })
    ) {
        let n = g.order();
        let r = a.ncols();
        let sparse = |v: &[f64]| -> (Vec<f64>, Kernel) {
            let dense: Vec<f64> = (0..n).map(|i| if support.contains(&i) { v[i] } else { 0.0 }).collect();
            (dense, Kernel::sparse(n, support.iter().map(|&i| (i, v[i])).collect()).unwrap())
        };
        let (f, fk) = sparse(&f);
        let (b, bk): (Vec<Vec<f64>>, Vec<Kernel>) = b.iter().map(|v| sparse(v)).unzip();
        let form = RankRForm::new(g.clone(), fk, a.clone(), bk).unwrap();
        prop_assert_eq!(form.parameter_count(), support.len() * (r + 1) + r * n);
        let gens = g.generator_indices();
        let df = form.diagonal_form();
        prop_assert!(df.displacement_rank(&gens, f64::EPSILON).unwrap() <= r);
        let centred = df.values() - DMatrix::from_fn(n, n, |k, _| f[k]);
        // The centring subtracts f from F, so its rounding noise scales with ‖F‖, not with
        // ‖F − f1ᵀ‖ (which may be tiny): the rank tolerance must too.
        let tol = 2.0 * n as f64 * f64::EPSILON * df.values().norm();
        prop_assert!(numerical_rank_with(&centred, tol) <= r);
        let mut expected = gm(&g, &f);
        for (i, bi) in b.iter().enumerate() {
            expected += DMatrix::from_diagonal(&a.column(i).clone_owned()) * gm(&g, bi);
        }
        let dense = form.to_dense();
        assert_mat_close(&dense, &expected, expected.norm());
        prop_assert_eq!(&df.to_matrix(), &dense);
        let y = form.matvec(&x).unwrap();
        let yd = &dense * DVector::from_column_slice(&x);
        assert_close(&y, yd.as_slice(), dense.norm() * DVector::from_column_slice(&x).norm());
    }

    /// The index formula of `∇_s` equals its definition `L_s M − M L_s` with the matrix
    /// module's left-regular permutations, on every group family.
    #[test]
    fn group_displacement_matches_left_regular_definition(
        (g, m, s) in small_group(40).prop_flat_map(|g| { let n = g.order(); (Just(g), mat(n, n), 0..n) })
    ) {
        let l = left_regular(&g, s).unwrap();
        prop_assert_eq!(group_displacement(&g, &m, s).unwrap(), &l * &m - &m * &l);
    }
}

// ---------------------------------------------------------------- numerical rank, large sizes

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The default tolerance `max(m,n)·ε·σ_max` recovers the rank `k` of a random `U Vᵀ`.
    #[test]
    fn numerical_rank_recovers_the_rank_of_random_products(
        (u, v) in (1usize..=16, 1usize..=16, 0usize..=4).prop_flat_map(|(m, n, k)| (mat(m, k), mat(n, k)))
    ) {
        let k = u.ncols().min(u.nrows()).min(v.nrows());
        prop_assert_eq!(numerical_rank(&(&u * v.transpose())), k);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// At realistic sizes the FFT products agree with FFT-free computations: Toeplitz-like
    /// against its `O(r n²)` recurrence reconstruction, LDR-SD (FFT path) against Horner.
    #[test]
    fn fast_products_agree_at_large_sizes(
        (g, h, x, a, b) in (256usize..=1024, 1usize..=4).prop_flat_map(|(n, r)| {
            let w = proptest::collection::vec(0.9f64..1.1, n);
            (mat(n, r), mat(n, r), real_vector(n), w.clone(), w)
        })
    ) {
        let t = ToeplitzLike::new(g.clone(), h.clone()).unwrap();
        let dense = t.to_dense();
        let xv = DVector::from_column_slice(&x);
        assert_close(&t.apply(&x), (&dense * &xv).as_slice(), dense.norm() * xv.norm());
        let sd = LdrSd::new(a.clone(), b.clone(), g.clone(), h.clone()).unwrap();
        prop_assert!(sd.uses_fft());
        let (ao, bo) = (Operator::subdiagonal(a).unwrap(), Operator::subdiagonal(b).unwrap());
        let horner = krylov_sum_apply(&ao, &bo, &g, &h, &x);
        let scale = horner.iter().map(|y| y.abs()).fold(0.0, f64::max);
        assert_close(&sd.apply(&x), &horner, scale);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Structured operators: `apply` equals the dense matrix's product, and the cheap norm
    /// bound `√(‖A‖₁‖A‖_∞)` equals its dense formula and dominates `‖A‖₂`.
    #[test]
    fn operator_structure_laws(
        (op, x) in (2usize..=12).prop_flat_map(|n| {
            let ops = prop_oneof![
                tridiagonal(n),
                real_vector(n).prop_map(|w| Operator::subdiagonal(w).unwrap()),
                real_vector(n).prop_map(|d| Operator::diagonal(d).unwrap()),
                mat(n, n).prop_map(|a| Operator::dense(a).unwrap()),
            ];
            (ops, real_vector(n))
        })
    ) {
        let a = op.to_dense();
        let xv = DVector::from_column_slice(&x);
        assert_close(&op.apply(&x), (&a * &xv).as_slice(), a.norm() * xv.norm());
        let col = a.column_iter().map(|c| c.abs().sum()).fold(0.0, f64::max);
        let row = a.row_iter().map(|r| r.abs().sum()).fold(0.0, f64::max);
        prop_assert!((op.norm_bound() - (col * row).sqrt()).abs() <= 1e-12 * (1.0 + col + row));
        prop_assert!(spectral(&a) <= op.norm_bound() * (1.0 + 1e-12) + 1e-15);
    }
}

/// Issue 15.5: an `f32` export of a rank-2 form has `f32` rounding noise in every entry; at
/// `f64` precision that noise counts as rank, at `f32` precision it does not.
#[test]
fn an_f32_export_of_a_rank_two_form_has_rank_two_at_f32_precision() {
    use gm_algebra::group::Dihedral;
    let g = AnyGroup::cached(Dihedral::new(8).unwrap());
    let n = g.order();
    let gens = g.generator_indices();
    let wave = |k: usize, seed: f64| ((k as f64 + 1.0) * seed).sin();
    // F = f·1ᵀ + b₁a₁ᵀ + b₂a₂ᵀ: kernels f, b_i on rows (elements), profiles a_i on columns.
    let exact = DMatrix::from_fn(n, n, |row, col| {
        wave(row, 0.37) + wave(row, 1.3) * wave(col, 0.71) + wave(row, 2.9) * wave(col, 1.9)
    });
    let exported = exact.map(|v| v as f32 as f64);
    let rank = |values: &DMatrix<f64>, eps: f64| {
        DiagonalForm::from_values(g.clone(), values.clone())
            .unwrap()
            .displacement_rank(&gens, eps)
            .unwrap()
    };
    assert_eq!(rank(&exact, f64::EPSILON), 2);
    assert_eq!(rank(&exported, f32::EPSILON as f64), 2);
    assert!(
        rank(&exported, f64::EPSILON) > 2,
        "the f64 tolerance sees f32 noise"
    );
    let bad = DiagonalForm::from_values(g.clone(), exact).unwrap();
    assert!(matches!(
        bad.displacement_rank(&gens, f64::NAN),
        Err(Error::InvalidParameter { .. })
    ));
}
