//! The separable transform of a direct product: transform along each factor.

use super::product::{kronecker_irrep, product_type};
use super::transform::check_buffers;
use super::{kronecker_irreps, CoefficientLayout, FourierTransform, FsType, Irreps, PlanKind};
use crate::group::DirectProduct;
use crate::Result;
use nalgebra::{DMatrix, DMatrixView};
use num_complex::Complex64;
use std::sync::{Arc, OnceLock};

/// The transform of `G × H` (index `a·|H| + b`) in the Kronecker irreps `ρ ⊗ σ`
/// ([`kronecker_irreps`]): transform every row `f(a, ·)` with `H`'s plan, then every column of
/// the result with `G`'s plan; `f̂(ρ⊗σ)[(i,k),(j,l)] = Σ_{a,b} f(a,b) ρ(a)_{ij} σ(b)_{kl}` is then
/// entry `((ρ,i,j), (σ,k,l))`, which is moved into the product's block layout. Products of two
/// quaternionic irreps are of real type and stored in real form `V*(ρ⊗σ)V`, so their blocks
/// become `V* f̂ V`. The inverse runs backwards. Cost `n_H · T_G + n_G · T_H`.
///
/// # Example
/// ```
/// use gm_algebra::fourier::{plan, FourierTransform, NaiveFourier, SeparableFourier};
/// use gm_algebra::group::{Cyclic, Dihedral, DirectProduct};
/// use num_complex::Complex64;
/// let (d3, z4) = (Dihedral::new(3).unwrap(), Cyclic::new(4).unwrap());
/// let g = DirectProduct::pair(d3, z4).unwrap();
/// let sep = SeparableFourier::new(g, plan(&d3).unwrap(), plan(&z4).unwrap()).unwrap();
/// let f: Vec<Complex64> = (0..24).map(|k| Complex64::new(k as f64, 0.0)).collect();
/// let naive = NaiveFourier::new(sep.irreps());
/// let (a, b) = (sep.forward(&f).unwrap(), naive.forward(&f).unwrap());
/// assert!(a.iter().zip(&b).all(|(x, y)| (x - y).norm() < 1e-9));
/// ```
pub struct SeparableFourier {
    group: DirectProduct,
    left: Arc<dyn FourierTransform>,
    right: Arc<dyn FourierTransform>,
    layout: CoefficientLayout,
    /// For every product coefficient position, its position in the `(G-coeff, H-coeff)` array.
    source: Vec<usize>,
    /// `(offset, degree, V)` of the blocks stored in a changed (real) basis.
    changes: Vec<(usize, usize, DMatrix<Complex64>)>,
    irreps: OnceLock<Arc<Irreps>>,
}

impl std::fmt::Debug for SeparableFourier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SeparableFourier({} × {})",
            self.left.algorithm(),
            self.right.algorithm()
        )
    }
}

impl SeparableFourier {
    /// Combines plans of the two factors of `group` (`left` for the first factor, `right` for the
    /// product of the others, each of the matching order).
    ///
    /// # Errors
    /// Those of [`super::real_orthogonal_form`] for a product of two quaternionic irreps (not
    /// expected for valid irreps).
    ///
    /// # Panics
    /// If the plans' orders do not multiply to the group's order (a programming error).
    pub fn new(
        group: DirectProduct,
        left: Arc<dyn FourierTransform>,
        right: Arc<dyn FourierTransform>,
    ) -> Result<Self> {
        let (ll, rl) = (left.layout().clone(), right.layout().clone());
        assert_eq!(
            ll.order() * rl.order(),
            crate::FiniteGroup::order(&group),
            "factor orders"
        );
        let nr = rl.order();
        let mut dims = Vec::with_capacity(ll.len() * rl.len());
        let mut types = Vec::with_capacity(ll.len() * rl.len());
        let mut source = Vec::with_capacity(ll.order() * nr);
        let mut changes = Vec::new();
        for (p, &dl) in ll.dims().iter().enumerate() {
            for (q, &dr) in rl.dims().iter().enumerate() {
                let (tl, tr) = (ll.types()[p], rl.types()[q]);
                if tl == FsType::Quaternionic && tr == FsType::Quaternionic {
                    let (li, ri) = (left.irreps(), right.irreps());
                    let (_, v) = kronecker_irrep(&group, li.get(p), ri.get(q))?;
                    if let Some(v) = v {
                        changes.push((source.len(), dl * dr, v));
                    }
                }
                dims.push(dl * dr);
                types.push(product_type(tl, tr));
                for i in 0..dl {
                    for k in 0..dr {
                        for j in 0..dl {
                            for l in 0..dr {
                                let row = ll.offset(p) + i * dl + j;
                                let col = rl.offset(q) + k * dr + l;
                                source.push(row * nr + col);
                            }
                        }
                    }
                }
            }
        }
        Ok(Self {
            group,
            left,
            right,
            layout: CoefficientLayout::new(dims, types),
            source,
            changes,
            irreps: OnceLock::new(),
        })
    }

