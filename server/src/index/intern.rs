//! Small, allocation-light building blocks of the index: a fast
//! non-cryptographic hash (the `FxHash` of rustc: the keys are words of
//! local files, not attacker-controlled network input) and a string
//! interner that keeps all its strings in one buffer.

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The rustc `FxHasher`: one multiply per 8 bytes.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            self.add(u64::from_le_bytes(bytes[..8].try_into().unwrap_or([0; 8])));
            bytes = &bytes[8..];
        }
        if bytes.len() >= 4 {
            self.add(u32::from_le_bytes(bytes[..4].try_into().unwrap_or([0; 4])) as u64);
            bytes = &bytes[4..];
        }
        for &b in bytes {
            self.add(b as u64);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `BuildHasher` for `HashMap<K, V, FxBuild>`.
pub type FxBuild = BuildHasherDefault<FxHasher>;

/// Hash of a string with [`FxHasher`].
#[inline]
pub fn fx_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    // Mix (murmur3's finaliser): the multiply leaves the low bits weak.
    let mut x = h.hash;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 33)
}

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
        let mask = self.table.len() - 1;
        let h = fx_str(s);
        let tag = h >> 32 << 32;
        let mut slot = h as usize & mask;
        loop {
            let e = self.table[slot];
            if e == 0 {
                return None;
            }
            if e >> 32 << 32 == tag {
                let id = (e as u32) - 1;
                if self.get(id) == s {
                    return Some(id);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The id of `s`, interning it if new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> u32 {
        if (self.ends.len() + 1) * 2 > self.table.len() {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let h = fx_str(s);
        let tag = h >> 32 << 32;
        let mut slot = h as usize & mask;
        loop {
            let e = self.table[slot];
            if e == 0 {
                break;
            }
            if e >> 32 << 32 == tag {
                let id = (e as u32) - 1;
                if self.get(id) == s {
                    return id;
                }
            }
            slot = (slot + 1) & mask;
        }
        let id = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        self.table[slot] = tag | (id as u64 + 1);
        id
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
