//! Quarter-turn rotations acting on fields over a square grid: vector fields (a velocity per
//! pixel) and regular fields (one value per pixel and per orientation in `C4`).
//!
//! # Conventions
//! A grid of `N × N` cells: column `j` is the coordinate `x = j`, row `i` is `y = i` (rows are
//! y, as in PhiFlow's `staggered_tensor()` read out as `[vector, y, x]`). A rotation by
//! `r` quarter turns is counterclockwise in the `(x, y)` plane about the grid's centre
//! `c = (N − 1) / 2`: the point `(x, y)` goes to `(N − 1 − y, x)` for `r = 1`.
//!
//! - A **vector field** `(B, 2F, N, N)` holds `F` velocity fields, channel `2f` the
//!   x-component `u` and `2f + 1` the y-component `v` (the plume data's stacked frames). It
//!   transforms by the induced representation (the grid's permutation ⊗ the standard 2-D
//!   representation): `(g·φ)(p) = R φ(R⁻¹ p)` with `R(u, v) = (−v, u)` for one quarter turn.
//! - A **regular field** `(B, 4C, N, N)` holds `C` functions on `Z_N² ⋊ C4` (channel `4c + s`
//!   for orientation `s`); it transforms by the regular representation of `p4`:
//!   `(g·φ)(s, p) = φ(s − r, R⁻¹ p)`.
//!
//! The convention is checked against analytic fields in the tests (a source at `p` becomes a
//! source at `R p`), so a mirror image of it (rows taken as `−y`) fails them.
use crate::{NnError, Result};
use tch::Tensor;

/// Number of orientations of `C4`.
pub const ORIENTATIONS: i64 = 4;

/// The standard representation of `r` quarter turns: the 2 × 2 rotation matrix by `r·90°`,
/// row-major, integer entries.
pub fn standard_representation(quarter_turns: i64) -> [[i64; 2]; 2] {
    match quarter_turns.rem_euclid(ORIENTATIONS) {
        0 => [[1, 0], [0, 1]],
        1 => [[0, -1], [1, 0]],
        2 => [[-1, 0], [0, -1]],
        _ => [[0, 1], [-1, 0]],
    }
}

/// Rotates each `N × N` plane of `x` (any leading dimensions) by `r` quarter turns
/// counterclockwise in the `(x, y)` plane: `out[i][j] = x[N−1−j][i]` for `r = 1`.
///
/// # Errors
/// [`NnError::ShapeMismatch`] when the last two dimensions are not square.
pub fn rotate_planes(x: &Tensor, quarter_turns: i64) -> Result<Tensor> {
    let size = x.size();
    let (h, w) = match size.as_slice() {
        [.., h, w] => (*h, *w),
        _ => {
            return Err(NnError::InvalidConfig(format!(
                "a field needs two grid dimensions, got shape {size:?}"
            )))
        }
    };
    if h != w {
        return Err(NnError::ShapeMismatch {
            what: "width of a grid rotated by quarter turns (it must be square)".into(),
            expected: h,
            got: w,
        });
    }
    let dims = [size.len() as i64 - 1, size.len() as i64 - 2];
    Ok(x.f_rot90(quarter_turns.rem_euclid(ORIENTATIONS), dims)?)
}

/// Rotates a vector field `(B, 2F, N, N)` by `r` quarter turns: the grid moves and every
/// velocity turns with it (see the module docs).
///
/// # Errors
/// [`NnError::ShapeMismatch`] for an odd channel count or a non-square grid.
pub fn rotate_vector_field(x: &Tensor, quarter_turns: i64) -> Result<Tensor> {
    let size = x.size();
    let channels = size.get(1).copied().unwrap_or(0);
    if size.len() != 4 || channels % 2 != 0 {
        return Err(NnError::ShapeMismatch {
            what: format!("channels of a vector field (B, 2F, N, N), got shape {size:?}"),
            expected: channels + channels % 2,
            got: channels,
        });
    }
    let moved = rotate_planes(x, quarter_turns)?;
    let pairs = moved.f_view([size[0], channels / 2, 2, size[2], size[3]])?;
    let (u, v) = (pairs.f_select(2, 0)?, pairs.f_select(2, 1)?);
    let [[a, b], [c, d]] = standard_representation(quarter_turns);
    let combine =
        |p: i64, q: i64| -> Result<Tensor> { Ok(u.f_mul_scalar(p)?.f_add(&v.f_mul_scalar(q)?)?) };
    let turned = Tensor::f_stack(&[combine(a, b)?, combine(c, d)?], 2)?;
    Ok(turned.f_view([size[0], channels, size[2], size[3]])?)
}

