//! The Schreier tree of a group over a generating set: a breadth-first spanning tree of the
//! Cayley graph, so that every element is a word in the generators.

use super::FiniteGroup;
use crate::budget::{self, bytes_for};
use crate::{Error, Result};
use std::collections::VecDeque;

/// Bytes per group element a [`SchreierTree`] allocates: parent (`u32`), edge label (`u8`),
/// breadth-first order (`u32`) and a visited flag while it is built.
pub const SCHREIER_BYTES_PER_ELEMENT: u64 = 10;

/// The most generators a [`SchreierTree`] takes (edge labels are stored as `u8`).
pub const SCHREIER_MAX_GENERATORS: usize = u8::MAX as usize;

/// A breadth-first spanning tree of the left Cayley graph of `G` over generators
/// `s_0, …, s_{k−1}`, rooted at the identity: every element `a ≠ e` has a parent `p` and an
/// edge `j` with `a = s_j · p`, so `a = s_{j_1} s_{j_2} ⋯ s_{j_m}` reading the edges from `a`
/// up to the root ([`SchreierTree::word`]). A representation given by the images of the
/// generators is then known at every element: `ρ(a) = ρ(s_{j_1}) ⋯ ρ(s_{j_m})`.
///
/// Storage is `u32` parents and `u8` edges ([`SCHREIER_BYTES_PER_ELEMENT`] bytes per element,
/// checked against the memory budget before anything is allocated); building it costs
/// `n · k` products. Breadth-first order makes every word as short as possible, so
/// [`SchreierTree::depth`] is the diameter of the Cayley graph from the identity.
///
/// # Example
/// ```
/// use gm_algebra::group::{SchreierTree, Symmetric};
/// use gm_algebra::FiniteGroup;
/// let s4 = Symmetric::new(4).unwrap();
/// let tree = SchreierTree::new(&s4, &s4.generator_indices()).unwrap();
/// for a in 0..s4.order() {
///     let product = tree.word(a).iter().rev().fold(0, |x, &j| s4.mul_idx(tree.generators()[j], x));
///     assert_eq!(product, a);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchreierTree {
    generators: Vec<usize>,
    parent: Vec<u32>,
    edge: Vec<u8>,
    breadth_first: Vec<u32>,
    depth: usize,
}

impl SchreierTree {
    /// The tree of `g` over the generators with element indices `generators`.
    ///
    /// # Errors
    /// [`Error::OverBudget`] when its memory does not fit the budget; [`Error::TooLarge`] for
    /// a group of more than `u32::MAX` elements; [`Error::InvalidParameter`] for more than
    /// [`SCHREIER_MAX_GENERATORS`] generators or for elements that do not generate `g` (the
    /// message says the order of the subgroup they generate); [`Error::IndexOutOfRange`] for
    /// a generator index outside `0..n`.
    pub fn new<G: FiniteGroup + ?Sized>(g: &G, generators: &[usize]) -> Result<Self> {
        let n = g.order();
        if u32::try_from(n).is_err() {
            return Err(Error::TooLarge {
                order: n,
                operation: "a Schreier tree with u32 parents".into(),
                limit: u32::MAX as usize,
            });
        }
        if generators.len() > SCHREIER_MAX_GENERATORS {
            return Err(Error::InvalidParameter {
                family: "Schreier tree".into(),
                reason: format!(
                    "{} generators given, at most {SCHREIER_MAX_GENERATORS} are supported",
                    generators.len()
                ),
            });
        }
        if let Some(&bad) = generators.iter().find(|&&s| s >= n) {
            return Err(Error::IndexOutOfRange {
                index: bad,
                order: n,
            });
        }
        budget::require(
            &format!("the Schreier tree of {} (order {n})", g.name()),
            bytes_for(n, SCHREIER_BYTES_PER_ELEMENT),
            "ask for a smaller group, or a direct factor of this one",
        )?;
        let mut parent = vec![u32::MAX; n];
        let mut edge = vec![u8::MAX; n];
        parent[0] = 0;
        let mut breadth_first = Vec::with_capacity(n);
        breadth_first.push(0u32);
        let mut queue = VecDeque::from([(0usize, 0usize)]);
        let mut depth = 0;
        while let Some((x, level)) = queue.pop_front() {
            for (j, &s) in generators.iter().enumerate() {
                let y = g.mul_idx(s, x);
                if parent[y] == u32::MAX {
                    parent[y] = x as u32;
                    edge[y] = j as u8;
                    breadth_first.push(y as u32);
                    depth = depth.max(level + 1);
                    queue.push_back((y, level + 1));
                }
            }
        }
        if breadth_first.len() < n {
            return Err(Error::InvalidParameter {
                family: format!("Schreier tree of {}", g.name()),
                reason: format!(
                    "the {} given elements generate a subgroup of order {}, not the whole group \
                     of order {n}",
                    generators.len(),
                    breadth_first.len()
                ),
            });
        }
        Ok(Self {
            generators: generators.to_vec(),
            parent,
            edge,
            breadth_first,
            depth,
        })
    }

