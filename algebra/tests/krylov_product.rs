//! Property tests of the Krylov-product parametrisation of the LDR layers (Thomas et al. 2018)
//! and its relations to the Pan-form families (docs/theory/displacement.md, §3b, names each).

use gm_algebra::displacement::{
    krylov_matrix, numerical_rank, Displacement, HankelLike, KrylovProduct, LdrMatrix, Operator,
    ToeplitzLike,
};
use gm_algebra::group::strategy::real_vector;
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

/// A random `r × c` matrix with entries in [−1, 1].
fn mat(r: usize, c: usize) -> impl Strategy<Value = DMatrix<f64>> {
    proptest::collection::vec(-1.0f64..1.0, r * c).prop_map(move |v| DMatrix::from_vec(r, c, v))
}

/// `(G, H)`, both `n × r`, with `n ∈ [lo, max_n]`, `r ∈ [1, max_r]`.
fn generators(
    lo: usize,
    max_n: usize,
    max_r: usize,
) -> impl Strategy<Value = (DMatrix<f64>, DMatrix<f64>)> {
    (lo..=max_n, 1..=max_r).prop_flat_map(|(n, r)| (mat(n, r), mat(n, r)))
}

/// `‖a − b‖_max ≤ 1e-12 · n · (1 + scale)`.
fn assert_mat_close(a: &DMatrix<f64>, b: &DMatrix<f64>, scale: f64) {
    assert_eq!(a.shape(), b.shape());
    let err = (a - b).amax();
    let n = a.nrows().max(a.ncols()) as f64;
    assert!(
        err <= 1e-12 * n * (1.0 + scale),
        "error {err} at scale {scale}"
    );
}

/// The oracle `P Σ_i K(A, g_i) K(B, h_i)ᵀ` from the algebra's `krylov_matrix`.
fn krylov_oracle(
    a: &Operator,
    b: &Operator,
    g: &DMatrix<f64>,
    h: &DMatrix<f64>,
    reverse: bool,
) -> DMatrix<f64> {
    let n = g.nrows();
    let mut m = DMatrix::zeros(n, n);
    for (gi, hi) in g.column_iter().zip(h.column_iter()) {
        m += krylov_matrix(a, gi.as_slice(), n) * krylov_matrix(b, hi.as_slice(), n).transpose();
    }
    if reverse {
        m = reverse_rows(&m);
    }
    m
}

fn reverse_rows(m: &DMatrix<f64>) -> DMatrix<f64> {
    let n = m.nrows();
    DMatrix::from_fn(n, m.ncols(), |i, j| m[(n - 1 - i, j)])
}

fn shift(n: usize, f: f64) -> Operator {
    Operator::shift(n, f).unwrap()
}

