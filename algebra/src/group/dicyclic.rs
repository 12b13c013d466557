//! The dicyclic group `Dic_n` of order `4n` (the quaternion group `Q8 = Dic_2`).

use super::modular::{add_mod, sub_mod};
use super::Group;
use crate::{Error, Result};

/// An element `a^power · x^x` of `Dic_n` (`power ∈ 0..2n`, `x ∈ {0,1}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DicyclicElement {
    /// The exponent of `a`, in `0..2n`.
    pub power: usize,
    /// 1 when the element is `a^power·x`, 0 when it is `a^power`.
    pub x: u8,
}

/// The dicyclic group `Dic_n = ⟨a, x | a^{2n} = e, x² = aⁿ, x⁻¹ax = a⁻¹⟩` of order `4n`.
///
/// `Dic_2` is the quaternion group `Q8` and `Dic_{2^k}` the generalised quaternion group
/// `Q_{2^{k+2}}`; `Dic_1 ≅ C4`. Index of `a^k x^j` is `j·2n + k` (powers of `a` first, as for
/// [`super::Dihedral`]). Products: `a^k·a^m = a^{k+m}`, `a^k·a^m x = a^{k+m} x`,
/// `a^k x·a^m = a^{k−m} x`, `a^k x·a^m x = a^{k−m+n}`.
///
/// # Example
/// ```
/// use gm_algebra::group::{Dicyclic, DicyclicElement as E, Group};
/// let q8 = Dicyclic::new(2).unwrap();
/// let x = E { power: 0, x: 1 };
/// let a2 = E { power: 2, x: 0 };
/// assert_eq!(q8.mul(&x, &x), a2); // x² = a² = −1
/// assert_eq!(q8.order(), 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dicyclic {
    n: usize,
}

impl Dicyclic {
    /// `Dic_n` (order `4n`) for `n ≥ 1`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n == 0` or `4n` overflows `usize`.
    pub fn new(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::InvalidParameter {
                family: "dicyclic group Dic_n".into(),
                reason: "n must be at least 1".into(),
            });
        }
        super::modular::family_order("dicyclic group Dic_n", n, Some(4))?;
        Ok(Self { n })
    }

    /// The parameter `n` (the group has order `4n`).
    pub fn parameter(&self) -> usize {
        self.n
    }
}

impl Group for Dicyclic {
    type Element = DicyclicElement;
    fn order(&self) -> usize {
        4 * self.n
    }
    fn element(&self, i: usize) -> DicyclicElement {
        let m = 2 * self.n;
        DicyclicElement {
            power: i % m,
            x: (i / m) as u8,
        }
    }
    fn index(&self, e: &DicyclicElement) -> usize {
        e.x as usize * 2 * self.n + e.power
    }
    fn identity(&self) -> DicyclicElement {
        DicyclicElement { power: 0, x: 0 }
    }
    fn mul(&self, a: &DicyclicElement, b: &DicyclicElement) -> DicyclicElement {
        let m = 2 * self.n;
        let power = match (a.x, b.x) {
            (0, _) => add_mod(a.power, b.power, m),
            (_, 0) => sub_mod(a.power, b.power, m),
            _ => add_mod(sub_mod(a.power, b.power, m), self.n, m),
        };
        DicyclicElement {
            power,
            x: a.x ^ b.x,
        }
    }
    fn inv(&self, a: &DicyclicElement) -> DicyclicElement {
        let m = 2 * self.n;
        let power = if a.x == 0 {
            sub_mod(0, a.power, m)
        } else {
            add_mod(a.power, self.n, m)
        };
        DicyclicElement { power, x: a.x }
    }
    fn generators(&self) -> Option<Vec<DicyclicElement>> {
        Some(vec![
            DicyclicElement { power: 1, x: 0 },
            DicyclicElement { power: 0, x: 1 },
        ])
    }
    fn name(&self) -> String {
        format!("Dic{}", self.n)
    }
    fn format_element(&self, e: &DicyclicElement) -> String {
        let a = match e.power {
            0 => String::new(),
            1 => "a".into(),
            k => format!("a^{k}"),
        };
        match (e.x, a.is_empty()) {
            (0, true) => "e".into(),
            (0, false) => a,
            (_, true) => "x".into(),
            (_, false) => format!("{a}·x"),
        }
    }
}
