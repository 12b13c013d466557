//! Exact character tables without `n × n` memory: the class algebra from class
//! representatives ([`class_matrix`], [`power_maps`]), Dixon–Schneider over a prime field
//! ([`dixon_schneider`]) with values lifted to cyclotomic integers, the closed form for abelian
//! groups ([`abelian_character_table`]), and the verified [`CharacterTable`].
//!
//! See `docs/theory/character-tables.md` for the theorems and the tests that check them.

mod abelian;
mod class_algebra;
mod dixon_schneider;
mod prime_field;
mod table;

pub use abelian::abelian_character_table;
pub use class_algebra::{class_matrix, class_matrix_rows, power_maps};
pub use dixon_schneider::dixon_schneider;
pub use table::{check_orthogonality, CharacterTable};

use crate::budget::{self, bytes_for};
use crate::group::ConjugacyClasses;
use crate::{FiniteGroup, Result};

impl CharacterTable {
    /// The character table of `g` over its classes: the closed form for abelian groups,
    /// Dixon–Schneider otherwise. First checks that the table (`r` rows of exact values, each
    /// value at most `φ(o_k) ≤ o_k` coefficients) and the class matrices fit in the memory
    /// budget.
    ///
    /// # Errors
    /// [`crate::Error::OverBudget`] above the budget, and those of [`dixon_schneider`].
    pub fn compute<G: FiniteGroup + ?Sized>(g: &G, classes: &ConjugacyClasses) -> Result<Self> {
        let r = classes.count();
        let per_row = (0..r).try_fold(0u64, |acc, k| {
            acc.checked_add(bytes_for(classes.element_order(k), 8)?.checked_add(48)?)
        });
        let needed = per_row
            .and_then(|row| row.checked_mul(r as u64))
            .and_then(|t| t.checked_add(bytes_for(r, 24)?.checked_mul(r as u64)?));
        budget::require(
            &format!("the character table of {} ({r} classes)", g.name()),
            needed,
            "for an abelian group every character is χ_k(g) = E(m)^(k·g) in its invariant-factor \
             coordinates; for a direct product the table is the tensor product of the factors' tables",
        )?;
        if g.is_abelian() {
            abelian_character_table(g, classes)
        } else {
            dixon_schneider(g, classes)
        }
    }
}
