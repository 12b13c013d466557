//! The generic backend: gather by the table, then one matmul.

use super::{is_shared, BackendKind, ConvBackend, Registration};
use crate::lowering::Lowering;
use crate::Result;
use tch::Tensor;

/// Gather + matmul, for any group.
///
/// Shared mode sums the input channels **before** gathering, so it materialises only `B×K×n`
/// (the reference materialises `B×C×K×n`), then `(O,K) @ (B,K,n)`. Full mode gathers `B×C×K×n`
/// and contracts `(O, C·K) @ (B, C·K, n)`.
#[derive(Debug)]
pub struct GatherBackend {
    flat_table: Tensor,
    k: i64,
    n: i64,
}

impl GatherBackend {
    /// The backend for `lowering` (shares its table).
    pub fn new(lowering: &Lowering) -> Self {
        Self {
            flat_table: lowering.table().view([-1]),
            k: lowering.kernel_size() as i64,
            n: lowering.order() as i64,
        }
    }
}

/// Gather and matmul apply to every group. Cost: the channel sum, `B·C_i·K·n` elements gathered
/// and the `(O, C_i·K)·(C_i·K, n)` product per sample.
pub(super) const REGISTRATION: Registration = Registration {
    kind: BackendKind::Gather,
    name: "gather",
    applies: |_| true,
    cost: |t| {
        t.channel_sum + t.p.moved * t.b * t.ci * t.k * t.n + t.p.gemm * t.b * t.o * t.ci * t.k * t.n
    },
    build: |l| Ok(Box::new(GatherBackend::new(l))),
};

impl ConvBackend for GatherBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Gather
    }

    fn forward(&self, x: &Tensor, weight: &Tensor) -> Result<Tensor> {
        let (b, c, _) = x.size3()?;
        let (o, _, _) = weight.size3()?;
        let (k, n) = (self.k, self.n);
        Ok(if is_shared(weight)? {
            let summed = x.f_sum_dim_intlist(1i64, false, None)?;
            let g = summed
                .f_index_select(1, &self.flat_table)?
                .f_view([b, k, n])?;
            weight.f_view([o, k])?.f_matmul(&g)?
        } else {
            let g = x
                .f_index_select(2, &self.flat_table)?
                .f_view([b, c * k, n])?;
            weight.f_reshape([o, c * k])?.f_matmul(&g)?
        })
    }
}
