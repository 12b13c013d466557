//! The suite file: experiments × sweeps × seeds, parsed into a validated [`Suite`].
//!
//! ```toml
//! name = "demo-seeds"
//! description = "What the suite compares"
//! seeds = [1, 2, 3]
//! set = ["train.epochs=6"]          # overrides of every run (optional)
//! notes = "how the runs were sized"  # optional, printed by `gm suite show`
//!
//! [[run]]
//! family = "GM (D14xD14)"           # the line in the plot, the group in the table
//! experiment = "rot-mnist-digits"   # embedded experiment name or path to a .toml file
//! set = ["model.channels=16"]       # overrides of this run (optional)
//! [run.sweep]                       # optional: the Cartesian product of the values
//! "model.t" = [1, 2]
//! ```
use super::SuiteError;
use crate::config::overrides::Override;
use crate::slug::{is_path_component, slug};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Value;

/// The key the suite's `seeds` set in every run; neither `set` nor `sweep` may name it.
pub const SEED_KEY: &str = "seed";

/// A validated suite.
///
/// # Example
/// ```
/// use gm_experiments::suite::Suite;
/// let text = r#"
///     name = "s"
///     seeds = [1, 2]
///     [[run]]
///     family = "CNN"
///     experiment = "rot-mnist-digits-cnn"
///     [run.sweep]
///     "model.channels" = [8, 16, 32]
/// "#;
/// let suite = Suite::from_text("s.toml", text).unwrap();
/// assert_eq!(suite.runs[0].sweep[0].values.len(), 3);
/// assert!(Suite::from_text("s.toml", "name = \"s\"\nseeds = []\n").is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    /// Where the suite came from: an embedded name or a file path (named in errors).
    pub origin: String,
    /// Short name; the suite's output directory is `OUT/<name>`.
    pub name: String,
    /// One line saying what the suite compares.
    pub description: String,
    /// The seeds every run is repeated with (the `seed` key of the config).
    pub seeds: Vec<u64>,
    /// Overrides applied to every run, before the run's own.
    pub set: Vec<Override>,
    /// Free text, e.g. how the runs were sized to fit a time budget.
    pub notes: Option<String>,
    /// The runs, in file order.
    pub runs: Vec<RunSpec>,
}

/// One `[[run]]` of a suite.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// The family: a line in the plot, a group in the table.
    pub family: String,
    /// Embedded experiment name or path to a `.toml` file.
    pub experiment: String,
    /// Overrides of this run, after the suite's.
    pub set: Vec<Override>,
    /// The swept keys, in key order; the run is repeated for every combination.
    pub sweep: Vec<SweepAxis>,
}

/// One swept key and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepAxis {
    /// Dotted config key, e.g. `model.channels`.
    pub key: String,
    /// The values, in file order (strings, numbers or booleans).
    pub values: Vec<Value>,
}

/// The file as written; [`Suite::from_text`] checks it and types it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    name: String,
    #[serde(default)]
    description: String,
    seeds: Vec<u64>,
    #[serde(default)]
    set: Vec<String>,
    #[serde(default)]
    notes: Option<String>,
    run: Vec<RunFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFile {
    family: String,
    experiment: String,
    #[serde(default)]
    set: Vec<String>,
    #[serde(default)]
    sweep: BTreeMap<String, Vec<Value>>,
}

