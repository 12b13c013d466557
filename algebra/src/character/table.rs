//! The exact character table: values as cyclotomic integers, checked by the orthogonality
//! relations, with Frobenius–Schur indicators and a GAP-like text layout.

use crate::cyclotomic::Cyclotomic;
use crate::fourier::FsType;
use crate::group::ConjugacyClasses;
use crate::{Error, Result};
use num_complex::Complex64;
use std::fmt::Write;

/// The character table of a finite group: row `i` is the irreducible character `χ_i`, column
/// `k` the class `C_k` of [`ConjugacyClasses`] (so column 0 is the identity, and `χ_i(1)` is
/// the degree). Rows are sorted by degree; the trivial character is row 0.
///
/// # Example
/// ```
/// use gm_algebra::character::CharacterTable;
/// use gm_algebra::group::{Alternating, ConjugacyClasses};
/// let a5 = Alternating::new(5).unwrap();
/// let t = CharacterTable::compute(&a5, &ConjugacyClasses::compute(&a5)).unwrap();
/// assert_eq!(t.degrees(), vec![1, 3, 3, 4, 5]);
/// assert!(t.display_gap("A5").contains("-E(5)^2-E(5)^3"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CharacterTable {
    order: usize,
    class_sizes: Vec<usize>,
    element_orders: Vec<usize>,
    values: Vec<Vec<Cyclotomic>>,
    fs_types: Vec<FsType>,
}

impl CharacterTable {
    /// Assembles a table from exact rows, sorting them (degree, then values, trivial first)
    /// and computing Frobenius–Schur indicators `ν(χ) = (1/n) Σ_k |C_k| χ(z_k²)` with the
    /// squares' classes `squares[k]`. When `check` is set the orthogonality relations are
    /// verified first.
    ///
    /// # Errors
    /// [`Error::CharacterTableCheck`] naming the violated relation and its residual.
    pub(crate) fn assemble(
        classes: &ConjugacyClasses,
        squares: &[usize],
        mut values: Vec<Vec<Cyclotomic>>,
        check: bool,
    ) -> Result<Self> {
        let order: usize = classes.sizes().iter().sum();
        let class_sizes = classes.sizes();
        // Degree increasing, then values decreasing (so the trivial character leads).
        let key = |row: &[Cyclotomic]| -> (i64, Vec<(i64, i64)>) {
            let values = row
                .iter()
                .map(|v| {
                    let z = v.to_complex();
                    (-(z.re * 1e9).round() as i64, -(z.im * 1e9).round() as i64)
                })
                .collect();
            (row[0].as_integer().unwrap_or(0), values)
        };
        values.sort_by_cached_key(|row| key(row));
        let complex: Vec<Vec<Complex64>> = values
            .iter()
            .map(|row| row.iter().map(Cyclotomic::to_complex).collect())
            .collect();
        if check {
            check_orthogonality(order, &class_sizes, &complex)?;
        }
        let fs_types = complex
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let nu: Complex64 = squares
                    .iter()
                    .zip(&class_sizes)
                    .map(|(&sq, &size)| row[sq] * size as f64)
                    .sum::<Complex64>()
                    / order as f64;
                let rounded = nu.re.round();
                if (nu - rounded).norm() > 1e-6 || rounded.abs() > 1.0 {
                    return Err(Error::CharacterTableCheck {
                        relation: format!("Frobenius–Schur indicator of χ_{i}"),
                        residual: (nu - rounded).norm(),
                    });
                }
                Ok(FsType::from_indicator(rounded))
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            order,
            class_sizes,
            element_orders: (0..classes.count())
                .map(|k| classes.element_order(k))
                .collect(),
            values,
            fs_types,
        })
    }

    /// The group's order.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The exact values: `values()[i][k] = χ_i(C_k)`.
    pub fn values(&self) -> &[Vec<Cyclotomic>] {
        &self.values
    }

    /// The values as complex numbers.
    pub fn complex_values(&self) -> Vec<Vec<Complex64>> {
        self.values
            .iter()
            .map(|row| row.iter().map(Cyclotomic::to_complex).collect())
            .collect()
    }

    /// The degrees `χ_i(1)`, in row order.
    pub fn degrees(&self) -> Vec<usize> {
        self.values
            .iter()
            .map(|row| row[0].as_integer().expect("degrees are integers") as usize)
            .collect()
    }

    /// The Frobenius–Schur types, in row order.
    pub fn fs_types(&self) -> &[FsType] {
        &self.fs_types
    }

    /// The class sizes, in column order.
    pub fn class_sizes(&self) -> &[usize] {
        &self.class_sizes
    }

    /// The centraliser orders `|C_G(z_k)| = n / |C_k|`, in column order.
    pub fn centralizer_orders(&self) -> Vec<usize> {
        self.class_sizes.iter().map(|&s| self.order / s).collect()
    }

    /// GAP-style class names: the element order and a letter per class of that order
    /// (`1a 2a 2b 3a …`), in column order.
    pub fn class_names(&self) -> Vec<String> {
        let mut seen = std::collections::HashMap::new();
        self.element_orders
            .iter()
            .map(|&o| {
                let k: &mut usize = seen.entry(o).or_default();
                let name = format!("{o}{}", letters(*k).to_lowercase());
                *k += 1;
                name
            })
            .collect()
    }

    /// The table in GAP's `Display` layout: the centraliser orders by prime (`.` for 0),
    /// the class names, one row `X.i` per character with `.` for 0, irrational values named
    /// `A`, `B`, … (`-A` its negative, `/A` its complex conjugate) and defined below in
    /// `E(n)` notation.
    pub fn display_gap(&self, name: &str) -> String {
        let mut irrationals: Vec<Cyclotomic> = Vec::new();
        let mut cell = |v: &Cyclotomic| -> String {
            if let Some(k) = v.as_integer() {
                return if k == 0 { ".".into() } else { k.to_string() };
            }
            for (i, a) in irrationals.iter().enumerate() {
                if v == a {
                    return letters(i);
                }
                if *v == -a {
                    return format!("-{}", letters(i));
                }
                if *v == a.conj() {
                    return format!("/{}", letters(i));
                }
            }
            irrationals.push(v.clone());
            letters(irrationals.len() - 1)
        };
        let cells: Vec<Vec<String>> = self
            .values
            .iter()
            .map(|row| row.iter().map(&mut cell).collect())
            .collect();
        let names = self.class_names();
        let width = cells
            .iter()
            .flatten()
            .chain(&names)
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(1)
            + 1;
        let label_width = format!("X.{}", self.values.len()).len() + 1;
        let mut out = format!("{name}\n\n");
        let centralizers = self.centralizer_orders();
        for q in crate::primes::prime_factors(self.order as u64)
            .into_iter()
            .map(|q| q as usize)
        {
            let _ = write!(out, "{:>label_width$}", q);
            for &c in &centralizers {
                let mut e = 0;
                let mut m = c;
                while m % q == 0 {
                    m /= q;
                    e += 1;
                }
                let s = if e == 0 { ".".into() } else { e.to_string() };
                let _ = write!(out, "{s:>width$}");
            }
            out.push('\n');
        }
        let _ = write!(out, "\n{:label_width$}", "");
        for n in &names {
            let _ = write!(out, "{n:>width$}");
        }
        out.push_str("\n\n");
        for (i, row) in cells.iter().enumerate() {
            let _ = write!(out, "{:<label_width$}", format!("X.{}", i + 1));
            for c in row {
                let _ = write!(out, "{c:>width$}");
            }
            out.push('\n');
        }
        if !irrationals.is_empty() {
            out.push('\n');
            for (i, a) in irrationals.iter().enumerate() {
                let _ = writeln!(out, "{} = {a}", letters(i));
            }
        }
        out
    }
}

