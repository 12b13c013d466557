//! The pass between the two half-length FFTs of [`super::RealCyclicGm`] for even `n`: unpack
//! the real signal's spectrum from the packed one, multiply by the kernel's, pack the product.

use num_complex::Complex64;

/// Pairs of frequencies handled together, one SIMD lane each.
const LANES: usize = 8;

/// The coefficients of one block of [`LANES`] pairs `(k, h − k)`, structure of arrays:
/// `i W^k` and the multipliers at `k` and at `h − k`, real and imaginary parts apart.
#[derive(Debug, Clone, Default)]
struct Block {
    iw: [[f64; LANES]; 2],
    mk: [[f64; LANES]; 2],
    mj: [[f64; LANES]; 2],
}

/// For `z = DFT_h(x[2j] + i x[2j+1])` of a real signal `x` of length `n = 2h`, maps `z` in
/// place to `Z'/h` with `Z' = DFT_h(y[2j] + i y[2j+1])` for the real `y` whose spectrum is
/// `Y[k] = conj(F[k]) X[k]`, one pair of frequencies `(k, h − k)` at a time
/// (docs/theory/fourier.md, "Real data on Z_n"):
///
/// - `P[k] = (Z[k] + conj Z[h−k]) − i W^k (Z[k] − conj Z[h−k]) = 2X[k]`, `k = 0..=h`,
///   indices of `Z` mod `h`, `W = e^{−2πi/n}`;
/// - `Ŷ[k] = P[k] · m[k] = Y[k] / n` with `m[k] = conj(F[k]) / (2n)`;
/// - `Z'[k]/h = (Ŷ[k] + conj Ŷ[h−k]) + i conj(W^k) (Ŷ[k] − conj Ŷ[h−k])`.
///
/// Since `W^{h−k} = −conj(W^k)`, with `u = Z[k] + conj Z[h−k]` and
/// `t = i W^k (Z[k] − conj Z[h−k])` one has `P[k] = u − t` and `P[h−k] = conj(u + t)`; with
/// `p = Ŷ[k] + conj Ŷ[h−k]` and `s = i conj(W^k) (Ŷ[k] − conj Ŷ[h−k])`, `Z'[k]/h = p + s` and
/// `Z'[h−k]/h = conj(p − s)`: four complex products per pair. The pairs `k < h − k` run in
/// blocks of [`LANES`] with their coefficients stored as structure of arrays, so the
/// arithmetic vectorises.
#[derive(Debug, Clone)]
pub(crate) struct PackedSpectrum {
    h: usize,
    /// `m[0]`, `m[h]` (real).
    edges: [f64; 2],
    /// `(i W^{h/2}, m[h/2])` for even `h`: the frequency that pairs with itself.
    middle: Option<(Complex64, Complex64)>,
    /// The pairs `k = 1..=(h−1)/2`, in blocks (the last padded with zeros).
    blocks: Vec<Block>,
}

impl PackedSpectrum {
    /// The pass for `h ≥ 1` from the half spectrum `multipliers[k] = conj(F[k]) / (2n)`,
    /// `k = 0..=h`.
    ///
    /// # Panics
    /// If `multipliers.len() != h + 1`.
    pub(crate) fn new(h: usize, multipliers: &[Complex64]) -> Self {
        assert_eq!(multipliers.len(), h + 1, "a half spectrum");
        let n = 2 * h;
        let iw = |k: usize| {
            Complex64::i()
                * Complex64::from_polar(1.0, -std::f64::consts::TAU * k as f64 / n as f64)
        };
        let pairs = (h - 1) / 2;
        let mut blocks = vec![Block::default(); pairs.div_ceil(LANES)];
        for k in 1..=pairs {
            let (block, lane) = (&mut blocks[(k - 1) / LANES], (k - 1) % LANES);
            for (parts, value) in [
                (&mut block.iw, iw(k)),
                (&mut block.mk, multipliers[k]),
                (&mut block.mj, multipliers[h - k]),
            ] {
                parts[0][lane] = value.re;
                parts[1][lane] = value.im;
            }
        }
        Self {
            h,
            edges: [multipliers[0].re, multipliers[h].re],
            middle: h.is_multiple_of(2).then(|| (iw(h / 2), multipliers[h / 2])),
            blocks,
        }
    }

