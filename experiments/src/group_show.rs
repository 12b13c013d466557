//! `gm group show SPEC [--json] [--irreps]`: order, generators, abelian-ness, conjugacy classes
//! and the exact character table of a group given by a spec (the grammar of
//! `gm_algebra::group::parse_group`); with `--irreps`, every irrep as the images of the
//! generators, cut out of permutation modules on at most [`IRREP_MODULE_POINTS`] points (and
//! out of tensor products of the irreps built from them) and validated against the exact
//! character (`gm_algebra::fourier::ModuleIrreps`), at any order the memory budget allows.
//!
//! The JSON form is stable:
//! `{"order": int, "abelian": bool, "generators": [str],
//!   "classes": [{"name": str, "size": int, "element_order": int, "representative": str}],
//!   "irreps": [{"dim": int, "type": "real"|"complex"|"quaternionic"}],
//!   "character_table": [[[re, im], ...], ...],
//!   "character_table_exact": [[str, ...], ...],
//!   "generator_irreps": [{"row": int, "dim": int, "type": str, "module": str,
//!     "multiplicity": int, "exhaustive_check": bool, "residual": float,
//!     "images": [[[[re, im], ...], ...], ...]}],
//!   "omitted": [str]}` — "generator_irreps" (only with `--irreps`) gives per irrep its row of
//! the character table and `images[j]`, the matrix of generator `j` row by row; character-table rows in the order of "irreps", columns in the order
//! of "classes"; the exact values are cyclotomic integers in GAP's `E(n)` notation. A part
//! that does not fit in the memory budget (`--memory-budget`, `GM_MEMORY_BUDGET`) is left out
//! and "omitted" says what it would need and what to do instead.
use anyhow::Result;
use gm_algebra::character::CharacterTable;
use gm_algebra::fourier::{FsType, ModuleIrreps, PermutationAction};
use gm_algebra::group::{parse_group, ConjugacyClasses};
use gm_algebra::{Error, FiniteGroup};
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<ClassSummary>>,
    /// The irreducible characters' degrees and Frobenius–Schur types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irreps: Option<Vec<IrrepSummary>>,
    /// χ_ρ(class) as `[re, im]`: rows follow `irreps`, columns follow `classes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub character_table: Option<Vec<Vec<[f64; 2]>>>,
    /// The same values exactly, in GAP's `E(n)` notation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub character_table_exact: Option<Vec<Vec<String>>>,
    /// Every irrep as generator images (with `--irreps`), in character-table row order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator_irreps: Option<Vec<GeneratorIrrepSummary>>,
    /// Why a part is missing: what it would need and what to do instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<String>,
    /// The table in GAP's `Display` layout (text mode only).
    #[serde(skip)]
    pub table_text: Option<String>,
}

/// One irreducible character in [`GroupSummary`].
#[derive(Debug, Serialize)]
pub struct IrrepSummary {
    /// The degree `χ(1)`.
    pub dim: usize,
    /// The Frobenius–Schur type: "real", "complex" or "quaternionic".
    #[serde(rename = "type")]
    pub kind: FsType,
}

/// The largest permutation module `--irreps` cuts irreps out of.
pub const IRREP_MODULE_POINTS: usize = 2000;

/// One irrep as generator images in [`GroupSummary`].
#[derive(Debug, Serialize)]
pub struct GeneratorIrrepSummary {
    /// Its row in the character table.
    pub row: usize,
    /// The degree.
    pub dim: usize,
    /// The Frobenius–Schur type.
    #[serde(rename = "type")]
    pub kind: FsType,
    /// The permutation module it was cut from.
    pub module: String,
    /// Its multiplicity in that module.
    pub multiplicity: usize,
    /// Whether the homomorphism law was checked on every (element, generator) pair (else on
    /// a random sample).
    pub exhaustive_check: bool,
    /// The largest validation residual (unitarity, homomorphism, character).
    pub residual: f64,
    /// `images[j][r][c]` = entry `(r, c)` of the image of generator `j`, as `[re, im]`.
    pub images: Vec<Vec<Vec<[f64; 2]>>>,
}

/// One conjugacy class in [`GroupSummary`].
#[derive(Debug, Serialize)]
pub struct ClassSummary {
    /// GAP-style name: element order and a letter (`2a`, `2b`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The number of elements in the class.
    pub size: usize,
    /// The order of each element of the class.
    pub element_order: usize,
    /// The label of a representative.
    pub representative: String,
}

