//! `gm suite` end to end through the binary, on tiny generated IDX digits: a suite of two CNN
//! widths × two seeds (plus a family whose data is missing) runs with `--quick`, goes on
//! past the failing runs and reports them, writes the report with mean ± std and the
//! figure; run again it retrains nothing (results and files untouched), resumes a run whose
//! result was lost, and `--dry-run` shows skips and conflicts without training. A misspelt
//! key fails in the plan, before anything trains.
use gm_experiments::data::idx;
use gm_experiments::run::read_result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

fn gm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gm"))
        .args(["--device", "cpu"])
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .env("OMP_NUM_THREADS", "1")
        .output()
        .expect("the gm binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn text(o: &Output) -> String {
    format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr))
}

/// 40 train and 10 test 28×28 "digits": the label decides which quarter holds a bright block.
fn write_digits(dir: &Path) {
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
        dir,
        28,
        28,
        (&pixels(40), &labels(40)),
        (&pixels(10), &labels(10)),
    )
    .unwrap();
}

/// Every file under `dir` with its length and modification time.
fn files(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let m = std::fs::metadata(&path).unwrap();
                out.insert(path, (m.len(), m.modified().unwrap()));
            }
        }
    }
    out
}

const GOOD: [&str; 4] = [
    "CNN/rot-mnist-digits__model.channels=2/seed-1",
    "CNN/rot-mnist-digits__model.channels=4/seed-1",
    "CNN/rot-mnist-digits__model.channels=2/seed-2",
    "CNN/rot-mnist-digits__model.channels=4/seed-2",
];

