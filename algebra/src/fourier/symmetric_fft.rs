//! Clausen's subgroup-chain FFT of the symmetric group along `S_n > S_{n−1} > … > S_1`.

use super::symmetric::{stored_young_irreps, young_generator_images, YoungImages};
use super::transform::{self, check_buffers};
use super::{CoefficientLayout, FourierTransform, FsType, Irreps, PlanKind};
use crate::group::{Group, Permutation, Symmetric};
use crate::Result;
use num_complex::Complex64;
use std::sync::{Arc, OnceLock};

/// The Young irreps of `S_k` with their block offsets in the coefficient layouts of `S_k`
/// and of `S_{k−1}`.
#[derive(Debug)]
struct Level {
    k: usize,
    irreps: Vec<YoungImages>,
    offsets: Vec<usize>,
    sub_offsets: Vec<usize>,
}

/// The Fourier transform of `S_n` in Young's orthogonal form
/// ([`super::young_generator_images`]) by Clausen's recursion over the cosets of `S_{n−1}`.
///
/// With the coset representatives `c_j = s_j s_{j+1} ⋯ s_{n−2}` (the cycle sending `n−1` to `j`,
/// 0-based points), `S_n = ⊔_j c_j S_{n−1}` and, since the basis is adapted to the chain,
/// `f̂(λ) = Σ_j ρ_λ(c_j) · ⊕_{μ ⊂ λ} f̂_j(μ)` with `f_j(h) = f(c_j h)` on `S_{n−1}`. Each
/// `ρ_λ(c_j)` is applied as `n−1−j` sparse matrices (two non-zeros per row), so one level costs
/// `k(k−1)·k!` real-by-complex products and the whole transform about `n³/3 · n!`, against `(n!)²`
/// for the dense transform. The inverse runs the transposed recursion:
/// `f(c_j h) = (1/n!) Σ_μ tr(ρ_μ(h)ᵀ Σ_{λ ⊃ μ} d_λ [ρ_λ(c_j)ᵀ f̂(λ)]_{μμ})`.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{young_orthogonal_irreps, FourierTransform, NaiveFourier, SymmetricFft};
/// use gm_algebra::group::Symmetric;
/// use num_complex::Complex64;
/// use std::sync::Arc;
/// let s4 = Symmetric::new(4).unwrap();
/// let fft = SymmetricFft::new(s4).unwrap();
/// let naive = NaiveFourier::new(Arc::new(young_orthogonal_irreps(&s4).unwrap()));
/// let f: Vec<Complex64> = (0..24).map(|k| Complex64::new(k as f64, 1.0)).collect();
/// let (a, b) = (fft.forward(&f).unwrap(), naive.forward(&f).unwrap());
/// assert!(a.iter().zip(&b).all(|(x, y)| (x - y).norm() < 1e-10));
/// ```
pub struct SymmetricFft {
    group: Symmetric,
    /// `levels[k − 2]` combines transforms on `S_{k−1}` into one on `S_k`, `k = 2..=n`.
    levels: Vec<Level>,
    layout: CoefficientLayout,
    /// The group index of the element at each position of the chain order.
    chain_to_index: Vec<usize>,
    /// The largest degree, which sizes the two temporary blocks.
    max_dim: usize,
    irreps: OnceLock<Arc<Irreps>>,
}

impl std::fmt::Debug for SymmetricFft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SymmetricFft(S{})", self.group.degree())
    }
}

impl SymmetricFft {
    /// Plans the transform of `S_n`: the generator images of every level and the chain order
    /// of the elements (`O(n · n!)` time, `n!` indices).
    ///
    /// # Errors
    /// Those of [`super::young_generator_images`] (`n` above
    /// [`super::YOUNG_IMAGES_DEGREE_LIMIT`]).
    pub fn new(group: Symmetric) -> Result<Self> {
        let n = group.degree();
        let mut levels = Vec::new();
        let mut sub_offsets = vec![0];
        for k in 2..=n {
            let irreps = young_generator_images(k)?;
            let offsets = block_offsets(&irreps);
            levels.push(Level {
                k,
                irreps,
                offsets: offsets.clone(),
                sub_offsets,
            });
            sub_offsets = offsets;
        }
        let top = young_generator_images(n)?;
        let dims: Vec<usize> = top.iter().map(YoungImages::dim).collect();
        let max_dim = dims.iter().copied().max().unwrap_or(1);
        let layout = CoefficientLayout::new(dims.clone(), vec![FsType::Real; dims.len()]);
        Ok(Self {
            chain_to_index: chain_order(&group),
            group,
            levels,
            layout,
            max_dim,
            irreps: OnceLock::new(),
        })
    }

