//! The rotated-and-cyclically-shifted filter bank of a `p4` group convolution on regular
//! fields, and its convolution as one `conv2d`.

use crate::field::{rotate_planes, ORIENTATIONS};
use crate::precision::param_like;
use crate::{NnError, Result};
use serde::{Deserialize, Serialize};
use tch::Tensor;

/// How a `p4` convolution treats the border of the grid.
///
/// Both are exactly `C4`-equivariant on a square grid with an odd kernel (rotations about the
/// grid's centre map the zero border onto itself); only [`Padding::Circular`] is also
/// equivariant under cyclic translations, and it is then exactly the GM convolution on
/// `p4(N) = Z_N² ⋊ C4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Padding {
    /// Zeros outside the grid (`padding = (k − 1) / 2`), as the reference's `F.conv2d`.
    #[default]
    Zeros,
    /// The grid is a torus (circular padding): the GM convolution on `p4(N)`.
    Circular,
}

impl std::fmt::Display for Padding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::Zeros => "zeros",
            Self::Circular => "circular",
        })
    }
}

/// Checks that `kernel_size` is odd (a kernel rotated about its centre pixel).
///
/// # Errors
/// [`NnError::InvalidConfig`] for an even or zero size.
pub(crate) fn check_kernel_size(kernel_size: usize) -> Result<()> {
    if kernel_size % 2 == 1 {
        Ok(())
    } else {
        Err(NnError::InvalidConfig(format!(
            "a p4 convolution needs an odd kernel size (rotated about its centre), got {kernel_size}"
        )))
    }
}

/// The size of `xs` after checking that it holds `fields` regular fields `(B, 4·fields, H, W)`.
///
/// # Errors
/// [`NnError::ShapeMismatch`] otherwise.
pub(crate) fn check_regular_input(xs: &Tensor, fields: i64, into: &str) -> Result<Vec<i64>> {
    let size = xs.size();
    let channels = size.get(1).copied().unwrap_or(0);
    if size.len() != 4 || channels != ORIENTATIONS * fields {
        return Err(NnError::ShapeMismatch {
            what: format!(
                "channels of the regular fields (B, 4C, H, W) into {into}, got shape {size:?}"
            ),
            expected: ORIENTATIONS * fields,
            got: channels,
        });
    }
    Ok(size)
}

/// The filter bank of base kernels `W` `(…, O, C, 4, k, k)` (axis `−3` the input
/// orientation `s`): for every output orientation `r`, the kernel rotated by `r` quarter
/// turns ([`rotate_planes`], the convention of [`crate::field`]) with its input-orientation
/// axis rolled forward by `r`:
///
/// `bank[…, o, r, c, s, d] = W[…, o, c, s − r, R^{−r} d]`,
///
/// so that `y(r, p) = Σ_{c,s,d} bank[o, r, c, s, d]·x(c, s, p + d)` commutes with
/// [`crate::field::rotate_regular_field`]: for `x' = (s, p) ↦ x(s − ρ, R^{−ρ}p)`,
/// `y'(r, p) = y(r − ρ, R^{−ρ}p)`. Built with four rotations, four rolls and one stack.
///
/// # Shapes
/// `(…, O, C, 4, k, k)` → `(…, O, 4, C, 4, k, k)`.
///
/// # Errors
/// [`NnError::ShapeMismatch`] when axis `−3` is not of length 4 or the kernel is not square.
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::p4_filter_bank;
/// use tch::{Device, Kind, Tensor};
/// let w = Tensor::randn([2, 3, 4, 3, 3], (Kind::Float, Device::Cpu));
/// let bank = p4_filter_bank(&w).unwrap();
/// assert_eq!(bank.size(), vec![2, 4, 3, 4, 3, 3]);
/// assert!(bank.select(1, 0).equal(&w)); // orientation 0 is the kernel itself
/// ```
pub fn p4_filter_bank(weight: &Tensor) -> Result<Tensor> {
    let size = weight.size();
    let orientations = if size.len() >= 5 {
        size[size.len() - 3]
    } else {
        0
    };
    if orientations != ORIENTATIONS {
        return Err(NnError::ShapeMismatch {
            what: format!(
                "orientations (axis −3) of a p4 kernel (…, O, C, 4, k, k), got shape {size:?}"
            ),
            expected: ORIENTATIONS,
            got: orientations,
        });
    }
    let turned = (0..ORIENTATIONS)
        .map(|r| Ok(rotate_planes(weight, r)?.f_roll([r], [-3])?))
        .collect::<Result<Vec<_>>>()?;
    Ok(Tensor::f_stack(&turned, -5)?)
}

