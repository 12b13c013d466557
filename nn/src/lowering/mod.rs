//! Lowering a group and a kernel support to tensors: the gather table of a GM convolution.
//!
//! A GM convolution with kernel support `S = (s_0, …, s_{K−1})` computes
//! `y[a] = Σ_k w[k]·x[index(g_a·s_k)]`, which is `(M_f x)(g_a)` for the group matrix
//! `M_f[a,b] = f(g_a⁻¹g_b)` with `f(s_k) = w[k]`. The table `table[k][a] = index(g_a·s_k)` is
//! built once per layer, as an `i64` tensor of shape `(K, n)` on the layer's device.
//!
//! Supports come as a list of element indices ([`Support::Elements`]) or as a radius `t`
//! ([`Support::Radius`]) on a direct product of cyclic and dihedral axes ([`Axis`]), the
//! reference GM-CNN's `S = S₁×…×S₁`, or as a ball of the word metric in the group's
//! generators ([`Support::Ball`]) on any group.

mod grid;
mod support;
mod table;
mod translation_grid;

pub use grid::{detect_axes, grid_group, Axis};
pub use support::{legacy_radius_order, radius_support, wallpaper_support, Support};
pub use table::{gather_table, index_tensor, left_action};
pub use translation_grid::TranslationGrid;

use crate::{NnError, Result};
use gm_algebra::{AnyGroup, FiniteGroup};
use tch::{Device, Tensor};

/// A group, a kernel support on it and the gather table on a device: what a GM layer needs.
#[derive(Debug)]
pub struct Lowering {
    group: AnyGroup,
    axes: Option<Vec<Axis>>,
    translation_grid: Option<TranslationGrid>,
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
            Support::Ball(t) => gm_algebra::group::word_ball(&group, *t),
        };
        let table = gather_table(&group, &support, device)?;
        let translation_grid = TranslationGrid::of(&group, axes.as_deref(), &support);
        Ok(Self {
            group,
            axes,
            translation_grid,
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

    /// The group as translations of a torus times a point group, when it is one (at most
    /// two cyclic/dihedral axes, `p4`, `p4m`, a semidirect product over a grid).
    pub fn translation_grid(&self) -> Option<&TranslationGrid> {
        self.translation_grid.as_ref()
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
