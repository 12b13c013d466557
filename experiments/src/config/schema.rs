//! The typed schema of an experiment configuration (one TOML file per experiment).
use serde::{Deserialize, Serialize};
use std::fmt;

pub use gm_nn::conv::ChannelMode;
pub use gm_nn::precision::Precision;
pub use gm_nn::structured::StructuredFamily;

/// `Display` for the schema's enums: the name a config file uses for the value (serde's
/// kebab-case, e.g. `axis-product`), so users read what they write.
macro_rules! display_config_name {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match serde_json::to_value(self) {
                    Ok(serde_json::Value::String(name)) => f.pad(&name),
                    _ => Err(fmt::Error),
                }
            }
        }
    )*};
}

display_config_name!(
    Task,
    Dataset,
    ModelKind,
    Symmetry,
    AxisGroup,
    RegressionModel,
    FieldBaseline,
    EvaluateWeights
);

/// A complete experiment: what data, which model, how to train it.
///
/// # Example
/// ```
/// let cfg = gm_experiments::config::load_experiment("rot-mnist", &[]).unwrap();
/// assert_eq!(cfg.train.batch_size, 128);
/// assert_eq!(cfg.model.support_size(), 196);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentConfig {
    /// Short name (also the default run directory name).
    pub name: String,
    /// One line saying what the experiment is.
    pub description: String,
    /// Classification or autoregressive regression.
    pub task: Task,
    /// Seed of every random choice (initialisation, splits, shuffling).
    pub seed: u64,
    /// Which data and how it is split.
    pub data: DataConfig,
    /// The network.
    pub model: ModelConfig,
    /// Optimiser, schedule and stopping.
    pub train: TrainConfig,
    /// What `--quick` shrinks the run to.
    pub quick: QuickConfig,
    /// The autoregressive protocol (regression experiments only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regression: Option<RegressionConfig>,
}

/// The kind of task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// Image classification, scored by accuracy.
    Classification,
    /// Next-frame prediction of velocity fields, scored by rollout RMSE.
    Regression,
}

/// The datasets the loaders read (see `gm_experiments::data`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dataset {
    /// CIFAR-10 binary batches.
    Cifar10,
    /// MNIST in IDX files (full MNIST, or the 10,000 digits `gm data mnist` writes).
    Mnist,
    /// Larochelle et al. rotated MNIST (`.amat`).
    RotMnist,
    /// Larochelle et al. MNIST with background images and rotation (`.amat`).
    MnistBgRot,
    /// Larochelle et al. MNIST with noise of increasing level (`.amat`,
    /// `mnist_noise_variations_all_N.amat` for `data.noise_level = N`, the last 2,000 rows the
    /// test set).
    MnistNoise,
    /// Larochelle et al. MNIST on uniform-noise backgrounds, "mnist-back-rand" (`.amat`; the
    /// original, or the twin `gm data mnist-back-rand` writes).
    MnistBackRand,
    /// Larochelle et al. tall-or-wide rectangles (`.amat`; the original, or the twin
    /// `gm data rectangles` writes).
    Rectangles,
    /// Larochelle et al. convex vs non-convex white regions (`.amat`; the original, or the twin
    /// `gm data convex` writes).
    Convex,
    /// NORB jittered-cluttered (binary matrix files).
    Norb,
    /// smallNORB (binary matrix files).
    Smallnorb,
    /// Smoke plumes with translated inflow (PhiFlow).
    PlumeTranslation,
    /// Smoke plumes with rotated inflow (PhiFlow).
    PlumeRotation,
    /// Smoke plumes at different scales (PhiFlow).
    PlumeScale,
    /// JetFlow velocity measurements.
    Jetflow,
}

impl Dataset {
    /// Every dataset, in the order they are listed to users.
    pub const ALL: [Dataset; 14] = [
        Self::Cifar10,
        Self::Mnist,
        Self::RotMnist,
        Self::MnistBgRot,
        Self::MnistNoise,
        Self::MnistBackRand,
        Self::Rectangles,
        Self::Convex,
        Self::Norb,
        Self::Smallnorb,
        Self::PlumeTranslation,
        Self::PlumeRotation,
        Self::PlumeScale,
        Self::Jetflow,
    ];

