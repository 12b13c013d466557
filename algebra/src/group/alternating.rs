//! The alternating group `A_n` of even permutations, indexed by half the lexicographic rank.

use super::lex_index::alternating_product;
use super::symmetric::{check_degree, cycle, factorial};
use super::{Group, Permutation};
use crate::Result;

/// The alternating group `A_n` (order `n!/2` for `n ≥ 2`, trivial for `n = 1`): the even
/// [`Permutation`]s of `n` points.
///
/// Dense index: lexicographic ranks come in pairs `2k, 2k+1` that differ by swapping the last
/// two images, and exactly one permutation of each pair is even; the even one gets index `k`
/// (`index = lex_rank / 2`). This is a bijection onto `0..n!/2` with the identity at 0.
///
/// # Example
/// ```
/// use gm_algebra::group::{Alternating, Group};
/// let a5 = Alternating::new(5).unwrap();
/// assert_eq!(a5.order(), 60);
/// assert!((0..60).all(|i| a5.element(i).is_even() && a5.index(&a5.element(i)) == i));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alternating {
    n: usize,
}

impl Alternating {
    /// `A_n` for `1 ≤ n ≤ 20`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for `n == 0` or `n > 20`.
    pub fn new(n: usize) -> Result<Self> {
        check_degree("alternating group A_n", n)?;
        Ok(Self { n })
    }

    /// The number of points `n`.
    pub fn degree(&self) -> usize {
        self.n
    }
}

impl Group for Alternating {
    type Element = Permutation;
    fn order(&self) -> usize {
        (factorial(self.n) / 2).max(1)
    }
    fn element(&self, i: usize) -> Permutation {
        if self.n < 2 {
            assert_eq!(i, 0, "index out of range for a trivial group");
            return Permutation::identity(self.n);
        }
        let p = Permutation::from_lex_rank(self.n, 2 * i);
        if p.is_even() {
            p
        } else {
            p.with_last_two_swapped()
        }
    }
    /// # Panics
    /// When `e` is not a permutation of exactly `n` points. Parity is not checked (hot
    /// path): an odd permutation gets the index of its even partner.
    fn index(&self, e: &Permutation) -> usize {
        assert_eq!(
            e.degree(),
            self.n,
            "permutation of the wrong degree for A_n"
        );
        e.lex_rank() / 2
    }
    fn identity(&self) -> Permutation {
        Permutation::identity(self.n)
    }
    fn mul(&self, a: &Permutation, b: &Permutation) -> Permutation {
        a.compose(b)
    }
    /// On the stack, without building either [`Permutation`] (see `lex_index`).
    fn mul_index(&self, a: usize, b: usize) -> usize {
        if self.n < 2 {
            return 0;
        }
        alternating_product(self.n, a, b)
    }
    fn inv(&self, a: &Permutation) -> Permutation {
        a.inverse()
    }
    /// `(1,2,3)` with `(1,2,…,n)` for odd `n`, or with `(2,3,…,n)` for even `n`.
    fn generators(&self) -> Option<Vec<Permutation>> {
        let n = self.n;
        Some(match n {
            1 | 2 => vec![],
            3 => vec![cycle(3, 0, 2)],
            _ if n % 2 == 1 => vec![cycle(n, 0, 2), cycle(n, 0, n - 1)],
            _ => vec![cycle(n, 0, 2), cycle(n, 1, n - 1)],
        })
    }
    fn name(&self) -> String {
        format!("A{}", self.n)
    }
    fn format_element(&self, e: &Permutation) -> String {
        e.to_string()
    }
}
