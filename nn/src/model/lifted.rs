//! A classifier on `G` fed by a lift from the cosets `G/H` (e.g. images on `Z_N² = p4/C4`).

use super::classifier::Classifier;
use crate::pool::Lift;
use crate::Result;
use tch::nn::ModuleT;
use tch::Tensor;

/// [`Lift`] then [`Classifier`]: the input `(B, C, H, W)` (or `(B, C, |X|)`) is flattened
/// row-major to functions on the cosets `X = G/H`, lifted to `G` (`(Lφ)(g) = φ(gH)`) and
/// classified by GM blocks on `G`. Since the lift is `G`-equivariant and the classifier
/// `G`-invariant, the logits are invariant under `G` acting on `X` — for `p4(N)`/`p4m(N)`
/// lifted with [`crate::pool::wallpaper_pixel_labels`], under cyclic shifts, rotations by
/// 90° and (p4m) mirror images of the `N×N` image.
///
/// Parameter paths are the classifier's.
///
/// # Shapes
/// `(B, C, H, W)` or `(B, C, |X|)` → `(B, classes)`.
///
/// # Example
/// ```
/// use gm_algebra::group::Wallpaper;
/// use gm_algebra::AnyGroup;
/// use gm_nn::lowering::{wallpaper_support, Support};
/// use gm_nn::model::{Classifier, ClassifierConfig, LiftedClassifier};
/// use gm_nn::pool::{wallpaper_pixel_labels, Lift};
/// use tch::{nn::{ModuleT, VarStore}, Device, Kind, Tensor};
/// let p4 = Wallpaper::p4(6).unwrap();
/// let vs = VarStore::new(Device::Cpu);
/// let config = ClassifierConfig {
///     group: AnyGroup::new(p4),
///     support: Support::Elements(wallpaper_support(&p4, 1)),
///     in_channels: 1,
///     channels: vec![4, 4],
///     classes: 3,
///     ..ClassifierConfig::default()
/// };
/// let lift = Lift::new(&wallpaper_pixel_labels(&p4), Device::Cpu).unwrap();
/// let model = LiftedClassifier::new(lift, Classifier::new(vs.root(), &config).unwrap());
/// let x = Tensor::randn([2, 1, 6, 6], (Kind::Float, Device::Cpu));
/// let y = model.forward_t(&x, false);
/// // Invariant under a rotation of the image by 90°.
/// let y_rot = model.forward_t(&x.rot90(1, [2, 3]), false);
/// assert!(f64::try_from((y - y_rot).abs().max()).unwrap() < 1e-4);
/// ```
#[derive(Debug)]
pub struct LiftedClassifier {
    lift: Lift,
    classifier: Classifier,
}

impl LiftedClassifier {
    /// The lift followed by the classifier (whose group must be the lift's `G`).
    pub fn new(lift: Lift, classifier: Classifier) -> Self {
        Self { lift, classifier }
    }

    /// The forward pass with errors reported.
    ///
    /// # Errors
    /// [`crate::NnError::Torch`] on a shape mismatch.
    pub fn f_forward_t(&self, xs: &Tensor, train: bool) -> Result<Tensor> {
        let size = xs.size();
        let flat = xs.f_reshape([size[0], size[1], -1])?;
        self.classifier
            .f_forward_t(&self.lift.f_forward(&flat)?, train)
    }
}

impl ModuleT for LiftedClassifier {
    fn forward_t(&self, xs: &Tensor, train: bool) -> Tensor {
        self.f_forward_t(xs, train)
            .expect("LiftedClassifier forward")
    }
}
