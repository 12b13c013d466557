//! LDR-SD: learned subdiagonal-plus-corner operators (Thomas et al. 2018).

use super::krylov::check_generators;
use super::{
    krylov_sum, krylov_sum_apply, Displacement, KrylovSum, LdrMatrix, Operator, ShiftKrylov,
};
use crate::Result;
use nalgebra::DMatrix;

/// Largest similarity spread ([`ShiftKrylov::condition`]) for which the FFT product is used;
/// above it (or with a zero weight) the product falls back to Horner's rule.
pub const FFT_CONDITION_LIMIT: f64 = 1e4;

/// The LDR-SD matrix `M = Σ_i K(A, g_i) K(Bᵀ, h_i)ᵀ` (Thomas et al. form) with learned
/// subdiagonal-plus-corner operators `A` (weights `a`) and `B` (weights `b`).
///
/// Since `Aⁿ = α I` and `Bⁿ = β I` (`α = ∏ a_i`, `β = ∏ b_i`), telescoping gives the Stein
/// displacement `Δ_{A,B}(M) = M − AMB = (1 − αβ) G Hᵀ`: rank `≤ r`. `Z₁`/`Z₋₁`-type shifts
/// are the special case `a = (1, …, 1, f)`.
///
/// Product: when every weight is nonzero, `A` and `B` are diagonally similar to scaled
/// cyclic shifts (see [`ShiftKrylov`]) and `M x` costs `2r + 2` FFTs, `O(r n log n)` — better
/// than the `O(r n log² n)` of the LDR authors' code. The similarity's accuracy degrades
/// with the spread of the weights' prefix products, so when that spread exceeds
/// [`FFT_CONDITION_LIMIT`] (or a weight is 0) the product uses Horner's rule,
/// `O(r n²)` time and `O(n)` memory.
///
/// # Example
/// ```
/// use gm_algebra::displacement::{LdrMatrix, LdrSd};
/// use nalgebra::DMatrix;
/// let g = DMatrix::from_fn(5, 1, |i, _| i as f64);
/// let h = DMatrix::from_fn(5, 1, |i, _| 1.0 - i as f64);
/// let m = LdrSd::new(vec![1.0, 0.5, 2.0, -1.0, 0.9], vec![1.1; 5], g, h).unwrap();
/// assert!(m.uses_fft());
/// assert!(m.displacement().rank(&m.to_dense()).unwrap() <= 1);
/// ```
#[derive(Debug, Clone)]
pub struct LdrSd {
    a: Operator,
    b: Operator,
    g: DMatrix<f64>,
    h: DMatrix<f64>,
    fast: Option<KrylovSum>,
}

impl LdrSd {
    /// The LDR-SD matrix with operator weights `a`, `b` (length `n`, last entry = corner) and
    /// generators `G`, `H` (`n × r`).
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when `n == 0`; [`crate::Error::ShapeMismatch`] when
    /// `b`, `G` or `H` does not have `n` rows; [`crate::Error::InvalidGenerators`] when `G`
    /// and `H` have different numbers of columns.
    pub fn new(a: Vec<f64>, b: Vec<f64>, g: DMatrix<f64>, h: DMatrix<f64>) -> Result<Self> {
        let fast = match (ShiftKrylov::new(&a), ShiftKrylov::new(&b)) {
            (Ok(pa), Ok(pb)) if pa.dim() == pb.dim() && g.nrows() == pa.dim() => Some((pa, pb)),
            _ => None,
        };
        let (a, b) = (Operator::subdiagonal(a)?, Operator::subdiagonal(b)?);
        check_generators(a.dim(), b.dim(), &g, &h)?;
        if a.dim() != b.dim() {
            return Err(crate::Error::ShapeMismatch {
                what: "LDR-SD right operator B".into(),
                expected: a.dim(),
                got: b.dim(),
            });
        }
        let fast = fast.and_then(|(pa, pb)| {
            let sum = KrylovSum::new(pa, pb, &g, &h, false);
            (sum.condition() <= FFT_CONDITION_LIMIT).then_some(sum)
        });
        Ok(Self { a, b, g, h, fast })
    }

    /// Whether the product runs through the FFT (`O(r n log n)`) rather than Horner's rule.
    pub fn uses_fft(&self) -> bool {
        self.fast.is_some()
    }
}

impl LdrMatrix for LdrSd {
    fn shape(&self) -> (usize, usize) {
        (self.a.dim(), self.a.dim())
    }

    fn displacement(&self) -> Displacement {
        Displacement::stein(self.a.clone(), self.b.clone())
    }

    fn generators(&self) -> (&DMatrix<f64>, &DMatrix<f64>) {
        (&self.g, &self.h)
    }

    fn to_dense(&self) -> DMatrix<f64> {
        krylov_sum(&self.a, &self.b, &self.g, &self.h).expect("generators validated")
    }

    fn apply(&self, x: &[f64]) -> Vec<f64> {
        match &self.fast {
            Some(sum) => sum.apply(x),
            None => krylov_sum_apply(&self.a, &self.b, &self.g, &self.h, x),
        }
    }
}
