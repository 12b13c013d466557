//! Exact cyclotomic integers: elements of `Z[ζ_N]`, `ζ_N = exp(2πi/N)`, the values of
//! characters of finite groups.
//!
//! An element is stored in the power basis `1, ζ_N, …, ζ_N^{φ(N)−1}` of `Z[ζ_N]` (the
//! reduction of a polynomial in `ζ_N` modulo the cyclotomic polynomial `Φ_N`), which is
//! unique for a given `N`. `N` is normalised two ways: `N ≡ 2 (mod 4)` is replaced by `N/2`
//! (`ζ_{2m} = −ζ_m^{(m+1)/2}` for odd `m`), and rational integers have `N = 1`. It is not
//! reduced further to the conductor, so equality ([`PartialEq`]) compares in `Q(ζ_lcm)`.
//!
//! The text form is GAP's notation (`E(N)` for `ζ_N`), e.g. `-E(5)^2-E(5)^3`, which GAP reads
//! back as the same number.

use num_complex::Complex64;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// An exact element of `Z[ζ_N]` (see the [module docs](self)).
///
/// # Example
/// ```
/// use gm_algebra::cyclotomic::Cyclotomic;
/// // 1 + ζ₅ + ζ₅⁴, the value of a degree-3 character of A5 on a 5-cycle.
/// let x = Cyclotomic::from_root_multiplicities(5, &[1, 1, 0, 0, 1]);
/// assert_eq!(x.to_string(), "-E(5)^2-E(5)^3");
/// assert!((x.to_complex().re - (1.0 + 5f64.sqrt()) / 2.0).abs() < 1e-12);
/// assert_eq!(Cyclotomic::from_root_multiplicities(6, &[1, 0, 0, 1, 0, 0]).as_integer(), Some(0));
/// assert_eq!(Cyclotomic::root_of_unity(4, 1).to_string(), "E(4)");
/// ```
#[derive(Debug, Clone, Eq)]
pub struct Cyclotomic {
    n: usize,
    coeffs: Vec<i64>,
}

impl Cyclotomic {
    /// The rational integer `k`.
    pub fn integer(k: i64) -> Self {
        Self {
            n: 1,
            coeffs: vec![k],
        }
    }

    /// `ζ_n^k` (`n ≥ 1`).
    ///
    /// # Panics
    /// When `n == 0`.
    pub fn root_of_unity(n: usize, k: usize) -> Self {
        assert!(n > 0, "roots of unity need n ≥ 1");
        let g = gcd(n, k % n);
        let (n, k) = (n / g, (k % n) / g);
        let mut ring = vec![0; n];
        ring[k] = 1;
        Self::from_group_ring(n, ring)
    }

    /// `Σ_t multiplicities[t] · ζ_n^t` with `n = multiplicities.len()` — e.g. a character
    /// value from the multiplicities of the eigenvalues `ζ_n^t` of `ρ(g)`, `n` the order of `g`.
    ///
    /// # Panics
    /// When `multiplicities` is empty.
    pub fn from_root_multiplicities(n: usize, multiplicities: &[i64]) -> Self {
        assert!(
            n > 0 && multiplicities.len() == n,
            "one multiplicity per root"
        );
        Self::from_group_ring(n, multiplicities.to_vec())
    }

    /// The `N` of the power basis the element is written in.
    pub fn field(&self) -> usize {
        self.n
    }

    /// The coefficients of `1, ζ_N, …, ζ_N^{φ(N)−1}` (trailing zeros dropped).
    pub fn coefficients(&self) -> &[i64] {
        &self.coeffs
    }

    /// The value as an integer, when it is rational.
    pub fn as_integer(&self) -> Option<i64> {
        (self.n == 1).then_some(self.coeffs[0])
    }

    /// The complex number `Σ_k c_k exp(2πik/N)`.
    pub fn to_complex(&self) -> Complex64 {
        self.coeffs
            .iter()
            .enumerate()
            .filter(|(_, &c)| c != 0)
            .map(|(k, &c)| {
                let angle = std::f64::consts::TAU * k as f64 / self.n as f64;
                Complex64::from_polar(c as f64, angle)
            })
            .sum()
    }

