//! Dihedral groups: recognition from the multiplication alone and the closed-form irreps.

use super::{FsType, Irrep, IrrepConstruction, Irreps, Representation};
use crate::group::Dihedral;
use crate::FiniteGroup;
use nalgebra::DMatrix;
use num_complex::Complex64;
use std::f64::consts::TAU;

/// An isomorphism `D_m → G`: elements `r` of order `m ≥ 3` and `f` with `f² = e`,
/// `f r f = r⁻¹`. Position `a·m + b` (`a ∈ {0,1}`, `b ∈ 0..m`) stands for `f^a r^b` — the
/// layout of [`Dihedral`] itself.
///
/// # Example
/// ```
/// use gm_algebra::fourier::DihedralStructure;
/// use gm_algebra::group::{Cyclic, Dihedral};
/// assert!(DihedralStructure::recognise(&Dihedral::new(5).unwrap()).is_some());
/// assert!(DihedralStructure::recognise(&Cyclic::new(10).unwrap()).is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DihedralStructure {
    m: usize,
    element_at: Vec<usize>,
}

impl DihedralStructure {
    /// The structure of the family's own `D_m` (identity layout), `m ≥ 3`; `None` for `m < 3`
    /// (those groups are abelian).
    pub fn of_family(d: &Dihedral) -> Option<Self> {
        let m = d.rotations();
        (m >= 3).then(|| Self {
            m,
            element_at: (0..2 * m).collect(),
        })
    }

    /// Recognises a dihedral group of order `2m`, `m ≥ 3`, from its multiplication: looks for
    /// `r` of order `m` (generators first, then every element) and a reflection `f ∉ ⟨r⟩`.
    /// `None` if the group is not dihedral. Cost `O(n·m)` group products at most.
    pub fn recognise<G: FiniteGroup + ?Sized>(g: &G) -> Option<Self> {
        let n = g.order();
        if !n.is_multiple_of(2) || n < 6 {
            return None;
        }
        let m = n / 2;
        let gens = g.generator_indices();
        let r = gens
            .iter()
            .copied()
            .chain(0..n)
            .find(|&a| g.element_order(a) == m)?;
        let mut in_r = vec![false; n];
        let mut rot = Vec::with_capacity(m);
        let mut x = 0;
        for _ in 0..m {
            in_r[x] = true;
            rot.push(x);
            x = g.mul_idx(x, r);
        }
        let r_inv = g.inv_idx(r);
        let f = gens.iter().copied().chain(0..n).find(|&a| {
            !in_r[a] && g.mul_idx(a, a) == 0 && g.mul_idx(g.mul_idx(a, r), a) == r_inv
        })?;
        let mut element_at = rot.clone();
        element_at.extend(rot.iter().map(|&x| g.mul_idx(f, x)));
        Some(Self { m, element_at })
    }

    /// The number of rotations `m`.
    pub fn rotations(&self) -> usize {
        self.m
    }

    /// The element index of `f^a r^b` at position `a·m + b`.
    pub fn element_at(&self) -> &[usize] {
        &self.element_at
    }

    /// Whether position `p` is element index `p` for every `p`.
    pub fn is_identity_layout(&self) -> bool {
        self.element_at.iter().enumerate().all(|(p, &a)| p == a)
    }

    /// The number of one-dimensional irreps: 2 for odd `m`, 4 for even `m`.
    pub fn linear_count(&self) -> usize {
        if self.m.is_multiple_of(2) {
            4
        } else {
            2
        }
    }

    /// The number of two-dimensional irreps, `⌈m/2⌉ − 1`.
    pub fn planar_count(&self) -> usize {
        self.m.div_ceil(2) - 1
    }

    /// The degrees in layout order: the linear characters, then the planar irreps.
    pub fn dims(&self) -> Vec<usize> {
        let mut dims = vec![1; self.linear_count()];
        dims.extend(std::iter::repeat_n(2, self.planar_count()));
        dims
    }

    /// The closed-form irreps, all of real type and real orthogonal: the trivial character,
    /// the sign `f^a r^b ↦ (−1)^a`, for even `m` also `(−1)^b` and `(−1)^{a+b}`, then for
    /// `k = 1..⌈m/2⌉−1` the planar `ρ_k(f^a r^b) = F^a R(2πkb/m)` with `F = diag(1, −1)` and
    /// `R(θ)` the rotation by `θ`.
    pub fn irreps(&self) -> Irreps {
        let m = self.m;
        let n = 2 * m;
        let mut irreps = Vec::new();
        let linear: [fn(usize, usize) -> f64; 4] = [
            |_, _| 1.0,
            |a, _| if a == 0 { 1.0 } else { -1.0 },
            |_, b| if b % 2 == 0 { 1.0 } else { -1.0 },
            |a, b| if (a + b) % 2 == 0 { 1.0 } else { -1.0 },
        ];
        for chi in linear.iter().take(self.linear_count()) {
            let mut data = vec![Complex64::default(); n];
            for p in 0..n {
                data[self.element_at[p]] = Complex64::new(chi(p / m, p % m), 0.0);
            }
            irreps.push(Irrep::new(Representation::from_flat(1, data), FsType::Real));
        }
        for k in 1..=self.planar_count() {
            let mut mats = vec![DMatrix::<Complex64>::zeros(2, 2); n];
            for p in 0..n {
                let (a, b) = (p / m, p % m);
                let theta = TAU * ((k * b) % m) as f64 / m as f64;
                let (s, c) = theta.sin_cos();
                let sign = if a == 0 { 1.0 } else { -1.0 };
                mats[self.element_at[p]] = DMatrix::from_row_slice(
                    2,
                    2,
                    &[c, -s, sign * s, sign * c].map(|v| Complex64::new(v, 0.0)),
                );
            }
            irreps.push(Irrep::new(
                Representation::from_matrices(2, &mats),
                FsType::Real,
            ));
        }
        Irreps::from_parts(irreps, IrrepConstruction::Dihedral)
    }
}
