//! Fast Krylov products for subdiagonal-plus-corner operators (the shifts `Z_f` and the
//! LDR-SD operators) through the FFT.
//!
//! A subdiagonal operator `A` (`A e_i = w_i e_{i+1}`, `A e_{n−1} = w_{n−1} e_0`) with every
//! `w_i ≠ 0` is diagonally similar to a scaled cyclic shift: with `c` an `n`-th root of
//! `α = ∏ w_i` and `D = diag(d_i)`, `d_i = ∏_{j<i} (w_j / c)`,
//! `A = D (c Z₁) D⁻¹`, hence `A^k = c^k D Z₁^k D⁻¹`. Both Krylov products then become
//! circular convolutions:
//! - `K(A, g) w = Σ_k w_k A^k g = D ((c^k w_k)_k ⊛ D⁻¹g)`;
//! - `K(Aᵀ, h)ᵀ x = (hᵀ A^k x)_k = (c^k (ũ ⊛ D⁻¹x)_{−k})_k` with `u = D h`, `ũ_j = u_{−j}`.
//!
//! For `Z_f` (`w = (1, …, 1, f)`) this is the classical `f`-circulant diagonalisation
//! `Z_f(v) = Δ⁻¹ C(Δv) Δ`, `Δ = diag(γ^i)`, `γ^n = f`. The accuracy of the similarity
//! depends on the spread `max|d_i| / min|d_i|` ([`ShiftKrylov::condition`]): it is 1 to
//! `|f|^{±1}` for `Z_f` and can grow exponentially in `n` for arbitrary learned weights.

use crate::{Error, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;
use rustfft::{Fft, FftPlanner};
use std::sync::Arc;

/// An FFT plan for the Krylov products of one subdiagonal-plus-corner operator with nonzero
/// weights (plan once, apply many).
///
/// # Example
/// ```
/// use gm_algebra::displacement::ShiftKrylov;
/// // K(Z₁, g) is the circulant with first column g.
/// let z = ShiftKrylov::shift(3, 1.0).unwrap();
/// let gs = z.column_spectrum(&[1.0, 2.0, 3.0]);
/// let y = z.krylov(&gs, &[0.0, 1.0, 0.0]);
/// assert!((y[0].re - 3.0).abs() < 1e-12 && (y[1].re - 1.0).abs() < 1e-12);
/// ```
#[derive(Clone)]
pub struct ShiftKrylov {
    c_powers: Vec<Complex64>,
    scale: Vec<Complex64>,
    inv_scale: Vec<Complex64>,
    fft: Arc<dyn Fft<f64>>,
    ifft: Arc<dyn Fft<f64>>,
    condition: f64,
}

impl std::fmt::Debug for ShiftKrylov {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShiftKrylov")
            .field("n", &self.scale.len())
            .field("condition", &self.condition)
            .finish()
    }
}

