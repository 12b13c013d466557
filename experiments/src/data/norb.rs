//! NORB and smallNORB in their binary matrix format (little-endian): an `i32` magic number
//! (`0x1E3D4C55` for a `u8` matrix, `0x1E3D4C54` for an `i32` matrix), `i32` ndim, then
//! `max(3, ndim)` `i32` dimensions (unused ones are 1), then the elements.
//!
//! `-dat.mat` files hold stereo pairs `N×2×S×S` (`u8`), `-cat.mat` files the categories `N`
//! (`i32`). The loader keeps the left camera (one channel), scaled to `[0, 1]`, and resizes
//! each file as it is read (area averaging) so NORB's 108×108 images never fill memory.
use super::budget::{array_bytes, expect_len};
use super::error::{read, require};
use super::resize::resize_plane;
use super::{DataError, ImageSet, ImageSplits, Result};
use std::path::Path;

/// Magic number of a `u8` matrix.
pub const U8_MAGIC: u32 = 0x1E3D_4C55;
/// Magic number of an `i32` matrix.
pub const I32_MAGIC: u32 = 0x1E3D_4C54;

const SMALL_ORIGIN: &str =
    "smallNORB, https://cs.nyu.edu/~ylclab/data/norb-v1.0-small/ (gunzip the four files)";
const NORB_ORIGIN: &str =
    "NORB jittered-cluttered, https://cs.nyu.edu/~ylclab/data/norb-v1.0/ (gunzip the 24 files)";

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// Parses a matrix header: `(dims, offset of the first element)`, having checked that the
/// file holds exactly the elements the dimensions claim.
///
/// # Errors
/// [`DataError::Corrupt`] on a wrong magic number, a bad ndim, or a length that does not
/// match; [`DataError::TooLarge`] for dimensions above the memory budget.
pub fn parse_header(path: &Path, bytes: &[u8], magic: u32) -> Result<(Vec<usize>, usize)> {
    let end = |k: usize| {
        DataError::corrupt(
            path,
            bytes.len(),
            format!("header word {k}"),
            "the end of the file",
        )
    };
    match le_u32(bytes, 0) {
        Some(m) if m == magic => {}
        found => {
            return Err(DataError::corrupt(
                path,
                0,
                format!("a NORB matrix file with magic 0x{magic:08X}"),
                found.map_or("the end of the file".into(), |m| format!("magic 0x{m:08X}")),
            ))
        }
    }
    let ndim = le_u32(bytes, 4).ok_or_else(|| end(1))? as usize;
    if !(1..=8).contains(&ndim) {
        return Err(DataError::corrupt(
            path,
            4,
            "ndim in 1..=8",
            format!("ndim {ndim}"),
        ));
    }
    let offset = 8 + 4 * ndim.max(3);
    let dims = (0..ndim)
        .map(|k| {
            le_u32(bytes, 8 + 4 * k)
                .map(|d| d as usize)
                .ok_or_else(|| end(2 + k))
        })
        .collect::<Result<Vec<usize>>>()?;
    if bytes.len() < offset {
        return Err(end(offset / 4 - 1));
    }
    let elem = if magic == I32_MAGIC { 4 } else { 1 };
    let payload = array_bytes(path, "dimensions", &dims, elem)?;
    expect_len(
        path,
        bytes.len(),
        offset,
        payload,
        &format!("{elem}-byte elements of {dims:?}"),
    )?;
    Ok((dims, offset))
}

/// Encodes a matrix (for tests and tools): `magic`, `dims`, then `data` as stored.
pub fn encode(magic: u32, dims: &[usize], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&magic.to_le_bytes());
    out.extend_from_slice(&(dims.len() as u32).to_le_bytes());
    for k in 0..dims.len().max(3) {
        out.extend_from_slice(&(*dims.get(k).unwrap_or(&1) as u32).to_le_bytes());
    }
    out.extend_from_slice(data);
    out
}

/// Reads one `-dat.mat`/`-cat.mat` pair, appending the left-camera images (resized to
/// `side`) and the labels to `set`.
///
/// # Errors
/// [`DataError::Corrupt`] on malformed files, counts that differ, or a label outside
/// `0..classes`; [`DataError::TooLarge`].
pub fn read_pair(
    dat: &Path,
    cat: &Path,
    side: usize,
    classes: usize,
    set: &mut ImageSet,
) -> Result<()> {
    parse_pair((dat, &read(dat)?), (cat, &read(cat)?), side, classes, set)
}