    /// The name used in configs (`data.dataset`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Cifar10 => "cifar10",
            Self::Mnist => "mnist",
            Self::RotMnist => "rot-mnist",
            Self::MnistBgRot => "mnist-bg-rot",
            Self::MnistNoise => "mnist-noise",
            Self::MnistBackRand => "mnist-back-rand",
            Self::Rectangles => "rectangles",
            Self::Convex => "convex",
            Self::Norb => "norb",
            Self::Smallnorb => "smallnorb",
            Self::PlumeTranslation => "plume-translation",
            Self::PlumeRotation => "plume-rotation",
            Self::PlumeScale => "plume-scale",
            Self::Jetflow => "jetflow",
        }
    }

    /// The task the dataset serves.
    pub fn task(self) -> Task {
        match self {
            Self::PlumeTranslation | Self::PlumeRotation | Self::PlumeScale | Self::Jetflow => {
                Task::Regression
            }
            _ => Task::Classification,
        }
    }

    /// Channels, height and width of one sample as stored (before any resizing); for
    /// regression sets, of one velocity frame.
    pub fn native_shape(self) -> (usize, usize, usize) {
        match self {
            Self::Cifar10 => (3, 32, 32),
            Self::Mnist
            | Self::RotMnist
            | Self::MnistBgRot
            | Self::MnistNoise
            | Self::MnistBackRand => (1, 28, 28),
            Self::Rectangles | Self::Convex => (1, 28, 28),
            Self::Norb => (1, 108, 108),
            Self::Smallnorb => (1, 96, 96),
            Self::PlumeTranslation | Self::PlumeRotation | Self::PlumeScale => (2, 64, 64),
            Self::Jetflow => (2, 62, 23),
        }
    }

    /// Number of classes of a classification set; `None` for regression sets.
    pub fn classes(self) -> Option<usize> {
        match self {
            Self::Rectangles | Self::Convex => Some(2),
            Self::Norb => Some(6),
            Self::Smallnorb => Some(5),
            d if d.task() == Task::Regression => None,
            _ => Some(10),
        }
    }
}

/// Larochelle's noise levels of `mnist-noise`: `mnist_noise_variations_all_N.amat` exists for
/// these `N` (`data.noise_level`).
pub const NOISE_LEVELS: std::ops::RangeInclusive<usize> = 1..=6;

/// Which data, where it lives and how it is split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// The dataset.
    pub dataset: Dataset,
    /// Directory holding its files (relative paths are relative to the working directory).
    pub dir: String,
    /// Fraction of the training data held out for validation (the reference uses 0.2).
    pub val_fraction: f64,
    /// Resize square images to this side (bilinear, area-averaged when shrinking); none keeps
    /// the stored size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_size: Option<usize>,
    /// Which of Larochelle's six noise levels `mnist-noise` reads: the file
    /// `mnist_noise_variations_all_N.amat`, `N` in `1..=6` (required for `mnist-noise`, refused
    /// for every other dataset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise_level: Option<usize>,
}

