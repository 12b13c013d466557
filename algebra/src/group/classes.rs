//! Conjugacy classes, found as orbits of conjugation by the generators.

use super::orders::OrderMemo;
use super::FiniteGroup;
use serde::Serialize;

/// A summary of one conjugacy class, for reports and the CLI's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ClassInfo {
    /// The number of elements in the class.
    pub size: usize,
    /// The common order of its elements.
    pub element_order: usize,
    /// Its smallest element.
    pub representative: usize,
}

/// The conjugacy classes `{x·a·x⁻¹ : x ∈ G}` of a finite group.
///
/// **Order of the classes:** sorted by `(element order, size, smallest element)`. The class
/// `{e}` is the only class of elements of order 1, so it is class 0. The representative of
/// each class is its smallest element, and members are listed increasingly.
///
/// Each class is the orbit of its smallest element under conjugation by the group's
/// generators `S` (an orbit under a generating set of a finite group is an orbit under the
/// whole group), found by breadth-first search: `O(n · |S|)` products, `O(n)` memory, no
/// `n×n` table. The order of each representative is found by walking its powers, remembering
/// the orders of all of them, so the total is at most that of [`super::element_orders`].
///
/// # Example
/// ```
/// use gm_algebra::group::{ConjugacyClasses, Dihedral};
/// let d4 = Dihedral::new(4).unwrap(); // r^k = k, f·r^k = 4 + k
/// let cl = ConjugacyClasses::compute(&d4);
/// assert_eq!(cl.count(), 5); // n/2 + 3 for even n
/// assert_eq!(cl.members(0), &[0]);
/// assert_eq!(cl.members(1), &[2]); // the central r², order 2, size 1
/// assert_eq!(cl.members(cl.class_of(1)), &[1, 3]); // r ~ r³
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConjugacyClasses {
    class_of: Vec<usize>,
    /// Members of all classes, class after class, each class sorted.
    members: Vec<usize>,
    /// Class `c` is `members[offsets[c]..offsets[c + 1]]`.
    offsets: Vec<usize>,
    element_orders: Vec<usize>,
    inverse: Vec<usize>,
}

/// How many queued elements the orbit search conjugates in one
/// [`FiniteGroup::mul_idx_batch`] call.
const CONJUGATION_BATCH: usize = 128;

/// Bytes per group element that [`ConjugacyClasses::try_compute`] allocates (class labels,
/// members, orbit queue, visited flags, element orders).
pub const CLASS_BYTES_PER_ELEMENT: u64 = 40;

