//! The structured-matrix families as a typed value (config files name them by
//! [`std::fmt::Display`] / [`std::str::FromStr`]).

use super::{
    Circulant, HankelLike, LdrSd, LdrTd, LowRank, StructuredMap, ToeplitzLike, Unconstrained,
    VandermondeLike,
};
use crate::{NnError, Result};
use std::fmt;
use std::str::FromStr;
use tch::nn::Path;

/// One of the structured-matrix families of Thomas et al. (2018).
///
/// Names (`Display`, parsed back by `FromStr`, and serde's form in config files):
/// `unconstrained`, `low-rank`, `circulant`,
/// `toeplitz-like`, `hankel-like`, `vandermonde-like`, `ldr-sd`, `ldr-td`. `FromStr` also
/// accepts structured-nets' `class_type` names (`low_rank`, `toeplitz`, `hankel`,
/// `vandermonde`, `subdiagonal`, `tridiagonal`).
///
/// # Example
/// ```
/// use gm_nn::structured::StructuredFamily;
/// let f: StructuredFamily = "toeplitz-like".parse().unwrap();
/// assert_eq!(f, StructuredFamily::ToeplitzLike);
/// assert_eq!(f.parameter_count(784, 1), 1568);
/// assert_eq!("subdiagonal".parse::<StructuredFamily>().unwrap().to_string(), "ldr-sd");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StructuredFamily {
    /// A dense `n × n` matrix.
    Unconstrained,
    /// `Gᵀ H`, rank `r`.
    LowRank,
    /// A circulant.
    Circulant,
    /// Toeplitz-like, displacement rank `r` (no corners).
    ToeplitzLike,
    /// Hankel-like, displacement rank `r`.
    HankelLike,
    /// Vandermonde-like, displacement rank `r`, learned nodes.
    VandermondeLike,
    /// Learned subdiagonal operators, displacement rank `r`.
    LdrSd,
    /// Learned tridiagonal operators, displacement rank `≤ 2r`.
    LdrTd,
}

impl StructuredFamily {
    /// Every family, in the order of the table in [`crate::structured`].
    pub const ALL: [Self; 8] = [
        Self::Unconstrained,
        Self::LowRank,
        Self::Circulant,
        Self::ToeplitzLike,
        Self::HankelLike,
        Self::VandermondeLike,
        Self::LdrSd,
        Self::LdrTd,
    ];

    /// The canonical name (what `Display` prints).
    pub fn name(self) -> &'static str {
        match self {
            Self::Unconstrained => "unconstrained",
            Self::LowRank => "low-rank",
            Self::Circulant => "circulant",
            Self::ToeplitzLike => "toeplitz-like",
            Self::HankelLike => "hankel-like",
            Self::VandermondeLike => "vandermonde-like",
            Self::LdrSd => "ldr-sd",
            Self::LdrTd => "ldr-td",
        }
    }

    /// structured-nets' `class_type` of the family.
    pub fn class_type(self) -> &'static str {
        match self {
            Self::Unconstrained => "unconstrained",
            Self::LowRank => "low_rank",
            Self::Circulant => "circulant",
            Self::ToeplitzLike => "toeplitz",
            Self::HankelLike => "hankel",
            Self::VandermondeLike => "vandermonde",
            Self::LdrSd => "subdiagonal",
            Self::LdrTd => "tridiagonal",
        }
    }

    /// Whether the family has a rank parameter `r` (all but unconstrained and circulant).
    pub fn has_rank(self) -> bool {
        !matches!(self, Self::Unconstrained | Self::Circulant)
    }

    /// The number of trainable scalars of the `n × n` matrix (bias excluded) at rank `r`
    /// (ignored by the families without a rank): `n²`, `2rn`, `n`, `2rn`, `2rn`, `2rn + n`,
    /// `2rn + 2(n − 1)`, `2rn + 2(3n − 2)` in the order of [`StructuredFamily::ALL`].
    pub fn parameter_count(self, n: usize, r: usize) -> usize {
        let generators = 2 * r * n;
        match self {
            Self::Unconstrained => n * n,
            Self::Circulant => n,
            Self::LowRank | Self::ToeplitzLike | Self::HankelLike => generators,
            Self::VandermondeLike => generators + n,
            Self::LdrSd => generators + 2 * n.saturating_sub(1),
            Self::LdrTd => generators + 2 * (n + 2 * n.saturating_sub(1)),
        }
    }

    /// Creates the family's parameters under `p` for size `n` and rank `r`.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] when `n == 0`, or `r == 0` for a family with a rank;
    /// [`NnError::Torch`] from libtorch.
    pub fn build(self, p: &Path, n: usize, r: usize) -> Result<Box<dyn StructuredMap>> {
        if n == 0 {
            return Err(NnError::InvalidConfig(format!(
                "{self} layer of size 0: the size n must be at least 1"
            )));
        }
        if self.has_rank() && r == 0 {
            return Err(NnError::InvalidConfig(format!(
                "{self} layer of rank 0: the displacement rank r must be at least 1"
            )));
        }
        let (n, r) = (n as i64, r as i64);
        Ok(match self {
            Self::Unconstrained => Box::new(Unconstrained::new(p, n)?),
            Self::LowRank => Box::new(LowRank::new(p, n, r)?),
            Self::Circulant => Box::new(Circulant::new(p, n)?),
            Self::ToeplitzLike => Box::new(ToeplitzLike::new(p, n, r)?),
            Self::HankelLike => Box::new(HankelLike::new(p, n, r)?),
            Self::VandermondeLike => Box::new(VandermondeLike::new(p, n, r)?),
            Self::LdrSd => Box::new(LdrSd::new(p, n, r)?),
            Self::LdrTd => Box::new(LdrTd::new(p, n, r)?),
        })
    }
}

impl fmt::Display for StructuredFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for StructuredFamily {
    type Err = NnError;

    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == s || f.class_type() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.name()).collect();
                NnError::InvalidConfig(format!(
                    "unknown structured family {s:?}: expected one of {}",
                    names.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::StructuredFamily;

    #[test]
    fn config_files_name_every_family_as_display_does() {
        for f in StructuredFamily::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{f}\""));
            assert_eq!(serde_json::from_str::<StructuredFamily>(&json).unwrap(), f);
            assert_eq!(f.to_string().parse::<StructuredFamily>().unwrap(), f);
        }
        assert!(serde_json::from_str::<StructuredFamily>("\"toeplitz\"").is_err());
    }
}
