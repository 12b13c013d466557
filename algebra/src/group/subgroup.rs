//! Subgroups of a finite group: sorted member indices plus a membership bitmap.

use super::FiniteGroup;
use crate::{Error, Result};

/// A subgroup `H ≤ G`, stored as its sorted element indices and a membership bitmap.
///
/// A `Subgroup` holds no reference to its group: every operation that needs products takes
/// the group as `&G` with `G: FiniteGroup + ?Sized`. It remembers the order of the group it
/// was built in, and operations given a group of another order return
/// [`Error::ShapeMismatch`]. Every constructor returns a genuine subgroup (closed under
/// products and inverses, containing the identity 0).
///
/// # Example
/// ```
/// use gm_algebra::group::{Dihedral, Subgroup};
/// let d4 = Dihedral::new(4).unwrap(); // rotations 0..4, reflections 4..8
/// let rotations = Subgroup::generated_by(&d4, &[1]).unwrap();
/// assert_eq!(rotations.members(), &[0, 1, 2, 3]);
/// assert_eq!(rotations.index(), 2);
/// assert!(rotations.is_normal(&d4));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Subgroup {
    members: Vec<usize>,
    bits: Vec<u64>,
    group_order: usize,
}

impl std::fmt::Debug for Subgroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subgroup")
            .field("order", &self.members.len())
            .field("group_order", &self.group_order)
            .field("members", &self.members)
            .finish()
    }
}

/// `Ok` when `a` is an element index of a group of order `n`.
pub(crate) fn check_index(a: usize, n: usize) -> Result<()> {
    if a < n {
        Ok(())
    } else {
        Err(Error::IndexOutOfRange { index: a, order: n })
    }
}

/// The closure of a growing generating set, built one generator at a time.
///
/// Invariant: `members` is closed under right multiplication by every element of `gens`
/// (hence, the group being finite, it is the subgroup `gens` generate).
struct Closure {
    members: Vec<usize>,
    inside: Vec<bool>,
    gens: Vec<usize>,
}

impl Closure {
    fn new(n: usize) -> Self {
        let mut inside = vec![false; n];
        inside[0] = true;
        Self {
            members: vec![0],
            inside,
            gens: Vec::new(),
        }
    }

    /// Adds `c` to the subgroup (and to the generating set unless already inside). Every new
    /// element `y = x·s` is first shown to `admit(x, s, y)`, which may veto it.
    ///
    /// Old members only need multiplying by `c` (they are closed under the old generators);
    /// new members are multiplied by every generator. Cost: `O(|new| · |gens|)` products.
    fn adjoin<G, F>(&mut self, g: &G, c: usize, admit: &mut F) -> Result<()>
    where
        G: FiniteGroup + ?Sized,
        F: FnMut(usize, usize, usize) -> Result<()>,
    {
        if self.inside[c] {
            return Ok(());
        }
        self.gens.push(c);
        let mut queue = Vec::new();
        for i in 0..self.members.len() {
            let x = self.members[i];
            self.visit(x, c, g.mul_idx(x, c), admit, &mut queue)?;
        }
        while let Some(x) = queue.pop() {
            for k in 0..self.gens.len() {
                let s = self.gens[k];
                self.visit(x, s, g.mul_idx(x, s), admit, &mut queue)?;
            }
        }
        Ok(())
    }

    fn visit<F>(
        &mut self,
        x: usize,
        s: usize,
        y: usize,
        admit: &mut F,
        queue: &mut Vec<usize>,
    ) -> Result<()>
    where
        F: FnMut(usize, usize, usize) -> Result<()>,
    {
        if !self.inside[y] {
            admit(x, s, y)?;
            self.inside[y] = true;
            self.members.push(y);
            queue.push(y);
        }
        Ok(())
    }

    fn into_subgroup(self) -> Subgroup {
        let n = self.inside.len();
        Subgroup::from_members(self.members, n)
    }
}

fn admit_all(_: usize, _: usize, _: usize) -> Result<()> {
    Ok(())
}

