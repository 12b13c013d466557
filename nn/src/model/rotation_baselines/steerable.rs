//! The exact basis of `C4`-steerable kernels on a square grid of offsets.
//!
//! A kernel `K: {−h..h}² → Hom(V_in, V_out)` (side `k = 2h + 1`) is **steerable** when
//!
//! $$ K(R\,p) = \rho_{out}(R)\, K(p)\, \rho_{in}(R)^{-1} \quad \text{for all } R \in C_4, $$
//!
//! the condition under which a convolution (or cross-correlation) with `K` commutes with the
//! action of [`crate::field`] on its input and output fields. The offsets rotate as the grid
//! does there: `R(dx, dy) = (−dy, dx)` for one quarter turn, with rows as `y`.
//!
//! # Construction
//! The group average `P = ¼ Σ_R T_R` of the action `T_R K = ρ_out(R) K(R⁻¹·) ρ_in(R)⁻¹` is
//! the projection onto the steerable kernels, so the averages of the elementary kernels
//! (one `1` at one offset and one matrix entry) span them. Both representations used here
//! act by signed permutations, so every `T_R` maps an elementary kernel to ± another: each
//! average is either zero or the signed indicator of an orbit, and one nonzero average per
//! orbit is an orthogonal basis. It is computed in integers and normalised to unit Frobenius
//! norm; no band limit and no sampling of a continuous basis is involved.
//!
//! The dimension is `dim Hom_{C4}(V_in, V_out) + ((k² − 1)/4)·d_in·d_out`: the centre is
//! fixed by the whole group, and the other offsets form free orbits of four. On 3 × 3:
//! vector → vector 10, vector → regular 18, regular → vector 18, regular → regular 36.
//!
//! e2cnn's `R2Conv` (which Wang et al. use) instead samples a band-limited basis of the
//! continuous constraint on rings (`compute_basis_params`: maximum frequency, Gaussian
//! radial profiles); on 3 × 3 it keeps 12, 12 and 24 elements for vector → regular,
//! regular → vector and regular → regular (measured with e2cnn 0.2.3), two thirds of the
//! exact grid space: the highest angular frequencies a 3 × 3 grid can carry are cut.
use crate::field::{standard_representation, ORIENTATIONS};
use crate::{NnError, Result};
use tch::{Device, Tensor};

/// The representation of `C4` a field transforms by at every pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldRep {
    /// The standard 2-D representation (a velocity; e2cnn's `irrep(1)`).
    Vector,
    /// The regular representation (four orientation channels, shifted cyclically).
    Regular,
}

impl FieldRep {
    /// Dimension of the representation: channels per field.
    pub fn dim(self) -> usize {
        match self {
            Self::Vector => 2,
            Self::Regular => ORIENTATIONS as usize,
        }
    }

    /// The matrix of `r` quarter turns, row-major (`dim × dim`, entries 0 and ±1).
    ///
    /// For [`FieldRep::Regular`], `ρ(r) e_s = e_{s+r}`, the shift of
    /// [`crate::field::rotate_regular_field`].
    pub fn matrix(self, quarter_turns: i64) -> Vec<Vec<i64>> {
        match self {
            Self::Vector => standard_representation(quarter_turns)
                .iter()
                .map(|row| row.to_vec())
                .collect(),
            Self::Regular => {
                let n = ORIENTATIONS;
                (0..n)
                    .map(|a| {
                        (0..n)
                            .map(|b| i64::from((a - b - quarter_turns).rem_euclid(n) == 0))
                            .collect()
                    })
                    .collect()
            }
        }
    }
}

impl std::fmt::Display for FieldRep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Vector => "vector",
            Self::Regular => "regular",
        })
    }
}

/// The offset `(dx, dy)` rotated by `r` quarter turns counterclockwise: `(−dy, dx)` once.
pub fn rotate_offset(offset: (i64, i64), quarter_turns: i64) -> (i64, i64) {
    (0..quarter_turns.rem_euclid(ORIENTATIONS)).fold(offset, |(x, y), _| (-y, x))
}

/// A basis of the steerable kernels `k × k → Hom(ρ_in, ρ_out)` (see the module docs).
///
/// Element `b` is stored as `elements[b][p][q][row][col]` for output component `p`, input
/// component `q` and the offset `(dx, dy) = (col − h, row − h)`.
///
/// # Example
/// ```
/// use gm_nn::model::rotation_baselines::{FieldRep, SteerableBasis};
/// let basis = SteerableBasis::new(FieldRep::Regular, FieldRep::Regular, 3).unwrap();
/// assert_eq!(basis.len(), 36);
/// let basis = SteerableBasis::new(FieldRep::Vector, FieldRep::Vector, 3).unwrap();
/// assert_eq!(basis.len(), 10);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SteerableBasis {
    input: FieldRep,
    output: FieldRep,
    kernel_size: usize,
    elements: Vec<Vec<f64>>,
}

