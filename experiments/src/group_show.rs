//! `gm group show SPEC [--json]`: order, generators, abelian-ness and conjugacy classes of a
//! group given by a spec (the grammar of `gm_algebra::group::parse_group`).
//!
//! The JSON form is stable:
//! `{"order": int, "abelian": bool, "generators": [str],
//!   "classes": [{"size": int, "element_order": int, "representative": str}]}`.
use anyhow::Result;
use gm_algebra::group::{parse_group, ConjugacyClasses};
use gm_algebra::FiniteGroup;
use serde::Serialize;

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
    }

    #[test]
    fn permutation_group_of_order_ten_thousand() {
        // S_7 × C_2 (order 10,080) as a permutation group: 15 · 2 classes.
        let s = summarise("perm:(1,2,3,4,5,6,7);(1,2);(8,9)").unwrap();
        assert_eq!(s.order, 10_080);
        assert_eq!(s.classes.len(), 30);
        assert!(!s.abelian);
    }

    #[test]
    fn malformed_spec_is_an_error() {
        let err = summarise("D6x").unwrap_err().to_string();
        assert!(err.contains("D6x"), "{err}");
    }
}
