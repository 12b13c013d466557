//! The group laws as checks that return the first violation, worded with element labels.
//!
//! [`check_group_laws`] / [`check_index_laws`] are exhaustive (`O(n³)`, for tests);
//! [`check_wrap_laws`] is the cheap subset run whenever a group is wrapped
//! (`AnyGroup::try_cached`). Both are built from the same pieces, so a violation reads the
//! same whichever check finds it.

use super::{FiniteGroup, Group};
use rand::{Rng, SeedableRng};

/// Number of random triples on which [`check_wrap_laws`] tests associativity.
pub const ASSOCIATIVITY_SAMPLE: usize = 256;

/// Checks the [`Group`] contract and the group axioms exhaustively (`O(n³)` for
/// associativity, so meant for small groups and tests): index round trip, identity at 0,
/// closure, identity, inverses, associativity. Returns the first violation.
pub fn check_group_laws<G: Group + 'static>(g: &G) -> std::result::Result<(), String> {
    let n = Group::order(g);
    for i in 0..n {
        let e = g.element(i);
        let back = g.index(&e);
        if back != i {
            return Err(format!("index(element({i})) = {back}"));
        }
    }
    if g.index(&g.identity()) != 0 {
        return Err("the identity is not index 0".into());
    }
    check_index_laws(g)
}

/// The group axioms on the index view (closure, identity 0, inverses, associativity),
/// exhaustively; returns the first violation.
pub fn check_index_laws<G: FiniteGroup + ?Sized>(g: &G) -> std::result::Result<(), String> {
    check_identity_and_inverses(g)?;
    let n = g.order();
    for a in 0..n {
        for b in 0..n {
            check_product_in_range(g, a, b)?;
            for c in 0..n {
                check_associative(g, a, b, c)?;
            }
        }
    }
    Ok(())
}

/// The cheap checks run when a group is wrapped: [`check_identity_and_inverses`] (`O(n)`),
/// [`check_closure_under_generators`] (`O(n·|S|)`) and [`check_associativity_sample`]
/// (`O(1)` products).
pub fn check_wrap_laws<G: FiniteGroup + ?Sized>(g: &G) -> std::result::Result<(), String> {
    check_identity_and_inverses(g)?;
    check_closure_under_generators(g)?;
    check_associativity_sample(g, ASSOCIATIVITY_SAMPLE)
}

/// Index 0 is a two-sided identity and `inv_idx(a)` a two-sided inverse of every `a`: `O(n)`.
pub fn check_identity_and_inverses<G: FiniteGroup + ?Sized>(
    g: &G,
) -> std::result::Result<(), String> {
    let n = g.order();
    for a in 0..n {
        if g.mul_idx(0, a) != a || g.mul_idx(a, 0) != a {
            return Err(format!("0 is not a two-sided identity for {}", g.label(a)));
        }
        let ai = g.inv_idx(a);
        if ai >= n || g.mul_idx(a, ai) != 0 || g.mul_idx(ai, a) != 0 {
            return Err(format!("inv({}) is not an inverse", g.label(a)));
        }
    }
    Ok(())
}

/// Every product `a·s` with a generator `s` lies in `0..n`: `O(n·|S|)`.
pub fn check_closure_under_generators<G: FiniteGroup + ?Sized>(
    g: &G,
) -> std::result::Result<(), String> {
    let gens = g.generator_indices();
    if let Some(&s) = gens.iter().find(|&&s| s >= g.order()) {
        return Err(format!("generator {s} is out of range"));
    }
    for a in 0..g.order() {
        for &s in &gens {
            check_product_in_range(g, a, s)?;
        }
    }
    Ok(())
}

/// Associativity on `samples` triples drawn with a fixed seed (reproducible); the triples'
/// products are range-checked first.
pub fn check_associativity_sample<G: FiniteGroup + ?Sized>(
    g: &G,
    samples: usize,
) -> std::result::Result<(), String> {
    let n = g.order();
    if n == 0 {
        return Ok(());
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x6d5f_6c61_7773);
    for _ in 0..samples {
        let (a, b, c) = (
            rng.random_range(0..n),
            rng.random_range(0..n),
            rng.random_range(0..n),
        );
        check_product_in_range(g, a, b)?;
        check_product_in_range(g, b, c)?;
        check_associative(g, a, b, c)?;
    }
    Ok(())
}

fn check_product_in_range<G: FiniteGroup + ?Sized>(
    g: &G,
    a: usize,
    b: usize,
) -> std::result::Result<(), String> {
    if g.mul_idx(a, b) >= g.order() {
        return Err(format!("{}·{} is out of range", g.label(a), g.label(b)));
    }
    Ok(())
}

fn check_associative<G: FiniteGroup + ?Sized>(
    g: &G,
    a: usize,
    b: usize,
    c: usize,
) -> std::result::Result<(), String> {
    if g.mul_idx(g.mul_idx(a, b), c) != g.mul_idx(a, g.mul_idx(b, c)) {
        return Err(format!(
            "({0}·{1})·{2} ≠ {0}·({1}·{2})",
            g.label(a),
            g.label(b),
            g.label(c)
        ));
    }
    Ok(())
}