    /// The Galois conjugate `σ_k: ζ_N ↦ ζ_N^k` (`k` coprime to `N`; `k = −1` mod `N` is
    /// complex conjugation).
    ///
    /// # Panics
    /// When `k` is not coprime to `N`.
    pub fn galois(&self, k: usize) -> Self {
        let n = self.n;
        assert_eq!(gcd(n, k % n), 1, "k must be coprime to N");
        let mut ring = vec![0; n];
        for (j, &c) in self.coeffs.iter().enumerate() {
            ring[(j * (k % n)) % n] += c;
        }
        Self::from_group_ring(n, ring)
    }

    /// The complex conjugate.
    pub fn conj(&self) -> Self {
        self.galois(self.n - 1)
    }

    /// The same number written in `Q(ζ_m)`, `m` a multiple of `N` (re-normalised).
    ///
    /// # Panics
    /// When `N` does not divide `m`.
    pub fn embed(&self, m: usize) -> Self {
        assert!(
            m > 0 && m.is_multiple_of(self.n),
            "{m} is not a multiple of {}",
            self.n
        );
        let step = m / self.n;
        let mut ring = vec![0; m];
        for (j, &c) in self.coeffs.iter().enumerate() {
            ring[j * step] += c;
        }
        Self::from_group_ring(m, ring)
    }

    /// The element `Σ_t v[t] ζ_n^t` (`v.len() == n`) in normal form.
    fn from_group_ring(n: usize, v: Vec<i64>) -> Self {
        let (n, v) = if n % 4 == 2 {
            // ζ_{2m}^t = (−1)^t · ζ_m^{t(m+1)/2} for odd m.
            let m = n / 2;
            let half = m.div_ceil(2);
            let mut w = vec![0; m];
            for (t, &c) in v.iter().enumerate() {
                let sign = if t % 2 == 0 { 1 } else { -1 };
                w[(t * half) % m] += sign * c;
            }
            (m, w)
        } else {
            (n, v)
        };
        let mut coeffs = reduce(v, &cyclotomic_polynomial(n));
        if coeffs.iter().skip(1).all(|&c| c == 0) {
            return Self::integer(coeffs[0]);
        }
        while coeffs.last() == Some(&0) {
            coeffs.pop();
        }
        Self { n, coeffs }
    }
}

impl std::ops::Neg for &Cyclotomic {
    type Output = Cyclotomic;
    fn neg(self) -> Cyclotomic {
        Cyclotomic {
            n: self.n,
            coeffs: self.coeffs.iter().map(|c| -c).collect(),
        }
    }
}

impl PartialEq for Cyclotomic {
    fn eq(&self, other: &Self) -> bool {
        if self.n == other.n {
            return self.coeffs == other.coeffs;
        }
        let l = self.n / gcd(self.n, other.n) * other.n;
        let (a, b) = (self.embed(l), other.embed(l));
        a.n == b.n && a.coeffs == b.coeffs
    }
}

impl std::fmt::Display for Cyclotomic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (k, &c) in self.coeffs.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let sign = if c < 0 {
                "-"
            } else if first {
                ""
            } else {
                "+"
            };
            let root = match k {
                0 => String::new(),
                1 => format!("E({})", self.n),
                _ => format!("E({})^{k}", self.n),
            };
            match (c.unsigned_abs(), root.is_empty()) {
                (a, true) => write!(f, "{sign}{a}")?,
                (1, false) => write!(f, "{sign}{root}")?,
                (a, false) => write!(f, "{sign}{a}*{root}")?,
            }
            first = false;
        }
        if first {
            write!(f, "0")?;
        }
        Ok(())
    }
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The remainder of `v` (coefficients of `x^0..`) modulo the monic polynomial `modulus`.
fn reduce(mut v: Vec<i64>, modulus: &[i64]) -> Vec<i64> {
    let deg = modulus.len() - 1;
    for top in (deg..v.len()).rev() {
        let c = v[top];
        if c != 0 {
            for (i, &m) in modulus.iter().enumerate() {
                v[top - deg + i] -= c * m;
            }
        }
    }
    v.truncate(deg);
    v.resize(deg.max(1), 0);
    v
}