impl Subgroup {
    /// Builds the bitmap for a list of distinct members (sorted here); the caller guarantees
    /// that they form a subgroup.
    pub(crate) fn from_members(mut members: Vec<usize>, group_order: usize) -> Self {
        members.sort_unstable();
        let mut bits = vec![0u64; group_order.div_ceil(64)];
        for &a in &members {
            bits[a / 64] |= 1 << (a % 64);
        }
        Self {
            members,
            bits,
            group_order,
        }
    }

    /// `Ok` when this subgroup was built in a group of the same order as `g`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the orders differ.
    pub(crate) fn check_group<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<()> {
        if self.group_order == g.order() {
            Ok(())
        } else {
            Err(Error::ShapeMismatch {
                what: "order of the subgroup's group".into(),
                expected: g.order(),
                got: self.group_order,
            })
        }
    }

    /// The trivial subgroup `{e}`.
    pub fn trivial<G: FiniteGroup + ?Sized>(g: &G) -> Self {
        Self::from_members(vec![0], g.order())
    }

    /// The whole group `G`.
    pub fn whole<G: FiniteGroup + ?Sized>(g: &G) -> Self {
        Self::from_members((0..g.order()).collect(), g.order())
    }

    /// The subgroup `⟨gens⟩` generated by the given elements (the trivial subgroup for an
    /// empty list). Cost `O(|H| · k)` products, `k ≤ log₂|H|` the generators actually used.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] when a generator is not an element index.
    pub fn generated_by<G: FiniteGroup + ?Sized>(g: &G, gens: &[usize]) -> Result<Self> {
        let n = g.order();
        gens.iter().try_for_each(|&a| check_index(a, n))?;
        let mut closure = Closure::new(n);
        for &a in gens {
            closure.adjoin(g, a, &mut admit_all)?;
        }
        Ok(closure.into_subgroup())
    }

    /// Validates that `subset` (duplicates allowed) is a subgroup and returns it.
    ///
    /// Checks, in order: every index is in range, the identity is present, every inverse is
    /// present, and the subset is closed under products. The closure check grows the
    /// subgroup generated by the subset one greedy generator at a time and stops at the first
    /// product that leaves the subset, so it costs `O(|H| · log|H|)` products, not `|H|²`.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for an index outside `0..order`; [`Error::NotASubgroup`]
    /// naming the missing identity, the missing inverse, or a product `a·b` of two members
    /// that falls outside the subset.
    pub fn from_subset<G: FiniteGroup + ?Sized>(g: &G, subset: &[usize]) -> Result<Self> {
        let n = g.order();
        subset.iter().try_for_each(|&a| check_index(a, n))?;
        let mut wanted = vec![false; n];
        for &a in subset {
            wanted[a] = true;
        }
        if !wanted[0] {
            return Err(Error::NotASubgroup {
                reason: format!("the identity {} is not in the subset", g.label(0)),
            });
        }
        if let Some(&a) = subset.iter().find(|&&a| !wanted[g.inv_idx(a)]) {
            return Err(Error::NotASubgroup {
                reason: format!(
                    "the inverse {} of {} is not in the subset",
                    g.label(g.inv_idx(a)),
                    g.label(a)
                ),
            });
        }
        let mut admit = |x: usize, s: usize, y: usize| {
            if wanted[y] {
                Ok(())
            } else {
                Err(Error::NotASubgroup {
                    reason: format!(
                        "the product {}·{} = {} is not in the subset",
                        g.label(x),
                        g.label(s),
                        g.label(y)
                    ),
                })
            }
        };
        let mut closure = Closure::new(n);
        for &a in subset {
            closure.adjoin(g, a, &mut admit)?;
        }
        Ok(closure.into_subgroup())
    }

