//! The NumPy `.npy` format (versions 1–3) for little-endian `float32` C-order arrays: the
//! magic `\x93NUMPY`, a version, the header length, a Python-dict header
//! (`descr`, `fortran_order`, `shape`), then the raw values. `numpy.save` writes it.
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

/// Parses `.npy` bytes holding a little-endian float32 C-order array.
///
/// # Errors
/// [`DataError::Format`] for another dtype, Fortran order, or a length mismatch.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<NpyF32> {
    let bad = |m: &str| DataError::format(path, m.to_string());
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(bad("not a .npy file (magic \\x93NUMPY missing)"));
    }
    let (hlen, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        _ => return Err(bad("unsupported .npy version")),
    };
    let header = bytes
        .get(start..start + hlen)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad("truncated or non-text header"))?;
    let descr = header_value(header, "descr").ok_or_else(|| bad("header lacks 'descr'"))?;
    if !matches!(descr.trim_matches(['\'', '"']), "<f4" | "float32") {
        return Err(DataError::format(
            path,
            format!("dtype {descr}; expected little-endian float32 ('<f4')"),
        ));
    }
    if header_value(header, "fortran_order") != Some("False") {
        return Err(bad(
            "Fortran-order arrays are not supported; save C-order arrays",
        ));
    }
    let shape: Vec<usize> = header_value(header, "shape")
        .ok_or_else(|| bad("header lacks 'shape'"))?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| bad("shape is not a tuple of integers"))
        })
        .collect::<Result<_>>()?;
    let body = &bytes[start + hlen..];
    let n: usize = shape.iter().product();
    if body.len() != 4 * n {
        return Err(DataError::format(
            path,
            format!(
                "shape {shape:?} needs {} bytes of data, found {}",
                4 * n,
                body.len()
            ),
        ));
    }
    let data = body
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
