//! The reference GM-CNN's index tables, rebuilt the way its code builds them (kiryteo/GM-CNN:
//! `utils.py`, `gmcnn/gm_convolution/gmconv.py`, `gmcnn/gm_pooling/pool_utils.py` and
//! `gmpool.py`), transcribed into Rust as an oracle that shares nothing with `gm_nn::lowering`:
//!
//! - group elements are the reference's element classes, with its `product`, `inverse` and
//!   string forms (`"3 (mod 8)"`, `"r^2"`, `"f^1 * r^2"`), listed as `generate_elements` does;
//! - a group matrix is a matrix of *strings* `str(e_k⁻¹·e_j)`, and the matrix of a product of
//!   two axes is the entry-wise string concatenation of the Kronecker product;
//! - the neighbourhood is built by string concatenation of one-axis neighbourhoods;
//! - the convolution's table is `np.where(group_matrix.T == element)[1]` for each
//!   neighbourhood element; GMPool's table is `kron_prod_strings.index(coset_element)`.

use std::fmt;

/// The reference's two axis families (its `group` strings `'cyclic'` and `'dihedral'`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefGroup {
    Cyclic,
    Dihedral,
}

/// An element of the reference's `CyclicGroupElement` or `DihedralElement` class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefElement {
    /// `k (mod n)`.
    Cyclic { k: i64, n: i64 },
    /// `f^f * r^r` in `D_n`.
    Dihedral { r: i64, f: i64, n: i64 },
}

impl RefElement {
    /// The constructor `CyclicGroupElement(k, N)`: `k % N` with Python's non-negative `%`.
    pub fn cyclic(k: i64, n: i64) -> Self {
        RefElement::Cyclic {
            k: k.rem_euclid(n),
            n,
        }
    }

    /// The constructor `DihedralElement(r, f, n)`: `r % n`, `f % 2`.
    pub fn dihedral(r: i64, f: i64, n: i64) -> Self {
        RefElement::Dihedral {
            r: r.rem_euclid(n),
            f: f.rem_euclid(2),
            n,
        }
    }

    /// The reference's `product(self, other)`.
    pub fn product(&self, other: &Self) -> Self {
        match (*self, *other) {
            (RefElement::Cyclic { k, n }, RefElement::Cyclic { k: k2, .. }) => {
                Self::cyclic(k + k2, n)
            }
            (RefElement::Dihedral { r, f, n }, RefElement::Dihedral { r: r2, f: f2, .. }) => {
                if f2 == 0 {
                    Self::dihedral(r + r2, f, n)
                } else {
                    Self::dihedral(n - r + r2, 1 - f, n)
                }
            }
            _ => panic!("product of elements of different families"),
        }
    }

    /// The reference's `inverse(self)`.
    pub fn inverse(&self) -> Self {
        match *self {
            RefElement::Cyclic { k, n } => Self::cyclic(n - k, n),
            RefElement::Dihedral { r, f, n } => {
                if f == 0 {
                    Self::dihedral(-r, 0, n)
                } else {
                    Self::dihedral(r, 1, n)
                }
            }
        }
    }
}

impl fmt::Display for RefElement {
    /// The reference's `__str__`, the key of every table lookup.
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            RefElement::Cyclic { k, n } => write!(out, "{k} (mod {n})"),
            RefElement::Dihedral { r, f, .. } if f != 0 => write!(out, "f^{f} * r^{r}"),
            RefElement::Dihedral { r, .. } => write!(out, "r^{r}"),
        }
    }
}

/// `generate_elements(group, order)`: `k = 0..n` (cyclic); the rotations `r^0..r^{n−1}`,
/// then the flips `f·r^0..f·r^{n−1}` (dihedral).
pub fn generate_elements(group: RefGroup, n: i64) -> Vec<RefElement> {
    match group {
        RefGroup::Cyclic => (0..n).map(|k| RefElement::cyclic(k, n)).collect(),
        RefGroup::Dihedral => (0..2)
            .flat_map(|f| (0..n).map(move |r| RefElement::dihedral(r, f, n)))
            .collect(),
    }
}

/// `get_group_matrix(elements)`: `mat[k][j] = str(e_k⁻¹ · e_j)`.
pub fn get_group_matrix(elements: &[RefElement]) -> Vec<Vec<String>> {
    let inverses: Vec<RefElement> = elements.iter().map(RefElement::inverse).collect();
    inverses
        .iter()
        .map(|ik| {
            elements
                .iter()
                .map(|ej| ik.product(ej).to_string())
                .collect()
        })
        .collect()
}

/// `kronecker_product(M1, M2)`: row `(k1, k2)`, column `(j1, j2)` (first factor slowest)
/// holds `M1[k1][j1] + M2[k2][j2]`, concatenated strings.
pub fn kronecker_product(m1: &[Vec<String>], m2: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut result = Vec::new();
    for row1 in m1 {
        for row2 in m2 {
            let mut row = Vec::new();
            for e1 in row1 {
                for e2 in row2 {
                    row.push(format!("{e1}{e2}"));
                }
            }
            result.push(row);
        }
    }
    result
}

