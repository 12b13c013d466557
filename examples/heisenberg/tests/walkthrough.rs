//! Runs every step of the walkthrough (each checks its own results), checks that the pages
//! `docs/adding-a-group.md` and `docs/property-testing.md` show exactly this crate's code,
//! and property-tests the Heisenberg group with the `proptest-support` strategies of
//! `gm-algebra`.

use gm_algebra::fourier::plan;
use gm_algebra::group::strategy::{
    group_with_class_function, group_with_two_kernels, mixed_groups, small_group,
};
use gm_algebra::num_complex::Complex64;
use gm_algebra::{AnyGroup, FiniteGroup};
use gm_example_heisenberg as walk;
use proptest::prelude::*;

/// The group of step 1, its report discarded.
fn heisenberg() -> AnyGroup {
    walk::laws(&mut std::io::sink()).unwrap()
}

#[test]
fn step_1_the_laws_hold_and_the_group_wraps() {
    let mut out = Vec::new();
    let g = walk::laws(&mut out).unwrap();
    assert_eq!(g.order(), 27);
    assert!(String::from_utf8(out)
        .unwrap()
        .starts_with("Heis(3): order 27"));
}

#[test]
fn step_2_classes_centre_cosets_and_quotient() {
    walk::structure(&heisenberg(), &mut std::io::sink()).unwrap();
}

#[test]
fn step_3_group_matrices() {
    walk::group_matrices(&heisenberg(), &mut std::io::sink()).unwrap();
}

#[test]
fn step_4_irreps_and_character_table() {
    walk::irreps_and_characters(&heisenberg(), &mut std::io::sink()).unwrap();
}

#[test]
fn step_5_fourier_transform_and_block_diagonal_form() {
    walk::fourier(&heisenberg(), &mut std::io::sink()).unwrap();
}

#[test]
fn step_6_displacement() {
    walk::displacement(&heisenberg(), &mut std::io::sink()).unwrap();
}

#[test]
fn step_7_layers() {
    walk::layers(&heisenberg(), &mut std::io::sink()).unwrap();
}

#[test]
fn step_8_a_model_trains_on_the_users_group() {
    let mut out = Vec::new();
    walk::train(&heisenberg(), &mut out).unwrap();
    assert!(String::from_utf8(out).unwrap().contains("test accuracy"));
}

/// The fenced `rust` and `toml` blocks of a page.
fn code_blocks(page: &str) -> Vec<&str> {
    ["```rust\n", "```toml\n"]
        .iter()
        .flat_map(|fence| page.split(fence).skip(1))
        .map(|block| block.split("```").next().unwrap())
        .collect()
}

#[test]
fn the_pages_show_exactly_the_code_of_this_crate() {
    let sources = [
        include_str!("../Cargo.toml"),
        include_str!("../src/lib.rs"),
        include_str!("../src/main.rs"),
        include_str!("walkthrough.rs"),
    ];
    let pages = [
        (
            "adding-a-group.md",
            include_str!("../../../docs/adding-a-group.md"),
            10,
        ),
        (
            "property-testing.md",
            include_str!("../../../docs/property-testing.md"),
            3,
        ),
    ];
    for (name, page, at_least) in pages {
        let blocks = code_blocks(page);
        assert!(
            blocks.len() >= at_least,
            "{name}: only {} code blocks",
            blocks.len()
        );
        for code in blocks {
            assert!(
                sources.iter().any(|s| s.contains(code)),
                "a block of {name} is not in the example crate:\n{code}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The convolution theorem `(f∗h)^(ρ) = f̂(ρ) ĥ(ρ)`, on built-in groups with the
    /// Heisenberg group drawn in a quarter of the cases.
    #[test]
    fn fourier_turns_convolution_into_products(
        (g, f, h) in group_with_two_kernels(mixed_groups(small_group(16), Just(heisenberg()), 25))
    ) {
        let n = g.order();
        let conv: Vec<f64> = (0..n)
            .map(|x| (0..n).map(|y| f[y] * h[g.left_div_idx(y, x)]).sum())
            .collect();
        let transform = plan(&g).unwrap();
        let hat = |v: &[f64]| {
            let v: Vec<Complex64> = v.iter().map(|&r| Complex64::new(r, 0.0)).collect();
            transform.forward(&v).unwrap()
        };
        let (fh, hh, ch) = (hat(&f), hat(&h), hat(&conv));
        let layout = transform.layout();
        for (k, &d) in layout.dims().iter().enumerate() {
            let at = layout.offset(k);
            let block = |c: &[Complex64]| {
                gm_algebra::nalgebra::DMatrix::from_row_slice(d, d, &c[at..at + d * d])
            };
            let err = (block(&fh) * block(&hh) - block(&ch)).norm();
            prop_assert!(err < 1e-9 * n as f64, "irrep {} of {:?}: {}", k, g, err);
        }
    }

    /// Schur's lemma: a class function's coefficient on every irrep of the Heisenberg group
    /// is a multiple of the identity.
    #[test]
    fn a_class_functions_fourier_coefficients_are_scalar(
        (g, c) in group_with_class_function(Just(heisenberg()))
    ) {
        let transform = plan(&g).unwrap();
        let v: Vec<Complex64> = c.iter().map(|&r| Complex64::new(r, 0.0)).collect();
        let hat = transform.forward(&v).unwrap();
        let layout = transform.layout();
        for (k, &d) in layout.dims().iter().enumerate() {
            let at = layout.offset(k);
            for i in 0..d {
                for j in 0..d {
                    let want = if i == j { hat[at] } else { Complex64::new(0.0, 0.0) };
                    prop_assert!((hat[at + i * d + j] - want).norm() < 1e-9);
                }
            }
        }
    }
}
