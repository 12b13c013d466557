//! Young's orthogonal form by generator images (`n ≤ 10`) and Clausen's chain FFT of `S_n`:
//! the Coxeter relations, the characters against the exact character tables, the branching
//! rule, and the FFT against the naive transform, the dense GM product and direct sums.

use gm_algebra::character::CharacterTable;
use gm_algebra::fourier::{
    partitions, plan, reduced_word, young_generator_images, young_orthogonal_irreps, FourierGm,
    FourierTransform, NaiveFourier, PlanKind, SymmetricFft, TranspositionImage, YoungImages,
    YOUNG_IMAGES_DEGREE_LIMIT,
};
use gm_algebra::group::{ConjugacyClasses, Group, Permutation, Symmetric};
use gm_algebra::matrix::GroupMatrix;
use gm_algebra::{Error, FiniteGroup};
use nalgebra::DMatrix;
use num_complex::Complex64 as C;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

fn max_diff(a: &[C], b: &[C]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}

fn random_signal(n: usize, seed: u64) -> Vec<C> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| C::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)))
        .collect()
}

/// `ρ(s_{w[0]}) ⋯ ρ(s_{w[k]}) · x` for `x` with `cols` columns (row-major).
fn apply_word(gens: &[TranspositionImage], word: &[usize], x: &[C], cols: usize) -> Vec<C> {
    let mut cur = x.to_vec();
    let mut next = x.to_vec();
    for &i in word.iter().rev() {
        gens[i].apply_rows(&cur, &mut next, cols);
        std::mem::swap(&mut cur, &mut next);
    }
    cur
}

/// The Coxeter relations `s_i² = 1`, `(s_i s_{i+1})³ = 1`, `(s_i s_j)² = 1` (`|i − j| ≥ 2`) on
/// the columns of `x`; they present `S_n`, so images satisfying them form a representation.
fn assert_coxeter(r: &YoungImages, x: &[C], cols: usize) {
    let gens = r.generators();
    let m = gens.len();
    let mut words: Vec<Vec<usize>> = Vec::new();
    for i in 0..m {
        words.push(vec![i, i]);
        if i + 1 < m {
            words.push([i, i + 1].repeat(3));
        }
        for j in i + 2..m {
            words.push([i, j].repeat(2));
        }
    }
    for w in &words {
        let y = apply_word(gens, w, x, cols);
        assert!(
            max_diff(&y, x) < 1e-11,
            "λ = {:?}: the relation {w:?} fails",
            r.partition()
        );
    }
}

