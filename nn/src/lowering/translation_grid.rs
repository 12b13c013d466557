//! Groups of translations of a torus extended by a point group, `G = (Z_H × Z_W) ⋊ P`, and
//! what a GM convolution on them becomes: `|P|²` circular 2-D convolutions.
//!
//! Write every element as `g = t·h` with `t` a translation and `h` one of the point
//! elements (translation zero). For a support element `s`, `h·s = t₀·h'` is again of that
//! form, and `g·s = (t + t₀)·h'` because the translations form an abelian normal subgroup
//! added coordinate-wise. So `y[o, t·h] = Σ_k w[o,k]·x[t + t₀(h, k), h'(h, k)]`: for each pair
//! of point elements `(h, h')` a periodic correlation over the torus, whose taps are the
//! `k` with `h·s_k ∈ torus·h'`. This is how G-CNNs run on cuDNN; a cyclic grid is the
//! case `|P| = 1`.

use super::Axis;
use gm_algebra::group::Structure;
use gm_algebra::{AnyGroup, FiniteGroup};

/// A group seen as `(Z_H × Z_W) ⋊ P`: every element's translation and point element,
/// found from the group's own multiplication and checked on the whole gather table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationGrid {
    /// `H`, the torus' rows (1 for a one-dimensional grid).
    pub height: usize,
    /// `W`, the torus' columns.
    pub width: usize,
    /// The point elements (translation zero), as element indices; the first is the identity.
    pub points: Vec<usize>,
    /// For every element `a`: `(y, x, p)` with `g_a = t(y, x)·g_{points[p]}`.
    pub coordinates: Vec<(usize, usize, usize)>,
    /// `taps[p][k]`: the signed offset `(dy, dx) ∈ (−H/2, H/2] × (−W/2, W/2]` of
    /// `g_{points[p]}·s_k` and its point element `q` (`h_p·s_k = t(dy, dx)·h_q`).
    pub taps: Vec<Vec<(i64, i64, usize)>>,
}

impl TranslationGrid {
    /// The decomposition of `group` when it declares one: a product of at most two cyclic
    /// or dihedral axes (`axes`; a dihedral axis `D_n` is `Z_n ⋊ Z_2`), or
    /// [`Structure::TranslationGrid`] (`p4`, `p4m`, semidirect products over a grid). `None`
    /// for any other group, or when the decomposition fails the check of
    /// [`TranslationGrid::is_covariant`] on `support` (it never does for the declared
    /// families: the check guards the index formulas).
    pub fn of(group: &AnyGroup, axes: Option<&[Axis]>, support: &[usize]) -> Option<Self> {
        let (height, width, translations, points) = match (axes, group.structure()) {
            (Some(axes), _) => from_axes(axes)?,
            (
                None,
                Structure::TranslationGrid {
                    height,
                    width,
                    points,
                },
            ) => {
                let translations = (0..height * width).map(|t| t * points).collect();
                (height, width, translations, (0..points).collect())
            }
            _ => return None,
        };
        let mut grid = Self::decompose(group, height, width, &translations, points)?;
        if !grid.is_covariant(group, support) {
            return None;
        }
        grid.taps = (0..grid.points.len())
            .map(|p| support.iter().map(|&s| grid.tap(group, p, s)).collect())
            .collect();
        Some(grid)
    }

    /// `|P|`.
    pub fn point_count(&self) -> usize {
        self.points.len()
    }

