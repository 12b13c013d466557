//! Character tables and the data `gm group show --json` prints.

use super::{irreps, FsType, Irreps};
use crate::{Error, FiniteGroup, Result};
use num_complex::Complex64;

/// The character table: row `ρ` (irreps in the given order), column `c` = `χ_ρ(g)` for any
/// `g` of class `c` (the class's first element is used).
///
/// # Errors
/// [`Error::ShapeMismatch`] if a class is empty; [`Error::IndexOutOfRange`] if an element index
/// is not in the group.
pub fn character_table(irreps: &Irreps, classes: &[Vec<usize>]) -> Result<Vec<Vec<Complex64>>> {
    let n = irreps.order();
    let mut reps = Vec::with_capacity(classes.len());
    for class in classes {
        let &a = class.first().ok_or_else(|| Error::ShapeMismatch {
            what: "conjugacy class size".into(),
            expected: 1,
            got: 0,
        })?;
        if a >= n {
            return Err(Error::IndexOutOfRange { index: a, order: n });
        }
        reps.push(a);
    }
    Ok(irreps
        .irreps()
        .iter()
        .map(|r| reps.iter().map(|&a| r.rep().matrix(a).trace()).collect())
        .collect())
}

/// What `gm group show SPEC --json` reports about representations.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RepresentationSummary {
    /// The degrees `d_ρ`, in irrep order.
    pub dims: Vec<usize>,
    /// The Frobenius–Schur types, in irrep order.
    pub types: Vec<FsType>,
    /// Rows in irrep order, columns in the order of the classes given.
    pub character_table: Vec<Vec<Complex64>>,
}

/// The irreps' degrees and types and the character table of `g` over `classes` (the
/// conjugacy classes in the order the caller prints them), from the cached [`irreps`].
///
/// # Errors
/// Those of [`irreps`] and [`character_table`].
///
/// # Example
/// ```
/// use gm_algebra::fourier::{representation_summary, FsType};
/// use gm_algebra::group::Dihedral;
/// let d3 = Dihedral::new(3).unwrap();
/// let classes = vec![vec![0], vec![1, 2], vec![3, 4, 5]];
/// let s = representation_summary(&d3, &classes).unwrap();
/// assert_eq!(s.dims, vec![1, 1, 2]);
/// assert_eq!(s.types, vec![FsType::Real; 3]);
/// assert!((s.character_table[2][1].re + 1.0).abs() < 1e-12); // χ(r) = 2cos(2π/3)
/// ```
pub fn representation_summary<G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &[Vec<usize>],
) -> Result<RepresentationSummary> {
    let irr = irreps(g)?;
    Ok(RepresentationSummary {
        dims: irr.dims().to_vec(),
        types: irr.fs_types().to_vec(),
        character_table: character_table(&irr, classes)?,
    })
}
