//! The quotient group `G/N` of a group by a normal subgroup, and the projection `G → G/N`.

use super::{Cosets, FiniteGroup, Subgroup};
use crate::Result;

/// The quotient group `G/N` by a normal subgroup `N`: its elements are the cosets `gN`,
/// indexed as in [`Cosets::left`] (coset 0 = `N` is the identity), with
/// `(aN)(bN) = (ab)N` and `(aN)⁻¹ = a⁻¹N` computed on the coset representatives.
///
/// Owns the group (pass an [`super::AnyGroup`], a `Copy` family such as `Dihedral`, or a
/// clone). Each product costs one product in `G`.
///
/// # Example
/// ```
/// use gm_algebra::group::{check_index_laws, Dihedral, QuotientGroup, Subgroup};
/// use gm_algebra::FiniteGroup;
/// let d4 = Dihedral::new(4).unwrap();
/// let centre = Subgroup::centre(&d4); // {e, r²}
/// let q = QuotientGroup::new(d4, &centre).unwrap(); // the Klein four-group
/// assert_eq!(q.order(), 4);
/// assert!(q.is_abelian());
/// assert!((0..4).all(|c| q.mul_idx(c, c) == 0));
/// assert!(check_index_laws(&q).is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct QuotientGroup<G> {
    group: G,
    normal: Subgroup,
    cosets: Cosets,
    generators: Vec<usize>,
}

impl<G: FiniteGroup> QuotientGroup<G> {
    /// `G/N` for a normal subgroup `N` of `group`.
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `normal` belongs to a group of another order;
    /// [`crate::Error::NotNormal`] when it is not normal (naming a conjugate that leaves it).
    pub fn new(group: G, normal: &Subgroup) -> Result<Self> {
        normal.check_normal(&group)?;
        let cosets = Cosets::left(&group, normal)?;
        let mut generators: Vec<usize> = group
            .generator_indices()
            .into_iter()
            .map(|s| cosets.coset_of(s))
            .filter(|&c| c != 0)
            .collect();
        generators.sort_unstable();
        generators.dedup();
        Ok(Self {
            group,
            normal: normal.clone(),
            cosets,
            generators,
        })
    }

    /// The group `G`.
    pub fn group(&self) -> &G {
        &self.group
    }

    /// The normal subgroup `N`.
    pub fn normal_subgroup(&self) -> &Subgroup {
        &self.normal
    }

    /// The cosets of `N`, which are the elements of `G/N`.
    pub fn cosets(&self) -> &Cosets {
        &self.cosets
    }

    /// The projection `π: G → G/N, a ↦ aN` (a surjective homomorphism with kernel `N`).
    ///
    /// # Panics
    /// If `a` is not an element index of `G`.
    pub fn project(&self, a: usize) -> usize {
        self.cosets.coset_of(a)
    }

    /// The projection as a table indexed by the elements of `G`.
    pub fn projection(&self) -> &[usize] {
        self.cosets.labels()
    }

    /// The representative in `G` (smallest element) of coset `c`: a section of the projection.
    ///
    /// # Panics
    /// If `c` is not an element of `G/N`.
    pub fn representative(&self, c: usize) -> usize {
        self.cosets.representative(c)
    }
}

impl<G: FiniteGroup> FiniteGroup for QuotientGroup<G> {
    fn order(&self) -> usize {
        self.cosets.count()
    }
    fn mul_idx(&self, a: usize, b: usize) -> usize {
        let ga = self.cosets.representative(a);
        let gb = self.cosets.representative(b);
        self.cosets.coset_of(self.group.mul_idx(ga, gb))
    }
    fn inv_idx(&self, a: usize) -> usize {
        self.cosets
            .coset_of(self.group.inv_idx(self.cosets.representative(a)))
    }
    fn generator_indices(&self) -> Vec<usize> {
        self.generators.clone()
    }
    /// The label `[g]` of the coset's representative `g`.
    fn label(&self, a: usize) -> String {
        format!("[{}]", self.group.label(self.cosets.representative(a)))
    }
    /// `G/N<k>` with `k = |N|`, e.g. `D4/N2`.
    fn name(&self) -> String {
        format!("{}/N{}", self.group.name(), self.normal.order())
    }
}