#[test]
fn a_suite_runs_skips_resumes_and_reports_mean_and_std() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("digits");
    write_digits(&data);
    let suite = tmp.path().join("tiny.toml");
    std::fs::write(
        &suite,
        format!(
            r#"
name = "tiny"
description = "two widths of a tiny CNN, two seeds"
seeds = [1, 2]
set = ["data.dir={}", "model.kind=cnn", "train.batch_size=8", "train.precision=fp32"]

[[run]]
family = "CNN"
experiment = "rot-mnist-digits"
[run.sweep]
"model.channels" = [2, 4]

[[run]]
family = "broken"
experiment = "rot-mnist-digits"
set = ["data.dir={}", "model.channels=2"]
"#,
            data.display(),
            tmp.path().join("no-such-data").display()
        ),
    )
    .unwrap();
    let suite = suite.to_str().unwrap();
    let out = tmp.path().join("out");
    let out_s = out.to_str().unwrap();
    let root = out.join("tiny");

    // The plan: 2 seeds × (2 widths + 1), seed-major, each with its overrides.
    let o = gm(&["suite", "show", suite, "--out", out_s]);
    assert!(o.status.success(), "{}", text(&o));
    let shown = stdout(&o);
    assert!(shown.contains("6 runs under"), "{shown}");
    assert!(
        shown.contains("CNN/rot-mnist-digits__model.channels=4/seed-2"),
        "{shown}"
    );
    assert!(shown.contains("model.channels=4 seed=2"), "{shown}");

    // First run: the four CNN runs train, the two broken ones fail without stopping the rest.
    let o = gm(&["suite", "run", suite, "--out", out_s, "--quick"]);
    let all = text(&o);
    assert!(
        !o.status.success(),
        "failures must make the exit status non-zero\n{all}"
    );
    assert!(
        all.contains("4 started, 0 resumed, 0 skipped (finished before), 2 failed"),
        "{all}"
    );
    assert!(all.contains("2 of 6 runs failed"), "{all}");
    assert!(all.contains("broken | rot-mnist-digits | seed 1"), "{all}");
    assert!(all.contains("[6/6 "), "{all}");
    let report = std::fs::read_to_string(root.join("report.md")).unwrap();
    assert!(stdout(&o).contains(&report), "the report is printed");
    assert!(
        report.contains("4 of 6 planned runs finished; 2 missing:"),
        "{report}"
    );
    assert!(
        report.contains("- `broken/rot-mnist-digits/seed-1`: not run"),
        "{report}"
    );
    let results: Vec<_> = GOOD
        .iter()
        .map(|d| read_result(&root.join(d)).unwrap())
        .collect();
    for (channels, (a, b)) in [
        (2, (&results[0], &results[2])),
        (4, (&results[1], &results[3])),
    ] {
        // mean ± sample std of the two seeds, as the table prints them.
        let (x, y) = (a.test_metric, b.test_metric);
        let mean = (x + y) / 2.0;
        let std = (x - y).abs() / 2f64.sqrt();
        let row = format!(
            "| CNN | rot-mnist-digits model.channels={channels} (quick) | {} | {} | 2 | accuracy | \
             {mean:.4} ± {std:.4} |",
            a.model, a.parameters
        );
        assert!(report.contains(&row), "{row}\n{report}");
    }
    assert!(report.contains("(report-scaling-accuracy.png)"), "{report}");
    let png = std::fs::read(root.join("report-scaling-accuracy.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    let record = std::fs::read_to_string(root.join(GOOD[3]).join("suite-run.json")).unwrap();
    assert!(
        record.contains("\"seed\": 2") && record.contains("\"family\": \"CNN\""),
        "{record}"
    );

    // Second run: nothing retrains; every file of the finished runs is untouched.
    let before: Vec<_> = GOOD.iter().map(|d| files(&root.join(d))).collect();
    let o = gm(&["suite", "run", suite, "--out", out_s, "--quick"]);
    let all = text(&o);
    assert!(!o.status.success(), "{all}");
    assert!(
        all.contains("0 started, 0 resumed, 4 skipped (finished before), 2 failed"),
        "{all}"
    );
    assert_eq!(all.matches("skip (finished: accuracy").count(), 4, "{all}");
    for (d, was) in GOOD.iter().zip(&before) {
        assert_eq!(&files(&root.join(d)), was, "{d} changed");
    }
    for (d, r) in GOOD.iter().zip(&results) {
        assert_eq!(&read_result(&root.join(d)).unwrap(), r);
    }

    // A run whose result was lost holds a saved state: it is resumed, not retrained, and
    // ends with the same test accuracy.
    std::fs::remove_file(root.join(GOOD[2]).join("result.json")).unwrap();
    let o = gm(&[
        "suite", "run", suite, "--out", out_s, "--quick", "--only", "cnn",
    ]);
    let all = text(&o);
    assert!(o.status.success(), "{all}");
    assert!(all.contains("0 started, 1 resumed, 3 skipped"), "{all}");
    assert!(all.contains("resume after epoch 1"), "{all}");
    let again = read_result(&root.join(GOOD[2])).unwrap();
    assert_eq!(again.test_metric, results[2].test_metric);
    assert_eq!(again.epochs, results[2].epochs);

    // --dry-run trains nothing; the same suite without --quick conflicts with the quick runs.
    let before = files(&root);
    let o = gm(&[
        "suite",
        "run",
        suite,
        "--out",
        out_s,
        "--dry-run",
        "--seeds",
        "1",
    ]);
    let all = text(&o);
    assert!(o.status.success(), "{all}");
    assert_eq!(all.matches("conflict:").count(), 2, "{all}");
    assert!(all.contains("train.epochs: 1 here, 8 planned"), "{all}");
    assert!(all.contains("3 runs (dry run: nothing trained)"), "{all}");
    assert_eq!(files(&root), before);

    // `gm suite report` reads the same runs; `gm report` on run directories aggregates too.
    let o = gm(&["suite", "report", suite, "--out", out_s]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        stdout(&o).contains("4 of 6 planned runs finished"),
        "{}",
        text(&o)
    );
    let dirs: Vec<String> = GOOD
        .iter()
        .map(|d| root.join(d).display().to_string())
        .collect();
    let table = tmp.path().join("all.md");
    let mut args = vec!["report", "--out", table.to_str().unwrap()];
    args.extend(dirs.iter().map(String::as_str));
    let o = gm(&args);
    assert!(o.status.success(), "{}", text(&o));
    let md = std::fs::read_to_string(&table).unwrap();
    assert!(
        md.contains("| CNN | rot-mnist-digits model.channels=2 (quick) |"),
        "{md}"
    );
}

#[test]
fn a_misspelt_key_fails_before_anything_trains() {
    let tmp = tempfile::tempdir().unwrap();
    let suite = tmp.path().join("typo.toml");
    std::fs::write(
        &suite,
        "name = \"typo\"\nseeds = [1, 2]\n[[run]]\nfamily = \"CNN\"\n\
         experiment = \"rot-mnist-digits-cnn\"\n[run.sweep]\n\"model.chanels\" = [4, 8]\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = gm(&[
        "suite",
        "run",
        suite.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let all = text(&o);
    assert!(
        all.contains("model.chanels") && all.contains("does not load"),
        "{all}"
    );
    assert!(!out.exists(), "nothing was written");
    let o = gm(&["suite", "list"]);
    assert!(stdout(&o).contains("demo-seeds"), "{}", text(&o));
    let o = gm(&["suite", "show", "demo-seeds"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        stdout(&o).contains("12 runs under runs/suites/demo-seeds"),
        "{}",
        text(&o)
    );
}
