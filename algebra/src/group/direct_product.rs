//! Direct products `G_1 × … × G_k` of any groups, indexed mixed-radix with the last factor
//! fastest.

use super::{AnyGroup, FiniteGroup, Structure};
use crate::{Error, Result};

/// The direct product `G_1 × G_2 × … × G_k` of type-erased groups, an index-native
/// [`FiniteGroup`] (no table).
///
/// An element is a tuple of factor indices `(a_1, …, a_k)`; its dense index is mixed-radix
/// with the **last factor fastest**: `((a_1·|G_2| + a_2)·|G_3| + a_3)…`, so for two factors
/// `(a, b) ↦ a·|H| + b` (the index under which `M^{G×H}_{f⊗h} = M^G_f ⊗ M^H_h`). Nested
/// products therefore index exactly like the flat product. Generators: each factor's
/// generators, embedded with identities elsewhere.
///
/// # Example
/// ```
/// use gm_algebra::group::{Cyclic, DirectProduct};
/// use gm_algebra::FiniteGroup;
/// let g = DirectProduct::pair(Cyclic::new(4).unwrap(), Cyclic::new(2).unwrap()).unwrap();
/// assert_eq!(g.order(), 8);
/// assert_eq!(g.index_of(&[3, 1]).unwrap(), 3 * 2 + 1);
/// assert_eq!(g.components(g.mul_idx(g.index_of(&[3, 1]).unwrap(), g.index_of(&[2, 1]).unwrap())), vec![1, 0]);
/// ```
#[derive(Debug, Clone)]
pub struct DirectProduct {
    factors: Vec<AnyGroup>,
    order: usize,
}

impl DirectProduct {
    /// The product of `factors` (at least one), in order.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an empty list or an order that overflows `usize`.
    pub fn new(factors: Vec<AnyGroup>) -> Result<Self> {
        let invalid = |reason: String| Error::InvalidParameter {
            family: "direct product".into(),
            reason,
        };
        if factors.is_empty() {
            return Err(invalid("at least one factor is needed".into()));
        }
        let order = factors
            .iter()
            .try_fold(1usize, |acc, g| acc.checked_mul(g.order()))
            .ok_or_else(|| invalid("the order overflows usize".into()))?;
        Ok(Self { factors, order })
    }

    /// `G × H` for two concrete groups.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the order overflows `usize`.
    pub fn pair<G: FiniteGroup + 'static, H: FiniteGroup + 'static>(g: G, h: H) -> Result<Self> {
        Self::new(vec![AnyGroup::new(g), AnyGroup::new(h)])
    }

    /// The factors, in index order.
    pub fn factors(&self) -> &[AnyGroup] {
        &self.factors
    }

    /// The factor indices `(a_1, …, a_k)` of element `index`.
    ///
    /// # Panics
    /// When `index ≥ order`.
    pub fn components(&self, index: usize) -> Vec<usize> {
        assert!(index < self.order, "index {index} out of range");
        let mut out = vec![0; self.factors.len()];
        let mut rest = index;
        for (slot, g) in out.iter_mut().zip(&self.factors).rev() {
            *slot = rest % g.order();
            rest /= g.order();
        }
        out
    }

    /// The dense index of the tuple of factor indices `components`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for a tuple of the wrong length, [`Error::IndexOutOfRange`]
    /// for a component outside its factor.
    pub fn index_of(&self, components: &[usize]) -> Result<usize> {
        if components.len() != self.factors.len() {
            return Err(Error::ShapeMismatch {
                what: "number of direct-product components".into(),
                expected: self.factors.len(),
                got: components.len(),
            });
        }
        let mut index = 0;
        for (&c, g) in components.iter().zip(&self.factors) {
            if c >= g.order() {
                return Err(Error::IndexOutOfRange {
                    index: c,
                    order: g.order(),
                });
            }
            index = index * g.order() + c;
        }
        Ok(index)
    }

    /// Applies `op` factor-wise to the components of `a` and `b` (last factor first).
    fn zip_with(&self, a: usize, b: usize, op: impl Fn(&AnyGroup, usize, usize) -> usize) -> usize {
        let (mut a, mut b) = (a, b);
        let mut out = 0;
        let mut weight = 1;
        for g in self.factors.iter().rev() {
            let n = g.order();
            out += op(g, a % n, b % n) * weight;
            weight *= n;
            a /= n;
            b /= n;
        }
        out
    }
}

impl FiniteGroup for DirectProduct {
    fn order(&self) -> usize {
        self.order
    }
    fn mul_idx(&self, a: usize, b: usize) -> usize {
        self.zip_with(a, b, |g, x, y| g.mul_idx(x, y))
    }
    fn inv_idx(&self, a: usize) -> usize {
        self.zip_with(a, 0, |g, x, _| g.inv_idx(x))
    }
    fn generator_indices(&self) -> Vec<usize> {
        let mut gens = Vec::new();
        let mut weight = 1;
        for g in self.factors.iter().rev() {
            gens.extend(g.generator_indices().into_iter().map(|s| s * weight));
            weight *= g.order();
        }
        gens.reverse();
        gens
    }
    fn label(&self, a: usize) -> String {
        let parts: Vec<String> = self
            .components(a)
            .iter()
            .zip(&self.factors)
            .map(|(&c, g)| g.label(c))
            .collect();
        format!("({})", parts.join(", "))
    }
    fn name(&self) -> String {
        let names: Vec<String> = self.factors.iter().map(|g| g.name()).collect();
        names.join("x")
    }
    fn structure(&self) -> Structure<'_> {
        Structure::DirectProduct(self)
    }
}
