//! What a group declares about its own structure, for the algorithms that specialise on it.

use super::{DirectProduct, PermutationGroup};

/// The structure a group declares ([`super::FiniteGroup::structure`]), in its own index
/// order: the one query by which the Fourier planner finds separable products and the layers'
/// lowering finds the cyclic and dihedral axes of a grid. A group's name is for people and is
/// never parsed back; this is what code asks instead.
///
/// Wrappers that keep the inner group's indices ([`super::AnyGroup`],
/// [`super::CachedGroup`]) pass the inner group's answer on; every other group says
/// [`Structure::Opaque`] unless its family declares more.
///
/// # Example
/// ```
/// use gm_algebra::group::{parse_group, Structure};
/// use gm_algebra::FiniteGroup;
/// let g = parse_group("C4xD3").unwrap();
/// let Structure::DirectProduct(p) = g.structure() else { panic!("a product") };
/// assert!(matches!(p.factors()[0].structure(), Structure::Cyclic(4)));
/// assert!(matches!(p.factors()[1].structure(), Structure::Dihedral(3)));
/// assert!(matches!(parse_group("S3").unwrap().structure(), Structure::Opaque));
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Structure<'a> {
    /// `Z_n` indexed as [`super::Cyclic`]: `r^k` at index `k`.
    Cyclic(usize),
    /// `D_n` (order `2n`) indexed as [`super::Dihedral`]: `f^a r^b` at `a·n + b`.
    Dihedral(usize),
    /// The direct product of [`DirectProduct::factors`], indexed mixed-radix, last factor
    /// fastest.
    DirectProduct(&'a DirectProduct),
    /// Translations of a `height × width` torus extended by a point group `P` of order
    /// `points`, `(Z_height × Z_width) ⋊ P`, translations first: element
    /// `(y·width + x)·points + p` is the translation by `(y, x)` times the point element of
    /// index `p`, and translations add coordinate-wise. [`super::Wallpaper`] declares it, and
    /// a [`super::SemidirectProduct`] whose normal factor is `Z_w` or `Z_h × Z_w`.
    TranslationGrid {
        /// Rows of the torus (1 for a one-dimensional grid).
        height: usize,
        /// Columns of the torus.
        width: usize,
        /// `|P|`.
        points: usize,
    },
    /// A group of permutations of points, indexed as the [`PermutationGroup`]: the Fourier
    /// planner builds its stabiliser chain ([`super::SubgroupChain::stabiliser_chain`]) for
    /// the chain FFT.
    Permutation(&'a PermutationGroup),
    /// Nothing declared.
    Opaque,
}
