//! Kernel supports: explicit elements, the reference's radius-`t` support on a grid of axes
//! or on a wallpaper group, or a word-metric ball on any group.

use super::grid::{grid_group, Axis};
use crate::Result;
use gm_algebra::group::{Wallpaper, WallpaperElement};
use gm_algebra::FiniteGroup;
use serde::{Deserialize, Serialize};

impl Axis {
    /// The reference's one-axis support `S₁` for radius `t`, as indices in this axis, in the
    /// reference's order (its `generate_neighborhood`): `r^i` for `i = −t..=t` (cyclic);
    /// `r^i, f·r^i` interleaved for `i = −t..=t` (dihedral:
    /// `[r^−t, f·r^−t, r^−t+1, f·r^−t+1, …, r^t, f·r^t]`). Exponents are taken mod `n`, so a
    /// radius wider than the axis repeats elements (as in the reference).
    ///
    /// # Example
    /// ```
    /// use gm_nn::lowering::Axis;
    /// // D_5 (rotations 0..5, then reflections f·r^i at 5 + i), t = 1.
    /// assert_eq!(Axis::Dihedral(5).reference_support(1), vec![4, 9, 0, 5, 1, 6]);
    /// assert_eq!(Axis::Cyclic(5).reference_support(1), vec![4, 0, 1]);
    /// ```
    pub fn reference_support(&self, t: usize) -> Vec<usize> {
        let t = t as i64;
        let wrap = |i: i64, n: usize| i.rem_euclid(n as i64) as usize;
        match *self {
            Axis::Cyclic(n) => (-t..=t).map(|i| wrap(i, n)).collect(),
            Axis::Dihedral(n) => (-t..=t)
                .flat_map(|i| (0..2).map(move |flip| flip * n + wrap(i, n)))
                .collect(),
        }
    }

    /// Where each entry of [`Axis::reference_support`] sat in the order this crate used
    /// before version 0.2 (dihedral: all rotations `r^−t..r^t` first, then all reflections
    /// `f·r^−t..f·r^t`; cyclic: unchanged): entry `j` of the current order is entry
    /// `legacy[j]` of the old one. On a dihedral axis, `j = 2(i+t) + flip` comes from
    /// `flip·(2t+1) + (i+t)`.
    ///
    /// # Example
    /// ```
    /// use gm_nn::lowering::Axis;
    /// assert_eq!(Axis::Dihedral(5).legacy_support_order(1), vec![0, 3, 1, 4, 2, 5]);
    /// assert_eq!(Axis::Cyclic(5).legacy_support_order(1), vec![0, 1, 2]);
    /// ```
    pub fn legacy_support_order(&self, t: usize) -> Vec<usize> {
        let width = 2 * t + 1;
        match *self {
            Axis::Cyclic(_) => (0..width).collect(),
            Axis::Dihedral(_) => (0..2 * width).map(|j| (j % 2) * width + j / 2).collect(),
        }
    }
}

/// The support of `radius` on the grid of `axes`, in *this crate's* convention, ordered so
/// that weights are interchangeable with the reference's.
///
/// The reference lists `S_ref = S₁×…×S₁` (each [`Axis::reference_support`], last axis
/// fastest) and gathers `x[g_a·s⁻¹]`; this crate gathers `x[g_a·s]`. The returned list is
/// therefore `[index(s⁻¹) for s in S_ref]`: entry `k` of a weight vector means the same in
/// both, and a reference state dict loads unchanged.
///
/// # Errors
/// [`crate::NnError::Algebra`] for an empty list or an axis of size 0.
///
/// # Example
/// ```
/// use gm_nn::lowering::{radius_support, Axis};
/// // Z_5 with t = 1: the reference's (−1, 0, 1) inverted.
/// assert_eq!(radius_support(&[Axis::Cyclic(5)], 1).unwrap(), vec![1, 0, 4]);
/// assert_eq!(radius_support(&[Axis::Dihedral(14); 2], 3).unwrap().len(), 196);
/// ```
pub fn radius_support(axes: &[Axis], radius: usize) -> Result<Vec<usize>> {
    let grid = grid_group(axes)?;
    let mut support = vec![0usize];
    for axis in axes {
        let s1 = axis.reference_support(radius);
        support = support
            .iter()
            .flat_map(|&prefix| s1.iter().map(move |&s| prefix * axis.order() + s))
            .collect();
    }
    Ok(support.into_iter().map(|s| grid.inv_idx(s)).collect())
}

