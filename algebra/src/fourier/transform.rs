//! The transform interface every Fourier plan implements (plan once, execute many).

use super::{CoefficientLayout, IrrepConstruction, Irreps};
use crate::{Error, Result};
use num_complex::Complex64;
use std::sync::Arc;

/// What a plan is: its algorithm and, for the matrix-based ones, where its irreps came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanKind {
    /// Multi-dimensional FFT of an abelian group ([`super::AbelianFft`]).
    AbelianFft,
    /// Two FFTs of a dihedral group ([`super::DihedralFft`]).
    DihedralFft,
    /// Transform along each factor of a direct product ([`super::SeparableFourier`]).
    Separable,
    /// 2-D FFTs over the translations of a wallpaper group ([`super::InducedFft`]).
    InducedFft,
    /// A recursion along a subgroup chain: Clausen's `S_n > S_{n−1} > …` in Young's form
    /// ([`super::SymmetricFft`]), or any chain in adapted irreps ([`super::ChainFft`]; the
    /// planner's choice for permutation groups where it is cheap).
    ChainFft,
    /// One dense Fourier matrix over irreps of the given construction ([`super::DenseFourier`]).
    Dense(IrrepConstruction),
    /// The direct sums over irreps of the given construction ([`super::NaiveFourier`]).
    Naive(IrrepConstruction),
}

impl PlanKind {
    /// The algorithm's short name: `"abelian-fft"`, `"dihedral-fft"`, `"separable"`,
    /// `"induced-fft"`, `"chain-fft"`, `"dense"` or `"naive"`.
    pub fn algorithm(self) -> &'static str {
        match self {
            Self::AbelianFft => "abelian-fft",
            Self::DihedralFft => "dihedral-fft",
            Self::Separable => "separable",
            Self::InducedFft => "induced-fft",
            Self::ChainFft => "chain-fft",
            Self::Dense(_) => "dense",
            Self::Naive(_) => "naive",
        }
    }
}

