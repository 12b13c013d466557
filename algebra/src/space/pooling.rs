//! Lifting functions on `G/H` to `G` (pull-back) and pooling functions on `G` to `G/H`.

use super::HomogeneousSpace;
use crate::group::FiniteGroup;
use crate::shape::check_length;
use crate::Result;

/// How [`HomogeneousSpace::pool`] combines the values of a function over a coset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pooling {
    /// The mean over the coset.
    Average,
    /// The maximum over the coset.
    Max,
}

impl<G: FiniteGroup> HomogeneousSpace<G> {
    /// Lifting (pull-back along `G → G/H`): `(Lφ)(g) = φ(gH)`, a function on `G` constant on
    /// each coset. Equivariant: `L(λ_X(u)φ) = λ_G(u)(Lφ)`.
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `phi.len() ≠ |X|`.
    ///
    /// # Example
    /// ```
    /// use gm_algebra::group::{Cyclic, Subgroup};
    /// use gm_algebra::space::{HomogeneousSpace, Pooling};
    /// let z6 = Cyclic::new(6).unwrap();
    /// let h = Subgroup::generated_by(&z6, &[3]).unwrap(); // {0, 3}
    /// let x = HomogeneousSpace::new(z6, &h).unwrap();
    /// let lifted = x.lift(&[1.0, 2.0, 3.0]).unwrap();
    /// assert_eq!(lifted, vec![1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
    /// assert_eq!(x.pool(&lifted, Pooling::Average).unwrap(), vec![1.0, 2.0, 3.0]);
    /// ```
    pub fn lift(&self, phi: &[f64]) -> Result<Vec<f64>> {
        check_length("function on G/H", self.num_points(), phi.len())?;
        Ok(self.cosets().labels().iter().map(|&x| phi[x]).collect())
    }

    /// Pooling over cosets: `(Pf)(x) = mean` (or `max`) of `f` over `g_x H`. Equivariant:
    /// `P(λ_G(u)f) = λ_X(u)(Pf)`; average pooling is a left inverse of [`Self::lift`].
    ///
    /// # Errors
    /// [`crate::Error::ShapeMismatch`] when `f.len() ≠ |G|`.
    pub fn pool(&self, f: &[f64], mode: Pooling) -> Result<Vec<f64>> {
        let labels = self.cosets().labels();
        check_length("function on G", labels.len(), f.len())?;
        let m = self.num_points();
        let pooled = match mode {
            Pooling::Average => {
                let mut sums = vec![0.0; m];
                for (&x, &v) in labels.iter().zip(f) {
                    sums[x] += v;
                }
                let size = self.cosets().subgroup_order() as f64;
                sums.into_iter().map(|s| s / size).collect()
            }
            Pooling::Max => {
                let mut maxima = vec![f64::NEG_INFINITY; m];
                for (&x, &v) in labels.iter().zip(f) {
                    maxima[x] = maxima[x].max(v);
                }
                maxima
            }
        };
        Ok(pooled)
    }
}