/// The shared laws: dense = oracle, product = dense · x, displacement rank within the bound;
/// for the families whose power term is proportional, the displacement is exactly
/// `c · P GHᵀ` and its rank equals that of `GHᵀ`.
fn check(m: &KrylovProduct, oracle: &DMatrix<f64>, x: &[f64], exact: Option<f64>) {
    let dense = m.to_dense();
    let scale = oracle.norm();
    assert_mat_close(&dense, oracle, scale);
    let y = m.matvec(x).unwrap();
    let x = DVector::from_column_slice(x);
    let expected = &dense * &x;
    let column = |v: &[f64]| DMatrix::from_column_slice(v.len(), 1, v);
    assert_mat_close(&column(&y), &column(expected.as_slice()), scale * x.norm());
    let d = m.displacement();
    let rank = d.rank(&dense).unwrap();
    assert!(rank <= m.displacement_rank_bound(), "rank {rank} > bound");
    if let Some(c) = exact {
        let (g, h) = m.generators();
        let mut gh = g * h.transpose() * c;
        if m.reverses_rows() {
            gh = reverse_rows(&gh);
        }
        assert_mat_close(&d.apply(&dense).unwrap(), &gh, scale);
        assert_eq!(rank, numerical_rank(&gh));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Toeplitz-like without corners: `Σ K(Z₀,g_i)K(Z₀,h_i)ᵀ`, `Δ_{Z₀,Z₀ᵀ}(M) = GHᵀ`.
    #[test]
    fn toeplitz_like_is_the_krylov_product_of_z0((g, h) in generators(1, 24, 4), x in real_vector(24)) {
        let n = g.nrows();
        let m = KrylovProduct::toeplitz_like(g.clone(), h.clone()).unwrap();
        let oracle = krylov_oracle(&shift(n, 0.0), &shift(n, 0.0), &g, &h, false);
        check(&m, &oracle, &x[..n], Some(1.0));
    }

    /// Corner Toeplitz-like: `Σ K(Z₁,g_i)K(Z₋₁,h_i)ᵀ`, `Δ_{Z₁,Z₋₁ᵀ}(M) = 2GHᵀ`.
    #[test]
    fn corner_toeplitz_like_is_the_krylov_product_of_z1_and_zm1((g, h) in generators(1, 24, 4), x in real_vector(24)) {
        let n = g.nrows();
        let m = KrylovProduct::toeplitz_like_corner(g.clone(), h.clone()).unwrap();
        let oracle = krylov_oracle(&shift(n, 1.0), &shift(n, -1.0), &g, &h, false);
        check(&m, &oracle, &x[..n], Some(2.0));
    }

    /// Hankel-like: `J Σ K(Z₁,g_i)K(Z₋₁,h_i)ᵀ`, `Δ_{Z₁ᵀ,Z₋₁ᵀ}(M) = 2JGHᵀ`.
    #[test]
    fn hankel_like_is_the_reversed_corner_product((g, h) in generators(1, 24, 4), x in real_vector(24)) {
        let n = g.nrows();
        let m = KrylovProduct::hankel_like(g.clone(), h.clone()).unwrap();
        let oracle = krylov_oracle(&shift(n, 1.0), &shift(n, -1.0), &g, &h, true);
        check(&m, &oracle, &x[..n], Some(2.0));
    }

    /// Vandermonde-like: `Σ K(diag d, g_i)K(Z₀,h_i)ᵀ`, `Δ_{D,Z₀ᵀ}(M) = GHᵀ`.
    #[test]
    fn vandermonde_like_is_the_krylov_product_of_diag_and_z0(
        (g, h, d) in generators(1, 24, 4).prop_flat_map(|(g, h)| { let n = g.nrows(); (Just(g), Just(h), proptest::collection::vec(-0.7f64..0.7, n)) }),
        x in real_vector(24),
    ) {
        let n = g.nrows();
        let m = KrylovProduct::vandermonde_like(d.clone(), g.clone(), h.clone()).unwrap();
        let oracle = krylov_oracle(&Operator::diagonal(d).unwrap(), &shift(n, 0.0), &g, &h, false);
        check(&m, &oracle, &x[..n], Some(1.0));
    }

    /// LDR-SD: subdiagonal `A`, `B` without corners, `Δ_{A,Bᵀ}(M) = GHᵀ`.
    #[test]
    fn ldr_sd_is_the_krylov_product_of_two_subdiagonals(
        (g, h, sa, sb) in generators(1, 24, 4).prop_flat_map(|(g, h)| { let n = g.nrows(); (Just(g), Just(h), proptest::collection::vec(-1.5f64..1.5, n - 1), proptest::collection::vec(-1.5f64..1.5, n - 1)) }),
        x in real_vector(24),
    ) {
        let n = g.nrows();
        let m = KrylovProduct::ldr_sd(sa.clone(), sb.clone(), g.clone(), h.clone()).unwrap();
        let sub = |w: &[f64]| { let mut w = w.to_vec(); w.push(0.0); Operator::subdiagonal(w).unwrap() };
        let oracle = krylov_oracle(&sub(&sa), &sub(&sb), &g, &h, false);
        check(&m, &oracle, &x[..n], Some(1.0));
    }

    /// LDR-TD: tridiagonal `A`, `B`; displacement rank ≤ 2r.
    #[test]
    fn ldr_td_is_the_krylov_product_of_two_tridiagonals(
        (g, h, a, b) in generators(2, 12, 3).prop_flat_map(|(g, h)| {
            let n = g.nrows();
            let band = move || (real_vector(n - 1), real_vector(n), real_vector(n - 1));
            (Just(g), Just(h), band(), band())
        }),
        x in real_vector(12),
    ) {
        let n = g.nrows();
        let m = KrylovProduct::ldr_td(
            [a.0.clone(), a.1.clone(), a.2.clone()],
            [b.0.clone(), b.1.clone(), b.2.clone()],
            g.clone(),
            h.clone(),
        ).unwrap();
        let tri = |t: &(Vec<f64>, Vec<f64>, Vec<f64>)| Operator::tridiagonal(t.0.clone(), t.1.clone(), t.2.clone()).unwrap();
        let oracle = krylov_oracle(&tri(&a), &tri(&b), &g, &h, false);
        prop_assert_eq!(m.displacement_rank_bound(), 2 * g.ncols());
        check(&m, &oracle, &x[..n], None);
    }

    /// The generic constructor agrees with the oracle on dense operators.
    #[test]
    fn generic_krylov_product_equals_the_oracle(
        (g, h, a, b) in generators(1, 8, 3).prop_flat_map(|(g, h)| { let n = g.nrows(); (Just(g), Just(h), mat(n, n), mat(n, n)) }),
        x in real_vector(8),
    ) {
        let n = g.nrows();
        let (a, b) = (Operator::dense(a).unwrap(), Operator::dense(b).unwrap());
        let m = KrylovProduct::new(a.clone(), b.clone(), g.clone(), h.clone()).unwrap();
        check(&m, &krylov_oracle(&a, &b, &g, &h, false), &x[..n], None);
    }

    /// Corner Toeplitz-like = the Pan-form `ToeplitzLike` with generators `(−2G, Z₋₁ᵀH)`.
    #[test]
    fn corner_toeplitz_like_is_pan_toeplitz_like_with_converted_generators((g, h) in generators(1, 24, 4)) {
        let n = g.nrows();
        let m = KrylovProduct::toeplitz_like_corner(g.clone(), h.clone()).unwrap().to_dense();
        let zt = shift(n, -1.0).to_dense().transpose();
        let pan = ToeplitzLike::new(-2.0 * &g, zt * &h).unwrap().to_dense();
        assert_mat_close(&m, &pan, m.norm());
    }

    /// Hankel-like = the Pan-form `HankelLike` with generators `(2JZ₁ᵀG, H)`.
    #[test]
    fn hankel_like_is_pan_hankel_like_with_converted_generators((g, h) in generators(1, 24, 4)) {
        let n = g.nrows();
        let m = KrylovProduct::hankel_like(g.clone(), h.clone()).unwrap().to_dense();
        let z1t = shift(n, 1.0).to_dense().transpose();
        let pan = HankelLike::new(reverse_rows(&(2.0 * z1t * &g)), h).unwrap().to_dense();
        assert_mat_close(&m, &pan, m.norm());
    }

    /// Toeplitz-like without corners has `∇_{Z₁,Z₋₁}`-rank ≤ r + 2 (the Pan displacement).
    #[test]
    fn toeplitz_like_has_pan_displacement_rank_at_most_r_plus_two((g, h) in generators(1, 24, 4)) {
        let n = g.nrows();
        let m = KrylovProduct::toeplitz_like(g.clone(), h).unwrap().to_dense();
        let pan = Displacement::sylvester(shift(n, 1.0), shift(n, -1.0));
        prop_assert!(pan.rank(&m).unwrap() <= g.ncols() + 2);
    }

    /// Vandermonde-like has `∇_{D_d,Z_f}`-rank ≤ r + 1 for every `f` (the Pan displacement).
    #[test]
    fn vandermonde_like_has_pan_displacement_rank_at_most_r_plus_one(
        (g, h, d) in generators(1, 24, 4).prop_flat_map(|(g, h)| { let n = g.nrows(); (Just(g), Just(h), proptest::collection::vec(-0.7f64..0.7, n)) }),
        f in -2.0f64..2.0,
    ) {
        let n = g.nrows();
        let m = KrylovProduct::vandermonde_like(d.clone(), g.clone(), h).unwrap().to_dense();
        let pan = Displacement::sylvester(Operator::diagonal(d).unwrap(), shift(n, f));
        prop_assert!(pan.rank(&m).unwrap() <= g.ncols() + 1);
    }

    /// A Toeplitz matrix is the rank-2 corner-free product of (first column, e₀) and
    /// (e₀, first row without its diagonal entry), since `K(Z₀, e₀) = I`.
    #[test]
    fn toeplitz_matrices_are_rank_two_krylov_products((col, row) in (1usize..=16).prop_flat_map(|n| (real_vector(n), real_vector(n)))) {
        let n = col.len();
        let mut g = DMatrix::zeros(n, 2);
        let mut h = DMatrix::zeros(n, 2);
        for i in 0..n {
            g[(i, 0)] = col[i];
            h[(i, 1)] = if i == 0 { 0.0 } else { row[i] };
        }
        g[(0, 1)] = 1.0;
        h[(0, 0)] = 1.0;
        let t = DMatrix::from_fn(n, n, |i, j| if i >= j { col[i - j] } else { row[j - i] });
        let m = KrylovProduct::toeplitz_like(g, h).unwrap().to_dense();
        assert_mat_close(&m, &t, t.norm());
    }
}

#[test]
fn bad_parameters_are_typed_errors() {
    let g = DMatrix::zeros(4, 2);
    let h = DMatrix::zeros(4, 2);
    assert!(KrylovProduct::ldr_sd(vec![1.0; 2], vec![1.0; 3], g.clone(), h.clone()).is_err());
    assert!(KrylovProduct::ldr_sd(vec![1.0; 3], vec![1.0; 4], g.clone(), h.clone()).is_err());
    assert!(KrylovProduct::vandermonde_like(vec![0.5; 3], g.clone(), h.clone()).is_err());
    assert!(KrylovProduct::toeplitz_like(g.clone(), DMatrix::zeros(4, 1)).is_err());
    assert!(KrylovProduct::toeplitz_like(DMatrix::zeros(0, 1), DMatrix::zeros(0, 1)).is_err());
    let bands = || [vec![0.0; 3], vec![0.0; 4], vec![0.0; 3]];
    assert!(KrylovProduct::ldr_td(bands(), bands(), g.clone(), h.clone()).is_ok());
    let short = [vec![0.0; 2], vec![0.0; 4], vec![0.0; 3]];
    assert!(KrylovProduct::ldr_td(bands(), short, g, h).is_err());
}
