//! Configuration of a GM convolution.

use super::backend::BackendKind;
use crate::NnError;
use serde::{Deserialize, Serialize};

/// How the input channels enter a GM convolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelMode {
    /// One kernel per output channel, applied to the sum of the input channels — the
    /// reference's parameter-efficient form; weight `(O, 1, K)`.
    #[default]
    Shared,
    /// One kernel per (output, input) channel pair; weight `(O, C, K)`.
    Full,
}

/// How a layer chooses its backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendChoice {
    /// The planner's cost model.
    #[default]
    Auto,
    /// The planner times every applicable backend on a probe input (the median of
    /// [`crate::conv::planner::TIMED_REPEATS`] passes) and keeps the fastest.
    Timed,
    /// This backend (an error at construction when it does not apply).
    Fixed(BackendKind),
}

/// Configuration of [`super::GMConv`] and [`super::RelaxedGMConv`] (tch idiom: `Default` +
/// struct update syntax).
///
/// # Example
/// ```
/// use gm_nn::conv::{ChannelMode, GMConvConfig};
/// let c = GMConvConfig { mode: ChannelMode::Full, ..Default::default() };
/// assert!(c.bias);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GMConvConfig {
    /// Shared or full channel mode.
    pub mode: ChannelMode,
    /// Whether to add a per-output-channel bias (initialised to 0, as in the reference).
    pub bias: bool,
    /// Backend selection.
    pub backend: BackendChoice,
    /// The batch size the planner plans for.
    pub batch_hint: usize,
}

impl Default for GMConvConfig {
    fn default() -> Self {
        Self {
            mode: ChannelMode::Shared,
            bias: true,
            backend: BackendChoice::Auto,
            batch_hint: 32,
        }
    }
}

impl std::str::FromStr for BackendChoice {
    type Err = NnError;

    /// `auto`, `timed`, or a registered backend's name (`gather`, `reference`, `cudnn`,
    /// `fourier`, `irreps`, …).
    ///
    /// # Errors
    /// [`NnError::UnknownBackend`] for any other name.
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "auto" => Ok(Self::Auto),
            "timed" => Ok(Self::Timed),
            _ => BackendKind::ALL
                .into_iter()
                .find(|k| k.name() == s)
                .map(Self::Fixed)
                .ok_or_else(|| NnError::UnknownBackend(s.to_string())),
        }
    }
}

impl std::fmt::Display for BackendChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Auto => f.pad("auto"),
            Self::Timed => f.pad("timed"),
            Self::Fixed(kind) => f.pad(kind.name()),
        }
    }
}

impl std::fmt::Display for ChannelMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::Shared => "shared",
            Self::Full => "full",
        })
    }
}
