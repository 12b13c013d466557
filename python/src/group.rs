//! A finite group from a spec string, with its tables, classes, characters, irreps, Fourier
//! transform and GM products as plain Python values (the Python side makes NumPy arrays).

use crate::value_error;
use gm_algebra::character::CharacterTable;
use gm_algebra::fourier::{self, FourierTransform};
use gm_algebra::group::{parse_group, ConjugacyClasses, Subgroup, TABLE_LIMIT};
use gm_algebra::matrix::GroupMatrix;
use gm_algebra::num_complex::Complex64;
use gm_algebra::space::HomogeneousSpace;
use gm_algebra::{AnyGroup, FiniteGroup};
use pyo3::prelude::*;
use std::sync::Arc;

/// A finite group `G` with elements `0..n` (0 the identity), parsed from a spec string
/// (`C8`, `D4xD4`, `S4`, `p4(8)`, ...: gm-algebra's `group::spec`).
#[pyclass(module = "gm_torch._native", frozen)]
pub struct Group {
    pub(crate) group: AnyGroup,
    spec: String,
}

impl Group {
    /// The group `group` written `spec`.
    pub(crate) fn from_parts(group: AnyGroup, spec: String) -> Self {
        Self { group, spec }
    }

    fn plan(&self) -> PyResult<Arc<dyn FourierTransform>> {
        fourier::plan(&self.group).map_err(value_error)
    }

    fn check_len(&self, what: &str, len: usize) -> PyResult<()> {
        let n = self.group.order();
        if len == n {
            Ok(())
        } else {
            Err(value_error(format!(
                "{what} has {len} values but {} has order {n}: give one value per element",
                self.spec
            )))
        }
    }
}

#[pymethods]
impl Group {
    /// Parses `spec`; a `ValueError` says where a malformed spec goes wrong.
    #[new]
    fn new(spec: &str) -> PyResult<Self> {
        Ok(Self::from_parts(
            parse_group(spec).map_err(value_error)?,
            spec.to_string(),
        ))
    }

    /// The spec string.
    #[getter]
    pub(crate) fn spec(&self) -> String {
        self.spec.clone()
    }

    /// The group's name.
    #[getter]
    fn name(&self) -> String {
        self.group.name()
    }

    /// The order `n`.
    #[getter]
    fn order(&self) -> usize {
        self.group.order()
    }

    /// A readable label of every element.
    fn labels(&self) -> Vec<String> {
        (0..self.group.order())
            .map(|a| self.group.label(a))
            .collect()
    }

    /// The indices of a generating set.
    fn generators(&self) -> Vec<usize> {
        self.group.generator_indices()
    }

    /// `table[a][b]`, the index of `g_a·g_b` (groups of order up to 4096).
    fn multiplication_table(&self) -> PyResult<Vec<Vec<usize>>> {
        let n = self.group.order();
        if n > TABLE_LIMIT {
            return Err(value_error(format!(
                "{} has order {n}: the multiplication table is offered up to order {TABLE_LIMIT}; \
                 use products of single elements (mul) instead",
                self.spec
            )));
        }
        Ok((0..n)
            .map(|a| (0..n).map(|b| self.group.mul_idx(a, b)).collect())
            .collect())
    }

    /// The index of `g_a·g_b`.
    fn mul(&self, a: usize, b: usize) -> PyResult<usize> {
        let n = self.group.order();
        match (a < n, b < n) {
            (true, true) => Ok(self.group.mul_idx(a, b)),
            _ => Err(value_error(format!(
                "element index out of range: the elements of {} are 0..{n}",
                self.spec
            ))),
        }
    }

    /// The index of every element's inverse.
    fn inverses(&self) -> Vec<usize> {
        (0..self.group.order())
            .map(|a| self.group.inv_idx(a))
            .collect()
    }

    /// The conjugacy classes, each as the list of its elements (the identity's first).
    fn conjugacy_classes(&self) -> PyResult<Vec<Vec<usize>>> {
        let classes = ConjugacyClasses::try_compute(&self.group).map_err(value_error)?;
        Ok((0..classes.count())
            .map(|c| classes.members(c).to_vec())
            .collect())
    }

