//! Subgroup chains `G = G_0 > G_1 > … > G_k = {e}` with a left transversal per step: the
//! skeleton of the chain FFT (`docs/theory/chain-fft.md`).

use super::{FiniteGroup, PermutationGroup, Subgroup};
use crate::{Error, Result};

/// A chain of subgroups `G = G_0 > G_1 > … > G_k = {e}`, each a proper subgroup of the one
/// before, with generators of every `G_i` and a left transversal `T_i` of `G_{i+1}` in `G_i`:
/// `G_i = ⊔_{t ∈ T_i} t·G_{i+1}`, each coset represented by its smallest element index (so the
/// identity represents `G_{i+1}` itself and comes first).
///
/// Every element of `G` is then uniquely a product `t_0 t_1 ⋯ t_{k−1}` with `t_i ∈ T_i`; the
/// *chain order* ([`SubgroupChain::chain_order`]) lists the elements by their digits
/// `(j_0, …, j_{k−1})`, `t_i` the `j_i`-th element of `T_i`, the last digit fastest.
///
/// A chain is built from explicit generator lists ([`SubgroupChain::from_generators`],
/// validated) or, for a permutation group, as its stabiliser chain
/// ([`SubgroupChain::stabiliser_chain`]). Memory: the members of every `G_i` (`Σ|G_i| ≤ 2n`
/// indices) and a bitmap of `n` bits per subgroup.
///
/// # Example
/// ```
/// use gm_algebra::group::{PermutationGroup, SubgroupChain};
/// use gm_algebra::FiniteGroup;
/// let s4 = PermutationGroup::from_spec("(1,2);(1,2,3,4)").unwrap();
/// let chain = SubgroupChain::stabiliser_chain(&s4);
/// // S4 > S3 > S2 > 1: the stabilisers of the points 1, 2, 3
/// let orders: Vec<usize> = (0..=chain.len()).map(|i| chain.subgroup(i).order()).collect();
/// assert_eq!(orders, [24, 6, 2, 1]);
/// assert_eq!(chain.transversal(0).len(), 4);
/// let order = chain.chain_order(&s4);
/// let mut sorted = order.clone();
/// sorted.sort_unstable();
/// assert_eq!(sorted, (0..24).collect::<Vec<_>>()); // every element once
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubgroupChain {
    subgroups: Vec<Subgroup>,
    generators: Vec<Vec<usize>>,
    transversals: Vec<Vec<usize>>,
}

impl SubgroupChain {
    /// The chain `G = G_0 > G_1 > … > G_k = {e}` with `G_i = ⟨subgroup_generators[i − 1]⟩`
    /// for `i ≥ 1` (element indices of `g`); `G_0 = g` with its own generators, and the
    /// trivial group is appended when the last list does not generate it. Cost: the closures
    /// (`O(|G_i| log|G_i|)` products each) and `Σ_i |G_i|` products for the transversals.
    ///
    /// # Errors
    /// [`Error::InvalidChain`] naming the step `i` and the element when a generator of `G_i`
    /// is not an element index of `g` or does not lie in `G_{i−1}`, or when `G_i = G_{i−1}`
    /// (the chain must descend strictly).
    ///
    /// # Example
    /// ```
    /// use gm_algebra::group::{Dihedral, SubgroupChain};
    /// use gm_algebra::Error;
    /// let d4 = Dihedral::new(4).unwrap(); // rotations 0..4, reflections 4..8
    /// let chain = SubgroupChain::from_generators(&d4, &[vec![1], vec![2]]).unwrap();
    /// assert_eq!(chain.len(), 3); // D4 > C4 > C2 > 1
    /// // ⟨r⟩ is not a subgroup of ⟨r²⟩
    /// let err = SubgroupChain::from_generators(&d4, &[vec![2], vec![1]]).unwrap_err();
    /// assert!(matches!(err, Error::InvalidChain { step: 2, .. }), "{err}");
    /// ```
    pub fn from_generators<G: FiniteGroup + ?Sized>(
        g: &G,
        subgroup_generators: &[Vec<usize>],
    ) -> Result<Self> {
        let n = g.order();
        let mut subgroups = vec![Subgroup::whole(g)];
        let mut generators = vec![g.generator_indices()];
        for (i, gens) in subgroup_generators.iter().enumerate() {
            let step = i + 1;
            let above = &subgroups[i];
            let invalid = |reason: String| Error::InvalidChain { step, reason };
            if let Some(&a) = gens.iter().find(|&&a| a >= n) {
                return Err(invalid(format!(
                    "generator index {a} is not an element of {} (order {n})",
                    g.name()
                )));
            }
            if let Some(&a) = gens.iter().find(|&&a| !above.contains(a)) {
                return Err(invalid(format!(
                    "the generator {} is not in G_{i} (order {})",
                    g.label(a),
                    above.order()
                )));
            }
            let h = Subgroup::generated_by(g, gens)?;
            if h.order() == above.order() {
                return Err(invalid(format!(
                    "the generators give G_{step} = G_{i} (order {}): not a proper subgroup",
                    h.order()
                )));
            }
            subgroups.push(h);
            generators.push(gens.clone());
        }
        Ok(Self::with_transversals(g, subgroups, generators))
    }