impl ShiftKrylov {
    /// Plans the operator with weights `w` (last entry = corner).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `w` is empty or has a zero (or non-finite) entry: the
    /// operator is then not similar to a scaled cyclic shift.
    pub fn new(w: &[f64]) -> Result<Self> {
        let n = w.len();
        if n == 0 || w.iter().any(|x| *x == 0.0 || !x.is_finite()) {
            return Err(Error::InvalidParameter {
                family: "FFT Krylov plan of a subdiagonal operator".into(),
                reason: "needs at least one weight, all finite and nonzero".into(),
            });
        }
        // c = α^{1/n}, computed from logarithms so that α may under/overflow harmlessly.
        let log_abs: f64 = w.iter().map(|x| x.abs().ln()).sum::<f64>() / n as f64;
        let negatives = w.iter().filter(|x| **x < 0.0).count();
        let phase = if negatives % 2 == 1 {
            std::f64::consts::PI / n as f64
        } else {
            0.0
        };
        let c = Complex64::from_polar(log_abs.exp(), phase);
        let mut c_powers = Vec::with_capacity(n);
        let mut scale = Vec::with_capacity(n);
        let (mut p, mut d) = (Complex64::new(1.0, 0.0), Complex64::new(1.0, 0.0));
        for wi in w {
            c_powers.push(p);
            scale.push(d);
            p *= c;
            d *= *wi / c;
        }
        let inv_scale: Vec<Complex64> = scale.iter().map(|d| 1.0 / d).collect();
        let (lo, hi) = scale.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), d| {
            (lo.min(d.norm()), hi.max(d.norm()))
        });
        let mut planner = FftPlanner::new();
        Ok(Self {
            c_powers,
            scale,
            inv_scale,
            fft: planner.plan_fft_forward(n),
            ifft: planner.plan_fft_inverse(n),
            condition: hi / lo,
        })
    }

    /// Plans the unit-`f`-circulant shift `Z_f` of dimension `n`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n == 0` or `f == 0`.
    pub fn shift(n: usize, f: f64) -> Result<Self> {
        let mut w = vec![1.0; n];
        if let Some(last) = w.last_mut() {
            *last = f;
        }
        Self::new(&w)
    }

    /// The dimension `n`.
    pub fn dim(&self) -> usize {
        self.scale.len()
    }

    /// The spread `max|d_i| / min|d_i|` of the similarity: relative rounding errors of the
    /// fast products grow like `ε · n log n · condition`.
    pub fn condition(&self) -> f64 {
        self.condition
    }

    fn forward(&self, mut v: Vec<Complex64>) -> Vec<Complex64> {
        self.fft.process(&mut v);
        v
    }

    /// `IFFT(v) / n`.
    fn inverse(&self, mut v: Vec<Complex64>) -> Vec<Complex64> {
        self.ifft.process(&mut v);
        let s = 1.0 / v.len() as f64;
        v.iter_mut().for_each(|x| *x *= s);
        v
    }

    /// The precomputed spectrum `FFT(D⁻¹g)` of a generator column used by
    /// [`ShiftKrylov::krylov`].
    ///
    /// # Panics
    /// If `g.len() != n`.
    pub fn column_spectrum(&self, g: &[f64]) -> Vec<Complex64> {
        super::check_len("Krylov generator", self.dim(), g.len());
        self.forward(g.iter().zip(&self.inv_scale).map(|(g, s)| g * s).collect())
    }

    /// The precomputed spectrum `FFT(ũ)`, `u = D h`, `ũ_j = u_{−j mod n}`, of a generator
    /// used by [`ShiftKrylov::krylov_transpose`].
    ///
    /// # Panics
    /// If `h.len() != n`.
    pub fn row_spectrum(&self, h: &[f64]) -> Vec<Complex64> {
        let n = self.dim();
        super::check_len("Krylov generator", n, h.len());
        self.forward(
            (0..n)
                .map(|j| {
                    let i = (n - j) % n;
                    h[i] * self.scale[i]
                })
                .collect(),
        )
    }

    /// The spectrum `FFT(D⁻¹x)` of an input vector, shared by every
    /// [`ShiftKrylov::krylov_transpose`] call on the same `x`.
    ///
    /// # Panics
    /// If `x.len() != n`.
    pub fn input_spectrum(&self, x: &[f64]) -> Vec<Complex64> {
        self.column_spectrum(x)
    }

    /// `K(Aᵀ, h)ᵀ x = (hᵀ A^k x)_{k<n}` from `row_spectrum(h)` and `input_spectrum(x)`, in one
    /// inverse FFT.
    ///
    /// # Panics
    /// If a spectrum does not have length `n`.
    pub fn krylov_transpose(&self, h_spec: &[Complex64], x_spec: &[Complex64]) -> Vec<Complex64> {
        let n = self.dim();
        super::check_len("row spectrum", n, h_spec.len());
        super::check_len("input spectrum", n, x_spec.len());
        let conv = self.inverse(h_spec.iter().zip(x_spec).map(|(a, b)| a * b).collect());
        (0..n)
            .map(|k| self.c_powers[k] * conv[(n - k) % n])
            .collect()
    }

    /// The spectrum `FFT((c^k w_k)_k)` of a Krylov coefficient vector; summing
    /// `column_spectrum(g_i) ⊙ coefficient_spectrum(w_i)` over `i` and calling
    /// [`ShiftKrylov::finish`] gives `Σ_i K(A, g_i) w_i` with one inverse FFT.
    ///
    /// # Panics
    /// If `w.len() != n`.
    pub fn coefficient_spectrum(&self, w: &[Complex64]) -> Vec<Complex64> {
        super::check_len("Krylov coefficients", self.dim(), w.len());
        self.forward(w.iter().zip(&self.c_powers).map(|(w, c)| w * c).collect())
    }

    /// `D · IFFT(acc)/n`: turns an accumulated product spectrum into `Σ_i K(A, g_i) w_i`.
    ///
    /// # Panics
    /// If `acc.len() != n`.
    pub fn finish(&self, acc: Vec<Complex64>) -> Vec<Complex64> {
        super::check_len("accumulated spectrum", self.dim(), acc.len());
        let mut y = self.inverse(acc);
        y.iter_mut().zip(&self.scale).for_each(|(y, d)| *y *= d);
        y
    }

    /// `K(A, g) w = Σ_k w_k A^k g` from `column_spectrum(g)`, in `O(n log n)`.
    ///
    /// # Panics
    /// If a length is not `n`.
    pub fn krylov(&self, g_spec: &[Complex64], w: &[f64]) -> Vec<Complex64> {
        let w: Vec<Complex64> = w.iter().map(|x| Complex64::new(*x, 0.0)).collect();
        let ws = self.coefficient_spectrum(&w);
        self.finish(ws.iter().zip(g_spec).map(|(a, b)| a * b).collect())
    }
}

