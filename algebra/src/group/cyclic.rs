//! The cyclic group `Z_n = {0, 1, …, n−1}` under addition mod `n`.

use super::{Group, Structure};
use crate::{Error, Result};

/// The cyclic group `Z_n`: element `k` is `r^k`, index `k`, product `(a + b) mod n`.
///
/// # Example
/// ```
/// use gm_algebra::group::{Cyclic, Group};
/// let z5 = Cyclic::new(5).unwrap();
/// assert_eq!(z5.mul(&3, &4), 2);
/// assert_eq!(z5.inv(&2), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cyclic {
    n: usize,
}

impl Cyclic {
    /// `Z_n` for `n ≥ 1`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n == 0`.
    pub fn new(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::InvalidParameter {
                family: "cyclic group C_n".into(),
                reason: "n must be at least 1".into(),
            });
        }
        Ok(Self { n })
    }
}

impl Group for Cyclic {
    type Element = usize;
    fn order(&self) -> usize {
        self.n
    }
    fn element(&self, i: usize) -> usize {
        i
    }
    fn index(&self, e: &usize) -> usize {
        *e
    }
    fn identity(&self) -> usize {
        0
    }
    fn mul(&self, a: &usize, b: &usize) -> usize {
        super::modular::add_mod(*a, *b, self.n)
    }
    fn inv(&self, a: &usize) -> usize {
        if *a == 0 {
            0
        } else {
            self.n - a
        }
    }
    fn generators(&self) -> Option<Vec<usize>> {
        Some(if self.n == 1 { vec![] } else { vec![1] })
    }
    fn name(&self) -> String {
        format!("C{}", self.n)
    }
    fn structure(&self) -> Structure<'_> {
        Structure::Cyclic(self.n)
    }
    fn format_element(&self, e: &usize) -> String {
        match e {
            0 => "e".into(),
            1 => "r".into(),
            k => format!("r^{k}"),
        }
    }
}
