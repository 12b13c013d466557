//! A suite expanded into its runs ([`Plan`]): every `[[run]]` × every point of its sweep ×
//! every seed, each with its overrides and its own run directory.
//!
//! The order is seed-major: seed 1 of every run, then seed 2 of every run, … — a suite stopped
//! early still has every configuration once. Within a seed the runs keep file order and a
//! sweep varies its last key fastest.
//!
//! The run directory, relative to the suite's output directory, is
//! `<family>/<experiment>[__<key>=<value>…]/seed-<seed>` (each part passed through
//! [`slug`]; an experiment given as a path contributes its file stem), so it depends only on
//! what the run is, not on its place in the file: adding runs or seeds never renames the
//! directories of finished runs.
use super::schema::{RunSpec, Suite, SEED_KEY};
use super::SuiteError;
use crate::config::{load_experiment, overrides::Override, ExperimentConfig};
use crate::slug::{is_path_component, slug};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Value;

/// One run of a suite.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRun {
    /// The family (a line in the plot, a group in the table).
    pub family: String,
    /// Embedded experiment name or path.
    pub experiment: String,
    /// The sweep point: one override per swept key (empty without a sweep).
    pub point: Vec<Override>,
    /// The seed.
    pub seed: u64,
    /// Every override in the order applied: the suite's `set`, the run's `set`, the sweep
    /// point, then `seed`.
    pub overrides: Vec<Override>,
    /// The run directory relative to the suite's output directory.
    pub dir: PathBuf,
}

impl PlannedRun {
    /// The experiment and the sweep point, e.g. `rot-mnist-digits-cnn model.channels=16`:
    /// what distinguishes the configurations of one family.
    pub fn setting(&self) -> String {
        std::iter::once(self.experiment.clone())
            .chain(
                self.point
                    .iter()
                    .map(|o| format!("{}={}", o.key, value_text(&o.value))),
            )
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for PlannedRun {
    /// `family | setting | seed N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} | {} | seed {}",
            self.family,
            self.setting(),
            self.seed
        )
    }
}

/// A sweep value as people read it: a string unquoted, anything else as TOML.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// Which part of a suite to plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Seeds to use instead of the suite's.
    pub seeds: Option<Vec<u64>>,
    /// Only the runs whose family contains this text (ignoring case).
    pub only: Option<String>,
}

/// A suite expanded into its runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The suite.
    pub suite: Suite,
    /// The runs, in the order they are run.
    pub runs: Vec<PlannedRun>,
}

impl Plan {
    /// Expands `suite`, restricted to `selection`.
    ///
    /// # Example
    /// ```
    /// use gm_experiments::suite::{load_suite, Plan, Selection};
    /// let suite = load_suite("demo-seeds").unwrap();
    /// let plan = Plan::new(&suite, &Selection::default()).unwrap();
    /// // (1 GM run + 3 CNN widths) × 3 seeds.
    /// assert_eq!(plan.runs.len(), 12);
    /// assert_eq!(
    ///     plan.runs[1].dir,
    ///     std::path::Path::new("CNN/rot-mnist-digits-cnn__model.channels=8/seed-1")
    /// );
    /// ```
    ///
    /// # Errors
    /// [`SuiteError::DuplicateDir`] when two runs of the suite would share a directory;
    /// [`SuiteError::InvalidKey`] for an experiment path that gives no directory name or a seed
    /// above `i64::MAX`;
    /// [`SuiteError::NothingSelected`] when the selection leaves no run.
    pub fn new(suite: &Suite, selection: &Selection) -> Result<Self, SuiteError> {
        let seeds = selection.seeds.as_deref().unwrap_or(&suite.seeds);
        if let Some(big) = seeds.iter().find(|&&s| i64::try_from(s).is_err()) {
            return Err(SuiteError::key(
                &suite.origin,
                "seeds",
                format!("seed {big} is larger than a TOML integer (2^63 - 1)"),
            ));
        }
        let mut runs = Vec::new();
        for &seed in seeds {
            for (index, spec) in suite.runs.iter().enumerate() {
                let base = experiment_dir(suite, index, spec)?;
                for point in sweep_points(spec) {
                    runs.push(planned(suite, spec, &base, point, seed));
                }
            }
        }
        let mut seen: HashMap<&Path, &PlannedRun> = HashMap::new();
        for run in &runs {
            if let Some(first) = seen.insert(&run.dir, run) {
                return Err(SuiteError::DuplicateDir {
                    origin: suite.origin.clone(),
                    dir: run.dir.display().to_string(),
                    first: first.to_string(),
                    second: run.to_string(),
                });
            }
        }
        let nothing = |filter: String| SuiteError::NothingSelected {
            origin: suite.origin.clone(),
            filter,
        };
        if runs.is_empty() {
            return Err(nothing("--seeds (none given)".into()));
        }
        if let Some(only) = &selection.only {
            let needle = only.to_lowercase();
            runs.retain(|r| r.family.to_lowercase().contains(&needle));
            if runs.is_empty() {
                let families: Vec<&str> = suite.runs.iter().map(|r| r.family.as_str()).collect();
                return Err(nothing(format!(
                    "--only {only:?} (the families are {})",
                    families.join(", ")
                )));
            }
        }
        Ok(Self {
            suite: suite.clone(),
            runs,
        })
    }

