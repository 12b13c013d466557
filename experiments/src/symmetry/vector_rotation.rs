//! How far a model on velocity fields is from commuting with quarter turns of the plume: the
//! grid turned and the velocities turned with it (`gm_nn::field::rotate_vector_field`), the
//! symmetry the rotation baselines and the `p4-field` GM model build in.
use super::InvarianceCheck;
use crate::train::TensorData;
use gm_nn::field::rotate_vector_field;
use gm_nn::{NnError, Result};
use tch::nn::ModuleT;
use tch::{Device, Kind};

/// The name of the group in [`InvarianceCheck::group`].
pub const VECTOR_ROTATIONS: &str = "C4 on vector fields";

/// `max|f(g·x) − g·f(x)| / max|f(x)|` over the quarter turns `g` (1, 2, 3) and the first
/// `max_samples` inputs of `data` (stacked velocity fields `(N, 2F, H, H)`), in evaluation
/// mode and fp32, in batches of `batch_size` on `device`.
///
/// # Errors
/// [`NnError::InvalidConfig`] for no samples; [`NnError::ShapeMismatch`] for a non-square
/// grid or an odd channel count; the model's errors.
pub fn vector_rotation_error(
    model: &dyn ModuleT,
    data: &TensorData,
    max_samples: usize,
    batch_size: usize,
    device: Device,
) -> Result<InvarianceCheck> {
    let n = data.len().min(max_samples);
    if n == 0 {
        return Err(NnError::InvalidConfig(
            "no samples to measure the rotation equivariance on".into(),
        ));
    }
    let mut worst = 0f64;
    let mut start = 0;
    tch::no_grad(|| -> Result<()> {
        while start < n {
            let len = batch_size.max(1).min(n - start) as i64;
            let x = data.x.f_narrow(0, start as i64, len)?.f_to_device(device)?;
            let f = |v: &tch::Tensor| model.forward_t(v, false).f_to_kind(Kind::Float);
            let y = f(&x)?;
            let scale = y.f_abs()?.f_max()?.double_value(&[]).max(f64::MIN_POSITIVE);
            for turns in 1..4 {
                let moved_first = f(&rotate_vector_field(&x, turns)?)?;
                let moved_after = rotate_vector_field(&y, turns)?;
                let gap = moved_first.f_sub(&moved_after)?.f_abs()?.f_max()?;
                worst = worst.max(gap.double_value(&[]) / scale);
            }
            start += len as usize;
        }
        Ok(())
    })?;
    Ok(InvarianceCheck {
        group: VECTOR_ROTATIONS.into(),
        error: worst,
        samples: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::Tensor;

    /// The last input frame, unchanged (commutes with every turn), or shifted by one row
    /// (does not).
    #[derive(Debug)]
    struct LastFrame {
        shift: i64,
    }

    impl ModuleT for LastFrame {
        fn forward_t(&self, xs: &Tensor, _train: bool) -> Tensor {
            let c = xs.size()[1];
            xs.narrow(1, c - 2, 2).roll([self.shift], [2])
        }
    }

    #[test]
    fn an_equivariant_map_scores_zero_and_a_shift_does_not() {
        tch::manual_seed(5);
        let x = Tensor::randn([5, 4, 6, 6], (Kind::Float, Device::Cpu));
        let data = TensorData::new(x.shallow_clone(), x.zeros_like()).unwrap();
        let exact = vector_rotation_error(&LastFrame { shift: 0 }, &data, 8, 2, Device::Cpu);
        let exact = exact.unwrap();
        assert_eq!((exact.error, exact.samples), (0.0, 5));
        let shifted = vector_rotation_error(&LastFrame { shift: 1 }, &data, 8, 2, Device::Cpu);
        assert!(shifted.unwrap().error > 0.1);
        assert!(vector_rotation_error(&LastFrame { shift: 0 }, &data, 0, 2, Device::Cpu).is_err());
    }
}
