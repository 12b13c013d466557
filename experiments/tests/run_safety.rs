//! `gm run` never loses work, checked on the real binary: a second run into a busy directory
//! is refused (and a SIGKILLed run leaves no stale lock), `--resume` without a run is an error,
//! a failing checkpoint write (a full disk via /dev/full, a file-size limit) ends with a typed
//! error and leaves the last good checkpoint loadable, a tampered `state.json` or
//! `metrics.jsonl` is refused, and runs SIGKILLed at random points of an epoch resume to
//! metrics and weights bit-identical to an uninterrupted run; the host allocator's policy
//! changes no result.
mod common;

use common::write_data;
use gm_experiments::train::{checkpoint, metrics_log, run_lock};
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tch::Tensor;

/// The arguments of a small CNN run of `epochs` epochs into `out`.
fn run_args(data: &Path, out: &Path, epochs: usize, resume: bool) -> Vec<String> {
    let mut args: Vec<String> = ["--device", "cpu", "run", "rot-mnist-digits", "--out"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(out.display().to_string());
    for set in [
        format!("data.dir={}", data.display()),
        "model.kind=cnn".into(),
        "model.channels=16".into(),
        "train.batch_size=16".into(),
        "train.precision=fp32".into(),
        "train.early_stopping_patience=100".into(),
        format!("train.epochs={epochs}"),
    ] {
        args.extend(["--set".to_string(), set]);
    }
    if resume {
        args.push("--resume".into());
    }
    args
}

fn gm_command(args: &[String]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gm"));
    c.args(args)
        .env("RUST_BACKTRACE", "0")
        .env("OMP_NUM_THREADS", "1");
    c
}

fn gm(args: &[String]) -> Output {
    gm_command(args).output().expect("the gm binary runs")
}

/// `gm` under a shell line run first (e.g. `ulimit -f 8`).
fn gm_under(shell: &str, args: &[String]) -> Output {
    let mut line = format!("{shell}; exec '{}'", env!("CARGO_BIN_EXE_gm"));
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    Command::new("sh")
        .args(["-c", &line])
        .env("RUST_BACKTRACE", "0")
        .env("OMP_NUM_THREADS", "1")
        .output()
        .expect("sh runs")
}

fn spawn(args: &[String]) -> Child {
    gm_command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the gm binary starts")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The epochs saved in `run` (0 when there is no state yet).
fn saved_epoch(run: &Path) -> usize {
    checkpoint::load_state(run)
        .ok()
        .flatten()
        .map_or(0, |s| s.epoch)
}

/// The metrics of a run without its wall-clock fields.
fn metrics(run: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(run.join(metrics_log::FILE))
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("seconds");
            o.remove("samples_per_s");
            v
        })
        .collect()
}

fn tensors(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut named: Vec<(String, Vec<u8>)> = Tensor::read_safetensors(path)
        .unwrap()
        .into_iter()
        .map(|(n, t)| {
            let t = t.flatten(0, -1);
            let mut bytes = vec![0u8; t.numel() * t.kind().elt_size_in_bytes()];
            t.copy_data_u8(&mut bytes, t.numel());
            (n, bytes)
        })
        .collect();
    named.sort();
    named
}

fn result_metric(run: &Path) -> (f64, f64) {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("result.json")).unwrap()).unwrap();
    (
        json["test_metric"].as_f64().unwrap(),
        json["test_loss"].as_f64().unwrap(),
    )
}

/// Asserts `run` finished exactly like `reference`: metrics, last checkpoint, best weights
/// and test result.
fn assert_same_run(run: &Path, reference: &Path, epochs: usize) {
    assert_eq!(metrics(run), metrics(reference));
    let last = format!("epoch-{epochs:04}.safetensors");
    assert_eq!(tensors(&run.join(&last)), tensors(&reference.join(&last)));
    assert_eq!(
        tensors(&run.join(checkpoint::BEST)),
        tensors(&reference.join(checkpoint::BEST))
    );
    assert_eq!(result_metric(run), result_metric(reference));
}

fn leftover_temporaries(run: &Path) -> Vec<String> {
    std::fs::read_dir(run)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect()
}

