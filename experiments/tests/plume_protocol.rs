//! The plume configs follow the reference protocol (kiryteo/GM-CNN configs/exp/plume-*-config.yaml,
//! the task lists of Wang, Walters & Yu's run_model.py): `mid = 22`, 10 input frames, 6-step
//! training and 20-step test rollouts, the time ranges, and the task lists, written as indices
//! of `gm data plume`'s simulations. The lists below are the reference's task labels
//! (facts copied from its configs); the mapping to indices is the order in which
//! `experiments/python/plume.py` generates the setups.
use gm_experiments::config::{load_experiment, overrides::Override, RegressionConfig};

/// Rotation: task `(k, j)`, `k = 1..36` the simulation counter, `j = (k − 1) mod 4` the inflow.
const ROTATION_TRAIN: [(usize, usize); 25] = [
    (27, 2),
    (33, 0),
    (3, 2),
    (28, 3),
    (9, 0),
    (12, 3),
    (22, 1),
    (8, 3),
    (30, 1),
    (25, 0),
    (16, 3),
    (11, 2),
    (23, 2),
    (29, 0),
    (36, 3),
    (26, 1),
    (1, 0),
    (35, 2),
    (19, 2),
    (34, 1),
    (4, 3),
    (2, 1),
    (7, 2),
    (31, 2),
    (17, 0),
];
const ROTATION_DOMAIN: [(usize, usize); 10] = [
    (6, 1),
    (14, 1),
    (15, 2),
    (10, 1),
    (18, 1),
    (20, 3),
    (24, 3),
    (13, 0),
    (21, 0),
    (5, 0),
];
/// Translation: task `(x, y)`, the inflow centre, `x ∈ {8, …, 56}`, `y ∈ {5, …, 25}`.
const TRANSLATION_TRAIN: [(usize, usize); 25] = [
    (48, 10),
    (56, 10),
    (8, 20),
    (40, 5),
    (56, 25),
    (48, 20),
    (48, 5),
    (16, 20),
    (56, 5),
    (32, 10),
    (56, 15),
    (16, 5),
    (40, 15),
    (40, 25),
    (48, 25),
    (48, 15),
    (24, 10),
    (56, 20),
    (32, 15),
    (16, 15),
    (8, 10),
    (24, 15),
    (8, 15),
    (32, 25),
    (8, 5),
];
const TRANSLATION_DOMAIN: [(usize, usize); 10] = [
    (32, 20),
    (32, 5),
    (24, 20),
    (16, 25),
    (24, 5),
    (16, 10),
    (40, 20),
    (8, 25),
    (24, 25),
    (40, 10),
];
/// Scale: task `i`, the `i`-th of the 38 scale factors.
const SCALE_TRAIN: [usize; 28] = [
    27, 9, 7, 11, 4, 26, 35, 2, 29, 10, 34, 12, 37, 28, 18, 24, 8, 14, 1, 31, 25, 0, 19, 15, 36, 3,
    20, 13,
];
const SCALE_DOMAIN: [usize; 10] = [5, 30, 16, 23, 33, 6, 17, 22, 21, 32];

fn protocol(name: &str) -> RegressionConfig {
    load_experiment(name, &[]).unwrap().regression.unwrap()
}

fn rotation_index(&(k, j): &(usize, usize)) -> usize {
    assert_eq!(j, (k - 1) % 4, "the reference's inflow of simulation {k}");
    k - 1
}

fn translation_index(&(x, y): &(usize, usize)) -> usize {
    (x / 8 - 1) * 5 + y / 5 - 1
}

#[test]
fn the_plume_configs_use_the_reference_task_lists() {
    let cases: [(&str, Vec<usize>, Vec<usize>); 4] = [
        (
            "plume-rotation",
            ROTATION_TRAIN.iter().map(rotation_index).collect(),
            ROTATION_DOMAIN.iter().map(rotation_index).collect(),
        ),
        (
            "plume-rotation-relaxed",
            ROTATION_TRAIN.iter().map(rotation_index).collect(),
            ROTATION_DOMAIN.iter().map(rotation_index).collect(),
        ),
        (
            "plume-translation",
            TRANSLATION_TRAIN.iter().map(translation_index).collect(),
            TRANSLATION_DOMAIN.iter().map(translation_index).collect(),
        ),
        ("plume-scale", SCALE_TRAIN.to_vec(), SCALE_DOMAIN.to_vec()),
    ];
    for (name, train, domain) in cases {
        let r = protocol(name);
        assert_eq!(r.train_sims.as_ref(), Some(&train), "{name}");
        assert_eq!(r.domain_sims.as_ref(), Some(&domain), "{name}");
        assert_eq!(
            (r.mid(), r.input_frames, r.train_rollout, r.test_rollout),
            (22, 10, 6, 20),
            "{name}"
        );
        assert_eq!(
            (r.train_end, r.val_end, r.future_end, r.domain_end),
            (160, 200, 250, 100),
            "{name}"
        );
        // The last future window's 20-step rollout ends inside the 309 stored frames.
        assert!(r.future_end - 1 + r.mid() + r.test_rollout <= 309, "{name}");
    }
}

#[test]
fn task_lists_are_validated() {
    let err = |sets: &[&str]| {
        let sets: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
        load_experiment("plume-rotation", &sets)
            .unwrap_err()
            .to_string()
    };
    let e = err(&["regression.domain_sims=[5, 26]"]);
    assert!(e.contains("simulation 26 is in both lists"), "{e}");
    let e = err(&["regression.train_sims=[1, 1]"]);
    assert!(e.contains("twice"), "{e}");
    let e = err(&["regression.train_sims=[]"]);
    assert!(e.contains("at least one"), "{e}");
    let e = err(&["regression.mid=5"]);
    assert!(e.contains("regression.mid"), "{e}");
}
