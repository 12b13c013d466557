//! The reference GM-CNN's formulation as a backend: gather everything, then contract.

use super::{is_shared, BackendKind, ConvBackend, Registration};
use crate::lowering::Lowering;
use crate::Result;
use tch::Tensor;

/// The reference formulation: `g = x[:, :, table]` of shape `B×C×K×n` (every input channel
/// gathered), then `einsum("ojk,bikl->bojl", w, g)` — the baseline the benchmarks compare
/// against. Same map as [`super::GatherBackend`], only slower.
#[derive(Debug)]
pub struct ReferenceBackend {
    flat_table: Tensor,
    k: i64,
    n: i64,
}

impl ReferenceBackend {
    /// The backend for `lowering` (shares its table).
    pub fn new(lowering: &Lowering) -> Self {
        Self {
            flat_table: lowering.table().view([-1]),
            k: lowering.kernel_size() as i64,
            n: lowering.order() as i64,
        }
    }
}

/// The reference formulation applies to every group. Cost: `B·C·K·n` elements moved twice
/// (the gather and the einsum operand) and the contraction.
pub(super) const REGISTRATION: Registration = Registration {
    kind: BackendKind::Reference,
    name: "reference",
    applies: |_| true,
    cost: |t| {
        2.0 * t.p.moved * t.b * t.c * t.k * t.n
            + t.p.gemm * (t.b * t.c * t.k * t.n + t.b * t.o * t.k * t.n * t.ci)
    },
    build: |l| Ok(Box::new(ReferenceBackend::new(l))),
};

impl ConvBackend for ReferenceBackend {
    fn kind(&self) -> BackendKind {
        BackendKind::Reference
    }

    fn forward(&self, x: &Tensor, weight: &Tensor) -> Result<Tensor> {
        let (b, c, _) = x.size3()?;
        let g = x
            .f_index_select(2, &self.flat_table)?
            .f_view([b, c, self.k, self.n])?;
        Ok(if is_shared(weight)? {
            Tensor::f_einsum("ojk,bikl->bojl", &[weight, &g], None::<&[i64]>)?.f_squeeze_dim(2)?
        } else {
            Tensor::f_einsum("oik,bikl->bol", &[weight, &g], None::<&[i64]>)?
        })
    }
}
