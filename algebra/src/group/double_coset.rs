//! Double cosets `H\G/K`: the orbits of `H × K` acting by `x ↦ h·x·k⁻¹`.

use super::{FiniteGroup, Subgroup};
use crate::Result;

/// The partition of `G` into double cosets `HgK = {h·g·k : h ∈ H, k ∈ K}`.
///
/// Double cosets are numbered in increasing order of their smallest element (so number 0 is
/// `HK`, the one containing the identity), and that smallest element is the representative.
/// Unlike cosets they can have different sizes: `|HgK| = |H|·|K| / |H ∩ gKg⁻¹|`.
///
/// Each is found by breadth-first search from its smallest element, multiplying on the left
/// by generators of `H` and on the right by generators of `K`: `O(n · (log|H| + log|K|))`
/// products, `O(n)` memory.
///
/// # Example
/// ```
/// use gm_algebra::group::{Dihedral, DoubleCosets, Subgroup};
/// let d3 = Dihedral::new(3).unwrap();
/// let h = Subgroup::generated_by(&d3, &[3]).unwrap(); // {e, f}
/// let dc = DoubleCosets::new(&d3, &h, &h).unwrap();
/// assert_eq!(dc.count(), 2); // H itself and the other four elements
/// assert_eq!(dc.sizes(), &[2, 4]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoubleCosets {
    labels: Vec<usize>,
    representatives: Vec<usize>,
    sizes: Vec<usize>,
}

impl DoubleCosets {
    /// The double cosets `H\G/K`.
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `h` or `k` belongs to a group of another order.
    pub fn new<G: FiniteGroup + ?Sized>(g: &G, h: &Subgroup, k: &Subgroup) -> Result<Self> {
        h.check_group(g)?;
        k.check_group(g)?;
        let n = g.order();
        let left = h.generating_set(g);
        let right = k.generating_set(g);
        let mut labels = vec![usize::MAX; n];
        let mut representatives = Vec::new();
        let mut sizes = Vec::new();
        let mut queue = Vec::new();
        for a in 0..n {
            if labels[a] != usize::MAX {
                continue;
            }
            let c = representatives.len();
            representatives.push(a);
            labels[a] = c;
            queue.push(a);
            let mut size = 1;
            while let Some(x) = queue.pop() {
                let neighbours = left
                    .iter()
                    .map(|&t| g.mul_idx(t, x))
                    .chain(right.iter().map(|&s| g.mul_idx(x, s)));
                for y in neighbours {
                    if labels[y] == usize::MAX {
                        labels[y] = c;
                        size += 1;
                        queue.push(y);
                    }
                }
            }
            sizes.push(size);
        }
        Ok(Self {
            labels,
            representatives,
            sizes,
        })
    }

    /// The number of double cosets `|H\G/K|`.
    pub fn count(&self) -> usize {
        self.representatives.len()
    }

    /// The double coset of element `a`.
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn double_coset_of(&self, a: usize) -> usize {
        self.labels[a]
    }

    /// The double coset of every element, indexed by element.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The representative (smallest element) of each double coset, increasing.
    pub fn representatives(&self) -> &[usize] {
        &self.representatives
    }

    /// The number of elements of each double coset.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }
}
