//! The training loop: [`fit`] and [`evaluate`].
use super::adamw::AdamW;
use super::checkpoint::{self, RunState};
use super::early_stopping::EarlyStopping;
use super::grad_scaler::GradScaler;
use super::metrics_log::{self, EpochMetrics};
use super::plateau::ReduceOnPlateau;
use super::tensors::permutation;
use super::{Objective, Result, TensorData, TrainError};
use crate::config::{EvaluateWeights, TrainConfig};
use gm_nn::host_memory::KeptHostBlocks;
use gm_nn::precision::{Precision, PrecisionPolicy};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::time::Instant;
use tch::nn::{ModuleT, VarStore};
use tch::Device;

/// How to train (the trainer's view of [`TrainConfig`] plus run options).
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSettings {
    /// Maximum epochs.
    pub epochs: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Initial AdamW learning rate.
    pub lr: f64,
    /// AdamW weight decay.
    pub weight_decay: f64,
    /// ReduceLROnPlateau factor.
    pub plateau_factor: f64,
    /// ReduceLROnPlateau patience.
    pub plateau_patience: usize,
    /// Early-stopping patience.
    pub early_stopping_patience: usize,
    /// Arithmetic precision (its [`PrecisionPolicy`] on the var store's device is applied to
    /// every forward pass; fp16 and bf16 take effect only on CUDA).
    pub precision: Precision,
    /// Seed of the per-epoch shuffles.
    pub seed: u64,
    /// Draw a progress bar on the terminal.
    pub progress: bool,
    /// Continue the run saved in the run directory.
    pub resume: bool,
    /// The weights `vs` holds when [`fit`] returns.
    pub evaluate: EvaluateWeights,
}

impl TrainSettings {
    /// Settings from a config section (`progress` on, `resume` off).
    pub fn from_config(t: &TrainConfig, seed: u64) -> Self {
        Self {
            epochs: t.epochs,
            batch_size: t.batch_size,
            lr: t.lr,
            weight_decay: t.weight_decay,
            plateau_factor: t.plateau_factor,
            plateau_patience: t.plateau_patience,
            early_stopping_patience: t.early_stopping_patience,
            precision: t.precision,
            seed,
            progress: true,
            resume: false,
            evaluate: t.evaluate,
        }
    }
}

/// The outcome of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitSummary {
    /// Every epoch's metrics (including those of earlier sessions of a resumed run).
    pub history: Vec<EpochMetrics>,
    /// The epoch with the lowest validation loss (its weights are loaded on return with
    /// [`EvaluateWeights::BestValidation`]).
    pub best_epoch: usize,
    /// That loss.
    pub best_val_loss: f64,
    /// Whether early stopping ended the run.
    pub stopped_early: bool,
    /// Training wall seconds over all sessions.
    pub train_seconds: f64,
}

/// Mean loss and finished metric of `model` on `data` (evaluation mode, no gradients), run
/// under `precision`.
///
/// # Errors
/// libtorch errors; [`TrainError::Invalid`] on empty data.
pub fn evaluate(
    model: &dyn ModuleT,
    objective: &dyn Objective,
    data: &TensorData,
    batch_size: usize,
    device: Device,
    precision: PrecisionPolicy,
) -> Result<(f64, f64)> {
    let n = data.len();
    if n == 0 {
        return Err(TrainError::Invalid(
            "cannot evaluate on an empty set".into(),
        ));
    }
    let order: Vec<i64> = (0..n as i64).collect();
    tch::no_grad(|| {
        let (mut loss, mut metric) = (0.0, 0.0);
        for chunk in order.chunks(batch_size.max(1)) {
            let (x, y) = data.batch(chunk, device)?;
            let (l, m) = objective.loss_and_metric(model, &x, &y, false, &precision)?;
            loss += l.double_value(&[]) * chunk.len() as f64;
            metric += m;
        }
        Ok((loss / n as f64, objective.finish_metric(metric / n as f64)))
    })
}

/// The seed of libtorch's generator during `epoch`.
fn epoch_seed(seed: u64, epoch: usize) -> i64 {
    (seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ epoch as u64) as i64
}

fn progress_bar(len: usize, show: bool, epoch: usize, epochs: usize) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(
        Some(len as u64),
        if show {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    pb.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} ({elapsed})")
            .expect("static template")
            .progress_chars("=> "),
    );
    pb.set_prefix(format!("epoch {epoch}/{epochs}"));
    pb
}

