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
mod axis_product;
mod rotation;
mod vector_rotation;
mod wallpaper;

pub use rotation::{rotation_agreement, RotationAgreement};
pub use vector_rotation::{vector_rotation_error, VECTOR_ROTATIONS};

use crate::config::{ConfigError, Dataset, ModelConfig, Symmetry};
use crate::train::TensorData;
use gm_algebra::{AnyGroup, FiniteGroup};
use gm_nn::lowering::Support;
use gm_nn::pool::Lift;
use gm_nn::testing::{equivariance_error, Action};
use gm_nn::{NnError, Result};
use serde::{Deserialize, Serialize};
use tch::nn::ModuleT;
use tch::{Device, Tensor};

/// How a configured `model.symmetry` acts on an experiment's images: its entry in
/// [`REGISTRY`]. Adding an image symmetry: a file with its entry, a [`Symmetry`] variant, and a
/// line in [`REGISTRY`]; configs, validation, model building and reports reach it from there.
pub trait ImageSymmetry: Sync {
    /// The config value it answers to.
    fn symmetry(&self) -> Symmetry;

    /// Its group on `height × width` images, with the kernel support of the model's radius.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for a grid it cannot act on.
    fn group(&self, model: &ModelConfig, height: usize, width: usize) -> Result<ImageGroup>;

    /// `K`, the size of the kernel support of the model's radius.
    fn support_size(&self, model: &ModelConfig) -> usize;

    /// Checks the model's keys against the `height × width` grid of `dataset`.
    ///
    /// # Errors
    /// [`ConfigError::InvalidKey`] naming the offending key and what is allowed.
    fn validate(
        &self,
        model: &ModelConfig,
        height: usize,
        width: usize,
        dataset: Dataset,
    ) -> std::result::Result<(), ConfigError>;

    /// How reports name the symmetry of `model` (`axis-product/dihedral`, `p4`).
    fn describe(&self, model: &ModelConfig) -> String;
}

/// Every image symmetry a config can name.
pub const REGISTRY: &[&dyn ImageSymmetry] = &[
    &axis_product::AxisProduct,
    &wallpaper::WallpaperSymmetry::P4,
    &wallpaper::WallpaperSymmetry::P4M,
];

/// The registry entry of `symmetry`.
pub fn image_symmetry(symmetry: Symmetry) -> &'static dyn ImageSymmetry {
    *REGISTRY
        .iter()
        .find(|s| s.symmetry() == symmetry)
        .expect("every symmetry is registered (checked by a test)")
}

impl ModelConfig {
    /// Size `K` of the kernel support of one GM convolution: per axis `{-t..t}` (cyclic) or
    /// `{r^i, f r^i : -t..t}` (dihedral); `(2t+1)²` cells times the point group for p4/p4m.
    pub fn support_size(&self) -> usize {
        image_symmetry(self.symmetry).support_size(self)
    }
}

/// The group of an image experiment on an `H × W` grid, how it acts on the images, and the
/// kernel support of the model's radius.
#[derive(Debug, Clone)]
pub struct ImageGroup {
    group: AnyGroup,
    /// The generators the actions use, when they generate a subgroup of `group` rather than
    /// `group` itself (see [`ImageGroup::pooled`]), with that subgroup's name.
    subgroup: Option<(Vec<usize>, String)>,
    /// The coset of `G/P` each pixel is, when images live on a homogeneous space; `None` when
    /// images are functions on `G` itself.
    pixels: Option<Vec<usize>>,
    support: Support,
}

