//! The embedded suites (`experiments/suites/*.toml`), so `gm suite list` works from any
//! directory; a suite is also read from any `.toml` path.
use super::{Suite, SuiteError};

/// `(name, TOML text)` of every embedded suite, in listing order.
const EMBEDDED: &[(&str, &str)] = &[
    ("demo", include_str!("../../suites/demo.toml")),
    ("demo-seeds", include_str!("../../suites/demo-seeds.toml")),
    (
        "digits-comparison",
        include_str!("../../suites/digits-comparison.toml"),
    ),
    (
        "paper-classification",
        include_str!("../../suites/paper-classification.toml"),
    ),
    (
        "plume-rotation-comparison",
        include_str!("../../suites/plume-rotation-comparison.toml"),
    ),
    (
        "plume-rotation-smoke",
        include_str!("../../suites/plume-rotation-smoke.toml"),
    ),
    (
        "plume-translation-comparison",
        include_str!("../../suites/plume-translation-comparison.toml"),
    ),
    (
        "plume-translation-smoke",
        include_str!("../../suites/plume-translation-smoke.toml"),
    ),
];

/// Names of the embedded suites, in listing order.
pub fn suite_names() -> Vec<&'static str> {
    EMBEDDED.iter().map(|(n, _)| *n).collect()
}

/// Loads and validates a suite: an embedded name, or a path to a `.toml` file.
///
/// # Example
/// ```
/// let suite = gm_experiments::suite::load_suite("demo-seeds").unwrap();
/// assert_eq!(suite.name, "demo-seeds");
/// ```
///
/// # Errors
/// [`SuiteError::UnknownSuite`], [`SuiteError::Io`], and those of [`Suite::from_text`].
pub fn load_suite(name: &str) -> Result<Suite, SuiteError> {
    match EMBEDDED.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => Suite::from_text(name, text),
        None if name.ends_with(".toml") => {
            let text = std::fs::read_to_string(name).map_err(|source| SuiteError::Io {
                path: name.into(),
                source,
            })?;
            Suite::from_text(name, &text)
        }
        None => Err(SuiteError::UnknownSuite {
            name: name.into(),
            allowed: suite_names().join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::{Plan, Selection};

    #[test]
    fn every_embedded_suite_parses_and_every_planned_config_loads() {
        assert!(!suite_names().is_empty());
        for name in suite_names() {
            let suite = load_suite(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(suite.name, name, "the file's name is its registry name");
            assert!(!suite.description.is_empty(), "{name}: no description");
            let plan = Plan::new(&suite, &Selection::default()).unwrap();
            for quick in [false, true] {
                let cfgs = plan
                    .configs(quick)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                for (run, cfg) in plan.runs.iter().zip(cfgs) {
                    assert_eq!(cfg.seed, run.seed, "{name}: {run}");
                }
            }
        }
    }

    #[test]
    fn suites_are_found_by_name_or_path() {
        let e = load_suite("no-such-suite").unwrap_err().to_string();
        assert!(e.contains("demo-seeds"), "{e}");
        let e = load_suite("/no/such/file.toml").unwrap_err();
        assert!(matches!(e, SuiteError::Io { .. }), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        let text =
            "name = \"mine\"\nseeds = [1]\n[[run]]\nfamily = \"F\"\nexperiment = \"mnist\"\n";
        std::fs::write(&path, text).unwrap();
        assert_eq!(load_suite(path.to_str().unwrap()).unwrap().name, "mine");
    }
}