/// `Ok(None)` with the reason recorded in `omitted` when `r` is over the memory budget.
fn within_budget<T>(r: gm_algebra::Result<T>, omitted: &mut Vec<String>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e @ Error::OverBudget { .. }) => {
            omitted.push(e.to_string());
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Every irrep of `group` as generator images, or `None` with the reasons in `omitted` (the
/// irreps that could not be built are listed there too).
fn generator_irreps<G: FiniteGroup + ?Sized>(
    group: &G,
    classes: &ConjugacyClasses,
    table: &CharacterTable,
    omitted: &mut Vec<String>,
) -> Result<Option<Vec<GeneratorIrrepSummary>>> {
    let gens = group.generator_indices();
    let built = within_budget(
        PermutationAction::candidates(group, classes, &gens, IRREP_MODULE_POINTS)
            .and_then(|actions| ModuleIrreps::build(group, classes, table, &actions)),
        omitted,
    )?;
    let Some(built) = built else {
        return Ok(None);
    };
    omitted.extend(built.failures().map(ToString::to_string));
    Ok(Some(
        built
            .built()
            .map(|irrep| {
                let (module, multiplicity) = irrep.source();
                let v = irrep.validation();
                GeneratorIrrepSummary {
                    row: irrep.row(),
                    dim: irrep.dim(),
                    kind: irrep.fs_type(),
                    module: module.to_string(),
                    multiplicity,
                    exhaustive_check: v.exhaustive,
                    residual: v.unitarity.max(v.homomorphism).max(v.character),
                    images: irrep
                        .images()
                        .images()
                        .iter()
                        .map(|m| {
                            m.row_iter()
                                .map(|row| row.iter().map(|z| [z.re, z.im]).collect())
                                .collect()
                        })
                        .collect(),
                }
            })
            .collect(),
    ))
}

/// Computes the summary of the group named by `spec`, with every irrep as generator images
/// when `with_irreps` is set.
pub fn summarise(spec: &str, with_irreps: bool) -> Result<GroupSummary> {
    let group = parse_group(spec)?;
    let mut omitted = Vec::new();
    let classes = within_budget(ConjugacyClasses::try_compute(&group), &mut omitted)?;
    let table = match &classes {
        Some(cl) => within_budget(CharacterTable::compute(&group, cl), &mut omitted)?,
        None => None,
    };
    let generator_irreps = match (&classes, &table) {
        (Some(cl), Some(t)) if with_irreps => generator_irreps(&group, cl, t, &mut omitted)?,
        _ => None,
    };
    let names = table.as_ref().map(CharacterTable::class_names);
    Ok(GroupSummary {
        order: group.order(),
        abelian: group.is_abelian(),
        generators: group
            .generator_indices()
            .into_iter()
            .map(|g| group.label(g))
            .collect(),
        classes: classes.as_ref().map(|cl| {
            cl.infos()
                .into_iter()
                .enumerate()
                .map(|(k, c)| ClassSummary {
                    name: names.as_ref().map(|n| n[k].clone()),
                    size: c.size,
                    element_order: c.element_order,
                    representative: group.label(c.representative),
                })
                .collect()
        }),
        irreps: table.as_ref().map(|t| {
            t.degrees()
                .into_iter()
                .zip(t.fs_types())
                .map(|(dim, &kind)| IrrepSummary { dim, kind })
                .collect()
        }),
        character_table: table.as_ref().map(|t| {
            t.complex_values()
                .iter()
                .map(|row| row.iter().map(|z| [z.re, z.im]).collect())
                .collect()
        }),
        character_table_exact: table.as_ref().map(|t| {
            t.values()
                .iter()
                .map(|row| row.iter().map(ToString::to_string).collect())
                .collect()
        }),
        generator_irreps,
        omitted,
        table_text: table.as_ref().map(|t| t.display_gap(spec)),
    })
}

/// Prints the summary of `spec` as JSON or as readable text (the generator images themselves
/// only in JSON).
pub fn run(spec: &str, json: bool, with_irreps: bool) -> Result<()> {
    let s = summarise(spec, with_irreps)?;
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
    if let Some(classes) = &s.classes {
        println!("{} conjugacy classes:", classes.len());
        println!("{:>6} {:>8} {:>6}  representative", "name", "size", "order");
        for c in classes {
            let name = c.name.as_deref().unwrap_or("");
            println!(
                "{name:>6} {:>8} {:>6}  {}",
                c.size, c.element_order, c.representative
            );
        }
    }
    if let Some(text) = &s.table_text {
        println!("\ncharacter table:\n{text}");
    }
    if let Some(irreps) = &s.generator_irreps {
        println!("irreps as generator images (validated; --json prints the images):");
        for r in irreps {
            let check = if r.exhaustive_check {
                "all pairs"
            } else {
                "sampled pairs"
            };
            println!(
                "  X.{:<3} degree {:>4}  {:<12} from {} (multiplicity {}), {check}, residual {:.1e}",
                r.row + 1,
                r.dim,
                r.kind.as_str(),
                r.module,
                r.multiplicity,
                r.residual
            );
        }
    }
    for reason in &s.omitted {
        println!("omitted: {reason}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gm_algebra::budget::MemoryBudget;

    #[test]
    fn json_has_the_documented_fields() {
        let v = serde_json::to_value(summarise("D6", false).unwrap()).unwrap();
        assert_eq!(v["order"], 12);
        assert_eq!(v["abelian"], false);
        assert_eq!(v["generators"].as_array().unwrap().len(), 2);
        let classes = v["classes"].as_array().unwrap();
        assert_eq!(classes.len(), 6);
        assert_eq!(classes[0]["size"], 1);
        assert_eq!(classes[0]["element_order"], 1);
        assert_eq!(classes[0]["representative"], "e");
        assert_eq!(classes[0]["name"], "1a");
        let total: u64 = classes.iter().map(|c| c["size"].as_u64().unwrap()).sum();
        assert_eq!(total, 12);
        // D6 has four linear characters and two of degree 2, all of real type.
        let irreps = v["irreps"].as_array().unwrap();
        let mut dims: Vec<u64> = irreps.iter().map(|r| r["dim"].as_u64().unwrap()).collect();
        dims.sort();
        assert_eq!(dims, [1, 1, 1, 1, 2, 2]);
        assert!(irreps.iter().all(|r| r["type"] == "real"));
        let table = v["character_table"].as_array().unwrap();
        let exact = v["character_table_exact"].as_array().unwrap();
        assert_eq!(table.len(), 6);
        for ((row, irrep), exact_row) in table.iter().zip(irreps).zip(exact) {
            let row = row.as_array().unwrap();
            assert_eq!(row.len(), 6);
            // χ(e) = d, as [re, im] and exactly.
            assert_eq!(
                row[0][0].as_f64().unwrap().round() as u64,
                irrep["dim"].as_u64().unwrap()
            );
            assert!(row[0][1].as_f64().unwrap().abs() < 1e-9);
            assert_eq!(exact_row[0], irrep["dim"].to_string());
        }
        assert!(v.get("omitted").is_none());
    }

    #[test]
    fn permutation_group_of_order_ten_thousand() {
        // S_7 × C_2 (order 10,080) as a permutation group: 15 · 2 classes and characters.
        let s = summarise("perm:(1,2,3,4,5,6,7);(1,2);(8,9)", false).unwrap();
        assert_eq!(s.order, 10_080);
        assert_eq!(s.classes.as_ref().unwrap().len(), 30);
        assert!(!s.abelian);
        let dims: Vec<usize> = s.irreps.unwrap().iter().map(|r| r.dim).collect();
        assert_eq!(dims.len(), 30);
        assert_eq!(dims.iter().map(|d| d * d).sum::<usize>(), 10_080);
        assert!(s.table_text.unwrap().contains("X.30"));
    }

    #[test]
    fn huge_groups_answer_what_fits_and_say_why_the_rest_is_omitted() {
        MemoryBudget::set_process_default(Some(MemoryBudget::from_bytes(1 << 30)));
        for (spec, order) in [
            ("C100000000000", 100_000_000_000usize),
            ("S12", 479_001_600),
            ("D99999999999999999", 199_999_999_999_999_998),
            ("p4(99999999)", 39_999_999_200_000_004),
            (
                "C10xC10xC10xC10xC10xC10xC10xC10xC10xC10xC10xC10",
                1_000_000_000_000,
            ),
        ] {
            let s = summarise(spec, true).unwrap();
            assert_eq!(s.order, order, "{spec}");
            assert!(s.classes.is_none() && s.character_table.is_none(), "{spec}");
            assert!(s.generator_irreps.is_none(), "{spec}");
            assert!(
                s.omitted[0].contains("memory budget"),
                "{spec}: {:?}",
                s.omitted
            );
        }
        MemoryBudget::set_process_default(None);
    }

    #[test]
    fn irreps_above_the_dense_limit_are_generator_images() {
        // PSL(2,19) on the projective line, x ↦ x + 1 and x ↦ −1/x (order 3420 > 2520).
        let spec = "perm:(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19);\
                    (1,20)(2,19)(3,10)(4,7)(5,15)(6,16)(8,9)(11,18)(12,13)(14,17)";
        let s = summarise(spec, true).unwrap();
        assert_eq!(s.order, 3420);
        let irreps = s.generator_irreps.unwrap();
        assert!(s.omitted.is_empty(), "{:?}", s.omitted);
        let table = s.irreps.unwrap();
        assert_eq!(irreps.len(), table.len());
        for r in &irreps {
            assert_eq!((r.dim, r.kind), (table[r.row].dim, table[r.row].kind));
            assert_eq!(r.images.len(), s.generators.len());
            assert!(r
                .images
                .iter()
                .all(|m| m.len() == r.dim && m[0].len() == r.dim));
            assert!(r.residual < 1e-8 && r.exhaustive_check);
        }
        let v = serde_json::to_value(summarise("A5", true).unwrap()).unwrap();
        assert_eq!(v["generator_irreps"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn malformed_spec_is_an_error() {
        let err = summarise("D6x", false).unwrap_err().to_string();
        assert!(err.contains("D6x"), "{err}");
    }
}