/// The network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// Group-matrix network or the plain CNN baseline.
    pub kind: ModelKind,
    /// How the group acts on the image grid.
    pub symmetry: Symmetry,
    /// The group on both image axes (for `symmetry = "axis-product"`; cyclic when absent).
    /// Ignored when `axis_groups` names one group per axis.
    #[serde(default)]
    pub axis_group: AxisGroup,
    /// One group per image axis, rows then columns (for `symmetry = "axis-product"`), e.g.
    /// `["dihedral", "cyclic"]` for `D_{H/2} × C_W` (the reference's JetFlow group,
    /// `D31 × C23` on the 62×23 grid); overrides `axis_group`. See
    /// [`ModelConfig::per_axis_groups`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axis_groups: Option<[AxisGroup; 2]>,
    /// Kernel radius: the support per axis is `{-t..t}` (cyclic) or `{r^i, f r^i : -t..t}`
    /// (dihedral); spatial `(2t+1)²` cells for p4/p4m.
    pub t: usize,
    /// Hidden channels.
    pub channels: usize,
    /// Number of residual GM blocks.
    pub blocks: usize,
    /// Dropout before the classifier head.
    pub dropout: f64,
    /// Number of classes (classification only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<usize>,
    /// Rank of the relaxation of exact equivariance (0 = exactly equivariant); GM regression
    /// experiments use it with `regression_model = "relaxed-rank"` only.
    pub relaxed_rank: usize,
    /// GM regression experiments: which regression model (`"reference"`, the reference's
    /// error-vector model; `"relaxed-rank"`, the rank-`relaxed_rank` variant, the default
    /// when the key is absent).
    #[serde(default, skip_serializing_if = "is_relaxed_rank")]
    pub regression_model: RegressionModel,
    /// GM models: `shared` (the reference: one kernel per output channel, applied to the sum
    /// of the input channels) or `full` (one kernel per pair of channels, as a G-CNN).
    #[serde(default, skip_serializing_if = "is_shared")]
    pub channel_mode: ChannelMode,
    /// GM models: the blocks (0-based) after which a stride-2 subgroup pool halves each
    /// image axis (axis-product symmetry only); empty = the reference's shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pool_after: Vec<usize>,
    /// Structured models: the hidden layer's matrix family (Thomas et al. 2018).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<StructuredFamily>,
    /// Structured models: the family's (displacement) rank `r` (ignored by `unconstrained` and
    /// `circulant`, which have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// The regression baseline of `model.kind = "field-baseline"` (Wang, Walters & Yu, 2022):
    /// its hidden width is `channels`, its layers `blocks`, its kernels `2t + 1` square.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<FieldBaseline>,
    /// Filter banks of the relaxed group convolution (`baseline = "r-group"`; default 2, the
    /// reference's `num_filter_banks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banks: Option<usize>,
    /// Weight of a relaxed baseline's soft constraint in the training loss (the reference's
    /// `alpha`; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
}

impl ModelConfig {
    /// The group on each image axis, rows then columns: `axis_groups` when given, else
    /// `axis_group` on both.
    pub fn per_axis_groups(&self) -> [AxisGroup; 2] {
        self.axis_groups.unwrap_or([self.axis_group; 2])
    }
}

/// Which GM regression model a regression experiment trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegressionModel {
    /// The rank-`r` relaxed model (`gm_nn::model::RelaxedRegression`, `r =
    /// model.relaxed_rank`; exactly equivariant with `r = 0`).
    #[default]
    RelaxedRank,
    /// The reference's model (`gm_nn::model::ReferenceRegression`): residual blocks of GM
    /// convolutions scaled by one learned unit-norm position vector per layer.
    Reference,
    /// GM layers on `p4 = Z_N² ⋊ C4` acting on the velocity fields (`gm_nn::model::GmP4Field`):
    /// the frames lifted to regular fields of `p4`, exactly equivariant under translations
    /// and quarter turns of the plume (grid and velocity components together).
    P4Field,
}

impl RegressionModel {
    /// Every regression model, in the order they are listed to users.
    pub const ALL: [RegressionModel; 3] = [Self::Reference, Self::RelaxedRank, Self::P4Field];
}

/// The baselines of Wang, Walters & Yu, "Approximately Equivariant Networks for Imperfectly
/// Symmetric Dynamics" (ICML 2022), for the plumes (`model.kind = "field-baseline"`): their
/// rotation models and their relaxed translation model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldBaseline {
    /// Plain CNN (conv–BN–ReLU layers).
    ConvNet,
    /// Multilayer perceptron on the flattened fields.
    Mlp,
    /// Exactly rotation-equivariant steerable CNN (the reference's E2CNN).
    Equiv,
    /// Residual pathway priors: an equivariant and an unconstrained convolution per layer.
    Rpp,
    /// Lift expansion: an unconstrained encoder feeding an equivariant backbone.
    Lift,
    /// Relaxed group convolution on `p4` (filter banks mixed per rotation).
    RGroup,
    /// Relaxed steerable convolution (basis coefficients per kernel position).
    RSteer,
    /// RGroup on the translations (the reference's `Relaxed_ConvNet`): filter banks mixed by
    /// weights that vary over the grid.
    RGroupTranslation,
}

