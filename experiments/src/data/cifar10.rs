//! CIFAR-10, binary version: `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`,
//! each a sequence of 3073-byte records (1 label byte, then 1024 red, 1024 green and 1024
//! blue bytes, rows top to bottom).
use super::error::{read, require};
use super::{DataError, ImageSet, ImageSplits, Result};
use std::path::Path;

const RECORD: usize = 1 + 3 * 32 * 32;
const ORIGIN: &str =
    "the CIFAR-10 binary version, https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz \
                      (extract the files of cifar-10-batches-bin/ into this directory)";

/// The files the loader reads.
pub fn expected_files() -> Vec<String> {
    (1..=5)
        .map(|i| format!("data_batch_{i}.bin"))
        .chain(["test_batch.bin".to_string()])
        .collect()
}

/// Parses one batch file into `set` (appending). Pixels are scaled to `[0, 1]`.
///
/// # Errors
/// [`DataError::Corrupt`] if the size is not a multiple of 3073 or a label exceeds 9.
pub fn parse_batch(path: &Path, bytes: &[u8], set: &mut ImageSet) -> Result<()> {
    if bytes.is_empty() || !bytes.len().is_multiple_of(RECORD) {
        return Err(DataError::corrupt(
            path,
            bytes.len() - bytes.len() % RECORD,
            "a whole number (at least one) of 3073-byte records",
            format!("{} bytes", bytes.len()),
        ));
    }
    for (k, rec) in bytes.chunks_exact(RECORD).enumerate() {
        if rec[0] > 9 {
            return Err(DataError::corrupt(
                path,
                k * RECORD,
                "a label in 0..10",
                format!("label {}", rec[0]),
            ));
        }
        set.labels.push(i64::from(rec[0]));
        set.images
            .extend(rec[1..].iter().map(|&b| f32::from(b) / 255.0));
    }
    Ok(())
}

/// Loads the 50,000 training and 10,000 test images (3×32×32).
///
/// # Errors
/// [`DataError::Missing`] naming the absent batch files, [`DataError::Corrupt`] or
/// [`DataError::TooLarge`].
pub fn load(dir: &Path) -> Result<ImageSplits> {
    let files = expected_files();
    require("cifar10", dir, &files, ORIGIN)?;
    let empty = || ImageSet {
        images: Vec::new(),
        labels: Vec::new(),
        channels: 3,
        height: 32,
        width: 32,
    };
    let (mut train, mut test) = (empty(), empty());
    for f in &files {
        let path = dir.join(f);
        let set = if f.starts_with("test") {
            &mut test
        } else {
            &mut train
        };
        parse_batch(&path, &read(&path)?, set)?;
    }
    Ok(ImageSplits { train, test })
}
