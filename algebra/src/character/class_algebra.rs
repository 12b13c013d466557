//! The class algebra of a group from its class representatives: structure constants and
//! power maps, with `O(n)` memory (the class of each element) and no `n × n` table.

use crate::group::ConjugacyClasses;
use crate::FiniteGroup;

/// How many products a class matrix row asks of [`FiniteGroup::mul_idx_batch`] at once (a
/// fixed work space, whatever the class sizes).
const PRODUCT_BATCH: usize = 4096;

/// The class multiplication coefficients `a_{ijk}` for one `i`, as the `r × r` matrix
/// `M_i[j][k] = a_{ijk} = #{x ∈ C_i : x⁻¹ z_k ∈ C_j}`, `z_k` the representative of `C_k`.
///
/// These are the structure constants of the centre of the group algebra in the basis of class
/// sums (Burnside): `K_i K_j = Σ_k a_{ijk} K_k`. Cost: `r · |C_i|` group products.
///
/// # Example
/// ```
/// use gm_algebra::character::class_matrix;
/// use gm_algebra::group::{ConjugacyClasses, Symmetric};
/// let s3 = Symmetric::new(3).unwrap();
/// let cl = ConjugacyClasses::compute(&s3); // {e}, transpositions, 3-cycles
/// let m = class_matrix(&s3, &cl, 1);
/// // K_t · K_t = 3·K_e + 3·K_c: a_{t,t,e} = 3, a_{t,t,c} = 3.
/// assert_eq!((m[1][0], m[1][2]), (3, 3));
/// ```
pub fn class_matrix<G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &ConjugacyClasses,
    i: usize,
) -> Vec<Vec<u64>> {
    let all: Vec<usize> = (0..classes.count()).collect();
    class_matrix_rows(g, classes, i, &all)
}

/// The rows `j ∈ rows` of [`class_matrix`]`(g, classes, i)`, at `|C_i|` products per row.
///
/// Counting the triples `(y, z_j, w)` with `y ∈ C_i`, `w ∈ C_k`, `y z_j = w` in two ways gives
/// `|C_k| a_{ijk} = |C_j| · #{y ∈ C_i : y z_j ∈ C_k}`, so one pass over `C_i` with the fixed
/// representative `z_j` yields row `j` for every `k` at once.
///
/// # Example
/// ```
/// use gm_algebra::character::{class_matrix, class_matrix_rows};
/// use gm_algebra::group::{ConjugacyClasses, Symmetric};
/// let s4 = Symmetric::new(4).unwrap();
/// let cl = ConjugacyClasses::compute(&s4);
/// let full = class_matrix(&s4, &cl, 2);
/// assert_eq!(class_matrix_rows(&s4, &cl, 2, &[3, 1]), vec![full[3].clone(), full[1].clone()]);
/// ```
pub fn class_matrix_rows<G: FiniteGroup + ?Sized>(
    g: &G,
    classes: &ConjugacyClasses,
    i: usize,
    rows: &[usize],
) -> Vec<Vec<u64>> {
    let r = classes.count();
    let mut pairs = Vec::with_capacity(PRODUCT_BATCH);
    let mut products = vec![0; PRODUCT_BATCH];
    rows.iter()
        .map(|&j| {
            let z = classes.representative(j);
            let mut counts = vec![0u64; r];
            for members in classes.members(i).chunks(PRODUCT_BATCH) {
                pairs.clear();
                pairs.extend(members.iter().map(|&y| (y, z)));
                g.mul_idx_batch(&pairs, &mut products);
                for &p in &products[..members.len()] {
                    counts[classes.class_of(p)] += 1;
                }
            }
            let size_j = classes.size(j) as u64;
            counts
                .iter()
                .enumerate()
                .map(|(k, &c)| {
                    let size_k = classes.size(k) as u64;
                    debug_assert_eq!(c * size_j % size_k, 0, "|C_k| divides the count");
                    c * size_j / size_k
                })
                .collect()
        })
        .collect()
}

/// The power maps of every class: `power_maps(..)[k][s]` is the class of `z_k^s` for
/// `s = 0..ord(z_k)`. Cost: `Σ_k ord(z_k)` products.
///
/// # Example
/// ```
/// use gm_algebra::character::power_maps;
/// use gm_algebra::group::{ConjugacyClasses, Cyclic};
/// let c4 = Cyclic::new(4).unwrap();
/// let cl = ConjugacyClasses::compute(&c4);
/// let gen_class = cl.class_of(1);
/// assert_eq!(power_maps(&c4, &cl)[gen_class], vec![0, gen_class, cl.class_of(2), cl.class_of(3)]);
/// ```
pub fn power_maps<G: FiniteGroup + ?Sized>(g: &G, classes: &ConjugacyClasses) -> Vec<Vec<usize>> {
    (0..classes.count())
        .map(|k| {
            let z = classes.representative(k);
            let mut x = 0;
            (0..classes.element_order(k))
                .map(|_| {
                    let c = classes.class_of(x);
                    x = g.mul_idx(x, z);
                    c
                })
                .collect()
        })
        .collect()
}
