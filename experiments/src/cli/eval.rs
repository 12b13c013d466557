//! `gm eval RUN [--data DIR] [--checkpoint best|last|FILE]`: tests a trained run again
//! ([`gm_experiments::run::eval`]) and prints the test metric (and the accuracy per class or
//! the rollout RMSEs); the run's `eval.json` holds the same.
use anyhow::Result;
use gm_experiments::run::eval::{eval, EvalOptions, EVAL};
use std::path::Path;
use tch::Device;

/// Evaluates the run in `dir` on `device` and prints the outcome.
pub fn run(dir: &Path, opts: &EvalOptions, device: Device) -> Result<()> {
    let r = eval(dir, opts, device)?;
    println!(
        "{}: test {} {:.4} (loss {:.4}) on {} samples of {}, weights {}",
        r.experiment,
        r.metric,
        r.test_metric,
        r.test_loss,
        r.samples,
        r.data.display(),
        r.checkpoint.display()
    );
    for c in r.per_class.iter().flatten() {
        println!(
            "  class {:>3}: accuracy {:.4} ({} samples)",
            c.class, c.accuracy, c.samples
        );
    }
    if let Some(g) = &r.rollout {
        println!(
            "  {}-step rollout RMSE: future test {:.4} ({} windows), domain test {:.4} ({} windows)",
            g.test_rollout, g.rmse_future, g.windows.0, g.rmse_domain, g.windows.1
        );
    }
    println!("-> {} ({:.2} s)", dir.join(EVAL).display(), r.seconds);
    Ok(())
}