/// Trains `model` (whose variables live in `vs`) on `train`, validating on `val` after each
/// epoch, writing `metrics.jsonl` and checkpoints into `run_dir`; on return `vs` holds the
/// weights of the best validation loss, or of the last epoch (`settings.evaluate`).
///
/// With `settings.resume` the run saved in `run_dir` continues after its last completed
/// epoch; without it, a `run_dir` that already holds a run is an error (nothing is
/// overwritten).
///
/// # Errors
/// [`TrainError::NonFiniteLoss`] when a training loss is NaN or infinite;
/// [`TrainError::Io`] for the run directory; [`TrainError::Invalid`] on empty data; libtorch
/// errors.
pub fn fit(
    model: &dyn ModuleT,
    vs: &mut VarStore,
    objective: &dyn Objective,
    train: &TensorData,
    val: &TensorData,
    settings: &TrainSettings,
    run_dir: &Path,
) -> Result<FitSummary> {
    if train.is_empty() || val.is_empty() {
        return Err(TrainError::Invalid(
            "training and validation sets must be non-empty".into(),
        ));
    }
    std::fs::create_dir_all(run_dir).map_err(|e| TrainError::io(run_dir, e))?;
    let device = vs.device();
    let precision = PrecisionPolicy::new(settings.precision, device);
    let saved = checkpoint::load_state(run_dir)?;
    let mut opt = AdamW::new(vs, settings.lr, settings.weight_decay);
    let (mut state, mut history) = match saved {
        Some(state) if settings.resume => {
            checkpoint::load_weights_and_optimizer(vs, &mut opt, &run_dir.join(&state.weights))?;
            let history = metrics_log::truncate_after(run_dir, state.epoch)?;
            (state, history)
        }
        Some(_) => {
            return Err(TrainError::io(
                run_dir,
                "already holds a run: pass --resume to continue it, or choose a new run directory",
            ))
        }
        None => {
            metrics_log::truncate_after(run_dir, 0)?;
            let state = RunState {
                epoch: 0,
                scheduler: ReduceOnPlateau::new(
                    settings.lr,
                    settings.plateau_factor,
                    settings.plateau_patience,
                ),
                early: EarlyStopping::new(settings.early_stopping_patience),
                scaler: GradScaler::new(precision.loss_scaling()),
                elapsed_s: 0.0,
                weights: String::new(),
            };
            (state, Vec::new())
        }
    };
    let vars = opt.variables();
    let n = train.len();
    let batches = n.div_ceil(settings.batch_size.max(1));
    // The model and its planner's probes are built: from here the steps' blocks repeat, so on
    // the CPU freed activations are kept for the next step until training ends.
    let _kept_blocks = KeptHostBlocks::for_training_on(device);
    while state.epoch < settings.epochs && !state.early.should_stop() {
        let epoch = state.epoch + 1;
        let started = Instant::now();
        let lr = state.scheduler.lr;
        opt.set_lr(lr);
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed.wrapping_add(epoch as u64));
        // Dropout draws from libtorch's generator: seeding it per epoch makes a resumed run
        // draw what the uninterrupted one would have.
        tch::manual_seed(epoch_seed(settings.seed, epoch));
        let order = permutation(n, &mut rng);
        let pb = progress_bar(batches, settings.progress, epoch, settings.epochs);
        let (mut loss_sum, mut metric_sum, mut seen, mut skipped) = (0.0, 0.0, 0usize, 0usize);
        for (b, chunk) in order.chunks(settings.batch_size.max(1)).enumerate() {
            let (x, y) = train.batch(chunk, device)?;
            let (loss, metric) = objective.loss_and_metric(model, &x, &y, true, &precision)?;
            let value = loss.double_value(&[]);
            if !value.is_finite() {
                pb.abandon();
                return Err(TrainError::NonFiniteLoss {
                    epoch,
                    batch: b + 1,
                    value,
                });
            }
            if !state.scaler.backward_step(&mut opt, &vars, &loss)? {
                skipped += 1;
            }
            loss_sum += value * chunk.len() as f64;
            metric_sum += metric;
            seen += chunk.len();
            let rate = seen as f64 / started.elapsed().as_secs_f64().max(1e-9);
            pb.set_message(format!(
                "loss {:.4} {} {:.4} {rate:.0}/s",
                loss_sum / seen as f64,
                objective.metric_name(),
                objective.finish_metric(metric_sum / seen as f64)
            ));
            pb.inc(1);
        }
        let train_seconds = started.elapsed().as_secs_f64();
        let (val_loss, val_metric) = evaluate(
            model,
            objective,
            val,
            settings.batch_size,
            device,
            precision,
        )?;
        let m = EpochMetrics {
            epoch,
            train_loss: loss_sum / n as f64,
            train_metric: objective.finish_metric(metric_sum / n as f64),
            val_loss,
            val_metric,
            lr,
            seconds: started.elapsed().as_secs_f64(),
            samples_per_s: n as f64 / train_seconds.max(1e-9),
            skipped_steps: skipped,
        };
        pb.finish_with_message(format!(
            "loss {:.4} val_loss {val_loss:.4} val_{} {val_metric:.4} lr {lr:.2e}",
            m.train_loss,
            objective.metric_name()
        ));
        state.scheduler.step(val_loss);
        let is_best = state.early.update(epoch, val_loss);
        state.epoch = epoch;
        state.elapsed_s += m.seconds;
        // The metrics first: a log line ahead of the state is dropped on resume and redone
        // identically, whereas a state ahead of the log would lose the epoch's line.
        metrics_log::append(run_dir, &m)?;
        checkpoint::save(run_dir, vs, &opt, state.clone(), is_best)?;
        state = checkpoint::load_state(run_dir)?.expect("state was just written");
        history.push(m);
    }
    let best = checkpoint::best_path(run_dir);
    if settings.evaluate == EvaluateWeights::BestValidation && best.is_file() {
        checkpoint::load_weights(vs, &best)?;
    }
    Ok(FitSummary {
        history,
        best_epoch: state.early.best_epoch,
        best_val_loss: state.early.best,
        stopped_early: state.early.should_stop(),
        train_seconds: state.elapsed_s,
    })
}
