//! Finite groups: the researcher-facing [`Group`] trait (typed elements), the object-safe
//! index view [`FiniteGroup`] every algorithm works on, and the group families.
//!
//! # Adding a group
//! Implement [`Group`]: `order`, `element`, `index`, `identity`, `mul`, `inv` (generators and
//! a display form are optional). The blanket impl turns it into a [`FiniteGroup`], so cosets,
//! classes, group matrices, irreps, transforms and layers work on it unchanged. See
//! `docs/adding-a-group.md`.

mod alternating;
mod cache;
mod cayley;
mod classes;
mod coset;
mod cyclic;
mod dicyclic;
mod dihedral;
mod direct_product;
mod double_coset;
mod flat_set;
mod klein;
mod laws;
mod lex_index;
mod modular;
mod orders;
mod permutation;
mod permutation_group;
mod quotient;
mod schreier_tree;
mod semidirect;
pub mod spec;
#[cfg(any(test, feature = "proptest-support"))]
pub mod strategy;
mod structure;
mod subgroup;
mod subgroup_chain;
mod symmetric;
mod wallpaper;
mod word_ball;

pub use alternating::Alternating;
pub use cache::{CachedGroup, TABLE_LIMIT};
pub use cayley::TableGroup;
pub use classes::{ClassInfo, ConjugacyClasses, CLASS_BYTES_PER_ELEMENT};
pub use coset::{Cosets, Side};
pub use cyclic::Cyclic;
pub use dicyclic::{Dicyclic, DicyclicElement};
pub use dihedral::{Dihedral, DihedralElement};
pub use direct_product::DirectProduct;
pub use double_coset::DoubleCosets;
pub use klein::Klein;
pub use laws::{
    check_associativity_sample, check_closure_under_generators, check_group_laws,
    check_identity_and_inverses, check_index_laws, check_wrap_laws, ASSOCIATIVITY_SAMPLE,
};
pub use orders::element_orders;
pub use permutation::Permutation;
pub use permutation_group::{PermutationGroup, ENUMERATION_LIMIT};
pub use quotient::QuotientGroup;
pub use schreier_tree::{SchreierTree, SCHREIER_BYTES_PER_ELEMENT, SCHREIER_MAX_GENERATORS};
pub use semidirect::SemidirectProduct;
pub use spec::parse_group;
pub use structure::Structure;
pub use subgroup::Subgroup;
pub use subgroup_chain::SubgroupChain;
pub use symmetric::{Symmetric, MAX_SYMMETRIC_DEGREE};
pub use wallpaper::{Wallpaper, WallpaperElement};
pub use word_ball::word_ball;

use crate::fourier::FourierTransform;
use crate::Result;
use std::fmt::Debug;
use std::sync::Arc;

