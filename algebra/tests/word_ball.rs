//! Word-metric balls against an independent brute force: every word of length ≤ t over the
//! generators and their inverses, multiplied out.

use gm_algebra::group::strategy::small_group;
use gm_algebra::group::{word_ball, Symmetric};
use gm_algebra::FiniteGroup;
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Word length of every element reachable in ≤ `t` letters (`None` beyond), by enumerating
/// all words letter by letter — no breadth-first search, no deduplication of the alphabet.
fn brute_force_lengths(g: &dyn FiniteGroup, t: usize) -> Vec<Option<usize>> {
    let alphabet: Vec<usize> = g
        .generator_indices()
        .into_iter()
        .flat_map(|s| [s, g.inv_idx(s)])
        .collect();
    let mut length = vec![None; g.order()];
    let mut words = vec![0usize]; // the products of all words of the current length
    for len in 0..=t {
        for &w in &words {
            if length[w].is_none() {
                length[w] = Some(len);
            }
        }
        words = words
            .iter()
            .flat_map(|&w| alphabet.iter().map(move |&s| g.mul_idx(w, s)))
            .collect();
    }
    length
}

#[test]
fn the_ball_in_s3_is_the_brute_force_set() {
    let s3 = Symmetric::new(3).unwrap();
    let lengths = brute_force_lengths(&s3, 3);
    for t in 0..=3 {
        let ball: BTreeSet<usize> = word_ball(&s3, t).into_iter().collect();
        let brute: BTreeSet<usize> = (0..6)
            .filter(|&a| lengths[a].is_some_and(|l| l <= t))
            .collect();
        assert_eq!(ball, brute, "t = {t}");
    }
    assert_eq!(word_ball(&s3, 0), vec![0]);
    assert_eq!(word_ball(&s3, 3).len(), 6);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On random groups the ball is exactly the set of products of ≤ t letters, without
    /// repeats, identity first and by non-decreasing word length (breadth-first order).
    #[test]
    fn the_ball_is_the_set_of_short_words_in_bfs_order(g in small_group(24), t in 0usize..4) {
        let lengths = brute_force_lengths(&g, t);
        let ball = word_ball(&g, t);
        let set: BTreeSet<usize> = ball.iter().copied().collect();
        prop_assert_eq!(set.len(), ball.len(), "repeats in {:?}", ball);
        let brute: BTreeSet<usize> =
            (0..g.order()).filter(|&a| lengths[a].is_some()).collect();
        prop_assert_eq!(&set, &brute);
        prop_assert_eq!(ball[0], 0);
        let by_length: Vec<usize> = ball.iter().map(|&a| lengths[a].unwrap()).collect();
        prop_assert!(by_length.windows(2).all(|w| w[0] <= w[1]), "{:?}", by_length);
    }
}
