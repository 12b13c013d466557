//! The symmetry group of an image experiment, how it acts on images, and the measured
//! invariance error of a trained classifier under it.
//!
//! - `symmetry = "axis-product"`: `G = G₁ × G₂` (`C_H × C_W` or `D_{H/2} × D_{W/2}`) and the
//!   image *is* a function on `G` (pixel `(p, q)` ↔ `(g_p, g_q)`, row-major); `G` acts by
//!   the left-regular action — for cyclic axes, cyclic shifts of the image.
//! - `symmetry = "p4" | "p4m"`: the wallpaper group `p4(N)`/`p4m(N)` acting on the `N×N`
//!   grid `Z_N² = G/P`; the GM model lifts the image to `G`. The generators act as unit
//!   cyclic shifts, a rotation by 90° and (p4m) a mirror image.
//!
//! A GM classifier with exact layers is invariant under `G` (its logits do not change when
//! `G` acts on the input); [`invariance_error`] measures how far a trained model is from that.
use crate::config::{AxisGroup, ModelConfig, Symmetry};
use crate::train::TensorData;
use gm_algebra::group::{parse_group, Wallpaper};
use gm_algebra::{AnyGroup, FiniteGroup};
use gm_nn::lowering::{wallpaper_support, Support};
use gm_nn::pool::{wallpaper_pixel_labels, Lift};
use gm_nn::testing::{equivariance_error, Action};
use gm_nn::{NnError, Result};
use serde::{Deserialize, Serialize};
use tch::nn::ModuleT;
use tch::{Device, Tensor};

/// The group of an image experiment on an `H × W` grid.
#[derive(Debug, Clone)]
pub enum ImageGroup {
    /// One cyclic or dihedral group per image axis; images are functions on `G` itself.
    AxisProduct(AnyGroup),
    /// `p4(N)` or `p4m(N)`; images are functions on `G/P = Z_N²`.
    Wallpaper(Wallpaper),
}

impl ImageGroup {
    /// The group `model` uses on `height × width` images.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for a dihedral axis on an odd side, or p4/p4m on a
    /// non-square grid.
    ///
    /// # Example
    /// ```
    /// use gm_experiments::symmetry::ImageGroup;
    /// let cfg = gm_experiments::config::load_experiment("rot-mnist-p4", &[]).unwrap();
    /// let g = ImageGroup::of(&cfg.model, 28, 28).unwrap();
    /// assert_eq!((g.spec(), g.order()), ("p4(28)".to_string(), 4 * 28 * 28));
    /// ```
    pub fn of(model: &ModelConfig, height: usize, width: usize) -> Result<Self> {
        match model.symmetry {
            Symmetry::AxisProduct => {
                let spec = match model.axis_group {
                    AxisGroup::Cyclic => format!("C{height}xC{width}"),
                    AxisGroup::Dihedral => {
                        if height % 2 != 0 || width % 2 != 0 {
                            return Err(NnError::InvalidConfig(format!(
                                "model.axis_group = \"dihedral\" needs even image sides, got \
                                 {height}x{width}"
                            )));
                        }
                        format!("D{}xD{}", height / 2, width / 2)
                    }
                };
                Ok(Self::AxisProduct(parse_group(&spec)?))
            }
            Symmetry::P4 | Symmetry::P4m => {
                if height != width {
                    return Err(NnError::InvalidConfig(format!(
                        "p4/p4m act on square grids, got {height}x{width}"
                    )));
                }
                Ok(Self::Wallpaper(if model.symmetry == Symmetry::P4 {
                    Wallpaper::p4(height)?
                } else {
                    Wallpaper::p4m(height)?
                }))
            }
        }
    }

    /// The group spec (`C28xC28`, `D14xD14`, `p4(28)`, …), as `parse_group` reads it.
    pub fn spec(&self) -> String {
        match self {
            Self::AxisProduct(g) => g.name(),
            Self::Wallpaper(g) => FiniteGroup::name(g),
        }
    }

