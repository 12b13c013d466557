//! Transitive permutation actions of a group, given by the generators' images, and the
//! permutation modules `C^N` they define: the small modules irreps are cut out of
//! ([`super::ModuleIrreps`]).

use super::isotypic::Module;
use crate::budget::{self, bytes_for};
use crate::group::{ConjugacyClasses, Cosets, Permutation, SchreierTree, Subgroup};
use crate::{Error, FiniteGroup, Result};
use num_complex::Complex64;
use std::collections::HashMap;

/// A transitive action of a group on the points `0..N`: `images[j][x] = s_j · x` for the
/// generators `s_j` (in the order of the [`SchreierTree`] it is used with), with a short
/// description for reports (e.g. "conjugation on class 3 (396 points)").
///
/// # Example
/// ```
/// use gm_algebra::fourier::PermutationAction;
/// // The cyclic group of order 3 acting on three points.
/// let a = PermutationAction::new(vec![vec![1, 2, 0]], "rotation").unwrap();
/// assert_eq!(a.points(), 3);
/// assert!(PermutationAction::new(vec![vec![1, 0, 2]], "not transitive").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermutationAction {
    images: Vec<Vec<u32>>,
    description: String,
}

impl PermutationAction {
    /// The action with the given generator images.
    ///
    /// # Errors
    /// [`Error::InvalidPermutation`] when an image is not a permutation of `0..N` (all of the
    /// same `N ≥ 1`); [`Error::InvalidParameter`] when the action is not transitive.
    pub fn new(images: Vec<Vec<u32>>, description: impl Into<String>) -> Result<Self> {
        let points = images.first().map_or(1, Vec::len);
        for (j, image) in images.iter().enumerate() {
            let mut seen = vec![false; points];
            let ok = image.len() == points
                && image.iter().all(|&x| {
                    (x as usize) < points && !std::mem::replace(&mut seen[x as usize], true)
                });
            if !ok || points == 0 {
                return Err(Error::InvalidPermutation {
                    reason: format!(
                        "image {j} of the action is not a permutation of 0..{points} (length {})",
                        image.len()
                    ),
                });
            }
        }
        let action = Self {
            images,
            description: description.into(),
        };
        let reached = action.orbit_size();
        if reached != points {
            return Err(Error::InvalidParameter {
                family: "permutation action".into(),
                reason: format!(
                    "not transitive: the orbit of point 0 has {reached} of {points} points"
                ),
            });
        }
        Ok(action)
    }

    /// The number of points `N`.
    pub fn points(&self) -> usize {
        self.images.first().map_or(1, Vec::len)
    }

    /// The generator images, `images()[j][x] = s_j · x`.
    pub fn images(&self) -> &[Vec<u32>] {
        &self.images
    }

    /// What the points are.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The action by conjugation `x ↦ s x s⁻¹` on class `c` (points: the class members in
    /// increasing order); its point stabiliser is a centraliser.
    ///
    /// # Panics
    /// If `c` is not a class of `classes`, or `classes` are not the classes of `g`.
    pub fn on_class<G: FiniteGroup + ?Sized>(
        g: &G,
        classes: &ConjugacyClasses,
        c: usize,
        generators: &[usize],
    ) -> Self {
        let members = classes.members(c);
        let images = generators
            .iter()
            .map(|&s| {
                let s_inv = g.inv_idx(s);
                members
                    .iter()
                    .map(|&x| {
                        let y = g.mul_idx(g.mul_idx(s, x), s_inv);
                        members.binary_search(&y).expect("classes are closed") as u32
                    })
                    .collect()
            })
            .collect();
        Self {
            images,
            description: format!("conjugation on class {c} ({} points)", members.len()),
        }
    }

    /// The action `s · xH = (s x)H` on the left cosets of `h` (the point of `x` is the
    /// number of its coset in [`Cosets`]); `h` trivial gives the regular action.
    ///
    /// # Errors
    /// Those of [`Cosets::left`].
    pub fn on_cosets<G: FiniteGroup + ?Sized>(
        g: &G,
        h: &Subgroup,
        generators: &[usize],
    ) -> Result<Self> {
        let cosets = Cosets::left(g, h)?;
        let images = generators
            .iter()
            .map(|&s| {
                cosets
                    .representatives()
                    .iter()
                    .map(|&x| cosets.coset_of(g.mul_idx(s, x)) as u32)
                    .collect()
            })
            .collect();
        Ok(Self {
            images,
            description: format!(
                "left cosets of a subgroup of order {} ({} points)",
                h.order(),
                cosets.count()
            ),
        })
    }

