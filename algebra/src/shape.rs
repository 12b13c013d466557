//! Shape checks shared by the matrix, displacement, space and Fourier modules.

use crate::{Error, Result};
use nalgebra::DMatrix;

/// Panics with a shape message (the cold path of [`check_len`]).
#[cold]
#[track_caller]
fn shape_panic(what: &str, expected: usize, got: usize) -> ! {
    panic!("shape mismatch in {what}: expected {expected}, got {got}")
}

/// Hot-path length check of the panicking `apply`-style methods: panics with a shape message
/// when `got != expected`.
#[track_caller]
pub(crate) fn check_len(what: &str, expected: usize, got: usize) {
    if got != expected {
        shape_panic(what, expected, got);
    }
}

/// Checks a buffer length: a typed [`Error::ShapeMismatch`] naming `what` when
/// `got != expected`.
pub(crate) fn check_length(what: &str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::ShapeMismatch {
            what: what.into(),
            expected,
            got,
        })
    }
}

/// Checks that `m` is `n × n` (a typed [`Error::ShapeMismatch`] otherwise).
pub(crate) fn check_square(n: usize, m: &DMatrix<f64>) -> Result<()> {
    for (what, got) in [("matrix rows", m.nrows()), ("matrix columns", m.ncols())] {
        if got != n {
            return Err(Error::ShapeMismatch {
                what: what.into(),
                expected: n,
                got,
            });
        }
    }
    Ok(())
}
