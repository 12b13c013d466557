//! The dihedral group `D_n` of order `2n`, in the reference implementation's element order.

use super::modular::{add_mod, sub_mod};
use super::{Group, Structure};
use crate::fourier::{DihedralFft, DihedralStructure, FourierTransform};
use crate::{Error, Result};
use std::sync::Arc;

/// An element `f^flip · r^rot` of `D_n` (`flip ∈ {0,1}`, `rot ∈ 0..n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DihedralElement {
    /// 1 for a reflection `f·r^rot`, 0 for a rotation `r^rot`.
    pub flip: u8,
    /// The rotation exponent, in `0..n`.
    pub rot: usize,
}

/// The dihedral group `D_n = ⟨r, f | rⁿ = f² = e, r·f = f·r⁻¹⟩` of order `2n`.
///
/// Elements are ordered as in the GM-CNN reference: indices `0..n` are `r^0..r^{n−1}` and
/// `n..2n` are `f·r^0..f·r^{n−1}`, i.e. `index(f^a r^b) = a·n + b`. The product is
/// `(f^a r^b)(f^c r^d) = f^{a+c} r^{(−1)^c b + d}`.
///
/// # Example
/// ```
/// use gm_algebra::group::{Dihedral, DihedralElement as E, Group};
/// let d4 = Dihedral::new(4).unwrap();
/// let r = E { flip: 0, rot: 1 };
/// let f = E { flip: 1, rot: 0 };
/// // r·f = f·r⁻¹
/// assert_eq!(d4.mul(&r, &f), d4.mul(&f, &d4.inv(&r)));
/// assert_eq!(d4.index(&f), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dihedral {
    n: usize,
}

impl Dihedral {
    /// `D_n` (order `2n`) for `n ≥ 1`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n == 0` or `2n` overflows `usize`.
    pub fn new(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::InvalidParameter {
                family: "dihedral group D_n".into(),
                reason: "n must be at least 1".into(),
            });
        }
        super::modular::family_order("dihedral group D_n", n, Some(2))?;
        Ok(Self { n })
    }

    /// The number of rotations `n` (the group has order `2n`).
    pub fn rotations(&self) -> usize {
        self.n
    }
}

impl Group for Dihedral {
    type Element = DihedralElement;
    fn order(&self) -> usize {
        2 * self.n
    }
    fn element(&self, i: usize) -> DihedralElement {
        DihedralElement {
            flip: (i / self.n) as u8,
            rot: i % self.n,
        }
    }
    fn index(&self, e: &DihedralElement) -> usize {
        e.flip as usize * self.n + e.rot
    }
    fn identity(&self) -> DihedralElement {
        DihedralElement { flip: 0, rot: 0 }
    }
    fn mul(&self, a: &DihedralElement, b: &DihedralElement) -> DihedralElement {
        let n = self.n;
        let rot = if b.flip == 0 {
            add_mod(a.rot, b.rot, n)
        } else {
            sub_mod(b.rot, a.rot, n)
        };
        DihedralElement {
            flip: a.flip ^ b.flip,
            rot,
        }
    }
    fn inv(&self, a: &DihedralElement) -> DihedralElement {
        if a.flip == 1 {
            *a
        } else {
            DihedralElement {
                flip: 0,
                rot: sub_mod(0, a.rot, self.n),
            }
        }
    }
    fn generators(&self) -> Option<Vec<DihedralElement>> {
        let f = DihedralElement { flip: 1, rot: 0 };
        Some(if self.n == 1 {
            vec![f]
        } else {
            vec![DihedralElement { flip: 0, rot: 1 }, f]
        })
    }
    fn name(&self) -> String {
        format!("D{}", self.n)
    }
    fn structure(&self) -> Structure<'_> {
        Structure::Dihedral(self.n)
    }
    fn fast_fourier(&self) -> Option<Result<Arc<dyn FourierTransform>>> {
        DihedralStructure::of_family(self).map(|s| Ok(Arc::new(DihedralFft::new(s)) as _))
    }
    fn format_element(&self, e: &DihedralElement) -> String {
        let r = match e.rot {
            0 => String::new(),
            1 => "r".into(),
            k => format!("r^{k}"),
        };
        match (e.flip, r.is_empty()) {
            (0, true) => "e".into(),
            (0, false) => r,
            (_, true) => "f".into(),
            (_, false) => format!("f·{r}"),
        }
    }
}