impl ImageGroup {
    /// The group `model` uses on `height × width` images ([`ImageSymmetry::group`] of its
    /// symmetry).
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
        image_symmetry(model.symmetry).group(model, height, width)
    }

    /// `group` acting on images that are functions on it (pixel `i` is element `i`).
    pub fn on_group(group: AnyGroup, support: Support) -> Self {
        Self {
            group,
            subgroup: None,
            pixels: None,
            support,
        }
    }

    /// `group` acting on images on a homogeneous space `G/P`: pixel `i` is the coset
    /// labelled `pixels[i]` (as [`Lift`] takes them).
    pub fn on_cosets(group: AnyGroup, pixels: Vec<usize>, support: Support) -> Self {
        Self {
            group,
            subgroup: None,
            pixels: Some(pixels),
            support,
        }
    }

    /// The group's name for people (`C28xC28`, `D14xD14`, `p4(28)`, …; also a spec
    /// `parse_group` reads), or the subgroup's of [`ImageGroup::pooled`].
    pub fn spec(&self) -> String {
        match &self.subgroup {
            Some((_, name)) => name.clone(),
            None => self.group.name(),
        }
    }

    /// The subgroup `H ≤ G` under which a GM classifier that pools `levels` times with
    /// stride 2 (`SubgroupPool::stride2` on every axis) is invariant: per axis `⟨2^levels⟩ ≤
    /// Z_N`, or `⟨r^(2^levels), f⟩ ≤ D_n`; the actions then use its generators. Named like
    /// `D14xD14 ⊇ H(stride 2)`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] when the group is not a grid of cyclic/dihedral axes or an
    /// axis is not divisible by `2^levels` (the model could not pool it either).
    ///
    /// # Example
    /// ```
    /// use gm_experiments::symmetry::ImageGroup;
    /// let cfg = gm_experiments::config::load_experiment("rot-mnist-digits-pooled", &[]).unwrap();
    /// let h = ImageGroup::of(&cfg.model, 28, 28).unwrap().pooled(1).unwrap();
    /// assert_eq!(h.spec(), "D14xD14 ⊇ H(stride 2)");
    /// ```
    pub fn pooled(&self, levels: usize) -> Result<Self> {
        let axes = gm_nn::lowering::detect_axes(&self.group)
            .filter(|_| self.pixels.is_none())
            .ok_or_else(|| {
                NnError::InvalidConfig(format!(
                    "{} is not a grid of cyclic/dihedral axes: no pooled subgroup",
                    self.group.name()
                ))
            })?;
        let step = 1usize << levels.min(usize::BITS as usize - 1);
        let orders: Vec<usize> = axes.iter().map(|a| a.order()).collect();
        let mut generators = Vec::new();
        for (i, axis) in axes.iter().enumerate() {
            let stride: usize = orders[i + 1..].iter().product();
            let (rotations, own) = match *axis {
                gm_nn::lowering::Axis::Cyclic(n) => (n, vec![step % n]),
                gm_nn::lowering::Axis::Dihedral(n) => (n, vec![step % n, n]),
            };
            if !rotations.is_multiple_of(step) {
                return Err(NnError::InvalidConfig(format!(
                    "{axis:?} cannot be halved {levels} times"
                )));
            }
            generators.extend(own.into_iter().map(|g| g * stride));
        }
        Ok(Self {
            subgroup: Some((
                generators,
                format!("{} ⊇ H(stride {step})", self.group.name()),
            )),
            ..self.clone()
        })
    }

    /// The group (what a model is built on).
    pub fn group(&self) -> AnyGroup {
        self.group.clone()
    }

    /// `|G|`.
    pub fn order(&self) -> usize {
        self.group.order()
    }

    /// Whether images are functions on the group itself (no lift needed).
    pub fn images_on_group(&self) -> bool {
        self.pixels.is_none()
    }

    /// The kernel support of the model's radius.
    pub fn support(&self) -> &Support {
        &self.support
    }

    /// The lift from the pixel grid to `G` (`None` when images already live on `G`).
    ///
    /// # Errors
    /// [`NnError::Torch`] from the copy to `device`.
    pub fn lift(&self, device: Device) -> Result<Option<Lift>> {
        self.pixels
            .as_ref()
            .map(|labels| Lift::new(labels, device))
            .transpose()
    }

    /// The generators of `G` (or of the subgroup of [`ImageGroup::pooled`]) acting on
    /// flattened images `(…, H·W)`.
    ///
    /// # Errors
    /// [`NnError::Torch`] from the copy to `device`.
    pub fn image_actions(&self, device: Device) -> Result<Vec<Action>> {
        let g = &self.group;
        let generators = match &self.subgroup {
            Some((h, _)) => h.clone(),
            None => g.generator_indices(),
        };
        generators
            .into_iter()
            .map(|u| match &self.pixels {
                None => Action::regular(g, u, device),
                Some(labels) => Action::on_cosets(g, labels, u, device),
            })
            .collect()
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
    use crate::config::AxisGroup;
    use gm_nn::model::{RelaxedRegression, RelaxedRegressionConfig};
    use tch::nn::VarStore;
    use tch::Kind;

    fn regression(rank: usize) -> (VarStore, RelaxedRegression) {
        tch::manual_seed(3);
        let vs = VarStore::new(Device::Cpu);
        let config = RelaxedRegressionConfig {
            group: gm_algebra::group::parse_group("C8xC8").unwrap(),
            in_channels: 4,
            hidden: 6,
            blocks: 2,
            relaxed_rank: rank,
            ..Default::default()
        };
        let model = RelaxedRegression::new(vs.root(), &config).unwrap();
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

    #[test]
    fn every_registered_symmetry_is_found_and_named_once() {
        for (i, s) in REGISTRY.iter().enumerate() {
            assert_eq!(image_symmetry(s.symmetry()).symmetry(), s.symmetry());
            assert!(REGISTRY[..i].iter().all(|r| r.symmetry() != s.symmetry()));
        }
        // Every symmetry a config names (serde's kebab-case) resolves.
        for name in ["axis-product", "p4", "p4m"] {
            let s: Symmetry = serde_json::from_str(&format!("\"{name}\"")).unwrap();
            assert_eq!(image_symmetry(s).symmetry().to_string(), name);
        }
    }

    #[test]
    fn the_cnn_baseline_is_not_invariant_under_the_translations() {
        // The plain CNN pads with zeros: cyclic shifts change its logits measurably.
        tch::set_num_threads(1);
        tch::manual_seed(3);
        let vs = VarStore::new(Device::Cpu);
        let cnn = crate::baseline::PlainCnn::new(&vs.root(), 1, 4, 2, 0.0, 3);
        let x = Tensor::rand([4, 1, 8, 8], tch::kind::FLOAT_CPU);
        let data = TensorData::new(x, Tensor::zeros([4], tch::kind::INT64_CPU)).unwrap();
        let cfg = crate::config::load_experiment("rot-mnist-digits-cnn", &[]).unwrap();
        let group = ImageGroup::of(&cfg.model, 8, 8).unwrap();
        let c =
            symmetry_error(&cnn, &group, Response::Invariant, &data, 4, 2, Device::Cpu).unwrap();
        // Its GM counterpart, rot-mnist-digits, uses a dihedral group on each image axis.
        assert_eq!((c.group.as_str(), c.samples), ("D4xD4", 4));
        assert!(c.error > 1e-3, "{c:?}");
    }
}
