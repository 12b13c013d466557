//! Products of `S_n` and `A_n` on their lexicographic indices without allocating: a
//! permutation of at most [`MAX_SYMMETRIC_DEGREE`] points lives on the stack, is unranked
//! through a list of untaken points packed into one machine word, and carries its parity from
//! its Lehmer code.
//!
//! This is the hot path of every algorithm that walks a large symmetric or alternating group
//! by index (conjugacy classes, class matrices, power maps of A10 with its 1,814,400
//! elements); [`Permutation`](super::Permutation)'s heap form stays the readable one and the
//! oracle of the tests below.

use super::symmetric::MAX_SYMMETRIC_DEGREE;

/// A permutation of `degree ≤ 20` points: `images[i]` is the image of point `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LexPermutation {
    images: [u8; MAX_SYMMETRIC_DEGREE],
    degree: usize,
}

impl LexPermutation {
    /// The permutation of `degree` points with lexicographic rank `rank`, and whether it is
    /// even: the number of inversions is the sum of the Lehmer code's digits.
    ///
    /// The caller guarantees `degree ≤ 20` and `rank < degree!` (the families check both).
    pub(crate) fn from_lex_rank(degree: usize, rank: usize) -> (Self, bool) {
        let digits = factorial_digits(degree, rank);
        let images = if degree <= 16 {
            take_from_nibbles(degree, &digits)
        } else {
            take_from_five_bit_lanes(degree, &digits)
        };
        let inversions: usize = digits.iter().map(|&d| usize::from(d)).sum();
        (Self { images, degree }, inversions.is_multiple_of(2))
    }

    /// The lexicographic rank (inverse of [`LexPermutation::from_lex_rank`]): digit `i`
    /// counts the later images below image `i`.
    pub(crate) fn lex_rank(&self) -> usize {
        let m = self.degree;
        let mut rank = 0;
        for i in 0..m {
            let smaller_later = self.images[i + 1..m]
                .iter()
                .filter(|&&q| q < self.images[i])
                .count();
            rank = rank * (m - i) + smaller_later;
        }
        rank
    }

    /// `self · other`: `i ↦ self(other(i))`, on the same degree.
    pub(crate) fn compose(&self, other: &Self) -> Self {
        let mut images = [0u8; MAX_SYMMETRIC_DEGREE];
        for (image, &o) in images.iter_mut().zip(&other.images[..self.degree]) {
            *image = self.images[usize::from(o)];
        }
        Self {
            images,
            degree: self.degree,
        }
    }

    /// Swaps the last two images (rank `r ↦ r ^ 1`; the parity flips). Needs `degree ≥ 2`.
    pub(crate) fn swap_last_two(&mut self) {
        self.images.swap(self.degree - 2, self.degree - 1);
    }
}

/// The Lehmer code of `rank` on `degree` points: digit `i` is in base `degree − i`.
fn factorial_digits(degree: usize, rank: usize) -> [u8; MAX_SYMMETRIC_DEGREE] {
    let mut digits = [0u8; MAX_SYMMETRIC_DEGREE];
    let mut r = rank;
    for i in (0..degree).rev() {
        let base = degree - i;
        digits[i] = (r % base) as u8;
        r /= base;
    }
    debug_assert_eq!(r, 0, "rank {rank} out of range for {degree} points");
    digits
}

