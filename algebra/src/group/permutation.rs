//! Permutations of `m` points: the element type of symmetric, alternating and permutation
//! groups, with a parser for GAP's cycle notation.

use crate::{Error, Result};
use std::fmt;

/// A permutation of the points `0..m` (written `1..=m` externally, as in GAP).
///
/// Products are functional composition, **right factor first**:
/// `(σ·τ)(i) = σ(τ(i))`. (GAP multiplies the other way round; both give the same set of
/// elements and isomorphic groups.) Permutations of different degrees compose as if the
/// shorter one fixed the extra points.
///
/// # Example
/// ```
/// use gm_algebra::group::Permutation;
/// let s = Permutation::parse("(1,2,3)").unwrap();
/// let t = Permutation::parse("(1,2)").unwrap();
/// assert_eq!(s.compose(&t).to_string(), "(1,3)"); // t first, then s
/// assert_eq!(s.apply(0), 1);                       // 1 ↦ 2, 0-based
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Permutation {
    images: Vec<usize>,
}

impl Permutation {
    /// The identity on `degree` points.
    pub fn identity(degree: usize) -> Self {
        Self {
            images: (0..degree).collect(),
        }
    }

    /// The permutation `i ↦ images[i]` of `0..images.len()`.
    ///
    /// # Errors
    /// [`Error::InvalidPermutation`] when `images` is not a rearrangement of `0..len`.
    pub fn from_images(images: Vec<usize>) -> Result<Self> {
        let m = images.len();
        let mut seen = vec![false; m];
        for (i, &p) in images.iter().enumerate() {
            if p >= m {
                return Err(Error::InvalidPermutation {
                    reason: format!(
                        "permutation on the wrong number of points: image {p} of {i} is not in 0..{m}"
                    ),
                });
            }
            if std::mem::replace(&mut seen[p], true) {
                return Err(Error::InvalidPermutation {
                    reason: format!("{p} is the image of two points"),
                });
            }
        }
        Ok(Self { images })
    }

    /// Parses GAP cycle notation such as `"(1,2,3)(4,5)"` or `"()"`; the degree is the largest
    /// point named. Cycles must be disjoint; spaces between tokens are allowed.
    ///
    /// # Errors
    /// [`Error::InvalidPermutation`] naming the byte offset of malformed text, a point 0, or a
    /// point repeated within or across cycles.
    pub fn parse(text: &str) -> Result<Self> {
        parse_cycles(text, None).map_err(permutation_error)
    }

    /// Parses cycle notation as a permutation of exactly `degree` points.
    ///
    /// # Errors
    /// As [`Permutation::parse`], and "permutation on the wrong number of points" when a
    /// point lies outside `1..=degree`.
    pub fn parse_with_degree(text: &str, degree: usize) -> Result<Self> {
        parse_cycles(text, Some(degree)).map_err(permutation_error)
    }

    /// The number of points `m`.
    pub fn degree(&self) -> usize {
        self.images.len()
    }

    /// The images `[σ(0), …, σ(m−1)]` (0-based).
    pub fn images(&self) -> &[usize] {
        &self.images
    }

    /// The image `σ(point)` of a 0-based point; points beyond the degree are fixed.
    pub fn apply(&self, point: usize) -> usize {
        self.images.get(point).copied().unwrap_or(point)
    }

    /// The product `self · other`, i.e. `i ↦ self(other(i))`, on the larger of the two degrees.
    pub fn compose(&self, other: &Self) -> Self {
        let m = self.degree().max(other.degree());
        Self {
            images: (0..m).map(|i| self.apply(other.apply(i))).collect(),
        }
    }

    /// The inverse permutation.
    pub fn inverse(&self) -> Self {
        let mut images = vec![0; self.degree()];
        for (i, &p) in self.images.iter().enumerate() {
            images[p] = i;
        }
        Self { images }
    }

    /// The same permutation on `degree ≥ self.degree()` points (the new points are fixed).
    ///
    /// # Errors
    /// [`Error::InvalidPermutation`] when `degree` is smaller than a moved point needs.
    pub fn with_degree(&self, degree: usize) -> Result<Self> {
        if let Some(p) = (degree..self.degree()).find(|&p| self.images[p] != p) {
            return Err(Error::InvalidPermutation {
                reason: format!(
                    "permutation on the wrong number of points: it moves point {} but the degree is {degree}",
                    p + 1
                ),
            });
        }
        Ok(Self {
            images: (0..degree).map(|i| self.apply(i)).collect(),
        })
    }

