//! A multiplication-table cache in front of any group.

use super::{FiniteGroup, Structure};
use crate::fourier::FourierTransform;
use crate::Result;
use std::sync::Arc;

/// Largest order for which [`CachedGroup`] stores the full `n×n` table (64 MiB of `u32`).
pub const TABLE_LIMIT: usize = 4096;

/// Any [`FiniteGroup`] with its inverses, and (for orders up to [`TABLE_LIMIT`]) its full
/// multiplication table, precomputed: a table is a cache, not the definition.
///
/// # Example
/// ```
/// use gm_algebra::group::{CachedGroup, Dihedral};
/// use gm_algebra::FiniteGroup;
/// let d = Dihedral::new(5).unwrap();
/// let c = CachedGroup::new(d);
/// assert!((0..10).all(|a| (0..10).all(|b| c.mul_idx(a, b) == d.mul_idx(a, b))));
/// ```
#[derive(Debug, Clone)]
pub struct CachedGroup<G> {
    inner: G,
    table: Option<Vec<u32>>,
    inverse: Vec<u32>,
    generators: Vec<usize>,
}

impl<G: FiniteGroup> CachedGroup<G> {
    /// Precomputes the inverses, the generators and, when `order ≤ TABLE_LIMIT`, the table.
    pub fn new(inner: G) -> Self {
        let n = inner.order();
        let inverse = (0..n).map(|a| inner.inv_idx(a) as u32).collect();
        let table = (n <= TABLE_LIMIT).then(|| {
            let mut t = Vec::with_capacity(n * n);
            for a in 0..n {
                t.extend((0..n).map(|b| inner.mul_idx(a, b) as u32));
            }
            t
        });
        let generators = inner.generator_indices();
        Self {
            inner,
            table,
            inverse,
            generators,
        }
    }

    /// The wrapped group.
    pub fn inner(&self) -> &G {
        &self.inner
    }

    /// Whether the full table is stored.
    pub fn has_table(&self) -> bool {
        self.table.is_some()
    }
}

impl<G: FiniteGroup> FiniteGroup for CachedGroup<G> {
    fn order(&self) -> usize {
        self.inverse.len()
    }
    fn mul_idx(&self, a: usize, b: usize) -> usize {
        match &self.table {
            Some(t) => t[a * self.inverse.len() + b] as usize,
            None => self.inner.mul_idx(a, b),
        }
    }
    fn mul_idx_batch(&self, pairs: &[(usize, usize)], out: &mut [usize]) {
        match &self.table {
            Some(_) => super::mul_one_by_one(self, pairs, out),
            None => self.inner.mul_idx_batch(pairs, out),
        }
    }
    fn inv_idx(&self, a: usize) -> usize {
        self.inverse[a] as usize
    }
    fn generator_indices(&self) -> Vec<usize> {
        self.generators.clone()
    }
    fn label(&self, a: usize) -> String {
        self.inner.label(a)
    }
    fn name(&self) -> String {
        self.inner.name()
    }
    fn structure(&self) -> Structure<'_> {
        self.inner.structure()
    }
    fn fast_fourier(&self) -> Option<Result<Arc<dyn FourierTransform>>> {
        self.inner.fast_fourier()
    }
}