    /// For a group of permutations of `m` points with generators `generators` (in the
    /// tree's order), the action on the orbit of the `k`-tuple `(0, 1, …, k−1)` — ordered
    /// tuples of distinct points, or `k`-subsets when `ordered` is false — or `None` when
    /// `k > m` or the orbit has more than `max_points` points.
    pub fn on_tuples(
        generators: &[Permutation],
        k: usize,
        ordered: bool,
        max_points: usize,
    ) -> Option<Self> {
        let m = generators
            .iter()
            .map(Permutation::degree)
            .max()
            .unwrap_or(0);
        if k == 0 || k > m {
            return None;
        }
        let normal = |mut t: Vec<usize>| {
            if !ordered {
                t.sort_unstable();
            }
            t
        };
        let start: Vec<usize> = (0..k).collect();
        let mut index = HashMap::from([(start.clone(), 0u32)]);
        let mut tuples = vec![start];
        let mut images = vec![Vec::new(); generators.len()];
        let mut next = 0;
        while next < tuples.len() {
            for (s, image) in generators.iter().zip(images.iter_mut()) {
                let t = normal(tuples[next].iter().map(|&x| s.apply(x)).collect());
                let fresh = tuples.len() as u32;
                let id = *index.entry(t.clone()).or_insert(fresh);
                if id == fresh {
                    if tuples.len() == max_points {
                        return None;
                    }
                    tuples.push(t);
                }
                image.push(id);
            }
            next += 1;
        }
        let kind = if ordered { "ordered tuples" } else { "subsets" };
        Some(Self {
            images,
            description: format!("{k}-point {kind} ({} points)", tuples.len()),
        })
    }

    /// The actions every group offers, up to `max_points` points, smallest first:
    /// conjugation on each non-central class, and left cosets of the cyclic subgroup `⟨z_k⟩`
    /// of each class representative (the regular action, `⟨e⟩`, when `n ≤ max_points`).
    ///
    /// # Errors
    /// Those of [`Subgroup::generated_by`] and [`Cosets::left`] (not expected for a valid
    /// group).
    pub fn candidates<G: FiniteGroup + ?Sized>(
        g: &G,
        classes: &ConjugacyClasses,
        generators: &[usize],
        max_points: usize,
    ) -> Result<Vec<Self>> {
        let n = g.order();
        let mut out = Vec::new();
        for c in 0..classes.count() {
            if (2..=max_points).contains(&classes.size(c)) {
                out.push(Self::on_class(g, classes, c, generators));
            }
            if n / classes.element_order(c) <= max_points {
                let h = Subgroup::generated_by(g, &[classes.representative(c)])?;
                out.push(Self::on_cosets(g, &h, generators)?);
            }
        }
        out.sort_by_key(Self::points);
        Ok(out)
    }

    /// `point[a] = g_a · 0` for every element, along the tree (`a = s_j · p` gives
    /// `a · 0 = s_j · (p · 0)`).
    ///
    /// # Panics
    /// If the tree's generators are not this action's.
    pub(crate) fn base_point_images(&self, tree: &SchreierTree) -> Vec<u32> {
        assert_eq!(
            self.images.len(),
            tree.generators().len(),
            "one image per generator"
        );
        let mut point = vec![0u32; tree.order()];
        for &a in &tree.breadth_first()[1..] {
            let (p, j) = tree.parent(a as usize).expect("not the root");
            point[a as usize] = self.images[j][point[p] as usize];
        }
        point
    }

    /// The permutation of the points by the element whose word is `word` (see
    /// [`SchreierTree::word`]): `result[x] = g · x`.
    pub(crate) fn element_image(&self, word: &[usize]) -> Vec<u32> {
        (0..self.points() as u32)
            .map(|x| {
                word.iter()
                    .rev()
                    .fold(x, |y, &j| self.images[j][y as usize])
            })
            .collect()
    }

