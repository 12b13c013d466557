//! Lowering a group and a kernel support to tensors: the gather table of a GM convolution.
//!
//! A GM convolution with kernel support `S = (s_0, …, s_{K−1})` computes
//! `y[a] = Σ_k w[k]·x[index(g_a·s_k)]`, which is `(M_f x)(g_a)` for the group matrix
//! `M_f[a,b] = f(g_a⁻¹g_b)` with `f(s_k) = w[k]`. The table `table[k][a] = index(g_a·s_k)` is
//! built once per layer, as an `i64` tensor of shape `(K, n)` on the layer's device.
//!
//! Supports come as a list of element indices ([`Support::Elements`]) or as a radius `t`
//! ([`Support::Radius`]) on a direct product of cyclic and dihedral axes ([`Axis`]), the
//! reference GM-CNN's `S = S₁×…×S₁`.

use crate::{NnError, Result};
use gm_algebra::group::{Cyclic, Dihedral, DirectProduct, Wallpaper, WallpaperElement};
use gm_algebra::matrix::GatherTable;
use gm_algebra::{AnyGroup, FiniteGroup};
use serde::{Deserialize, Serialize};
use tch::{Device, Kind, Tensor};

/// One factor of a grid group `G₁ × … × G_m`: a cyclic or a dihedral axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Axis {
    /// `Z_n` (`C<n>` in a group spec).
    Cyclic(usize),
    /// `D_n` of order `2n` (`D<n>` in a group spec), in the reference's element order.
    Dihedral(usize),
}

impl Axis {
    /// The order of the axis group.
    pub fn order(&self) -> usize {
        match *self {
            Axis::Cyclic(n) => n,
            Axis::Dihedral(n) => 2 * n,
        }
    }

    /// The axis as a type-erased group.
    ///
    /// # Errors
    /// [`NnError::Algebra`] for `n = 0`.
    pub fn group(&self) -> Result<AnyGroup> {
        Ok(match *self {
            Axis::Cyclic(n) => AnyGroup::new(Cyclic::new(n)?),
            Axis::Dihedral(n) => AnyGroup::new(Dihedral::new(n)?),
        })
    }

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

    /// Parses one factor name as the algebra prints it (`C<n>`, `Z<n>`, `D<n>`).
    fn from_name(name: &str) -> Option<Self> {
        let (family, n) = name.split_at(1);
        let n: usize = n.parse().ok()?;
        match family {
            "C" | "Z" => Some(Axis::Cyclic(n)),
            "D" => Some(Axis::Dihedral(n)),
            _ => None,
        }
    }
}

/// The grid group `G₁ × … × G_m` of `axes` (index mixed radix, last axis fastest).
///
/// # Errors
/// [`NnError::Algebra`] for an empty list or an axis of size 0.
pub fn grid_group(axes: &[Axis]) -> Result<AnyGroup> {
    let factors = axes.iter().map(Axis::group).collect::<Result<Vec<_>>>()?;
    Ok(AnyGroup::cached(DirectProduct::new(factors)?))
}

/// Recognises `group` as a product of cyclic and dihedral axes, if it is one *in grid index
/// order*: the factor names are read from the group's name (`"C32xC32"`, `"D14xD14"`) and
/// the claim is then verified, `g_a·s` equal in `group` and in [`grid_group`] for every `a`
/// and every generator `s` of the grid group (which determines the whole table).
pub fn detect_axes<G: FiniteGroup + ?Sized>(group: &G) -> Option<Vec<Axis>> {
    let axes = group
        .name()
        .split('x')
        .map(|f| Axis::from_name(f.trim()))
        .collect::<Option<Vec<_>>>()?;
    if axes.iter().map(Axis::order).product::<usize>() != group.order() {
        return None;
    }
    let grid = grid_group(&axes).ok()?;
    let n = group.order();
    grid.generator_indices()
        .iter()
        .all(|&s| (0..n).all(|a| group.mul_idx(a, s) == grid.mul_idx(a, s)))
        .then_some(axes)
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
/// [`NnError::Algebra`] for an empty list or an axis of size 0.
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

/// A kernel support: explicit element indices or a radius on a grid of axes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// The elements `s_k`, in weight order (repeats allowed; they add up).
    Elements(Vec<usize>),
    /// The reference's radius-`t` support ([`radius_support`]); needs a grid group.
    Radius(usize),
}

