//! The memory budget: algorithms whose memory grows with the group say what they need before
//! they allocate, and refuse with [`Error::OverBudget`] above the budget.
//!
//! The budget of the process is, in order of precedence: the value set by
//! [`MemoryBudget::set_process_default`] (the `gm --memory-budget` flag), the environment
//! variable [`MemoryBudget::ENV_VAR`] (`GM_MEMORY_BUDGET`, e.g. `512M`, `8G`, `1500000000`),
//! or half of the memory the kernel reports as available (`MemAvailable` in `/proc/meminfo`;
//! 4 GiB where that file is missing).

use crate::{Error, Result};
use std::sync::atomic::{AtomicU64, Ordering};

/// The budget set for the whole process; 0 means "not set".
static PROCESS_DEFAULT: AtomicU64 = AtomicU64::new(0);

/// The budget when the machine's available memory cannot be read.
const FALLBACK_BYTES: u64 = 4 << 30;

/// A cap, in bytes, on the memory one algorithm may allocate.
///
/// # Example
/// ```
/// use gm_algebra::budget::MemoryBudget;
/// use gm_algebra::Error;
/// let b = MemoryBudget::from_bytes(1 << 20);
/// assert!(b.require("a small table", Some(1000), "").is_ok());
/// let e = b.require("a big table", Some(1 << 30), "use fewer elements").unwrap_err();
/// assert!(matches!(e, Error::OverBudget { needed: Some(n), .. } if n == 1 << 30));
/// assert_eq!(MemoryBudget::parse("2G").unwrap().bytes(), 2 << 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBudget {
    bytes: u64,
}

impl MemoryBudget {
    /// The environment variable that overrides the default budget.
    pub const ENV_VAR: &'static str = "GM_MEMORY_BUDGET";

    /// A budget of `bytes` bytes.
    pub fn from_bytes(bytes: u64) -> Self {
        Self { bytes }
    }

    /// The number of bytes allowed.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Parses a size: a decimal number with an optional suffix `K`, `M`, `G`, `T` (powers of
    /// 1024; `KiB`, `MB`, … are read the same way).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for text that is not such a size, or one beyond `u64`.
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = || Error::InvalidParameter {
            family: "memory budget".into(),
            reason: format!(
                "{text:?} is not a size: write bytes, or a number with K, M, G or T (e.g. 8G)"
            ),
        };
        let t = text.trim();
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let number: u64 = t[..digits].parse().map_err(|_| invalid())?;
        let unit = t[digits..].trim().to_ascii_uppercase();
        let shift = match unit.trim_end_matches("IB").trim_end_matches('B') {
            "" => 0,
            "K" => 10,
            "M" => 20,
            "G" => 30,
            "T" => 40,
            _ => return Err(invalid()),
        };
        number
            .checked_mul(1 << shift)
            .map(Self::from_bytes)
            .ok_or_else(invalid)
    }

    /// Sets (or with `None` clears) the budget of the whole process, overriding the environment.
    pub fn set_process_default(budget: Option<Self>) {
        PROCESS_DEFAULT.store(budget.map_or(0, |b| b.bytes.max(1)), Ordering::Relaxed);
    }

    /// The budget in force: the process default, else [`MemoryBudget::ENV_VAR`], else half of
    /// the machine's available memory.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the environment variable is set but not a size.
    pub fn current() -> Result<Self> {
        match PROCESS_DEFAULT.load(Ordering::Relaxed) {
            0 => match std::env::var(Self::ENV_VAR) {
                Ok(text) => Self::parse(&text),
                Err(_) => Ok(Self::machine_default()),
            },
            bytes => Ok(Self::from_bytes(bytes)),
        }
    }

    /// Half of `MemAvailable` from `/proc/meminfo`, or 4 GiB where it cannot be read.
    pub fn machine_default() -> Self {
        let available = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| {
                let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
                let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                kib.checked_mul(1024)
            });
        Self::from_bytes(available.map_or(FALLBACK_BYTES, |b| b / 2))
    }

    /// `Ok` when `needed` bytes fit; `needed = None` stands for a size that overflows `u64`.
    ///
    /// # Errors
    /// [`Error::OverBudget`] naming `operation`, the need, the budget and `advice` (what to
    /// do instead).
    pub fn require(&self, operation: &str, needed: Option<u64>, advice: &str) -> Result<()> {
        match needed {
            Some(n) if n <= self.bytes => Ok(()),
            _ => Err(Error::OverBudget {
                operation: operation.into(),
                needed,
                budget: self.bytes,
                advice: advice.into(),
            }),
        }
    }
}

/// Checks `needed` bytes for `operation` against [`MemoryBudget::current`].
///
/// # Errors
/// Those of [`MemoryBudget::current`] and [`MemoryBudget::require`].
pub fn require(operation: &str, needed: Option<u64>, advice: &str) -> Result<()> {
    MemoryBudget::current()?.require(operation, needed, advice)
}

/// `count · bytes_each`, or `None` when it overflows.
pub fn bytes_for(count: usize, bytes_each: u64) -> Option<u64> {
    u64::try_from(count).ok()?.checked_mul(bytes_each)
}

/// A byte count for people: `1.5 GiB`, `512 B`; "more than 16 EiB" for `None`.
pub fn human_bytes(bytes: Option<u64>) -> String {
    let Some(b) = bytes else {
        return "more than 16 EiB".into();
    };
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = b as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{b} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_with_units() {
        assert_eq!(MemoryBudget::parse("1500").unwrap().bytes(), 1500);
        assert_eq!(MemoryBudget::parse("512M").unwrap().bytes(), 512 << 20);
        assert_eq!(MemoryBudget::parse("3 GiB").unwrap().bytes(), 3 << 30);
        assert_eq!(MemoryBudget::parse("1t").unwrap().bytes(), 1 << 40);
        for bad in ["", "G", "12Q", "-5", "99999999999999999999", "16777216T"] {
            assert!(
                matches!(
                    MemoryBudget::parse(bad),
                    Err(Error::InvalidParameter { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn over_budget_names_the_need_and_the_advice() {
        let b = MemoryBudget::from_bytes(1 << 20);
        assert!(b.require("x", Some(1 << 20), "").is_ok());
        let msg = b
            .require("listing classes", bytes_for(usize::MAX, 8), "ask for fewer")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("listing classes"), "{msg}");
        assert!(msg.contains("more than 16 EiB"), "{msg}");
        assert!(msg.contains("1.0 MiB"), "{msg}");
        assert!(msg.contains("ask for fewer"), "{msg}");
        assert!(msg.contains(MemoryBudget::ENV_VAR), "{msg}");
    }

    #[test]
    fn machine_default_is_positive() {
        assert!(MemoryBudget::machine_default().bytes() > 0);
    }
}