impl SteerableBasis {
    /// The basis for kernels of odd side `kernel_size` from `input` to `output` fields.
    ///
    /// # Errors
    /// [`NnError::InvalidConfig`] for an even or zero kernel size.
    pub fn new(input: FieldRep, output: FieldRep, kernel_size: usize) -> Result<Self> {
        if kernel_size.is_multiple_of(2) {
            return Err(NnError::InvalidConfig(format!(
                "a steerable kernel needs an odd side (a centre to rotate about), got {kernel_size}"
            )));
        }
        let (dout, din, k) = (output.dim(), input.dim(), kernel_size);
        let half = (k / 2) as i64;
        let len = dout * din * k * k;
        let index = |p: usize, q: usize, (dx, dy): (i64, i64)| {
            ((p * din + q) * k + (dy + half) as usize) * k + (dx + half) as usize
        };
        let mut seen = vec![false; len];
        let mut elements = Vec::new();
        for p in 0..dout {
            for q in 0..din {
                for dy in -half..=half {
                    for dx in -half..=half {
                        if seen[index(p, q, (dx, dy))] {
                            continue;
                        }
                        // Σ_R T_R E for the elementary kernel E at (p, q, (dx, dy)):
                        // T_R E = (ρ_out(R) e_p)(ρ_in(R) e_q)ᵀ at R·(dx, dy).
                        let mut sum = vec![0i64; len];
                        for r in 0..ORIENTATIONS {
                            let (rout, rin) = (output.matrix(r), input.matrix(r));
                            let moved = rotate_offset((dx, dy), r);
                            for (a, row_out) in rout.iter().enumerate() {
                                for (b, row_in) in rin.iter().enumerate() {
                                    sum[index(a, b, moved)] += row_out[p] * row_in[q];
                                }
                            }
                        }
                        let norm2: i64 = sum.iter().map(|v| v * v).sum();
                        for (entry, value) in seen.iter_mut().zip(&sum) {
                            *entry |= *value != 0;
                        }
                        if norm2 > 0 {
                            let norm = (norm2 as f64).sqrt();
                            elements.push(sum.iter().map(|&v| v as f64 / norm).collect());
                        }
                    }
                }
            }
        }
        Ok(Self {
            input,
            output,
            kernel_size,
            elements,
        })
    }

    /// The number of basis kernels.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// Whether the basis is empty (no steerable kernel but zero).
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// The input representation.
    pub fn input(&self) -> FieldRep {
        self.input
    }

    /// The output representation.
    pub fn output(&self) -> FieldRep {
        self.output
    }

    /// The kernel side.
    pub fn kernel_size(&self) -> usize {
        self.kernel_size
    }

    /// Basis kernel `b` at output component `p`, input component `q` and offset `(dx, dy)`
    /// (each coordinate in `−h..=h`).
    ///
    /// # Panics
    /// When an index is out of range.
    pub fn value(&self, b: usize, p: usize, q: usize, (dx, dy): (i64, i64)) -> f64 {
        let (k, half) = (self.kernel_size, (self.kernel_size / 2) as i64);
        let (row, col) = ((dy + half) as usize, (dx + half) as usize);
        self.elements[b][((p * self.input.dim() + q) * k + row) * k + col]
    }

    /// The basis as a tensor `(len, d_out, d_in, k, k)` in f64 on `device` (the layers cast
    /// it to their activations' dtype when they build a filter).
    ///
    /// # Errors
    /// [`NnError::Torch`] from libtorch.
    pub fn tensor(&self, device: Device) -> Result<Tensor> {
        let k = self.kernel_size as i64;
        let flat: Vec<f64> = self.elements.iter().flatten().copied().collect();
        let shape = [
            self.len() as i64,
            self.output.dim() as i64,
            self.input.dim() as i64,
            k,
            k,
        ];
        Ok(Tensor::f_from_slice(&flat)?
            .f_view(shape)?
            .f_to_device(device)?)
    }
}