#[test]
fn young_images_satisfy_the_coxeter_relations_up_to_s10() {
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    for n in 1..=YOUNG_IMAGES_DEGREE_LIMIT {
        let irreps = young_generator_images(n).unwrap();
        assert_eq!(irreps.len(), partitions(n).len());
        let order: usize = (1..=n).product();
        assert_eq!(
            irreps.iter().map(|r| r.dim() * r.dim()).sum::<usize>(),
            order
        );
        for r in &irreps {
            let d = r.dim();
            for s in r.generators() {
                // Real symmetric: with s² = 1 (below) every image is orthogonal.
                let dense = s.to_dense();
                assert_eq!(dense, dense.transpose(), "λ = {:?}", r.partition());
            }
            if n <= 9 {
                // Exactly: on every basis vector.
                let identity: Vec<C> = DMatrix::<f64>::identity(d, d)
                    .iter()
                    .map(|&v| C::new(v, 0.0))
                    .collect();
                assert_coxeter(r, &identity, d);
            } else {
                let cols = 3;
                let x: Vec<C> = (0..d * cols)
                    .map(|_| C::new(rng.random_range(-1.0..1.0), 0.0))
                    .collect();
                assert_coxeter(r, &x, cols);
            }
        }
    }
    assert!(matches!(
        young_generator_images(YOUNG_IMAGES_DEGREE_LIMIT + 1),
        Err(Error::TooLarge { .. })
    ));
    assert!(matches!(
        young_generator_images(0),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn young_characters_equal_the_exact_tables_on_s2_to_s8() {
    for n in 2..=8 {
        let s = Symmetric::new(n).unwrap();
        let classes = ConjugacyClasses::compute(&s);
        let exact = CharacterTable::compute(&s, &classes)
            .unwrap()
            .complex_values();
        let irreps = young_generator_images(n).unwrap();
        assert_eq!(irreps.len(), exact.len(), "S_{n}");
        let mut used = vec![false; exact.len()];
        for r in &irreps {
            let chi: Vec<C> = (0..classes.count())
                .map(|k| {
                    let g = s.element(classes.representative(k));
                    C::new(r.matrix(&g).unwrap().trace(), 0.0)
                })
                .collect();
            let hit = (0..exact.len())
                .find(|&j| !used[j] && max_diff(&chi, &exact[j]) < 1e-9)
                .unwrap_or_else(|| panic!("S_{n}, λ = {:?}: no exact character", r.partition()));
            used[hit] = true;
        }
    }
}

/// Young's images wrapped as generator images (a Schreier tree over the adjacent
/// transpositions, so `ρ(g)` comes along tree paths, not reduced words) pass the validator —
/// unitarity, the homomorphism law on every (element, generator) pair, the exact character —
/// on S5, S6 and S7, and fail it against another partition's character.
#[test]
fn young_images_pass_the_generator_image_validator_on_s5_to_s7() {
    for n in 5..=7 {
        let s = Symmetric::new(n).unwrap();
        let classes = ConjugacyClasses::compute(&s);
        let exact = CharacterTable::compute(&s, &classes)
            .unwrap()
            .complex_values();
        let mut used = vec![false; exact.len()];
        for (i, r) in young_generator_images(n).unwrap().iter().enumerate() {
            let rho = r.generator_images(&s).unwrap();
            let chi: Vec<C> = (0..classes.count())
                .map(|k| rho.character(classes.representative(k)))
                .collect();
            let row = (0..exact.len())
                .find(|&j| !used[j] && max_diff(&chi, &exact[j]) < 1e-9)
                .unwrap_or_else(|| panic!("S_{n}, λ = {:?}: no exact character", r.partition()));
            used[row] = true;
            let v = rho.validate(&s, &classes, &exact[row], i).unwrap();
            assert!(
                v.homomorphism < 1e-9,
                "S_{n}, λ = {:?}: {v:?}",
                r.partition()
            );
            let other = (row + 1) % exact.len();
            assert!(
                matches!(
                    rho.validate(&s, &classes, &exact[other], i),
                    Err(Error::IrrepValidation { .. })
                ),
                "S_{n}, λ = {:?} accepted with another character",
                r.partition()
            );
        }
    }
}

#[test]
fn young_matrices_are_orthogonal_homomorphisms_on_s6_and_s7() {
    for n in [6, 7] {
        let s = Symmetric::new(n).unwrap();
        let irreps = young_generator_images(n).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
        for _ in 0..20 {
            let a = s.element(rng.random_range(0..FiniteGroup::order(&s)));
            let b = s.element(rng.random_range(0..FiniteGroup::order(&s)));
            for r in &irreps {
                let (ma, mb) = (r.matrix(&a).unwrap(), r.matrix(&b).unwrap());
                let mab = r.matrix(&s.mul(&a, &b)).unwrap();
                assert!(
                    (&ma * &mb - mab).norm() < 1e-10,
                    "S_{n}, λ = {:?}",
                    r.partition()
                );
                let id = DMatrix::<f64>::identity(r.dim(), r.dim());
                assert!((&ma * ma.transpose() - id).norm() < 1e-10);
            }
        }
    }
}

#[test]
fn reduced_words_have_the_inversion_count_as_length_and_spell_the_permutation() {
    let s = Symmetric::new(6).unwrap();
    for i in 0..FiniteGroup::order(&s) {
        let g = s.element(i);
        let word = reduced_word(&g);
        let images = g.images();
        let inversions = (0..6)
            .flat_map(|a| (a + 1..6).map(move |b| (a, b)))
            .filter(|&(a, b)| images[a] > images[b])
            .count();
        assert_eq!(word.len(), inversions);
        let mut p = Permutation::identity(6);
        for &k in &word {
            let mut t: Vec<usize> = (0..6).collect();
            t.swap(k, k + 1);
            p = p.compose(&Permutation::from_images(t).unwrap());
        }
        assert_eq!(p, g);
    }
}

#[test]
fn branching_rule_restricts_each_irrep_to_a_block_sum() {
    // ρ_λ(s_i), i < n − 2, is block-diagonal along the branches, each block ρ_μ(s_i).
    for n in 2..=8 {
        let irreps = young_generator_images(n).unwrap();
        let sub = young_generator_images(n - 1).unwrap();
        for r in &irreps {
            let mut covered = 0;
            for b in r.branches() {
                assert_eq!(b.offset, covered);
                assert_eq!(sub[b.sub_irrep].dim(), b.dim);
                covered += b.dim;
            }
            assert_eq!(covered, r.dim());
            for i in 0..n.saturating_sub(2) {
                let full = r.generators()[i].to_dense();
                let mut blocks = DMatrix::<f64>::zeros(r.dim(), r.dim());
                for b in r.branches() {
                    let small = sub[b.sub_irrep].generators()[i].to_dense();
                    blocks
                        .view_mut((b.offset, b.offset), (b.dim, b.dim))
                        .copy_from(&small);
                }
                assert_eq!(full, blocks, "λ = {:?}, s_{i}", r.partition());
            }
        }
    }
}

#[test]
fn chain_fft_equals_the_naive_transform_on_s1_to_s6() {
    for n in 1..=6 {
        let s = Symmetric::new(n).unwrap();
        let fft = SymmetricFft::new(s).unwrap();
        let naive = NaiveFourier::new(Arc::new(young_orthogonal_irreps(&s).unwrap()));
        assert_eq!(fft.layout(), naive.layout());
        let order = FiniteGroup::order(&s);
        for seed in 0..3 {
            let f = random_signal(order, seed);
            let hat = naive.forward(&f).unwrap();
            assert!(max_diff(&fft.forward(&f).unwrap(), &hat) < 1e-10, "S_{n}");
            assert!(max_diff(&fft.inverse(&hat).unwrap(), &f) < 1e-10, "S_{n}");
            assert!(max_diff(&naive.inverse(&hat).unwrap(), &f) < 1e-10, "S_{n}");
        }
        // The plan's own stored irreps are the same Young irreps.
        assert_eq!(*fft.irreps(), *naive.irreps());
    }
}

#[test]
fn chain_fft_equals_direct_sums_on_sparse_signals_on_s7_and_s8() {
    for n in [7, 8] {
        let s = Symmetric::new(n).unwrap();
        let fft = SymmetricFft::new(s).unwrap();
        let irreps = young_generator_images(n).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
        let mut f = vec![C::default(); FiniteGroup::order(&s)];
        let support: Vec<usize> = (0..4)
            .map(|_| rng.random_range(0..FiniteGroup::order(&s)))
            .collect();
        for &g in &support {
            f[g] += C::new(rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
        }
        let hat = fft.forward(&f).unwrap();
        let layout = fft.layout();
        for (k, r) in irreps.iter().enumerate() {
            let d = r.dim();
            let mut direct = DMatrix::<C>::zeros(d, d);
            for &g in &support {
                let m = r.matrix(&s.element(g)).unwrap().map(|v| C::new(v, 0.0));
                direct += m * f[g];
            }
            let block = &hat[layout.offset(k)..][..d * d];
            let got = DMatrix::from_row_slice(d, d, block);
            assert!(
                (got - direct).norm() < 1e-10,
                "S_{n}, λ = {:?}",
                r.partition()
            );
        }
        let dense = random_signal(FiniteGroup::order(&s), 1);
        let back = fft.inverse(&fft.forward(&dense).unwrap()).unwrap();
        assert!(max_diff(&back, &dense) < 1e-10, "S_{n} round trip");
    }
}

#[test]
fn gm_apply_through_the_planner_equals_the_dense_product_on_s3_to_s7() {
    for n in 3..=7 {
        let s = Symmetric::new(n).unwrap();
        let order = FiniteGroup::order(&s);
        let p = plan(&s).unwrap();
        assert_eq!(p.kind(), PlanKind::ChainFft);
        let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
        let kernel: Vec<f64> = (0..order).map(|_| rng.random_range(-1.0..1.0)).collect();
        let x: Vec<f64> = (0..order).map(|_| rng.random_range(-1.0..1.0)).collect();
        let m = GroupMatrix::dense(s, kernel).unwrap();
        let dense = m.apply(&x);
        let fm = FourierGm::from_group_matrix(&m).unwrap();
        let xc: Vec<C> = x.iter().map(|&v| C::new(v, 0.0)).collect();
        let y = fm.apply(&xc).unwrap();
        let err = dense
            .iter()
            .zip(&y)
            .map(|(a, b)| (a - b.re).abs().max(b.im.abs()))
            .fold(0.0, f64::max);
        assert!(err < 1e-9, "S_{n}: {err:e}");
    }
}

#[test]
fn the_planner_offers_the_chain_fft_in_young_layout() {
    for n in 3..=8 {
        let s = Symmetric::new(n).unwrap();
        let dims: Vec<usize> = young_generator_images(n)
            .unwrap()
            .iter()
            .map(YoungImages::dim)
            .collect();
        let p = plan(&s).unwrap();
        assert_eq!(p.kind(), PlanKind::ChainFft);
        assert_eq!(p.layout().dims(), dims.as_slice());
    }
}