/// Rotates a regular field `(B, 4C, N, N)` by `r` quarter turns: the grid moves and the
/// orientation channels of every field shift cyclically by `r` (see the module docs).
///
/// # Errors
/// [`NnError::ShapeMismatch`] when the channels are not a multiple of 4 or the grid is not
/// square.
pub fn rotate_regular_field(x: &Tensor, quarter_turns: i64) -> Result<Tensor> {
    let size = x.size();
    let channels = size.get(1).copied().unwrap_or(0);
    if size.len() != 4 || channels % ORIENTATIONS != 0 {
        return Err(NnError::ShapeMismatch {
            what: format!("channels of a regular field (B, 4C, N, N), got shape {size:?}"),
            expected: ORIENTATIONS * (channels / ORIENTATIONS + 1),
            got: channels,
        });
    }
    let moved = rotate_planes(x, quarter_turns)?;
    let grouped = moved.f_view([
        size[0],
        channels / ORIENTATIONS,
        ORIENTATIONS,
        size[2],
        size[3],
    ])?;
    let shifted = grouped.f_roll([quarter_turns.rem_euclid(ORIENTATIONS)], [2])?;
    Ok(shifted.f_view([size[0], channels, size[2], size[3]])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{Device, Kind};

    /// The field of a point source at `(px, py)`, `v(x, y) = (x − px, y − py)`, written with
    /// rows as `y` independently of the code under test.
    fn source(n: i64, px: f64, py: f64) -> Tensor {
        let mut data = vec![0f32; (2 * n * n) as usize];
        for i in 0..n {
            for j in 0..n {
                let (x, y) = (j as f64, i as f64);
                data[(i * n + j) as usize] = (x - px) as f32;
                data[(n * n + i * n + j) as usize] = (y - py) as f32;
            }
        }
        Tensor::from_slice(&data).view([1, 2, n, n])
    }

    /// A source at `p` rotated by one quarter turn is a source at `R p`, where `R` turns
    /// `(x, y)` counterclockwise about the centre: `(N − 1 − y, x)`.
    #[test]
    fn a_rotated_source_is_the_source_at_the_rotated_point() {
        let n = 7;
        let (px, py) = (1.0, 4.0);
        let rotated = rotate_vector_field(&source(n, px, py), 1).unwrap();
        let expected = source(n, (n - 1) as f64 - py, px);
        assert_eq!(
            f64::try_from((rotated - expected).abs().max()).unwrap(),
            0.0
        );
        // The clockwise turn puts it elsewhere: the test sees the handedness.
        let clockwise = source(n, py, (n - 1) as f64 - px);
        let wrong = rotate_vector_field(&source(n, px, py), 1).unwrap() - clockwise;
        assert!(f64::try_from(wrong.abs().max()).unwrap() > 1.0);
    }

    /// A uniform flow to the right, rotated counterclockwise, flows up (+y, increasing rows).
    #[test]
    fn a_flow_along_x_turns_to_a_flow_along_y() {
        let ones = Tensor::ones([1, 1, 5, 5], (Kind::Float, Device::Cpu));
        let flow = Tensor::cat(&[ones.shallow_clone(), ones.zeros_like()], 1);
        let turned = rotate_vector_field(&flow, 1).unwrap();
        let up = Tensor::cat(&[ones.zeros_like(), ones], 1);
        assert!(turned.equal(&up));
    }

    #[test]
    fn quarter_turns_compose_as_c4_on_both_kinds_of_field() {
        tch::manual_seed(3);
        let vector = Tensor::randn([2, 6, 5, 5], (Kind::Float, Device::Cpu));
        let regular = Tensor::randn([2, 8, 5, 5], (Kind::Float, Device::Cpu));
        for a in 0..4 {
            for b in 0..4 {
                let twice = rotate_vector_field(&rotate_vector_field(&vector, a).unwrap(), b);
                assert!(twice
                    .unwrap()
                    .equal(&rotate_vector_field(&vector, a + b).unwrap()));
                let twice = rotate_regular_field(&rotate_regular_field(&regular, a).unwrap(), b);
                assert!(twice
                    .unwrap()
                    .equal(&rotate_regular_field(&regular, a + b).unwrap()));
            }
        }
        assert!(rotate_vector_field(&vector, 4).unwrap().equal(&vector));
        assert!(!rotate_vector_field(&vector, 1).unwrap().equal(&vector));
    }

    /// The regular field's orientation channels shift forward: orientation `s` of the result
    /// is orientation `s − r` of the input, moved.
    #[test]
    fn a_regular_field_shifts_its_orientations_forward() {
        let n = 3;
        let planes: Vec<Tensor> = (0..4)
            .map(|s| Tensor::full([1, 1, n, n], s as f64, (Kind::Float, Device::Cpu)))
            .collect();
        let field = Tensor::cat(&planes, 1);
        let turned = rotate_regular_field(&field, 1).unwrap();
        for s in 0..4 {
            let value = f64::try_from(turned.get(0).get(s).mean(Kind::Float)).unwrap();
            assert_eq!(value, ((s + 3) % 4) as f64);
        }
    }

    #[test]
    fn malformed_fields_are_refused() {
        let odd = Tensor::zeros([1, 3, 4, 4], (Kind::Float, Device::Cpu));
        assert!(rotate_vector_field(&odd, 1).is_err());
        assert!(rotate_regular_field(&odd, 1).is_err());
        let oblong = Tensor::zeros([1, 4, 4, 5], (Kind::Float, Device::Cpu));
        assert!(rotate_vector_field(&oblong, 1).is_err());
    }

    #[test]
    fn the_standard_representation_is_a_homomorphism() {
        let mul = |a: [[i64; 2]; 2], b: [[i64; 2]; 2]| {
            let mut c = [[0; 2]; 2];
            for (i, row) in c.iter_mut().enumerate() {
                for (j, entry) in row.iter_mut().enumerate() {
                    *entry = (0..2).map(|k| a[i][k] * b[k][j]).sum();
                }
            }
            c
        };
        for a in -4..8 {
            for b in -4..8 {
                let product = mul(standard_representation(a), standard_representation(b));
                assert_eq!(product, standard_representation(a + b));
            }
        }
    }
}