/// A group, a kernel support on it and the gather table on a device: what a GM layer needs.
#[derive(Debug)]
pub struct Lowering {
    group: AnyGroup,
    axes: Option<Vec<Axis>>,
    support: Vec<usize>,
    table: Tensor,
}

impl Lowering {
    /// Lowers `group` with `support` onto `device`.
    ///
    /// # Errors
    /// [`NnError::NotAGrid`] for a radius support on a group that is not a product of cyclic
    /// and dihedral axes; [`NnError::Algebra`] for a support index out of range;
    /// [`NnError::Torch`] when the device cannot hold the table.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::group::parse_group;
    /// use gm_nn::lowering::{Lowering, Support};
    /// let l = Lowering::new(parse_group("C4xC4").unwrap(), &Support::Radius(1), tch::Device::Cpu).unwrap();
    /// assert_eq!(l.table().size(), vec![9, 16]);
    /// ```
    pub fn new(group: AnyGroup, support: &Support, device: Device) -> Result<Self> {
        let axes = detect_axes(&group);
        let support = match support {
            Support::Elements(s) => s.clone(),
            Support::Radius(t) => {
                let axes = axes
                    .as_ref()
                    .ok_or_else(|| NnError::NotAGrid(group.name()))?;
                radius_support(axes, *t)?
            }
        };
        let table = gather_table(&group, &support, device)?;
        Ok(Self {
            group,
            axes,
            support,
            table,
        })
    }

    /// The group.
    pub fn group(&self) -> &AnyGroup {
        &self.group
    }

    /// The group's axes when it is a grid of cyclic/dihedral axes in grid order.
    pub fn axes(&self) -> Option<&[Axis]> {
        self.axes.as_deref()
    }

    /// The support `s_0, …, s_{K−1}` as element indices.
    pub fn support(&self) -> &[usize] {
        &self.support
    }

    /// `K`, the support size.
    pub fn kernel_size(&self) -> usize {
        self.support.len()
    }

    /// `n`, the group order.
    pub fn order(&self) -> usize {
        self.group.order()
    }

    /// The gather table `(K, n)`, `i64`: `table[k][a] = index(g_a·s_k)`.
    pub fn table(&self) -> &Tensor {
        &self.table
    }

    /// The device the table lives on.
    pub fn device(&self) -> Device {
        self.table.device()
    }
}

/// The gather table `table[k][a] = index(g_a·s_k)` (the algebra's
/// [`GatherTable`]) as a `(K, n)` `i64` tensor on `device`.
///
/// # Errors
/// [`NnError::Algebra`] for a support index `≥ n` or a group too large for `u32` indices;
/// [`NnError::Torch`] from the copy.
pub fn gather_table<G: FiniteGroup + ?Sized>(
    group: &G,
    support: &[usize],
    device: Device,
) -> Result<Tensor> {
    let table = GatherTable::new(group, support)?;
    let flat: Vec<i64> = table.table().iter().map(|&i| i64::from(i)).collect();
    Ok(Tensor::f_from_slice(&flat)?
        .f_view([support.len() as i64, group.order() as i64])?
        .f_to_device(device)?)
}

/// The left-regular action as an index tensor: `perm[a] = index(u⁻¹·g_a)`, so that
/// `x.index_select(-1, perm)` is `λ(u)x`, `(λ(u)x)(g) = x(u⁻¹g)`.
///
/// # Errors
/// [`NnError::Algebra`] when `u ≥ n`; [`NnError::Torch`] from the copy.
pub fn left_action<G: FiniteGroup + ?Sized>(group: &G, u: usize, device: Device) -> Result<Tensor> {
    let n = group.order();
    if u >= n {
        return Err(gm_algebra::Error::IndexOutOfRange { index: u, order: n }.into());
    }
    let ui = group.inv_idx(u);
    let perm: Vec<i64> = (0..n).map(|a| group.mul_idx(ui, a) as i64).collect();
    Ok(Tensor::f_from_slice(&perm)?.f_to_device(device)?)
}

/// An `i64` index tensor on `device` from `usize` indices.
///
/// # Errors
/// [`NnError::Torch`] from the copy.
pub fn index_tensor(indices: &[usize], device: Device) -> Result<Tensor> {
    let v: Vec<i64> = indices.iter().map(|&i| i as i64).collect();
    Ok(Tensor::f_from_slice(&v)?
        .f_to_kind(Kind::Int64)?
        .f_to_device(device)?)
}
