//! The Fourier backend for abelian grids: torch FFT.

use super::{is_shared, BackendKind, ConvBackend, Registration};
use crate::lowering::{Lowering, TranslationGrid};
use crate::{NnError, Result};
use gm_algebra::FiniteGroup;
use tch::{Kind, Tensor};

/// The GM convolution on `Z_W` or `Z_H×Z_W` by the convolution theorem.
///
/// On the grid the map is the periodic correlation `y[a] = Σ_s κ[s]·x[a+s]` with the kernel
/// image `κ[s_k] += w_k` (zero elsewhere on the grid), so `ŷ(ω) = conj(κ̂(ω))·x̂(ω)` with
/// `rfft2` over the grid; shared mode transforms the channel sum once; full mode contracts the
/// channels per frequency. Cost `O((B·C + O·C + B·O)·n log n + B·O·C·n)`, independent of `K`.
///
/// (Non-abelian groups — block products with real irreps — are not implemented here.)
#[derive(Debug)]
pub struct FourierBackend {
    height: i64,
    width: i64,
    placement: Tensor,
}

impl FourierBackend {
    /// The backend for `lowering`.
    ///
    /// # Errors
    /// [`crate::NnError::BackendUnavailable`] unless the group is `Z_W` or `Z_H×Z_W` in grid
    /// order.
    pub fn new(lowering: &Lowering) -> Result<Self> {
        let grid = abelian_grid(lowering)?;
        // One-hot (K, n): support element k at its grid index s_k.
        let n = lowering.order();
        let mut p = vec![0f64; lowering.kernel_size() * n];
        for (row, &s) in lowering.support().iter().enumerate() {
            p[row * n + s] += 1.0;
        }
        let placement = Tensor::from_slice(&p)
            .view([lowering.kernel_size() as i64, n as i64])
            .to_kind(Kind::Float)
            .to_device(lowering.device());
        Ok(Self {
            height: grid.height as i64,
            width: grid.width as i64,
            placement,
        })
    }
}

/// The torus of `lowering` when its group is `Z_W` or `Z_H×Z_W` in grid order (a
/// [`TranslationGrid`] without point elements), or why not.
fn abelian_grid(lowering: &Lowering) -> Result<&TranslationGrid> {
    lowering
        .translation_grid()
        .filter(|g| g.point_count() == 1)
        .ok_or_else(|| NnError::BackendUnavailable {
            backend: BackendKind::Fourier.name().into(),
            reason: format!(
                "the group {} is not Z_W or Z_H×Z_W",
                lowering.group().name()
            ),
        })
}

/// The abelian FFT applies to `Z_W`/`Z_H×Z_W` grids. Cost: the channel sum,
/// `B·C_i + O·C_i + B·O` transforms and the complex product.
pub(super) const REGISTRATION: Registration = Registration {
    kind: BackendKind::Fourier,
    name: "fourier",
    applies: |l| abelian_grid(l).is_ok(),
    cost: |t| {
        let transform = t.p.fft * t.n * t.n.log2().max(1.0);
        t.channel_sum
            + transform * (t.b * t.ci + t.o * t.ci + t.b * t.o)
            + t.p.moved * t.b * t.o * t.ci * t.n / 2.0
    },
    build: |l| Ok(Box::new(FourierBackend::new(l)?)),
};

impl ConvBackend for FourierBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Fourier
    }

    fn forward(&self, x: &Tensor, weight: &Tensor) -> Result<Tensor> {
        // cuFFT has no bf16 transforms (and fp16 ones only for powers of two): reduced-precision
        // activations are transformed in fp32 and the result is cast back.
        if matches!(x.kind(), Kind::BFloat16 | Kind::Half) {
            let y = self.forward(&x.f_to_kind(Kind::Float)?, &weight.f_to_kind(Kind::Float)?)?;
            return Ok(y.f_to_kind(x.kind())?);
        }
        let (b, c, _) = x.size3()?;
        let (o, ci, _) = weight.size3()?;
        let (h, w) = (self.height, self.width);
        let dims = [-2i64, -1];
        let image = weight
            .f_matmul(&self.placement.f_to_kind(weight.kind())?)?
            .f_view([o, ci, h, w])?;
        let kernel_hat = image
            .f_fft_rfft2(Some([h, w].as_slice()), dims, "backward")?
            .f_conj()?;
        let y_hat = if is_shared(weight)? {
            let s = x
                .f_sum_dim_intlist(1i64, true, None)?
                .f_view([b, 1, h, w])?;
            let s_hat = s.f_fft_rfft2(Some([h, w].as_slice()), dims, "backward")?;
            s_hat.f_mul(&kernel_hat.f_squeeze_dim(1)?.f_unsqueeze(0)?)?
        } else {
            let x_hat =
                x.f_view([b, c, h, w])?
                    .f_fft_rfft2(Some([h, w].as_slice()), dims, "backward")?;
            Tensor::f_einsum("bchw,ochw->bohw", &[&x_hat, &kernel_hat], None::<&[i64]>)?
        };
        Ok(y_hat
            .f_fft_irfft2(Some([h, w].as_slice()), dims, "backward")?
            .f_view([b, o, h * w])?)
    }
}