    /// The size of the orbit of point 0 under the generators.
    fn orbit_size(&self) -> usize {
        let mut seen = vec![false; self.points()];
        seen[0] = true;
        let mut stack = vec![0u32];
        let mut count = 1;
        while let Some(x) = stack.pop() {
            for image in &self.images {
                let y = image[x as usize];
                if !std::mem::replace(&mut seen[y as usize], true) {
                    count += 1;
                    stack.push(y);
                }
            }
        }
        count
    }
}

/// The permutation module `C^N` of an action, with `#{g ∈ C_k : g·0 = x}` counted per class
/// `k` and point `x` in one pass over the group: those counts are the class sums `K_k δ_0`
/// of the start vector `δ_0` (which generates the module), and `π(z_k)`, the number of fixed
/// points, is `N·#{g ∈ C_k : g·0 = 0} / |C_k|`.
pub(crate) struct PermutationModule<'a> {
    action: &'a PermutationAction,
    tree: &'a SchreierTree,
    counts: Vec<Vec<u32>>,
    character: Vec<Complex64>,
}

impl<'a> PermutationModule<'a> {
    /// Counts the action's points by class, along `tree`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when the action has not one image per generator of the tree;
    /// [`Error::OverBudget`] when the counts do not fit the memory budget.
    pub(crate) fn new<G: FiniteGroup + ?Sized>(
        g: &G,
        classes: &ConjugacyClasses,
        tree: &'a SchreierTree,
        action: &'a PermutationAction,
    ) -> Result<Self> {
        let (r, points) = (classes.count(), action.points());
        if action.images().len() != tree.generators().len() {
            return Err(Error::ShapeMismatch {
                what: format!("generator images of the action on {}", action.description()),
                expected: tree.generators().len(),
                got: action.images().len(),
            });
        }
        let needed =
            bytes_for(r, 4 * points as u64).and_then(|c| c.checked_add(bytes_for(g.order(), 4)?));
        budget::require(
            &format!("counting {} by class", action.description()),
            needed,
            "offer actions on fewer points",
        )?;
        let point = action.base_point_images(tree);
        let mut counts = vec![vec![0u32; points]; r];
        for (a, &x) in point.iter().enumerate() {
            counts[classes.class_of(a)][x as usize] += 1;
        }
        let character = counts
            .iter()
            .enumerate()
            .map(|(k, row)| {
                Complex64::from((points as u64 * u64::from(row[0]) / classes.size(k) as u64) as f64)
            })
            .collect();
        Ok(Self {
            action,
            tree,
            counts,
            character,
        })
    }
}

impl Module for PermutationModule<'_> {
    type Element = Vec<u32>;

    fn description(&self) -> &str {
        self.action.description()
    }

    fn dim(&self) -> usize {
        self.action.points()
    }

    fn character(&self) -> &[Complex64] {
        &self.character
    }

    fn start(&self) -> Vec<Complex64> {
        let mut delta = vec![Complex64::default(); self.dim()];
        delta[0] = Complex64::from(1.0);
        delta
    }

    fn class_sums(&self) -> Result<Vec<Vec<Complex64>>> {
        budget::require(
            &format!("the class sums of {}", self.description()),
            bytes_for(self.counts.len(), 16 * self.dim() as u64),
            "offer actions on fewer points",
        )?;
        Ok(self
            .counts
            .iter()
            .map(|row| row.iter().map(|&c| Complex64::from(f64::from(c))).collect())
            .collect())
    }

    fn apply_generator(&self, j: usize, v: &[Complex64]) -> Vec<Complex64> {
        permute(&self.action.images[j], v)
    }

    fn element(&self, a: usize) -> Vec<u32> {
        self.action.element_image(&self.tree.word(a))
    }

    fn apply(&self, element: &Vec<u32>, v: &[Complex64]) -> Vec<Complex64> {
        permute(element, v)
    }
}

/// `π(g) v` for the permutation `image` of `g`: `(π(g)v)[g·x] = v[x]`.
fn permute(image: &[u32], v: &[Complex64]) -> Vec<Complex64> {
    let mut out = vec![Complex64::default(); v.len()];
    for (&y, &vx) in image.iter().zip(v) {
        out[y as usize] = vx;
    }
    out
}
