//! Replays the inputs that once crashed a parser (found by `scripts/fuzz.sh` or crafted by
//! hand), kept in `tests/fixtures/fuzz-regressions/<target>/`, through the same entry point
//! the fuzz targets call: each must now be refused with an error, not a panic.
use gm_experiments::parsers::{feed, Format};
use std::path::Path;

#[test]
fn every_saved_crash_input_is_now_refused_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions");
    let mut replayed = 0;
    for format in Format::ALL {
        let dir = root.join(format.name());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| feed(format, &bytes));
            match outcome {
                Ok(Err(_)) => replayed += 1,
                Ok(Ok(())) => panic!("{}: accepted, but it is malformed", file.display()),
                Err(_) => panic!("{}: the {} parser panicked", file.display(), format.name()),
            }
        }
    }
    // The hand-made ones at least (see the folder's README).
    assert!(
        replayed >= 4,
        "only {replayed} regression inputs found under {}",
        root.display()
    );
}

/// Every format has its fuzz target (`fuzz/fuzz_targets/NAME.rs`, feeding that format, built
/// as a `[[bin]]` of `fuzz/Cargo.toml`) and seeds in `fuzz/seeds/NAME/`, each of which parses:
/// a refused seed would start the fuzzer on the error path only.
#[test]
fn every_format_has_a_fuzz_target_and_seeds_that_parse() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
    for format in Format::ALL {
        let name = format.name();
        let target = std::fs::read_to_string(fuzz.join(format!("fuzz_targets/{name}.rs")))
            .unwrap_or_else(|e| panic!("no fuzz target for {name}: {e}"));
        assert!(
            target.contains(&format!("feed(Format::{format:?}, data)")),
            "fuzz_targets/{name}.rs does not feed Format::{format:?}"
        );
        assert!(
            manifest.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "fuzz/Cargo.toml has no [[bin]] {name}"
        );
        let seeds: Vec<_> = std::fs::read_dir(fuzz.join("seeds").join(name))
            .unwrap_or_else(|e| panic!("no seeds for {name}: {e}"))
            .map(|e| e.unwrap().path())
            .collect();
        assert!(!seeds.is_empty(), "no seeds for {name}");
        for seed in seeds {
            let bytes = std::fs::read(&seed).unwrap();
            assert_eq!(feed(format, &bytes), Ok(()), "{}", seed.display());
        }
    }
}