    /// The stabiliser chain of a permutation group: `G_{i+1}` fixes the `i+1` first base
    /// points, the base being the points `0, 1, 2, …` in order with those fixed by the
    /// current subgroup skipped. `T_i` is indexed by the orbit of the `i`-th base point
    /// (the coset `t·G_{i+1}` is the set of elements sending the base point where `t` does), so
    /// every index `[G_i : G_{i+1}]` is at most the degree. Cost: one pass over the members
    /// per level, greedy generating sets and `Σ_i |G_i|` products for the transversals.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::group::{PermutationGroup, SubgroupChain};
    /// // Z2 ≀ Z2 = D4 on the blocks {1,2}, {3,4}
    /// let g = PermutationGroup::from_spec("(1,2);(1,3)(2,4)").unwrap();
    /// let chain = SubgroupChain::stabiliser_chain(&g);
    /// assert_eq!(chain.len(), 2); // D4 > ⟨(3,4)⟩ > 1
    /// assert_eq!(chain.transversal(0).len(), 4);
    /// ```
    pub fn stabiliser_chain(g: &PermutationGroup) -> Self {
        let n = FiniteGroup::order(g);
        let mut subgroups = vec![Subgroup::whole(g)];
        let mut generators = vec![g.generator_indices()];
        for point in 0..g.degree() {
            let current = subgroups.last().expect("G_0 is there");
            if current.order() == 1 {
                break;
            }
            let fixing: Vec<usize> = current
                .members()
                .iter()
                .copied()
                .filter(|&a| g.image(a, point) == point)
                .collect();
            if fixing.len() == current.order() {
                continue;
            }
            let h = Subgroup::from_members(fixing, n);
            generators.push(h.generating_set(g));
            subgroups.push(h);
        }
        Self::with_transversals(g, subgroups, generators)
    }

    /// Appends the trivial group when the chain does not end there, then picks the
    /// transversals (each coset's smallest member).
    fn with_transversals<G: FiniteGroup + ?Sized>(
        g: &G,
        mut subgroups: Vec<Subgroup>,
        mut generators: Vec<Vec<usize>>,
    ) -> Self {
        if subgroups.last().is_some_and(|h| h.order() > 1) {
            subgroups.push(Subgroup::trivial(g));
            generators.push(Vec::new());
        }
        let mut covered = vec![false; g.order()];
        let transversals = subgroups
            .windows(2)
            .map(|pair| {
                let mut reps = Vec::with_capacity(pair[0].order() / pair[1].order());
                for &a in pair[0].members() {
                    if !covered[a] {
                        reps.push(a);
                        for &h in pair[1].members() {
                            covered[g.mul_idx(a, h)] = true;
                        }
                    }
                }
                pair[0].members().iter().for_each(|&a| covered[a] = false);
                reps
            })
            .collect();
        Self {
            subgroups,
            generators,
            transversals,
        }
    }

    /// The number of steps `k` (0 for the trivial group).
    pub fn len(&self) -> usize {
        self.transversals.len()
    }

    /// Whether the chain has no step (the group is trivial).
    pub fn is_empty(&self) -> bool {
        self.transversals.is_empty()
    }

    /// The order `|G|` of the group the chain was built in.
    pub fn group_order(&self) -> usize {
        self.subgroups[0].order()
    }

    /// The subgroup `G_i`, `i = 0..=k` (`G_0 = G`, `G_k = {e}`).
    ///
    /// # Panics
    /// If `i > k`.
    pub fn subgroup(&self, i: usize) -> &Subgroup {
        &self.subgroups[i]
    }

    /// The generators of `G_i` (element indices of `G`; empty for `G_k = {e}`).
    ///
    /// # Panics
    /// If `i > k`.
    pub fn generators(&self, i: usize) -> &[usize] {
        &self.generators[i]
    }

