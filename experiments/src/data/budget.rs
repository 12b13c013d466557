//! The loaders' defence against hostile files: sizes claimed by a header are computed with
//! overflow-checked arithmetic, refused above a memory budget, and compared with the bytes the
//! file really holds, all before anything is allocated.
use super::{DataError, Result};
use std::path::Path;

/// The most bytes one dataset file may hold or claim (16 GiB, above every supported dataset's
/// largest file: a NORB part is 680 MB).
pub const MEMORY_BUDGET: u64 = 16 << 30;

/// Refuses `claimed` bytes (`None`: more than `u64` counts) above [`MEMORY_BUDGET`].
///
/// # Errors
/// [`DataError::TooLarge`] naming `path` and `what` claims the memory.
pub fn check(path: &Path, what: &str, claimed: Option<u64>) -> Result<()> {
    match claimed {
        Some(c) if c <= MEMORY_BUDGET => Ok(()),
        _ => Err(DataError::TooLarge {
            path: path.into(),
            what: what.into(),
            claimed,
            budget: MEMORY_BUDGET,
        }),
    }
}

/// The bytes of an array of `dims` elements of `elem` bytes each, checked against
/// [`MEMORY_BUDGET`]; `what` names the header field in the error (e.g. `shape`).
///
/// # Errors
/// [`DataError::TooLarge`] when the product overflows or exceeds the budget.
pub fn array_bytes(path: &Path, what: &str, dims: &[usize], elem: usize) -> Result<usize> {
    let claimed = dims
        .iter()
        .try_fold(elem as u64, |acc, &d| acc.checked_mul(d as u64));
    check(path, &format!("the header's {what} {dims:?}"), claimed)?;
    // `check` refused `None` and anything above the budget, which fits a 64-bit `usize`.
    Ok(claimed.map_or(0, |c| c as usize))
}

/// Checks that a file of `len` bytes is a `header`-byte header followed by exactly `payload`
/// bytes (`what` describes them, e.g. `4 bytes per float32 of shape [2, 3]`).
///
/// # Errors
/// [`DataError::Corrupt`] at the offset where the file ends or where the surplus begins.
pub fn expect_len(
    path: &Path,
    len: usize,
    header: usize,
    payload: usize,
    what: &str,
) -> Result<()> {
    let want = header.checked_add(payload);
    if want == Some(len) {
        return Ok(());
    }
    let offset = want.map_or(len, |w| w.min(len));
    Err(DataError::corrupt(
        path,
        offset,
        format!("{payload} bytes of data after the {header}-byte header ({what})"),
        format!("{} bytes", len.saturating_sub(header)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_that_overflow_or_exceed_the_budget_are_refused() {
        let p = Path::new("f");
        assert_eq!(array_bytes(p, "shape", &[2, 3], 4).unwrap(), 24);
        assert_eq!(array_bytes(p, "shape", &[], 4).unwrap(), 4);
        assert_eq!(array_bytes(p, "shape", &[0, usize::MAX], 4).unwrap(), 0);
        let e = array_bytes(p, "shape", &[1 << 40, 1 << 40], 1).unwrap_err();
        assert!(
            matches!(e, DataError::TooLarge { claimed: None, .. }),
            "{e}"
        );
        assert!(e.to_string().contains("more than 2^64"), "{e}");
        let e = array_bytes(p, "shape", &[1 << 32, 5], 1).unwrap_err();
        assert!(
            matches!(e, DataError::TooLarge { claimed: Some(c), .. } if c == 5 << 32),
            "{e}"
        );
        assert!(array_bytes(p, "shape", &[1 << 30, 16], 1).is_ok());
    }

    #[test]
    fn a_length_mismatch_names_the_offset() {
        let p = Path::new("f");
        assert!(expect_len(p, 14, 10, 4, "x").is_ok());
        let short = expect_len(p, 12, 10, 4, "x").unwrap_err();
        assert!(
            matches!(short, DataError::Corrupt { offset: 12, .. }),
            "{short}"
        );
        let long = expect_len(p, 20, 10, 4, "x").unwrap_err();
        assert!(
            matches!(long, DataError::Corrupt { offset: 14, .. }),
            "{long}"
        );
        assert!(long.to_string().contains("4 bytes of data"), "{long}");
        assert!(long.to_string().contains("found 10 bytes"), "{long}");
    }
}