    /// Applies the pass to `z` (length `h`).
    ///
    /// # Panics
    /// If `z.len() != h`.
    #[inline(always)]
    pub(crate) fn apply(&self, z: &mut [Complex64]) {
        let h = self.h;
        assert_eq!(z.len(), h, "a packed spectrum");
        // k = 0 pairs Z[0] with itself: P[0] = 2(Re + Im), P[h] = 2(Re − Im), both real.
        let (re, im) = (z[0].re, z[0].im);
        let y0 = 2.0 * (re + im) * self.edges[0];
        let yh = 2.0 * (re - im) * self.edges[1];
        z[0] = Complex64::new(y0 + yh, y0 - yh);
        if let Some((iw, m)) = self.middle {
            let k = h / 2;
            let mut lanes = Lanes::default();
            lanes.load(0, z[k], z[k]);
            let block = Block {
                iw: splat(iw),
                mk: splat(m),
                mj: splat(m),
            };
            lanes.pair(&block);
            z[k] = lanes.k(0);
        }
        let pairs = (h - 1) / 2;
        for (b, block) in self.blocks.iter().enumerate() {
            let first = 1 + b * LANES;
            let count = LANES.min(pairs + 1 - first);
            let mut lanes = Lanes::default();
            for l in 0..count {
                lanes.load(l, z[first + l], z[h - first - l]);
            }
            lanes.pair(block);
            for l in 0..count {
                z[first + l] = lanes.k(l);
                z[h - first - l] = lanes.j(l);
            }
        }
    }
}

/// A complex number in every lane.
fn splat(value: Complex64) -> [[f64; LANES]; 2] {
    [[value.re; LANES], [value.im; LANES]]
}

/// [`LANES`] pairs `(a, b) = (Z[k], Z[h−k])` as structure of arrays, mapped in place to
/// `(Z'[k]/h, Z'[h−k]/h)`.
#[derive(Default)]
struct Lanes {
    ar: [f64; LANES],
    ai: [f64; LANES],
    br: [f64; LANES],
    bi: [f64; LANES],
}

impl Lanes {
    fn load(&mut self, lane: usize, a: Complex64, b: Complex64) {
        (self.ar[lane], self.ai[lane]) = (a.re, a.im);
        (self.br[lane], self.bi[lane]) = (b.re, b.im);
    }

    fn k(&self, lane: usize) -> Complex64 {
        Complex64::new(self.ar[lane], self.ai[lane])
    }

    fn j(&self, lane: usize) -> Complex64 {
        Complex64::new(self.br[lane], self.bi[lane])
    }

    /// The formulas of [`PackedSpectrum`], lane by lane.
    #[inline(always)]
    fn pair(&mut self, c: &Block) {
        for l in 0..LANES {
            let (ar, ai, br, bi) = (self.ar[l], self.ai[l], self.br[l], self.bi[l]);
            let (wr, wi) = (c.iw[0][l], c.iw[1][l]);
            // u = a + conj b, v = a − conj b, t = iW·v
            let (ur, ui) = (ar + br, ai - bi);
            let (vr, vi) = (ar - br, ai + bi);
            let (tr, ti) = (wr * vr - wi * vi, wr * vi + wi * vr);
            // P[k] = u − t, P[h−k] = conj(u + t); Ŷ = P·m
            let (pkr, pki) = (ur - tr, ui - ti);
            let (pjr, pji) = (ur + tr, -(ui + ti));
            let (mkr, mki, mjr, mji) = (c.mk[0][l], c.mk[1][l], c.mj[0][l], c.mj[1][l]);
            let (ykr, yki) = (pkr * mkr - pki * mki, pkr * mki + pki * mkr);
            let (yjr, yji) = (pjr * mjr - pji * mji, pjr * mji + pji * mjr);
            // p = Ŷk + conj Ŷj, q = Ŷk − conj Ŷj, s = i conj(W)·q = −conj(iW)·q
            let (pr, pi) = (ykr + yjr, yki - yji);
            let (qr, qi) = (ykr - yjr, yki + yji);
            let (sr, si) = (-wr * qr - wi * qi, -wr * qi + wi * qr);
            // Z'[k]/h = p + s, Z'[h−k]/h = conj(p − s)
            (self.ar[l], self.ai[l]) = (pr + sr, pi + si);
            (self.br[l], self.bi[l]) = (pr - sr, si - pi);
        }
    }
}