/// `A, B, …, Z, AA, AB, …` for `0, 1, …`.
fn letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// The two orthogonality relations, numerically, with tolerance `10⁻⁹ · n`:
/// rows `Σ_k |C_k| χ_i(z_k) conj χ_j(z_k) = n δ_ij` and columns
/// `Σ_i χ_i(z_k) conj χ_i(z_l) = |C_G(z_k)| δ_kl`; the table must be square.
///
/// # Errors
/// [`Error::CharacterTableCheck`] with the first violated relation and its residual.
pub fn check_orthogonality(order: usize, sizes: &[usize], table: &[Vec<Complex64>]) -> Result<()> {
    let r = sizes.len();
    let fail = |relation: String, residual: f64| Error::CharacterTableCheck { relation, residual };
    if table.len() != r || table.iter().any(|row| row.len() != r) {
        return Err(fail(
            format!("square table: {} rows for {r} classes", table.len()),
            f64::INFINITY,
        ));
    }
    let tol = 1e-9 * order as f64;
    for i in 0..r {
        for j in i..r {
            let s: Complex64 = (0..r)
                .map(|k| table[i][k] * table[j][k].conj() * sizes[k] as f64)
                .sum();
            let want = if i == j { order as f64 } else { 0.0 };
            let residual = (s - want).norm();
            if residual > tol {
                return Err(fail(format!("row orthogonality ⟨χ_{i}, χ_{j}⟩"), residual));
            }
        }
    }
    for k in 0..r {
        for l in k..r {
            let s: Complex64 = (0..r).map(|i| table[i][k] * table[i][l].conj()).sum();
            let want = if k == l {
                (order / sizes[k]) as f64
            } else {
                0.0
            };
            let residual = (s - want).norm();
            if residual > tol {
                return Err(fail(
                    format!("column orthogonality of classes {k}, {l}"),
                    residual,
                ));
            }
        }
    }
    Ok(())
}
