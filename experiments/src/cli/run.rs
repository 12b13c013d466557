//! `gm run EXP [--set key=value]... [--quick] [--resume] [--out DIR]`: runs an experiment
//! ([`gm_experiments::run`]) and prints its result in a line.
use anyhow::Result;
use gm_experiments::config::overrides::Override;
use gm_experiments::run::{FinishedRun, RunOptions, RunResult};
use std::path::Path;
use tch::Device;

/// Runs `experiment` on `device` and prints the outcome.
pub fn run(
    experiment: &str,
    overrides: &[Override],
    opts: &RunOptions,
    device: Device,
) -> Result<RunResult> {
    let FinishedRun { run_dir, result } =
        gm_experiments::run::run(experiment, overrides, opts, device)?;
    println!("{}", summary(&result, &run_dir));
    Ok(result)
}

/// The one-line outcome of a run in `run_dir`.
fn summary(r: &RunResult, run_dir: &Path) -> String {
    let (error, group) = r
        .invariance
        .as_ref()
        .map_or((f64::NAN, "-"), |c| (c.error, c.group.as_str()));
    match &r.regression {
        None => format!(
            "{}: test accuracy {:.4}, {} parameters, {} epochs in {:.1} s (best epoch {}), \
             invariance error {error:.1e} under {group} -> {}",
            r.experiment,
            r.test_metric,
            r.parameters,
            r.epochs,
            r.train_seconds,
            r.best_epoch,
            run_dir.display()
        ),
        Some(g) => {
            let turns = g.rotation_equivariance.as_ref().map_or(String::new(), |c| {
                format!(", {:.1e} under {}", c.error, c.group)
            });
            format!(
                "{}: RMSE future {:.4} / domain {:.4} ({}-step rollouts{}; persistence {:.4} / \
             {:.4}), {} parameters, {} epochs in {:.1} s ({:.1} s per epoch, best epoch {}), \
             one-step equivariance error {error:.1e} under {group}{turns} -> {}",
                r.experiment,
                g.rmse_future,
                g.rmse_domain,
                g.test_rollout,
                if g.test_rollout < g.configured_test_rollout {
                    format!(
                        ", shortened from {}: trajectories too short",
                        g.configured_test_rollout
                    )
                } else {
                    String::new()
                },
                g.rmse_future_persistence,
                g.rmse_domain_persistence,
                r.parameters,
                r.epochs,
                r.train_seconds,
                r.seconds_per_epoch.unwrap_or(0.0),
                r.best_epoch,
                run_dir.display()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gm_experiments::data::idx;

    /// A `--quick` run of `experiment` with the overrides `sets` into `out`, on the CPU.
    fn quick_run(experiment: &str, sets: &[String], out: std::path::PathBuf) -> RunResult {
        let sets: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
        let opts = RunOptions {
            quick: true,
            resume: false,
            out: Some(out),
        };
        run(experiment, &sets, &opts, Device::Cpu).unwrap()
    }

    #[test]
    fn quick_run_of_the_baseline_writes_a_complete_run_directory() {
        tch::set_num_threads(1);
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("digits");
        // 40 train and 10 test 28×28 "digits": label = which quarter holds the bright block.
        let image = |label: usize| -> Vec<u8> {
            (0..784)
                .map(|p| {
                    let (y, x) = (p / 28, p % 28);
                    u8::from((y / 14) * 2 + x / 14 == label % 4) * 255
                })
                .collect()
        };
        let labels = |n: usize| (0..n).map(|i| (i % 10) as u8).collect::<Vec<u8>>();
        let pixels = |n: usize| (0..n).flat_map(|i| image(i % 10)).collect::<Vec<u8>>();
        idx::write_mnist(
            &data,
            28,
            28,
            (&pixels(40), &labels(40)),
            (&pixels(10), &labels(10)),
        )
        .unwrap();
        let sets = [
            "model.kind=cnn".to_string(),
            format!("data.dir={}", data.display()),
            "model.channels=4".into(),
        ];
        let r = quick_run("rot-mnist-digits", &sets, dir.path().join("run"));
        assert_eq!((r.epochs, r.device.as_str(), r.quick), (1, "cpu", true));
        assert!((0.0..=1.0).contains(&r.test_metric));
        let saved = gm_experiments::run::read_result(&dir.path().join("run")).unwrap();
        assert_eq!(saved, r);
        let cfg = std::fs::read_to_string(dir.path().join("run/config.toml")).unwrap();
        assert!(cfg.contains("kind = \"cnn\""), "{cfg}");
        let md = crate::cli::report::table(&[(dir.path().join("run"), saved)]);
        assert!(
            md.contains("| rot-mnist-digits (quick) | cnn 2x4 ch |"),
            "{md}"
        );
        assert!(md.lines().count() == 3);

        // A pooled GM model on the same digits is exactly invariant under the subgroup it
        // pools onto (not under D14xD14: `ImageGroup::pooled`).
        let sets = [
            format!("data.dir={}", data.display()),
            "model.channels=4".into(),
            "model.t=1".into(),
            "model.pool_after=[0]".into(),
        ];
        let r = quick_run("rot-mnist-digits", &sets, dir.path().join("pooled"));
        let inv = r.invariance.unwrap();
        assert_eq!(inv.group, "D14xD14 ⊇ H(stride 2)");
        assert!(inv.error < 1e-5, "{inv:?}");
    }

    /// Writes `n` 28×28 `.amat` lines (784 floats, then the label): a bright bar whose
    /// orientation (0: horizontal, 1: vertical) is the label, at a varying place.
    fn amat_lines(n: usize) -> String {
        (0..n)
            .map(|i| {
                let label = i % 2;
                let (r, c) = (4 + (i * 5) % 16, 4 + (i * 3) % 16);
                let mut line: Vec<String> = (0..784)
                    .map(|p| {
                        let (y, x) = (p / 28, p % 28);
                        let on = if label == 0 {
                            y == r && (c..c + 8).contains(&x)
                        } else {
                            x == c && (r..r + 8).contains(&y)
                        };
                        if on { "1.0" } else { "0.0" }.to_string()
                    })
                    .collect();
                line.push(format!("{label}.0"));
                line.join(" ") + "\n"
            })
            .collect()
    }

    #[test]
    fn quick_runs_of_rot_mnist_p4_and_p4m_lift_train_and_measure_invariance() {
        tch::set_num_threads(1);
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("rot-mnist");
        std::fs::create_dir_all(&data).unwrap();
        let (train, test) =
            gm_experiments::data::amat::files(gm_experiments::config::Dataset::RotMnist);
        std::fs::write(data.join(train), amat_lines(24)).unwrap();
        std::fs::write(data.join(test), amat_lines(8)).unwrap();
        for (symmetry, order) in [("p4", 4 * 64), ("p4m", 8 * 64)] {
            let sets = [
                format!("data.dir={}", data.display()),
                format!("model.symmetry={symmetry}"),
                "data.image_size=8".into(),
                "model.channels=4".into(),
                "train.batch_size=8".into(),
            ];
            let out = dir.path().join(symmetry);
            let r = quick_run("rot-mnist-p4", &sets, out.clone());
            // An exact GM model on a wallpaper group is that group's G-CNN.
            assert_eq!(
                r.model,
                format!("g-cnn {symmetry} t=1 k={} 2x4 ch", order / 64 * 9)
            );
            // Its group holds the quarter turns: predictions survive turning the images.
            let turned = r.rotation.clone().unwrap();
            assert_eq!((turned.agreement, turned.samples), (1.0, 8));
            // 2 blocks of 4 channels, K = |P|·9, one kernel per output channel, biases,
            // the 1→4 residual, PReLU, head 4→10.
            let k = order / 64 * 9;
            assert_eq!(
                r.parameters,
                4 * k + 4 + 4 * k + 4 + (4 + 4) + 1 + 4 * 10 + 10
            );
            let inv = r.invariance.clone().unwrap();
            assert_eq!(inv.group, format!("{symmetry}(8)"));
            assert_eq!(inv.samples, 8);
            assert!(
                inv.error < 1e-5,
                "an exact GM classifier is invariant: {inv:?}"
            );
            assert_eq!(gm_experiments::run::read_result(&out).unwrap(), r);
        }
    }
}
