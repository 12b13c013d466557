//! A symmetry of the task rather than of the model: how often a classifier's prediction
//! survives rotating the test image by 90°, 180° and 270°. On rotated digits the label does
//! not change under rotation, so an ideal classifier agrees with itself on all four turns;
//! an exact p4/p4m G-CNN does by construction (its group contains the turns), other models
//! only as far as they have learned it.
use crate::train::TensorData;
use gm_nn::{NnError, Result};
use serde::{Deserialize, Serialize};
use tch::nn::ModuleT;
use tch::Device;

/// The measured agreement, as stored in a run's `result.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RotationAgreement {
    /// The fraction of (image, turn) pairs, over the turns by 90°, 180° and 270°, whose
    /// predicted class equals the prediction on the unturned image.
    pub agreement: f64,
    /// Test images used.
    pub samples: usize,
}

/// [`RotationAgreement`] of `model` on the first `max_samples` square images of `data`, in
/// batches of `batch_size` on `device` (evaluation mode).
///
/// # Errors
/// [`NnError::InvalidConfig`] on empty data or non-square images; libtorch errors.
pub fn rotation_agreement(
    model: &dyn ModuleT,
    data: &TensorData,
    max_samples: usize,
    batch_size: usize,
    device: Device,
) -> Result<RotationAgreement> {
    let n = data.len().min(max_samples);
    let size = data.x.size();
    if n == 0 || size.len() != 4 || size[2] != size[3] {
        return Err(NnError::InvalidConfig(format!(
            "rotation agreement needs square images and at least one sample, got {n} of shape \
             {size:?}"
        )));
    }
    let mut agree = 0i64;
    let mut start = 0;
    tch::no_grad(|| -> Result<()> {
        while start < n {
            let len = batch_size.max(1).min(n - start) as i64;
            let x = data.x.f_narrow(0, start as i64, len)?.f_to_device(device)?;
            let predicted = model.forward_t(&x, false).f_argmax(-1, false)?;
            for turns in 1..4 {
                let turned = model
                    .forward_t(&x.f_rot90(turns, [-2, -1])?, false)
                    .f_argmax(-1, false)?;
                agree += turned
                    .f_eq_tensor(&predicted)?
                    .f_sum(tch::Kind::Int64)?
                    .int64_value(&[]);
            }
            start += len as usize;
        }
        Ok(())
    })?;
    Ok(RotationAgreement {
        agreement: agree as f64 / (3 * n) as f64,
        samples: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{Kind, Tensor};

    /// Predicts class 1 when the top-left quarter holds more mass than the bottom-right
    /// one, else 0: a model that is not rotation-invariant.
    #[derive(Debug)]
    struct Corner;

    impl ModuleT for Corner {
        fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
            let tl = xs.narrow(-2, 0, 2).narrow(-1, 0, 2).sum_dim_intlist(
                [1, 2, 3].as_slice(),
                false,
                Kind::Float,
            );
            let br = xs.narrow(-2, 2, 2).narrow(-1, 2, 2).sum_dim_intlist(
                [1, 2, 3].as_slice(),
                false,
                Kind::Float,
            );
            Tensor::stack(&[br.shallow_clone(), tl.shallow_clone()], 1)
        }
    }

    /// The total mass in two classes: rotation-invariant.
    #[derive(Debug)]
    struct Mass;

    impl ModuleT for Mass {
        fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
            let m = xs.sum_dim_intlist([1, 2, 3].as_slice(), false, Kind::Float);
            Tensor::stack(&[m.shallow_clone(), -m], 1)
        }
    }

    #[test]
    fn invariant_models_agree_fully_and_corner_detectors_do_not() {
        // One bright pixel in the top-left corner of each image: class 1 for the corner
        // detector.
        let x = Tensor::zeros([3, 1, 4, 4], (Kind::Float, Device::Cpu));
        let _ = x.narrow(2, 0, 1).narrow(3, 0, 1).fill_(1.0);
        let data = TensorData::new(x, Tensor::zeros([3], (Kind::Int64, Device::Cpu))).unwrap();
        let full = rotation_agreement(&Mass, &data, 10, 2, Device::Cpu).unwrap();
        assert_eq!((full.agreement, full.samples), (1.0, 3));
        let corner = rotation_agreement(&Corner, &data, 10, 2, Device::Cpu).unwrap();
        // Turns by 90° and 270° move the pixel to corners counted by neither quarter (a
        // tie: argmax picks class 0, unlike the unturned class 1); 180° moves it to the
        // bottom-right (class 0). No turn agrees.
        assert_eq!(corner.agreement, 0.0);
        let rect = TensorData::new(
            Tensor::zeros([2, 1, 4, 3], (Kind::Float, Device::Cpu)),
            Tensor::zeros([2], (Kind::Int64, Device::Cpu)),
        )
        .unwrap();
        assert!(rotation_agreement(&Mass, &rect, 10, 2, Device::Cpu).is_err());
    }
}