#[test]
fn a_busy_directory_is_refused_and_a_killed_run_leaves_no_stale_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("digits");
    write_data(&data);
    let out = tmp.path().join("run");
    let mut first = spawn(&run_args(&data, &out, 1000, false));
    // The lock file records the holder's pid once the lock is taken.
    let lock = out.join(run_lock::LOCK_FILE);
    let started = Instant::now();
    while std::fs::read_to_string(&lock).map_or(true, |s| s.is_empty()) {
        assert!(started.elapsed() < Duration::from_secs(60), "no lock taken");
        std::thread::sleep(Duration::from_millis(20));
    }
    for resume in [false, true] {
        let o = gm(&run_args(&data, &out, 2, resume));
        let log = text(&o);
        assert!(!o.status.success(), "{log}");
        assert!(log.contains("in use by another `gm run`"), "{log}");
        assert!(log.contains(&format!("process {}", first.id())), "{log}");
    }
    first.kill().unwrap(); // SIGKILL: no destructor runs.
    first.wait().unwrap();
    let resume = saved_epoch(&out) > 0;
    let o = gm(&run_args(&data, &out, 1, resume));
    assert!(
        o.status.success(),
        "the kernel released the lock: {}",
        text(&o)
    );
}

/// The host allocator's policy (`GM_HOST_MALLOC`: unset, `keep`, `system`) changes where freed
/// memory goes, never what is computed: the three runs end bit-identical. An unknown value is
/// refused before anything runs, naming the accepted ones.
#[test]
fn host_malloc_policies_change_no_result_and_an_unknown_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("digits");
    write_data(&data);
    let run = |name: &str, policy: Option<&str>| {
        let out = tmp.path().join(name);
        let mut c = gm_command(&run_args(&data, &out, 2, false));
        match policy {
            Some(p) => c.env("GM_HOST_MALLOC", p),
            None => c.env_remove("GM_HOST_MALLOC"),
        };
        (c.output().expect("the gm binary runs"), out)
    };
    let (o, reference) = run("default", None);
    assert!(o.status.success(), "{}", text(&o));
    for policy in ["keep", "system"] {
        let (o, out) = run(policy, Some(policy));
        assert!(o.status.success(), "{policy}: {}", text(&o));
        assert_same_run(&out, &reference, 2);
    }
    let (o, out) = run("unknown", Some("Keep"));
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(
        log.contains("GM_HOST_MALLOC=\"Keep\"") && log.contains("`system`"),
        "{log}"
    );
    assert!(!out.exists(), "nothing may run under an unknown setting");
}

#[test]
fn resume_without_a_run_fails_and_a_new_run_does_not_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("digits");
    write_data(&data);
    let out = tmp.path().join("empty");
    std::fs::create_dir_all(&out).unwrap();
    let o = gm(&run_args(&data, &out, 1, true));
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(log.contains("holds no run to resume"), "{log}");
    assert!(!out.join(checkpoint::STATE).exists());

    let o = gm(&run_args(&data, &out, 1, false));
    assert!(o.status.success(), "{}", text(&o));
    let o = gm(&run_args(&data, &out, 1, false));
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(log.contains("already holds a run"), "{log}");
}

#[test]
fn a_failing_checkpoint_write_ends_with_a_typed_error_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("digits");
    write_data(&data);
    let reference = tmp.path().join("reference");
    assert!(gm(&run_args(&data, &reference, 4, false)).status.success());

    let run = tmp.path().join("run");
    assert!(gm(&run_args(&data, &run, 2, false)).status.success());
    let good = run.join("epoch-0002.safetensors");
    let good_bytes = std::fs::read(&good).unwrap();
    // A full disk: the temporary the epoch-3 checkpoint goes through is /dev/full.
    let tmp3 = run.join("epoch-0003.tmp.safetensors");
    std::os::unix::fs::symlink("/dev/full", &tmp3).unwrap();
    let o = gm(&run_args(&data, &run, 4, true));
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(
        log.contains("saving the checkpoint of epoch 3 failed"),
        "{log}"
    );
    assert!(log.contains("No space left on device"), "{log}");
    assert!(log.contains("continue with --resume"), "{log}");
    // A file-size limit (SIGXFSZ ignored so the write fails with EFBIG): 8 blocks hold the
    // config, state and metrics but not a checkpoint.
    let o = gm_under("trap '' XFSZ; ulimit -f 8", &run_args(&data, &run, 4, true));
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(
        log.contains("saving the checkpoint of epoch 3 failed"),
        "{log}"
    );
    // The last good checkpoint is intact and loadable, the state still points at it.
    assert_eq!(saved_epoch(&run), 2);
    assert_eq!(std::fs::read(&good).unwrap(), good_bytes);
    assert!(!tensors(&good).is_empty());
    assert_eq!(leftover_temporaries(&run), Vec::<String>::new());
    // Space again: the run continues and ends exactly like the uninterrupted one.
    let o = gm(&run_args(&data, &run, 4, true));
    assert!(o.status.success(), "{}", text(&o));
    assert_same_run(&run, &reference, 4);
}

