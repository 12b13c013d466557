//! Dixon–Schneider: the character table from the class algebra, exactly, over a prime field.
//!
//! 1. The central characters `ω_χ(C_k) = |C_k| χ(z_k) / χ(1)` are the common eigenvectors
//!    `w` (with `w_0 = 1`) of the class matrices `M_i[j][k] = a_{ijk}`: `M_i w = ω_χ(C_i) w`.
//!    Over `F_p`, `p ≡ 1 (mod exp G)` and `p > 2√|G|` (Dixon's prime), the common eigenspaces
//!    are found by splitting `F_p^r` with one class matrix after another, smallest classes
//!    first (Schneider), until every space is a line.
//! 2. The degree follows from `Σ_k ω(C_k) ω(C_k⁻¹) / |C_k| = |G| / χ(1)²`, and
//!    `χ(z_k) = ω(C_k) χ(1) / |C_k|` (mod `p`).
//! 3. Each value is lifted to `Z[ζ_o]`, `o` the order of `z_k`: the multiplicity of the
//!    eigenvalue `ζ_o^t` of `ρ(z_k)` is `m_t = (1/o) Σ_s χ(z_k^s) ζ_o^{−ts}`, an integer in
//!    `0..=χ(1) < p`, computed in `F_p` with `ζ_o ↦ z^{e/o}` for a fixed root `z` of order
//!    `e = exp G`; then `χ(z_k) = Σ_t m_t ζ_o^t` exactly.
//!
//! References: J. D. Dixon, "High speed computation of group characters", Numer. Math. 10
//! (1967); G. J. A. Schneider, "Dixon's character table algorithm revisited", J. Symbolic
//! Comput. 9 (1990).

use super::class_algebra::{class_matrix_rows, power_maps};
use super::prime_field::PrimeField;
use super::table::CharacterTable;
use crate::cyclotomic::Cyclotomic;
use crate::group::ConjugacyClasses;
use crate::{Error, FiniteGroup, Result};

