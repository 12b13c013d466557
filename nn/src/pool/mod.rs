//! Pooling and lifting between functions on `G`, on cosets `G/H` and on subgroups `H`.
//!
//! | layer | map | equivariant under |
//! |---|---|---|
//! | [`CosetPool`] | `G → G/H`, max or mean over each coset `gH` | `G` |
//! | [`SubgroupPool`] | `G → H`, max or mean over windows `h·W` (restriction: `W = {e}`) | `H` |
//! | [`SubgroupUpsample`] | `H → G`, the transpose of the mean pool (times `|W|`) | `H` |
//! | [`Lift`] | `G/H → G`, `(Lφ)(g) = φ(gH)` | `G` |
//! | [`InvariantPool`] | `G → ·`, max or mean over `G` | invariant |

mod coset;
mod gmpool;
mod invariant;
mod lift;

pub use coset::CosetPool;
pub use gmpool::{SubgroupPool, SubgroupUpsample};
pub use invariant::InvariantPool;
pub use lift::{wallpaper_pixel_labels, Lift};

use serde::{Deserialize, Serialize};

/// How a pooling layer combines the values in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolMode {
    /// The maximum.
    #[default]
    Max,
    /// The mean.
    Average,
}

/// Reduces the last axis of `x` (windows of equal size) per `mode`.
fn reduce_last(x: &tch::Tensor, mode: PoolMode) -> crate::Result<tch::Tensor> {
    Ok(match mode {
        PoolMode::Max => x.f_amax([-1i64].as_slice(), false)?,
        PoolMode::Average => x.f_mean_dim([-1i64].as_slice(), false, None)?,
    })
}

/// The error for `export_dense` on a max pool.
fn not_linear() -> crate::NnError {
    crate::NnError::InvalidConfig("max pooling is not linear: it has no matrix".into())
}
