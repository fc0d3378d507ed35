//! Small, allocation-light building blocks of the index: a string
//! interner that keeps all its strings in one buffer (hashing with
//! [`crate::fxhash`]).

pub use crate::fxhash::{fx_str, FxBuild, FxHasher};

/// Strings numbered `0..len()` in first-seen order, all in one buffer, with
/// an open-addressing table of ids (no allocation per string).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    text: String,
    /// id -> end offset in `text` (start is the previous end).
    ends: Vec<u32>,
    /// Slot -> `hash >> 32 << 32 | id + 1` (0: empty). Length a power of
    /// two, at most half full.
    table: Vec<u64>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string of `id`.
    #[inline]
    pub fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The id of `s`, if interned.
    #[inline]
    pub fn find(&self, s: &str) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        self.probe(s, fx_str(s)).ok()
    }

    /// The id of `s`, interning it if new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> u32 {
        if (self.ends.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        let h = fx_str(s);
        match self.probe(s, h) {
            Ok(id) => id,
            Err(slot) => {
                let id = self.ends.len() as u32;
                self.text.push_str(s);
                self.ends.push(self.text.len() as u32);
                self.table[slot] = h >> 32 << 32 | (id as u64 + 1);
                id
            }
        }
    }

    /// Linear probing for `s` (hash `h`) in a non-empty table: its id, or
    /// the free slot where it would go.
    #[inline]
    fn probe(&self, s: &str, h: u64) -> Result<u32, usize> {
        let mask = self.table.len() - 1;
        let tag = h >> 32 << 32;
        let mut slot = h as usize & mask;
        loop {
            let e = self.table[slot];
            if e == 0 {
                return Err(slot);
            }
            if e >> 32 << 32 == tag {
                let id = (e as u32) - 1;
                if self.get(id) == s {
                    return Ok(id);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let n = (self.table.len() * 2).max(64);
        let mut table = vec![0u64; n];
        let mask = n - 1;
        for id in 0..self.ends.len() as u32 {
            let h = fx_str(self.get(id));
            let mut slot = h as usize & mask;
            while table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            table[slot] = h >> 32 << 32 | (id as u64 + 1);
        }
        self.table = table;
    }

    /// Forget every string (keeps the buffers).
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.table.iter_mut().for_each(|e| *e = 0);
    }

    /// Release spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4 + self.table.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_in_first_seen_order() {
        let mut i = Interner::new();
        let words: Vec<String> = (0..500).map(|n| format!("w{n}")).collect();
        for (n, w) in words.iter().enumerate() {
            assert_eq!(i.intern(w), n as u32);
        }
        for (n, w) in words.iter().enumerate() {
            assert_eq!(i.intern(w), n as u32);
            assert_eq!(i.find(w), Some(n as u32));
            assert_eq!(i.get(n as u32), w);
        }
        assert_eq!(i.find("nope"), None);
        assert_eq!(i.intern(""), 500);
        assert_eq!(i.get(500), "");
        i.clear();
        assert!(i.is_empty());
        assert_eq!(i.find("w1"), None);
        assert_eq!(i.intern("é"), 0);
    }
}