/// Defines `$name(degree, digits)`: the images of the permutation with Lehmer code `digits`,
/// each the `d`-th smallest point not yet taken. The untaken points are a list packed into
/// one `$word`, `$bits` bits a point; taking one is two shifts and a mask (a loop over the
/// set bits instead cost a mispredicted branch per point).
macro_rules! take_in_digit_order {
    ($name:ident, $word:ty, $bits:expr) => {
        fn $name(degree: usize, digits: &[u8; MAX_SYMMETRIC_DEGREE]) -> [u8; MAX_SYMMETRIC_DEGREE] {
            const MASK: $word = (1 << $bits) - 1;
            let mut untaken: $word = 0;
            for point in 0..degree {
                untaken |= (point as $word) << ($bits * point);
            }
            let mut images = [0u8; MAX_SYMMETRIC_DEGREE];
            for (image, &d) in images.iter_mut().zip(&digits[..degree]) {
                let shift = $bits * u32::from(d);
                *image = ((untaken >> shift) & MASK) as u8;
                let below = untaken & ((1 << shift) - 1);
                untaken = below | ((untaken >> shift >> $bits) << shift);
            }
            images
        }
    };
}
take_in_digit_order!(take_from_nibbles, u64, 4);
take_in_digit_order!(take_from_five_bit_lanes, u128, 5);

/// The index of `σ_a · σ_b` in `S_degree` (indices are lexicographic ranks).
pub(crate) fn symmetric_product(degree: usize, a: usize, b: usize) -> usize {
    let (x, _) = LexPermutation::from_lex_rank(degree, a);
    let (y, _) = LexPermutation::from_lex_rank(degree, b);
    x.compose(&y).lex_rank()
}

/// The even permutation with index `i` in `A_degree` (`degree ≥ 2`): rank `2i`, or `2i + 1`
/// when that one is odd.
fn alternating_element(degree: usize, i: usize) -> LexPermutation {
    let (mut p, even) = LexPermutation::from_lex_rank(degree, 2 * i);
    if !even {
        p.swap_last_two();
    }
    p
}

/// The index of `σ_a · σ_b` in `A_degree` (`degree ≥ 2`; index = lexicographic rank / 2).
pub(crate) fn alternating_product(degree: usize, a: usize, b: usize) -> usize {
    let x = alternating_element(degree, a);
    let y = alternating_element(degree, b);
    x.compose(&y).lex_rank() / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::symmetric::factorial;
    use crate::group::Permutation;
    use proptest::prelude::*;

    /// The heap form's product, the oracle: unrank both, compose, rank.
    fn heap_product(degree: usize, a: usize, b: usize) -> usize {
        let x = Permutation::from_lex_rank(degree, a);
        let y = Permutation::from_lex_rank(degree, b);
        x.compose(&y).lex_rank()
    }

    fn degree_and_ranks() -> impl Strategy<Value = (usize, usize, usize)> {
        (1..=MAX_SYMMETRIC_DEGREE).prop_flat_map(|n| {
            let order = factorial(n);
            (Just(n), 0..order, 0..order)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn ranks_parities_and_products_match_the_heap_form((n, a, b) in degree_and_ranks()) {
            let (p, even) = LexPermutation::from_lex_rank(n, a);
            let heap = Permutation::from_lex_rank(n, a);
            let images: Vec<usize> = p.images[..n].iter().map(|&q| usize::from(q)).collect();
            prop_assert_eq!(&images, &(0..n).map(|i| heap.apply(i)).collect::<Vec<_>>());
            prop_assert_eq!(even, heap.is_even());
            prop_assert_eq!(p.lex_rank(), a);
            prop_assert_eq!(symmetric_product(n, a, b), heap_product(n, a, b));
        }

        #[test]
        fn alternating_products_stay_even_and_match_the_heap_form((n, a, b) in degree_and_ranks()) {
            prop_assume!(n >= 2);
            let (ia, ib) = (a / 2, b / 2);
            let even = |i: usize| {
                let p = Permutation::from_lex_rank(n, 2 * i);
                if p.is_even() { p } else { p.with_last_two_swapped() }
            };
            let product = even(ia).compose(&even(ib));
            prop_assert!(product.is_even());
            prop_assert_eq!(alternating_product(n, ia, ib), product.lex_rank() / 2);
        }
    }

    #[test]
    fn every_product_of_s4_matches_the_heap_form() {
        for a in 0..24 {
            for b in 0..24 {
                assert_eq!(symmetric_product(4, a, b), heap_product(4, a, b), "{a}·{b}");
            }
        }
    }
}
