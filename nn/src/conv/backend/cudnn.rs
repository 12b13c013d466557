//! The grid backend: circular padding + `conv2d` (cuDNN on CUDA, oneDNN on the CPU).

use super::{is_shared, BackendKind, ConvBackend, CyclicGrid, Registration};
use crate::lowering::Lowering;
use crate::Result;
use tch::{Kind, Tensor};

/// `conv2d` with circular padding, for `Z_W` or `Z_H×Z_W` in grid order.
///
/// On the grid, `g_a·s_k` is `(p + dh_k, q + dw_k) mod (H, W)`, so the GM convolution is
/// the periodic **correlation** `y[p,q] = Σ_k w_k·x[p+dh_k, q+dw_k]` — exactly what
/// `conv2d` computes after padding `x` circularly by the box half-sizes `(T_h, T_w)`, with
/// the correlation kernel `W[dh_k+T_h, dw_k+T_w] += w_k`.
///
/// **Kernel flip.** The reference gathers `x[g_a·s⁻¹]`, i.e. offsets `−(i, j)` for its
/// `k = (i+t)(2t+1) + (j+t)`; with [`crate::lowering::radius_support`] the correlation kernel
/// is therefore `W[u,v] = w[2t−u, 2t−v]` — the reference's `w.view(7,7).flip(-1,-2)`
/// (checked by `nn/tests/conv_backends.rs::cudnn_kernel_is_the_flipped_reference_kernel`).
#[derive(Debug)]
pub struct CudnnBackend {
    height: i64,
    width: i64,
    pad: (i64, i64),
    placement: Tensor,
}

impl CudnnBackend {
    /// The backend for `lowering`.
    ///
    /// # Errors
    /// [`crate::NnError::BackendUnavailable`] unless the group is `Z_W` or `Z_H×Z_W` in grid
    /// order.
    pub fn new(lowering: &Lowering) -> Result<Self> {
        let grid = CyclicGrid::of(lowering, BackendKind::Cudnn)?;
        let th = grid.offsets.iter().map(|o| o.0.abs()).max().unwrap_or(0);
        let tw = grid.offsets.iter().map(|o| o.1.abs()).max().unwrap_or(0);
        let placement = grid.placement(th, tw, Kind::Float, lowering.device());
        Ok(Self {
            height: grid.height,
            width: grid.width,
            pad: (th, tw),
            placement,
        })
    }

    /// The `conv2d` weight `(O, C, 2T_h+1, 2T_w+1)` (correlation kernel) of a GM weight
    /// `(O, C, K)`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn conv_kernel(&self, weight: &Tensor) -> Result<Tensor> {
        let (o, c, _) = weight.size3()?;
        let (th, tw) = self.pad;
        let p = self.placement.f_to_kind(weight.kind())?;
        Ok(weight
            .f_matmul(&p)?
            .f_view([o, c, 2 * th + 1, 2 * tw + 1])?)
    }
}

/// `conv2d` applies to `Z_W`/`Z_H×Z_W` grids. Cost: the channel sum, the padded copy and a
/// convolution of a `K`-sparse box.
pub(super) const REGISTRATION: Registration = Registration {
    kind: BackendKind::Cudnn,
    name: "cudnn",
    applies: |l| CyclicGrid::of(l, BackendKind::Cudnn).is_ok(),
    cost: |t| {
        t.channel_sum + t.p.moved * t.b * t.ci * t.n + t.p.conv * t.b * t.o * t.ci * t.k * t.n
    },
    build: |l| Ok(Box::new(CudnnBackend::new(l)?)),
};

impl ConvBackend for CudnnBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Cudnn
    }

    fn forward(&self, x: &Tensor, weight: &Tensor) -> Result<Tensor> {
        let (b, c, _) = x.size3()?;
        let o = weight.size3()?.0;
        let (h, w) = (self.height, self.width);
        let input = if is_shared(weight)? {
            x.f_sum_dim_intlist(1i64, true, None)?
                .f_view([b, 1, h, w])?
        } else {
            x.f_view([b, c, h, w])?
        };
        let (th, tw) = self.pad;
        let padded = input.f_pad([tw, tw, th, th], "circular", None)?;
        let kernel = self.conv_kernel(weight)?;
        Ok(padded
            .f_conv2d(&kernel, None::<&Tensor>, [1, 1], [0, 0], [1, 1], 1)?
            .f_view([b, o, h * w])?)
    }
}
