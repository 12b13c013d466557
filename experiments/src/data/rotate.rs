//! Rotation of an image plane about its centre with bilinear interpolation (zero outside),
//! as used to build rotated-MNIST splits.

/// Rotates an `h×w` plane counter-clockwise by `angle` radians about its centre: output
/// pixel `p` takes the bilinearly interpolated input at `R(−angle)(p − c) + c`.
///
/// # Panics
/// If `plane.len() != h * w`.
///
/// # Example
/// ```
/// use gm_experiments::data::rotate::rotate_plane;
/// let img: Vec<f32> = (0..9).map(|k| k as f32).collect();
/// let quarter = rotate_plane(&img, 3, 3, std::f32::consts::FRAC_PI_2);
/// let back = rotate_plane(&quarter, 3, 3, -std::f32::consts::FRAC_PI_2);
/// assert!(back.iter().zip(&img).all(|(a, b)| (a - b).abs() < 1e-4));
/// ```
pub fn rotate_plane(plane: &[f32], h: usize, w: usize, angle: f32) -> Vec<f32> {
    assert_eq!(plane.len(), h * w, "plane is not {h}×{w}");
    let (cy, cx) = ((h as f32 - 1.0) / 2.0, (w as f32 - 1.0) / 2.0);
    let (s, c) = angle.sin_cos();
    let at = |y: isize, x: isize| -> f32 {
        if y < 0 || x < 0 || y >= h as isize || x >= w as isize {
            0.0
        } else {
            plane[y as usize * w + x as usize]
        }
    };
    let mut out = Vec::with_capacity(h * w);
    for y in 0..h {
        for x in 0..w {
            // y grows downwards, so a counter-clockwise turn on screen negates the sine.
            let (dy, dx) = (y as f32 - cy, x as f32 - cx);
            let sx = c * dx - s * dy + cx;
            let sy = s * dx + c * dy + cy;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as isize, y0 as isize);
            let v = (1.0 - fy) * ((1.0 - fx) * at(y0, x0) + fx * at(y0, x0 + 1))
                + fy * ((1.0 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turns_permute_pixels_exactly() {
        let img: Vec<f32> = (0..16).map(|k| k as f32).collect();
        let r = rotate_plane(&img, 4, 4, std::f32::consts::FRAC_PI_2);
        let mut a = r.clone();
        let mut b = img.clone();
        a.sort_by(f32::total_cmp);
        b.sort_by(f32::total_cmp);
        assert!(a.iter().zip(&b).all(|(u, v)| (u - v).abs() < 1e-4));
        let full = rotate_plane(&r, 4, 4, 3.0 * std::f32::consts::FRAC_PI_2);
        assert!(full.iter().zip(&img).all(|(u, v)| (u - v).abs() < 1e-4));
        assert_eq!(rotate_plane(&img, 4, 4, 0.0), img);
    }
}
