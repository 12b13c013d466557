//! The kernel `f: G → ℝ` of a group matrix, stored densely or by its support.

use crate::{Error, Result};

/// A real function `f` on a group of order `n`, the parameter of the group matrix `M_f`.
///
/// Two storage forms with the same meaning:
/// - **dense**: all `n` values `f(g_0), …, f(g_{n−1})`;
/// - **sparse**: a support list of `(element index, value)` pairs; `f` is zero off the list
///   and repeated indices add up (`f = Σ_k v_k δ_{s_k}`).
///
/// The support order of a sparse kernel is kept: it is the row order of the
/// [`GatherTable`](super::GatherTable) built from it, and of the weights that go with it.
///
/// # Example
/// ```
/// use gm_algebra::matrix::Kernel;
/// let f = Kernel::sparse(6, vec![(0, 2.0), (4, -1.0)]).unwrap();
/// assert_eq!(f.value(4), -1.0);
/// assert_eq!(f.to_vec(), vec![2.0, 0.0, 0.0, 0.0, -1.0, 0.0]);
/// assert!(Kernel::dense(6, vec![1.0; 5]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    order: usize,
    repr: Repr,
}

#[derive(Debug, Clone, PartialEq)]
enum Repr {
    Dense(Vec<f64>),
    Sparse {
        support: Vec<usize>,
        values: Vec<f64>,
    },
}

impl Kernel {
    /// A dense kernel on a group of order `order`: `values[i] = f(g_i)`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `values.len() != order`.
    pub fn dense(order: usize, values: Vec<f64>) -> Result<Self> {
        if values.len() != order {
            return Err(Error::ShapeMismatch {
                what: "dense kernel length".into(),
                expected: order,
                got: values.len(),
            });
        }
        Ok(Self {
            order,
            repr: Repr::Dense(values),
        })
    }

    /// A sparse kernel on a group of order `order` from `(element index, value)` pairs.
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for the first index `≥ order`.
    pub fn sparse(order: usize, terms: Vec<(usize, f64)>) -> Result<Self> {
        if let Some(&(index, _)) = terms.iter().find(|(i, _)| *i >= order) {
            return Err(Error::IndexOutOfRange { index, order });
        }
        let (support, values) = terms.into_iter().unzip();
        Ok(Self {
            order,
            repr: Repr::Sparse { support, values },
        })
    }

    /// The unit `δ_e` of the group algebra (so `M_{δ_e} = I`), stored sparsely.
    ///
    /// # Panics
    /// If `order == 0` (no group has order 0).
    pub fn identity(order: usize) -> Self {
        assert!(order > 0, "a group has order at least 1");
        Self {
            order,
            repr: Repr::Sparse {
                support: vec![0],
                values: vec![1.0],
            },
        }
    }

    /// The order `n` of the group the kernel lives on.
    pub fn order(&self) -> usize {
        self.order
    }

    /// Whether the kernel is stored by its support.
    pub fn is_sparse(&self) -> bool {
        matches!(self.repr, Repr::Sparse { .. })
    }

    /// The number `K` of stored terms: `n` for a dense kernel, the support length otherwise.
    /// Applying `M_f` costs `O(n·K)`.
    pub fn support_len(&self) -> usize {
        match &self.repr {
            Repr::Dense(v) => v.len(),
            Repr::Sparse { support, .. } => support.len(),
        }
    }

    /// The stored element indices, in order (`0..n` for a dense kernel).
    pub fn support(&self) -> Vec<usize> {
        match &self.repr {
            Repr::Dense(v) => (0..v.len()).collect(),
            Repr::Sparse { support, .. } => support.clone(),
        }
    }

    /// The stored values, aligned with [`Kernel::support`].
    pub fn weights(&self) -> &[f64] {
        match &self.repr {
            Repr::Dense(v) => v,
            Repr::Sparse { values, .. } => values,
        }
    }

    /// The stored `(element index, value)` terms, in order.
    pub fn terms(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let indices: Box<dyn Iterator<Item = usize> + '_> = match &self.repr {
            Repr::Dense(v) => Box::new(0..v.len()),
            Repr::Sparse { support, .. } => Box::new(support.iter().copied()),
        };
        indices.zip(self.weights().iter().copied())
    }

    /// `f(g_i)`.
    ///
    /// # Panics
    /// If `i ≥ n`.
    pub fn value(&self, i: usize) -> f64 {
        assert!(i < self.order, "element index {i} ≥ order {}", self.order);
        match &self.repr {
            Repr::Dense(v) => v[i],
            Repr::Sparse { support, values } => support
                .iter()
                .zip(values)
                .filter(|(s, _)| **s == i)
                .map(|(_, v)| v)
                .sum(),
        }
    }

    /// All `n` values `[f(g_0), …, f(g_{n−1})]` (repeated sparse indices summed).
    pub fn to_vec(&self) -> Vec<f64> {
        match &self.repr {
            Repr::Dense(v) => v.clone(),
            Repr::Sparse { support, values } => {
                let mut out = vec![0.0; self.order];
                for (&s, &v) in support.iter().zip(values) {
                    out[s] += v;
                }
                out
            }
        }
    }

    /// The same function with its stored indices renamed by `map` (used for `f̃(g) = f(g⁻¹)`:
    /// `map` = the inverse map, a bijection of `0..n`).
    pub(crate) fn reindexed(&self, map: impl Fn(usize) -> usize) -> Self {
        let repr = match &self.repr {
            Repr::Dense(v) => {
                let mut out = vec![0.0; v.len()];
                for (i, &x) in v.iter().enumerate() {
                    out[map(i)] = x;
                }
                Repr::Dense(out)
            }
            Repr::Sparse { support, values } => Repr::Sparse {
                support: support.iter().map(|&s| map(s)).collect(),
                values: values.clone(),
            },
        };
        Self {
            order: self.order,
            repr,
        }
    }
}
