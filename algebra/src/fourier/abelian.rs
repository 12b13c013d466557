//! Finite abelian groups: a decomposition into cyclic factors found from the multiplication
//! alone, and the closed-form irreps (characters) it gives.

use super::{FsType, Irrep, IrrepConstruction, Irreps, Representation};
use crate::{Error, FiniteGroup, Result};
use num_complex::Complex64;
use std::f64::consts::TAU;

/// An isomorphism `Z_{m_0} × … × Z_{m_{k−1}} → G` of a finite abelian group, with
/// `m_{j+1} | m_j` (invariant factors, largest first).
///
/// Position `p` of the mixed-radix layout (last coordinate fastest) is the tuple `c` with
/// `p = Σ_j c_j · stride_j`, and stands for the element `Π_j b_j^{c_j}` of the basis `b`.
///
/// # Example
/// ```
/// use gm_algebra::fourier::AbelianStructure;
/// use gm_algebra::group::Cyclic;
/// let s = AbelianStructure::new(&Cyclic::new(12).unwrap()).unwrap();
/// assert_eq!(s.moduli(), &[12]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbelianStructure {
    moduli: Vec<usize>,
    basis: Vec<usize>,
    element_at: Vec<usize>,
    position_of: Vec<usize>,
}

impl AbelianStructure {
    /// Decomposes an abelian group: a generator of order `n` if one exists among the
    /// generators, otherwise a basis of each Sylow `p`-subgroup (greedily: an element of
    /// largest order meeting the span so far trivially) merged into invariant factors.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming two non-commuting generators if `g` is not abelian.
    pub fn new<G: FiniteGroup + ?Sized>(g: &G) -> Result<Self> {
        let n = g.order();
        let gens = g.generator_indices();
        for &a in &gens {
            for &b in &gens {
                if g.mul_idx(a, b) != g.mul_idx(b, a) {
                    return Err(Error::InvalidParameter {
                        family: "abelian decomposition".into(),
                        reason: format!(
                            "the group is not abelian: {a_l}·{b_l} ≠ {b_l}·{a_l}",
                            a_l = g.label(a),
                            b_l = g.label(b)
                        ),
                    });
                }
            }
        }
        let (moduli, basis) = match gens.iter().find(|&&s| g.element_order(s) == n) {
            Some(&s) => (vec![n], vec![s]),
            None if n == 1 => (vec![1], vec![0]),
            None => invariant_factors(g),
        };
        let mut element_at = vec![0usize];
        for (&m, &b) in moduli.iter().zip(&basis) {
            let mut next = Vec::with_capacity(element_at.len() * m);
            for &e in &element_at {
                let mut x = e;
                for _ in 0..m {
                    next.push(x);
                    x = g.mul_idx(x, b);
                }
            }
            element_at = next;
        }
        let mut position_of = vec![usize::MAX; n];
        for (p, &a) in element_at.iter().enumerate() {
            position_of[a] = p;
        }
        debug_assert!(position_of.iter().all(|&p| p != usize::MAX));
        Ok(Self {
            moduli,
            basis,
            element_at,
            position_of,
        })
    }

    /// The cyclic orders `m_j` (invariant factors, each dividing the previous one).
    pub fn moduli(&self) -> &[usize] {
        &self.moduli
    }

    /// The basis elements `b_j` (element indices), `b_j` of order `m_j`.
    pub fn basis(&self) -> &[usize] {
        &self.basis
    }

    /// The element index at mixed-radix position `p`.
    pub fn element_at(&self) -> &[usize] {
        &self.element_at
    }

    /// The mixed-radix position of element index `a`.
    pub fn position_of(&self) -> &[usize] {
        &self.position_of
    }

    /// Whether position `p` is element index `p` for every `p` (no permutation needed).
    pub fn is_identity_layout(&self) -> bool {
        self.element_at.iter().enumerate().all(|(p, &a)| p == a)
    }

    /// The coordinates of position `p`.
    fn coordinates(&self, mut p: usize) -> Vec<usize> {
        let mut c = vec![0; self.moduli.len()];
        for j in (0..self.moduli.len()).rev() {
            c[j] = p % self.moduli[j];
            p /= self.moduli[j];
        }
        c
    }

