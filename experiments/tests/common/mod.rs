//! What the `gm` binary tests share: small synthetic digit sets.
#![allow(dead_code)] // each test binary uses its own part

use gm_experiments::data::idx;
use rand::{Rng, SeedableRng};
use std::path::Path;

/// `n` 28×28 digits: label `i % 10`, a bright block whose place depends on the label, plus
/// seeded noise.
pub fn digits(n: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
    let pixels = labels
        .iter()
        .flat_map(|&l| {
            let (r0, c0) = (2 + 2 * usize::from(l / 5) * 6, 2 + usize::from(l % 5) * 5);
            (0..784)
                .map(|p| {
                    let (y, x) = (p / 28, p % 28);
                    let on = (r0..r0 + 8).contains(&y) && (c0..c0 + 5).contains(&x);
                    if on {
                        255
                    } else {
                        rng.random_range(0..64)
                    }
                })
                .collect::<Vec<u8>>()
        })
        .collect();
    (pixels, labels)
}

/// Writes 240 training and 40 test digits ([`digits`]) as MNIST IDX files into `dir`.
pub fn write_data(dir: &Path) {
    let (trp, trl) = digits(240, 1);
    let (tep, tel) = digits(40, 2);
    idx::write_mnist(dir, 28, 28, (&trp, &trl), (&tep, &tel)).unwrap();
}
