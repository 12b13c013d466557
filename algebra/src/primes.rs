//! Prime factorisation of small integers by trial division (group orders, exponents).

/// The distinct primes dividing `n`, increasing (none for `n ≤ 1`).
///
/// # Example
/// ```
/// assert_eq!(gm_algebra::primes::prime_factors(360), vec![2, 3, 5]);
/// assert_eq!(gm_algebra::primes::prime_factors(97), vec![97]);
/// assert!(gm_algebra::primes::prime_factors(1).is_empty());
/// ```
pub fn prime_factors(mut n: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut d = 2u64;
    while d.saturating_mul(d) <= n {
        if n.is_multiple_of(d) {
            out.push(d);
            while n.is_multiple_of(d) {
                n /= d;
            }
        }
        d += 1;
    }
    if n > 1 {
        out.push(n);
    }
    out
}
