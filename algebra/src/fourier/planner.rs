//! The Fourier planner: picks, builds and caches a transform per group.

use super::{
    numerical_irreps, AbelianFft, AbelianStructure, ChainBasis, ChainFft, DenseFourier,
    DihedralFft, DihedralStructure, FourierTransform, Irreps, NaiveFourier, SeparableFourier,
    DENSE_LIMIT,
};
use crate::group::{DirectProduct, PermutationGroup, Structure, SubgroupChain};
use crate::{FiniteGroup, Result};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// A cached entry: the irreps (generic groups) and/or the plan. Invariant: when both are set,
/// they are the same irreps — the first irreps fixed for a key are final, so a group that
/// shares its multiplication with a recognised family (e.g. `S_4` as permutations and as
/// [`Symmetric`]) gets one consistent answer whichever was asked first.
#[derive(Default)]
struct Entry {
    irreps: Option<Arc<Irreps>>,
    plan: Option<Arc<dyn FourierTransform>>,
}

/// Plans group Fourier transforms once and hands out shared plans (the rustfft pattern).
///
/// Recipes, first match wins:
/// 1. an abelian group (recognised from its multiplication and decomposed into cyclic
///    factors) → [`AbelianFft`] (rustfft, multi-dimensional);
/// 2. a group that declares itself a direct product ([`FiniteGroup::structure`], seen through
///    `AnyGroup` and `CachedGroup`) → [`SeparableFourier`] over plans of its factors
///    ([`FourierPlanner::plan_direct_product`]);
/// 3. the fast transform a family offers for itself ([`FiniteGroup::fast_fourier`]):
///    `Symmetric` `S_n`, `n ≤ `[`super::YOUNG_IMAGES_DEGREE_LIMIT`] → [`super::SymmetricFft`]
///    (Clausen's chain FFT in Young's orthogonal form); `Dihedral` → [`DihedralFft`]; `Wallpaper`
///    `p4`/`p4m` → [`super::InducedFft`] (Mackey's induced irreps, 2-D FFTs over the
///    translations);
/// 4. a dihedral group of order `2m`, `m ≥ 3`, recognised from its multiplication →
///    [`DihedralFft`];
/// 5. a permutation group ([`Structure::Permutation`]) → [`ChainFft`] along its stabiliser
///    chain ([`SubgroupChain::stabiliser_chain`]) in [`ChainBasis::RealForm`] (the
///    [`numerical_irreps`]), when its [`ChainFft::operation_count`] is at most `n²/4` (wreath
///    products, for instance); otherwise the matrix plan over the same irreps (small groups
///    such as `S_4` or `A_5` given by permutations stay dense);
/// 6. any other group → [`numerical_irreps`].
///
/// Irreps without a fast transform get a [`DenseFourier`] plan up to [`DENSE_LIMIT`] and the
/// [`NaiveFourier`] sums above ([`FourierTransform::kind`] tells which). Plans and irreps are
/// cached per group, keyed by the group's order, generators and the right-multiplication by
/// each generator (which determine the whole multiplication on indices).
///
/// # Example
/// ```
/// use gm_algebra::fourier::{FourierPlanner, FourierTransform, PlanKind};
/// use gm_algebra::group::{parse_group, Cyclic, Dihedral};
/// let planner = FourierPlanner::new();
/// assert_eq!(planner.plan(&Cyclic::new(8).unwrap()).unwrap().algorithm(), "abelian-fft");
/// let p = planner.plan(&Dihedral::new(5).unwrap()).unwrap();
/// assert_eq!(p.algorithm(), "dihedral-fft");
/// assert_eq!(p.layout().dims(), &[1, 1, 2, 2]);
/// // families are recognised behind type erasure
/// let s4 = planner.plan(&parse_group("S4").unwrap()).unwrap();
/// assert_eq!(s4.kind(), PlanKind::ChainFft);
/// let product = planner.plan(&parse_group("C4xD3").unwrap()).unwrap();
/// assert_eq!(product.kind(), PlanKind::Separable);
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

    /// The plan for a structured group (recipes 1–5), if one applies.
    fn structured_plan<G: FiniteGroup + ?Sized>(
        &self,
        g: &G,
    ) -> Result<Option<Arc<dyn FourierTransform>>> {
        if g.is_abelian() {
            let s = AbelianStructure::new(g).expect("the group is abelian");
            return Ok(Some(Arc::new(AbelianFft::new(s))));
        }
        if let Structure::DirectProduct(p) = g.structure() {
            return self.plan_direct_product(p).map(Some);
        }
        if let Some(plan) = g.fast_fourier() {
            return plan.map(Some);
        }
        if let Some(s) = DihedralStructure::recognise(g) {
            return Ok(Some(Arc::new(DihedralFft::new(s))));
        }
        if let Structure::Permutation(p) = g.structure() {
            return permutation_plan(p).map(Some);
        }
        Ok(None)
    }

    /// The plan for `g` (built on first request, then shared).
    ///
    /// # Errors
    /// Those of [`numerical_irreps`] for a group without a closed form.
    pub fn plan<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<Arc<dyn FourierTransform>> {
        let key = Self::key(g);
        let known = self
            .lock()
            .get(&key)
            .map(|e| (e.plan.clone(), e.irreps.clone()));
        let plan = match known {
            Some((Some(p), _)) => return Ok(p),
            Some((None, Some(irreps))) => matrix_plan(irreps)?,
            _ => match self.structured_plan(g)? {
                Some(p) => p,
                None => matrix_plan(self.irreps_keyed(g, &key)?)?,
            },
        };
        self.store_plan(key, plan)
    }

    /// Caches `plan` under `key` unless a plan is already there (then returns that one); if
    /// other irreps were fixed for the key meanwhile, the plan is rebuilt on them.
    fn store_plan(
        &self,
        key: Vec<u32>,
        plan: Arc<dyn FourierTransform>,
    ) -> Result<Arc<dyn FourierTransform>> {
        let mut cache = self.lock();
        let e = cache.entry(key).or_default();
        if let Some(p) = &e.plan {
            return Ok(Arc::clone(p));
        }
        let plan = match &e.irreps {
            Some(i) if !Arc::ptr_eq(i, &plan.irreps()) => matrix_plan(Arc::clone(i))?,
            _ => plan,
        };
        e.plan = Some(Arc::clone(&plan));
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
        if factors.len() == 1 {
            return self.plan(&factors[0]);
        }
        if g.is_abelian() {
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

    /// A complete set of irreps of `g`, in the layout of its plan: the plan's closed forms
    /// where a recipe applies, [`numerical_irreps`] otherwise. Cached.
    ///
    /// # Errors
    /// [`crate::Error::OverBudget`] when the `n²` stored matrix entries do not fit in the memory
    /// budget; those of [`numerical_irreps`].
    pub fn irreps<G: FiniteGroup + ?Sized>(&self, g: &G) -> Result<Arc<Irreps>> {
        let key = Self::key(g);
        self.irreps_keyed(g, &key)
    }

    fn irreps_keyed<G: FiniteGroup + ?Sized>(&self, g: &G, key: &[u32]) -> Result<Arc<Irreps>> {
        let n = g.order();
        crate::budget::require(
            &format!("the irreps of {} with every matrix stored", g.name()),
            crate::budget::bytes_for(n, 16).and_then(|b| b.checked_mul(n as u64)),
            "transform with the group's plan (fourier::plan), which stores no matrix per element",
        )?;
        if let Some(e) = self.lock().get(key) {
            if let Some(i) = &e.irreps {
                return Ok(Arc::clone(i));
            }
            if let Some(p) = &e.plan {
                return Ok(p.irreps());
            }
        }
        if let Some(p) = self.structured_plan(g)? {
            return Ok(self.store_plan(key.to_vec(), p)?.irreps());
        }
        let irreps = Arc::new(numerical_irreps(g)?);
        let mut cache = self.lock();
        let e = cache.entry(key.to_vec()).or_default();
        Ok(match (&e.plan, &e.irreps) {
            (Some(p), _) => p.irreps(),
            (None, Some(i)) => Arc::clone(i),
            (None, None) => Arc::clone(e.irreps.insert(irreps)),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u32>, Entry>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The chain FFT of a permutation group along its stabiliser chain when it costs at most a
/// quarter of the dense transform's `n²` operations, else the matrix plan over its irreps. A
/// chain whose adapted irreps fail their checks ([`crate::Error::ChainAdaptation`], a
/// numerical failure) also gets the matrix plan: slower, never wrong.
///
/// # Errors
/// Those of [`ChainFft::new`] other than a failed adaptation; those of [`numerical_irreps`].
fn permutation_plan(g: &PermutationGroup) -> Result<Arc<dyn FourierTransform>> {
    let fft = match ChainFft::new(g, SubgroupChain::stabiliser_chain(g), ChainBasis::RealForm) {
        Err(crate::Error::ChainAdaptation { .. }) => {
            return matrix_plan(Arc::new(numerical_irreps(g)?))
        }
        built => built?,
    };
    let n = fft.len() as u64;
    if fft.operation_count() <= n * n / 4 {
        Ok(Arc::new(fft))
    } else {
        matrix_plan(fft.irreps())
    }
}

/// The matrix-based plan of a set of irreps: dense up to [`DENSE_LIMIT`], naive above.
pub(crate) fn matrix_plan(irreps: Arc<Irreps>) -> Result<Arc<dyn FourierTransform>> {
    Ok(if irreps.order() <= DENSE_LIMIT {
        Arc::new(DenseFourier::new(irreps)?)
    } else {
        Arc::new(NaiveFourier::new(irreps))
    })
}