/// [`read_pair`] on the files' bytes: `(path, bytes)` of the `-dat.mat` and the `-cat.mat`.
///
/// # Errors
/// As [`read_pair`].
pub fn parse_pair(
    (dat, dbytes): (&Path, &[u8]),
    (cat, cbytes): (&Path, &[u8]),
    side: usize,
    classes: usize,
    set: &mut ImageSet,
) -> Result<()> {
    let (dims, off) = parse_header(dat, dbytes, U8_MAGIC)?;
    if dims.len() != 4 || dims[1] != 2 || dims[2] != dims[3] || dims[2] == 0 {
        return Err(DataError::corrupt(
            dat,
            8,
            "stereo pairs N×2×S×S with S > 0",
            format!("dimensions {dims:?}"),
        ));
    }
    let (cdims, coff) = parse_header(cat, cbytes, I32_MAGIC)?;
    let labels: Vec<i32> = cbytes[coff..]
        .chunks_exact(4)
        .map(|w| i32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect();
    if labels.len() != dims[0] {
        return Err(DataError::corrupt(
            cat,
            8,
            format!("one category per image of {} ({})", dat.display(), dims[0]),
            format!("dimensions {cdims:?}"),
        ));
    }
    let s = dims[2];
    for (i, &label) in labels.iter().enumerate() {
        if label < 0 || label as usize >= classes {
            return Err(DataError::corrupt(
                cat,
                coff + 4 * i,
                format!("a category in 0..{classes}"),
                format!("category {label} of sample {i}"),
            ));
        }
        let start = off + i * 2 * s * s;
        let left: Vec<f32> = dbytes[start..start + s * s]
            .iter()
            .map(|&b| f32::from(b) / 255.0)
            .collect();
        set.images.extend(resize_plane(&left, s, s, side, side));
        set.labels.push(i64::from(label));
    }
    Ok(())
}

/// What distinguishes NORB from smallNORB.
struct Spec {
    name: &'static str,
    stems: (Vec<String>, Vec<String>),
    origin: &'static str,
    native: usize,
    classes: usize,
}

fn load_files(spec: Spec, dir: &Path, image_size: Option<usize>) -> Result<ImageSplits> {
    let (train, test, classes) = (&spec.stems.0, &spec.stems.1, spec.classes);
    let all: Vec<String> = train
        .iter()
        .chain(test)
        .flat_map(|stem| [format!("{stem}-dat.mat"), format!("{stem}-cat.mat")])
        .collect();
    require(spec.name, dir, &all, spec.origin)?;
    let side = image_size.unwrap_or(spec.native);
    let read_all = |stems: &[String]| -> Result<ImageSet> {
        let mut set = ImageSet {
            images: Vec::new(),
            labels: Vec::new(),
            channels: 1,
            height: side,
            width: side,
        };
        for stem in stems {
            let dat = dir.join(format!("{stem}-dat.mat"));
            let cat = dir.join(format!("{stem}-cat.mat"));
            read_pair(&dat, &cat, side, classes, &mut set)?;
        }
        Ok(set)
    };
    Ok(ImageSplits {
        train: read_all(train)?,
        test: read_all(test)?,
    })
}

/// The file stems (without `-dat.mat`/`-cat.mat`) of smallNORB: `(training, testing)`.
pub fn smallnorb_stems() -> (Vec<String>, Vec<String>) {
    (
        vec!["smallnorb-5x46789x9x18x6x2x96x96-training".into()],
        vec!["smallnorb-5x01235x9x18x6x2x96x96-testing".into()],
    )
}

/// The file stems of NORB jittered-cluttered: ten training parts, two testing parts.
pub fn norb_stems() -> (Vec<String>, Vec<String>) {
    (
        (1..=10)
            .map(|k| format!("norb-5x46789x9x18x6x2x108x108-training-{k:02}"))
            .collect(),
        (1..=2)
            .map(|k| format!("norb-5x01235x9x18x6x2x108x108-testing-{k:02}"))
            .collect(),
    )
}

/// Loads smallNORB (5 categories, 96×96, left camera), resized to `image_size` if given.
///
/// # Errors
/// [`DataError::Missing`] naming the absent files, [`DataError::Format`].
pub fn load_smallnorb(dir: &Path, image_size: Option<usize>) -> Result<ImageSplits> {
    let spec = Spec {
        name: "smallnorb",
        stems: smallnorb_stems(),
        origin: SMALL_ORIGIN,
        native: 96,
        classes: 5,
    };
    load_files(spec, dir, image_size)
}

/// Loads NORB jittered-cluttered (6 categories including "none", 108×108, left camera),
/// resized to `image_size` if given.
///
/// # Errors
/// [`DataError::Missing`] naming the absent files, [`DataError::Format`].
pub fn load_norb(dir: &Path, image_size: Option<usize>) -> Result<ImageSplits> {
    let spec = Spec {
        name: "norb",
        stems: norb_stems(),
        origin: NORB_ORIGIN,
        native: 108,
        classes: 6,
    };
    load_files(spec, dir, image_size)
}