    /// The Frobenius–Schur type of the character at each position: real iff `2k ≡ 0`.
    pub fn fs_types(&self) -> Vec<FsType> {
        (0..self.element_at.len())
            .map(|p| {
                let real = self
                    .coordinates(p)
                    .iter()
                    .zip(&self.moduli)
                    .all(|(&kj, &m)| (2 * kj) % m == 0);
                if real {
                    FsType::Real
                } else {
                    FsType::Complex
                }
            })
            .collect()
    }

    /// The closed-form irreps: the character with label `k` (a position, read as a tuple) is
    /// `χ_k(Π b_j^{c_j}) = exp(2πi Σ_j k_j c_j / m_j)`; irreps are laid out in position order.
    /// Real characters (`2k ≡ 0`) are of real type and stored as exact `±1`.
    pub fn irreps(&self) -> Irreps {
        let n = self.element_at.len();
        let coords: Vec<Vec<usize>> = (0..n).map(|p| self.coordinates(p)).collect();
        let irreps = (0..n)
            .map(|k| {
                let kc = &coords[k];
                let real = kc
                    .iter()
                    .zip(&self.moduli)
                    .all(|(&kj, &m)| (2 * kj) % m == 0);
                let mut data = vec![Complex64::default(); n];
                for (p, c) in coords.iter().enumerate() {
                    data[self.element_at[p]] = character_value(kc, c, &self.moduli, real);
                }
                let fs = if real { FsType::Real } else { FsType::Complex };
                Irrep::new(Representation::from_flat(1, data), fs)
            })
            .collect();
        Irreps::from_parts(irreps, IrrepConstruction::Abelian)
    }
}

/// `exp(2πi Σ_j k_j c_j / m_j)`, exactly `±1` for real characters.
fn character_value(k: &[usize], c: &[usize], moduli: &[usize], real: bool) -> Complex64 {
    let turns: f64 = k
        .iter()
        .zip(c)
        .zip(moduli)
        .map(|((&kj, &cj), &m)| ((kj * cj) % m) as f64 / m as f64)
        .sum();
    if real {
        let half_turns = (turns * 2.0).round() as i64;
        Complex64::new(if half_turns % 2 == 0 { 1.0 } else { -1.0 }, 0.0)
    } else {
        Complex64::from_polar(1.0, TAU * turns)
    }
}

/// Invariant factors and a matching basis of an abelian group of order `n > 1`.
fn invariant_factors<G: FiniteGroup + ?Sized>(g: &G) -> (Vec<usize>, Vec<usize>) {
    let n = g.order();
    let orders: Vec<usize> = (0..n).map(|a| g.element_order(a)).collect();
    // Per prime: the orders and elements of a basis of the Sylow p-subgroup, largest first.
    let mut per_prime: Vec<Vec<(usize, usize)>> = Vec::new();
    for p in crate::primes::prime_factors(n as u64)
        .into_iter()
        .map(|p| p as usize)
    {
        let mut candidates: Vec<usize> = (0..n).filter(|&a| is_power_of(orders[a], p)).collect();
        let sylow_order = candidates.len();
        candidates.sort_by_key(|&a| std::cmp::Reverse(orders[a]));
        let mut inside = vec![false; n];
        inside[0] = true;
        let mut members = vec![0usize];
        let mut basis = Vec::new();
        while members.len() < sylow_order {
            let a = *candidates
                .iter()
                .find(|&&a| !inside[g.pow_idx(a, (orders[a] / p) as i64)])
                .expect("a Sylow p-subgroup of an abelian group has a basis");
            let old = members.clone();
            let mut x = a;
            for _ in 1..orders[a] {
                for &s in &old {
                    let y = g.mul_idx(s, x);
                    inside[y] = true;
                    members.push(y);
                }
                x = g.mul_idx(x, a);
            }
            basis.push((orders[a], a));
        }
        per_prime.push(basis);
    }
    let rank = per_prime.iter().map(Vec::len).max().unwrap_or(0);
    let mut moduli = Vec::with_capacity(rank);
    let mut basis = Vec::with_capacity(rank);
    for i in 0..rank {
        let (mut m, mut b) = (1, 0);
        for part in &per_prime {
            if let Some(&(o, a)) = part.get(i) {
                m *= o;
                b = g.mul_idx(b, a);
            }
        }
        moduli.push(m);
        basis.push(b);
    }
    (moduli, basis)
}

/// Whether `x` is a power of the prime `p` (including `p⁰ = 1`).
fn is_power_of(mut x: usize, p: usize) -> bool {
    while x.is_multiple_of(p) {
        x /= p;
    }
    x == 1
}
