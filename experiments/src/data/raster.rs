//! Binary 28×28 drawings shared by the synthetic twins ([`super::rectangles`],
//! [`super::convex`]): a [`Mask`] of white pixels, rectangle outlines, half-planes rasterised
//! at pixel centres, and the transposed storage order of some Larochelle files.
//!
//! Coordinates: pixel `(r, c)` (row `r` from the top, column `c` from the left, row-major
//! storage) covers the unit square `[c, c+1) × [r, r+1)` of the plane, `x` to the right and `y`
//! downwards; it belongs to a region when its centre `(c + ½, r + ½)` does.
use super::amat::{PIXELS, SIDE};
use rand::Rng;

/// A set of white pixels on the 28×28 grid.
///
/// # Example
/// ```
/// use gm_experiments::data::raster::Mask;
/// let m = Mask::rectangle_outline(2, 3, 4, 5);
/// assert_eq!(m.count(), 2 * 5 + 2 * 2);
/// assert_eq!(m.bounding_box(), Some((2, 3, 5, 7)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    cells: Vec<bool>,
}

impl Mask {
    /// No white pixel.
    pub fn empty() -> Self {
        Self {
            cells: vec![false; PIXELS],
        }
    }

    /// Every pixel white.
    pub fn full() -> Self {
        Self {
            cells: vec![true; PIXELS],
        }
    }

    /// The pixels of an image above `threshold`.
    ///
    /// # Panics
    /// When `pixels` is not 784 values long.
    pub fn from_pixels(pixels: &[f32], threshold: f32) -> Self {
        assert_eq!(pixels.len(), PIXELS, "a 28×28 image");
        Self {
            cells: pixels.iter().map(|&v| v > threshold).collect(),
        }
    }

    /// Whether pixel `(r, c)` is white.
    pub fn get(&self, r: usize, c: usize) -> bool {
        self.cells[r * SIDE + c]
    }

    /// Makes pixel `(r, c)` white.
    pub fn set(&mut self, r: usize, c: usize) {
        self.cells[r * SIDE + c] = true;
    }

    /// Number of white pixels.
    pub fn count(&self) -> usize {
        self.cells.iter().filter(|&&w| w).count()
    }

    /// The white pixels as `(r, c)`, row by row.
    pub fn white(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..PIXELS)
            .filter(|&k| self.cells[k])
            .map(|k| (k / SIDE, k % SIDE))
    }

    /// Adds the white pixels of `other`.
    pub fn union_with(&mut self, other: &Mask) {
        for (a, &b) in self.cells.iter_mut().zip(&other.cells) {
            *a |= b;
        }
    }

    /// `(top, left, bottom, right)` rows and columns (inclusive) of the white pixels; `None`
    /// when there are none.
    pub fn bounding_box(&self) -> Option<(usize, usize, usize, usize)> {
        self.white().fold(None, |b, (r, c)| {
            Some(match b {
                None => (r, c, r, c),
                Some((t, l, bm, rt)) => (t.min(r), l.min(c), bm.max(r), rt.max(c)),
            })
        })
    }

    /// The image: 1 for white, 0 for black, row-major.
    pub fn to_pixels(&self) -> Vec<f32> {
        self.cells
            .iter()
            .map(|&w| if w { 1.0 } else { 0.0 })
            .collect()
    }

    /// The one-pixel outline of the `height × width` rectangle whose top-left pixel is
    /// `(top, left)`.
    ///
    /// # Panics
    /// When the rectangle is empty or does not fit in the grid.
    pub fn rectangle_outline(top: usize, left: usize, height: usize, width: usize) -> Self {
        assert!(
            height >= 1 && width >= 1 && top + height <= SIDE && left + width <= SIDE,
            "rectangle {height}×{width} at ({top}, {left}) does not fit in {SIDE}×{SIDE}"
        );
        let (bottom, right) = (top + height - 1, left + width - 1);
        let mut m = Self::empty();
        for c in left..=right {
            m.set(top, c);
            m.set(bottom, c);
        }
        for r in top..=bottom {
            m.set(r, left);
            m.set(r, right);
        }
        m
    }

    /// Keeps only the white pixels whose centres lie in `half`.
    pub fn clip(&mut self, half: &HalfPlane) {
        for (k, cell) in self.cells.iter_mut().enumerate() {
            let (r, c) = (k / SIDE, k % SIDE);
            *cell &= half.contains(c as f64 + 0.5, r as f64 + 0.5);
        }
    }
}

/// The closed half-plane `{p : (p − point)·normal ≥ 0}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HalfPlane {
    /// A point on the boundary line, `(x, y)`.
    pub point: (f64, f64),
    /// The inward normal, `(cos θ, sin θ)`.
    pub normal: (f64, f64),
}

impl HalfPlane {
    /// A random half-plane: boundary through a point uniform in the image square
    /// `[0, 28)²`, orientation `θ` uniform in `[0, 2π)`.
    pub fn random(rng: &mut impl Rng) -> Self {
        let side = SIDE as f64;
        let point = (rng.random_range(0.0..side), rng.random_range(0.0..side));
        let theta = rng.random_range(0.0..std::f64::consts::TAU);
        Self {
            point,
            normal: (theta.cos(), theta.sin()),
        }
    }

    /// Whether `(x, y)` lies in the half-plane.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        (x - self.point.0) * self.normal.0 + (y - self.point.1) * self.normal.1 >= 0.0
    }
}

/// A 28×28 image with rows and columns swapped (`out[c·28 + r] = image[r·28 + c]`): the
/// storage order of Larochelle's mnist-back-rand, mnist-back-image and mnist-noise files.
///
/// # Panics
/// When `image` is not 784 values long.
pub fn transpose<T: Copy>(image: &[T]) -> Vec<T> {
    assert_eq!(image.len(), PIXELS, "a 28×28 image");
    (0..PIXELS)
        .map(|k| image[(k % SIDE) * SIDE + k / SIDE])
        .collect()
}

/// A draw from the geometric distribution on `{0, 1, 2, …}` with success probability `p`:
/// the number of failures before the first success (mean `(1 − p)/p`), the convention of
/// MATLAB's `geornd`.
///
/// # Panics
/// When `p` is not in `(0, 1]`.
pub fn geometric(p: f64, rng: &mut impl Rng) -> usize {
    assert!(p > 0.0 && p <= 1.0, "success probability {p} not in (0, 1]");
    let mut failures = 0;
    while rng.random::<f64>() >= p {
        failures += 1;
    }
    failures
}
