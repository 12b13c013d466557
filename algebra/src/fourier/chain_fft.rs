//! The subgroup-chain FFT (Clausen; Maslen–Rockmore) of any group given with a chain
//! `G = G_0 > G_1 > … > G_k = {e}`, in irreps adapted to the chain
//! (`docs/theory/chain-fft.md`).

use super::adapted_irreps::{adapt_chain, trivial_irreps, AdaptedLevel};
use super::transform::{check_buffers, ping_pong};
use super::{Branch, CoefficientLayout, FourierTransform, Irreps, PlanKind};
use crate::group::SubgroupChain;
use crate::{FiniteGroup, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;
use std::sync::Arc;

/// The irreps a [`ChainFft`] computes coefficients for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChainBasis {
    /// The adapted irreps `ρ'` themselves ([`super::IrrepConstruction::Adapted`]): `ρ'|_{G_1}`
    /// is a block sum of `G_1`'s adapted irreps ([`ChainFft::branches`]). No final change of
    /// basis; an irrep of real type is stored complex when its restriction has complex blocks.
    Adapted,
    /// The irreps `ρ = U ρ' U*` the adaptation started from, [`super::numerical_irreps`] of
    /// `G`, with every irrep of real type in real orthogonal form as elsewhere in the crate
    /// (what [`super::real_irreps`] needs): one change of basis `f̂(ρ) = U f̂(ρ') U*` per
    /// irrep at the end (`2 Σ d³` operations). The planner's choice, so a group's irreps are
    /// the same whichever plan it gets.
    #[default]
    RealForm,
}

/// One step `G_i > G_{i+1}` of the recursion.
#[derive(Debug)]
struct ChainStep {
    /// `|G_i|`, the chunk the step rewrites.
    order: usize,
    /// `|G_{i+1}|`.
    sub_order: usize,
    /// The degrees and block offsets of `G_i`'s adapted irreps.
    dims: Vec<usize>,
    offsets: Vec<usize>,
    /// The block offsets of `G_{i+1}`'s adapted irreps.
    sub_offsets: Vec<usize>,
    /// Per irrep, the blocks of its restriction to `G_{i+1}`.
    branches: Vec<Vec<Branch>>,
    /// Per irrep, `ρ'(t)` for every `t ∈ T_i` in order, each row-major `d × d`.
    images: Vec<Vec<Complex64>>,
}

impl ChainStep {
    fn new(chain: &SubgroupChain, i: usize, level: &AdaptedLevel, sub_offsets: Vec<usize>) -> Self {
        let members = chain.subgroup(i).members();
        let dims = level.start().dims().to_vec();
        let images = (0..dims.len())
            .map(|k| {
                chain
                    .transversal(i)
                    .iter()
                    .flat_map(|t| {
                        let x = members.binary_search(t).expect("T_i ⊂ G_i");
                        level.matrix(k, x).transpose().as_slice().to_vec()
                    })
                    .collect()
            })
            .collect();
        Self {
            order: chain.subgroup(i).order(),
            sub_order: chain.subgroup(i + 1).order(),
            offsets: (0..dims.len()).map(|k| level.start().offset(k)).collect(),
            branches: (0..dims.len())
                .map(|k| level.branches(k).to_vec())
                .collect(),
            dims,
            sub_offsets,
            images,
        }
    }

    /// Complex multiply–adds of one step on one chunk: `|T_i| · Σ_ρ d_ρ Σ_b e_b²`.
    fn operations(&self) -> u64 {
        let index = (self.order / self.sub_order) as u64;
        let per_coset: u64 = self
            .dims
            .iter()
            .zip(&self.branches)
            .map(|(&d, bs)| d as u64 * bs.iter().map(|b| (b.dim * b.dim) as u64).sum::<u64>())
            .sum();
        index * per_coset
    }

