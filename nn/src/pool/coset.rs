//! Coset pooling `G → G/H`.

use super::{not_linear, reduce_last, PoolMode};
use crate::dense::{linear_map_matrix, ExportDense};
use crate::lowering::index_tensor;
use crate::{NnError, Result};
use gm_algebra::space::HomogeneousSpace;
use gm_algebra::FiniteGroup;
use tch::nn::Module;
use tch::{Device, Kind, Tensor};

/// Pools a function on `G` to the cosets `G/H`: `(Pf)(x) = max` (or mean) of `f` over the
/// coset `x`. Equivariant: `P(λ_G(u)f) = λ_X(u)(Pf)`.
///
/// The cosets are given by their labels `labels[g] ∈ 0..|X|` (all cosets of one size), e.g.
/// `HomogeneousSpace::cosets().labels()` of the algebra, or [`super::wallpaper_pixel_labels`].
///
/// # Shapes
/// `(B, C, n)` → `(B, C, |X|)`.
///
/// # Example
/// ```
/// use gm_nn::pool::{CosetPool, PoolMode};
/// use tch::{nn::Module, Device, Tensor};
/// // Z_4 / {0, 2}: cosets {0, 2} and {1, 3}.
/// let pool = CosetPool::new(&[0, 1, 0, 1], PoolMode::Max, Device::Cpu).unwrap();
/// let y = pool.forward(&Tensor::from_slice(&[1.0f32, 5.0, 3.0, 2.0]).view([1, 1, 4]));
/// assert_eq!(Vec::<f32>::try_from(y.view([-1])).unwrap(), vec![3.0, 5.0]);
/// ```
#[derive(Debug)]
pub struct CosetPool {
    grouped: Tensor,
    points: i64,
    coset_size: i64,
    mode: PoolMode,
}

impl CosetPool {
    /// The pool for the partition `labels` of `G` into cosets.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] when the classes are not all of one size (or empty).
    pub fn new(labels: &[usize], mode: PoolMode, device: Device) -> Result<Self> {
        let points = labels.iter().max().map_or(0, |m| m + 1);
        let mut classes: Vec<Vec<usize>> = vec![Vec::new(); points];
        for (g, &x) in labels.iter().enumerate() {
            classes[x].push(g);
        }
        let size = classes.first().map_or(0, Vec::len);
        if size == 0 || classes.iter().any(|c| c.len() != size) {
            return Err(NnError::InvalidConfig(
                "coset labels must split G into non-empty classes of one size".into(),
            ));
        }
        let flat: Vec<usize> = classes.concat();
        Ok(Self {
            grouped: index_tensor(&flat, device)?,
            points: points as i64,
            coset_size: size as i64,
            mode,
        })
    }

    /// The pool onto the points of the homogeneous space `space = G/H`.
    ///
    /// # Errors
    /// [`NnError::Torch`] from the copy to `device`.
    pub fn from_space<G: FiniteGroup>(
        space: &HomogeneousSpace<G>,
        mode: PoolMode,
        device: Device,
    ) -> Result<Self> {
        Self::new(space.cosets().labels(), mode, device)
    }

    /// `|X|`, the number of cosets.
    pub fn num_points(&self) -> usize {
        self.points as usize
    }

    /// The forward pass with errors reported.
    ///
    /// # Errors
    /// [`NnError::Torch`] when the last axis is not of length `n`.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        let (b, c, _) = xs.size3()?;
        let g =
            xs.f_index_select(-1, &self.grouped)?
                .f_view([b, c, self.points, self.coset_size])?;
        reduce_last(&g, self.mode)
    }
}

impl Module for CosetPool {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("CosetPool forward")
    }
}

impl ExportDense for CosetPool {
    /// The `|X| × n` averaging matrix (average mode only).
    fn export_dense(&self) -> Result<Tensor> {
        if self.mode == PoolMode::Max {
            return Err(not_linear());
        }
        let n = (self.points * self.coset_size) as usize;
        linear_map_matrix(1, n, Kind::Double, self.grouped.device(), |x| {
            self.f_forward(x)
        })
    }
}
