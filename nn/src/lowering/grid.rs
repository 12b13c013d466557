//! Grid groups: products `G₁ × … × G_m` of cyclic and dihedral axes (the reference GM-CNN's
//! groups on images), recognised from the structure a group declares.

use crate::Result;
use gm_algebra::group::{Cyclic, Dihedral, DirectProduct, Structure};
use gm_algebra::{AnyGroup, FiniteGroup};
use serde::{Deserialize, Serialize};

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
    /// [`crate::NnError::Algebra`] for `n = 0`.
    pub fn group(&self) -> Result<AnyGroup> {
        Ok(match *self {
            Axis::Cyclic(n) => AnyGroup::new(Cyclic::new(n)?),
            Axis::Dihedral(n) => AnyGroup::new(Dihedral::new(n)?),
        })
    }

    /// The axis a group declares itself to be ([`Structure::Cyclic`] or
    /// [`Structure::Dihedral`]), if any.
    fn of_structure(structure: Structure<'_>) -> Option<Self> {
        match structure {
            Structure::Cyclic(n) => Some(Axis::Cyclic(n)),
            Structure::Dihedral(n) => Some(Axis::Dihedral(n)),
            _ => None,
        }
    }
}

/// The grid group `G₁ × … × G_m` of `axes` (index mixed radix, last axis fastest).
///
/// # Errors
/// [`crate::NnError::Algebra`] for an empty list or an axis of size 0.
pub fn grid_group(axes: &[Axis]) -> Result<AnyGroup> {
    let factors = axes.iter().map(Axis::group).collect::<Result<Vec<_>>>()?;
    Ok(AnyGroup::cached(DirectProduct::new(factors)?))
}

/// Recognises `group` as a product of cyclic and dihedral axes *in grid index order*, from
/// the structure it declares ([`FiniteGroup::structure`]): a cyclic or dihedral group is one
/// axis, a direct product the concatenation of its factors' axes (nested products index like
/// flat ones). Names are never read.
pub fn detect_axes<G: FiniteGroup + ?Sized>(group: &G) -> Option<Vec<Axis>> {
    match group.structure() {
        Structure::DirectProduct(p) => {
            let mut axes = Vec::new();
            for factor in p.factors() {
                axes.extend(detect_axes(factor)?);
            }
            Some(axes)
        }
        other => Axis::of_structure(other).map(|a| vec![a]),
    }
}