/// The convolution of regular fields `x` `(B, 4C, H, W)` with a filter bank `(O, 4, C, 4, k,
/// k)` (from [`p4_filter_bank`]) as one `conv2d` over the `4C` channels, plus a bias `(O)`
/// shared by the four orientations of each output field; computed in `x`'s dtype.
///
/// # Shapes
/// `(B, 4C, H, W)` → `(B, 4O, H, W)`.
///
/// # Errors
/// [`NnError::ShapeMismatch`] when the bank is not `(O, 4, C, 4, k, k)` with `k` odd;
/// [`NnError::Torch`] when `x` does not have `4C` channels (or is smaller than the circular
/// padding).
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::{p4_conv2d, p4_filter_bank, Padding};
/// use tch::{Device, Kind, Tensor};
/// // The identity kernel (centre tap, orientation 0 → 0) maps every field to itself.
/// let w = Tensor::zeros([1, 1, 4, 3, 3], (Kind::Float, Device::Cpu));
/// let _ = w.get(0).get(0).get(0).get(1).get(1).fill_(1.0);
/// let x = Tensor::randn([2, 4, 5, 5], (Kind::Float, Device::Cpu));
/// let bank = p4_filter_bank(&w).unwrap();
/// assert!(p4_conv2d(&x, &bank, None, Padding::Circular).unwrap().equal(&x));
/// ```
pub fn p4_conv2d(
    x: &Tensor,
    bank: &Tensor,
    bias: Option<&Tensor>,
    padding: Padding,
) -> Result<Tensor> {
    let size = bank.size();
    let (o, c, k) = match size.as_slice() {
        &[o, 4, c, 4, k, kk] if k == kk && k % 2 == 1 => (o, c, k),
        _ => {
            return Err(NnError::ShapeMismatch {
                what: format!("a p4 filter bank (O, 4, C, 4, k, k) with k odd, got shape {size:?}"),
                expected: 6,
                got: size.len() as i64,
            })
        }
    };
    let weight = param_like(bank, x)?.f_reshape([ORIENTATIONS * o, ORIENTATIONS * c, k, k])?;
    let bias = bias
        .map(|b| -> Result<Tensor> {
            Ok(param_like(b, x)?
                .f_view([o, 1])?
                .f_expand([o, ORIENTATIONS], false)?
                .f_reshape([ORIENTATIONS * o])?)
        })
        .transpose()?;
    conv2d_padded(x, &weight, bias.as_ref(), padding)
}

/// A stride-1 `conv2d` of `x` with the odd square `weight` `(O, C, k, k)`, the output the
/// size of the input: zeros or the torus (`padding`) outside the grid.
///
/// # Errors
/// [`NnError::Torch`] on a shape mismatch (or a grid smaller than the circular padding).
pub fn conv2d_padded(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    padding: Padding,
) -> Result<Tensor> {
    let p = (weight.size().last().copied().unwrap_or(1) - 1) / 2;
    Ok(match padding {
        Padding::Zeros => x.f_conv2d(weight, bias, [1, 1], [p, p], [1, 1], 1)?,
        Padding::Circular => x.f_pad([p, p, p, p], "circular", None::<f64>)?.f_conv2d(
            weight,
            bias,
            [1, 1],
            [0, 0],
            [1, 1],
            1,
        )?,
    })
}
