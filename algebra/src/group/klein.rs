//! The Klein four-group `V4 = Z_2 × Z_2`.

use super::Group;

/// The Klein four-group `V4 = {e, a, b, ab}` with `a² = b² = e`, `ab = ba`.
///
/// Element `i ∈ 0..4` is the bit pattern `a^{i>>1} b^{i&1}` (index 1 = `b`, 2 = `a`,
/// 3 = `ab`), and the product is bitwise XOR — the same indexing as the direct product
/// `C2×C2` (last factor fastest).
///
/// # Example
/// ```
/// use gm_algebra::group::{Group, Klein};
/// let v = Klein;
/// assert_eq!(v.mul(&1, &2), 3);
/// assert!((0..4).all(|g| v.mul(&g, &g) == 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Klein;

impl Group for Klein {
    type Element = usize;
    fn order(&self) -> usize {
        4
    }
    fn element(&self, i: usize) -> usize {
        assert!(i < 4, "index {i} out of range for V4");
        i
    }
    fn index(&self, e: &usize) -> usize {
        *e
    }
    fn identity(&self) -> usize {
        0
    }
    fn mul(&self, a: &usize, b: &usize) -> usize {
        a ^ b
    }
    fn inv(&self, a: &usize) -> usize {
        *a
    }
    fn generators(&self) -> Option<Vec<usize>> {
        Some(vec![2, 1])
    }
    fn name(&self) -> String {
        "V4".into()
    }
    fn format_element(&self, e: &usize) -> String {
        ["e", "b", "a", "ab"][*e].into()
    }
}