/// The permutation that converts kernel weights trained with this crate's dihedral radius
/// order before version 0.2 (rotations first, then reflections, on every dihedral axis) to
/// the current order (the reference's): `w_new[…, k] = w_old[…, legacy[k]]`, i.e.
/// `w_new = w_old.index_select(-1, legacy)`. Per axis it is
/// [`Axis::legacy_support_order`]; over the grid, `k` and `legacy[k]` are mixed-radix indices,
/// last axis fastest. On cyclic grids it is the identity.
///
/// # Example
/// ```
/// use gm_nn::lowering::{legacy_radius_order, Axis};
/// let p = legacy_radius_order(&[Axis::Dihedral(14); 2], 3);
/// assert_eq!(p.len(), 196);
/// assert_eq!(&p[..4], &[0, 7, 1, 8]);
/// let id = legacy_radius_order(&[Axis::Cyclic(8); 2], 1);
/// assert_eq!(id, (0..9).collect::<Vec<_>>());
/// ```
pub fn legacy_radius_order(axes: &[Axis], radius: usize) -> Vec<usize> {
    axes.iter().fold(vec![0usize], |prefix, axis| {
        let per_axis = axis.legacy_support_order(radius);
        let width = per_axis.len();
        prefix
            .iter()
            .flat_map(|&p| per_axis.iter().map(move |&j| p * width + j))
            .collect()
    })
}

/// The support of radius `t` on a wallpaper group `p4(N)`/`p4m(N)`: every element
/// `x ↦ (a, b) + A·x` with a translation `|a|, |b| ≤ t` (mod `N`) and any point-group element
/// `A`, so `K = |P|·(2t+1)²` — a `(2t+1)×(2t+1)` spatial window with a weight per rotation
/// (and mirror). Ordered by translation (first coordinate slowest), then by the point group
/// in the group's index order. A radius with `2t+1 > N` repeats translations (they add up).
///
/// # Example
/// ```
/// use gm_algebra::group::Wallpaper;
/// use gm_nn::lowering::wallpaper_support;
/// let p4 = Wallpaper::p4(8).unwrap();
/// let s = wallpaper_support(&p4, 1);
/// assert_eq!(s.len(), 4 * 9);
/// assert!(s.contains(&0)); // the identity
/// assert_eq!(wallpaper_support(&Wallpaper::p4m(8).unwrap(), 1).len(), 8 * 9);
/// ```
pub fn wallpaper_support(group: &Wallpaper, radius: usize) -> Vec<usize> {
    let n = group.grid_size() as i64;
    let t = radius as i64;
    let wrap = |i: i64| i.rem_euclid(n) as usize;
    let mut support = Vec::new();
    for a in -t..=t {
        for b in -t..=t {
            for h in 0..group.point_group_order() {
                let element = WallpaperElement {
                    tx: wrap(a),
                    ty: wrap(b),
                    rot: (h % 4) as u8,
                    mirror: h >= 4,
                };
                support.push(gm_algebra::group::Group::index(group, &element));
            }
        }
    }
    support
}

/// A kernel support: explicit element indices, a radius on a grid of axes, or a ball of the
/// word metric on any group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// The elements `s_k`, in weight order (repeats allowed; they add up).
    Elements(Vec<usize>),
    /// The reference's radius-`t` support ([`radius_support`]); needs a grid group.
    Radius(usize),
    /// The elements of word length at most `t` in the group's generators and their inverses,
    /// in breadth-first order from the identity ([`gm_algebra::group::word_ball`]); works on
    /// every group. On a grid it is the L1 diamond inside the square of [`Support::Radius`].
    Ball(usize),
}