    /// The left transversal `T_i` of `G_{i+1}` in `G_i`, `i = 0..k`, in increasing order (the
    /// identity first).
    ///
    /// # Panics
    /// If `i ≥ k`.
    pub fn transversal(&self, i: usize) -> &[usize] {
        &self.transversals[i]
    }

    /// The elements of `G` in chain order: position `Σ_i j_i·|G_{i+1}|` holds
    /// `t_0 t_1 ⋯ t_{k−1}` with `t_i` the `j_i`-th element of `T_i`. Every contiguous block
    /// of `|G_i|` positions starting at a multiple of `|G_i|` is then one left coset
    /// `t_0 ⋯ t_{i−1} G_i`, in `G_i`'s chain order. Cost `Σ_i |G_i|` products.
    ///
    /// # Panics
    /// If `g` has a smaller order than the group the chain was built in.
    pub fn chain_order<G: FiniteGroup + ?Sized>(&self, g: &G) -> Vec<usize> {
        let mut order = vec![0usize];
        for t in self.transversals.iter().rev() {
            order = t
                .iter()
                .flat_map(|&a| order.iter().map(move |&x| g.mul_idx(a, x)))
                .collect();
        }
        order
    }

    /// `Ok` when the chain was built in a group of the order of `g`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the orders differ.
    pub(crate) fn check_group<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<()> {
        self.subgroups[0].check_group(g)
    }

    /// `G_i` as a group of its own, indexed by the position among its sorted members.
    ///
    /// # Panics
    /// If `i > k`.
    pub(crate) fn level<'a, G: FiniteGroup + ?Sized>(
        &'a self,
        g: &'a G,
        i: usize,
    ) -> LevelGroup<'a, G> {
        let members = self.subgroups[i].members();
        let local = |a: usize| members.binary_search(&a).expect("a member");
        LevelGroup {
            group: g,
            members,
            generators: self.generators[i].iter().map(|&a| local(a)).collect(),
            level: i,
        }
    }
}

/// A subgroup `G_i` of a chain as a [`FiniteGroup`] of its own: element `x` is the `x`-th
/// smallest member (so the identity is 0), products are the ambient group's.
pub(crate) struct LevelGroup<'a, G: ?Sized> {
    group: &'a G,
    members: &'a [usize],
    generators: Vec<usize>,
    level: usize,
}

impl<G: FiniteGroup + ?Sized> LevelGroup<'_, G> {
    /// The local index of a member given by its index in the ambient group.
    ///
    /// # Panics
    /// If `a` is not a member.
    pub(crate) fn local(&self, a: usize) -> usize {
        self.members
            .binary_search(&a)
            .unwrap_or_else(|_| panic!("element {a} is not in G_{}", self.level))
    }
}

impl<G: FiniteGroup + ?Sized> FiniteGroup for LevelGroup<'_, G> {
    fn order(&self) -> usize {
        self.members.len()
    }
    fn mul_idx(&self, a: usize, b: usize) -> usize {
        self.local(self.group.mul_idx(self.members[a], self.members[b]))
    }
    fn inv_idx(&self, a: usize) -> usize {
        self.local(self.group.inv_idx(self.members[a]))
    }
    fn generator_indices(&self) -> Vec<usize> {
        self.generators.clone()
    }
    fn label(&self, a: usize) -> String {
        self.group.label(self.members[a])
    }
    fn name(&self) -> String {
        format!("G_{} of {}", self.level, self.group.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::{check_index_laws, Dihedral};

    #[test]
    fn transversals_partition_each_level_and_levels_are_groups() {
        let d6 = Dihedral::new(6).unwrap(); // r^k = k, f·r^k = 6 + k
        let chain = SubgroupChain::from_generators(&d6, &[vec![1], vec![2]]).unwrap();
        assert_eq!(chain.len(), 3); // D6 > C6 > C3 > 1
        for i in 0..chain.len() {
            let (big, small) = (chain.subgroup(i), chain.subgroup(i + 1));
            let mut seen = [0; 12];
            for &t in chain.transversal(i) {
                for &h in small.members() {
                    seen[d6.mul_idx(t, h)] += 1;
                }
            }
            for (a, &count) in seen.iter().enumerate() {
                assert_eq!(
                    count,
                    usize::from(big.contains(a)),
                    "level {i}, element {a}"
                );
            }
            assert_eq!(chain.transversal(i)[0], 0);
            let level = chain.level(&d6, i);
            assert_eq!(check_index_laws(&level), Ok(()));
        }
        let mut order = chain.chain_order(&d6);
        order.sort_unstable();
        assert_eq!(order, (0..12).collect::<Vec<_>>());
    }
}