impl FieldBaseline {
    /// Every baseline, in the order they are listed to users.
    pub const ALL: [FieldBaseline; 8] = [
        Self::ConvNet,
        Self::Mlp,
        Self::Equiv,
        Self::Rpp,
        Self::Lift,
        Self::RGroup,
        Self::RSteer,
        Self::RGroupTranslation,
    ];
}

/// The kind of network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// The GM network of the reference (GM convolutions over the symmetry group); with
    /// `relaxed_rank = 0` on p4/p4m it is the exact G-CNN of that wallpaper group.
    Gm,
    /// The CNN baseline: conv–BN–ReLU–pool stacks ([`crate::baseline::PlainCnn`]).
    Cnn,
    /// The multilayer perceptron baseline: `blocks` hidden layers of `channels` units
    /// ([`crate::baseline::Mlp`]).
    Mlp,
    /// A single-hidden-layer network with a structured `n × n` hidden layer
    /// (`gm_nn::model::StructuredMlp`, `model.family` at rank `model.rank`).
    Structured,
    /// A regression baseline on velocity fields (`model.baseline`, [`FieldBaseline`]).
    FieldBaseline,
}

impl ModelKind {
    /// Every kind, in the order they are listed to users.
    pub const ALL: [ModelKind; 5] = [
        Self::Gm,
        Self::Cnn,
        Self::Mlp,
        Self::Structured,
        Self::FieldBaseline,
    ];
}

/// How the symmetry group acts on the image grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Symmetry {
    /// The reference: `G = G₁ × G₂` acting on pixel indices, one group per axis.
    AxisProduct,
    /// Geometric: `p4 = Z_N² ⋊ C4`, images on `G/C4`.
    P4,
    /// Geometric: `p4m = Z_N² ⋊ D4`, images on `G/D4`.
    P4m,
}

/// The group on one image axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AxisGroup {
    /// `Z_n` with `n` the axis length.
    #[default]
    Cyclic,
    /// `D_{n/2}` (order n) acting on indices as an abstract group.
    Dihedral,
}

/// Optimiser, schedule and stopping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// Mini-batch size.
    pub batch_size: usize,
    /// Maximum number of epochs.
    pub epochs: usize,
    /// AdamW learning rate.
    pub lr: f64,
    /// AdamW (decoupled) weight decay.
    pub weight_decay: f64,
    /// ReduceLROnPlateau: factor the learning rate is multiplied by.
    pub plateau_factor: f64,
    /// ReduceLROnPlateau: epochs without improvement of the validation loss before reducing.
    pub plateau_patience: usize,
    /// Stop after this many epochs without improvement of the validation loss.
    pub early_stopping_patience: usize,
    /// Arithmetic: `fp16` means autocast mixed precision with loss scaling on CUDA, `bf16`
    /// bf16 activations on CUDA (both fp32 on the CPU; see `gm_nn::precision::PrecisionPolicy`).
    pub precision: Precision,
    /// Which weights the test evaluates: the best validation loss's (the default) or the
    /// last epoch's (the reference's protocol).
    #[serde(default)]
    pub evaluate: EvaluateWeights,
}

/// The weights a finished run is tested with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvaluateWeights {
    /// The weights of the epoch with the lowest validation loss.
    #[default]
    BestValidation,
    /// The weights after the last epoch trained (what the reference tests).
    LastEpoch,
}

