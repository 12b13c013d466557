//! Range and consistency checks of a typed config; each failure names its key.
use super::schema::{
    ChannelMode, Dataset, ExperimentConfig, FieldBaseline, ModelKind, RegressionConfig,
    RegressionModel, Symmetry, Task, NOISE_LEVELS,
};
use super::ConfigError;
use crate::symmetry::image_symmetry;

fn check(ok: bool, key: &str, allowed: impl FnOnce() -> String) -> Result<(), ConfigError> {
    if ok {
        Ok(())
    } else {
        Err(ConfigError::key(key, allowed()))
    }
}

impl ExperimentConfig {
    /// Checks ranges and consistency (task vs dataset, classes vs dataset, kernel vs grid).
    ///
    /// # Errors
    /// [`ConfigError::InvalidKey`] naming the first offending key and the allowed values.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let ds = self.data.dataset;
        check(self.task == ds.task(), "task", || {
            format!(
                "dataset `{}` is a {} set, so task must be `{}`",
                ds.name(),
                ds.task(),
                ds.task()
            )
        })?;
        let f = self.data.val_fraction;
        check(f > 0.0 && f < 1.0, "data.val_fraction", || {
            format!("must lie in (0, 1), got {f}")
        })?;
        match (ds, self.data.noise_level) {
            (Dataset::MnistNoise, Some(n)) => {
                check(NOISE_LEVELS.contains(&n), "data.noise_level", || {
                    format!(
                        "must lie in {}..={} (the file mnist_noise_variations_all_N.amat), got {n}",
                        NOISE_LEVELS.start(),
                        NOISE_LEVELS.end()
                    )
                })?
            }
            (Dataset::MnistNoise, None) => {
                return Err(ConfigError::key(
                    "data.noise_level",
                    format!(
                        "`mnist-noise` reads mnist_noise_variations_all_N.amat: set N in {}..={}",
                        NOISE_LEVELS.start(),
                        NOISE_LEVELS.end()
                    ),
                ))
            }
            (_, Some(_)) => {
                return Err(ConfigError::key(
                    "data.noise_level",
                    format!(
                        "only `mnist-noise` takes a noise level, not `{}`; remove the key",
                        ds.name()
                    ),
                ))
            }
            (_, None) => {}
        }
        let (_, h, w) = ds.native_shape();
        let (h, w) = match self.data.image_size {
            Some(s) => {
                check(h == w, "data.image_size", || {
                    format!("`{}` is not square ({h}×{w}); remove image_size", ds.name())
                })?;
                check((4..=h).contains(&s), "data.image_size", || {
                    format!("must lie in 4..={h} for `{}`, got {s}", ds.name())
                })?;
                (s, s)
            }
            None => (h, w),
        };
        self.validate_model(h, w)?;
        self.validate_train()?;
        match (self.task, &self.regression) {
            (Task::Regression, None) => Err(ConfigError::key(
                "regression",
                "regression experiments need a [regression] section",
            )),
            (Task::Classification, Some(_)) => Err(ConfigError::key(
                "regression",
                "only regression experiments take a [regression] section; remove it",
            )),
            (Task::Regression, Some(r)) => {
                check(r.input_frames >= 1, "regression.input_frames", || {
                    "must be at least 1".into()
                })?;
                check(r.train_rollout >= 1, "regression.train_rollout", || {
                    "must be at least 1".into()
                })?;
                check(r.test_rollout >= 1, "regression.test_rollout", || {
                    "must be at least 1".into()
                })?;
                check(
                    0 < r.train_end && r.train_end < r.val_end && r.val_end < r.future_end,
                    "regression.val_end",
                    || "windows must satisfy 0 < train_end < val_end < future_end".into(),
                )?;
                check(r.domain_end >= 1, "regression.domain_end", || {
                    "must be at least 1".into()
                })?;
                check(r.window_stride >= 1, "regression.window_stride", || {
                    "must be at least 1".into()
                })?;
                check(r.held_out >= 1, "regression.held_out", || {
                    "must be at least 1 (the domain test needs held-out simulations)".into()
                })?;
                check(r.mid() >= r.input_frames, "regression.mid", || {
                    format!(
                        "must be at least input_frames = {} (a window's input ends at mid)",
                        r.input_frames
                    )
                })?;
                validate_sim_lists(r)
            }
            (Task::Classification, None) => Ok(()),
        }
    }

    fn validate_model(&self, h: usize, w: usize) -> Result<(), ConfigError> {
        let m = &self.model;
        let ds = self.data.dataset;
        match ds.classes() {
            Some(c) => check(m.classes == Some(c), "model.classes", || {
                format!("must be {c} for `{}`, got {:?}", ds.name(), m.classes)
            })?,
            None => check(m.classes.is_none(), "model.classes", || {
                "regression models take no classes; remove the key".into()
            })?,
        }
        check(m.channels >= 1, "model.channels", || {
            "must be at least 1".into()
        })?;
        check(m.blocks >= 1, "model.blocks", || {
            "must be at least 1".into()
        })?;
        check((0.0..1.0).contains(&m.dropout), "model.dropout", || {
            format!("must lie in [0, 1), got {}", m.dropout)
        })?;
        let regression_kind = matches!(m.kind, ModelKind::Gm | ModelKind::FieldBaseline);
        check(
            self.task == Task::Classification || regression_kind,
            "model.kind",
            || {
                format!(
                    "\"{}\" is a classification baseline; regression experiments train a GM \
                     regression model (\"gm\") or a baseline on velocity fields \
                     (\"field-baseline\")",
                    m.kind
                )
            },
        )?;
        check(
            self.task == Task::Regression || m.kind != ModelKind::FieldBaseline,
            "model.kind",
            || "\"field-baseline\" predicts velocity fields: regression experiments only".into(),
        )?;
        self.validate_field_baseline(h, w)?;
        self.validate_structure()?;
        self.validate_gm_options()?;
        self.validate_regression_model()?;
        image_symmetry(m.symmetry).validate(m, h, w, ds)
    }

    /// `model.family` and `model.rank`: required by (and only by) structured models; the rank
    /// is ignored by the families without one (unconstrained, circulant).
    fn validate_structure(&self) -> Result<(), ConfigError> {
        let m = &self.model;
        if m.kind != ModelKind::Structured {
            check(m.family.is_none(), "model.family", || {
                format!(
                    "applies to model.kind = \"structured\" only (this model is \"{}\"); \
                     remove the key",
                    m.kind
                )
            })?;
            return check(m.rank.is_none(), "model.rank", || {
                "applies to model.kind = \"structured\" only (a GM model's relaxation rank is \
                 model.relaxed_rank); remove the key"
                    .into()
            });
        }
        let names = || {
            let all: Vec<String> = super::StructuredFamily::ALL
                .iter()
                .map(|f| f.to_string())
                .collect();
            format!("structured models need one of {}", all.join(", "))
        };
        let Some(family) = m.family else {
            return Err(ConfigError::key("model.family", names()));
        };
        // A rank given to a family without one is ignored (so one config can sweep families).
        check(
            !family.has_rank() || m.rank.is_some_and(|r| r >= 1),
            "model.rank",
            || format!("{family} needs a displacement rank r ≥ 1, got {:?}", m.rank),
        )
    }

    /// `model.baseline`, `model.banks`, `model.alpha`: required by (`baseline`) and only for
    /// the field baselines; the rotation ones turn the grid, which must be square.
    fn validate_field_baseline(&self, h: usize, w: usize) -> Result<(), ConfigError> {
        let m = &self.model;
        if m.kind != ModelKind::FieldBaseline {
            for (key, given) in [
                ("model.baseline", m.baseline.is_some()),
                ("model.banks", m.banks.is_some()),
                ("model.alpha", m.alpha.is_some()),
            ] {
                check(!given, key, || {
                    format!(
                        "applies to model.kind = \"field-baseline\" only (this model is \"{}\"); \
                         remove the key",
                        m.kind
                    )
                })?;
            }
            return Ok(());
        }
        check(m.baseline.is_some(), "model.baseline", || {
            let all: Vec<String> = FieldBaseline::ALL.iter().map(|b| b.to_string()).collect();
            format!("field baselines need one of {}", all.join(", "))
        })?;
        check(m.banks.is_none_or(|b| b >= 1), "model.banks", || {
            "must be at least 1".into()
        })?;
        check(
            m.alpha.is_none_or(|a| a.is_finite() && a >= 0.0),
            "model.alpha",
            || format!("must be finite and at least 0, got {:?}", m.alpha),
        )?;
        check(m.blocks >= 2, "model.blocks", || {
            "a field baseline has an input and an output layer: at least 2".into()
        })?;
        let turns_the_grid = !matches!(
            m.baseline,
            Some(FieldBaseline::ConvNet | FieldBaseline::Mlp | FieldBaseline::RGroupTranslation)
        );
        check(h == w || !turns_the_grid, "model.baseline", || {
            format!(
                "the rotation baselines turn the grid by quarter turns: it must be square, got \
                 {h}×{w} (conv-net, mlp and r-group-translation take any grid)"
            )
        })
    }

    /// `model.regression_model`: the reference model serves GM regression experiments, and
    /// its relaxation is its error vector, so it takes no `relaxed_rank`; `p4-field` is exact
    /// and on p4. Field baselines ignore the key (so a variant of a GM config can name one).
    fn validate_regression_model(&self) -> Result<(), ConfigError> {
        let m = &self.model;
        if m.kind == ModelKind::FieldBaseline {
            return Ok(());
        }
        if m.regression_model == RegressionModel::P4Field {
            return check(
                self.task == Task::Regression
                    && m.kind == ModelKind::Gm
                    && m.symmetry == Symmetry::P4
                    && m.relaxed_rank == 0,
                "model.regression_model",
                || {
                    "\"p4-field\" is an exact GM regression model on p4: model.kind = \"gm\", \
                     model.symmetry = \"p4\", model.relaxed_rank = 0"
                        .into()
                },
            );
        }
        if m.regression_model != RegressionModel::Reference {
            return Ok(());
        }
        check(
            self.task == Task::Regression && m.kind == ModelKind::Gm,
            "model.regression_model",
            || "applies to GM regression experiments only; remove the key".into(),
        )?;
        check(m.relaxed_rank == 0, "model.relaxed_rank", || {
            format!(
                "the reference regression model relaxes equivariance with its error vector, not \
                 a rank-r part: set 0, or model.regression_model = \"{}\" for the rank-{} model",
                RegressionModel::RelaxedRank,
                m.relaxed_rank
            )
        })
    }

    /// `model.channel_mode` (GM models), `model.axis_groups` (the axis-product symmetry) and
    /// `model.pool_after` (block indices of a GM classifier on an axis-product grid).
    fn validate_gm_options(&self) -> Result<(), ConfigError> {
        let m = &self.model;
        check(
            m.kind == ModelKind::Gm || m.channel_mode == ChannelMode::Shared,
            "model.channel_mode",
            || "applies to GM models only; remove the key".into(),
        )?;
        check(
            m.axis_groups.is_none() || m.symmetry == Symmetry::AxisProduct,
            "model.axis_groups",
            || {
                format!(
                    "names one group per axis of an axis-product grid; model.symmetry = \"{}\" \
                     has none: remove the key",
                    m.symmetry
                )
            },
        )?;
        if m.pool_after.is_empty() {
            return Ok(());
        }
        check(
            m.kind == ModelKind::Gm && self.task == Task::Classification,
            "model.pool_after",
            || "applies to GM classifiers only; remove the key".into(),
        )?;
        check(
            m.symmetry == Symmetry::AxisProduct,
            "model.pool_after",
            || {
                format!(
                    "pooling halves the axes of an axis-product grid; model.symmetry = \"{}\" \
                     has none",
                    m.symmetry
                )
            },
        )?;
        check(
            m.pool_after.iter().all(|&i| i < m.blocks),
            "model.pool_after",
            || {
                format!(
                    "block indices are 0-based and below model.blocks = {}, got {:?}",
                    m.blocks, m.pool_after
                )
            },
        )
    }

    fn validate_train(&self) -> Result<(), ConfigError> {
        let t = &self.train;
        check(t.batch_size >= 1, "train.batch_size", || {
            "must be at least 1".into()
        })?;
        check(t.epochs >= 1, "train.epochs", || {
            "must be at least 1".into()
        })?;
        check(t.lr > 0.0 && t.lr.is_finite(), "train.lr", || {
            format!("must be positive and finite, got {}", t.lr)
        })?;
        check(t.weight_decay >= 0.0, "train.weight_decay", || {
            format!("must be non-negative, got {}", t.weight_decay)
        })?;
        check(
            t.plateau_factor > 0.0 && t.plateau_factor < 1.0,
            "train.plateau_factor",
            || format!("must lie in (0, 1), got {}", t.plateau_factor),
        )?;
        check(
            t.early_stopping_patience >= 1,
            "train.early_stopping_patience",
            || "must be at least 1".into(),
        )?;
        let q = &self.quick;
        check(q.epochs >= 1, "quick.epochs", || {
            "must be at least 1".into()
        })?;
        check(q.max_train >= 1, "quick.max_train", || {
            "must be at least 1".into()
        })?;
        check(q.max_test >= 1, "quick.max_test", || {
            "must be at least 1".into()
        })
    }

    /// Shrinks the run for `--quick`: fewer epochs, fewer samples (applied by the loaders).
    pub fn make_quick(&mut self) {
        self.train.epochs = self.train.epochs.min(self.quick.epochs);
    }
}

/// The task lists: both or neither, each non-empty and without repeats, and disjoint (a
/// domain-test simulation must be unseen in training).
fn validate_sim_lists(r: &RegressionConfig) -> Result<(), ConfigError> {
    let (train, domain) = match (&r.train_sims, &r.domain_sims) {
        (None, None) => return Ok(()),
        (Some(t), Some(d)) => (t, d),
        _ => {
            return check(false, "regression.train_sims", || {
                "give both train_sims and domain_sims, or neither (then the last held_out \
                 simulations are the domain test)"
                    .into()
            })
        }
    };
    for (key, list) in [
        ("regression.train_sims", train),
        ("regression.domain_sims", domain),
    ] {
        check(!list.is_empty(), key, || {
            "must name at least one simulation".into()
        })?;
        let mut sorted = list.clone();
        sorted.sort_unstable();
        let repeat = sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]);
        check(repeat.is_none(), key, || {
            format!("names simulation {} twice", repeat.unwrap_or_default())
        })?;
    }
    let shared = train.iter().find(|k| domain.contains(k));
    check(shared.is_none(), "regression.domain_sims", || {
        format!(
            "simulation {} is in both lists: the domain test must be held out of training",
            shared.copied().unwrap_or_default()
        )
    })
}
