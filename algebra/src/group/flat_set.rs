//! A set of equal-length `u16` sequences (the image sequences of a permutation group's
//! elements) in one flat buffer, with an open-addressing hash index.
//!
//! A large group's lookups wait on memory: the index slot and the stored sequence it names
//! are each a cache miss. Two things keep that wait short: each slot stores 32 bits of the
//! key's hash beside the index, so a probe reads a stored sequence only when those bits match
//! (and then compares it whole, so a lookup is exact); and [`FlatSet::hash_and_touch`] reads
//! the slots and sequences of a whole batch of keys before any is probed, so their misses
//! overlap.

/// An empty slot.
const EMPTY: u64 = u64::MAX;

/// The set: sequence `i` is `data[i·degree..(i+1)·degree]`; each used slot holds
/// `(32 hash bits) << 32 | i`.
#[derive(Debug, Clone)]
pub(crate) struct FlatSet {
    degree: usize,
    data: Vec<u16>,
    len: usize,
    slots: Vec<u64>,
}

impl FlatSet {
    /// The empty set of sequences of length `degree`.
    pub(crate) fn new(degree: usize) -> Self {
        Self {
            degree,
            data: Vec::new(),
            len: 0,
            slots: vec![EMPTY; 16],
        }
    }

    /// The length of every sequence.
    pub(crate) fn degree(&self) -> usize {
        self.degree
    }

    /// The number of sequences.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Sequence `i`.
    pub(crate) fn get(&self, i: usize) -> &[u16] {
        &self.data[i * self.degree..(i + 1) * self.degree]
    }

    /// A 64-bit hash of `key`: four points per 64-bit word, each word folded in by a
    /// multiply–xorshift round, then the SplitMix64 finaliser so that the high bits (the home
    /// slot) and the low bits (the stored check bits) both depend on every point. (FNV-1a over
    /// the points left the high bits nearly constant for groups on few points, e.g. M12, and
    /// the probes clustered.)
    pub(crate) fn hash(key: &[u16]) -> u64 {
        let mut h: u64 = 0x243f_6a88_85a3_08d3;
        for chunk in key.chunks(4) {
            let word = chunk.iter().fold(0u64, |w, &x| (w << 16) | u64::from(x));
            h = (h ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            h ^= h >> 32;
        }
        h ^= h >> 30;
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h ^= h >> 27;
        h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 31)
    }

    /// The first slot probed for a key of hash `h`, in `0..slots.len()` (a power of two).
    fn home(&self, h: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (h >> (64 - bits)) as usize
    }

    /// Whether the used slot entry `entry` may hold a key of hash `h` (its check bits agree).
    fn may_hold(entry: u64, h: u64) -> bool {
        entry >> 32 == h & 0xffff_ffff
    }

    /// The hashes of the keys in `keys` (`degree` points each, back to back) into `hashes`,
    /// after reading each key's home slot and, when its check bits agree, the sequence it
    /// names. Those reads are independent, so their cache misses overlap, and the probes that
    /// follow find the lines in cache; one lookup at a time waits on two misses in turn.
    pub(crate) fn hash_and_touch(&self, keys: &[u16], hashes: &mut Vec<u64>) {
        hashes.clear();
        if self.degree == 0 {
            return; // no key has a length to split by; the trivial group needs no lookups
        }
        hashes.extend(keys.chunks_exact(self.degree).map(Self::hash));
        let touched = hashes.iter().fold(0u16, |acc, &h| {
            let entry = self.slots[self.home(h)];
            if entry != EMPTY && Self::may_hold(entry, h) {
                acc ^ self.data[(entry as u32) as usize * self.degree]
            } else {
                acc
            }
        });
        std::hint::black_box(touched);
    }

    /// The slot holding `key` (of hash `h`), or the empty slot where it would go.
    fn slot(&self, h: u64, key: &[u16]) -> usize {
        let mask = self.slots.len() - 1;
        let mut s = self.home(h);
        loop {
            let entry = self.slots[s];
            if entry == EMPTY
                || (Self::may_hold(entry, h) && self.get((entry as u32) as usize) == key)
            {
                return s;
            }
            s = (s + 1) & mask;
        }
    }

    /// The index of `key`, of hash `h` ([`FlatSet::hash`]), if it is in the set.
    pub(crate) fn find_hashed(&self, h: u64, key: &[u16]) -> Option<usize> {
        match self.slots[self.slot(h, key)] {
            EMPTY => None,
            entry => Some((entry as u32) as usize),
        }
    }

    /// The index of `key`, if it is in the set.
    pub(crate) fn find(&self, key: &[u16]) -> Option<usize> {
        self.find_hashed(Self::hash(key), key)
    }

