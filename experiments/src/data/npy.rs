//! The NumPy `.npy` format (versions 1–3) for little-endian `float32` C-order arrays: the
//! magic `\x93NUMPY`, a version, the header length, a Python-dict header
//! (`descr`, `fortran_order`, `shape`), then the raw values. `numpy.save` writes it.
use super::budget::{array_bytes, expect_len};
use super::error::{read, write_atomic};
use super::{DataError, Result};
use std::path::Path;

const MAGIC: &[u8] = b"\x93NUMPY";

/// A float32 array: its shape and values in C order.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyF32 {
    /// Dimensions.
    pub shape: Vec<usize>,
    /// `shape.iter().product()` values, last axis fastest.
    pub data: Vec<f32>,
}

fn header_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let at = header.find(&format!("'{key}'"))? + key.len() + 2;
    let rest = header[at..].trim_start().strip_prefix(':')?.trim_start();
    if let Some(tuple) = rest.strip_prefix('(') {
        return tuple.find(')').map(|end| &tuple[..end]);
    }
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// Parses `.npy` bytes holding a little-endian float32 C-order array. The shape is checked
/// against [`super::budget::MEMORY_BUDGET`] and the file length before anything is allocated.
///
/// # Errors
/// [`DataError::Corrupt`] naming the offset of a bad magic, version, header, dtype or a
/// length that does not match the shape; [`DataError::TooLarge`] for a shape above the budget.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<NpyF32> {
    let corrupt = |offset: usize, expected: &str, found: String| {
        DataError::corrupt(path, offset, expected, found)
    };
    if bytes.get(..MAGIC.len()) != Some(MAGIC) {
        return Err(corrupt(
            0,
            "the .npy magic \\x93NUMPY",
            "other bytes".into(),
        ));
    }
    let (hlen, start): (usize, usize) = match (bytes.get(6), bytes.get(8..12)) {
        (Some(1), _) if bytes.len() >= 10 => {
            (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10)
        }
        (Some(2 | 3), Some(&[a, b, c, d])) => (u32::from_le_bytes([a, b, c, d]) as usize, 12),
        (v, _) => {
            return Err(corrupt(
                6,
                "format version 1, 2 or 3 and a complete header length",
                v.map_or("the end of the file".into(), |v| format!("version {v}")),
            ))
        }
    };
    let end = start.saturating_add(hlen);
    let header = bytes
        .get(start..end)
        .ok_or_else(|| {
            corrupt(
                start,
                &format!("a {hlen}-byte header"),
                format!("{} bytes", bytes.len() - start),
            )
        })
        .and_then(|h| {
            std::str::from_utf8(h).map_err(|e| {
                corrupt(
                    start + e.valid_up_to(),
                    "a text header",
                    "a non-UTF-8 byte".into(),
                )
            })
        })?;
    let field = |key: &str| {
        header_value(header, key).ok_or_else(|| {
            corrupt(
                start,
                &format!("a header with the key '{key}'"),
                header.trim().into(),
            )
        })
    };
    let descr = field("descr")?;
    if !matches!(descr.trim_matches(['\'', '"']), "<f4" | "float32") {
        return Err(corrupt(
            start,
            "dtype little-endian float32 ('<f4')",
            format!("dtype {descr}"),
        ));
    }
    let order = field("fortran_order")?;
    if order != "False" {
        return Err(corrupt(
            start,
            "a C-order array (fortran_order False): save C-order arrays",
            format!("fortran_order {order}"),
        ));
    }
    let shape_text = field("shape")?;
    let shape: Vec<usize> = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().map_err(|_| {
                corrupt(
                    start,
                    "a shape of non-negative integers",
                    format!("({shape_text})"),
                )
            })
        })
        .collect::<Result<_>>()?;
    let payload = array_bytes(path, "shape", &shape, 4)?;
    expect_len(
        path,
        bytes.len(),
        end,
        payload,
        &format!("float32 values of shape {shape:?}"),
    )?;
    let data = bytes[end..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok(NpyF32 { shape, data })
}

/// Reads a `.npy` float32 file.
///
/// # Errors
/// [`DataError::Io`] or [`DataError::Format`].
pub fn read_f32(path: &Path) -> Result<NpyF32> {
    parse(path, &read(path)?)
}

/// Encodes a float32 C-order array as `.npy` version 1.0 (what `numpy.save` writes).
///
/// # Panics
/// If `data.len()` differs from the product of `shape`.
pub fn encode(shape: &[usize], data: &[f32]) -> Vec<u8> {
    assert_eq!(
        shape.iter().product::<usize>(),
        data.len(),
        "shape/data mismatch"
    );
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let tuple = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + 4 * data.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in data {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Writes a float32 array as `.npy`, atomically.
///
/// # Errors
/// [`DataError::Io`].
pub fn write_f32(path: &Path, shape: &[usize], data: &[f32]) -> Result<()> {
    write_atomic(path, &encode(shape, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_header_alignment() {
        let data: Vec<f32> = (0..24).map(|k| k as f32 * 0.5).collect();
        let bytes = encode(&[2, 3, 4], &data);
        let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        assert_eq!((10 + hlen) % 64, 0);
        let back = parse(Path::new("x.npy"), &bytes).unwrap();
        assert_eq!(back.shape, vec![2, 3, 4]);
        assert_eq!(back.data, data);
        let one = parse(Path::new("y.npy"), &encode(&[3], &[1.0, 2.0, 3.0])).unwrap();
        assert_eq!(one.shape, vec![3]);
    }

    #[test]
    fn rejects_other_dtypes() {
        let mut bytes = encode(&[1], &[1.0]);
        let pos = bytes.windows(3).position(|w| w == b"<f4").unwrap();
        bytes[pos + 2] = b'8';
        let err = parse(Path::new("z.npy"), &bytes).unwrap_err().to_string();
        assert!(err.contains("float32"), "{err}");
    }
}
