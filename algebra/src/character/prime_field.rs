//! Arithmetic in a prime field `F_p`: the choice of Dixon's prime, roots of unity, the
//! characteristic polynomial and its roots, and null spaces — what Dixon–Schneider needs to
//! split the class algebra exactly.

/// The prime field `F_p` (`p < 2⁶³`), elements as `u64` in `0..p`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PrimeField {
    p: u64,
}

/// A polynomial over `F_p`, coefficients of `x⁰, x¹, …`, without trailing zeros (the zero
/// polynomial is empty).
pub(crate) type Poly = Vec<u64>;

impl PrimeField {
    /// The smallest prime `p ≡ 1 (mod exponent)` with `p > lower` — Dixon's prime: `F_p` then
    /// holds the `exponent`-th roots of unity, and `p` divides no class size.
    pub(crate) fn dixon_prime(exponent: u64, lower: u64) -> Option<Self> {
        let mut p = (lower / exponent + 1)
            .checked_mul(exponent)?
            .checked_add(1)?;
        while !is_prime(p) {
            p = p.checked_add(exponent)?;
        }
        (p < 1 << 62).then_some(Self { p })
    }

    /// The characteristic `p`.
    pub(crate) fn modulus(&self) -> u64 {
        self.p
    }

    /// `k mod p`.
    pub(crate) fn reduce(&self, k: u64) -> u64 {
        k % self.p
    }

    pub(crate) fn add(&self, a: u64, b: u64) -> u64 {
        let s = a + b;
        if s >= self.p {
            s - self.p
        } else {
            s
        }
    }

    pub(crate) fn sub(&self, a: u64, b: u64) -> u64 {
        if a >= b {
            a - b
        } else {
            a + self.p - b
        }
    }

    pub(crate) fn mul(&self, a: u64, b: u64) -> u64 {
        ((a as u128 * b as u128) % self.p as u128) as u64
    }

    pub(crate) fn pow(&self, mut a: u64, mut e: u64) -> u64 {
        let mut acc = 1 % self.p;
        while e > 0 {
            if e & 1 == 1 {
                acc = self.mul(acc, a);
            }
            a = self.mul(a, a);
            e >>= 1;
        }
        acc
    }

    /// `a⁻¹` (Fermat), for `a ≠ 0`.
    pub(crate) fn inv(&self, a: u64) -> u64 {
        debug_assert!(a != 0, "0 has no inverse");
        self.pow(a, self.p - 2)
    }

    /// An element of multiplicative order exactly `e` (`e | p − 1`).
    pub(crate) fn root_of_unity(&self, e: u64) -> u64 {
        let primes = crate::primes::prime_factors(e);
        (2..self.p)
            .map(|a| self.pow(a, (self.p - 1) / e))
            .find(|&z| primes.iter().all(|&q| self.pow(z, e / q) != 1))
            .expect("F_p* is cyclic of order p − 1, a multiple of e")
    }

    /// The characteristic polynomial `det(x·I − A)` of the square matrix `a` (rows), by
    /// reduction to Hessenberg form and the Hessenberg recurrence, `O(d³)`.
    pub(crate) fn charpoly(&self, a: &[Vec<u64>]) -> Poly {
        let d = a.len();
        let mut h: Vec<Vec<u64>> = a.to_vec();
        for m in 1..d.saturating_sub(1) {
            let Some(i) = (m..d).find(|&i| h[i][m - 1] != 0) else {
                continue;
            };
            if i != m {
                h.swap(i, m);
                for row in h.iter_mut() {
                    row.swap(i, m);
                }
            }
            let pivot_inv = self.inv(h[m][m - 1]);
            for r in m + 1..d {
                let t = self.mul(h[r][m - 1], pivot_inv);
                if t == 0 {
                    continue;
                }
                let pivot_row = h[m].clone();
                for (x, &y) in h[r].iter_mut().zip(&pivot_row) {
                    *x = self.sub(*x, self.mul(t, y));
                }
                for row in h.iter_mut() {
                    let v = self.mul(t, row[r]);
                    row[m] = self.add(row[m], v);
                }
            }
        }
        let mut polys: Vec<Poly> = vec![vec![1]];
        for k in 1..=d {
            let mut pk = self.poly_mul(&[self.sub(0, h[k - 1][k - 1]), 1], &polys[k - 1]);
            let mut t = 1;
            for i in 1..k {
                t = self.mul(t, h[k - i][k - i - 1]);
                let c = self.mul(t, h[k - i - 1][k - 1]);
                let scaled: Poly = polys[k - i - 1].iter().map(|&x| self.mul(c, x)).collect();
                pk = self.poly_sub(&pk, &scaled);
            }
            polys.push(pk);
        }
        polys.pop().expect("polys[d] exists")
    }

