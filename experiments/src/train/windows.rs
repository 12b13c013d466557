//! Windows of the autoregressive protocol (Wang, Walters & Yu, 2022): an input of
//! `input_frames` consecutive frames stacked along channels (`2·input_frames` channels) and the
//! `rollout` frames that follow as targets.
use super::{Result, TensorData, TrainError};
use crate::config::RegressionConfig;
use crate::data::TrajectorySet;
use std::ops::Range;
use tch::Tensor;

/// Windows starting at every `t` in `starts` (those that fit in the trajectory) of the
/// trajectories `sims`: inputs `[N, 2·input_frames, H, W]`, targets `[N, rollout, 2, H, W]`.
///
/// # Errors
/// [`TrainError::Invalid`] when no window fits.
pub fn windows(
    set: &TrajectorySet,
    sims: &[usize],
    starts: Range<usize>,
    input_frames: usize,
    rollout: usize,
) -> Result<TensorData> {
    let (mut xs, mut ys, mut n) = (Vec::new(), Vec::new(), 0i64);
    let mut shape = None;
    for &s in sims {
        let traj = &set.trajectories[s];
        shape = Some((traj.channels, traj.height, traj.width));
        let f = traj.frame_len();
        for t in starts.clone() {
            if t + input_frames + rollout > traj.steps {
                break;
            }
            xs.extend_from_slice(&traj.frames[t * f..(t + input_frames) * f]);
            ys.extend_from_slice(
                &traj.frames[(t + input_frames) * f..(t + input_frames + rollout) * f],
            );
            n += 1;
        }
    }
    let Some((c, h, w)) = shape.filter(|_| n > 0) else {
        return Err(TrainError::Invalid(format!(
            "no window of {input_frames}+{rollout} frames starting in {starts:?} fits the trajectories"
        )));
    };
    let (c, h, w) = (c as i64, h as i64, w as i64);
    let x = Tensor::f_from_slice(&xs)?.f_view([n, input_frames as i64 * c, h, w])?;
    let y = Tensor::f_from_slice(&ys)?.f_view([n, rollout as i64, c, h, w])?;
    TensorData::new(x, y)
}

/// The four parts of a plume dataset.
#[derive(Debug)]
pub struct PlumeSplits {
    /// Training windows (training simulations, starts in `[0, train_end)`, `train_rollout` targets).
    pub train: TensorData,
    /// Validation windows (`[train_end, val_end)`, `train_rollout` targets).
    pub val: TensorData,
    /// Future test (`[val_end, future_end)`, training simulations, `test_rollout` targets).
    pub test_future: TensorData,
    /// Domain test (`[0, domain_end)`, held-out simulations, `test_rollout` targets).
    pub test_domain: TensorData,
}

/// Splits trajectories by the protocol: the last `held_out` simulations form the domain test.
///
/// # Errors
/// [`TrainError::Invalid`] when there are not more simulations than `held_out`, or a part is
/// empty.
pub fn plume_splits(set: &TrajectorySet, r: &RegressionConfig) -> Result<PlumeSplits> {
    let n = set.trajectories.len();
    if n <= r.held_out {
        return Err(TrainError::Invalid(format!(
            "{n} simulation(s) cannot leave {} held out for the domain test",
            r.held_out
        )));
    }
    let train_sims: Vec<usize> = (0..n - r.held_out).collect();
    let held: Vec<usize> = (n - r.held_out..n).collect();
    let part = |sims: &[usize], starts: Range<usize>, rollout| {
        windows(set, sims, starts, r.input_frames, rollout)
    };
    Ok(PlumeSplits {
        train: part(&train_sims, 0..r.train_end, r.train_rollout)?,
        val: part(&train_sims, r.train_end..r.val_end, r.train_rollout)?,
        test_future: part(&train_sims, r.val_end..r.future_end, r.test_rollout)?,
        test_domain: part(&held, 0..r.domain_end, r.test_rollout)?,
    })
}