    /// The smallest normal subgroup containing `gens`: the subgroup generated by all their
    /// conjugates. Cost `O(c · |S|)` for the `c` conjugates under the group's generators `S`,
    /// plus the closure.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] when an element is not an element index.
    pub fn normal_closure<G: FiniteGroup + ?Sized>(g: &G, gens: &[usize]) -> Result<Self> {
        let n = g.order();
        gens.iter().try_for_each(|&a| check_index(a, n))?;
        let group_gens: Vec<(usize, usize)> = g
            .generator_indices()
            .into_iter()
            .map(|s| (s, g.inv_idx(s)))
            .collect();
        let mut seen = vec![false; n];
        let mut conjugates = Vec::new();
        for &a in gens {
            if !seen[a] {
                seen[a] = true;
                conjugates.push(a);
            }
        }
        let mut next = 0;
        while next < conjugates.len() {
            let x = conjugates[next];
            next += 1;
            for &(s, si) in &group_gens {
                let y = g.mul_idx(g.mul_idx(s, x), si);
                if !seen[y] {
                    seen[y] = true;
                    conjugates.push(y);
                }
            }
        }
        Self::generated_by(g, &conjugates)
    }

    /// The centraliser `C_G(a) = {x : x·a = a·x}`. Cost `O(n)` products.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] when `a` is not an element index.
    pub fn centraliser<G: FiniteGroup + ?Sized>(g: &G, a: usize) -> Result<Self> {
        let n = g.order();
        check_index(a, n)?;
        let members = (0..n)
            .filter(|&x| g.mul_idx(x, a) == g.mul_idx(a, x))
            .collect();
        Ok(Self::from_members(members, n))
    }

    /// The centre `Z(G)`: the elements commuting with every generator of `G` (hence with
    /// all of `G`). Cost `O(n · |S|)` products for the generating set `S`.
    pub fn centre<G: FiniteGroup + ?Sized>(g: &G) -> Self {
        let n = g.order();
        let gens = g.generator_indices();
        let members = (0..n)
            .filter(|&x| gens.iter().all(|&s| g.mul_idx(x, s) == g.mul_idx(s, x)))
            .collect();
        Self::from_members(members, n)
    }

    /// The normaliser `N_G(H) = {x : x·H·x⁻¹ = H}`. An element normalises `H` as soon as it
    /// conjugates a generating set of `H` into `H`, so the cost is `O(n · log|H|)` products.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `self` belongs to a group of another order.
    pub fn normaliser<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<Self> {
        self.check_group(g)?;
        let gens = self.generating_set(g);
        let members = (0..g.order())
            .filter(|&x| {
                let xi = g.inv_idx(x);
                gens.iter()
                    .all(|&t| self.contains(g.mul_idx(g.mul_idx(x, t), xi)))
            })
            .collect();
        Ok(Self::from_members(members, g.order()))
    }

    /// The conjugate subgroup `x·H·x⁻¹`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `self` belongs to a group of another order;
    /// [`Error::IndexOutOfRange`] when `x` is not an element index.
    pub fn conjugate<G: FiniteGroup + ?Sized>(&self, g: &G, x: usize) -> Result<Self> {
        self.check_group(g)?;
        check_index(x, g.order())?;
        let xi = g.inv_idx(x);
        let members = self
            .members
            .iter()
            .map(|&h| g.mul_idx(g.mul_idx(x, h), xi))
            .collect();
        Ok(Self::from_members(members, self.group_order))
    }

    /// The intersection `H ∩ K` of two subgroups of the same group.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when they belong to groups of different orders.
    pub fn intersection(&self, other: &Subgroup) -> Result<Self> {
        if self.group_order != other.group_order {
            return Err(Error::ShapeMismatch {
                what: "order of the second subgroup's group".into(),
                expected: self.group_order,
                got: other.group_order,
            });
        }
        let members = self
            .members
            .iter()
            .copied()
            .filter(|&a| other.contains(a))
            .collect();
        Ok(Self::from_members(members, self.group_order))
    }

    /// A generating set of `H`, chosen greedily (smallest member not yet generated); at most
    /// `log₂|H|` elements, empty for the trivial subgroup. Cost `O(|H| · log|H|)` products.
    ///
    /// # Panics
    /// If `g` has a smaller order than the group `self` was built in.
    pub fn generating_set<G: FiniteGroup + ?Sized>(&self, g: &G) -> Vec<usize> {
        let mut closure = Closure::new(self.group_order);
        for &a in &self.members {
            // Closing a subgroup's own members never leaves it, so `admit_all` cannot fail.
            let _ = closure.adjoin(g, a, &mut admit_all);
        }
        closure.gens
    }

