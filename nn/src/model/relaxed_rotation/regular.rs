//! The equivariant maps between vector fields and regular fields of `C4`.

use crate::field::{standard_representation, ORIENTATIONS};
use crate::{NnError, Result};
use tch::Tensor;

/// The direction `e_s = (cos(s·π/2), sin(s·π/2))` of every orientation `s` as a `(4, 2)`
/// tensor in the dtype and on the device of `like`: row `s` is the first column of
/// [`standard_representation`]`(s)` (the image of `e_0 = (1, 0)`), so `e_s = R^s e_0`.
fn directions(like: &Tensor) -> Result<Tensor> {
    let rows: Vec<f32> = (0..ORIENTATIONS)
        .flat_map(|s| {
            let [[a, _], [c, _]] = standard_representation(s);
            [a as f32, c as f32]
        })
        .collect();
    Ok(Tensor::from_slice(&rows)
        .f_view([ORIENTATIONS, 2])?
        .f_to_device(like.device())?
        .f_to_kind(like.kind())?)
}

/// `(B, C, H, W)` split as `(B, C / group, group, H, W)`.
///
/// # Errors
/// [`NnError::ShapeMismatch`] when `x` is not 4-D or `C` is not a multiple of `group`.
fn grouped(x: &Tensor, group: i64, what: &str) -> Result<Tensor> {
    let size = x.size();
    let channels = size.get(1).copied().unwrap_or(0);
    if size.len() != 4 || channels % group != 0 || channels == 0 {
        return Err(NnError::ShapeMismatch {
            what: format!("channels of {what}, got shape {size:?}"),
            expected: group * (channels / group).max(1),
            got: channels,
        });
    }
    Ok(x.f_view([size[0], channels / group, group, size[2], size[3]])?)
}

/// Lifts vector fields to regular fields by projecting every vector onto the four
/// orientations: `f(s, p) = ⟨φ(p), e_s⟩ = u cos(sπ/2) + v sin(sπ/2)`, i.e. `(u, v, −u, −v)`
/// — the reference's `lift_coefs` (Wang et al., `RelaxedGroupEquivariantCNN.forward`).
///
/// It intertwines the two actions of [`crate::field`]: lifting
/// [`crate::field::rotate_vector_field`]`(φ, r)` gives
/// [`crate::field::rotate_regular_field`]`(lift(φ), r)`, since
/// `⟨R^r φ(R^{−r}p), e_s⟩ = ⟨φ(R^{−r}p), e_{s−r}⟩`.
///
/// # Shapes
/// `(B, 2F, H, W)` (channel `2f` = `u`, `2f + 1` = `v`) → `(B, 4F, H, W)` (channel `4f + s`).
///
/// # Errors
/// [`NnError::ShapeMismatch`] for a tensor that is not `(B, 2F, H, W)`.
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::lift_vector_field;
/// use tch::Tensor;
/// let flow = Tensor::from_slice(&[3.0f32, 5.0]).view([1, 2, 1, 1]);
/// let lifted = lift_vector_field(&flow).unwrap();
/// assert_eq!(Vec::<f32>::try_from(lifted.view([-1])).unwrap(), vec![3.0, 5.0, -3.0, -5.0]);
/// ```
pub fn lift_vector_field(x: &Tensor) -> Result<Tensor> {
    let pairs = grouped(x, 2, "a vector field (B, 2F, H, W)")?;
    let lifted = Tensor::f_einsum("bfvhw,sv->bfshw", &[pairs, directions(x)?], None::<i64>)?;
    let size = x.size();
    Ok(lifted.f_reshape([size[0], 2 * size[1], size[2], size[3]])?)
}

/// Projects regular fields to vector fields: `φ(p) = Σ_s f(s, p) e_s`, i.e.
/// `u = f(0) − f(2)`, `v = f(1) − f(3)` — the reference's final
/// `einsum("binhw, nv->bivhw", out, lift_coefs)`.
///
/// It intertwines [`crate::field::rotate_regular_field`] with
/// [`crate::field::rotate_vector_field`] (`Σ_s f(s − r) e_s = R^r Σ_s f(s) e_s`), and
/// `project(lift(φ)) = 2φ`.
///
/// # Shapes
/// `(B, 4C, H, W)` → `(B, 2C, H, W)`.
///
/// # Errors
/// [`NnError::ShapeMismatch`] for a tensor that is not `(B, 4C, H, W)`.
///
/// # Example
/// ```
/// use gm_nn::model::relaxed_rotation::project_regular_field;
/// use tch::Tensor;
/// let f = Tensor::from_slice(&[4.0f32, 1.0, 1.0, 0.0]).view([1, 4, 1, 1]);
/// let v = project_regular_field(&f).unwrap();
/// assert_eq!(Vec::<f32>::try_from(v.view([-1])).unwrap(), vec![3.0, 1.0]);
/// ```
pub fn project_regular_field(x: &Tensor) -> Result<Tensor> {
    let fields = grouped(x, ORIENTATIONS, "a regular field (B, 4C, H, W)")?;
    let projected = Tensor::f_einsum("bcshw,sv->bcvhw", &[fields, directions(x)?], None::<i64>)?;
    let size = x.size();
    Ok(projected.f_reshape([size[0], size[1] / 2, size[2], size[3]])?)
}