    /// Loads every planned run's config (shrunk as `--quick` does when `quick`), so that an
    /// unknown experiment, a misspelt key or a bad value fails before anything trains.
    ///
    /// # Errors
    /// [`SuiteError::Config`] naming the first run whose config does not load.
    pub fn configs(&self, quick: bool) -> Result<Vec<ExperimentConfig>, SuiteError> {
        self.runs
            .iter()
            .map(|run| {
                let mut cfg =
                    load_experiment(&run.experiment, &run.overrides).map_err(|error| {
                        SuiteError::Config {
                            origin: self.suite.origin.clone(),
                            run: run.to_string(),
                            error,
                        }
                    })?;
                if quick {
                    cfg.make_quick();
                }
                Ok(cfg)
            })
            .collect()
    }
}

/// `<family>/<experiment>` of the `index`-th run.
fn experiment_dir(suite: &Suite, index: usize, spec: &RunSpec) -> Result<String, SuiteError> {
    let stem = if spec.experiment.ends_with(".toml") {
        Path::new(&spec.experiment)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        spec.experiment.clone()
    };
    let experiment = slug(&stem);
    if !is_path_component(&experiment) {
        return Err(SuiteError::key(
            &suite.origin,
            format!("run[{index}].experiment"),
            format!("`{}` gives no directory name", spec.experiment),
        ));
    }
    Ok(format!("{}/{experiment}", slug(&spec.family)))
}

/// Every point of the run's sweep (one empty point without a sweep), the last key fastest.
fn sweep_points(spec: &RunSpec) -> Vec<Vec<Override>> {
    let mut points = vec![Vec::new()];
    for axis in &spec.sweep {
        points = points
            .into_iter()
            .flat_map(|p| {
                axis.values.iter().map(move |v| {
                    let mut p = p.clone();
                    p.push(Override {
                        key: axis.key.clone(),
                        value: v.clone(),
                    });
                    p
                })
            })
            .collect();
    }
    points
}

