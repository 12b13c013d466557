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