    /// Inserts `key`; returns whether it was new.
    pub(crate) fn insert(&mut self, key: &[u16]) -> bool {
        self.insert_hashed(Self::hash(key), key)
    }

    /// [`FlatSet::insert`] for a key whose hash `h` is known.
    ///
    /// # Panics
    /// Beyond `u32::MAX − 1` sequences (the permutation groups stop far below).
    pub(crate) fn insert_hashed(&mut self, h: u64, key: &[u16]) -> bool {
        let s = self.slot(h, key);
        if self.slots[s] != EMPTY {
            return false;
        }
        let index = u32::try_from(self.len)
            .ok()
            .filter(|&i| i != u32::MAX)
            .expect("a FlatSet holds fewer than 2^32 - 1 sequences");
        self.slots[s] = (h & 0xffff_ffff) << 32 | u64::from(index);
        self.data.extend_from_slice(key);
        self.len += 1;
        if 2 * self.len > self.slots.len() {
            self.rebuild_index(2 * self.slots.len());
        }
        true
    }

    /// A fresh index of `capacity` slots over the stored sequences (all distinct, so each
    /// goes to the first empty slot from its home).
    fn rebuild_index(&mut self, capacity: usize) {
        self.slots = vec![EMPTY; capacity];
        let mask = capacity - 1;
        for i in 0..self.len {
            let h = Self::hash(self.get(i));
            let mut s = self.home(h);
            while self.slots[s] != EMPTY {
                s = (s + 1) & mask;
            }
            self.slots[s] = (h & 0xffff_ffff) << 32 | i as u64;
        }
    }

    /// Sorts the sequences lexicographically. Each is first keyed by its leading values packed
    /// into a `u64` (as many as fit at the bit length of the largest value: for a permutation
    /// group on up to 16 points, all of them), so most comparisons are of two integers held
    /// side by side rather than of two sequences far apart in memory.
    pub(crate) fn sort(&mut self) {
        let largest = self.data.iter().copied().max().unwrap_or(0);
        let bits = (u16::BITS - largest.leading_zeros()).max(1) as usize;
        let packed = (64 / bits).min(self.degree);
        let prefix = |seq: &[u16]| {
            seq[..packed]
                .iter()
                .fold(0u64, |k, &p| (k << bits) | u64::from(p))
        };
        let mut order: Vec<(u64, u32)> = (0..self.len)
            .map(|i| (prefix(self.get(i)), i as u32))
            .collect();
        order.sort_unstable_by(|&(ka, a), &(kb, b)| {
            ka.cmp(&kb)
                .then_with(|| self.get(a as usize)[packed..].cmp(&self.get(b as usize)[packed..]))
        });
        let data = order
            .iter()
            .flat_map(|&(_, i)| self.get(i as usize).iter().copied())
            .collect();
        self.data = data;
        self.rebuild_index(self.slots.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Against a `BTreeSet`: membership, indices and the sorted order, on short alphabets
        /// (many shared prefixes) and long sequences (prefixes that do not cover the key).
        #[test]
        fn agrees_with_a_sorted_set(
            degree in 0usize..40,
            alphabet in 1u16..70,
            raw in prop::collection::vec(any::<u16>(), 0..3000),
        ) {
            let mut set = FlatSet::new(degree);
            let mut oracle = std::collections::BTreeSet::new();
            let keys: Vec<Vec<u16>> = if degree == 0 {
                vec![Vec::new(); raw.len().min(3)]
            } else {
                raw.chunks_exact(degree).map(|c| c.iter().map(|&x| x % alphabet).collect()).collect()
            };
            for key in &keys {
                prop_assert_eq!(set.insert(key), oracle.insert(key.clone()));
            }
            prop_assert_eq!(set.len(), oracle.len());
            set.sort();
            for (i, key) in oracle.iter().enumerate() {
                prop_assert_eq!(set.get(i), &key[..]);
                prop_assert_eq!(set.find(key), Some(i));
            }
            let mut hashes = Vec::new();
            let flat: Vec<u16> = keys.concat();
            set.hash_and_touch(&flat, &mut hashes);
            if degree > 0 {
                prop_assert_eq!(hashes.len(), keys.len());
                for (key, &h) in keys.iter().zip(&hashes) {
                    prop_assert_eq!(set.find_hashed(h, key), set.find(key));
                }
            }
            let absent: Vec<u16> = (0..degree).map(|i| alphabet + i as u16).collect();
            if degree > 0 {
                prop_assert_eq!(set.find(&absent), None);
            }
        }
    }
}
