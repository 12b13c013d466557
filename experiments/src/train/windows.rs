//! Windows of the autoregressive protocol (Wang, Walters & Yu, 2022): an input of
//! `input_frames` consecutive frames stacked along channels (`2·input_frames` channels) and the
//! `rollout` frames that follow as targets.
use super::{Result, TensorData, TrainError};
use crate::config::RegressionConfig;
use crate::data::TrajectorySet;
use std::ops::Range;
use tch::Tensor;

/// Windows starting at every `t` in `starts` (ascending; those that fit in the trajectory) of
/// the trajectories `sims`, `offset` frames in (the protocol's `mid − input_frames`): the
/// window `t` reads frames `[offset + t, offset + t + input_frames)` as input
/// `[N, 2·input_frames, H, W]` and the `rollout` frames after them as targets
/// `[N, rollout, 2, H, W]`.
///
/// # Errors
/// [`TrainError::Invalid`] when no window fits.
pub fn windows<I>(
    set: &TrajectorySet,
    sims: &[usize],
    starts: I,
    offset: usize,
    input_frames: usize,
    rollout: usize,
) -> Result<TensorData>
where
    I: Iterator<Item = usize> + Clone + std::fmt::Debug,
{
    let (mut xs, mut ys, mut n) = (Vec::new(), Vec::new(), 0i64);
    let mut shape = None;
    for &s in sims {
        let traj = &set.trajectories[s];
        shape = Some((traj.channels, traj.height, traj.width));
        let f = traj.frame_len();
        for t in starts.clone().map(|t| t + offset) {
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
            "no window of {input_frames}+{rollout} frames starting in {starts:?} (+ {offset}) fits \
             the trajectories"
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

/// How the protocol's time windows fit the trajectories at hand ([`fit_protocol`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolFit {
    /// Frames of the shortest training trajectory.
    pub train_frames: usize,
    /// Frames of the shortest held-out trajectory.
    pub held_out_frames: usize,
    /// Steps the tests roll out: the configured `test_rollout`, or fewer when the
    /// trajectories are too short for it.
    pub test_rollout: usize,
}

impl ProtocolFit {
    /// Whether the tests roll out fewer steps than configured.
    pub fn shortened(&self, r: &RegressionConfig) -> bool {
        self.test_rollout < r.test_rollout
    }
}

/// Checks that the protocol `r` fits the trajectories of `set` and chooses the test rollout:
/// the configured `test_rollout`, shortened to the longest rollout the first future-test
/// window (start `val_end`, training simulations) and the first domain-test window (start 0,
/// domain-test simulations) allow. Windows start `r.offset()` frames in (the reference's
/// `mid`).
///
/// # Errors
/// [`TrainError::Invalid`] when the simulations cannot be split ([`RegressionConfig::partition`])
/// or the trajectories are too short for a validation window or a one-step test rollout; the
/// message suggests window overrides for the trajectories' length (see [`suggest_windows`]).
pub fn fit_protocol(set: &TrajectorySet, r: &RegressionConfig) -> Result<ProtocolFit> {
    let (train, domain_sims) = r
        .partition(set.trajectories.len())
        .map_err(TrainError::Invalid)?;
    let shortest = |sims: &[usize]| {
        sims.iter()
            .map(|&k| set.trajectories[k].steps)
            .min()
            .unwrap_or(0)
    };
    let train_frames = shortest(&train);
    let held_out_frames = shortest(&domain_sims);
    let mid = r.mid();
    let future = train_frames.saturating_sub(r.val_end + mid);
    let domain = held_out_frames.saturating_sub(mid);
    let test_rollout = r.test_rollout.min(future).min(domain);
    let val_fits = r.train_end + mid + r.train_rollout <= train_frames;
    if !val_fits || test_rollout == 0 {
        let frames = train_frames.min(held_out_frames);
        let advice = match suggest_windows(frames, r) {
            Some(s) => format!(
                "for {frames}-frame trajectories try {}",
                override_args(r, &s)
            ),
            None => format!(
                "{frames} frames are too few for windows whose targets start at frame mid = \
                 {mid}: generate longer trajectories"
            ),
        };
        return Err(TrainError::Invalid(format!(
            "the trajectories are too short for the protocol's windows: the shortest training \
             one has {train_frames} frames, the shortest domain-test one {held_out_frames}; the \
             validation windows need train_end + mid + train_rollout = {} frames and a test \
             rollout needs val_end + mid + 1 = {} (the full protocol: future_end - 1 + mid + \
             test_rollout = {}; mid = {mid}). Generate longer trajectories (`gm data plume \
             --steps`) or shrink the windows: {advice}",
            r.train_end + mid + r.train_rollout,
            r.val_end + mid + 1,
            r.future_end - 1 + mid + r.test_rollout,
        )));
    }
    Ok(ProtocolFit {
        train_frames,
        held_out_frames,
        test_rollout,
    })
}

/// Windows for trajectories of `frames` frames keeping the proportions of `r`: the test
/// rollout (at most half of the frames after the input) is kept, every future-test start that
/// fits is used (`future_end = frames − mid − test_rollout + 1`), `train_end` and
/// `val_end` are scaled by `future_end / r.future_end`, `domain_end` is capped at the new
/// `future_end`. `None` when fewer than three window starts fit.
///
/// # Example
/// ```
/// let r = gm_experiments::config::load_experiment("plume-rotation", &[])
///     .unwrap()
///     .regression
///     .unwrap();
/// let s = gm_experiments::train::suggest_windows(59, &r).unwrap();
/// assert_eq!(
///     (s.train_end, s.val_end, s.future_end, s.domain_end, s.test_rollout),
///     (13, 16, 20, 20, 18)
/// );
/// ```
pub fn suggest_windows(frames: usize, r: &RegressionConfig) -> Option<RegressionConfig> {
    let avail = frames.checked_sub(r.mid())?;
    let test_rollout = r.test_rollout.min(avail / 2).max(1);
    let train_rollout = r.train_rollout.min(test_rollout);
    let future_end = (avail + 1).checked_sub(test_rollout)?;
    if future_end < 3 {
        return None;
    }
    let scale = |k: usize| (k as f64 * future_end as f64 / r.future_end as f64).round() as usize;
    let train_end = scale(r.train_end).clamp(1, future_end - 2);
    let val_end = scale(r.val_end).clamp(train_end + 1, future_end - 1);
    Some(RegressionConfig {
        train_rollout,
        test_rollout,
        train_end,
        val_end,
        future_end,
        domain_end: r.domain_end.min(future_end),
        ..r.clone()
    })
}

/// The `--set` arguments turning `from` into `to` (the keys that differ).
fn override_args(from: &RegressionConfig, to: &RegressionConfig) -> String {
    let keys = [
        ("train_rollout", from.train_rollout, to.train_rollout),
        ("test_rollout", from.test_rollout, to.test_rollout),
        ("train_end", from.train_end, to.train_end),
        ("val_end", from.val_end, to.val_end),
        ("future_end", from.future_end, to.future_end),
        ("domain_end", from.domain_end, to.domain_end),
    ];
    keys.iter()
        .filter(|(_, a, b)| a != b)
        .map(|(k, _, v)| format!("--set regression.{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits trajectories by the protocol: the training simulations (`train_sims`, or all but
/// the last `held_out`) give the training, validation and future-test windows, the others
/// (`domain_sims`, or the last `held_out`) the domain test; training and validation windows
/// start every `window_stride` frames, all of them `r.offset()` frames in.
///
/// # Errors
/// [`TrainError::Invalid`] when the simulations cannot be split
/// ([`RegressionConfig::partition`]) or a part is empty.
pub fn plume_splits(set: &TrajectorySet, r: &RegressionConfig) -> Result<PlumeSplits> {
    let (train_sims, held) = r
        .partition(set.trajectories.len())
        .map_err(TrainError::Invalid)?;
    let stride = r.window_stride.max(1);
    let part = |sims: &[usize], starts: Range<usize>, stride, rollout| {
        windows(
            set,
            sims,
            starts.step_by(stride),
            r.offset(),
            r.input_frames,
            rollout,
        )
    };
    Ok(PlumeSplits {
        train: part(&train_sims, 0..r.train_end, stride, r.train_rollout)?,
        val: part(&train_sims, r.train_end..r.val_end, stride, r.train_rollout)?,
        test_future: part(&train_sims, r.val_end..r.future_end, 1, r.test_rollout)?,
        test_domain: part(&held, 0..r.domain_end, 1, r.test_rollout)?,
    })
}