/// `generate_neighborhood(group, n, t)`: `str(r^i)` for `i = −t..t` (cyclic); `str(r^i)`,
/// `str(f·r^i)` alternately for `i = −t..t` (dihedral).
pub fn generate_neighborhood(group: RefGroup, n: i64, t: i64) -> Vec<String> {
    let mut neighborhood = Vec::new();
    for i in -t..=t {
        match group {
            RefGroup::Cyclic => neighborhood.push(RefElement::cyclic(i, n).to_string()),
            RefGroup::Dihedral => {
                neighborhood.push(RefElement::dihedral(i, 0, n).to_string());
                neighborhood.push(RefElement::dihedral(i, 1, n).to_string());
            }
        }
    }
    neighborhood
}

/// `get_nbrhood_elements(nbrhood)`: `[e1 + e2 for e1 in nbrhood for e2 in nbrhood]`.
pub fn get_nbrhood_elements(nbrhood: &[String]) -> Vec<String> {
    nbrhood
        .iter()
        .flat_map(|e1| nbrhood.iter().map(move |e2| format!("{e1}{e2}")))
        .collect()
}

/// `np.where(group_matrix.T == element)[1]`: the column indices of the matches of the
/// transposed matrix, in row-major order of the transpose (row `j` of `Mᵀ` is column `j` of
/// `M`).
pub fn where_transposed_equal(group_matrix: &[Vec<String>], element: &str) -> Vec<usize> {
    let size = group_matrix.len();
    let mut columns = Vec::new();
    for j in 0..size {
        for (k, row) in group_matrix.iter().enumerate() {
            if row[j] == element {
                columns.push(k);
            }
        }
    }
    columns
}

/// The group matrix of `axis × axis` as the reference's GM-CNN models build it
/// (`kronecker_product(M1, M1)` of `get_group_matrix(generate_elements(group, n))`).
pub fn product_group_matrix(group: RefGroup, n: i64) -> Vec<Vec<String>> {
    let m1 = get_group_matrix(&generate_elements(group, n));
    kronecker_product(&m1, &m1)
}

/// `GMConvBase.index_matrix` for `axis × axis` with radius `t`: one row per neighbourhood
/// element, `index[k][a]`.
pub fn gmconv_index_matrix(group: RefGroup, n: i64, t: i64) -> Vec<Vec<usize>> {
    let group_matrix = product_group_matrix(group, n);
    let nbrhood = generate_neighborhood(group, n, t);
    get_nbrhood_elements(&nbrhood)
        .iter()
        .map(|element| where_transposed_equal(&group_matrix, element))
        .collect()
}

/// `GMPool.indices` for `axis × axis` (`pool_utils.py`): for each of the four neighbourhood
/// elements `w`, the positions in `kron_prod_strings` of `h·w` over the subgroup `h`.
pub fn gmpool_indices(group: RefGroup, n: i64) -> Vec<Vec<usize>> {
    let elements = generate_elements(group, n);
    let kron_elements: Vec<(RefElement, RefElement)> = elements
        .iter()
        .flat_map(|&a| elements.iter().map(move |&b| (a, b)))
        .collect();
    let kron_prod_strings: Vec<String> = kron_elements
        .iter()
        .map(|(a, b)| format!("{a}{b}"))
        .collect();
    // get_nbr_elements(kron_elements, 4)
    let rest = &kron_elements[1..];
    let mut nbr_elements = vec![kron_elements[0]];
    for idx in 0..3 {
        nbr_elements.push(if idx % 2 == 0 {
            rest[idx / 2]
        } else {
            rest[rest.len() - (idx / 2 + 1)]
        });
    }
    let subgroup: Vec<(RefElement, RefElement)> = match group {
        // get_subgroup: gen1 = (0, i), gen2 = (i, 0) for even i; e1 outer, e2 inner.
        RefGroup::Cyclic => {
            let evens: Vec<i64> = (0..n).filter(|i| i % 2 == 0).collect();
            let gen1: Vec<(RefElement, RefElement)> = evens
                .iter()
                .map(|&i| (RefElement::cyclic(0, n), RefElement::cyclic(i, n)))
                .collect();
            let gen2: Vec<(RefElement, RefElement)> = evens
                .iter()
                .map(|&i| (RefElement::cyclic(i, n), RefElement::cyclic(0, n)))
                .collect();
            gen1.iter()
                .flat_map(|e1| {
                    gen2.iter()
                        .map(move |e2| (e1.0.product(&e2.0), e1.1.product(&e2.1)))
                })
                .collect()
        }
        // get_dihedral_subgroup: product(generators, repeat=2) with generators the even
        // rotations, then the even flips.
        RefGroup::Dihedral => {
            let generators: Vec<RefElement> = (0..2)
                .flat_map(|f| {
                    (0..n)
                        .filter(|i| i % 2 == 0)
                        .map(move |i| RefElement::dihedral(i, f, n))
                })
                .collect();
            generators
                .iter()
                .flat_map(|&a| generators.iter().map(move |&b| (a, b)))
                .collect()
        }
    };
    nbr_elements
        .iter()
        .map(|w| {
            subgroup
                .iter()
                .map(|h| {
                    let coset_element = format!("{}{}", h.0.product(&w.0), h.1.product(&w.1));
                    kron_prod_strings
                        .iter()
                        .position(|s| *s == coset_element)
                        .expect("the coset element is in the product's list")
                })
                .collect()
        })
        .collect()
}
