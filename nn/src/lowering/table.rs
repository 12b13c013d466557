//! Index tensors of a group on a device: the gather table of a GM convolution, the
//! left-regular action, plain index lists.

use crate::Result;
use gm_algebra::matrix::GatherTable;
use gm_algebra::FiniteGroup;
use tch::{Device, Kind, Tensor};

/// The gather table `table[k][a] = index(g_a·s_k)` (the algebra's
/// [`GatherTable`]) as a `(K, n)` `i64` tensor on `device`.
///
/// # Errors
/// [`crate::NnError::Algebra`] for a support index `≥ n` or a group too large for `u32` indices;
/// [`crate::NnError::Torch`] from the copy.
pub fn gather_table<G: FiniteGroup + ?Sized>(
    group: &G,
    support: &[usize],
    device: Device,
) -> Result<Tensor> {
    let table = GatherTable::new(group, support)?;
    let flat: Vec<i64> = table.table().iter().map(|&i| i64::from(i)).collect();
    Ok(Tensor::f_from_slice(&flat)?
        .f_view([support.len() as i64, group.order() as i64])?
        .f_to_device(device)?)
}

/// The left-regular action as an index tensor: `perm[a] = index(u⁻¹·g_a)`, so that
/// `x.index_select(-1, perm)` is `λ(u)x`, `(λ(u)x)(g) = x(u⁻¹g)`.
///
/// # Errors
/// [`crate::NnError::Algebra`] when `u ≥ n`; [`crate::NnError::Torch`] from the copy.
pub fn left_action<G: FiniteGroup + ?Sized>(group: &G, u: usize, device: Device) -> Result<Tensor> {
    let n = group.order();
    if u >= n {
        return Err(gm_algebra::Error::IndexOutOfRange { index: u, order: n }.into());
    }
    let ui = group.inv_idx(u);
    let perm: Vec<i64> = (0..n).map(|a| group.mul_idx(ui, a) as i64).collect();
    Ok(Tensor::f_from_slice(&perm)?.f_to_device(device)?)
}

/// An `i64` index tensor on `device` from `usize` indices.
///
/// # Errors
/// [`crate::NnError::Torch`] from the copy.
pub fn index_tensor(indices: &[usize], device: Device) -> Result<Tensor> {
    let v: Vec<i64> = indices.iter().map(|&i| i as i64).collect();
    Ok(Tensor::f_from_slice(&v)?
        .f_to_kind(Kind::Int64)?
        .f_to_device(device)?)
}