/// A finite group with typed elements, indexed densely `0..order` — the trait a researcher
/// implements to add a group.
///
/// Laws the implementation must satisfy (checked by [`check_group_laws`]):
/// `index(element(i)) == i` for all `i`, `index(identity()) == 0`, and `mul`/`inv` satisfy
/// the group axioms.
pub trait Group: Send + Sync {
    /// The element type (e.g. `DihedralElement { flip, rot }`).
    type Element: Clone + PartialEq + Debug;
    /// The number of elements `n`.
    fn order(&self) -> usize;
    /// The element with dense index `i` in `0..n`.
    fn element(&self, i: usize) -> Self::Element;
    /// The dense index of `e`: the inverse of [`Group::element`].
    fn index(&self, e: &Self::Element) -> usize;
    /// The identity element; its index must be 0.
    fn identity(&self) -> Self::Element;
    /// The product `a·b`.
    fn mul(&self, a: &Self::Element, b: &Self::Element) -> Self::Element;
    /// The inverse `a⁻¹`.
    fn inv(&self, a: &Self::Element) -> Self::Element;
    /// The index of `element(a) · element(b)`. The default builds both elements; a family
    /// that can multiply on its stored form (e.g. [`PermutationGroup`]) overrides it, and
    /// [`FiniteGroup::mul_idx`] calls it.
    fn mul_index(&self, a: usize, b: usize) -> usize {
        self.index(&self.mul(&self.element(a), &self.element(b)))
    }
    /// `out[k] =` [`Group::mul_index`]`(pairs[k].0, pairs[k].1)` for every `k`; a family whose
    /// products wait on memory (e.g. [`PermutationGroup`]'s hash lookups) overrides it to
    /// overlap the waits.
    ///
    /// # Panics
    /// When `out` is shorter than `pairs`.
    fn mul_index_batch(&self, pairs: &[(usize, usize)], out: &mut [usize]) {
        assert!(
            out.len() >= pairs.len(),
            "mul_index_batch: output too short"
        );
        for (o, &(a, b)) in out.iter_mut().zip(pairs) {
            *o = self.mul_index(a, b);
        }
    }
    /// A generating set, if the family knows one; otherwise one is computed.
    fn generators(&self) -> Option<Vec<Self::Element>> {
        None
    }
    /// A short name of the group for people, ideally a spec the parser accepts (e.g.
    /// `"D6"`); code asks [`Group::structure`] instead of reading it.
    fn name(&self) -> String {
        let full = std::any::type_name::<Self>();
        full.rsplit("::").next().unwrap_or(full).to_string()
    }
    /// A readable form of an element (defaults to its `Debug` form).
    fn format_element(&self, e: &Self::Element) -> String {
        format!("{e:?}")
    }
    /// The structure the family declares ([`Structure::Opaque`] by default).
    fn structure(&self) -> Structure<'_> {
        Structure::Opaque
    }
    /// A fast Fourier transform the family offers for itself, in its index order (`None` by
    /// default: the [`crate::fourier::FourierPlanner`] then recognises abelian and dihedral
    /// multiplications or builds irreps numerically). A family with a closed form plugs it
    /// in here.
    fn fast_fourier(&self) -> Option<Result<Arc<dyn FourierTransform>>> {
        None
    }
}

/// The object-safe index view of a finite group: elements are `0..order()`, identity 0.
///
/// Every algorithm of the crate works on this trait (usually as `&G` with
/// `G: FiniteGroup + ?Sized`, so `&dyn FiniteGroup` works too). It is implemented for every
/// [`Group`] by a blanket impl; index-native groups (Cayley tables, permutation groups) may
/// implement it directly.
pub trait FiniteGroup: Send + Sync {
    /// The number of elements `n`.
    fn order(&self) -> usize;
    /// The index of the product `g_a · g_b`.
    fn mul_idx(&self, a: usize, b: usize) -> usize;
    /// The index of the inverse `g_a⁻¹`.
    fn inv_idx(&self, a: usize) -> usize;
    /// `out[k] = mul_idx(pairs[k].0, pairs[k].1)` for every `k`: the form for algorithms that
    /// need many independent products at once (conjugacy classes, class matrices), which a
    /// group whose products wait on memory answers faster than one product at a time.
    ///
    /// # Panics
    /// When `out` is shorter than `pairs`.
    fn mul_idx_batch(&self, pairs: &[(usize, usize)], out: &mut [usize]) {
        mul_one_by_one(self, pairs, out);
    }
    /// Indices of a generating set (empty for the trivial group).
    fn generator_indices(&self) -> Vec<usize>;
    /// A readable label of element `a`.
    fn label(&self, a: usize) -> String;
    /// A short name of the group.
    fn name(&self) -> String;