    /// Forward on one chunk: `src` holds the `G_{i+1}` transforms of `f_j(h) = f(t_j h)`, one
    /// per coset; `dst` receives `f̂(ρ') = Σ_j ρ'(t_j) · ⊕_b f̂_j(σ_b)`.
    fn combine(&self, src: &[Complex64], dst: &mut [Complex64]) {
        for (k, &d) in self.dims.iter().enumerate() {
            let out = &mut dst[self.offsets[k]..][..d * d];
            out.fill(Complex64::default());
            for (image, part) in self.images[k]
                .chunks_exact(d * d)
                .zip(src.chunks_exact(self.sub_order))
            {
                for b in &self.branches[k] {
                    let (o, e) = (b.offset, b.dim);
                    let sub = &part[self.sub_offsets[b.sub_irrep]..][..e * e];
                    for (arow, orow) in image.chunks_exact(d).zip(out.chunks_exact_mut(d)) {
                        let orow = &mut orow[o..o + e];
                        for (&x, srow) in arow[o..o + e].iter().zip(sub.chunks_exact(e)) {
                            if x != Complex64::default() {
                                orow.iter_mut().zip(srow).for_each(|(y, &s)| *y += x * s);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Inverse on one chunk (the adjoint recursion): `src` holds weighted coefficients `W(ρ')`
    /// of `G_i`; `dst` receives per coset `W_j(σ) = Σ_{(ρ, b): σ_b = σ} [ρ'(t_j)* W(ρ')]_{bb}`.
    fn split(&self, src: &[Complex64], dst: &mut [Complex64]) {
        dst.fill(Complex64::default());
        for (k, &d) in self.dims.iter().enumerate() {
            let w = &src[self.offsets[k]..][..d * d];
            for (image, part) in self.images[k]
                .chunks_exact(d * d)
                .zip(dst.chunks_exact_mut(self.sub_order))
            {
                for b in &self.branches[k] {
                    let (o, e) = (b.offset, b.dim);
                    let sub = &mut part[self.sub_offsets[b.sub_irrep]..][..e * e];
                    for (arow, wrow) in image.chunks_exact(d).zip(w.chunks_exact(d)) {
                        let wrow = &wrow[o..o + e];
                        for (&x, srow) in arow[o..o + e].iter().zip(sub.chunks_exact_mut(e)) {
                            if x != Complex64::default() {
                                let x = x.conj();
                                srow.iter_mut().zip(wrow).for_each(|(y, &v)| *y += x * v);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The Fourier transform of a group along a [`SubgroupChain`] `G = G_0 > … > G_k = {e}`, in
/// irreps adapted to the chain (Clausen; Maslen–Rockmore).
///
/// Each irrep `ρ'` of `G_i` is put in a basis where `ρ'(h) = ⊕_b σ_b(h)` for `h ∈ G_{i+1}`, the
/// `σ_b` being `G_{i+1}`'s adapted irreps exactly ([`ChainFft::branches`]). With the left
/// transversal `T_i`, `G_i = ⊔_j t_j G_{i+1}` and
///
/// `f̂(ρ') = Σ_j ρ'(t_j) · ⊕_b f̂_j(σ_b)`,  `f_j(h) = f(t_j h)` on `G_{i+1}`,
///
/// so the transform of `G` is assembled from those of the cosets of `G_1`, recursively down to
/// the trivial group: over the elements in chain order ([`SubgroupChain::chain_order`]), step
/// `i` rewrites every chunk of `|G_i|` positions at `|T_i| · Σ_ρ d_ρ Σ_b e_b²` complex
/// multiply–adds ([`ChainFft::operation_count`]), against `n²` for the dense transform. The
/// inverse runs the adjoint recursion from weighted coefficients `W(ρ') = (d_ρ/n) f̂(ρ')`:
/// `W_j(σ) = Σ_{(ρ, b): σ_b = σ} [ρ'(t_j)* W(ρ')]_{bb}`, down to `f` itself on the trivial group.
///
/// The adapted irreps are built level by level from [`super::numerical_irreps`] of each `G_i`
/// and validated (unitarity, the homomorphism law, the block structure); see [`ChainBasis`]
/// for the irreps the coefficients are given in.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{ChainBasis, ChainFft, FourierTransform, NaiveFourier};
/// use gm_algebra::group::{PermutationGroup, SubgroupChain};
/// use num_complex::Complex64;
/// // Z3 ≀ Z2 on {1,2,3} ⊔ {4,5,6}, order 18, along its stabiliser chain
/// let g = PermutationGroup::from_spec("(1,2,3);(1,4)(2,5)(3,6)").unwrap();
/// let fft = ChainFft::new(&g, SubgroupChain::stabiliser_chain(&g), ChainBasis::RealForm).unwrap();
/// let naive = NaiveFourier::new(fft.irreps());
/// let f: Vec<Complex64> = (0..18).map(|k| Complex64::new(k as f64, 1.0)).collect();
/// let (a, b) = (fft.forward(&f).unwrap(), naive.forward(&f).unwrap());
/// assert!(a.iter().zip(&b).all(|(x, y)| (x - y).norm() < 1e-10));
/// let back = fft.inverse(&a).unwrap();
/// assert!(back.iter().zip(&f).all(|(x, y)| (x - y).norm() < 1e-10));
/// ```
pub struct ChainFft {
    chain: SubgroupChain,
    basis: ChainBasis,
    /// `steps[i]` combines transforms on `G_{i+1}` into transforms on `G_i`.
    steps: Vec<ChainStep>,
    irreps: Arc<Irreps>,
    /// [`ChainBasis::RealForm`]: `U` per output irrep, `ρ = U ρ' U*`.
    changes: Option<Vec<DMatrix<Complex64>>>,
    chain_to_index: Vec<usize>,
}

impl std::fmt::Debug for ChainFft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ChainFft(n = {}, {} steps, {:?})",
            self.chain.group_order(),
            self.chain.len(),
            self.basis
        )
    }
}

impl ChainFft {
    /// Plans the transform of `g` along `chain` (a chain of `g`): adapted irreps of every
    /// level ([`super::numerical_irreps`] of each `G_i`, `O(Σ_i |G_i|²)` stored numbers),
    /// the images of the transversals and the chain order.
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `chain` was built in a group of another order;
    /// [`crate::Error::OverBudget`] when the irreps of the levels do not fit the memory budget;
    /// those of [`super::numerical_irreps`]; [`crate::Error::ChainAdaptation`] when an adapted
    /// irrep fails its checks.
    pub fn new<G: FiniteGroup + ?Sized>(
        g: &G,
        chain: SubgroupChain,
        basis: ChainBasis,
    ) -> Result<Self> {
        chain.check_group(g)?;
        let levels = adapt_chain(g, &chain)?;
        let mut sub_offsets = vec![0];
        let mut steps: Vec<ChainStep> = levels
            .iter()
            .enumerate()
            .rev()
            .map(|(i, level)| {
                let step = ChainStep::new(&chain, i, level, std::mem::take(&mut sub_offsets));
                sub_offsets.clone_from(&step.offsets);
                step
            })
            .collect();
        steps.reverse();
        let (irreps, changes) = match (levels.into_iter().next(), basis) {
            (None, _) => (trivial_irreps(), None),
            (Some(top), ChainBasis::Adapted) => (top.adapted_irreps(), None),
            (Some(top), ChainBasis::RealForm) => {
                let changes = (0..top.start().len())
                    .map(|k| top.change(k).clone())
                    .collect();
                (top.into_start(), Some(changes))
            }
        };
        Ok(Self {
            chain_to_index: chain.chain_order(g),
            chain,
            basis,
            steps,
            irreps: Arc::new(irreps),
            changes,
        })
    }

    /// The chain.
    pub fn chain(&self) -> &SubgroupChain {
        &self.chain
    }

    /// The irreps the coefficients are given in.
    pub fn basis(&self) -> ChainBasis {
        self.basis
    }

    /// The group index of the element at each position of the chain order
    /// ([`SubgroupChain::chain_order`]).
    pub fn chain_order(&self) -> &[usize] {
        &self.chain_to_index
    }

    /// The blocks of the restriction of the adapted irrep `ρ'_k` of `G` to `G_1`, each an
    /// adapted irrep of `G_1` (empty for the trivial group). With [`ChainBasis::Adapted`],
    /// `ρ'_k` is [`FourierTransform::irreps`]'s irrep `k`.
    ///
    /// # Panics
    /// If `k` is not an irrep index.
    pub fn branches(&self, k: usize) -> &[Branch] {
        self.steps.first().map_or(&[], |s| &s.branches[k])
    }

    /// The complex multiply–adds of one forward (or inverse) transform:
    /// `Σ_i (n/|G_i|)·|T_i|·Σ_ρ d_ρ Σ_b e_b²` over the steps, plus `2 Σ_ρ d_ρ³` for the change to
    /// [`ChainBasis::RealForm`]. The dense transform costs `n²`.
    pub fn operation_count(&self) -> u64 {
        let n = self.chain.group_order() as u64;
        let steps: u64 = self
            .steps
            .iter()
            .map(|s| n / s.order as u64 * s.operations())
            .sum();
        let change: u64 = match self.changes {
            Some(_) => self
                .irreps
                .dims()
                .iter()
                .map(|&d| 2 * (d as u64).pow(3))
                .sum(),
            None => 0,
        };
        steps + change
    }

    /// `buf ← U F U*` (or `U* F U` when `inverse`) on every block, for [`ChainBasis::RealForm`].
    fn change_basis(&self, buf: &mut [Complex64], inverse: bool) {
        let Some(changes) = &self.changes else {
            return;
        };
        let layout = self.irreps.layout();
        for (k, u) in changes.iter().enumerate() {
            let d = u.nrows();
            let block = &mut buf[layout.offset(k)..][..d * d];
            let f = DMatrix::from_row_slice(d, d, block);
            let r = if inverse {
                u.adjoint() * f * u
            } else {
                u * f * u.adjoint()
            };
            // `r` column-major is `rᵀ` row-major.
            block.copy_from_slice(r.transpose().as_slice());
        }
    }

    /// `output = scale · n · f` for `coeffs = f̂` (`scale = 1/n`: the inverse).
    fn inverse_scaled(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
        scale: f64,
    ) -> Result<()> {
        let n = self.len();
        check_buffers(n, coeffs, output, scratch, self.scratch_len())?;
        let other = &mut scratch[..n];
        other.copy_from_slice(coeffs);
        self.change_basis(other, true);
        let layout = self.irreps.layout();
        for (k, &d) in layout.dims().iter().enumerate() {
            let w = scale * d as f64;
            other[layout.offset(k)..][..d * d]
                .iter_mut()
                .for_each(|z| *z *= w);
        }
        sweep(self.steps.iter(), other, output, ChainStep::split);
        for (&v, &g) in other.iter().zip(&self.chain_to_index) {
            output[g] = v;
        }
        Ok(())
    }
}

/// Applies `pass` of each step in turn to every block of its size, ping-ponging between `buf`
/// and `other`; the result ends in `buf`.
fn sweep<'a>(
    steps: impl Iterator<Item = &'a ChainStep>,
    buf: &mut [Complex64],
    other: &mut [Complex64],
    pass: fn(&ChainStep, &[Complex64], &mut [Complex64]),
) {
    let in_buf = ping_pong(steps, buf, other, |step, src, dst| {
        for (s, d) in src
            .chunks_exact(step.order)
            .zip(dst.chunks_exact_mut(step.order))
        {
            pass(step, s, d);
        }
    });
    if !in_buf {
        buf.copy_from_slice(other);
    }
}

impl FourierTransform for ChainFft {
    fn layout(&self) -> &CoefficientLayout {
        self.irreps.layout()
    }
    fn irreps(&self) -> Arc<Irreps> {
        Arc::clone(&self.irreps)
    }
    fn kind(&self) -> PlanKind {
        PlanKind::ChainFft
    }
    fn scratch_len(&self) -> usize {
        self.len()
    }
    fn forward_with_scratch(
        &self,
        input: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        let n = self.len();
        check_buffers(n, input, output, scratch, self.scratch_len())?;
        let other = &mut scratch[..n];
        for (o, &g) in output.iter_mut().zip(&self.chain_to_index) {
            *o = input[g];
        }
        sweep(self.steps.iter().rev(), output, other, ChainStep::combine);
        self.change_basis(output, false);
        Ok(())
    }
    fn inverse_with_scratch(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        self.inverse_scaled(coeffs, output, scratch, 1.0 / self.len() as f64)
    }
    /// The adjoint recursion without the `1/n` (no rescaling pass).
    fn inverse_unnormalized_inplace(
        &self,
        buf: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        let n = self.len();
        check_buffers(n, buf, buf, scratch, self.inplace_scratch_len())?;
        let (tmp, rest) = scratch.split_at_mut(n);
        tmp.copy_from_slice(buf);
        self.inverse_scaled(tmp, buf, rest, 1.0)
    }
}
