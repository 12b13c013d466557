//! Irreps of the symmetric group in Young's orthogonal form.

use super::{FsType, Irrep, IrrepConstruction, Irreps, Representation};
use crate::group::{Group, Permutation, Symmetric};
use crate::{Error, FiniteGroup, Result};
use nalgebra::DMatrix;
use num_complex::Complex64;
use std::collections::HashMap;

/// Largest degree for which [`young_orthogonal_irreps`] stores all matrices
/// (`(n!)²` complex numbers in all: 8 MB for `S_6`).
pub const YOUNG_DEGREE_LIMIT: usize = 6;

/// The irreps of `S_n` in Young's orthogonal form, one per partition `λ ⊢ n` (partitions in
/// decreasing lexicographic order, so the trivial `(n)` comes first and the sign `(1ⁿ)` last).
///
/// The basis of `ρ_λ` is the standard Young tableaux of shape `λ`. For the adjacent
/// transposition `s_i = (i, i+1)` and a tableau `T`: if `i` and `i+1` share a row,
/// `ρ(s_i) e_T = e_T`; if they share a column, `ρ(s_i) e_T = −e_T`; otherwise, with the axial
/// distance `a = c(i+1) − c(i)` (contents `c = column − row`),
/// `ρ(s_i) e_T = (1/a) e_T + √(1 − 1/a²) e_{s_i T}`. These matrices are real symmetric and
/// orthogonal and satisfy the Coxeter relations, so they extend to a real orthogonal
/// representation (along a spanning tree of the Cayley graph). All irreps of `S_n` are of real
/// type.
///
/// # Errors
/// [`Error::TooLarge`] for `n > `[`YOUNG_DEGREE_LIMIT`].
///
/// # Example
/// ```
/// use gm_algebra::fourier::young_orthogonal_irreps;
/// use gm_algebra::group::Symmetric;
/// let irr = young_orthogonal_irreps(&Symmetric::new(4).unwrap()).unwrap();
/// assert_eq!(irr.dims(), &[1, 3, 2, 3, 1]);
/// ```
pub fn young_orthogonal_irreps(s: &Symmetric) -> Result<Irreps> {
    let n = s.degree();
    if n > YOUNG_DEGREE_LIMIT {
        return Err(Error::TooLarge {
            order: FiniteGroup::order(s),
            operation: "Young's orthogonal form of all irreps".into(),
            limit: (1..=YOUNG_DEGREE_LIMIT).product(),
        });
    }
    let transpositions: Vec<usize> = (0..n.saturating_sub(1))
        .map(|i| {
            let mut images: Vec<usize> = (0..n).collect();
            images.swap(i, i + 1);
            s.index(&Permutation::from_images(images).expect("a transposition"))
        })
        .collect();
    let irreps = partitions(n)
        .iter()
        .map(|shape| {
            let gens = young_generators(shape, n);
            let d = gens.first().map_or(1, |m| m.nrows());
            let rep = Representation::from_generator_images(
                FiniteGroup::order(s),
                &transpositions,
                &gens,
                d,
                |a, b| s.mul_idx(a, b),
            );
            Irrep::new(rep, FsType::Real)
        })
        .collect();
    Ok(Irreps::from_parts(irreps, IrrepConstruction::Young))
}

/// The partitions of `n`, in decreasing lexicographic order.
fn partitions(n: usize) -> Vec<Vec<usize>> {
    fn rec(rest: usize, max: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if rest == 0 {
            out.push(prefix.clone());
            return;
        }
        for part in (1..=rest.min(max)).rev() {
            prefix.push(part);
            rec(rest - part, part, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    rec(n, n, &mut Vec::new(), &mut out);
    out
}

/// The standard Young tableaux of a shape, each as the row of every entry `0..n`.
fn tableaux(shape: &[usize], n: usize) -> Vec<Vec<usize>> {
    fn rec(
        shape: &[usize],
        filled: &mut Vec<usize>,
        rows: &mut Vec<usize>,
        n: usize,
        out: &mut Vec<Vec<usize>>,
    ) {
        if rows.len() == n {
            out.push(rows.clone());
            return;
        }
        for r in 0..shape.len() {
            if filled[r] < shape[r] && (r == 0 || filled[r - 1] > filled[r]) {
                filled[r] += 1;
                rows.push(r);
                rec(shape, filled, rows, n, out);
                rows.pop();
                filled[r] -= 1;
            }
        }
    }
    let mut out = Vec::new();
    rec(
        shape,
        &mut vec![0; shape.len()],
        &mut Vec::new(),
        n,
        &mut out,
    );
    out
}

/// The matrices `ρ_λ(s_i)` of the adjacent transpositions.
fn young_generators(shape: &[usize], n: usize) -> Vec<DMatrix<Complex64>> {
    let tabs = tableaux(shape, n);
    let index: HashMap<&[usize], usize> = tabs
        .iter()
        .enumerate()
        .map(|(k, t)| (t.as_slice(), k))
        .collect();
    // (row, column) of every entry of every tableau.
    let cells: Vec<Vec<(i64, i64)>> = tabs
        .iter()
        .map(|rows| {
            let mut seen = vec![0i64; shape.len()];
            rows.iter()
                .map(|&r| {
                    seen[r] += 1;
                    (r as i64, seen[r] - 1)
                })
                .collect()
        })
        .collect();
    let d = tabs.len();
    (0..n.saturating_sub(1))
        .map(|i| {
            let mut m = DMatrix::<Complex64>::zeros(d, d);
            for (k, t) in tabs.iter().enumerate() {
                let ((r1, c1), (r2, c2)) = (cells[k][i], cells[k][i + 1]);
                if r1 == r2 {
                    m[(k, k)] = Complex64::new(1.0, 0.0);
                } else if c1 == c2 {
                    m[(k, k)] = Complex64::new(-1.0, 0.0);
                } else {
                    let a = ((c2 - r2) - (c1 - r1)) as f64;
                    let mut swapped = t.clone();
                    swapped.swap(i, i + 1);
                    m[(k, k)] = Complex64::new(1.0 / a, 0.0);
                    m[(index[swapped.as_slice()], k)] =
                        Complex64::new((1.0 - 1.0 / (a * a)).sqrt(), 0.0);
                }
            }
            m
        })
        .collect()
}
