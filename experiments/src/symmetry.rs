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
//! `G` acts on the input); [`symmetry_error`] measures how far a trained model is from that
//! (and, for field-to-field models, from equivariance).
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

/// A measured invariance (classifiers) or equivariance (field-to-field models) error, as
/// stored in a run's `result.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvarianceCheck {
    /// The group whose generators acted on the test images (a spec, e.g. `p4(28)`).
    pub group: String,
    /// The largest `max|f(u·x) − f(x)| / max|f(x)|` (classifiers: `f` = logits) or
    /// `max|f(u·x) − u·f(x)| / max|f(x)|` (field-to-field models: `f` = the next frame) over
    /// the generators `u` and the batches of test inputs `x`, in evaluation mode, fp32.
    pub error: f64,
    /// Test images used.
    pub samples: usize,
}

/// How a model's output should respond to the group acting on its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// Unchanged: a classifier's logits, `max|f(u·x) − f(x)| / max|f(x)|`.
    Invariant,
    /// Transformed the same way: a field-to-field model (the regression model, input frames
    /// `(B, C, H, W)` to the next frame `(B, C', H, W)`), `max|f(u·x) − u·f(x)| / max|f(x)|`.
    Equivariant,
}

/// How far `model` is from responding to the generators of `group` (acting on the pixels of
/// its input, and for [`Response::Equivariant`] of its output) as `response` says, measured
/// on the first `max_samples` inputs of `data` in batches of `batch_size` on `device`
/// (evaluation mode, no autocast); the largest value over generators and batches.
///
/// # Errors
/// Errors of the model or libtorch; [`NnError::InvalidConfig`] on empty data.
pub fn symmetry_error(
    model: &dyn ModuleT,
    group: &ImageGroup,
    response: Response,
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
    let out_channels = tch::no_grad(|| model.forward_t(&first, false)).size()[1] as usize;
    let pairs = group
        .image_actions(device)?
        .into_iter()
        .map(|a| {
            let output = match response {
                Response::Invariant => Action::trivial(out_channels, device)?,
                Response::Equivariant => a.clone(),
            };
            Ok((a, output))
        })
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
        let output = |v: &Tensor| -> Result<Tensor> {
            let images = v.f_reshape([len, shape[0], shape[1], shape[2]])?;
            let y = model
                .forward_t(&images, false)
                .f_to_kind(tch::Kind::Float)?;
            Ok(match response {
                Response::Invariant => y,
                Response::Equivariant => y.f_reshape([len, out_channels as i64, -1])?,
            })
        };
        worst = worst.max(equivariance_error(output, &flat, &pairs)?);
        start += len as usize;
    }
    Ok(InvarianceCheck {
        group: group.spec(),
        error: worst,
        samples: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{AxisGroup, ModelConfig};
    use gm_nn::model::{Regression, RegressionConfig};
    use tch::nn::VarStore;
    use tch::Kind;

    fn regression(rank: usize) -> (VarStore, Regression) {
        tch::manual_seed(3);
        let vs = VarStore::new(Device::Cpu);
        let config = RegressionConfig {
            group: "C8xC8".into(),
            in_channels: 4,
            hidden: 6,
            blocks: 2,
            relaxed_rank: rank,
            ..Default::default()
        };
        let model = Regression::new(vs.root(), &config).unwrap();
        (vs, model)
    }

    #[test]
    fn field_equivariance_is_zero_for_exact_layers_and_measurable_for_relaxed_ones() {
        let model_cfg = ModelConfig {
            axis_group: AxisGroup::Cyclic,
            ..crate::config::load_experiment("plume-rotation", &[])
                .unwrap()
                .model
        };
        let group = ImageGroup::of(&model_cfg, 8, 8).unwrap();
        let data = TensorData::new(
            Tensor::randn([5, 4, 8, 8], (Kind::Float, Device::Cpu)),
            Tensor::zeros([5, 1], (Kind::Float, Device::Cpu)),
        )
        .unwrap();
        let (_, exact) = regression(0);
        let e = symmetry_error(
            &exact,
            &group,
            Response::Equivariant,
            &data,
            5,
            2,
            Device::Cpu,
        )
        .unwrap();
        assert_eq!((e.group.as_str(), e.samples), ("C8xC8", 5));
        assert!(e.error < 1e-5, "exact layers: {}", e.error);
        // A relaxed model with nonzero position vectors is measurably not equivariant.
        let (vs, relaxed) = regression(1);
        tch::no_grad(|| {
            for (name, mut v) in vs.variables() {
                if name.contains("relax_position") {
                    v.copy_(&Tensor::randn(v.size(), (Kind::Float, Device::Cpu)));
                }
            }
        });
        let e = symmetry_error(
            &relaxed,
            &group,
            Response::Equivariant,
            &data,
            5,
            2,
            Device::Cpu,
        )
        .unwrap();
        assert!(e.error > 1e-2, "relaxed layers: {}", e.error);
    }
}