/// What `--quick` shrinks a run to (a smoke run of the whole pipeline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickConfig {
    /// Epochs of a quick run.
    pub epochs: usize,
    /// At most this many training samples (images or windows).
    pub max_train: usize,
    /// At most this many test samples.
    pub max_test: usize,
}

/// The autoregressive protocol of the plume experiments (Wang, Walters & Yu, 2022).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegressionConfig {
    /// Frames stacked as input (2 channels each).
    pub input_frames: usize,
    /// Steps rolled out during training.
    pub train_rollout: usize,
    /// Steps rolled out at test time.
    pub test_rollout: usize,
    /// Training windows start in `[0, train_end)`.
    pub train_end: usize,
    /// Validation windows start in `[train_end, val_end)`.
    pub val_end: usize,
    /// Future-test windows start in `[val_end, future_end)` (training simulations).
    pub future_end: usize,
    /// Domain-test windows start in `[0, domain_end)` (held-out simulations).
    pub domain_end: usize,
    /// The last this many simulations are held out for the domain test (unless `domain_sims`
    /// names them).
    pub held_out: usize,
    /// The frame where the targets of the window starting at `t = 0` begin (the reference's
    /// `mid`): a window starting at `t` reads frames `[mid − input_frames + t, mid + t)` and
    /// predicts from `mid + t`. The reference configs use 22 (the first 12 frames, the plume
    /// filling the domain, are never targets); `None` means `input_frames` (windows read from
    /// frame `t`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<usize>,
    /// The simulations (indices of `sim_NNN.npy`, in file order) of training, validation and
    /// the future test: the reference's `train_task` list. With `domain_sims`, replaces
    /// `held_out`; `None`: all but the last `held_out`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train_sims: Option<Vec<usize>>,
    /// The held-out simulations of the domain test: the reference's `test_domain_task` list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_sims: Option<Vec<usize>>,
    /// Training and validation windows start every `window_stride` frames (1, every frame, is
    /// the protocol; more makes cheap runs: neighbouring windows share all but one frame).
    /// The tests always use every start.
    #[serde(default = "one")]
    pub window_stride: usize,
}

fn is_shared(mode: &ChannelMode) -> bool {
    *mode == ChannelMode::Shared
}

fn is_relaxed_rank(model: &RegressionModel) -> bool {
    *model == RegressionModel::RelaxedRank
}

impl RegressionConfig {
    /// The frame where the targets of the window starting at 0 begin (`mid`, by default
    /// `input_frames`).
    pub fn mid(&self) -> usize {
        self.mid.unwrap_or(self.input_frames)
    }

    /// Frames skipped before the first window's input: `mid − input_frames`.
    pub fn offset(&self) -> usize {
        self.mid().saturating_sub(self.input_frames)
    }

    /// The training and the domain-test simulations among `n`: the configured lists, or all
    /// but the last `held_out` and those.
    ///
    /// # Errors
    /// A message naming what does not fit: an index beyond `n`, or too few simulations for
    /// `held_out`.
    pub fn partition(&self, n: usize) -> Result<(Vec<usize>, Vec<usize>), String> {
        match (&self.train_sims, &self.domain_sims) {
            (Some(train), Some(domain)) => {
                if let Some(&k) = train.iter().chain(domain).find(|&&k| k >= n) {
                    return Err(format!(
                        "regression.train_sims / domain_sims name simulation {k}, but there are \
                         {n} (sim_000 ... sim_{:03}): generate the whole set, or name existing \
                         ones (--set regression.train_sims=[...] --set \
                         regression.domain_sims=[...])",
                        n.saturating_sub(1)
                    ));
                }
                Ok((train.clone(), domain.clone()))
            }
            _ if n <= self.held_out => Err(format!(
                "{n} simulation(s) cannot leave {} held out for the domain test: set \
                 regression.held_out below {n} or generate more simulations",
                self.held_out
            )),
            _ => Ok((
                (0..n - self.held_out).collect(),
                (n - self.held_out..n).collect(),
            )),
        }
    }
}

fn one() -> usize {
    1
}