    /// The group.
    pub fn group(&self) -> &Symmetric {
        &self.group
    }

    /// The group index of the element at each position of the chain order: position
    /// `j·(n−1)! + p` holds `c_j h` for the element `h` at position `p` of `S_{n−1}`'s order.
    pub fn chain_order(&self) -> &[usize] {
        &self.chain_to_index
    }

    /// The two temporary blocks and the ping-pong buffer, cut from `scratch`.
    fn split_scratch<'a>(
        &self,
        scratch: &'a mut [Complex64],
    ) -> (
        &'a mut [Complex64],
        &'a mut [Complex64],
        &'a mut [Complex64],
    ) {
        let dd = self.max_dim * self.max_dim;
        let (t1, rest) = scratch.split_at_mut(dd);
        let (t2, rest) = rest.split_at_mut(dd);
        (t1, t2, &mut rest[..self.layout.order()])
    }

    /// `coeffs → n!·f` in chain order (`buf` holds the coefficients on entry, the values on
    /// exit; `other` is the ping-pong buffer).
    fn inverse_chain(
        &self,
        buf: &mut [Complex64],
        other: &mut [Complex64],
        t1: &mut [Complex64],
        t2: &mut [Complex64],
    ) -> bool {
        for (k, &d) in self.layout.dims().iter().enumerate() {
            let block = &mut buf[self.layout.offset(k)..][..d * d];
            block.iter_mut().for_each(|z| *z *= d as f64);
        }
        ping_pong(self.levels.iter().rev(), buf, other, t1, t2, split)
    }
}

/// One step of a level on one chunk: `(level, k, src, dst, t1, t2)`.
type Step = fn(&Level, usize, &[Complex64], &mut [Complex64], &mut [Complex64], &mut [Complex64]);

/// Runs `step` on every `k!`-chunk of every level in turn, alternating between `buf` and
/// `other`; true when the result ends in `buf`.
fn ping_pong<'a>(
    levels: impl Iterator<Item = &'a Level>,
    buf: &mut [Complex64],
    other: &mut [Complex64],
    t1: &mut [Complex64],
    t2: &mut [Complex64],
    step: Step,
) -> bool {
    transform::ping_pong(levels, buf, other, |level, src, dst| {
        let size: usize = (1..=level.k).product();
        for (s, d) in src.chunks_exact(size).zip(dst.chunks_exact_mut(size)) {
            step(level, level.k, s, d, t1, t2);
        }
    })
}

/// The offsets of the blocks of irreps of the given degrees in a flat coefficient vector.
fn block_offsets(irreps: &[YoungImages]) -> Vec<usize> {
    let mut at = 0;
    irreps
        .iter()
        .map(|r| {
            let o = at;
            at += r.dim() * r.dim();
            o
        })
        .collect()
}

/// The group indices of `S_n`'s elements in chain order.
fn chain_order(group: &Symmetric) -> Vec<usize> {
    let n = group.degree();
    // Images of the elements of S_k (on the points 0..k), in chain order, for k = 1..=n.
    let mut perms: Vec<Vec<u8>> = vec![vec![0]];
    for k in 2..=n {
        let mut next = Vec::with_capacity(perms.len() * k);
        for j in 0..k {
            // c_j: k−1 ↦ j, x ↦ x + 1 for j ≤ x < k−1, other points fixed.
            let c = |x: u8| match x as usize {
                x if x == k - 1 => j as u8,
                x if x >= j => (x + 1) as u8,
                x => x as u8,
            };
            for h in &perms {
                next.push(
                    h.iter()
                        .map(|&x| c(x))
                        .chain(std::iter::once(c((k - 1) as u8)))
                        .collect(),
                );
            }
        }
        perms = next;
    }
    perms
        .into_iter()
        .map(|images| {
            let p = Permutation::from_images(images.into_iter().map(usize::from).collect())
                .expect("a permutation in chain order");
            group.index(&p)
        })
        .collect()
}

/// Copies the sub-transforms `part` (layout of `S_{k−1}`) into the block-diagonal `out`
/// (`d × d`, row-major) along `λ`'s branches.
fn block_diagonal(level: &Level, irrep: &YoungImages, part: &[Complex64], out: &mut [Complex64]) {
    let d = irrep.dim();
    out.fill(Complex64::default());
    for b in irrep.branches() {
        let so = level.sub_offsets[b.sub_irrep];
        for r in 0..b.dim {
            out[(b.offset + r) * d + b.offset..][..b.dim]
                .copy_from_slice(&part[so + r * b.dim..][..b.dim]);
        }
    }
}

