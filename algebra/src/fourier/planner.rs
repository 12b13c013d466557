//! The Fourier planner: picks, builds and caches a transform per group.

use super::{
    numerical_irreps, AbelianFft, AbelianStructure, DenseFourier, DihedralFft, DihedralStructure,
    FourierTransform, Irreps, NaiveFourier, SeparableFourier, DENSE_LIMIT,
};
use crate::group::DirectProduct;
use crate::{FiniteGroup, Result};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// A cached entry: the irreps (generic groups) and/or the plan.
#[derive(Default)]
struct Entry {
    irreps: Option<Arc<Irreps>>,
    plan: Option<Arc<dyn FourierTransform>>,
}

/// Plans group Fourier transforms once and hands out shared plans (the rustfft pattern).
///
/// Recipes, first match wins: an abelian group (recognised from its multiplication and
/// decomposed into cyclic factors) → [`AbelianFft`] (rustfft, multi-dimensional); a dihedral
/// group of order `2m`, `m ≥ 3` → [`DihedralFft`]; any other group → its
/// [`numerical_irreps`] with a [`DenseFourier`] plan up to [`DENSE_LIMIT`] and the
/// [`NaiveFourier`] sums above. Plans and irreps are cached per group, keyed by the group's
/// order, generators and the right-multiplication by each generator (which determine the
/// whole multiplication on indices).
///
/// # Example
/// ```
/// use gm_algebra::fourier::{FourierPlanner, FourierTransform};
/// use gm_algebra::group::{Cyclic, Dihedral};
/// let planner = FourierPlanner::new();
/// assert_eq!(planner.plan(&Cyclic::new(8).unwrap()).unwrap().algorithm(), "abelian-fft");
/// let p = planner.plan(&Dihedral::new(5).unwrap()).unwrap();
/// assert_eq!(p.algorithm(), "dihedral-fft");
/// assert_eq!(p.layout().dims(), &[1, 1, 2, 2]);
/// ```
#[derive(Default)]
pub struct FourierPlanner {
    cache: Mutex<HashMap<Vec<u32>, Entry>>,
}

impl FourierPlanner {
    /// An empty planner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The process-wide planner behind [`super::plan`] and [`super::irreps`].
    pub fn global() -> &'static FourierPlanner {
        static GLOBAL: LazyLock<FourierPlanner> = LazyLock::new(FourierPlanner::new);
        &GLOBAL
    }

    /// The cache key: order, generators, and `a·s` for every element `a` and generator `s`.
    fn key<G: FiniteGroup + ?Sized>(g: &G) -> Vec<u32> {
        let n = g.order();
        let gens = g.generator_indices();
        let mut key = Vec::with_capacity(2 + gens.len() * (n + 1));
        key.push(n as u32);
        key.push(gens.len() as u32);
        key.extend(gens.iter().map(|&s| s as u32));
        for &s in &gens {
            key.extend((0..n).map(|a| g.mul_idx(a, s) as u32));
        }
        key
    }

    /// The fast plan for a structured group, if one applies.
    fn structured_plan<G: FiniteGroup + ?Sized>(g: &G) -> Option<Arc<dyn FourierTransform>> {
        if g.is_abelian() {
            let s = AbelianStructure::new(g).expect("the group is abelian");
            return Some(Arc::new(AbelianFft::new(s)));
        }
        DihedralStructure::recognise(g).map(|s| Arc::new(DihedralFft::new(s)) as _)
    }

    /// The plan for `g` (built on first request, then shared).
    ///
    /// # Errors
    /// Those of [`numerical_irreps`] for a group without a closed form.
    pub fn plan<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<Arc<dyn FourierTransform>> {
        let key = Self::key(g);
        if let Some(p) = self.lock().get(&key).and_then(|e| e.plan.clone()) {
            return Ok(p);
        }
        let plan = match Self::structured_plan(g) {
            Some(p) => p,
            None => {
                let irreps = self.irreps_keyed(g, &key)?;
                if g.order() <= DENSE_LIMIT {
                    Arc::new(DenseFourier::new(irreps)?) as Arc<dyn FourierTransform>
                } else {
                    Arc::new(NaiveFourier::new(irreps))
                }
            }
        };
        self.lock().entry(key).or_default().plan = Some(Arc::clone(&plan));
        Ok(plan)
    }

    /// The separable plan of a direct product (a [`SeparableFourier`] over the first factor and
    /// the product of the others, each factor planned by [`FourierPlanner::plan`]); an abelian
    /// product gets its multi-dimensional FFT instead.
    ///
    /// # Errors
    /// Those of [`FourierPlanner::plan`] for a factor.
    pub fn plan_direct_product(&self, g: &DirectProduct) -> Result<Arc<dyn FourierTransform>> {
        let factors = g.factors();
        if factors.len() == 1 || g.is_abelian() {
            return self.plan(g);
        }
        let left = self.plan(&factors[0])?;
        let right = if factors.len() == 2 {
            self.plan(&factors[1])?
        } else {
            self.plan_direct_product(&DirectProduct::new(factors[1..].to_vec())?)?
        };
        Ok(Arc::new(SeparableFourier::new(g.clone(), left, right)?))
    }

    /// A complete set of irreps of `g`, in the layout of its plan: closed forms for abelian
    /// and dihedral groups, [`numerical_irreps`] otherwise. Cached.
    ///
    /// # Errors
    /// Those of [`numerical_irreps`].
    pub fn irreps<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<Arc<Irreps>> {
        let key = Self::key(g);
        self.irreps_keyed(g, &key)
    }

    fn irreps_keyed<G: FiniteGroup + ?Sized>(&self, g: &G, key: &[u32]) -> Result<Arc<Irreps>> {
        if let Some(e) = self.lock().get(key) {
            if let Some(i) = &e.irreps {
                return Ok(Arc::clone(i));
            }
            if let Some(p) = &e.plan {
                return Ok(p.irreps());
            }
        }
        let irreps = match Self::structured_plan(g) {
            Some(p) => {
                let irreps = p.irreps();
                self.lock().entry(key.to_vec()).or_default().plan = Some(p);
                return Ok(irreps);
            }
            None => Arc::new(numerical_irreps(g)?),
        };
        self.lock().entry(key.to_vec()).or_default().irreps = Some(Arc::clone(&irreps));
        Ok(irreps)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u32>, Entry>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}