    /// The index of `g_a⁻¹ · g_b` — the one place the group-matrix index `M[a,b] = f(g_a⁻¹g_b)`
    /// is computed.
    fn left_div_idx(&self, a: usize, b: usize) -> usize {
        self.mul_idx(self.inv_idx(a), b)
    }
    /// The order of element `a` (smallest `k ≥ 1` with `g_a^k = e`).
    fn element_order(&self, a: usize) -> usize {
        let mut k = 1;
        let mut x = a;
        while x != 0 {
            x = self.mul_idx(x, a);
            k += 1;
        }
        k
    }
    /// The index of `g_a^k` (`k` may be negative), by repeated squaring.
    fn pow_idx(&self, a: usize, k: i64) -> usize {
        let mut base = if k < 0 { self.inv_idx(a) } else { a };
        let mut e = k.unsigned_abs();
        let mut acc = 0;
        while e > 0 {
            if e & 1 == 1 {
                acc = self.mul_idx(acc, base);
            }
            base = self.mul_idx(base, base);
            e >>= 1;
        }
        acc
    }
    /// Whether every pair of generators commutes (equivalently, the group is abelian).
    fn is_abelian(&self) -> bool {
        let gens = self.generator_indices();
        gens.iter().all(|&a| {
            gens.iter()
                .all(|&b| self.mul_idx(a, b) == self.mul_idx(b, a))
        })
    }
    /// The structure the group declares (see [`Structure`]); [`Structure::Opaque`] by
    /// default. A wrapper passes its inner group's answer on only when it keeps the inner
    /// group's element indices.
    fn structure(&self) -> Structure<'_> {
        Structure::Opaque
    }
    /// A fast Fourier transform the group's family offers ([`Group::fast_fourier`]); wrappers
    /// pass it on under the same condition as [`FiniteGroup::structure`].
    fn fast_fourier(&self) -> Option<Result<Arc<dyn FourierTransform>>> {
        None
    }
}

/// [`FiniteGroup::mul_idx_batch`] one product at a time (the default, and the form for
/// groups whose products do not wait on memory).
///
/// # Panics
/// When `out` is shorter than `pairs`.
pub(crate) fn mul_one_by_one<G: FiniteGroup + ?Sized>(
    g: &G,
    pairs: &[(usize, usize)],
    out: &mut [usize],
) {
    assert!(out.len() >= pairs.len(), "mul_idx_batch: output too short");
    for (o, &(a, b)) in out.iter_mut().zip(pairs) {
        *o = g.mul_idx(a, b);
    }
}

impl<G: Group + 'static> FiniteGroup for G {
    fn order(&self) -> usize {
        Group::order(self)
    }
    fn mul_idx(&self, a: usize, b: usize) -> usize {
        self.mul_index(a, b)
    }
    fn mul_idx_batch(&self, pairs: &[(usize, usize)], out: &mut [usize]) {
        self.mul_index_batch(pairs, out);
    }
    fn inv_idx(&self, a: usize) -> usize {
        self.index(&Group::inv(self, &self.element(a)))
    }
    fn generator_indices(&self) -> Vec<usize> {
        match Group::generators(self) {
            Some(gens) => gens.iter().map(|g| self.index(g)).collect(),
            None => greedy_generators(self),
        }
    }
    fn label(&self, a: usize) -> String {
        self.format_element(&self.element(a))
    }
    fn name(&self) -> String {
        Group::name(self)
    }
    fn structure(&self) -> Structure<'_> {
        Group::structure(self)
    }
    fn fast_fourier(&self) -> Option<Result<Arc<dyn FourierTransform>>> {
        Group::fast_fourier(self)
    }
}

/// A generating set found greedily: repeatedly add the smallest element outside the subgroup
/// generated so far. At most `log₂ n` generators; cost `O(n · log² n)` group products.
pub fn greedy_generators<G: FiniteGroup + ?Sized>(g: &G) -> Vec<usize> {
    let n = g.order();
    let mut inside = vec![false; n];
    inside[0] = true;
    let mut members = vec![0usize];
    let mut gens: Vec<usize> = Vec::new();
    for candidate in 1..n {
        if inside[candidate] {
            continue;
        }
        gens.push(candidate);
        // Breadth-first closure of the enlarged generating set.
        let mut frontier = members.clone();
        while let Some(x) = frontier.pop() {
            for &s in &gens {
                let y = g.mul_idx(x, s);
                if !inside[y] {
                    inside[y] = true;
                    members.push(y);
                    frontier.push(y);
                }
            }
        }
        if members.len() == n {
            break;
        }
    }
    gens
}