    /// Every element written as `t·h`: `translations[y·W + x]` is the element index of the
    /// translation by `(y, x)`. `None` if some element is not of that form.
    fn decompose(
        group: &AnyGroup,
        height: usize,
        width: usize,
        translations: &[usize],
        points: Vec<usize>,
    ) -> Option<Self> {
        let n = group.order();
        if height * width * points.len() != n || points.first() != Some(&0) {
            return None;
        }
        let mut position = vec![None; n];
        for (i, &t) in translations.iter().enumerate() {
            *position.get_mut(t)? = Some((i / width, i % width));
        }
        let inverses: Vec<usize> = points.iter().map(|&h| group.inv_idx(h)).collect();
        let coordinates = (0..n)
            .map(|a| {
                inverses.iter().enumerate().find_map(|(p, &h_inv)| {
                    position[group.mul_idx(a, h_inv)].map(|(y, x)| (y, x, p))
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            height,
            width,
            points,
            coordinates,
            taps: Vec::new(),
        })
    }

    /// Whether `g·s = (t + t₀)·h'` holds for every element `g = t·h` and support element `s`,
    /// where `h·s = t₀·h'`: the law the convolution form rests on.
    pub fn is_covariant(&self, group: &AnyGroup, support: &[usize]) -> bool {
        (0..group.order()).all(|a| {
            let (y, x, p) = self.coordinates[a];
            support.iter().all(|&s| {
                let (y0, x0, q) = self.coordinates[group.mul_idx(self.points[p], s)];
                let expected = ((y + y0) % self.height, (x + x0) % self.width, q);
                self.coordinates[group.mul_idx(a, s)] == expected
            })
        })
    }

    /// The half-sizes `(T_h, T_w)` of the box that holds every tap.
    pub fn box_half_sizes(&self) -> (usize, usize) {
        let half = |pick: fn(&(i64, i64, usize)) -> i64| {
            self.taps
                .iter()
                .flatten()
                .map(|t| pick(t).unsigned_abs() as usize)
                .max()
                .unwrap_or(0)
        };
        (half(|t| t.0), half(|t| t.1))
    }

    /// The number of kernel entries of the `|P|²`-block convolution:
    /// `|P|²·(2T_h+1)(2T_w+1)`, of which each row of blocks holds the `K` taps.
    pub fn box_taps(&self) -> usize {
        let (th, tw) = self.box_half_sizes();
        self.points.len() * self.points.len() * (2 * th + 1) * (2 * tw + 1)
    }

    /// The tap of support element `s` seen from point element `p`: the signed offset of
    /// `g_{points[p]}·s` and its point element.
    fn tap(&self, group: &AnyGroup, p: usize, s: usize) -> (i64, i64, usize) {
        let (y, x, q) = self.coordinates[group.mul_idx(self.points[p], s)];
        (signed(y, self.height), signed(x, self.width), q)
    }

    /// The grid position `(p·H + y)·W + x` of every element (translation-major within each
    /// point element's coset): where the convolution layout puts it.
    pub fn grid_positions(&self) -> Vec<usize> {
        self.coordinates
            .iter()
            .map(|&(y, x, p)| (p * self.height + y) * self.width + x)
            .collect()
    }

    /// Whether every element already sits at its [`grid_positions`](Self::grid_positions)
    /// (cyclic grids and products of cyclic axes): the convolution layout is then the element
    /// order and needs no reordering copy.
    pub fn is_grid_order(&self) -> bool {
        self.grid_positions()
            .iter()
            .enumerate()
            .all(|(a, &g)| a == g)
    }
}

/// `c` as a signed offset in `(−n/2, n/2]`.
fn signed(c: usize, n: usize) -> i64 {
    let (c, n) = (c as i64, n as i64);
    if 2 * c > n {
        c - n
    } else {
        c
    }
}

/// `(H, W, translations, points)` of a product of one or two axes in grid index order.
fn from_axes(axes: &[Axis]) -> Option<(usize, usize, Vec<usize>, Vec<usize>)> {
    // Per axis: its torus length, its translations (element index by coordinate) and points.
    let axis = |a: &Axis| match *a {
        Axis::Cyclic(n) => (n, (0..n).collect::<Vec<_>>(), vec![0]),
        Axis::Dihedral(n) => (n, (0..n).collect(), vec![0, n]),
    };
    let ((h, ty, py), (w, tx, px), inner) = match axes {
        [a] => ((1, vec![0], vec![0]), axis(a), a.order()),
        [a, b] => (axis(a), axis(b), b.order()),
        _ => return None,
    };
    let translations = ty
        .iter()
        .flat_map(|&u| tx.iter().map(move |&v| u * inner + v))
        .collect();
    let points = py
        .iter()
        .flat_map(|&u| px.iter().map(move |&v| u * inner + v))
        .collect();
    Some((h, w, translations, points))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lowering::detect_axes;
    use gm_algebra::group::parse_group;

    fn grid(spec: &str) -> Option<TranslationGrid> {
        let g = parse_group(spec).unwrap();
        let support: Vec<usize> = (0..g.order()).collect();
        TranslationGrid::of(&g, detect_axes(&g).as_deref(), &support)
    }

    #[test]
    fn declared_families_decompose_and_pass_the_covariance_check() {
        for (spec, h, w, p) in [
            ("C7", 1, 7, 1),
            ("C3xC5", 3, 5, 1),
            ("D5", 1, 5, 2),
            ("D3xD4", 3, 4, 4),
            ("C4xD3", 4, 3, 2),
            ("p4(3)", 3, 3, 4),
            ("p4m(2)", 2, 2, 8),
        ] {
            let g = grid(spec).unwrap_or_else(|| panic!("{spec} decomposes"));
            assert_eq!((g.height, g.width, g.point_count()), (h, w, p), "{spec}");
            let mut positions = g.grid_positions();
            positions.sort_unstable();
            assert!(
                positions.iter().copied().eq(0..h * w * p),
                "{spec}: a bijection"
            );
        }
    }

    #[test]
    fn groups_without_a_translation_grid_are_refused() {
        assert!(grid("S4").is_none());
        assert!(grid("C2xC3xC4").is_none());
    }

    #[test]
    fn a_wrong_decomposition_fails_the_covariance_check() {
        // D4 with the Klein four-group {e, r², f, f·r²} taken as a torus Z_4: every element
        // decomposes (times e or r), but r²·r² = e while 1 + 1 ≠ 0 mod 4.
        let g = parse_group("D4").unwrap();
        let support: Vec<usize> = (0..8).collect();
        let wrong = TranslationGrid::decompose(&g, 1, 4, &[0, 2, 4, 6], vec![0, 1])
            .expect("every element is a Klein element times e or r");
        assert!(!wrong.is_covariant(&g, &support));
    }
}