    /// Whether `H` is normal: `s·h·s⁻¹ ∈ H` for every member `h` and every generator `s` of
    /// `G`. Cost `O(|H| · |S|)` products.
    ///
    /// # Panics
    /// If `g` has a smaller order than the group `self` was built in.
    pub fn is_normal<G: FiniteGroup + ?Sized>(&self, g: &G) -> bool {
        self.non_normal_witness(g).is_none()
    }

    /// `Ok` when `H` is normal in `G`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `self` belongs to a group of another order;
    /// [`Error::NotNormal`] naming a conjugate `s·h·s⁻¹` that leaves `H`.
    pub fn check_normal<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<()> {
        self.check_group(g)?;
        match self.non_normal_witness(g) {
            None => Ok(()),
            Some((s, h, y)) => Err(Error::NotNormal {
                reason: format!(
                    "conjugating {} by {} gives {}, which is not in the subgroup",
                    g.label(h),
                    g.label(s),
                    g.label(y)
                ),
            }),
        }
    }

    /// A generator `s` of `G` and a member `h` with `y = s·h·s⁻¹ ∉ H`, if any.
    fn non_normal_witness<G: FiniteGroup + ?Sized>(&self, g: &G) -> Option<(usize, usize, usize)> {
        g.generator_indices().into_iter().find_map(|s| {
            let si = g.inv_idx(s);
            self.members.iter().find_map(|&h| {
                let y = g.mul_idx(g.mul_idx(s, h), si);
                (!self.contains(y)).then_some((s, h, y))
            })
        })
    }

    /// The order `|H|`.
    pub fn order(&self) -> usize {
        self.members.len()
    }

    /// The order `|G|` of the group this subgroup was built in.
    pub fn group_order(&self) -> usize {
        self.group_order
    }

    /// The index `[G:H] = |G| / |H|` (Lagrange).
    pub fn index(&self) -> usize {
        self.group_order / self.members.len()
    }

    /// Whether element `a` lies in `H` (`false` for indices outside the group).
    pub fn contains(&self, a: usize) -> bool {
        a < self.group_order && self.bits[a / 64] >> (a % 64) & 1 == 1
    }

    /// The members of `H`, sorted increasingly (so the identity 0 comes first).
    pub fn members(&self) -> &[usize] {
        &self.members
    }

    /// The membership bitmap: bit `a % 64` of word `a / 64` is set iff `a ∈ H`.
    pub fn bitmap(&self) -> &[u64] {
        &self.bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::{Cyclic, Dihedral};

    #[test]
    fn centre_of_even_dihedral_is_identity_and_half_turn() {
        let d6 = Dihedral::new(6).unwrap();
        assert_eq!(Subgroup::centre(&d6).members(), &[0, 3]);
        let d5 = Dihedral::new(5).unwrap();
        assert_eq!(Subgroup::centre(&d5).members(), &[0]);
    }

    #[test]
    fn normaliser_of_a_reflection_in_d4() {
        let d4 = Dihedral::new(4).unwrap();
        let f = Subgroup::generated_by(&d4, &[4]).unwrap();
        // N(⟨f⟩) = {e, r², f, f·r²}.
        assert_eq!(f.normaliser(&d4).unwrap().members(), &[0, 2, 4, 6]);
    }

    #[test]
    fn from_subset_accepts_subgroups_and_names_bad_products() {
        let z12 = Cyclic::new(12).unwrap();
        let h = Subgroup::from_subset(&z12, &[0, 4, 8, 4]).unwrap();
        assert_eq!(h.members(), &[0, 4, 8]);
        let err = Subgroup::from_subset(&z12, &[0, 3, 9, 4, 8]).unwrap_err();
        assert!(matches!(err, Error::NotASubgroup { .. }), "{err}");
    }

    #[test]
    fn generating_set_generates() {
        let d6 = Dihedral::new(6).unwrap();
        let h = Subgroup::generated_by(&d6, &[2, 7]).unwrap();
        let gens = h.generating_set(&d6);
        assert!(gens.len() <= 3);
        assert_eq!(Subgroup::generated_by(&d6, &gens).unwrap(), h);
    }
}