#[test]
fn a_tampered_state_or_metrics_log_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("digits");
    write_data(&data);
    let run = tmp.path().join("run");
    assert!(gm(&run_args(&data, &run, 2, false)).status.success());
    let victim = tmp.path().join("victim.safetensors");
    std::fs::write(&victim, b"not the run's").unwrap();
    let state_path = run.join(checkpoint::STATE);
    let state = std::fs::read_to_string(&state_path).unwrap();
    std::fs::write(
        &state_path,
        state.replace("epoch-0002.safetensors", "../victim.safetensors"),
    )
    .unwrap();
    let o = gm(&run_args(&data, &run, 3, true));
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(log.contains("../victim.safetensors"), "{log}");
    assert!(
        victim.exists(),
        "a name from state.json must not leave the run directory"
    );
    std::fs::write(&state_path, state).unwrap();

    // A bad line before the last is an error; a truncated last line is dropped.
    let log_path = run.join(metrics_log::FILE);
    let lines = std::fs::read_to_string(&log_path).unwrap();
    std::fs::write(&log_path, format!("garbage\n{lines}")).unwrap();
    let o = gm(&run_args(&data, &run, 3, true));
    let log = text(&o);
    assert!(!o.status.success(), "{log}");
    assert!(log.contains("line 1: not an epoch's metrics"), "{log}");
    std::fs::write(&log_path, format!("{lines}{{\"epoch\": 3, \"train_lo")).unwrap();
    let o = gm(&run_args(&data, &run, 3, true));
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(metrics(&run).len(), 3);
}

#[test]
fn runs_killed_at_random_points_of_an_epoch_resume_bit_identically() {
    const EPOCHS: usize = 6;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("digits");
    write_data(&data);
    let reference = tmp.path().join("reference");
    let o = gm(&run_args(&data, &reference, EPOCHS, false));
    assert!(o.status.success(), "{}", text(&o));
    let epoch_seconds = std::fs::read_to_string(reference.join(metrics_log::FILE))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["seconds"]
                .as_f64()
                .unwrap()
        })
        .fold(0.0, f64::max);

    let run = tmp.path().join("run");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let mut kills = Vec::new();
    // Each session: wait for its next epoch boundary, then kill at a random point of the
    // following epoch (a fraction of the slowest reference epoch).
    while kills.len() < 4 {
        let before = saved_epoch(&run);
        if before + 1 >= EPOCHS {
            break;
        }
        let mut child = spawn(&run_args(&data, &run, EPOCHS, before > 0));
        let started = Instant::now();
        while saved_epoch(&run) == before {
            assert!(started.elapsed() < Duration::from_secs(120), "no progress");
            assert!(child.try_wait().unwrap().is_none(), "the run ended early");
            std::thread::sleep(Duration::from_millis(5));
        }
        let fraction: f64 = rng.random_range(0.0..1.0);
        std::thread::sleep(Duration::from_secs_f64(fraction * epoch_seconds));
        child.kill().unwrap();
        child.wait().unwrap();
        kills.push((saved_epoch(&run), fraction));
    }
    eprintln!(
        "killed after epochs (saved epoch, fraction of the next epoch): {kills:?}, epoch ≈ \
         {epoch_seconds:.2} s"
    );
    assert!(kills.len() >= 2, "{kills:?}");
    let o = gm(&run_args(&data, &run, EPOCHS, true));
    assert!(o.status.success(), "{}", text(&o));
    assert_same_run(&run, &reference, EPOCHS);
}
