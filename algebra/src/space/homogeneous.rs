//! The homogeneous space `X = G/H` and the action of `G` on it.

use crate::group::{Cosets, FiniteGroup, Subgroup};
use crate::{Error, Result};
use nalgebra::DMatrix;

/// The most entries `|G|·|X|` that [`HomogeneousSpace::action_table`] will allocate.
pub const ACTION_TABLE_LIMIT: usize = 1 << 26;

/// The homogeneous space `X = G/H` of left cosets of a subgroup `H`, acted on by `G` through
/// `u·(gH) = (ug)H`.
///
/// Points are indexed `0..|X|` as in [`Cosets::left`]: point `x` is the coset `g_x H` whose
/// smallest element is the representative `g_x`, and `x₀ = 0` is `H` itself (`g_{x₀} = e`).
/// The action is computed on demand, `act(u, x) = label of u·g_x` (one product in `G`), so
/// nothing of size `|G|·|X|` is stored; [`HomogeneousSpace::action_table`] builds the whole
/// table when asked.
///
/// Owns the group (pass an [`crate::AnyGroup`], a `Copy` family such as `Dihedral`, or a
/// clone).
///
/// # Example
/// ```
/// use gm_algebra::group::{Dihedral, Subgroup};
/// use gm_algebra::space::HomogeneousSpace;
/// // D4 acting on the 4 vertices of a square: X = D4/⟨f⟩.
/// let d4 = Dihedral::new(4).unwrap();
/// let f = Subgroup::generated_by(&d4, &[4]).unwrap();
/// let square = HomogeneousSpace::new(d4, &f).unwrap();
/// assert_eq!(square.num_points(), 4);
/// assert_eq!(square.permutation(1), vec![1, 2, 3, 0]); // r turns the square
/// assert_eq!(square.act(4, 0), 0); // f fixes x₀
/// assert_eq!(square.stabiliser(0), f);
/// ```
#[derive(Debug, Clone)]
pub struct HomogeneousSpace<G> {
    group: G,
    subgroup: Subgroup,
    cosets: Cosets,
}

impl<G: FiniteGroup> HomogeneousSpace<G> {
    /// The space `G/H` of left cosets of `subgroup` in `group`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `subgroup` belongs to a group of another order.
    pub fn new(group: G, subgroup: &Subgroup) -> Result<Self> {
        let cosets = Cosets::left(&group, subgroup)?;
        Ok(Self {
            group,
            subgroup: subgroup.clone(),
            cosets,
        })
    }

    /// The acting group `G`.
    pub fn group(&self) -> &G {
        &self.group
    }

    /// The subgroup `H`, the stabiliser of `x₀`.
    pub fn subgroup(&self) -> &Subgroup {
        &self.subgroup
    }

    /// The left cosets of `H`, which are the points.
    pub fn cosets(&self) -> &Cosets {
        &self.cosets
    }

    /// The number of points `|X| = [G:H]`.
    pub fn num_points(&self) -> usize {
        self.cosets.count()
    }

    /// The representative `g_x` (smallest element of the coset) of point `x`.
    ///
    /// # Panics
    /// If `x ≥ num_points()`.
    pub fn representative(&self, x: usize) -> usize {
        self.cosets.representative(x)
    }

    /// The representatives `g_x` of all points: a left transversal of `H`.
    pub fn representatives(&self) -> &[usize] {
        self.cosets.representatives()
    }

    /// The point `gH` of element `g`, i.e. `g·x₀` (the projection `G → G/H`).
    ///
    /// # Panics
    /// If `g` is not an element index.
    pub fn point_of(&self, g: usize) -> usize {
        self.cosets.coset_of(g)
    }

    /// The action `u·x`: the point `(u·g_x)H`. One product in `G`.
    ///
    /// # Panics
    /// If `u` is not an element index or `x ≥ num_points()`.
    pub fn act(&self, u: usize, x: usize) -> usize {
        self.cosets
            .coset_of(self.group.mul_idx(u, self.cosets.representative(x)))
    }

    /// `λ_X(u)` as a permutation vector: `p[x] = u·x`.
    ///
    /// # Panics
    /// If `u` is not an element index.
    pub fn permutation(&self, u: usize) -> Vec<usize> {
        (0..self.num_points()).map(|x| self.act(u, x)).collect()
    }

    /// `λ_X(u)` as a dense `|X|×|X|` permutation matrix: `L_u[x, y] = 1` iff `x = u·y`, so
    /// `L_u L_v = L_{uv}` and `(L_u φ)(x) = φ(u⁻¹·x)`.
    ///
    /// # Panics
    /// If `u` is not an element index.
    pub fn permutation_matrix(&self, u: usize) -> DMatrix<f64> {
        let m = self.num_points();
        let mut l = DMatrix::zeros(m, m);
        for (y, x) in self.permutation(u).into_iter().enumerate() {
            l[(x, y)] = 1.0;
        }
        l
    }

    /// The whole action table, row-major: entry `u·|X| + x` is `act(u, x)`. Cost `|G|·|X|`
    /// products and entries.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `|G|·|X|` exceeds [`ACTION_TABLE_LIMIT`].
    pub fn action_table(&self) -> Result<Vec<usize>> {
        let n = self.group.order();
        let m = self.num_points();
        if n.saturating_mul(m) > ACTION_TABLE_LIMIT {
            return Err(Error::TooLarge {
                order: n,
                operation: format!("the action table on {m} points"),
                limit: ACTION_TABLE_LIMIT / m,
            });
        }
        Ok((0..n).flat_map(|u| self.permutation(u)).collect())
    }

    /// The stabiliser `{u : u·x = x} = g_x H g_x⁻¹` of point `x`.
    ///
    /// # Panics
    /// If `x ≥ num_points()`.
    pub fn stabiliser(&self, x: usize) -> Subgroup {
        self.subgroup
            .conjugate(&self.group, self.cosets.representative(x))
            .expect("H belongs to G and g_x is an element of G")
    }
}
