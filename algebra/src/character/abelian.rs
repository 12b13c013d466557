//! The closed form of the character table of an abelian group.

use super::table::CharacterTable;
use crate::cyclotomic::Cyclotomic;
use crate::fourier::AbelianStructure;
use crate::group::ConjugacyClasses;
use crate::{FiniteGroup, Result};

/// The characters of an abelian group `G ≅ Z_{m_0} × … × Z_{m_{s−1}}` (invariant factors,
/// `m_j | m_0`): for `k` and `c` in the mixed-radix layout of
/// [`AbelianStructure`], `χ_k(Π_j b_j^{c_j}) = ζ_{m_0}^{Σ_j k_j c_j m_0/m_j}` — every class is
/// one element, and these `n` homomorphisms to `C^×` are all the irreducible characters.
///
/// # Errors
/// Those of [`AbelianStructure::new`] (the group is not abelian).
///
/// # Example
/// ```
/// use gm_algebra::character::abelian_character_table;
/// use gm_algebra::group::{ConjugacyClasses, Cyclic};
/// let c3 = Cyclic::new(3).unwrap();
/// let t = abelian_character_table(&c3, &ConjugacyClasses::compute(&c3)).unwrap();
/// assert_eq!(t.display_gap("C3").lines().filter(|l| l.starts_with("X.")).count(), 3);
/// assert_eq!(t.values()[1][1].to_string(), "E(3)");
/// ```
pub fn abelian_character_table<G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &ConjugacyClasses,
) -> Result<CharacterTable> {
    let s = AbelianStructure::new(g)?;
    let moduli = s.moduli();
    let top = moduli[0];
    let digits = |mut p: usize| -> Vec<usize> {
        let mut out = vec![0; moduli.len()];
        for (slot, &m) in out.iter_mut().zip(moduli).rev() {
            *slot = p % m;
            p /= m;
        }
        out
    };
    let roots: Vec<Cyclotomic> = (0..top)
        .map(|t| Cyclotomic::root_of_unity(top, t))
        .collect();
    let coordinates: Vec<Vec<usize>> = (0..classes.count())
        .map(|c| digits(s.position_of()[classes.representative(c)]))
        .collect();
    let rows = (0..g.order())
        .map(|k| {
            let k = digits(k);
            coordinates
                .iter()
                .map(|c| {
                    let t = k
                        .iter()
                        .zip(c)
                        .zip(moduli)
                        .fold(0, |acc, ((&kj, &cj), &m)| {
                            (acc + kj * cj % m * (top / m)) % top
                        });
                    roots[t].clone()
                })
                .collect()
        })
        .collect();
    let squares: Vec<usize> = (0..classes.count())
        .map(|c| {
            let x = classes.representative(c);
            classes.class_of(g.mul_idx(x, x))
        })
        .collect();
    CharacterTable::assemble(classes, &squares, rows, false)
}
