//! Character tables and the data `gm group show --json` prints.

use super::{irreps, FsType, Irreps};
use crate::group::ConjugacyClasses;
use crate::{FiniteGroup, Result};
use num_complex::Complex64;

/// The character table: row `ρ` (irreps in their order), column `c` (classes in the order of
/// [`ConjugacyClasses`]) = `χ_ρ(g)` for the class's representative `g`.
///
/// # Panics
/// If the classes are not those of the irreps' group (a representative out of range).
pub fn character_table(irreps: &Irreps, classes: &ConjugacyClasses) -> Vec<Vec<Complex64>> {
    let reps: Vec<usize> = (0..classes.count())
        .map(|c| classes.members(c)[0])
        .collect();
    irreps
        .irreps()
        .iter()
        .map(|r| reps.iter().map(|&a| r.rep().matrix(a).trace()).collect())
        .collect()
}

/// What `gm group show SPEC --json` reports about representations.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RepresentationSummary {
    /// The degrees `d_ρ`, in irrep order.
    pub dims: Vec<usize>,
    /// The Frobenius–Schur types, in irrep order.
    pub types: Vec<FsType>,
    /// Rows in irrep order, columns in the order of [`ConjugacyClasses`].
    pub character_table: Vec<Vec<Complex64>>,
}

/// The irreps' degrees and types and the character table of `g` over its
/// [`ConjugacyClasses`], from the cached [`irreps`].
///
/// # Errors
/// Those of [`irreps`].
///
/// # Example
/// ```
/// use gm_algebra::fourier::{representation_summary, FsType};
/// use gm_algebra::group::Dihedral;
/// let d3 = Dihedral::new(3).unwrap();
/// let s = representation_summary(&d3).unwrap();
/// assert_eq!(s.dims, vec![1, 1, 2]);
/// assert_eq!(s.types, vec![FsType::Real; 3]);
/// // classes: {e}, the reflections (order 2), {r, r²} (order 3); χ_ρ(r) = 2cos(2π/3)
/// assert!((s.character_table[2][2].re + 1.0).abs() < 1e-12);
/// ```
pub fn representation_summary<G: FiniteGroup + ?Sized>(g: &G) -> Result<RepresentationSummary> {
    let irr = irreps(g)?;
    Ok(RepresentationSummary {
        dims: irr.dims().to_vec(),
        types: irr.fs_types().to_vec(),
        character_table: character_table(&irr, &ConjugacyClasses::compute(g)),
    })
}