    /// The character table: `(classes, values)` with `values[i][c] = χ_i(class c)` for the
    /// classes as listed (those of `conjugacy_classes`).
    #[allow(clippy::type_complexity)]
    fn character_table(&self) -> PyResult<(Vec<Vec<usize>>, Vec<Vec<Complex64>>)> {
        let classes = ConjugacyClasses::try_compute(&self.group).map_err(value_error)?;
        let table = CharacterTable::compute(&self.group, &classes).map_err(value_error)?;
        let members = (0..classes.count())
            .map(|c| classes.members(c).to_vec())
            .collect();
        Ok((members, table.complex_values()))
    }

    /// The irreps the Fourier transform uses, in its order: per irrep `(d, values)` with
    /// `values` the `n` matrices `ρ(g_a)`, `d×d` row-major, one after another.
    fn irreps(&self) -> PyResult<Vec<(usize, Vec<Complex64>)>> {
        let irreps = self.plan()?.irreps();
        let n = self.group.order();
        Ok(irreps
            .irreps()
            .iter()
            .map(|irrep| {
                let rep = irrep.rep();
                let values = (0..n)
                    .flat_map(|a| {
                        let m = rep.matrix(a);
                        let d = m.nrows();
                        (0..d * d).map(move |i| m[(i / d, i % d)])
                    })
                    .collect();
                (irrep.dim(), values)
            })
            .collect())
    }

    /// The Fourier transform `f̂(ρ) = Σ_g f(g)·ρ(g)`, the blocks `f̂(ρ_k)` row-major one after
    /// another (`n` values), in the order of `irreps`.
    fn fourier(&self, f: Vec<Complex64>) -> PyResult<Vec<Complex64>> {
        self.check_len("the function", f.len())?;
        self.plan()?.forward(&f).map_err(value_error)
    }

    /// The inverse, `f(g) = (1/n)·Σ_ρ d_ρ·tr(ρ(g)*·f̂(ρ))`.
    fn inverse_fourier(&self, coefficients: Vec<Complex64>) -> PyResult<Vec<Complex64>> {
        self.check_len("the coefficients", coefficients.len())?;
        self.plan()?.inverse(&coefficients).map_err(value_error)
    }

    /// The group matrix `M_f[a][b] = f(g_a⁻¹·g_b)`.
    fn group_matrix(&self, f: Vec<f64>) -> PyResult<Vec<Vec<f64>>> {
        self.check_len("the kernel", f.len())?;
        let m = GroupMatrix::dense(self.group.clone(), f)
            .map_err(value_error)?
            .to_dense();
        Ok(m.row_iter().map(|r| r.iter().copied().collect()).collect())
    }

    /// The kernel of the product `M_f·M_h = M_{f∗h}`: the convolution
    /// `(f∗h)(g) = Σ_k f(k)·h(k⁻¹g)`.
    fn gm_product(&self, f: Vec<f64>, h: Vec<f64>) -> PyResult<Vec<f64>> {
        self.check_len("the left kernel", f.len())?;
        self.check_len("the right kernel", h.len())?;
        let dense = |k| GroupMatrix::dense(self.group.clone(), k).map_err(value_error);
        let product = dense(f)?.product(&dense(h)?).map_err(value_error)?;
        Ok(product.kernel().to_vec())
    }

    /// The left cosets `gH` of the subgroup `H` generated by `generators`: the label
    /// `0..|G/H|` of every element's coset (the input of coset pooling and lifting).
    fn coset_labels(&self, generators: Vec<usize>) -> PyResult<Vec<usize>> {
        let subgroup = Subgroup::generated_by(&self.group, &generators).map_err(value_error)?;
        let space = HomogeneousSpace::new(self.group.clone(), &subgroup).map_err(value_error)?;
        Ok(space.cosets().labels().to_vec())
    }

    fn __repr__(&self) -> String {
        format!("Group('{}')", self.spec)
    }
}
