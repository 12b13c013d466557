//! Group displacement: `∇_s(M) = L_s M − M L_s` for the left-regular permutations `L_s` of a
//! finite group, stacked over a generating set.

use crate::{Error, FiniteGroup, Result};
use nalgebra::DMatrix;

use crate::shape::check_square;

/// Checks that `s` is an element index of a group of order `n`.
pub(super) fn check_element(n: usize, s: usize) -> Result<()> {
    if s >= n {
        return Err(Error::IndexOutOfRange { index: s, order: n });
    }
    Ok(())
}

/// The group displacement `∇_s(M) = L_s M − M L_s` of an `n × n` matrix, where
/// `L_s[a,b] = 1` iff `g_a = s·g_b` (the left-regular permutation), in `O(n²)`:
/// `∇_s(M)[a,c] = M[s⁻¹·a, c] − M[a, s·c]` (indices acted on by the group product).
///
/// It vanishes for every `s` in a generating set exactly when `M` is a group matrix; for
/// `Z_n` and `s = 1`, `L_1 = Z₁` and this is the circulant Sylvester displacement
/// `∇_{Z₁,Z₁}`.
///
/// # Errors
/// [`Error::ShapeMismatch`] when `m` is not `n × n`; [`Error::IndexOutOfRange`] when
/// `s ≥ n`.
///
/// # Example
/// ```
/// use gm_algebra::displacement::group_displacement;
/// use gm_algebra::group::Dihedral;
/// use gm_algebra::FiniteGroup;
/// use nalgebra::DMatrix;
/// let d3 = Dihedral::new(3).unwrap();
/// let f = [1.0, 2.0, 0.0, -1.0, 0.5, 3.0];
/// let gm = DMatrix::from_fn(6, 6, |a, b| f[d3.left_div_idx(a, b)]);
/// assert_eq!(group_displacement(&d3, &gm, 1).unwrap().norm(), 0.0);
/// ```
pub fn group_displacement<G: FiniteGroup + ?Sized>(
    group: &G,
    m: &DMatrix<f64>,
    s: usize,
) -> Result<DMatrix<f64>> {
    let n = group.order();
    check_square(n, m)?;
    check_element(n, s)?;
    let s_inv = group.inv_idx(s);
    let rows: Vec<usize> = (0..n).map(|a| group.mul_idx(s_inv, a)).collect();
    let cols: Vec<usize> = (0..n).map(|c| group.mul_idx(s, c)).collect();
    Ok(DMatrix::from_fn(n, n, |a, c| {
        m[(rows[a], c)] - m[(a, cols[c])]
    }))
}

/// The displacements `∇_s(M)` for `s ∈ S` stacked vertically (`|S|·n × n`).
///
/// # Errors
/// As [`group_displacement`], for each `s`.
pub fn stacked_group_displacement<G: FiniteGroup + ?Sized>(
    group: &G,
    m: &DMatrix<f64>,
    generators: &[usize],
) -> Result<DMatrix<f64>> {
    let n = group.order();
    check_square(n, m)?;
    let mut out = DMatrix::zeros(n * generators.len(), n);
    for (k, &s) in generators.iter().enumerate() {
        out.view_mut((k * n, 0), (n, n))
            .copy_from(&group_displacement(group, m, s)?);
    }
    Ok(out)
}

/// The group displacement rank of `M` with respect to `S`: the numerical rank of the stacked
/// displacement `[∇_s(M)]_{s∈S}`, with tolerance `max(|S|n, n) · ε · 2‖M‖_F` (the rounding
/// level of a difference of two permuted copies of `M`; `‖L_s‖₂ = 1`). Not the
/// diagonal-form displacement rank of [`super::DiagonalForm::displacement_rank`], which the
/// relaxed layers' `r` bounds.
///
/// # Errors
/// As [`group_displacement`].
pub fn group_displacement_rank<G: FiniteGroup + ?Sized>(
    group: &G,
    m: &DMatrix<f64>,
    generators: &[usize],
) -> Result<usize> {
    let d = stacked_group_displacement(group, m, generators)?;
    let tol = d.nrows().max(d.ncols()) as f64 * f64::EPSILON * 2.0 * m.norm();
    Ok(super::numerical_rank_with(&d, tol))
}

/// The mean word length `L̄_S = (1/n) Σ_u ℓ_S(u)`, where `ℓ_S(u)` is the length of a
/// shortest word in `S ∪ S⁻¹` equal to `u` (breadth-first search of the Cayley graph).
/// It is the constant of the bound `dist(M, GM) ≤ L̄_S · max_{s∈S} ‖∇_s(M)‖_F`.
///
/// # Errors
/// [`Error::IndexOutOfRange`] for an index `≥ n`; [`Error::InvalidParameter`] when `S` does
/// not generate the group.
///
/// # Example
/// ```
/// use gm_algebra::displacement::mean_word_length;
/// use gm_algebra::group::Cyclic;
/// // In Z_4 with S = {1}: lengths 0, 1, 2, 1.
/// assert_eq!(mean_word_length(&Cyclic::new(4).unwrap(), &[1]).unwrap(), 1.0);
/// ```
pub fn mean_word_length<G: FiniteGroup + ?Sized>(group: &G, generators: &[usize]) -> Result<f64> {
    let n = group.order();
    let mut steps = Vec::with_capacity(2 * generators.len());
    for &s in generators {
        check_element(n, s)?;
        steps.extend([s, group.inv_idx(s)]);
    }
    let mut dist = vec![usize::MAX; n];
    dist[0] = 0;
    let mut queue = std::collections::VecDeque::from([0usize]);
    while let Some(x) = queue.pop_front() {
        for &s in &steps {
            let y = group.mul_idx(x, s);
            if dist[y] == usize::MAX {
                dist[y] = dist[x] + 1;
                queue.push_back(y);
            }
        }
    }
    if dist.contains(&usize::MAX) {
        return Err(Error::InvalidParameter {
            family: format!("generating set of {}", group.name()),
            reason: format!("{generators:?} does not generate the group"),
        });
    }
    Ok(dist.iter().sum::<usize>() as f64 / n as f64)
}