    /// `B ← V* B V` (`to_real`) or `B ← V B V*` on the changed blocks of a coefficient vector.
    fn change_bases(&self, coeffs: &mut [Complex64], to_real: bool) {
        for (off, d, v) in &self.changes {
            let block = &mut coeffs[*off..][..d * d];
            let b = DMatrixView::from_slice(block, *d, *d).transpose();
            let c = if to_real {
                v.adjoint() * b * v
            } else {
                v * b * v.adjoint()
            };
            for i in 0..*d {
                for j in 0..*d {
                    block[i * d + j] = c[(i, j)];
                }
            }
        }
    }

    /// Transforms every row (length `n_H`) with `right`, then every column with `left`.
    fn rows_then_columns(
        &self,
        buf: &mut [Complex64],
        col: &mut [Complex64],
        tmp: &mut [Complex64],
        scratch: &mut [Complex64],
        inverse: bool,
    ) -> Result<()> {
        let (nl, nr) = (self.left.len(), self.right.len());
        let run = |p: &Arc<dyn FourierTransform>,
                   i: &[Complex64],
                   o: &mut [Complex64],
                   s: &mut [Complex64]| {
            if inverse {
                p.inverse_with_scratch(i, o, s)
            } else {
                p.forward_with_scratch(i, o, s)
            }
        };
        for row in buf.chunks_exact_mut(nr) {
            tmp[..nr].copy_from_slice(row);
            run(&self.right, &tmp[..nr], row, scratch)?;
        }
        for c in 0..nr {
            for a in 0..nl {
                col[a] = buf[a * nr + c];
            }
            run(&self.left, &col[..nl], &mut tmp[..nl], scratch)?;
            for a in 0..nl {
                buf[a * nr + c] = tmp[a];
            }
        }
        Ok(())
    }

    fn buffers<'s>(&self, scratch: &'s mut [Complex64]) -> [&'s mut [Complex64]; 4] {
        let n = self.layout.order();
        let m = self.left.len().max(self.right.len());
        let (buf, rest) = scratch.split_at_mut(n);
        let (col, rest) = rest.split_at_mut(m);
        let (tmp, rest) = rest.split_at_mut(m);
        [buf, col, tmp, rest]
    }
}

impl FourierTransform for SeparableFourier {
    fn layout(&self) -> &CoefficientLayout {
        &self.layout
    }
    fn irreps(&self) -> Arc<Irreps> {
        Arc::clone(self.irreps.get_or_init(|| {
            Arc::new(
                kronecker_irreps(&self.group, &self.left.irreps(), &self.right.irreps())
                    .expect("Kronecker products of irreps have real forms when of real type"),
            )
        }))
    }
    fn kind(&self) -> PlanKind {
        PlanKind::Separable
    }
    fn scratch_len(&self) -> usize {
        let m = self.left.len().max(self.right.len());
        self.layout.order() + 2 * m + self.left.scratch_len().max(self.right.scratch_len())
    }
    fn forward_with_scratch(
        &self,
        input: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_buffers(
            self.layout.order(),
            input,
            output,
            scratch,
            self.scratch_len(),
        )?;
        let [buf, col, tmp, rest] = self.buffers(scratch);
        buf.copy_from_slice(input);
        self.rows_then_columns(buf, col, tmp, rest, false)?;
        for (o, &s) in output.iter_mut().zip(&self.source) {
            *o = buf[s];
        }
        self.change_bases(output, true);
        Ok(())
    }
    fn inverse_with_scratch(
        &self,
        coeffs: &[Complex64],
        output: &mut [Complex64],
        scratch: &mut [Complex64],
    ) -> Result<()> {
        check_buffers(
            self.layout.order(),
            coeffs,
            output,
            scratch,
            self.scratch_len(),
        )?;
        let [buf, col, tmp, rest] = self.buffers(scratch);
        output.copy_from_slice(coeffs);
        self.change_bases(output, false);
        for (&c, &s) in output.iter().zip(&self.source) {
            buf[s] = c;
        }
        self.rows_then_columns(buf, col, tmp, rest, true)?;
        output.copy_from_slice(buf);
        Ok(())
    }
}
