//! The semidirect product `N ⋊_φ H` of two groups under an action `φ: H → Aut(N)`.

use super::{AnyGroup, FiniteGroup, Structure};
use crate::{Error, Result};

/// The (outer) semidirect product `N ⋊_φ H`, an index-native [`FiniteGroup`].
///
/// Elements are pairs `(n, h)` with product `(n₁,h₁)(n₂,h₂) = (n₁·φ(h₁)(n₂), h₁h₂)` and
/// inverse `(n,h)⁻¹ = (φ(h⁻¹)(n⁻¹), h⁻¹)`. Dense index: **`n·|H| + h`** (N-major, `H`
/// fastest — the direct-product convention with `N` the first factor, so a trivial action
/// gives exactly [`super::DirectProduct`] `N × H`). The action is tabulated once
/// (`|H|·|N|` entries). Generators: those of `N` and of `H`, embedded.
///
/// # Example
/// ```
/// use gm_algebra::group::{AnyGroup, Cyclic, SemidirectProduct};
/// use gm_algebra::FiniteGroup;
/// // C7 ⋊ C3 with the generator of C3 acting as x ↦ 2x (2³ ≡ 1 mod 7): order 21, non-abelian.
/// let g = SemidirectProduct::new(
///     AnyGroup::new(Cyclic::new(7).unwrap()),
///     AnyGroup::new(Cyclic::new(3).unwrap()),
///     |h, n| n * 2usize.pow(h as u32) % 7,
/// ).unwrap();
/// assert_eq!(g.order(), 21);
/// assert!(!g.is_abelian());
/// ```
#[derive(Debug, Clone)]
pub struct SemidirectProduct {
    normal: AnyGroup,
    acting: AnyGroup,
    /// `action[h·|N| + n] = φ(h)(n)`.
    action: Vec<u32>,
}

impl SemidirectProduct {
    /// `N ⋊_φ H` where `action(h, n)` is the index of `φ(g_h)(g_n)` in `N`.
    ///
    /// Checked: every `φ(h)` maps `N` bijectively into `N` and is a homomorphism
    /// (`φ(h)(a·s) = φ(h)(a)·φ(h)(s)` for all `a` and generators `s` — enough by induction),
    /// `φ(e) = id`, and `φ(h·t) = φ(h)∘φ(t)` for all `h` and generators `t` of `H`, on the
    /// generators of `N`. Cost `O(|H|·|N|·#gens)` evaluations.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the first failing check and its elements, or when
    /// the order overflows or exceeds `u32` indexing.
    pub fn new(
        normal: AnyGroup,
        acting: AnyGroup,
        action: impl Fn(usize, usize) -> usize,
    ) -> Result<Self> {
        let invalid = |reason: String| Error::InvalidParameter {
            family: "semidirect product".into(),
            reason,
        };
        let (nn, nh) = (normal.order(), acting.order());
        if nn.checked_mul(nh).is_none() || nn > u32::MAX as usize {
            return Err(invalid("the order is too large".into()));
        }
        let mut table = Vec::with_capacity(nn * nh);
        for h in 0..nh {
            let mut hit = vec![false; nn];
            for n in 0..nn {
                let m = action(h, n);
                if m >= nn {
                    return Err(invalid(format!(
                        "φ({})({}) = index {m} is outside N (order {nn})",
                        acting.label(h),
                        normal.label(n)
                    )));
                }
                if std::mem::replace(&mut hit[m], true) {
                    return Err(invalid(format!(
                        "φ({}) is not a bijection: two elements map to {}",
                        acting.label(h),
                        normal.label(m)
                    )));
                }
                table.push(m as u32);
            }
        }
        let phi = |h: usize, n: usize| table[h * nn + n] as usize;
        let n_gens = normal.generator_indices();
        for h in 0..nh {
            for a in 0..nn {
                for &s in &n_gens {
                    let lhs = phi(h, normal.mul_idx(a, s));
                    let rhs = normal.mul_idx(phi(h, a), phi(h, s));
                    if lhs != rhs {
                        return Err(invalid(format!(
                            "φ({}) is not a homomorphism of N: φ(h)({}·{}) ≠ φ(h)({})·φ(h)({})",
                            acting.label(h),
                            normal.label(a),
                            normal.label(s),
                            normal.label(a),
                            normal.label(s)
                        )));
                    }
                }
            }
        }
        if let Some(&s) = n_gens.iter().find(|&&s| phi(0, s) != s) {
            return Err(invalid(format!(
                "φ(e) is not the identity: it moves {}",
                normal.label(s)
            )));
        }
        for h in 0..nh {
            for &t in &acting.generator_indices() {
                let ht = acting.mul_idx(h, t);
                if let Some(&s) = n_gens.iter().find(|&&s| phi(ht, s) != phi(h, phi(t, s))) {
                    return Err(invalid(format!(
                        "φ is not a homomorphism: φ({}·{})({}) ≠ φ({})(φ({})({}))",
                        acting.label(h),
                        acting.label(t),
                        normal.label(s),
                        acting.label(h),
                        acting.label(t),
                        normal.label(s)
                    )));
                }
            }
        }
        Ok(Self {
            normal,
            acting,
            action: table,
        })
    }