    /// `|G|`.
    pub fn order(&self) -> usize {
        match self {
            Self::AxisProduct(g) => g.order(),
            Self::Wallpaper(g) => FiniteGroup::order(g),
        }
    }

    /// The kernel support of radius `t`: the reference's per-axis support, or the
    /// `(2t+1)²` translations times the point group ([`wallpaper_support`]).
    pub fn support(&self, t: usize) -> Support {
        match self {
            Self::AxisProduct(_) => Support::Radius(t),
            Self::Wallpaper(g) => Support::Elements(wallpaper_support(g, t)),
        }
    }

    /// The lift from the pixel grid to `G` (`None` when images already live on `G`).
    ///
    /// # Errors
    /// [`NnError::Torch`] from the copy to `device`.
    pub fn lift(&self, device: Device) -> Result<Option<Lift>> {
        match self {
            Self::AxisProduct(_) => Ok(None),
            Self::Wallpaper(g) => Ok(Some(Lift::new(&wallpaper_pixel_labels(g), device)?)),
        }
    }

    /// The generators of `G` acting on flattened images `(…, H·W)`.
    ///
    /// # Errors
    /// [`NnError::Torch`] from the copy to `device`.
    pub fn image_actions(&self, device: Device) -> Result<Vec<Action>> {
        match self {
            Self::AxisProduct(g) => g
                .generator_indices()
                .into_iter()
                .map(|u| Action::regular(g, u, device))
                .collect(),
            Self::Wallpaper(g) => {
                let labels = wallpaper_pixel_labels(g);
                g.generator_indices()
                    .into_iter()
                    .map(|u| Action::on_cosets(g, &labels, u, device))
                    .collect()
            }
        }
    }
}

/// A measured invariance error, as stored in a run's `result.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvarianceCheck {
    /// The group whose generators acted on the test images (a spec, e.g. `p4(28)`).
    pub group: String,
    /// The largest `max|f(u·x) − f(x)| / max|f(x)|` over the generators `u` and the batches
    /// of test images `x` (`f` = logits in evaluation mode, fp32).
    pub error: f64,
    /// Test images used.
    pub samples: usize,
}

/// The invariance error of the classifier `model` under the generators of `group` acting
/// on the first `max_samples` images of `data` (evaluated in batches of `batch_size` on
/// `device`, without autocast).
///
/// # Errors
/// Errors of the model or libtorch; [`NnError::InvalidConfig`] on empty data.
pub fn invariance_error(
    model: &dyn ModuleT,
    group: &ImageGroup,
    data: &TensorData,
    max_samples: usize,
    batch_size: usize,
    device: Device,
) -> Result<InvarianceCheck> {
    let n = data.len().min(max_samples);
    if n == 0 {
        return Err(NnError::InvalidConfig(
            "no samples to measure invariance on".into(),
        ));
    }
    let size = data.x.size();
    let shape = [size[1], size[2], size[3]];
    let first = data.x.f_narrow(0, 0, 1)?.f_to_device(device)?;
    let classes = tch::no_grad(|| model.forward_t(&first, false)).size()[1] as usize;
    let pairs = group
        .image_actions(device)?
        .into_iter()
        .map(|a| Ok((a, Action::trivial(classes, device)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut worst = 0f64;
    let mut start = 0;
    while start < n {
        let len = batch_size.max(1).min(n - start) as i64;
        let flat = data
            .x
            .f_narrow(0, start as i64, len)?
            .f_to_device(device)?
            .f_reshape([len, shape[0], -1])?;
        let logits = |v: &Tensor| -> Result<Tensor> {
            let images = v.f_reshape([len, shape[0], shape[1], shape[2]])?;
            Ok(model
                .forward_t(&images, false)
                .f_to_kind(tch::Kind::Float)?)
        };
        worst = worst.max(equivariance_error(logits, &flat, &pairs)?);
        start += len as usize;
    }
    Ok(InvarianceCheck {
        group: group.spec(),
        error: worst,
        samples: n,
    })
}
