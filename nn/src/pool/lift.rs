//! Lifting `G/H → G`.

use crate::dense::{linear_map_matrix, ExportDense};
use crate::lowering::index_tensor;
use crate::Result;
use gm_algebra::group::{Group, Wallpaper};
use gm_algebra::space::HomogeneousSpace;
use gm_algebra::FiniteGroup;
use tch::nn::Module;
use tch::{Device, Kind, Tensor};

/// Lifts a function on the cosets `G/H` to `G`: `(Lφ)(g) = φ(gH)` (the pull-back, constant on
/// cosets). Equivariant: `L(λ_X(u)φ) = λ_G(u)(Lφ)`. E.g. an image on `Z_N² = p4/C4` lifted to
/// `p4` with [`wallpaper_pixel_labels`].
///
/// # Shapes
/// `(B, C, |X|)` → `(B, C, n)`.
///
/// # Example
/// ```
/// use gm_nn::pool::Lift;
/// use tch::{nn::Module, Device, Tensor};
/// let lift = Lift::new(&[0, 1, 0, 1], Device::Cpu).unwrap();
/// let y = lift.forward(&Tensor::from_slice(&[7.0f32, 9.0]).view([1, 1, 2]));
/// assert_eq!(Vec::<f32>::try_from(y.view([-1])).unwrap(), vec![7.0, 9.0, 7.0, 9.0]);
/// ```
#[derive(Debug)]
pub struct Lift {
    labels: Tensor,
    points: usize,
}

impl Lift {
    /// The lift along the coset labels `labels[g] ∈ 0..|X|`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from the copy to `device`.
    pub fn new(labels: &[usize], device: Device) -> Result<Self> {
        Ok(Self {
            labels: index_tensor(labels, device)?,
            points: labels.iter().max().map_or(0, |m| m + 1),
        })
    }

    /// The lift from the points of the homogeneous space `space = G/H`.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] from the copy to `device`.
    pub fn from_space<G: FiniteGroup>(space: &HomogeneousSpace<G>, device: Device) -> Result<Self> {
        Self::new(space.cosets().labels(), device)
    }

    /// The forward pass with errors reported.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] when the last axis is not of length `|X|`.
    pub fn f_forward(&self, xs: &Tensor) -> Result<Tensor> {
        Ok(xs.f_index_select(-1, &self.labels)?)
    }
}

impl Module for Lift {
    fn forward(&self, xs: &Tensor) -> Tensor {
        self.f_forward(xs).expect("Lift forward")
    }
}

impl ExportDense for Lift {
    fn export_dense(&self) -> Result<Tensor> {
        linear_map_matrix(1, self.points, Kind::Double, self.labels.device(), |x| {
            self.f_forward(x)
        })
    }
}

/// The pixel of every element of `p4(N)`/`p4m(N)`, i.e. the labels of `G/P` with `P` the point
/// group: element `g` maps to the pixel `g·(0,0) = (i, j)`, label `i·N + j` (row-major) — the
/// same labels as `HomogeneousSpace::new(p4, P).cosets().labels()`, computed without
/// enumerating cosets.
pub fn wallpaper_pixel_labels(group: &Wallpaper) -> Vec<usize> {
    let n = group.grid_size();
    (0..Group::order(group))
        .map(|g| {
            let (i, j) = group.act_on_pixel(&group.element(g), (0, 0));
            i * n + j
        })
        .collect()
}