/// A planned group Fourier transform and its inverse, for one group and one fixed set of
/// irreps ([`FourierTransform::irreps`]; large plans materialise them only on request).
///
/// Convention: `f̂(ρ) = Σ_g f(g) ρ(g)` and `f(g) = (1/n) Σ_ρ d_ρ tr(ρ(g)* f̂(ρ))`. The
/// coefficients are laid out flat: irrep `k`'s block `f̂(ρ_k)` row-major at
/// [`Irreps::offset`]`(k)`, `n` complex numbers in all.
pub trait FourierTransform: Send + Sync {
    /// The layout of the coefficients (the irreps' degrees and block offsets).
    fn layout(&self) -> &CoefficientLayout;
    /// The irreps whose coefficients the transform computes, in layout order (built on first
    /// request by plans that do not need them explicitly: `O(n · Σ d²)` memory).
    fn irreps(&self) -> Arc<Irreps>;
    /// What the plan is (its algorithm and irreps construction).
    fn kind(&self) -> PlanKind;
    /// A short name of the algorithm (e.g. `"abelian-fft"`, `"dense"`): that of
    /// [`FourierTransform::kind`].
    fn algorithm(&self) -> &'static str {
        self.kind().algorithm()
    }
    /// The scratch length `*_with_scratch` need.
    fn scratch_len(&self) -> usize;
    /// `output = f̂` for `input = f` (both of length `n`), using `scratch`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if a buffer has the wrong length.
    fn forward_with_scratch(
        &self,
        input: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()>;
    /// `output = f` for `coeffs = f̂` (both of length `n`), using `scratch`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if a buffer has the wrong length.
    fn inverse_with_scratch(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()>;

    /// The scratch length the in-place methods need (by default `n` more than
    /// [`FourierTransform::scratch_len`]).
    fn inplace_scratch_len(&self) -> usize {
        self.len() + self.scratch_len()
    }
    /// `buf ← f̂` for `buf = f`, in place.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `buf.len() != n` or `scratch` is too short.
    fn forward_inplace(&self, buf: &mut [Complex64], scratch: &mut [Complex64]) -> Result<()> {
        let n = self.len();
        check_buffers(n, buf, buf, scratch, self.inplace_scratch_len())?;
        let (tmp, rest) = scratch.split_at_mut(n);
        tmp.copy_from_slice(buf);
        self.forward_with_scratch(tmp, buf, rest)
    }
    /// `buf ← f` for `buf = f̂`, in place.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `buf.len() != n` or `scratch` is too short.
    fn inverse_inplace(&self, buf: &mut [Complex64], scratch: &mut [Complex64]) -> Result<()> {
        let n = self.len();
        check_buffers(n, buf, buf, scratch, self.inplace_scratch_len())?;
        let (tmp, rest) = scratch.split_at_mut(n);
        tmp.copy_from_slice(buf);
        self.inverse_with_scratch(tmp, buf, rest)
    }

    /// `buf ← n·f` for `buf = f̂`, in place: the inverse without its `1/n` (which callers may fold
    /// into an earlier pass). By default the inverse rescaled; plans whose inverse is an
    /// unnormalised DFT override it to skip both scalings.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `buf.len() != n` or `scratch` is too short.
    fn inverse_unnormalized_inplace(
        &self,
        buf: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        self.inverse_inplace(buf, scratch)?;
        let n = self.len() as f64;
        buf.iter_mut().for_each(|z| *z *= n);
        Ok(())
    }

    /// The group order `n` (the length of signals and of coefficient vectors).
    fn len(&self) -> usize {
        self.layout().order()
    }
    /// Always false: a group has at least one element.
    fn is_empty(&self) -> bool {
        false
    }
    /// The Fourier coefficients `f̂` of `f`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `f.len() != n`.
    fn forward(&self, f: &[Complex64]) -> Result<Vec<Complex64>> {
        let mut out = vec![Complex64::default(); self.len()];
        let mut scratch = vec![Complex64::default(); self.scratch_len()];
        self.forward_with_scratch(f, &mut out, &mut scratch)?;
        Ok(out)
    }
    /// The function `f` with coefficients `coeffs`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `coeffs.len() != n`.
    fn inverse(&self, coeffs: &[Complex64]) -> Result<Vec<Complex64>> {
        let mut out = vec![Complex64::default(); self.len()];
        let mut scratch = vec![Complex64::default(); self.scratch_len()];
        self.inverse_with_scratch(coeffs, &mut out, &mut scratch)?;
        Ok(out)
    }
}

/// Checks the buffers of a `*_with_scratch` call.
pub(crate) fn check_buffers(
    n: usize,
    input: &[Complex64],
    output: &[Complex64],
    scratch: &[Complex64],
    scratch_len: usize,
) -> Result<()> {
    let check = |what: &str, expected: usize, got: usize, exact: bool| {
        let bad = if exact {
            got != expected
        } else {
            got < expected
        };
        if bad {
            Err(Error::ShapeMismatch {
                what: what.into(),
                expected,
                got,
            })
        } else {
            Ok(())
        }
    };
    check("Fourier transform input length", n, input.len(), true)?;
    check("Fourier transform output length", n, output.len(), true)?;
    check(
        "Fourier transform scratch length",
        scratch_len,
        scratch.len(),
        false,
    )
}

/// Runs `pass(level, src, dst)` for every level in turn, alternating the roles of `buf` and
/// `other` (the first pass reads `buf`); true when the last pass wrote `buf` (or there was
/// none). The ping-pong of the chain FFTs, whose levels each rewrite the whole vector.
pub(crate) fn ping_pong<L>(
    levels: impl Iterator<Item = L>,
    buf: &mut [Complex64],
    other: &mut [Complex64],
    mut pass: impl FnMut(L, &[Complex64], &mut [Complex64]),
) -> bool {
    let mut in_buf = true;
    for level in levels {
        if in_buf {
            pass(level, buf, other);
        } else {
            pass(level, other, buf);
        }
        in_buf = !in_buf;
    }
    in_buf
}
