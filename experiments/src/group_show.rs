//! `gm group show SPEC [--json]`: order, generators, abelian-ness and conjugacy classes of a
//! group given by a spec (the grammar of `gm_algebra::group::parse_group`).
//!
//! The JSON form is stable:
//! `{"order": int, "abelian": bool, "generators": [str],
//!   "classes": [{"size": int, "element_order": int, "representative": str}],
//!   "irreps": [{"dim": int, "type": "real"|"complex"|"quaternionic"}],
//!   "character_table": [[[re, im], ...], ...]}` — character-table rows in the order of
//! "irreps", columns in the order of "classes". "irreps" and "character_table" are omitted
//! (and a note is printed in text mode) for groups of order above [`IRREP_ORDER_LIMIT`], where
//! the numerical irrep construction would take more than a few seconds.
use anyhow::Result;
use gm_algebra::fourier::{representation_summary, FsType};
use gm_algebra::group::{parse_group, ConjugacyClasses};
use gm_algebra::{Error, FiniteGroup};
use serde::Serialize;

/// The largest order for which `gm group show` computes irreps and the character table
/// (A_7, order 2,520, takes under a second on a 2-core machine; S_7, order 5,040, about 3 s).
pub const IRREP_ORDER_LIMIT: usize = 2520;

/// The documented JSON summary of a group.
#[derive(Debug, Serialize)]
pub struct GroupSummary {
    /// The number of elements.
    pub order: usize,
    /// Whether the group is abelian.
    pub abelian: bool,
    /// Labels of a generating set.
    pub generators: Vec<String>,
    /// The conjugacy classes, in `ConjugacyClasses`' order (the identity's class first).
    pub classes: Vec<ClassSummary>,
    /// The irreducible representations (degree and Frobenius–Schur type), when computable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irreps: Option<Vec<IrrepSummary>>,
    /// χ_ρ(class) as `[re, im]`: rows follow `irreps`, columns follow `classes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub character_table: Option<Vec<Vec<[f64; 2]>>>,
}

/// One irreducible representation in [`GroupSummary`].
#[derive(Debug, Serialize)]
pub struct IrrepSummary {
    /// The degree `d_ρ`.
    pub dim: usize,
    /// The Frobenius–Schur type: "real", "complex" or "quaternionic".
    #[serde(rename = "type")]
    pub kind: FsType,
}

/// One conjugacy class in [`GroupSummary`].
#[derive(Debug, Serialize)]
pub struct ClassSummary {
    /// The number of elements in the class.
    pub size: usize,
    /// The order of each element of the class.
    pub element_order: usize,
    /// The label of a representative.
    pub representative: String,
}

/// Computes the summary of the group named by `spec`.
pub fn summarise(spec: &str) -> Result<GroupSummary> {
    let group = parse_group(spec)?;
    let classes = ConjugacyClasses::compute(&group);
    let summary = if group.order() <= IRREP_ORDER_LIMIT {
        representation_summary(&group)
    } else {
        Err(Error::TooLarge {
            order: group.order(),
            operation: "gm group show's irreps".into(),
            limit: IRREP_ORDER_LIMIT,
        })
    };
    let (irreps, character_table) = match summary {
        Ok(r) => (
            Some(
                r.dims
                    .iter()
                    .zip(&r.types)
                    .map(|(&dim, &kind)| IrrepSummary { dim, kind })
                    .collect(),
            ),
            Some(
                r.character_table
                    .iter()
                    .map(|row| row.iter().map(|z| [z.re, z.im]).collect())
                    .collect(),
            ),
        ),
        Err(Error::TooLarge { .. }) => (None, None),
        Err(e) => return Err(e.into()),
    };
    Ok(GroupSummary {
        order: group.order(),
        abelian: group.is_abelian(),
        generators: group
            .generator_indices()
            .into_iter()
            .map(|g| group.label(g))
            .collect(),
        classes: classes
            .infos()
            .into_iter()
            .map(|c| ClassSummary {
                size: c.size,
                element_order: c.element_order,
                representative: group.label(c.representative),
            })
            .collect(),
        irreps,
        character_table,
    })
}

/// Prints the summary of `spec` as JSON or as readable text.
pub fn run(spec: &str, json: bool) -> Result<()> {
    let s = summarise(spec)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(());
    }
    println!(
        "group {spec}: order {}, {}",
        s.order,
        if s.abelian { "abelian" } else { "non-abelian" }
    );
    println!("generators: {}", s.generators.join(", "));
    println!("{} conjugacy classes:", s.classes.len());
    println!("{:>8} {:>6}  representative", "size", "order");
    for c in &s.classes {
        println!("{:>8} {:>6}  {}", c.size, c.element_order, c.representative);
    }
    match &s.irreps {
        Some(irreps) => {
            let dims: Vec<String> = irreps.iter().map(|r| r.dim.to_string()).collect();
            println!("{} irreps, degrees {}", irreps.len(), dims.join(", "));
        }
        None => println!("irreps: not computed above order {IRREP_ORDER_LIMIT}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_the_documented_fields() {
        let v = serde_json::to_value(summarise("D6").unwrap()).unwrap();
        assert_eq!(v["order"], 12);
        assert_eq!(v["abelian"], false);
        assert_eq!(v["generators"].as_array().unwrap().len(), 2);
        let classes = v["classes"].as_array().unwrap();
        assert_eq!(classes.len(), 6);
        assert_eq!(classes[0]["size"], 1);
        assert_eq!(classes[0]["element_order"], 1);
        assert_eq!(classes[0]["representative"], "e");
        let total: u64 = classes.iter().map(|c| c["size"].as_u64().unwrap()).sum();
        assert_eq!(total, 12);
        // D6 has four linear characters and two of degree 2, all of real type.
        let irreps = v["irreps"].as_array().unwrap();
        let mut dims: Vec<u64> = irreps.iter().map(|r| r["dim"].as_u64().unwrap()).collect();
        dims.sort();
        assert_eq!(dims, [1, 1, 1, 1, 2, 2]);
        assert!(irreps.iter().all(|r| r["type"] == "real"));
        let table = v["character_table"].as_array().unwrap();
        assert_eq!(table.len(), 6);
        for (row, irrep) in table.iter().zip(irreps) {
            let row = row.as_array().unwrap();
            assert_eq!(row.len(), 6);
            // χ(e) = d, as [re, im].
            assert_eq!(
                row[0][0].as_f64().unwrap().round() as u64,
                irrep["dim"].as_u64().unwrap()
            );
            assert!(row[0][1].as_f64().unwrap().abs() < 1e-9);
        }
    }

    #[test]
    fn permutation_group_of_order_ten_thousand() {
        // S_7 × C_2 (order 10,080) as a permutation group: 15 · 2 classes.
        let s = summarise("perm:(1,2,3,4,5,6,7);(1,2);(8,9)").unwrap();
        assert_eq!(s.order, 10_080);
        assert_eq!(s.classes.len(), 30);
        assert!(!s.abelian);
        assert!(s.irreps.is_none() && s.character_table.is_none());
    }

    #[test]
    fn malformed_spec_is_an_error() {
        let err = summarise("D6x").unwrap_err().to_string();
        assert!(err.contains("D6x"), "{err}");
    }
}