/// The exact character table of `g` over its classes `classes` by Dixon–Schneider (see the
/// module docs of `algebra/src/character/dixon_schneider.rs`), verified by the orthogonality
/// relations. Memory `O(r²)` beyond the classes; time dominated by `r · Σ |C_i|` products over
/// the class matrices used.
///
/// # Errors
/// [`Error::CharacterTableCheck`] if a step that must succeed fails (a space that does not
/// split, a lift out of range, a broken orthogonality relation); [`Error::TooLarge`] when no
/// Dixon prime below `2⁶²` exists for the group's exponent.
///
/// # Example
/// ```
/// use gm_algebra::character::dixon_schneider;
/// use gm_algebra::group::{ConjugacyClasses, Symmetric};
/// let s4 = Symmetric::new(4).unwrap();
/// let t = dixon_schneider(&s4, &ConjugacyClasses::compute(&s4)).unwrap();
/// assert_eq!(t.degrees(), vec![1, 1, 2, 3, 3]);
/// ```
pub fn dixon_schneider<G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &ConjugacyClasses,
) -> Result<CharacterTable> {
    let n = g.order();
    let r = classes.count();
    let exponent = (0..r).fold(1u64, |acc, k| {
        let o = classes.element_order(k) as u64;
        acc / gcd(acc, o) * o
    });
    let lower = 2 * (n as f64).sqrt().ceil() as u64 + 1;
    let field = PrimeField::dixon_prime(exponent, lower).ok_or_else(|| Error::TooLarge {
        order: n,
        operation: format!("Dixon's prime for exponent {exponent}"),
        limit: 1 << 62,
    })?;
    let central = central_characters(g, classes, &field)?;
    let powers = power_maps(g, classes);
    let z = field.root_of_unity(exponent);
    let rows = central
        .iter()
        .enumerate()
        .map(|(row, w)| {
            let degree =
                degree_of(w, classes, &field, n).ok_or_else(|| Error::CharacterTableCheck {
                    relation: format!("χ_{row}(1)² from the central character"),
                    residual: f64::NAN,
                })?;
            let chi: Vec<u64> = (0..r)
                .map(|k| {
                    let size = field.inv(field.reduce(classes.size(k) as u64));
                    field.mul(field.mul(w[k], degree), size)
                })
                .collect();
            (0..r)
                .map(|k| lift(&chi, &powers[k], degree, exponent, z, &field))
                .collect::<Option<Vec<Cyclotomic>>>()
                .ok_or_else(|| Error::CharacterTableCheck {
                    relation: format!("lifting χ_{row} to cyclotomic integers"),
                    residual: f64::NAN,
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let squares: Vec<usize> = powers.iter().map(|p| p[2 % p.len()]).collect();
    CharacterTable::assemble(classes, &squares, rows, true)
}

/// The central characters mod `p`: one vector `w` (`w_0 = 1`) per irreducible character,
/// the common eigenvectors of the class matrices.
fn central_characters<G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &ConjugacyClasses,
    f: &PrimeField,
) -> Result<Vec<Vec<u64>>> {
    let r = classes.count();
    let identity: Vec<Vec<u64>> = (0..r)
        .map(|i| (0..r).map(|j| u64::from(i == j)).collect())
        .collect();
    let mut pending = vec![(identity, (0..r).collect::<Vec<usize>>())];
    let mut lines = Vec::with_capacity(r);
    if r == 1 {
        return Ok(vec![vec![1]]);
    }
    let mut by_size: Vec<usize> = (1..r).collect();
    by_size.sort_by_key(|&i| classes.size(i));
    for i in by_size {
        if pending.is_empty() {
            break;
        }
        // Only the rows at the pending spaces' pivot columns are needed.
        let mut needed: Vec<usize> = pending.iter().flat_map(|(_, p)| p.clone()).collect();
        needed.sort_unstable();
        needed.dedup();
        let mut m: Vec<Vec<u64>> = vec![Vec::new(); r];
        for (j, row) in needed.iter().zip(class_matrix_rows(g, classes, i, &needed)) {
            m[*j] = row.into_iter().map(|a| f.reduce(a)).collect();
        }
        let mut next = Vec::new();
        for (basis, pivots) in pending {
            let d = basis.len();
            // The matrix of M_i on the space, in the coordinates read off the pivot columns.
            let a: Vec<Vec<u64>> = pivots
                .iter()
                .map(|&pc| {
                    basis
                        .iter()
                        .map(|b| {
                            m[pc]
                                .iter()
                                .zip(b)
                                .fold(0, |s, (&x, &y)| f.add(s, f.mul(x, y)))
                        })
                        .collect()
                })
                .collect();
            let mut found = 0;
            for lambda in f.roots(&f.charpoly(&a)) {
                let shifted: Vec<Vec<u64>> = a
                    .iter()
                    .enumerate()
                    .map(|(c, row)| {
                        let mut row = row.clone();
                        row[c] = f.sub(row[c], lambda);
                        row
                    })
                    .collect();
                let null = f.null_space(&shifted);
                found += null.len();
                let vectors: Vec<Vec<u64>> = null
                    .iter()
                    .map(|u| {
                        (0..r)
                            .map(|k| {
                                u.iter()
                                    .zip(&basis)
                                    .fold(0, |s, (&ua, b)| f.add(s, f.mul(ua, b[k])))
                            })
                            .collect()
                    })
                    .collect();
                let (rows, pivots) = f.rref(vectors);
                if rows.len() == 1 {
                    lines.push(rows.into_iter().next().expect("one row"));
                } else {
                    next.push((rows, pivots));
                }
            }
            if found != d {
                return Err(Error::CharacterTableCheck {
                    relation: format!(
                        "class matrix {i} diagonalisable mod {} on a space of dimension {d}",
                        f.modulus()
                    ),
                    residual: (d - found) as f64,
                });
            }
        }
        pending = next;
    }
    if !pending.is_empty() || lines.len() != r || lines.iter().any(|w| w[0] != 1) {
        return Err(Error::CharacterTableCheck {
            relation: format!("{r} common eigenlines of the class matrices"),
            residual: lines.len().abs_diff(r) as f64,
        });
    }
    Ok(lines)
}

/// `χ(1)` from the central character `w`: the `d ≤ √n` with
/// `d² = n / Σ_k w_k w_{k⁻¹} / |C_k|` in `F_p`.
fn degree_of(w: &[u64], classes: &ConjugacyClasses, f: &PrimeField, n: usize) -> Option<u64> {
    let s = (0..classes.count()).fold(0, |s, k| {
        let term = f.mul(w[k], w[classes.inverse_class(k)]);
        f.add(s, f.mul(term, f.inv(f.reduce(classes.size(k) as u64))))
    });
    if s == 0 {
        return None;
    }
    let d2 = f.mul(f.reduce(n as u64), f.inv(s));
    (1..=(n as f64).sqrt() as u64 + 1).find(|&d| f.mul(d, d) == d2)
}

/// The value on a class with power map `powers` (classes of `z^0, z^1, …, z^{o−1}`) as
/// `Σ_t m_t ζ_o^t`, from the character's values `chi` mod `p`; `None` when a multiplicity
/// leaves `0..=degree`.
fn lift(
    chi: &[u64],
    powers: &[usize],
    degree: u64,
    exponent: u64,
    z: u64,
    f: &PrimeField,
) -> Option<Cyclotomic> {
    let o = powers.len() as u64;
    let zo_inv = f.inv(f.pow(z, exponent / o));
    let o_inv = f.inv(f.reduce(o));
    let mut multiplicities = Vec::with_capacity(powers.len());
    for t in 0..o {
        let step = f.pow(zo_inv, t);
        let mut root = 1;
        let mut acc = 0;
        for &c in powers {
            acc = f.add(acc, f.mul(chi[c], root));
            root = f.mul(root, step);
        }
        let m = f.mul(acc, o_inv);
        if m > degree {
            return None;
        }
        multiplicities.push(m as i64);
    }
    Some(Cyclotomic::from_root_multiplicities(
        powers.len(),
        &multiplicities,
    ))
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