    /// Whether the permutation is even (a product of an even number of transpositions).
    pub fn is_even(&self) -> bool {
        // The parity of `m − (number of cycles)`; up to 128 points the marks live on the stack
        // (this is on the hot path of `Alternating::element`).
        let m = self.degree();
        let mut on_stack = [false; 128];
        let mut on_heap;
        let seen: &mut [bool] = if m <= on_stack.len() {
            &mut on_stack[..m]
        } else {
            on_heap = vec![false; m];
            &mut on_heap
        };
        let mut cycles = 0;
        for start in 0..m {
            if seen[start] {
                continue;
            }
            cycles += 1;
            let mut p = start;
            while !seen[p] {
                seen[p] = true;
                p = self.images[p];
            }
        }
        (m - cycles).is_multiple_of(2)
    }

    /// The permutation with its last two images swapped: lexicographic rank `r ^ 1` for rank
    /// `r`, and the other parity.
    ///
    /// # Panics
    /// On fewer than two points.
    pub fn with_last_two_swapped(mut self) -> Self {
        let m = self.degree();
        self.images.swap(m - 2, m - 1);
        self
    }

    /// The rank of the image sequence among all `m!` permutations of `m` points in
    /// lexicographic order (its Lehmer code read in the factorial base). The identity has
    /// rank 0; swapping the last two images changes the rank by exactly 1.
    ///
    /// # Panics
    /// In debug builds, when `m!` overflows `usize` (`m > 20` on 64-bit targets); the
    /// families that use it refuse such degrees.
    pub fn lex_rank(&self) -> usize {
        let m = self.degree();
        let mut rank = 0usize;
        for i in 0..m {
            let smaller_later = self.images[i + 1..]
                .iter()
                .filter(|&&q| q < self.images[i])
                .count();
            rank = rank * (m - i) + smaller_later;
        }
        rank
    }

    /// The permutation of `degree` points with lexicographic rank `rank` (inverse of
    /// [`Permutation::lex_rank`]).
    ///
    /// # Panics
    /// When `rank ≥ degree!`.
    pub fn from_lex_rank(degree: usize, rank: usize) -> Self {
        let mut digits = vec![0usize; degree];
        let mut r = rank;
        for i in (0..degree).rev() {
            let base = degree - i;
            digits[i] = r % base;
            r /= base;
        }
        assert!(r == 0, "rank {rank} out of range for {degree} points");
        // A rank fits a usize only for degree ≤ 20: the unused points fit one bit set.
        let mut unused = if degree == 0 {
            0u32
        } else {
            u32::MAX >> (32 - degree)
        };
        let images = digits
            .iter()
            .map(|&d| {
                let mut rest = unused;
                for _ in 0..d {
                    rest &= rest - 1;
                }
                let point = rest.trailing_zeros() as usize;
                unused &= !(1 << point);
                point
            })
            .collect();
        Self { images }
    }
}

impl fmt::Display for Permutation {
    /// GAP cycle notation on 1-based points, `()` for the identity.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut seen = vec![false; self.degree()];
        let mut any = false;
        for start in 0..self.degree() {
            if seen[start] || self.images[start] == start {
                continue;
            }
            any = true;
            write!(f, "({}", start + 1)?;
            seen[start] = true;
            let mut p = self.images[start];
            while p != start {
                write!(f, ",{}", p + 1)?;
                seen[p] = true;
                p = self.images[p];
            }
            write!(f, ")")?;
        }
        if !any {
            write!(f, "()")?;
        }
        Ok(())
    }
}

fn permutation_error((position, reason): (usize, String)) -> Error {
    Error::InvalidPermutation {
        reason: format!("at byte {position}: {reason}"),
    }
}