    /// The normal subgroup `N`.
    pub fn normal(&self) -> &AnyGroup {
        &self.normal
    }

    /// The acting group `H`.
    pub fn acting(&self) -> &AnyGroup {
        &self.acting
    }

    /// The pair `(n, h)` of element `index`.
    pub fn components(&self, index: usize) -> (usize, usize) {
        let nh = self.acting.order();
        (index / nh, index % nh)
    }

    /// The dense index `n·|H| + h` of the pair `(n, h)`.
    ///
    /// # Panics
    /// When `n` or `h` is out of range.
    pub fn index_of(&self, n: usize, h: usize) -> usize {
        assert!(
            n < self.normal.order() && h < self.acting.order(),
            "component out of range"
        );
        n * self.acting.order() + h
    }

    fn act(&self, h: usize, n: usize) -> usize {
        self.action[h * self.normal.order() + n] as usize
    }
}

impl FiniteGroup for SemidirectProduct {
    fn order(&self) -> usize {
        self.normal.order() * self.acting.order()
    }
    fn mul_idx(&self, a: usize, b: usize) -> usize {
        let (n1, h1) = self.components(a);
        let (n2, h2) = self.components(b);
        let n = self.normal.mul_idx(n1, self.act(h1, n2));
        n * self.acting.order() + self.acting.mul_idx(h1, h2)
    }
    fn inv_idx(&self, a: usize) -> usize {
        let (n, h) = self.components(a);
        let hi = self.acting.inv_idx(h);
        self.act(hi, self.normal.inv_idx(n)) * self.acting.order() + hi
    }
    fn generator_indices(&self) -> Vec<usize> {
        let nh = self.acting.order();
        let mut gens: Vec<usize> = self
            .normal
            .generator_indices()
            .iter()
            .map(|&s| s * nh)
            .collect();
        gens.extend(self.acting.generator_indices());
        gens
    }
    fn label(&self, a: usize) -> String {
        let (n, h) = self.components(a);
        format!("({}, {})", self.normal.label(n), self.acting.label(h))
    }
    fn name(&self) -> String {
        format!("{}⋊{}", self.normal.name(), self.acting.name())
    }
    /// [`Structure::TranslationGrid`] when the normal factor declares itself `Z_w` or
    /// `Z_h × Z_w` (its index is then the grid position `y·w + x`), [`Structure::Opaque`]
    /// otherwise.
    fn structure(&self) -> Structure<'_> {
        let cyclic = |g: &AnyGroup| match g.structure() {
            Structure::Cyclic(n) => Some(n),
            _ => None,
        };
        let grid = match self.normal.structure() {
            Structure::Cyclic(w) => Some((1, w)),
            Structure::DirectProduct(p) => match p.factors() {
                [a, b] => cyclic(a).zip(cyclic(b)),
                _ => None,
            },
            _ => None,
        };
        match grid {
            Some((height, width)) => Structure::TranslationGrid {
                height,
                width,
                points: self.acting.order(),
            },
            None => Structure::Opaque,
        }
    }
}