/// `Φ_n` (coefficients of `x^0..x^{φ(n)}`), remembered for the process.
fn cyclotomic_polynomial(n: usize) -> Arc<[i64]> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<[i64]>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(p) = cache.lock().expect("the cache is never poisoned").get(&n) {
        return p.clone();
    }
    // Φ_n = (x^n − 1) / Π_{d | n, d < n} Φ_d, by exact division.
    let mut quotient = vec![0i64; n + 1];
    quotient[0] = -1;
    quotient[n] = 1;
    for d in (1..n).filter(|d| n.is_multiple_of(*d)) {
        quotient = divide_exact(&quotient, &cyclotomic_polynomial(d));
    }
    let p: Arc<[i64]> = quotient.into();
    cache
        .lock()
        .expect("the cache is never poisoned")
        .insert(n, p.clone());
    p
}

/// `a / b` for monic `b` dividing `a`.
fn divide_exact(a: &[i64], b: &[i64]) -> Vec<i64> {
    let (da, db) = (a.len() - 1, b.len() - 1);
    let mut rem = a.to_vec();
    let mut q = vec![0i64; da - db + 1];
    for k in (0..=da - db).rev() {
        let c = rem[k + db];
        q[k] = c;
        for (i, &bi) in b.iter().enumerate() {
            rem[k + i] -= c * bi;
        }
    }
    debug_assert!(rem.iter().all(|&r| r == 0), "inexact division");
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyclotomic_polynomials_have_euler_phi_degree_and_known_coefficients() {
        assert_eq!(&*cyclotomic_polynomial(1), &[-1, 1]);
        assert_eq!(&*cyclotomic_polynomial(4), &[1, 0, 1]);
        assert_eq!(&*cyclotomic_polynomial(6), &[1, -1, 1]);
        assert_eq!(&*cyclotomic_polynomial(12), &[1, 0, -1, 0, 1]);
        let phi = |n: usize| (1..=n).filter(|&k| gcd(n, k) == 1).count();
        for n in 1..=120 {
            assert_eq!(cyclotomic_polynomial(n).len() - 1, phi(n), "Φ_{n}");
        }
        // Φ_105 is the first with a coefficient −2.
        assert!(cyclotomic_polynomial(105).contains(&-2));
    }

    #[test]
    fn normal_form_agrees_with_the_complex_value() {
        // Random integer combinations of roots of unity for many N.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as i64 % 7 - 3
        };
        for n in 1..=60 {
            let v: Vec<i64> = (0..n).map(|_| next()).collect();
            let direct: Complex64 = v
                .iter()
                .enumerate()
                .map(|(t, &c)| {
                    Complex64::from_polar(c as f64, std::f64::consts::TAU * t as f64 / n as f64)
                })
                .sum();
            let x = Cyclotomic::from_root_multiplicities(n, &v);
            assert!((x.to_complex() - direct).norm() < 1e-9, "N = {n}: {x}");
            assert!(x.field() % 4 != 2 || x.field() == 1);
            assert!((x.conj().to_complex() - direct.conj()).norm() < 1e-9);
            assert_eq!(x.embed(x.field() * 3), x);
        }
    }

    #[test]
    fn sums_of_all_roots_vanish_and_gap_forms_print() {
        for n in 2..=40 {
            assert_eq!(
                Cyclotomic::from_root_multiplicities(n, &vec![1; n]).as_integer(),
                Some(0),
                "N = {n}"
            );
        }
        assert_eq!(Cyclotomic::root_of_unity(3, 1).to_string(), "E(3)");
        assert_eq!(Cyclotomic::root_of_unity(3, 2).to_string(), "-1-E(3)");
        // ζ₆ = −ζ₃² = 1 + ζ₃ in the power basis of Z[ζ₃].
        assert_eq!(Cyclotomic::root_of_unity(6, 1).to_string(), "1+E(3)");
        assert_eq!(Cyclotomic::integer(-4).to_string(), "-4");
        assert_eq!(Cyclotomic::integer(0).to_string(), "0");
        // i·√... : E(8) − E(8)^3 = √2.
        let sqrt2 = Cyclotomic::from_root_multiplicities(8, &[0, 1, 0, -1, 0, 0, 0, 0]);
        assert!((sqrt2.to_complex() - Complex64::new(2f64.sqrt(), 0.0)).norm() < 1e-12);
        assert!((sqrt2.galois(3).to_complex() + sqrt2.to_complex()).norm() < 1e-12);
        assert_ne!(
            Cyclotomic::root_of_unity(5, 1),
            Cyclotomic::root_of_unity(5, 4)
        );
        assert_eq!(
            Cyclotomic::root_of_unity(10, 2),
            Cyclotomic::root_of_unity(5, 1)
        );
    }
}