impl Suite {
    /// Parses and validates suite TOML text read from `origin`.
    ///
    /// # Errors
    /// [`SuiteError::Syntax`]; [`SuiteError::InvalidKey`] for an unknown or missing key, a
    /// name or family that gives no directory name, no seeds or a repeated seed, no runs, an
    /// override that is not `key=value`, a sweep without values or with a repeated value, a
    /// sweep value that is not a string, number or boolean, a key both set and swept, and
    /// `seed` in `set` or `sweep`. Whether the experiments and keys exist is checked by
    /// [`super::Plan::configs`].
    pub fn from_text(origin: &str, text: &str) -> Result<Self, SuiteError> {
        let value: toml::Table = toml::from_str(text).map_err(|e| SuiteError::Syntax {
            origin: origin.into(),
            message: e.message().to_string(),
        })?;
        let file: SuiteFile =
            serde_path_to_error::deserialize(Value::Table(value)).map_err(|e| {
                let path = e.path().to_string();
                let key = if path == "." {
                    "(top level)".into()
                } else {
                    path
                };
                SuiteError::key(origin, key, e.inner().message())
            })?;
        let bad = |key: &str, message: String| SuiteError::key(origin, key, message);
        let name = file.name.trim().to_string();
        if slug(&name) != name || !is_path_component(&name) {
            return Err(bad(
                "name",
                format!(
                    "`{name}` names the output directory: use letters, digits, `.`, `_`, `+`, \
                     `-` (e.g. `{}`)",
                    slug(&name)
                ),
            ));
        }
        if file.seeds.is_empty() {
            return Err(bad("seeds", "must list at least one seed".into()));
        }
        if let Some(dup) = first_duplicate(&file.seeds) {
            return Err(bad("seeds", format!("seed {dup} is listed twice")));
        }
        if file.run.is_empty() {
            return Err(bad("run", "the suite has no [[run]]".into()));
        }
        let set = overrides(origin, "set", &file.set)?;
        let runs = file
            .run
            .into_iter()
            .enumerate()
            .map(|(i, r)| RunSpec::checked(origin, i, r, &set))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            origin: origin.into(),
            name,
            description: file.description,
            seeds: file.seeds,
            set,
            notes: file.notes.filter(|n| !n.trim().is_empty()),
            runs,
        })
    }
}

impl RunSpec {
    /// Checks and types the `index`-th `[[run]]`; `suite_set` are the suite's overrides.
    fn checked(
        origin: &str,
        index: usize,
        r: RunFile,
        suite_set: &[Override],
    ) -> Result<Self, SuiteError> {
        let at = |key: &str| format!("run[{index}].{key}");
        let bad = |key: &str, message: String| SuiteError::key(origin, at(key), message);
        let family = r.family.trim().to_string();
        if !is_path_component(&slug(&family)) {
            return Err(bad(
                "family",
                format!("`{family}` gives no directory name: use some letters or digits"),
            ));
        }
        if r.experiment.trim().is_empty() {
            return Err(bad("experiment", "must name an experiment".into()));
        }
        let set = overrides(origin, &at("set"), &r.set)?;
        let mut sweep = Vec::with_capacity(r.sweep.len());
        for (key, values) in r.sweep {
            let key = key.trim().to_string();
            let here = format!("sweep.\"{key}\"");
            if key.split('.').any(|s| s.trim().is_empty()) {
                return Err(bad(&here, "must be a dotted config key".into()));
            }
            if key == SEED_KEY {
                return Err(bad(&here, "the seeds come from `seeds`".into()));
            }
            if let Some(ov) = suite_set.iter().chain(&set).find(|o| o.key == key) {
                return Err(bad(
                    &here,
                    format!("is swept and also set (`{ov}`): keep one"),
                ));
            }
            if values.is_empty() {
                return Err(bad(&here, "must list at least one value".into()));
            }
            if let Some(v) = values.iter().find(|v| !is_scalar(v)) {
                return Err(bad(
                    &here,
                    format!("values must be strings, numbers or booleans, not `{v}`"),
                ));
            }
            let shown: Vec<String> = values.iter().map(Value::to_string).collect();
            if let Some(dup) = first_duplicate(&shown) {
                return Err(bad(&here, format!("the value {dup} is listed twice")));
            }
            sweep.push(SweepAxis { key, values });
        }
        Ok(Self {
            family,
            experiment: r.experiment.trim().to_string(),
            set,
            sweep,
        })
    }
}

/// Parses `key=value` strings; `key` names the list in errors.
fn overrides(origin: &str, key: &str, args: &[String]) -> Result<Vec<Override>, SuiteError> {
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            let ov: Override = a
                .parse()
                .map_err(|e| SuiteError::key(origin, format!("{key}[{i}]"), format!("{e}")))?;
            if ov.key == SEED_KEY {
                return Err(SuiteError::key(
                    origin,
                    format!("{key}[{i}]"),
                    "the seeds come from `seeds`",
                ));
            }
            Ok(ov)
        })
        .collect()
}

