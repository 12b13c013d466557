//! Dense export: a layer's matrix, for tests against the algebra's group matrices.

use crate::Result;
use tch::{Device, Kind, Tensor};

/// Layers that are linear (or affine) maps and can expand to their matrix.
pub trait ExportDense {
    /// The layer's matrix `(O·m, C·n)` for input `(C, n)` and output `(O, m)`, channel-major
    /// (row `o·m + a`, column `i·n + b`), in the layer's parameter kind; an affine layer's
    /// constant part (its bias) is left out.
    ///
    /// # Errors
    /// [`crate::NnError::InvalidConfig`] for a layer that is not linear (max pooling);
    /// [`crate::NnError::Torch`] from libtorch.
    fn export_dense(&self) -> Result<Tensor>;
}

/// The matrix of the linear part of `f`, a map from `(B, C, n)` to `(B, O, m)`, by probing
/// with the `C·n` unit vectors (and subtracting `f(0)`), without recording gradients.
///
/// # Errors
/// Whatever `f` returns.
///
/// # Example
/// ```
/// use gm_nn::dense::linear_map_matrix;
/// use tch::{Device, Kind, Tensor};
/// // Doubling and swapping two positions.
/// let m = linear_map_matrix(1, 2, Kind::Double, Device::Cpu, |x| Ok(x.flip([-1]) * 2.0)).unwrap();
/// assert_eq!(Vec::<f64>::try_from(m.view([-1])).unwrap(), vec![0.0, 2.0, 2.0, 0.0]);
/// ```
pub fn linear_map_matrix(
    in_channels: usize,
    in_len: usize,
    kind: Kind,
    device: Device,
    f: impl Fn(&Tensor) -> Result<Tensor>,
) -> Result<Tensor> {
    tch::no_grad(|| {
        let d = (in_channels * in_len) as i64;
        let basis =
            Tensor::f_eye(d, (kind, device))?.f_view([d, in_channels as i64, in_len as i64])?;
        let zero = Tensor::f_zeros([1, in_channels as i64, in_len as i64], (kind, device))?;
        let out = f(&basis)?.f_sub(&f(&zero)?)?;
        Ok(out.f_reshape([d, -1])?.f_transpose(0, 1)?.f_contiguous()?)
    })
}
