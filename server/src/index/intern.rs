//! Small, allocation-light building blocks of the index: a string
//! interner that keeps all its strings in one buffer (hashing with
//! [`crate::fxhash`]).

pub use crate::fxhash::{fx_str, FxBuild, FxHasher};
use std::num::NonZeroU32;
use std::sync::{LazyLock, RwLock};

/// A short string (a figure's unit or qualifier) interned once per process:
/// 4 bytes, compared by id, read back as `&'static str`. The table only
/// grows (as the index's set of units did); it holds a few thousand short
/// strings at most in practice. The units of [`MEASURES`] come first, so
/// [`Sym::is_measure`] is a comparison.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sym(NonZeroU32);

/// Units that are measures (currencies, percentages, ratios), not counted
/// nouns: [`Sym`] ids `1..=MEASURES.len()`.
pub const MEASURES: [&str; 7] = [
    "%",
    "usd",
    "eur",
    "gbp",
    "jpy",
    "rub",
    super::equivalence::RATIO,
];

#[derive(Default)]
struct SymTable {
    ids: Interner,
    strs: Vec<&'static str>,
}

static SYMS: LazyLock<RwLock<SymTable>> = LazyLock::new(|| {
    let mut t = SymTable::default();
    for m in MEASURES {
        t.add(m);
    }
    RwLock::new(t)
});

impl SymTable {
    fn add(&mut self, s: &str) -> u32 {
        let id = self.ids.intern(s);
        if id as usize == self.strs.len() {
            // Leaked on purpose: the table lives as long as the process.
            self.strs.push(Box::leak(Box::from(s)));
        }
        id
    }
}

impl Sym {
    /// The symbol of `s` (interned if new).
    pub fn new(s: &str) -> Sym {
        let found = SYMS.read().unwrap_or_else(|e| e.into_inner()).ids.find(s);
        let id = match found {
            Some(id) => id,
            None => SYMS.write().unwrap_or_else(|e| e.into_inner()).add(s),
        };
        Sym(NonZeroU32::MIN.saturating_add(id))
    }

    pub fn as_str(self) -> &'static str {
        let t = SYMS.read().unwrap_or_else(|e| e.into_inner());
        t.strs.get(self.0.get() as usize - 1).copied().unwrap_or("")
    }

    /// One of [`MEASURES`].
    pub fn is_measure(self) -> bool {
        self.0.get() as usize <= MEASURES.len()
    }
}

impl std::ops::Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Sym {
    fn from(s: &str) -> Sym {
        Sym::new(s)
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
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

    #[test]
    fn symbols_round_trip() {
        let a = Sym::new("diplomat-test-unit");
        assert_eq!(a, Sym::from("diplomat-test-unit"));
        assert_eq!(&*a, "diplomat-test-unit");
        assert_ne!(a, Sym::new("envoy-test-unit"));
        assert!(!a.is_measure());
        for m in MEASURES {
            assert!(Sym::new(m).is_measure());
            assert_eq!(Sym::new(m).as_str(), m);
        }
        assert_eq!(Sym::new("").as_str(), "");
    }
}