impl ConjugacyClasses {
    /// Computes the classes of `g` (see the type's documentation for order and cost).
    ///
    /// # Panics
    /// When the classes do not fit in the memory budget: use
    /// [`ConjugacyClasses::try_compute`] where the group may be large.
    pub fn compute<G: FiniteGroup + ?Sized>(g: &G) -> Self {
        Self::try_compute(g).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Computes the classes of `g` after checking that their `O(n)` memory
    /// ([`CLASS_BYTES_PER_ELEMENT`] bytes per element) fits in the memory budget.
    ///
    /// # Errors
    /// [`crate::Error::OverBudget`] above the budget (nothing is allocated), and an invalid
    /// `GM_MEMORY_BUDGET`.
    pub fn try_compute<G: FiniteGroup + ?Sized>(g: &G) -> crate::Result<Self> {
        let n = g.order();
        crate::budget::require(
            &format!("listing the conjugacy classes of {} (order {n})", g.name()),
            crate::budget::bytes_for(n, CLASS_BYTES_PER_ELEMENT),
            "closed forms cover abelian groups (every element is its own class); ask for the \
             classes of a smaller group or of each factor of a product",
        )?;
        Ok(Self::compute_unchecked(g))
    }

    fn compute_unchecked<G: FiniteGroup + ?Sized>(g: &G) -> Self {
        let n = g.order();
        let gens: Vec<(usize, usize)> = g
            .generator_indices()
            .into_iter()
            .map(|s| (s, g.inv_idx(s)))
            .collect();
        // Orbits in order of their smallest element, flattened.
        let mut seen = vec![false; n];
        let mut orbits: Vec<usize> = Vec::with_capacity(n);
        let (mut left, mut right) = (Vec::new(), Vec::new());
        let (mut sx, mut conjugates) = (Vec::new(), Vec::new());
        let mut starts: Vec<usize> = Vec::new();
        for a in 0..n {
            if seen[a] {
                continue;
            }
            seen[a] = true;
            let start = orbits.len();
            starts.push(start);
            orbits.push(a);
            // Breadth-first, a batch of queued elements at a time (the products go through
            // `mul_idx_batch`); the orbit is visited in the same order as one at a time.
            let mut next = start;
            while next < orbits.len() {
                let end = orbits.len().min(next + CONJUGATION_BATCH);
                left.clear();
                for &x in &orbits[next..end] {
                    left.extend(gens.iter().map(|&(s, _)| (s, x)));
                }
                sx.resize(left.len(), 0);
                g.mul_idx_batch(&left, &mut sx);
                right.clear();
                right.extend(
                    sx.iter()
                        .zip(gens.iter().cycle())
                        .map(|(&y, &(_, si))| (y, si)),
                );
                conjugates.resize(right.len(), 0);
                g.mul_idx_batch(&right, &mut conjugates);
                for &y in &conjugates {
                    if !seen[y] {
                        seen[y] = true;
                        orbits.push(y);
                    }
                }
                next = end;
            }
        }
        starts.push(n);
        let mut orders = OrderMemo::new(n);
        let mut raw: Vec<(usize, usize, usize, usize)> = starts
            .windows(2)
            .map(|w| {
                let rep = orbits[w[0]];
                (orders.order_of(g, rep), w[1] - w[0], rep, w[0])
            })
            .collect();
        raw.sort_unstable();

        let mut class_of = vec![0usize; n];
        let mut members = Vec::with_capacity(n);
        let mut offsets = Vec::with_capacity(raw.len() + 1);
        let mut element_orders = Vec::with_capacity(raw.len());
        for (c, &(order, size, _, start)) in raw.iter().enumerate() {
            offsets.push(members.len());
            element_orders.push(order);
            let class = &mut orbits[start..start + size];
            class.sort_unstable();
            for &x in class.iter() {
                class_of[x] = c;
            }
            members.extend_from_slice(class);
        }
        offsets.push(n);
        let inverse = (0..raw.len())
            .map(|c| class_of[g.inv_idx(members[offsets[c]])])
            .collect();
        Self {
            class_of,
            members,
            offsets,
            element_orders,
            inverse,
        }
    }

    /// The number of classes.
    pub fn count(&self) -> usize {
        self.element_orders.len()
    }

    /// The class of element `a`.
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn class_of(&self, a: usize) -> usize {
        self.class_of[a]
    }

    /// The class of every element, indexed by element.
    pub fn labels(&self) -> &[usize] {
        &self.class_of
    }

    /// The members of class `c`, sorted increasingly.
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn members(&self, c: usize) -> &[usize] {
        &self.members[self.offsets[c]..self.offsets[c + 1]]
    }

    /// The size of class `c` (it divides `|G|`: it is the index of a centraliser).
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn size(&self, c: usize) -> usize {
        self.offsets[c + 1] - self.offsets[c]
    }

    /// The sizes of all classes, in class order.
    pub fn sizes(&self) -> Vec<usize> {
        self.offsets.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// The representative (smallest element) of class `c`.
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn representative(&self, c: usize) -> usize {
        self.members[self.offsets[c]]
    }

    /// The order of the elements of class `c` (conjugates have equal orders).
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn element_order(&self, c: usize) -> usize {
        self.element_orders[c]
    }

    /// The class of the inverses of the elements of class `c` (`{a⁻¹ : a ∈ C}` is a class).
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn inverse_class(&self, c: usize) -> usize {
        self.inverse[c]
    }

    /// The inverse-class map for all classes: `inverse_classes()[c] = inverse_class(c)`.
    pub fn inverse_classes(&self) -> &[usize] {
        &self.inverse
    }

    /// The summary of class `c`.
    ///
    /// # Panics
    /// If `c ≥ count()`.
    pub fn info(&self, c: usize) -> ClassInfo {
        ClassInfo {
            size: self.size(c),
            element_order: self.element_order(c),
            representative: self.representative(c),
        }
    }

    /// The summaries of all classes, in class order.
    pub fn infos(&self) -> Vec<ClassInfo> {
        (0..self.count()).map(|c| self.info(c)).collect()
    }
}
