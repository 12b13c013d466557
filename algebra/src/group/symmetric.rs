//! The symmetric group `S_n` of all permutations of `n` points, indexed by lexicographic rank.

use super::lex_index::symmetric_product;
use super::{Group, Permutation};
use crate::fourier::{FourierTransform, SymmetricFft, YOUNG_IMAGES_DEGREE_LIMIT};
use crate::{Error, Result};
use std::sync::Arc;

/// Largest `n` for which `n!` fits in a 64-bit index.
pub const MAX_SYMMETRIC_DEGREE: usize = 20;

/// The symmetric group `S_n` (order `n!`): element = [`Permutation`] of `n` points, dense
/// index = its lexicographic rank ([`Permutation::lex_rank`]), so the identity is index 0 and
/// no table is ever needed (`S_9`, 362,880 elements, costs nothing to construct).
///
/// The product is composition, right factor first: `(σ·τ)(i) = σ(τ(i))`.
///
/// # Example
/// ```
/// use gm_algebra::group::{Group, Permutation, Symmetric};
/// let s4 = Symmetric::new(4).unwrap();
/// assert_eq!(s4.order(), 24);
/// let c = Permutation::parse_with_degree("(1,2,3,4)", 4).unwrap();
/// assert_eq!(s4.element(s4.index(&c)), c);
/// assert_eq!(s4.index(&s4.identity()), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symmetric {
    n: usize,
}

impl Symmetric {
    /// `S_n` for `1 ≤ n ≤ 20`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `n == 0` or `n > 20` (order beyond a 64-bit index).
    pub fn new(n: usize) -> Result<Self> {
        check_degree("symmetric group S_n", n)?;
        Ok(Self { n })
    }

    /// The number of points `n`.
    pub fn degree(&self) -> usize {
        self.n
    }
}

/// Validates the degree of a symmetric or alternating group.
pub(crate) fn check_degree(family: &str, n: usize) -> Result<()> {
    if n == 0 || n > MAX_SYMMETRIC_DEGREE {
        return Err(Error::InvalidParameter {
            family: family.into(),
            reason: format!("n must be in 1..={MAX_SYMMETRIC_DEGREE}, got {n}"),
        });
    }
    Ok(())
}

/// `n!`.
pub(crate) fn factorial(n: usize) -> usize {
    (1..=n).product()
}

/// The cycle `(first+1, first+2, …, last+1)` on `n` points (0-based bounds, inclusive).
pub(crate) fn cycle(n: usize, first: usize, last: usize) -> Permutation {
    let images = (0..n)
        .map(|i| match i {
            i if i == last => first,
            i if (first..last).contains(&i) => i + 1,
            i => i,
        })
        .collect();
    Permutation::from_images(images).expect("a cycle is a permutation")
}

impl Group for Symmetric {
    type Element = Permutation;
    fn order(&self) -> usize {
        factorial(self.n)
    }
    fn element(&self, i: usize) -> Permutation {
        Permutation::from_lex_rank(self.n, i)
    }
    /// # Panics
    /// When `e` is not a permutation of exactly `n` points.
    fn index(&self, e: &Permutation) -> usize {
        assert_eq!(
            e.degree(),
            self.n,
            "permutation of the wrong degree for S_n"
        );
        e.lex_rank()
    }
    fn identity(&self) -> Permutation {
        Permutation::identity(self.n)
    }
    fn mul(&self, a: &Permutation, b: &Permutation) -> Permutation {
        a.compose(b)
    }
    /// On the stack, without building either [`Permutation`] (see `lex_index`).
    fn mul_index(&self, a: usize, b: usize) -> usize {
        symmetric_product(self.n, a, b)
    }
    fn inv(&self, a: &Permutation) -> Permutation {
        a.inverse()
    }
    /// `(1,2)` and `(1,2,…,n)`.
    fn generators(&self) -> Option<Vec<Permutation>> {
        let n = self.n;
        Some(match n {
            1 => vec![],
            2 => vec![cycle(2, 0, 1)],
            _ => vec![cycle(n, 0, 1), cycle(n, 0, n - 1)],
        })
    }
    fn name(&self) -> String {
        format!("S{}", self.n)
    }
    fn fast_fourier(&self) -> Option<Result<Arc<dyn FourierTransform>>> {
        (self.n <= YOUNG_IMAGES_DEGREE_LIMIT)
            .then(|| SymmetricFft::new(*self).map(|p| Arc::new(p) as Arc<dyn FourierTransform>))
    }
    fn format_element(&self, e: &Permutation) -> String {
        e.to_string()
    }
}