    /// The generators' element indices, in edge-label order.
    pub fn generators(&self) -> &[usize] {
        &self.generators
    }

    /// The group order `n`.
    pub fn order(&self) -> usize {
        self.parent.len()
    }

    /// `(p, j)` with `a = s_j · p`, or `None` for the identity.
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn parent(&self, a: usize) -> Option<(usize, usize)> {
        (a != 0).then(|| (self.parent[a] as usize, self.edge[a] as usize))
    }

    /// The word of `a`: generator positions `j_1, …, j_m` with `a = s_{j_1} ⋯ s_{j_m}`
    /// (empty for the identity); `m` is at most [`SchreierTree::depth`].
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn word(&self, a: usize) -> Vec<usize> {
        let mut word = Vec::new();
        let mut x = a;
        while let Some((p, j)) = self.parent(x) {
            word.push(j);
            x = p;
        }
        word
    }

    /// The elements in breadth-first order (the identity first; every parent before its
    /// children).
    pub fn breadth_first(&self) -> &[u32] {
        &self.breadth_first
    }

    /// The length of the longest word.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Walks the tree depth first, carrying a value along the edges: the identity gets
    /// `root`, an element `a = s_j · p` gets `step(&value of p, j)`, and `visit(a, &value)`
    /// is called once for every element (the identity first, every parent before its
    /// children). Only the values on the current path are kept (at most
    /// [`SchreierTree::depth`]` + 1`), so e.g. `ρ(a)v` can be summed over the whole group in
    /// memory independent of its order.
    ///
    /// # Errors
    /// [`Error::OverBudget`] when the children lists (5 bytes per element) do not fit the
    /// memory budget.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::group::{SchreierTree, Symmetric};
    /// use gm_algebra::FiniteGroup;
    /// let s4 = Symmetric::new(4).unwrap();
    /// let tree = SchreierTree::new(&s4, &s4.generator_indices()).unwrap();
    /// // Carry the element itself: every element is reached once, as the product of its word.
    /// let mut seen = vec![0; s4.order()];
    /// tree.depth_first(0, |&p, j| s4.mul_idx(tree.generators()[j], p), |a, &x| {
    ///     assert_eq!(a, x);
    ///     seen[a] += 1;
    /// })
    /// .unwrap();
    /// assert!(seen.iter().all(|&k| k == 1));
    /// ```
    pub fn depth_first<T>(
        &self,
        root: T,
        mut step: impl FnMut(&T, usize) -> T,
        mut visit: impl FnMut(usize, &T),
    ) -> Result<()> {
        let n = self.order();
        budget::require(
            &format!("the children lists of a Schreier tree (order {n})"),
            bytes_for(n, 5),
            "ask for a smaller group",
        )?;
        // Breadth-first order lists the children of each element consecutively.
        let mut first = vec![0u32; n];
        let mut count = vec![0u8; n];
        for (position, &a) in self.breadth_first.iter().enumerate().skip(1) {
            let p = self.parent[a as usize] as usize;
            if count[p] == 0 {
                first[p] = position as u32;
            }
            count[p] += 1;
        }
        let children = |a: usize| (first[a], first[a] + u32::from(count[a]));
        visit(0, &root);
        // values[i] belongs to the element whose unvisited children are stack[i].
        let mut values = vec![root];
        let mut stack = vec![children(0)];
        while let Some(next) = stack.last_mut() {
            if next.0 == next.1 {
                stack.pop();
                values.pop();
                continue;
            }
            let a = self.breadth_first[next.0 as usize] as usize;
            next.0 += 1;
            let value = step(
                values.last().expect("one value per level"),
                self.edge[a] as usize,
            );
            visit(a, &value);
            if count[a] > 0 {
                values.push(value);
                stack.push(children(a));
            }
        }
        Ok(())
    }
}
