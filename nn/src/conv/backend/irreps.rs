//! The Fourier backend for any finite group: block products with precomputed irreps.

use super::{is_shared, BackendKind, ConvBackend};
use crate::lowering::Lowering;
use crate::Result;
use gm_algebra::FiniteGroup;
use tch::{Kind, Tensor};

/// The GM convolution in the group Fourier domain, for any group (non-abelian included).
///
/// With `f̂(ρ) = Σ_g f(g)·ρ(g)` for unitary irreps `ρ` (from `gm_algebra::fourier::irreps`),
/// the layer `y(g) = Σ_k w_k·x(g·s_k)` transforms to the block product
///
/// `ŷ(ρ) = x̂(ρ)·ŵ'(ρ)`, `ŵ'(ρ) = Σ_k w_k·ρ(s_k⁻¹)`
///
/// (substitute `u = g·s_k`: `Σ_g y(g)ρ(g) = Σ_u x(u)ρ(u) · Σ_k w_k ρ(s_k⁻¹)`), and
/// `y(g) = (1/n) Σ_ρ d_ρ tr(ρ(g)*·ŷ(ρ))`. Irreps of one dimension `d` are stacked, so the
/// products are one batched `d×d` GEMM per distinct dimension; the two transforms are dense
/// `(n, Σd²)` matrix products (precomputed once, on the layer's device). Complex arithmetic
/// (unitary irreps, whatever their Frobenius–Schur type); the output is the real part.
#[derive(Debug)]
pub struct IrrepBackend {
    /// Per distinct dimension `d`: (d, m irreps, Φ `(n, m·d·d)`, Ψ `(m·d·d, n)`), complex.
    blocks: Vec<(i64, i64, Tensor, Tensor)>,
    inverse_support: Tensor,
}

impl IrrepBackend {
    /// The backend for `lowering`, with the irreps of its group.
    ///
    /// # Errors
    /// [`crate::NnError::Algebra`] when the irreps cannot be built (e.g. a group too large
    /// for the numerical construction).
    pub fn new(lowering: &Lowering) -> Result<Self> {
        let group = lowering.group();
        let n = group.order();
        let irreps = gm_algebra::fourier::irreps(group)?;
        let mut dims: Vec<usize> = irreps.irreps().iter().map(|r| r.dim()).collect();
        dims.sort_unstable();
        dims.dedup();
        let device = lowering.device();
        let mut blocks = Vec::new();
        for d in dims {
            let members: Vec<_> = irreps.irreps().iter().filter(|r| r.dim() == d).collect();
            let m = members.len();
            let width = m * d * d;
            let (mut re, mut im) = (vec![0f64; n * width], vec![0f64; n * width]);
            for g in 0..n {
                for (j, irrep) in members.iter().enumerate() {
                    let rho = irrep.rep().matrix(g);
                    for p in 0..d {
                        for q in 0..d {
                            let at = g * width + (j * d + p) * d + q;
                            re[at] = rho[(p, q)].re;
                            im[at] = rho[(p, q)].im;
                        }
                    }
                }
            }
            let shape = [n as i64, width as i64];
            let phi = Tensor::f_complex(
                &Tensor::f_from_slice(&re)?.f_view(shape)?,
                &Tensor::f_from_slice(&im)?.f_view(shape)?,
            )?;
            let psi = phi
                .f_conj()?
                .f_transpose(0, 1)?
                .f_mul_scalar(d as f64 / n as f64)?;
            blocks.push((
                d as i64,
                m as i64,
                phi.f_to_device(device)?,
                psi.f_resolve_conj()?.f_contiguous()?.f_to_device(device)?,
            ));
        }
        let inverse: Vec<i64> = lowering
            .support()
            .iter()
            .map(|&s| group.inv_idx(s) as i64)
            .collect();
        Ok(Self {
            blocks,
            inverse_support: Tensor::f_from_slice(&inverse)?.f_to_device(device)?,
        })
    }
}

/// The complex kind matching a real one.
fn complex_of(kind: Kind) -> Kind {
    match kind {
        Kind::Double => Kind::ComplexDouble,
        Kind::Half => Kind::ComplexHalf,
        _ => Kind::ComplexFloat,
    }
}

impl ConvBackend for IrrepBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Irreps
    }

    fn forward(&self, x: &Tensor, weight: &Tensor) -> Result<Tensor> {
        let (b, _, n) = x.size3()?;
        let (o, ci, _) = weight.size3()?;
        let input = if is_shared(weight)? {
            x.f_sum_dim_intlist(1i64, true, None)?
        } else {
            x.shallow_clone()
        };
        let ck = complex_of(x.kind());
        let input = input.f_to_kind(ck)?;
        let w = weight.f_to_kind(ck)?;
        let mut y = Tensor::f_zeros([b, o, n], (x.kind(), x.device()))?;
        for (d, m, phi, psi) in &self.blocks {
            let (phi, psi) = (phi.f_to_kind(ck)?, psi.f_to_kind(ck)?);
            let x_hat = input.f_matmul(&phi)?.f_view([b, ci, *m, *d, *d])?;
            let w_hat = w
                .f_matmul(&phi.f_index_select(0, &self.inverse_support)?)?
                .f_view([o, ci, *m, *d, *d])?;
            let y_hat = Tensor::f_einsum("bimpq,oimqr->bompr", &[&x_hat, &w_hat], None::<&[i64]>)?
                .f_reshape([b, o, -1])?;
            y = y.f_add(&y_hat.f_matmul(&psi)?.f_real()?)?;
        }
        Ok(y)
    }
}
