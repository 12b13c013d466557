//! The Fourier backend for any finite group: block products with precomputed real irreps.

use super::{is_shared, BackendKind, ConvBackend, Registration};
use crate::lowering::Lowering;
use crate::Result;
use gm_algebra::FiniteGroup;
use tch::Tensor;

/// The GM convolution in the group Fourier domain, for any group (non-abelian included), in
/// real arithmetic.
///
/// With the real irreps `R` of the group (`gm_algebra::fourier::real_irreps`: real-type
/// irreps in orthogonal form, realifications of complex pairs and quaternionic irreps) and
/// `f̂(R) = Σ_g f(g)·R(g)`, the layer `y(g) = Σ_k w_k·x(g·s_k)` transforms to the block product
///
/// `ŷ(R) = x̂(R)·ŵ'(R)`, `ŵ'(R) = Σ_k w_k·R(s_k⁻¹)`
///
/// (substitute `u = g·s_k`: `Σ_g y(g)R(g) = Σ_u x(u)R(u) · Σ_k w_k R(s_k⁻¹)`), and
/// `y(g) = Σ_R c_R tr(R(g)ᵀ ŷ(R))`. Real irreps of one dimension `D` are stacked, so the
/// products are one batched `D×D` product per distinct dimension; the two transforms are dense
/// `(n, Σ D²)` real matrix products, precomputed once in f64 on the layer's device and cast
/// to the activations' dtype on use.
#[derive(Debug)]
pub struct IrrepBackend {
    /// Per distinct real dimension `D`: the stacked transforms.
    blocks: Vec<Block>,
}

/// The `m` real irreps of one dimension `d`, in the unitary normalisation (each transform
/// scaled by `√c_j`, so coefficients stay of the size of the inputs — needed in fp16):
/// `phi[g, (j,p,q)] = √c_j·R_j(g)[p,q]`, `psi = phiᵀ`, and the kernel transform
/// `kernel[k, (j,p,q)] = R_j(s_k⁻¹)[p,q]`; then `y = ((x·phi) ⊙_blocks (w·kernel))·psi`.
#[derive(Debug)]
struct Block {
    d: i64,
    m: i64,
    phi: Tensor,
    psi: Tensor,
    kernel: Tensor,
}

impl IrrepBackend {
    /// The backend for `lowering`, with the real irreps of its group.
    ///
    /// # Errors
    /// [`crate::NnError::Algebra`] when the irreps cannot be built (e.g. a group too large
    /// for the numerical construction).
    pub fn new(lowering: &Lowering) -> Result<Self> {
        let group = lowering.group();
        let n = group.order();
        let complex = gm_algebra::fourier::irreps(group)?;
        let real = gm_algebra::fourier::real_irreps(&complex)?;
        let mut dims: Vec<usize> = real.iter().map(|r| r.dim()).collect();
        dims.sort_unstable();
        dims.dedup();
        let device = lowering.device();
        let inverse_support: Vec<usize> = lowering
            .support()
            .iter()
            .map(|&s| group.inv_idx(s))
            .collect();
        let k = inverse_support.len();
        let mut blocks = Vec::new();
        for d in dims {
            let members: Vec<_> = real.iter().filter(|r| r.dim() == d).collect();
            let width = members.len() * d * d;
            let mut phi = vec![0f64; n * width];
            let mut psi = vec![0f64; width * n];
            let mut kernel = vec![0f64; k * width];
            for (j, r) in members.iter().enumerate() {
                let scale = r.weight().sqrt();
                for p in 0..d {
                    for q in 0..d {
                        let col = (j * d + p) * d + q;
                        for g in 0..n {
                            let v = scale * r.matrix(g)[(p, q)];
                            phi[g * width + col] = v;
                            psi[col * n + g] = v;
                        }
                        for (row, &s) in inverse_support.iter().enumerate() {
                            kernel[row * width + col] = r.matrix(s)[(p, q)];
                        }
                    }
                }
            }
            let tensor = |v: &[f64], rows: usize, cols: usize| -> Result<Tensor> {
                Ok(Tensor::f_from_slice(v)?
                    .f_view([rows as i64, cols as i64])?
                    .f_to_device(device)?)
            };
            blocks.push(Block {
                d: d as i64,
                m: members.len() as i64,
                phi: tensor(&phi, n, width)?,
                psi: tensor(&psi, width, n)?,
                kernel: tensor(&kernel, k, width)?,
            });
        }
        Ok(Self { blocks })
    }
}

/// The largest group order for which the irreps backend is a candidate (its transforms are
/// dense `n × n` real matrices).
pub const IRREP_LIMIT: usize = 1024;

/// The irreps backend applies up to [`IRREP_LIMIT`]. Cost: the channel sum, two dense real
/// transforms of width `W = Σ D²` (taken as `2n`: real irreps of complex type are
/// realified), the kernel transform and the block products.
pub(super) const REGISTRATION: Registration = Registration {
    kind: BackendKind::Irreps,
    name: "irreps",
    applies: |l| l.order() <= IRREP_LIMIT,
    cost: |t| {
        let width = 2.0 * t.n;
        t.channel_sum
            + t.p.gemm * t.n * width * (t.b * t.ci + t.b * t.o)
            + t.p.gemm * t.o * t.ci * t.k * width
            + 2.0 * t.p.gemm * t.b * t.o * t.ci * width * t.n.sqrt()
    },
    build: |l| Ok(Box::new(IrrepBackend::new(l)?)),
};

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
        let kind = x.kind();
        let mut y: Option<Tensor> = None;
        for Block {
            d,
            m,
            phi,
            psi,
            kernel,
        } in &self.blocks
        {
            let x_hat = input
                .f_matmul(&phi.f_to_kind(kind)?)?
                .f_view([b, ci, *m, *d, *d])?;
            let w_hat = weight
                .f_matmul(&kernel.f_to_kind(kind)?)?
                .f_view([o, ci, *m, *d, *d])?;
            let y_hat = Tensor::f_einsum("bimpq,oimqr->bompr", &[&x_hat, &w_hat], None::<&[i64]>)?
                .f_reshape([b, o, -1])?;
            let part = y_hat.f_matmul(&psi.f_to_kind(kind)?)?;
            y = Some(match y {
                Some(acc) => acc.f_add(&part)?,
                None => part,
            });
        }
        Ok(y.map_or_else(|| Tensor::f_zeros([b, o, n], (kind, x.device())), Ok)?)
    }
}