    /// The distinct roots in `F_p` of `f` (Cantor–Zassenhaus: `gcd(f, x^p − x)`, then random
    /// splitting by `(x + a)^{(p−1)/2} − 1`).
    pub(crate) fn roots(&self, f: &[u64]) -> Vec<u64> {
        let f = self.monic(f);
        if f.len() <= 1 {
            return Vec::new();
        }
        let xp = self.poly_powmod(&[0, 1], self.p, &f);
        let g = self.poly_gcd(&f, &self.poly_sub(&xp, &[0, 1]));
        let mut out = Vec::new();
        let mut pending = vec![g];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        while let Some(g) = pending.pop() {
            match g.len() {
                0 | 1 => {}
                2 => out.push(self.sub(0, g[0])),
                _ => {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let a = self.reduce(seed >> 11);
                    let h = self.poly_powmod(&[a, 1], (self.p - 1) / 2, &g);
                    let d = self.poly_gcd(&g, &self.poly_sub(&h, &[1]));
                    if d.len() > 1 && d.len() < g.len() {
                        let (q, _) = self.poly_divrem(&g, &d);
                        pending.push(d);
                        pending.push(q);
                    } else {
                        pending.push(g);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// A basis of the null space of the square matrix `a` (rows), as vectors.
    pub(crate) fn null_space(&self, a: &[Vec<u64>]) -> Vec<Vec<u64>> {
        let (rows, pivots) = self.rref(a.to_vec());
        let d = a.first().map_or(0, Vec::len);
        let free: Vec<usize> = (0..d).filter(|c| !pivots.contains(c)).collect();
        free.iter()
            .map(|&f| {
                let mut v = vec![0; d];
                v[f] = 1;
                for (row, &pc) in rows.iter().zip(&pivots) {
                    v[pc] = self.sub(0, row[f]);
                }
                v
            })
            .collect()
    }

    /// Reduced row echelon form: the nonzero rows and their pivot columns.
    pub(crate) fn rref(&self, mut m: Vec<Vec<u64>>) -> (Vec<Vec<u64>>, Vec<usize>) {
        let cols = m.first().map_or(0, Vec::len);
        let mut pivots = Vec::new();
        let mut r = 0;
        for c in 0..cols {
            let Some(i) = (r..m.len()).find(|&i| m[i][c] != 0) else {
                continue;
            };
            m.swap(i, r);
            let inv = self.inv(m[r][c]);
            for x in m[r].iter_mut() {
                *x = self.mul(*x, inv);
            }
            let pivot_row = m[r].clone();
            for (i, row) in m.iter_mut().enumerate() {
                if i != r && row[c] != 0 {
                    let t = row[c];
                    for (x, &y) in row.iter_mut().zip(&pivot_row) {
                        *x = self.sub(*x, self.mul(t, y));
                    }
                }
            }
            pivots.push(c);
            r += 1;
            if r == m.len() {
                break;
            }
        }
        m.truncate(r);
        (m, pivots)
    }

    fn trim(mut f: Poly) -> Poly {
        while f.last() == Some(&0) {
            f.pop();
        }
        f
    }

    fn monic(&self, f: &[u64]) -> Poly {
        let f = Self::trim(f.to_vec());
        match f.last() {
            None => f,
            Some(&lead) => {
                let inv = self.inv(lead);
                f.iter().map(|&c| self.mul(c, inv)).collect()
            }
        }
    }

    fn poly_sub(&self, a: &[u64], b: &[u64]) -> Poly {
        let n = a.len().max(b.len());
        let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
        Self::trim((0..n).map(|i| self.sub(at(a, i), at(b, i))).collect())
    }

    fn poly_mul(&self, a: &[u64], b: &[u64]) -> Poly {
        if a.is_empty() || b.is_empty() {
            return Vec::new();
        }
        let mut out = vec![0; a.len() + b.len() - 1];
        for (i, &x) in a.iter().enumerate() {
            if x == 0 {
                continue;
            }
            for (j, &y) in b.iter().enumerate() {
                out[i + j] = self.add(out[i + j], self.mul(x, y));
            }
        }
        Self::trim(out)
    }

    /// Quotient and remainder of `a` by nonzero `b`.
    fn poly_divrem(&self, a: &[u64], b: &[u64]) -> (Poly, Poly) {
        let b = Self::trim(b.to_vec());
        let mut r = Self::trim(a.to_vec());
        if r.len() < b.len() {
            return (Vec::new(), r);
        }
        let lead_inv = self.inv(*b.last().expect("b ≠ 0"));
        let mut q = vec![0; r.len() - b.len() + 1];
        while r.len() >= b.len() {
            let shift = r.len() - b.len();
            let c = self.mul(*r.last().expect("nonempty"), lead_inv);
            q[shift] = c;
            for (i, &bi) in b.iter().enumerate() {
                r[shift + i] = self.sub(r[shift + i], self.mul(c, bi));
            }
            r = Self::trim(r);
        }
        (Self::trim(q), r)
    }

    fn poly_gcd(&self, a: &[u64], b: &[u64]) -> Poly {
        let (mut a, mut b) = (Self::trim(a.to_vec()), Self::trim(b.to_vec()));
        while !b.is_empty() {
            let (_, r) = self.poly_divrem(&a, &b);
            (a, b) = (b, r);
        }
        self.monic(&a)
    }

    /// `base^e mod m`.
    fn poly_powmod(&self, base: &[u64], mut e: u64, m: &[u64]) -> Poly {
        let mut acc: Poly = self.poly_divrem(&[1], m).1;
        let mut b = self.poly_divrem(base, m).1;
        while e > 0 {
            if e & 1 == 1 {
                acc = self.poly_divrem(&self.poly_mul(&acc, &b), m).1;
            }
            b = self.poly_divrem(&self.poly_mul(&b, &b), m).1;
            e >>= 1;
        }
        acc
    }
}

/// Whether `n` is prime (trial division; Dixon's primes are below `2³²` in practice).
fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2u64;
    while d.saturating_mul(d) <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dixon_prime_is_the_least_prime_in_the_progression() {
        let f = PrimeField::dixon_prime(60, 20).unwrap();
        assert_eq!(f.modulus(), 61);
        let f = PrimeField::dixon_prime(12, 100).unwrap();
        assert_eq!(f.modulus(), 109); // 97 < 100; 109 = 9·12 + 1
        let z = f.root_of_unity(12);
        assert_eq!(f.pow(z, 12), 1);
        assert!((1..12).all(|k| f.pow(z, k) != 1));
    }

    #[test]
    fn charpoly_roots_and_null_space_of_a_known_matrix() {
        let f = PrimeField::dixon_prime(4, 20).unwrap(); // 29
                                                         // Upper triangular with diagonal 2, 2, 5 after a change of basis.
        let t = [vec![1, 2, 0], vec![0, 1, 3], vec![1, 0, 1]];
        let d = [vec![2, 0, 0], vec![0, 2, 0], vec![0, 0, 5]];
        let mul = |a: &[Vec<u64>], b: &[Vec<u64>]| -> Vec<Vec<u64>> {
            (0..3)
                .map(|i| {
                    (0..3)
                        .map(|j| (0..3).fold(0, |s, k| f.add(s, f.mul(a[i][k], b[k][j]))))
                        .collect()
                })
                .collect()
        };
        // t⁻¹ over F_29 via the null-space-free route: solve with rref on [t | I].
        let aug: Vec<Vec<u64>> = (0..3)
            .map(|i| {
                let mut row = t[i].clone();
                row.extend((0..3).map(|j| u64::from(i == j)));
                row
            })
            .collect();
        let (rows, _) = f.rref(aug);
        let t_inv: Vec<Vec<u64>> = rows.iter().map(|r| r[3..].to_vec()).collect();
        let a = mul(&mul(&t, &d), &t_inv);
        // det(x − A) = (x − 2)²(x − 5) = x³ − 9x² + 24x − 20.
        let p = f.modulus();
        assert_eq!(f.charpoly(&a), vec![p - 20, 24, p - 9, 1]);
        assert_eq!(f.roots(&f.charpoly(&a)), vec![2, 5]);
        let shifted: Vec<Vec<u64>> = (0..3)
            .map(|i| {
                (0..3)
                    .map(|j| if i == j { f.sub(a[i][j], 2) } else { a[i][j] })
                    .collect()
            })
            .collect();
        let null = f.null_space(&shifted);
        assert_eq!(null.len(), 2);
        for v in &null {
            let av: Vec<u64> = (0..3)
                .map(|i| (0..3).fold(0, |s, k| f.add(s, f.mul(a[i][k], v[k]))))
                .collect();
            assert_eq!(av, v.iter().map(|&x| f.mul(2, x)).collect::<Vec<_>>());
        }
    }

    #[test]
    fn roots_of_a_product_of_linear_factors() {
        let f = PrimeField::dixon_prime(10, 1000).unwrap();
        let roots = [0u64, 3, 17, 500, 999];
        let mut poly: Poly = vec![1];
        for &r in &roots {
            poly = f.poly_mul(&poly, &[f.sub(0, r), 1]);
        }
        poly = f.poly_mul(&poly, &[f.sub(0, 17), 1]); // a repeated root
        poly = f.poly_mul(&poly, &[1, 0, 1]); // x² + 1: roots only if −1 is a square
        let mut expected = roots.to_vec();
        let i = (1..f.modulus()).find(|&x| f.mul(x, x) == f.modulus() - 1);
        expected.extend(i.into_iter().flat_map(|i| [i, f.modulus() - i]));
        expected.sort_unstable();
        assert_eq!(f.roots(&poly), expected);
    }
}
