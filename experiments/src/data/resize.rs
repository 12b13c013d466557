//! Area-averaging resampling of images (exact box filter with fractional overlaps): each
//! output pixel is the mean of the input over the square it covers. Used to shrink NORB
//! and smallNORB to the reference sizes.
use super::ImageSet;

/// Weights `(input index, weight)` of each output cell along one axis of length `n → m`.
fn axis_weights(n: usize, m: usize) -> Vec<Vec<(usize, f32)>> {
    let scale = n as f64 / m as f64;
    (0..m)
        .map(|o| {
            let (lo, hi) = (o as f64 * scale, (o + 1) as f64 * scale);
            let first = lo.floor() as usize;
            let last = (hi.ceil() as usize).min(n);
            (first..last)
                .map(|i| {
                    let overlap = (hi.min(i as f64 + 1.0) - lo.max(i as f64)).max(0.0);
                    (i, (overlap / scale) as f32)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect()
        })
        .collect()
}

/// Resizes one `h×w` plane to `nh×nw`.
///
/// # Panics
/// If `plane.len() != h * w`.
pub fn resize_plane(plane: &[f32], h: usize, w: usize, nh: usize, nw: usize) -> Vec<f32> {
    assert_eq!(plane.len(), h * w, "plane is not {h}×{w}");
    if (h, w) == (nh, nw) {
        return plane.to_vec();
    }
    let (wy, wx) = (axis_weights(h, nh), axis_weights(w, nw));
    let mut out = Vec::with_capacity(nh * nw);
    for ry in &wy {
        for rx in &wx {
            let mut acc = 0.0f32;
            for &(y, a) in ry {
                for &(x, b) in rx {
                    acc += a * b * plane[y * w + x];
                }
            }
            out.push(acc);
        }
    }
    out
}

/// Resizes every channel of every image of a set.
pub fn resize_set(set: &ImageSet, nh: usize, nw: usize) -> ImageSet {
    let plane = set.height * set.width;
    let images = set
        .images
        .chunks_exact(plane)
        .flat_map(|p| resize_plane(p, set.height, set.width, nh, nw))
        .collect();
    ImageSet {
        images,
        labels: set.labels.clone(),
        channels: set.channels,
        height: nh,
        width: nw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_preserves_the_mean_and_constants() {
        let plane: Vec<f32> = (0..108 * 108).map(|k| (k % 17) as f32).collect();
        let out = resize_plane(&plane, 108, 108, 32, 32);
        let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
        assert!((mean(&plane) - mean(&out)).abs() < 1e-3 * mean(&plane));
        let ones = resize_plane(&[1.0; 96 * 96], 96, 96, 24, 24);
        assert!(ones.iter().all(|v| (v - 1.0).abs() < 1e-5));
    }

    #[test]
    fn integer_factor_is_block_mean() {
        let plane = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(resize_plane(&plane, 2, 2, 1, 1), vec![2.5]);
    }
}
