//! Balls of the word metric: the elements reachable in at most `t` steps by the generators
//! and their inverses.

use super::FiniteGroup;

/// The ball of `radius` in the word metric of the group's generators
/// ([`FiniteGroup::generator_indices`]) and their inverses: every element that is a product
/// of at most `radius` of them, listed in breadth-first order from the identity (so by
/// non-decreasing word length, the identity first). Within one word length, elements come
/// in the order they are first reached as `g·s`, `g` running over the previous layer in
/// order and `s` over the alphabet `s₁, s₁⁻¹, s₂, s₂⁻¹, …` (repeats and the identity
/// dropped). Each element appears once.
///
/// On a grid `Z_n × Z_m` with generators `(1, 0)`, `(0, 1)` this is the L1 diamond
/// `|a| + |b| ≤ t`, not the `(2t+1)²` square of the reference's radius support; on any
/// group it is the natural "radius" kernel support.
///
/// # Example
/// ```
/// use gm_algebra::group::{word_ball, Cyclic, Dihedral};
/// // Z_8: 0, then 1 and 7, then 2 and 6.
/// assert_eq!(word_ball(&Cyclic::new(8).unwrap(), 2), vec![0, 1, 7, 2, 6]);
/// // S_3 ≅ D_3 is reached within two steps from its generators.
/// assert_eq!(word_ball(&Dihedral::new(3).unwrap(), 2).len(), 6);
/// ```
pub fn word_ball<G: FiniteGroup + ?Sized>(group: &G, radius: usize) -> Vec<usize> {
    let mut alphabet = Vec::new();
    for s in group.generator_indices() {
        for x in [s, group.inv_idx(s)] {
            if x != 0 && !alphabet.contains(&x) {
                alphabet.push(x);
            }
        }
    }
    let mut seen = vec![false; group.order()];
    seen[0] = true;
    let mut ball = vec![0];
    let mut layer_start = 0;
    for _ in 0..radius {
        let layer_end = ball.len();
        for i in layer_start..layer_end {
            for &s in &alphabet {
                let next = group.mul_idx(ball[i], s);
                if !seen[next] {
                    seen[next] = true;
                    ball.push(next);
                }
            }
        }
        if ball.len() == layer_end {
            break;
        }
        layer_start = layer_end;
    }
    ball
}
