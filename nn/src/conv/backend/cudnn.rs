//! The convolution backend: circular padding + `conv2d` (cuDNN on CUDA, oneDNN on the CPU)
//! on any group of translations of a torus times a point group ([`TranslationGrid`](crate::lowering::TranslationGrid)).

use super::{is_shared, BackendKind, ConvBackend, Registration};
use crate::lowering::{index_tensor, Lowering};
use crate::{NnError, Result};
use gm_algebra::FiniteGroup;
use tch::Tensor;

/// `conv2d` with circular padding on `G = (Z_H × Z_W) ⋊ P`: cyclic grids `Z_W`, `Z_H×Z_W`
/// (`|P| = 1`), dihedral axes (`D_n = Z_n ⋊ Z_2`), `p4`, `p4m` and semidirect products over a
/// grid.
///
/// With `g_a = t·h_p` ([`TranslationGrid`](crate::lowering::TranslationGrid)), `y[o, t·h_p] = Σ_k w[o,k]·x[t + d_k(p), h_q(p,k)]`
/// where `h_p·s_k = d_k(p)·h_q`. So the input is laid out as `C·|P|` channels on the torus
/// (channel `c·|P| + q`), the output as `O·|P|`, and the GM convolution is one periodic
/// **correlation** with the `|P|²`-block kernel `W[o·|P|+p, c·|P|+q][d + T] += w[o,c,k]` over
/// the taps `k` with `q(p,k) = q` — what `conv2d` computes after padding circularly by the
/// box half-sizes `T = (T_h, T_w)`. No `K`-fold copy of the input is made; a radius support
/// fills the box exactly (`|P|·(2T_h+1)(2T_w+1) = K` on `D_n²` and `Z_n²`).
///
/// **Kernel flip.** The reference gathers `x[g_a·s⁻¹]`, i.e. offsets `−(i, j)` for its
/// `k = (i+t)(2t+1) + (j+t)`; with [`crate::lowering::radius_support`] on a cyclic grid the
/// correlation kernel is therefore `W[u,v] = w[2t−u, 2t−v]` — the reference's
/// `w.view(7,7).flip(-1,-2)` (checked by
/// `nn/tests/conv_backends.rs::cudnn_kernel_is_the_flipped_reference_kernel`).
#[derive(Debug)]
pub struct CudnnBackend {
    height: i64,
    width: i64,
    points: i64,
    pad: (i64, i64),
    /// `(K, |P|·|P|·kh·kw)` one-hot: tap `k` seen from point `p` lands in block `(p, q)` at
    /// `d + T`.
    placement: Tensor,
    /// Element index at each grid position `(p·H + y)·W + x`; `None` when that is the
    /// identity (cyclic grids).
    to_grid: Option<Tensor>,
    /// Grid position of each element index; `None` when that is the identity.
    from_grid: Option<Tensor>,
}

impl CudnnBackend {
    /// The backend for `lowering`.
    ///
    /// # Errors
    /// [`NnError::BackendUnavailable`] unless the group is a [`TranslationGrid`](crate::lowering::TranslationGrid).
    pub fn new(lowering: &Lowering) -> Result<Self> {
        let grid = lowering
            .translation_grid()
            .ok_or_else(|| NnError::BackendUnavailable {
                backend: BackendKind::Cudnn.name().into(),
                reason: format!(
                    "the group {} is not translations of a grid times a point group \
                     (cyclic or dihedral axes, p4, p4m, a semidirect product over Z_w or Z_h×Z_w)",
                    lowering.group().name()
                ),
            })?;
        let np = grid.point_count();
        let (th, tw) = grid.box_half_sizes();
        let (kh, kw) = (2 * th + 1, 2 * tw + 1);
        let block = kh * kw;
        let k = lowering.kernel_size();
        let mut p = vec![0f64; k * np * np * block];
        for (from, row) in grid.taps.iter().enumerate() {
            for (tap, &(dy, dx, q)) in row.iter().enumerate() {
                let at = (dy + th as i64) as usize * kw + (dx + tw as i64) as usize;
                p[tap * np * np * block + (from * np + q) * block + at] += 1.0;
            }
        }
        let device = lowering.device();
        let placement = Tensor::from_slice(&p)
            .view([k as i64, (np * np * block) as i64])
            .to_device(device);
        let positions = grid.grid_positions();
        let (to_grid, from_grid) = if grid.is_grid_order() {
            (None, None)
        } else {
            let mut inverse = vec![0; positions.len()];
            for (a, &g) in positions.iter().enumerate() {
                inverse[g] = a;
            }
            (
                Some(index_tensor(&inverse, device)?),
                Some(index_tensor(&positions, device)?),
            )
        };
        Ok(Self {
            height: grid.height as i64,
            width: grid.width as i64,
            points: np as i64,
            pad: (th as i64, tw as i64),
            placement,
            to_grid,
            from_grid,
        })
    }

    /// The `conv2d` weight `(O·|P|, C·|P|, 2T_h+1, 2T_w+1)` (correlation kernel) of a GM
    /// weight `(O, C, K)`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn conv_kernel(&self, weight: &Tensor) -> Result<Tensor> {
        let (o, c, _) = weight.size3()?;
        let (th, tw) = self.pad;
        let np = self.points;
        let p = self.placement.f_to_kind(weight.kind())?;
        Ok(weight
            .f_matmul(&p)?
            .f_view([o, c, np, np, 2 * th + 1, 2 * tw + 1])?
            .f_permute([0, 2, 1, 3, 4, 5])?
            .f_reshape([o * np, c * np, 2 * th + 1, 2 * tw + 1])?)
    }
}

/// `conv2d` applies to every [`TranslationGrid`](crate::lowering::TranslationGrid). Cost: the
/// channel sum, the padded copy of the input, the reordering copies of input and output when
/// the element order is not the grid's ([`super::CostTerms::reorder`]) and a convolution of the `|P|²`-block box ([`super::CostTerms::box_taps`]).
pub(super) const REGISTRATION: Registration = Registration {
    kind: BackendKind::Cudnn,
    name: "cudnn",
    applies: |l| l.translation_grid().is_some(),
    cost: |t| {
        t.channel_sum
            + t.p.moved * t.b * (t.ci + t.reorder * (t.ci + t.o)) * t.n
            + t.p.conv * t.b * t.o * t.ci * t.box_taps * t.n
    },
    build: |l| Ok(Box::new(CudnnBackend::new(l)?)),
};

impl ConvBackend for CudnnBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Cudnn
    }

    fn forward(&self, x: &Tensor, weight: &Tensor) -> Result<Tensor> {
        let (b, _, n) = x.size3()?;
        let o = weight.size3()?.0;
        let (h, w, np) = (self.height, self.width, self.points);
        let input = if is_shared(weight)? {
            x.f_sum_dim_intlist(1i64, true, None)?
        } else {
            x.shallow_clone()
        };
        let ci = input.size()[1];
        let input = match &self.to_grid {
            Some(order) => input.f_index_select(2, order)?,
            None => input,
        };
        let (th, tw) = self.pad;
        let padded = input
            .f_view([b, ci * np, h, w])?
            .f_pad([tw, tw, th, th], "circular", None)?;
        let kernel = self.conv_kernel(weight)?;
        let y = padded
            .f_conv2d(&kernel, None::<&Tensor>, [1, 1], [0, 0], [1, 1], 1)?
            .f_view([b, o, n])?;
        Ok(match &self.from_grid {
            Some(order) => y.f_index_select(2, order)?,
            None => y,
        })
    }
}