/// One forward step on a chunk: `src` holds the `S_{k−1}` transforms of the `k` cosets
/// `c_j S_{k−1}`, `dst` receives the `S_k` transform.
fn combine(
    level: &Level,
    k: usize,
    src: &[Complex64],
    dst: &mut [Complex64],
    t1: &mut [Complex64],
    t2: &mut [Complex64],
) {
    let sub = src.len() / k;
    for (irrep, &off) in level.irreps.iter().zip(&level.offsets) {
        let d = irrep.dim();
        let out = &mut dst[off..][..d * d];
        out.fill(Complex64::default());
        for (j, part) in src.chunks_exact(sub).enumerate() {
            let (mut x, mut y) = (&mut t1[..d * d], &mut t2[..d * d]);
            block_diagonal(level, irrep, part, x);
            // ρ(c_j) = ρ(s_j) ⋯ ρ(s_{k−2}): the rightmost factor first.
            for s in irrep.generators()[j..k - 1].iter().rev() {
                s.apply_rows(x, y, d);
                std::mem::swap(&mut x, &mut y);
            }
            out.iter_mut().zip(x.iter()).for_each(|(o, v)| *o += v);
        }
    }
}

/// One inverse step on a chunk (the transpose of [`combine`]): `src` holds the `S_k`
/// coefficients, each block already weighted by its degree; `dst` receives, per coset
/// `c_j S_{k−1}`, the weighted `S_{k−1}` coefficients `Σ_{λ ⊃ μ} [ρ_λ(c_j)ᵀ src(λ)]_{μμ}`.
fn split(
    level: &Level,
    k: usize,
    src: &[Complex64],
    dst: &mut [Complex64],
    t1: &mut [Complex64],
    t2: &mut [Complex64],
) {
    let sub = dst.len() / k;
    dst.fill(Complex64::default());
    for (irrep, &off) in level.irreps.iter().zip(&level.offsets) {
        let d = irrep.dim();
        for (j, part) in dst.chunks_exact_mut(sub).enumerate() {
            let (mut x, mut y) = (&mut t1[..d * d], &mut t2[..d * d]);
            x.copy_from_slice(&src[off..][..d * d]);
            // ρ(c_j)ᵀ = ρ(s_{k−2}) ⋯ ρ(s_j): s_j first.
            for s in &irrep.generators()[j..k - 1] {
                s.apply_rows(x, y, d);
                std::mem::swap(&mut x, &mut y);
            }
            for b in irrep.branches() {
                let so = level.sub_offsets[b.sub_irrep];
                for r in 0..b.dim {
                    let row = &x[(b.offset + r) * d + b.offset..][..b.dim];
                    part[so + r * b.dim..][..b.dim]
                        .iter_mut()
                        .zip(row)
                        .for_each(|(p, v)| *p += v);
                }
            }
        }
    }
}

impl FourierTransform for SymmetricFft {
    fn layout(&self) -> &CoefficientLayout {
        &self.layout
    }
    /// The Young irreps with every matrix stored (`n · n!` complex numbers: 406 MB for `S_7`).
    fn irreps(&self) -> Arc<Irreps> {
        Arc::clone(self.irreps.get_or_init(|| {
            Arc::new(stored_young_irreps(&self.group).expect("planned for this degree"))
        }))
    }
    fn kind(&self) -> PlanKind {
        PlanKind::ChainFft
    }
    fn scratch_len(&self) -> usize {
        2 * self.max_dim * self.max_dim + self.layout.order()
    }
    fn forward_with_scratch(
        &self,
        input: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_buffers(
            self.layout.order(),
            input,
            output,
            scratch,
            self.scratch_len(),
        )?;
        let (t1, t2, other) = self.split_scratch(scratch);
        for (o, &g) in output.iter_mut().zip(&self.chain_to_index) {
            *o = input[g];
        }
        if !ping_pong(self.levels.iter(), output, other, t1, t2, combine) {
            output.copy_from_slice(other);
        }
        Ok(())
    }
    fn inverse_with_scratch(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        let n = self.layout.order();
        check_buffers(n, coeffs, output, scratch, self.scratch_len())?;
        let (t1, t2, other) = self.split_scratch(scratch);
        other.copy_from_slice(coeffs);
        if !self.inverse_chain(other, output, t1, t2) {
            other.copy_from_slice(output);
        }
        // `other` holds n!·f in chain order.
        let scale = 1.0 / n as f64;
        for (&v, &g) in other.iter().zip(&self.chain_to_index) {
            output[g] = v * scale;
        }
        Ok(())
    }
}