/// A shared, type-erased group — what the spec parser, the CLI and random-group strategies
/// hand out. Derefs to `dyn FiniteGroup`; `Debug` prints the group's name.
#[derive(Clone)]
pub struct AnyGroup(pub std::sync::Arc<dyn FiniteGroup>);

impl AnyGroup {
    /// Type-erases a group.
    pub fn new<G: FiniteGroup + 'static>(g: G) -> Self {
        Self(std::sync::Arc::new(g))
    }
    /// Type-erases a group behind a [`CachedGroup`] (table precomputed when small enough),
    /// after the cheap checks of [`AnyGroup::try_cached`].
    ///
    /// # Panics
    /// When the group breaks a law those checks see, with the message of
    /// [`Error::GroupLaws`](crate::Error::GroupLaws) naming the element (e.g. `inv((1, 1, 0))
    /// is not an inverse`); use [`AnyGroup::try_cached`] to get it as a value.
    #[track_caller]
    pub fn cached<G: FiniteGroup + 'static>(g: G) -> Self {
        match Self::try_cached(g) {
            Ok(g) => g,
            Err(e) => panic!("AnyGroup::cached: {e}"),
        }
    }

    /// Type-erases a group behind a [`CachedGroup`] after validating it cheaply with
    /// [`check_wrap_laws`]: identity at index 0, every inverse (`O(n)`), closure under the
    /// generators (`O(n·|S|)`) and associativity on [`ASSOCIATIVITY_SAMPLE`] seeded random
    /// triples. The exhaustive `O(n³)` check stays [`check_index_laws`].
    ///
    /// # Errors
    /// [`Error::GroupLaws`](crate::Error::GroupLaws) with the first violation, worded as
    /// [`check_group_laws`] words it.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::group::Dihedral;
    /// use gm_algebra::{AnyGroup, FiniteGroup};
    /// let g = AnyGroup::try_cached(Dihedral::new(4).unwrap()).unwrap();
    /// assert_eq!(g.order(), 8);
    /// ```
    pub fn try_cached<G: FiniteGroup + 'static>(g: G) -> Result<Self> {
        let cached = CachedGroup::new(g);
        check_wrap_laws(&cached).map_err(|reason| crate::Error::GroupLaws {
            group: cached.name(),
            reason,
        })?;
        Ok(Self::new(cached))
    }
}

/// Two groups are equal when they are the same group on the same indices: equal orders,
/// generators and products by the generators (which determine every product).
impl PartialEq for AnyGroup {
    fn eq(&self, other: &Self) -> bool {
        let gens = self.generator_indices();
        self.order() == other.order()
            && gens == other.generator_indices()
            && gens
                .iter()
                .all(|&s| (0..self.order()).all(|a| self.mul_idx(a, s) == other.mul_idx(a, s)))
    }
}

impl std::fmt::Debug for AnyGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (order {})", self.0.name(), self.0.order())
    }
}

impl FiniteGroup for AnyGroup {
    fn order(&self) -> usize {
        self.0.order()
    }
    fn mul_idx(&self, a: usize, b: usize) -> usize {
        self.0.mul_idx(a, b)
    }
    fn mul_idx_batch(&self, pairs: &[(usize, usize)], out: &mut [usize]) {
        self.0.mul_idx_batch(pairs, out);
    }
    fn inv_idx(&self, a: usize) -> usize {
        self.0.inv_idx(a)
    }
    fn generator_indices(&self) -> Vec<usize> {
        self.0.generator_indices()
    }
    fn label(&self, a: usize) -> String {
        self.0.label(a)
    }
    fn name(&self) -> String {
        self.0.name()
    }
    fn structure(&self) -> Structure<'_> {
        self.0.structure()
    }
    fn fast_fourier(&self) -> Option<Result<Arc<dyn FourierTransform>>> {
        self.0.fast_fourier()
    }
}