/// Refuses a steerable layer (`what`) without fields on both sides.
pub(super) fn check_fields(what: &str, in_fields: usize, out_fields: usize) -> Result<()> {
    if in_fields == 0 || out_fields == 0 {
        return Err(NnError::InvalidConfig(format!(
            "{what} needs fields on both sides, got {in_fields} → {out_fields}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPS: [FieldRep; 2] = [FieldRep::Vector, FieldRep::Regular];

    /// Characters of the two representations, written down from their definitions.
    fn character(rep: FieldRep, r: i64) -> i64 {
        match (rep, r.rem_euclid(4)) {
            (FieldRep::Vector, 0) => 2,
            (FieldRep::Vector, 2) => -2,
            (FieldRep::Vector, _) => 0,
            (FieldRep::Regular, 0) => 4,
            (FieldRep::Regular, _) => 0,
        }
    }

    fn matmul(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
        (0..a.len())
            .map(|i| {
                (0..b[0].len())
                    .map(|j| (0..b.len()).map(|k| a[i][k] * b[k][j]).sum())
                    .collect()
            })
            .collect()
    }

    fn as_f64(m: Vec<Vec<i64>>) -> Vec<Vec<f64>> {
        m.into_iter()
            .map(|row| row.into_iter().map(|v| v as f64).collect())
            .collect()
    }

    /// `dim Hom_C4 = ¼ Σ χ_in χ_out` at the centre, plus `d_in·d_out` per free orbit.
    #[test]
    fn the_dimensions_are_the_exact_counts() {
        for k in [1usize, 3, 5] {
            for input in REPS {
                for output in REPS {
                    let centre: i64 = (0..4)
                        .map(|r| character(input, r) * character(output, r))
                        .sum::<i64>()
                        / 4;
                    let orbits = (k * k - 1) / 4;
                    let expected = centre as usize + orbits * input.dim() * output.dim();
                    let basis = SteerableBasis::new(input, output, k).unwrap();
                    assert_eq!(basis.len(), expected, "{input} → {output}, k = {k}");
                }
            }
        }
        let count = |i, o| SteerableBasis::new(i, o, 3).unwrap().len();
        assert_eq!(count(FieldRep::Regular, FieldRep::Regular), 36);
        assert_eq!(count(FieldRep::Vector, FieldRep::Regular), 18);
        assert_eq!(count(FieldRep::Regular, FieldRep::Vector), 18);
        assert_eq!(count(FieldRep::Vector, FieldRep::Vector), 10);
    }

    /// `K(R p) = ρ_out(R) K(p) ρ_in(R)ᵀ` for every element, quarter turn and offset.
    #[test]
    fn every_basis_kernel_is_steerable() {
        for input in REPS {
            for output in REPS {
                let basis = SteerableBasis::new(input, output, 3).unwrap();
                let (dout, din) = (output.dim(), input.dim());
                for b in 0..basis.len() {
                    for r in 0..4 {
                        let (rout, rin) = (as_f64(output.matrix(r)), as_f64(input.matrix(r)));
                        let rin_t: Vec<Vec<f64>> = (0..din)
                            .map(|i| (0..din).map(|j| rin[j][i]).collect())
                            .collect();
                        for dy in -1..=1 {
                            for dx in -1..=1 {
                                let at = |offset| -> Vec<Vec<f64>> {
                                    (0..dout)
                                        .map(|p| {
                                            (0..din).map(|q| basis.value(b, p, q, offset)).collect()
                                        })
                                        .collect()
                                };
                                let lhs = at(rotate_offset((dx, dy), r));
                                let rhs = matmul(&matmul(&rout, &at((dx, dy))), &rin_t);
                                assert_eq!(lhs, rhs, "{input} → {output}, b = {b}, r = {r}");
                            }
                        }
                    }
                }
            }
        }
    }

    /// Orthonormal, hence independent; and a steerable kernel built by hand (the average of
    /// a random one) lies in their span.
    #[test]
    #[allow(clippy::needless_range_loop)] // index notation, as the formula
    fn the_basis_is_orthonormal_and_spans_the_averages() {
        let basis = SteerableBasis::new(FieldRep::Vector, FieldRep::Regular, 3).unwrap();
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        for (i, a) in basis.elements.iter().enumerate() {
            for (j, b) in basis.elements.iter().enumerate() {
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((dot(a, b) - expected).abs() < 1e-12);
            }
        }
        // A pseudo-random kernel, averaged over C4 through the dense matrices.
        let (dout, din) = (4usize, 2usize);
        let random = |p: usize, q: usize, dx: i64, dy: i64| {
            (((p * 7 + q * 13) as i64 + dx * 5 + dy * 11).rem_euclid(17) as f64) - 8.0
        };
        let mut average = vec![0.0; basis.elements[0].len()];
        for r in 0..4 {
            let (rout, rin) = (
                as_f64(FieldRep::Regular.matrix(r)),
                as_f64(FieldRep::Vector.matrix(r)),
            );
            for dy in -1..=1i64 {
                for dx in -1..=1i64 {
                    // (T_R K)(p') with p' = R p: ρ_out K(p) ρ_inᵀ.
                    let (mx, my) = rotate_offset((dx, dy), r);
                    for a in 0..dout {
                        for c in 0..din {
                            let mut v = 0.0;
                            for p in 0..dout {
                                for q in 0..din {
                                    v += rout[a][p] * random(p, q, dx, dy) * rin[c][q];
                                }
                            }
                            let idx =
                                ((a * din + c) * 3 + (my + 1) as usize) * 3 + (mx + 1) as usize;
                            average[idx] += v / 4.0;
                        }
                    }
                }
            }
        }
        let residual: Vec<f64> = basis.elements.iter().fold(average.clone(), |acc, e| {
            let c = dot(&average, e);
            acc.iter().zip(e).map(|(x, y)| x - c * y).collect()
        });
        assert!(average.iter().map(|v| v.abs()).sum::<f64>() > 1.0);
        assert!(residual.iter().all(|v| v.abs() < 1e-9));
    }

    #[test]
    fn even_kernels_are_refused() {
        assert!(SteerableBasis::new(FieldRep::Vector, FieldRep::Vector, 4).is_err());
        assert!(SteerableBasis::new(FieldRep::Vector, FieldRep::Vector, 0).is_err());
    }
}
