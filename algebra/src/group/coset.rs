//! Left cosets `gH` and right cosets `Hg` of a subgroup: a coset label for every element and
//! a transversal.

use super::{FiniteGroup, Subgroup};
use crate::Result;

/// Which cosets: left `gH` or right `Hg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Left cosets `gH = {g·h : h ∈ H}` (the points of the homogeneous space `G/H`).
    Left,
    /// Right cosets `Hg = {h·g : h ∈ H}`.
    Right,
}

/// The partition of `G` into the left (or right) cosets of a subgroup `H`.
///
/// Cosets are numbered `0..[G:H]` in increasing order of their smallest element, so coset 0
/// is `H` itself, and the representative of each coset is its smallest element: the
/// representatives form a left (or right) transversal. Construction costs `n` products and
/// `O(n)` memory — no `n×n` table — so it works for groups of order `~10⁶`.
///
/// # Example
/// ```
/// use gm_algebra::group::{Cosets, Dihedral, Subgroup};
/// let d3 = Dihedral::new(3).unwrap(); // r^k = k, f·r^k = 3 + k
/// let h = Subgroup::generated_by(&d3, &[3]).unwrap(); // {e, f}
/// let left = Cosets::left(&d3, &h).unwrap();
/// assert_eq!(left.count(), 3);
/// assert_eq!(left.representatives(), &[0, 1, 2]);
/// assert_eq!(left.coset_of(3), 0); // f ∈ H
/// let right = Cosets::right(&d3, &h).unwrap();
/// assert_ne!(left.labels(), right.labels()); // H is not normal
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosets {
    side: Side,
    labels: Vec<usize>,
    representatives: Vec<usize>,
    subgroup_order: usize,
}

impl Cosets {
    /// The cosets of `h` in `g` on the given side.
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `h` belongs to a group of another order.
    pub fn new<G: FiniteGroup + ?Sized>(g: &G, h: &Subgroup, side: Side) -> Result<Self> {
        h.check_group(g)?;
        let n = g.order();
        let mut labels = vec![usize::MAX; n];
        let mut representatives = Vec::with_capacity(h.index());
        for a in 0..n {
            if labels[a] != usize::MAX {
                continue;
            }
            let c = representatives.len();
            representatives.push(a);
            for &x in h.members() {
                let y = match side {
                    Side::Left => g.mul_idx(a, x),
                    Side::Right => g.mul_idx(x, a),
                };
                labels[y] = c;
            }
        }
        Ok(Self {
            side,
            labels,
            representatives,
            subgroup_order: h.order(),
        })
    }

    /// The left cosets `gH` (see [`Cosets::new`]).
    ///
    /// # Errors
    /// As [`Cosets::new`].
    pub fn left<G: FiniteGroup + ?Sized>(g: &G, h: &Subgroup) -> Result<Self> {
        Self::new(g, h, Side::Left)
    }

    /// The right cosets `Hg` (see [`Cosets::new`]).
    ///
    /// # Errors
    /// As [`Cosets::new`].
    pub fn right<G: FiniteGroup + ?Sized>(g: &G, h: &Subgroup) -> Result<Self> {
        Self::new(g, h, Side::Right)
    }

    /// Left or right.
    pub fn side(&self) -> Side {
        self.side
    }

    /// The number of cosets: the index `[G:H]`.
    pub fn count(&self) -> usize {
        self.representatives.len()
    }

    /// The label (coset number) of element `a`.
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn coset_of(&self, a: usize) -> usize {
        self.labels[a]
    }

    /// The coset label of every element, indexed by element.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The representative (smallest element) of coset `c`.
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn representative(&self, c: usize) -> usize {
        self.representatives[c]
    }

    /// The transversal: the smallest element of each coset, in coset order (increasing).
    pub fn representatives(&self) -> &[usize] {
        &self.representatives
    }

    /// The order `|H|` of the subgroup (every coset has this many elements).
    pub fn subgroup_order(&self) -> usize {
        self.subgroup_order
    }

    /// The order `|G|` of the group.
    pub fn group_order(&self) -> usize {
        self.labels.len()
    }

    /// The elements of coset `c`, sorted increasingly. Cost `O(n)` (a scan of the labels).
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn members(&self, c: usize) -> Vec<usize> {
        assert!(
            c < self.count(),
            "coset {c} out of range 0..{}",
            self.count()
        );
        (0..self.labels.len())
            .filter(|&a| self.labels[a] == c)
            .collect()
    }
}
