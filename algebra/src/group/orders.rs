//! The orders of all elements of a group at once, in `O(n log log n)` products.

use super::FiniteGroup;

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Element orders computed on demand and remembered: asking for the order of `a` walks the
/// cyclic subgroup `⟨a⟩ = {a, a², …, a^k = e}` and records `ord(a^j) = k / gcd(j, k)` for all
/// its powers, so later questions about any power of `a` cost nothing.
pub(crate) struct OrderMemo {
    orders: Vec<usize>,
    powers: Vec<usize>,
}

impl OrderMemo {
    /// A memo for a group of order `n` (nothing computed yet).
    pub(crate) fn new(n: usize) -> Self {
        Self {
            orders: vec![0; n],
            powers: Vec::new(),
        }
    }

    /// The order of element `a`: free if known, else `ord(a)` products.
    pub(crate) fn order_of<G: FiniteGroup + ?Sized>(&mut self, g: &G, a: usize) -> usize {
        if self.orders[a] == 0 {
            self.powers.clear();
            let mut p = a;
            self.powers.push(p);
            while p != 0 {
                p = g.mul_idx(p, a);
                self.powers.push(p);
            }
            // powers[j − 1] = a^j for j = 1..=k, with a^k = e.
            let k = self.powers.len();
            for (j, &q) in (1..=k).zip(&self.powers) {
                if self.orders[q] == 0 {
                    self.orders[q] = k / gcd(j, k);
                }
            }
        }
        self.orders[a]
    }
}

/// The order of every element: `orders[a]` is the smallest `k ≥ 1` with `g_a^k = e`.
///
/// Walks the cyclic subgroup `⟨a⟩ = {a, a², …, a^k = e}` of each element `a` not yet seen
/// and records `ord(a^j) = k / gcd(j, k)` for all its powers. A walk of length `k` assigns at
/// least the `φ(k)` generators of `⟨a⟩`, none seen before, so the total cost is
/// `O(n · max k/φ(k)) = O(n log log n)` products — unlike calling
/// [`FiniteGroup::element_order`] on each element, which costs `Θ(n²)` on a cyclic group.
///
/// # Example
/// ```
/// use gm_algebra::group::{element_orders, Dihedral};
/// let d3 = Dihedral::new(3).unwrap();
/// assert_eq!(element_orders(&d3), vec![1, 3, 3, 2, 2, 2]);
/// ```
pub fn element_orders<G: FiniteGroup + ?Sized>(g: &G) -> Vec<usize> {
    let mut memo = OrderMemo::new(g.order());
    (0..g.order()).map(|a| memo.order_of(g, a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::{Cyclic, Dihedral};

    #[test]
    fn bulk_orders_match_one_by_one() {
        let z = Cyclic::new(60).unwrap();
        let d = Dihedral::new(12).unwrap();
        let groups: [&dyn FiniteGroup; 2] = [&z, &d];
        for g in groups {
            let bulk = element_orders(g);
            for (a, &k) in bulk.iter().enumerate() {
                assert_eq!(k, g.element_order(a), "{} element {a}", g.name());
            }
        }
    }
}
