//! Regular fields and `p4` kernels as functions on `p4(N)`: the identification under which
//! the circular filter-bank convolution is the GM convolution of [`crate::conv::GMConv`].
//!
//! # The map
//! [`gm_algebra::group::Wallpaper::p4`]`(N)` indexes `g = (t, R_w^a)`, `x ↦ t + R_w^a x`, as
//! `(t_x·N + t_y)·4 + a`, and [`crate::pool::wallpaper_pixel_labels`] puts `g` at the pixel
//! `g·(0, 0) = t`, row `t_x`, column `t_y`. Its quarter turn `R_w(i, j) = (−j, i)` on
//! (row, column) turns the `(x, y) = (column, row)` plane *clockwise*, the inverse of the
//! counterclockwise turn `R` of [`crate::field`]. Hence the orientation `s` of a regular
//! field is the rotation `a = −s mod 4` of the group element:
//!
//! `X_c(t, R_w^a) = x[c, s = −a mod 4, row t_x, column t_y]`.
//!
//! Under it [`crate::field::rotate_regular_field`] by one quarter turn is the left-regular
//! action of `u = ((0, N − 1), R_w³)` (the turn about the grid's centre), and the circular
//! [`super::p4_conv2d`] of the bank of `W` is `y_o = Σ_c M_{f_{oc}} X_c` with
//! `f_{oc}((δ, R_w^b)) = W[o, c, −b mod 4, δ]`: a support element with translation
//! `δ = (δ_x, δ_y)`, `|δ_x|, |δ_y| ≤ (k − 1)/2`, is the kernel's entry at row `δ_x`, column
//! `δ_y` from its centre (the order of [`crate::lowering::wallpaper_support`]).

use crate::field::ORIENTATIONS;
use crate::lowering::index_tensor;
use crate::{NnError, Result};
use tch::Tensor;

/// The permutation `a ↦ −a mod 4` of the orientation axis (its own inverse).
fn negated_orientations(like: &Tensor) -> Result<Tensor> {
    index_tensor(&[0, 3, 2, 1], like.device())
}

/// A regular field `(B, 4C, N, N)` as `C` functions on `p4(N)`, `(B, C, 4N²)`, along the map
/// of the module docs.
///
/// # Errors
/// [`NnError::ShapeMismatch`] when `x` is not `(B, 4C, N, N)` with a square grid.
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::{p4_to_regular_field, regular_field_to_p4};
/// use tch::{Device, Kind, Tensor};
/// let x = Tensor::randn([2, 8, 5, 5], (Kind::Float, Device::Cpu));
/// let f = regular_field_to_p4(&x).unwrap();
/// assert_eq!(f.size(), vec![2, 2, 100]);
/// // Element 1 = (t = (0, 0), R_w¹) holds orientation 3 at the pixel (0, 0).
/// assert!(f.get(0).get(0).get(1).equal(&x.get(0).get(3).get(0).get(0)));
/// assert!(p4_to_regular_field(&f, 5).unwrap().equal(&x));
/// ```
pub fn regular_field_to_p4(x: &Tensor) -> Result<Tensor> {
    let size = x.size();
    match size.as_slice() {
        &[b, channels, n, m] if channels % ORIENTATIONS == 0 && n == m => Ok(x
            .f_view([b, channels / ORIENTATIONS, ORIENTATIONS, n, n])?
            .f_index_select(2, &negated_orientations(x)?)?
            .f_permute([0, 1, 3, 4, 2])?
            .f_reshape([b, channels / ORIENTATIONS, ORIENTATIONS * n * n])?),
        _ => Err(NnError::ShapeMismatch {
            what: format!("a regular field (B, 4C, N, N) on a square grid, got shape {size:?}"),
            expected: 4,
            got: size.len() as i64,
        }),
    }
}

/// Functions on `p4(N)`, `(B, C, 4N²)`, as a regular field `(B, 4C, N, N)`: the inverse of
/// [`regular_field_to_p4`].
///
/// # Errors
/// [`NnError::ShapeMismatch`] when the last axis is not `4N²` long.
pub fn p4_to_regular_field(x: &Tensor, n: i64) -> Result<Tensor> {
    let size = x.size();
    match size.as_slice() {
        &[b, c, order] if order == ORIENTATIONS * n * n => Ok(x
            .f_view([b, c, n, n, ORIENTATIONS])?
            .f_permute([0, 1, 4, 2, 3])?
            .f_index_select(2, &negated_orientations(x)?)?
            .f_reshape([b, ORIENTATIONS * c, n, n])?),
        _ => Err(NnError::ShapeMismatch {
            what: format!("functions on p4({n}) (B, C, 4N²), got shape {size:?}"),
            expected: ORIENTATIONS * n * n,
            got: size.last().copied().unwrap_or(0),
        }),
    }
}

/// A base kernel `W` `(O, C, 4, k, k)` of [`super::p4_filter_bank`] as the weights `(O, C, K)`
/// of a GM convolution on `p4(N)` with the support
/// [`crate::lowering::wallpaper_support`]`(p4, (k − 1)/2)` (`K = 4k²`), along the map of the
/// module docs: `w[o, c, (δ_x·k + δ_y)·4 + b] = W[o, c, −b mod 4, δ_x, δ_y]` (offsets counted
/// from the kernel's corner).
///
/// # Errors
/// [`NnError::ShapeMismatch`] for a kernel that is not `(O, C, 4, k, k)`.
///
/// # Example
/// ```
/// use gm_algebra::group::Wallpaper;
/// use gm_nn::lowering::wallpaper_support;
/// use gm_nn::model::relaxed_rotation::p4_kernel_to_gm_weight;
/// use tch::{Device, Kind, Tensor};
/// let w = Tensor::randn([3, 2, 4, 3, 3], (Kind::Float, Device::Cpu));
/// let gm = p4_kernel_to_gm_weight(&w).unwrap();
/// assert_eq!(gm.size()[2] as usize, wallpaper_support(&Wallpaper::p4(6).unwrap(), 1).len());
/// // Support element 1 (translation (−1, −1), R_w¹) is orientation 3 at the kernel's corner.
/// assert!(gm.get(0).get(0).get(1).equal(&w.get(0).get(0).get(3).get(0).get(0)));
/// ```
pub fn p4_kernel_to_gm_weight(weight: &Tensor) -> Result<Tensor> {
    let size = weight.size();
    match size.as_slice() {
        &[o, c, 4, k, kk] if k == kk => Ok(weight
            .f_index_select(2, &negated_orientations(weight)?)?
            .f_permute([0, 1, 3, 4, 2])?
            .f_reshape([o, c, ORIENTATIONS * k * k])?),
        _ => Err(NnError::ShapeMismatch {
            what: format!("a p4 kernel (O, C, 4, k, k), got shape {size:?}"),
            expected: 5,
            got: size.len() as i64,
        }),
    }
}
