//! Builds and validates every irrep of M11 and M12 (or S8, A9) as generator images, and prints
//! the time, the module each irrep came from and the validation residuals.
//!
//! Run: `cargo run --release -p gm-algebra --example mathieu_irreps [M11|M12|S8|A9] [--generic]`;
//! with `--generic` only the actions every group offers (conjugation on classes, cosets of
//! cyclic subgroups) are used, not the actions on tuples of points.

use gm_algebra::character::CharacterTable;
use gm_algebra::fourier::{ModuleIrreps, PermutationAction};
use gm_algebra::group::{ConjugacyClasses, Group, PermutationGroup};
use std::time::Instant;

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "M11".into());
    // GAP's MathieuGroup(11) and MathieuGroup(12) generators.
    let spec = match which.as_str() {
        "M11" => "perm:(1,2,3,4,5,6,7,8,9,10,11);(3,7,11,8)(4,10,5,6)",
        "M12" => {
            "perm:(1,2,3,4,5,6,7,8,9,10,11);(3,7,11,8)(4,10,5,6);(1,12)(2,11)(3,6)(4,8)(5,9)(7,10)"
        }
        "S8" => "perm:(1,2,3,4,5,6,7,8);(1,2)",
        "A9" => "perm:(1,2,3);(1,2,3,4,5,6,7,8,9)",
        other => panic!("unknown group {other}: M11, M12, S8 or A9"),
    };
    let start = Instant::now();
    let g = PermutationGroup::from_spec(spec).unwrap();
    let classes = ConjugacyClasses::compute(&g);
    let table = CharacterTable::compute(&g, &classes).unwrap();
    let t_table = start.elapsed();
    let gens = gm_algebra::FiniteGroup::generator_indices(&g);
    let perms = Group::generators(&g).unwrap();
    let max_points = 2000;
    let mut actions = PermutationAction::candidates(&g, &classes, &gens, max_points).unwrap();
    let generic = std::env::args().any(|a| a == "--generic");
    for k in (1..=6).filter(|_| !generic) {
        for ordered in [false, true] {
            actions.extend(PermutationAction::on_tuples(&perms, k, ordered, max_points));
        }
    }
    let irreps = ModuleIrreps::build(&g, &classes, &table, &actions).unwrap();
    let total = start.elapsed();
    println!(
        "{which}: order {}, {} classes; table {t_table:.2?}, all {total:.2?}",
        Group::order(&g),
        classes.count()
    );
    for outcome in irreps.outcomes() {
        match outcome {
            Ok(r) => {
                let (module, m) = r.source();
                let v = r.validation();
                println!(
                    "  χ_{:<2} d={:<4} {:?} from {module} (mult {m}); unitarity {:.1e}, hom {:.1e} on {} pairs{}, char {:.1e}",
                    r.row(), r.dim(), r.fs_type(), v.unitarity, v.homomorphism, v.pairs_checked,
                    if v.exhaustive { " (all)" } else { " (sample)" }, v.character
                );
            }
            Err(e) => println!("  {e}"),
        }
    }
}