fn planned(
    suite: &Suite,
    spec: &RunSpec,
    base: &str,
    point: Vec<Override>,
    seed: u64,
) -> PlannedRun {
    let mut leaf = base.to_string();
    for o in &point {
        leaf.push_str(&format!(
            "__{}={}",
            slug(&o.key),
            slug(&value_text(&o.value))
        ));
    }
    let seed_override = Override {
        key: SEED_KEY.into(),
        value: Value::Integer(seed as i64),
    };
    let overrides = suite
        .set
        .iter()
        .chain(&spec.set)
        .chain(&point)
        .cloned()
        .chain(std::iter::once(seed_override))
        .collect();
    PlannedRun {
        family: spec.family.clone(),
        experiment: spec.experiment.clone(),
        point,
        seed,
        overrides,
        dir: Path::new(&leaf).join(format!("seed-{seed}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn suite(text: &str) -> Suite {
        Suite::from_text("s.toml", text).unwrap()
    }

    const TWO_RUNS: &str = r#"
        name = "s"
        seeds = [1, 2]
        set = ["train.epochs=2"]
        [[run]]
        family = "GM (D14xD14)"
        experiment = "rot-mnist-digits"
        set = ["model.dropout=0.1"]
        [run.sweep]
        "model.t" = [1, 2, 3]
        "model.channels" = [8, 16]
        [[run]]
        family = "CNN"
        experiment = "rot-mnist-digits-cnn"
    "#;

    fn dirs(plan: &Plan) -> Vec<String> {
        plan.runs
            .iter()
            .map(|r| r.dir.display().to_string())
            .collect()
    }

    #[test]
    fn the_plan_is_the_cartesian_product_seed_major() {
        let plan = Plan::new(&suite(TWO_RUNS), &Selection::default()).unwrap();
        // (3 × 2 sweep points + 1) runs × 2 seeds.
        assert_eq!(plan.runs.len(), (3 * 2 + 1) * 2);
        let seeds: Vec<u64> = plan.runs.iter().map(|r| r.seed).collect();
        assert_eq!(seeds, [[1; 7], [2; 7]].concat());
        let d = dirs(&plan);
        assert_eq!(
            d[0],
            "GM-D14xD14/rot-mnist-digits__model.channels=8__model.t=1/seed-1"
        );
        assert_eq!(
            d[1],
            "GM-D14xD14/rot-mnist-digits__model.channels=8__model.t=2/seed-1"
        );
        assert_eq!(
            d[3],
            "GM-D14xD14/rot-mnist-digits__model.channels=16__model.t=1/seed-1"
        );
        assert_eq!(d[6], "CNN/rot-mnist-digits-cnn/seed-1");
        assert_eq!(d[13], "CNN/rot-mnist-digits-cnn/seed-2");
        assert_eq!(d.iter().collect::<HashSet<_>>().len(), d.len(), "{d:?}");
        // Overrides in order: suite, run, sweep point, seed last.
        let shown: Vec<String> = plan.runs[4]
            .overrides
            .iter()
            .map(|o| o.to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "train.epochs=2",
                "model.dropout=0.1",
                "model.channels=16",
                "model.t=2",
                "seed=1"
            ]
        );
        for r in &plan.runs {
            let last = r.overrides.last().unwrap();
            assert_eq!(
                (last.key.as_str(), last.value.as_integer()),
                ("seed", Some(r.seed as i64))
            );
            assert!(r.dir.ends_with(format!("seed-{}", r.seed)));
        }
        assert_eq!(
            plan.runs[4].to_string(),
            "GM (D14xD14) | rot-mnist-digits model.channels=16 model.t=2 | seed 1"
        );
    }

    #[test]
    fn directories_do_not_move_when_the_suite_grows() {
        let before: HashSet<String> =
            dirs(&Plan::new(&suite(TWO_RUNS), &Selection::default()).unwrap())
                .into_iter()
                .collect();
        let grown = TWO_RUNS
            .replace("seeds = [1, 2]", "seeds = [5, 1, 2]")
            .replace(
                "[[run]]\n        family = \"CNN\"",
                "[[run]]\n        family = \"p4\"\n        experiment = \"rot-mnist-p4\"\n        \
             [[run]]\n        family = \"CNN\"",
            );
        let after = Plan::new(&suite(&grown), &Selection::default()).unwrap();
        assert_eq!(after.runs.len(), 8 * 3);
        let after: HashSet<String> = dirs(&after).into_iter().collect();
        assert!(before.is_subset(&after));
        // The same file plans the same directories every time.
        assert_eq!(
            dirs(&Plan::new(&suite(TWO_RUNS), &Selection::default()).unwrap()),
            dirs(&Plan::new(&suite(TWO_RUNS), &Selection::default()).unwrap())
        );
    }

    #[test]
    fn selections_pick_seeds_and_families() {
        let s = suite(TWO_RUNS);
        let sel = Selection {
            seeds: Some(vec![7]),
            only: Some("cnn".into()),
        };
        let plan = Plan::new(&s, &sel).unwrap();
        assert_eq!(dirs(&plan), ["CNN/rot-mnist-digits-cnn/seed-7"]);
        let none = Selection {
            only: Some("resnet".into()),
            ..Selection::default()
        };
        let e = Plan::new(&s, &none).unwrap_err().to_string();
        assert!(
            e.contains("\"resnet\"") && e.contains("GM (D14xD14), CNN"),
            "{e}"
        );
        let empty = Selection {
            seeds: Some(vec![]),
            ..Selection::default()
        };
        assert!(matches!(
            Plan::new(&s, &empty),
            Err(SuiteError::NothingSelected { .. })
        ));
    }

    #[test]
    fn runs_sharing_a_directory_are_refused() {
        let text = r#"
            name = "s"
            seeds = [1]
            [[run]]
            family = "CNN"
            experiment = "rot-mnist-digits-cnn"
            set = ["model.channels=8"]
            [[run]]
            family = "CNN"
            experiment = "rot-mnist-digits-cnn"
            set = ["model.channels=16"]
        "#;
        let e = Plan::new(&suite(text), &Selection::default()).unwrap_err();
        assert!(matches!(e, SuiteError::DuplicateDir { .. }), "{e}");
        assert!(
            e.to_string().contains("CNN/rot-mnist-digits-cnn/seed-1"),
            "{e}"
        );
    }

    #[test]
    fn every_planned_config_is_loaded_before_anything_runs() {
        let plan = Plan::new(&suite(TWO_RUNS), &Selection::default()).unwrap();
        let cfgs = plan.configs(false).unwrap();
        assert_eq!(cfgs.len(), plan.runs.len());
        assert_eq!(
            (cfgs[4].seed, cfgs[4].model.channels, cfgs[4].model.t),
            (1, 16, 2)
        );
        assert_eq!(cfgs[4].train.epochs, 2);
        assert_eq!(cfgs[13].seed, 2);
        assert_eq!(plan.configs(true).unwrap()[0].train.epochs, 1);
        // A sweep key that is not a config key fails in the plan, naming key and run.
        let typo = TWO_RUNS.replace("\"model.channels\" = [8, 16]", "\"model.chanels\" = [8]");
        let plan = Plan::new(&suite(&typo), &Selection::default()).unwrap();
        let e = plan.configs(false).unwrap_err();
        assert!(matches!(e, SuiteError::Config { .. }), "{e}");
        let e = e.to_string();
        assert!(
            e.contains("model.chanels") && e.contains("GM (D14xD14)"),
            "{e}"
        );
        let unknown = TWO_RUNS.replace("\"rot-mnist-digits-cnn\"", "\"rot-mnist-digit-cnn\"");
        let plan = Plan::new(&suite(&unknown), &Selection::default()).unwrap();
        let e = plan.configs(false).unwrap_err().to_string();
        assert!(
            e.contains("unknown experiment `rot-mnist-digit-cnn`"),
            "{e}"
        );
    }
}
