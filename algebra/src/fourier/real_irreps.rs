//! The real irreducible representations of a finite group, built from a complete set of
//! complex irreps, and the real Fourier inversion formula they satisfy.
//!
//! Over ℝ an irrep `ρ` of degree `d` gives (Frobenius–Schur):
//! - real type: `ρ` itself, already real orthogonal (the crate stores it so), `D = d`;
//! - complex type: `ρ` and `conj ρ` are inequivalent and give one real irrep together, the
//!   realification `R(g) = [[Re ρ(g), −Im ρ(g)], [Im ρ(g), Re ρ(g)]]`, `D = 2d`;
//! - quaternionic type: the realification of `ρ` alone, `D = 2d`.
//!
//! With `f̂(R) = Σ_h f(h)·R(h)`, every real `f` on `G` is recovered as
//!
//! `f(g) = Σ_R c_R · tr(R(g)ᵀ f̂(R))`, `c_R = d/n` (real and complex type), `d/(2n)`
//! (quaternionic),
//!
//! because for a realification `tr(R(g)ᵀ R̂) = 2·Re tr(ρ(g)* f̂(ρ))` and the complex inversion
//! formula counts a complex pair twice and a quaternionic irrep once
//! (`docs/theory/fourier.md`). The convolution theorem `(f∗h)^(R) = f̂(R)·ĥ(R)` holds because
//! each `R` is a homomorphism; all arithmetic is real.

use super::{FsType, Irreps};
use crate::{Error, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;

/// One real irreducible representation `R: G → O(D)` and its weight in the inversion formula.
#[derive(Debug, Clone, PartialEq)]
pub struct RealIrrep {
    matrices: Vec<DMatrix<f64>>,
    weight: f64,
    source: FsType,
}

impl RealIrrep {
    /// The real dimension `D`.
    pub fn dim(&self) -> usize {
        self.matrices[0].nrows()
    }

    /// The orthogonal matrix `R(g_a)`.
    ///
    /// # Panics
    /// If `a` is not an element index.
    pub fn matrix(&self, a: usize) -> &DMatrix<f64> {
        &self.matrices[a]
    }

    /// The weight `c_R` of `R` in `f(g) = Σ_R c_R tr(R(g)ᵀ f̂(R))`.
    pub fn weight(&self) -> f64 {
        self.weight
    }

    /// The Frobenius–Schur type of the complex irrep it comes from.
    pub fn source_type(&self) -> FsType {
        self.source
    }
}

/// `[[Re M, −Im M], [Im M, Re M]]`.
fn realify(m: nalgebra::DMatrixView<'_, Complex64>) -> DMatrix<f64> {
    let d = m.nrows();
    DMatrix::from_fn(2 * d, 2 * d, |i, j| {
        let z = m[(i % d, j % d)];
        match (i < d, j < d) {
            (true, true) | (false, false) => z.re,
            (true, false) => -z.im,
            (false, true) => z.im,
        }
    })
}

/// The real irreps of the group of `irreps` (see the module docs of
/// `algebra/src/fourier/real_irreps.rs`), in the order of the complex irreps they come from;
/// of each conjugate pair of complex type the first is used.
///
/// # Errors
/// [`Error::InvalidRepresentation`] if an irrep of complex type has no conjugate partner in
/// the set (the set is then not complete) or one of real type is not stored real.
pub fn real_irreps(irreps: &Irreps) -> Result<Vec<RealIrrep>> {
    let n = irreps.order();
    let characters: Vec<Vec<Complex64>> = irreps
        .irreps()
        .iter()
        .map(|r| r.rep().character())
        .collect();
    let tolerance = 1e-6 * n as f64;
    let partner = |i: usize| {
        (0..characters.len()).find(|&j| {
            j != i
                && characters[i]
                    .iter()
                    .zip(&characters[j])
                    .map(|(a, b)| (a.conj() - b).norm())
                    .sum::<f64>()
                    < tolerance
        })
    };
    let mut out = Vec::new();
    for (i, irrep) in irreps.irreps().iter().enumerate() {
        let d = irrep.dim() as f64;
        let rep = irrep.rep();
        let (matrices, weight) = match irrep.fs_type() {
            FsType::Real => {
                if !rep.is_real(1e-9) {
                    return Err(Error::InvalidRepresentation {
                        reason: format!("irrep {i} of real type is not in real orthogonal form"),
                    });
                }
                (
                    (0..n).map(|a| rep.matrix(a).map(|z| z.re)).collect(),
                    d / n as f64,
                )
            }
            FsType::Complex => {
                let j = partner(i).ok_or_else(|| Error::InvalidRepresentation {
                    reason: format!("irrep {i} of complex type has no conjugate in the set"),
                })?;
                if j < i {
                    continue;
                }
                (
                    (0..n).map(|a| realify(rep.matrix(a))).collect(),
                    d / n as f64,
                )
            }
            FsType::Quaternionic => (
                (0..n).map(|a| realify(rep.matrix(a))).collect(),
                d / (2.0 * n as f64),
            ),
        };
        out.push(RealIrrep {
            matrices,
            weight,
            source: irrep.fs_type(),
        });
    }
    Ok(out)
}