/// Parses cycle notation; on failure returns the byte offset of the problem and what is wrong.
/// Shared by [`Permutation::parse`] and the group-spec parser.
pub(crate) fn parse_cycles(
    text: &str,
    degree: Option<usize>,
) -> std::result::Result<Permutation, (usize, String)> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let skip_spaces = |pos: &mut usize| {
        while *pos < bytes.len() && bytes[*pos] == b' ' {
            *pos += 1;
        }
    };
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    let mut first_seen: Vec<(usize, usize)> = Vec::new(); // (point, byte offset)
    skip_spaces(&mut pos);
    if pos == bytes.len() {
        return Err((pos, "expected '(' to start a cycle".into()));
    }
    while pos < bytes.len() {
        if bytes[pos] != b'(' {
            return Err((pos, "expected '(' to start a cycle".into()));
        }
        pos += 1;
        skip_spaces(&mut pos);
        let mut cycle = Vec::new();
        if pos < bytes.len() && bytes[pos] == b')' {
            pos += 1;
            skip_spaces(&mut pos);
            continue;
        }
        loop {
            let start = pos;
            while pos < bytes.len() && bytes[pos].is_ascii_digit() {
                pos += 1;
            }
            if start == pos {
                return Err((start, "expected a point (a positive integer)".into()));
            }
            let point: usize = text[start..pos]
                .parse()
                .map_err(|_| (start, "point number too large".to_string()))?;
            if point == 0 {
                return Err((start, "points are numbered from 1".into()));
            }
            if let Some(m) = degree {
                if point > m {
                    return Err((
                        start,
                        format!(
                            "permutation on the wrong number of points: point {point} is outside 1..={m}"
                        ),
                    ));
                }
            }
            if let Some(&(_, at)) = first_seen.iter().find(|(p, _)| *p == point) {
                return Err((
                    start,
                    format!("point {point} appears twice (first at byte {at})"),
                ));
            }
            first_seen.push((point, start));
            cycle.push(point - 1);
            skip_spaces(&mut pos);
            match bytes.get(pos) {
                Some(b',') => {
                    pos += 1;
                    skip_spaces(&mut pos);
                }
                Some(b')') => {
                    pos += 1;
                    skip_spaces(&mut pos);
                    break;
                }
                _ => return Err((pos, "expected ',' or ')'".into())),
            }
        }
        cycles.push(cycle);
    }
    let m = degree.unwrap_or_else(|| first_seen.iter().map(|&(p, _)| p).max().unwrap_or(0));
    let mut images: Vec<usize> = (0..m).collect();
    for cycle in &cycles {
        for (k, &p) in cycle.iter().enumerate() {
            images[p] = cycle[(k + 1) % cycle.len()];
        }
    }
    Ok(Permutation { images })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::seq::SliceRandom;
    use rand::SeedableRng;

    #[test]
    fn lex_rank_round_trips_and_pairs_last_two_entries() {
        for r in 0..120 {
            let p = Permutation::from_lex_rank(5, r);
            assert_eq!(p.lex_rank(), r);
            let mut q = p.images().to_vec();
            q.swap(3, 4);
            assert_eq!(Permutation::from_images(q).unwrap().lex_rank(), r ^ 1);
            let swapped = p.clone().with_last_two_swapped();
            assert_eq!(swapped.lex_rank(), r ^ 1);
            assert_ne!(swapped.is_even(), p.is_even());
        }
        assert_eq!(Permutation::identity(7).lex_rank(), 0);
    }

    #[test]
    fn parity_is_that_of_the_inversion_count_on_every_size() {
        // The oracle: the number of inversions (pairs i < j with p(i) > p(j)) mod 2. The
        // degrees cross the stack buffer's 128 points.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for m in [0, 1, 2, 3, 9, 127, 128, 129, 300] {
            for _ in 0..20 {
                let mut images: Vec<usize> = (0..m).collect();
                images.shuffle(&mut rng);
                let inversions = (0..m)
                    .flat_map(|i| (i + 1..m).map(move |j| (i, j)))
                    .filter(|&(i, j)| images[i] > images[j])
                    .count();
                let p = Permutation::from_images(images).unwrap();
                assert_eq!(p.is_even(), inversions % 2 == 0, "{m} points");
            }
        }
    }

    #[test]
    fn display_round_trips_through_the_parser() {
        for r in 0..720 {
            let p = Permutation::from_lex_rank(6, r);
            let back = Permutation::parse_with_degree(&p.to_string(), 6).unwrap();
            assert_eq!(back, p);
        }
    }

    #[test]
    fn parity_matches_transposition_count() {
        assert!(Permutation::parse("(1,2,3)").unwrap().is_even());
        assert!(!Permutation::parse("(1,2)(3,4)(5,6)").unwrap().is_even());
        assert!(Permutation::identity(3).is_even());
    }
}
