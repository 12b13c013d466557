//! Residue arithmetic that cannot overflow, for families whose parameter may be close to
//! `usize::MAX` (`C_n`, `D_n`, `Dic_n`, `p4(N)`).

/// `(a + b) mod n` for `a, b < n`, without forming `a + b`.
pub(crate) fn add_mod(a: usize, b: usize, n: usize) -> usize {
    debug_assert!(a < n && b < n);
    if a >= n - b {
        a - (n - b)
    } else {
        a + b
    }
}

/// `(a − b) mod n` for `a, b < n`.
pub(crate) fn sub_mod(a: usize, b: usize, n: usize) -> usize {
    debug_assert!(a < n && b < n);
    if a >= b {
        a - b
    } else {
        a + (n - b)
    }
}

/// The order `parameter · factor` of a family, or the typed error saying it overflows.
pub(crate) fn family_order(
    family: &str,
    parameter: usize,
    factor: Option<usize>,
) -> crate::Result<usize> {
    factor
        .and_then(|f| parameter.checked_mul(f))
        .ok_or_else(|| crate::Error::InvalidParameter {
            family: family.into(),
            reason: format!(
                "the order overflows a {}-bit index (parameter {parameter})",
                usize::BITS
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residues_match_wide_arithmetic_near_the_top() {
        let n = usize::MAX - 6;
        for a in [0, 1, n / 2, n - 2, n - 1] {
            for b in [0, 1, n / 3, n - 1] {
                let wide = |x: u128| (x % n as u128) as usize;
                assert_eq!(add_mod(a, b, n), wide(a as u128 + b as u128));
                assert_eq!(sub_mod(a, b, n), wide(a as u128 + n as u128 - b as u128));
            }
        }
    }
}