fn is_scalar(v: &Value) -> bool {
    matches!(
        v,
        Value::String(_) | Value::Integer(_) | Value::Float(_) | Value::Boolean(_)
    )
}

fn first_duplicate<T: Ord + Clone>(items: &[T]) -> Option<T> {
    let mut seen = BTreeSet::new();
    items.iter().find(|x| !seen.insert((*x).clone())).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "name = \"s\"\nseeds = [1]\n";

    fn err(text: &str) -> String {
        Suite::from_text("s.toml", text).unwrap_err().to_string()
    }

    fn run(extra: &str) -> String {
        format!("{HEAD}[[run]]\nfamily = \"F\"\nexperiment = \"mnist\"\n{extra}")
    }

    #[test]
    fn a_full_suite_is_typed() {
        let text = r#"
            name = "digits"
            description = "d"
            seeds = [3, 1]
            set = ["train.epochs=2"]
            notes = "n"
            [[run]]
            family = "GM"
            experiment = "rot-mnist-digits"
            set = ["model.kind=cnn"]
            [run.sweep]
            "model.t" = [1, 2]
            "model.channels" = [8, 16]
            [[run]]
            family = "CNN"
            experiment = "rot-mnist-digits-cnn"
        "#;
        let s = Suite::from_text("x", text).unwrap();
        assert_eq!(
            (s.name.as_str(), s.seeds.as_slice()),
            ("digits", &[3, 1][..])
        );
        assert_eq!(s.set[0].to_string(), "train.epochs=2");
        assert_eq!(s.notes.as_deref(), Some("n"));
        assert_eq!(s.runs.len(), 2);
        // Sweep keys in key order, values in file order.
        let keys: Vec<&str> = s.runs[0].sweep.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["model.channels", "model.t"]);
        assert_eq!(
            s.runs[0].sweep[1].values,
            [Value::Integer(1), Value::Integer(2)]
        );
        assert_eq!(s.runs[0].set[0].to_string(), "model.kind=\"cnn\"");
        assert!(s.runs[1].sweep.is_empty());
    }

    #[test]
    fn bad_files_name_the_key() {
        for (text, needle) in [
            (format!("{HEAD}sedes = [1]"), "`sedes`"),
            (run("famly = \"x\""), "run[0]"),
            (
                run("[run.sweep]\n\"model.channels\" = []"),
                "at least one value",
            ),
            (
                run("[run.sweep]\n\"model.channels\" = [8, 8]"),
                "listed twice",
            ),
            (
                run("[run.sweep]\n\"model.channels\" = [[8]]"),
                "strings, numbers",
            ),
            (run("[run.sweep]\nseed = [1, 2]"), "seeds come from"),
            (run("set = [\"seed=3\"]"), "seeds come from"),
            (run("set = [\"model.channels\"]"), "run[0].set[0]"),
            (
                run("set = [\"model.channels=4\"]\n[run.sweep]\n\"model.channels\" = [8]"),
                "also set",
            ),
            (run("[run.sweep]\n\"model..x\" = [1]"), "dotted config key"),
            (
                "name = \"s\"\nseeds = []\n[[run]]\nfamily = \"F\"\nexperiment = \"m\"".into(),
                "at least one seed",
            ),
            (
                "name = \"s\"\nseeds = [2, 2]\n[[run]]\nfamily = \"F\"\nexperiment = \"m\"".into(),
                "seed 2 is listed twice",
            ),
            (HEAD.into(), "`run`"),
            ("name = \"s\"\nseeds = [1]\nrun = []".into(), "no [[run]]"),
            (run("").replace("name = \"s\"", "name = \"a b\""), "`name`"),
            (run("").replace("name = \"s\"", "name = \"..\""), "`name`"),
            (
                run("").replace("\"F\"", "\"((\""),
                "gives no directory name",
            ),
            (run("").replace("seeds = [1]", "seeds = [-1]"), "`seeds"),
            ("name = ".into(), "invalid TOML"),
        ] {
            let e = err(&text);
            assert!(e.contains(needle), "{text}\n=> {e}");
            assert!(e.starts_with("s.toml"), "{e}");
        }
    }
}
