//! The memo behind `analysis::AnalysisCache`: values computed for a piece of
//! text in one analysis of a document, looked up by the next analysis.
//!
//! A key is the exact text a step reads plus the spans (relative to that
//! text) that steer it; a hit compares both in full, the hash only picks
//! the bucket. An analysis brackets its lookups with [`Memo::begin`] and
//! [`Memo::end`]: entries it did not use are dropped, so a memo holds one
//! document's pieces at most. An analysis that gives up before its `end`
//! (cancelled) drops nothing: the next `begin` takes its entries back.

use crate::fxhash::{FxHasher, FxMap};
use std::hash::Hasher;

pub struct Memo<V> {
    map: FxMap<u64, Vec<Entry<V>>>,
    /// The previous analysis's entries, while an analysis runs.
    old: FxMap<u64, Vec<Entry<V>>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            map: FxMap::default(),
            old: FxMap::default(),
        }
    }
}

struct Entry<V> {
    text: Box<str>,
    spans: Vec<(usize, usize)>,
    value: V,
}

/// The bucket of a key.
pub fn hash(text: &str, spans: &[(usize, usize)]) -> u64 {
    let mut h = FxHasher::default();
    h.write(text.as_bytes());
    for &(a, b) in spans {
        h.write_usize(a);
        h.write_usize(b);
    }
    h.finish()
}

impl<V> Memo<V> {
    /// Start an analysis: what the last one kept becomes reusable.
    pub fn begin(&mut self) {
        // An analysis that never reached `end`: what it did not read is
        // still good.
        for (h, mut entries) in std::mem::take(&mut self.old) {
            self.map.entry(h).or_default().append(&mut entries);
        }
        let cap = self.map.len();
        self.old = std::mem::replace(
            &mut self.map,
            FxMap::with_capacity_and_hasher(cap, Default::default()),
        );
    }

    /// End an analysis: drop what it did not use.
    pub fn end(&mut self) {
        self.old = FxMap::default();
    }

    /// The value kept for (`text`, `spans`), kept again for the next
    /// analysis.
    pub fn get(&mut self, h: u64, text: &str, spans: &[(usize, usize)]) -> Option<&mut V> {
        let same = |e: &Entry<V>| &*e.text == text && e.spans == spans;
        // Most buckets hold one entry: move the whole bucket (no allocation).
        let mut moved: Option<Vec<Entry<V>>> = None;
        if let Some(b) = self.old.get_mut(&h) {
            if let Some(i) = b.iter().position(same) {
                moved = if b.len() == 1 {
                    self.old.remove(&h)
                } else {
                    Some(vec![b.swap_remove(i)])
                };
            }
        }
        match moved {
            Some(mut entries) => {
                let bucket = match self.map.entry(h) {
                    std::collections::hash_map::Entry::Occupied(o) => {
                        let b = o.into_mut();
                        b.append(&mut entries);
                        b
                    }
                    std::collections::hash_map::Entry::Vacant(v) => v.insert(entries),
                };
                bucket.last_mut().map(|e| &mut e.value)
            }
            // The same piece twice in one document.
            None => self
                .map
                .get_mut(&h)?
                .iter_mut()
                .find(|e| same(e))
                .map(|e| &mut e.value),
        }
    }

    pub fn insert(&mut self, h: u64, text: &str, spans: Vec<(usize, usize)>, value: V) -> &mut V {
        let bucket = self.map.entry(h).or_default();
        bucket.push(Entry {
            text: text.into(),
            spans,
            value,
        });
        &mut bucket.last_mut().expect("just pushed").value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_entries_survive_one_analysis_unused_ones_do_not() {
        let mut m: Memo<u32> = Memo::default();
        m.begin();
        m.insert(hash("a", &[]), "a", vec![], 1);
        m.insert(hash("b", &[(0, 1)]), "b", vec![(0, 1)], 2);
        m.end();
        // Next analysis: only `a` is read.
        m.begin();
        assert_eq!(m.get(hash("a", &[]), "a", &[]).copied(), Some(1));
        // Same text, other spans: another key.
        assert_eq!(m.get(hash("b", &[]), "b", &[]), None);
        m.end();
        m.begin();
        assert_eq!(m.get(hash("a", &[]), "a", &[]).copied(), Some(1));
        assert_eq!(m.get(hash("b", &[(0, 1)]), "b", &[(0, 1)]), None);
        m.end();
    }

    #[test]
    fn an_analysis_without_end_loses_nothing() {
        let mut m: Memo<u32> = Memo::default();
        m.begin();
        m.insert(hash("a", &[]), "a", vec![], 1);
        m.insert(hash("b", &[]), "b", vec![], 2);
        m.end();
        // Given up after reading `a` and adding `c`.
        m.begin();
        assert_eq!(m.get(hash("a", &[]), "a", &[]).copied(), Some(1));
        m.insert(hash("c", &[]), "c", vec![], 3);
        // The next analysis finds all three, once each.
        m.begin();
        for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
            assert_eq!(m.get(hash(k, &[]), k, &[]).copied(), Some(v));
        }
        m.end();
        assert_eq!(m.map.values().map(Vec::len).sum::<usize>(), 3);
    }

    #[test]
    fn one_bucket_two_keys_and_one_key_twice() {
        let mut m: Memo<u32> = Memo::default();
        m.begin();
        // Two keys forced into one bucket (as a hash collision would).
        m.insert(7, "x", vec![], 1);
        m.insert(7, "y", vec![], 2);
        m.end();
        m.begin();
        assert_eq!(m.get(7, "y", &[]).copied(), Some(2));
        // The same piece twice in one document: found again.
        assert_eq!(m.get(7, "y", &[]).copied(), Some(2));
        *m.get(7, "x", &[]).expect("kept") += 10;
        m.end();
        m.begin();
        assert_eq!(m.get(7, "x", &[]).copied(), Some(11));
        assert_eq!(m.get(7, "y", &[]).copied(), Some(2));
        assert_eq!(m.get(7, "z", &[]), None);
        m.end();
    }
}