/// A sum of Krylov products `M = Σ_i K(A, g_i) P K(Bᵀ, h_i)ᵀ`, with `P = J` (the reversal,
/// the Pan form of Sylvester displacement) or `P = I` (the Thomas et al. form of Stein
/// displacement), applied in `2r + 2` FFTs of length `n`.
#[derive(Debug, Clone)]
pub struct KrylovSum {
    a: ShiftKrylov,
    b: ShiftKrylov,
    g_spec: Vec<Vec<Complex64>>,
    h_spec: Vec<Vec<Complex64>>,
    reverse: bool,
}

impl KrylovSum {
    /// Plans the sum for the generator columns `g_i` of `G` and `h_i` of `H` (both `n × r`);
    /// `reverse` selects `P = J`.
    ///
    /// # Panics
    /// If a generator length differs from the operators' common dimension.
    pub fn new(
        a: ShiftKrylov,
        b: ShiftKrylov,
        g: &DMatrix<f64>,
        h: &DMatrix<f64>,
        reverse: bool,
    ) -> Self {
        let g_spec = g
            .column_iter()
            .map(|g| a.column_spectrum(g.as_slice()))
            .collect();
        let h_spec = h
            .column_iter()
            .map(|h| b.row_spectrum(h.as_slice()))
            .collect();
        Self {
            a,
            b,
            g_spec,
            h_spec,
            reverse,
        }
    }

    /// The larger similarity spread of the two operators (see [`ShiftKrylov::condition`]).
    pub fn condition(&self) -> f64 {
        self.a.condition().max(self.b.condition())
    }

    /// `M x` (real part), in `O(r n log n)`.
    ///
    /// # Panics
    /// If `x.len() != n`.
    pub fn apply(&self, x: &[f64]) -> Vec<f64> {
        let n = self.a.dim();
        let xs = self.b.input_spectrum(x);
        let mut acc = vec![Complex64::new(0.0, 0.0); n];
        for (gs, hs) in self.g_spec.iter().zip(&self.h_spec) {
            let mut s = self.b.krylov_transpose(hs, &xs);
            if self.reverse {
                s.reverse();
            }
            let ws = self.a.coefficient_spectrum(&s);
            acc.iter_mut()
                .zip(ws.iter().zip(gs))
                .for_each(|(acc, (w, g))| *acc += w * g);
        }
        self.a.finish(acc).iter().map(|y| y.re).collect()
    }
}
