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
    /// two, at most half full (three quarters if `dense`).
    table: Vec<u64>,
    dense: bool,
    /// id -> the string's hash, kept by [`keeping_hashes`](Self::keeping_hashes)
    /// interners only (a document's terms: the index interns them again
    /// without hashing them again).
    hashes: Option<Vec<u64>>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty interner whose table holds `n` strings without growing.
    pub fn with_capacity(n: usize) -> Self {
        let mut i = Interner::default();
        i.table = vec![0; i.slots_for(n)];
        i.ends.reserve_exact(n);
        i
    }

    /// Room for `bytes` more bytes of string text without reallocating.
    pub fn reserve_text(&mut self, bytes: usize) {
        self.text.reserve(bytes);
    }

    /// [`with_capacity`](Self::with_capacity) with a table up to three
    /// quarters full instead of half: two thirds of the table bytes for a
    /// little more probing (for a memo that stays large).
    pub fn dense(n: usize) -> Self {
        let mut i = Interner {
            dense: true,
            ..Default::default()
        };
        i.table = vec![0; i.slots_for(n)];
        i.ends.reserve_exact(n);
        i
    }

    /// This interner, keeping the hash of each string it holds (8 bytes a
    /// string) for [`intern_all`](Self::intern_all) into another.
    pub fn keeping_hashes(mut self) -> Self {
        let n = self.ends.capacity();
        let mut h = Vec::with_capacity(n);
        h.extend((0..self.ends.len() as u32).map(|id| fx_str(self.get(id))));
        self.hashes = Some(h);
        self
    }

    /// The hash of string `id`.
    #[inline]
    fn hash_of(&self, id: u32) -> u64 {
        match &self.hashes {
            Some(h) => h[id as usize],
            None => fx_str(self.get(id)),
        }
    }

    /// Table slots for `n` strings.
    fn slots_for(&self, n: usize) -> usize {
        let min = if self.dense {
            (n + 1) * 4 / 3 + 1
        } else {
            (n + 1) * 2
        };
        min.next_power_of_two().max(64)
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

    /// The id of `s`, if interned. Always inlined: it is the word cache's
    /// lookup of every word, and a call costs it about a tenth.
    #[inline(always)]
    pub fn find(&self, s: &str) -> Option<u32> {
        if self.table.is_empty() {
            return None;
        }
        self.probe(s, fx_str(s)).ok()
    }

    /// The id of `s`, interning it if new.
    #[inline]
    pub fn intern(&mut self, s: &str) -> u32 {
        if self.slots_for(self.ends.len()) > self.table.len() {
            self.grow();
        }
        let h = fx_str(s);
        match self.probe(s, h) {
            Ok(id) => id,
            Err(slot) => self.add_at(s, h, slot),
        }
    }

    /// The ids of all the strings of `src`, in its id order, into `out`;
    /// new strings are interned in that order (the ids are those of one
    /// [`intern`](Self::intern) each). The whole batch is hashed before
    /// the table is probed: the probes do not wait on the hashing, so the
    /// CPU overlaps their cache misses.
    pub fn intern_all(&mut self, src: &Interner, out: &mut Vec<u32>) {
        out.clear();
        out.reserve(src.len());
        let computed: Vec<u64>;
        let hashes = match &src.hashes {
            Some(h) => h,
            None => {
                computed = (0..src.len() as u32).map(|t| fx_str(src.get(t))).collect();
                &computed
            }
        };
        for (t, &h) in hashes.iter().enumerate() {
            // As `intern` does: grown before each string, so the table is
            // the same as after one `intern` each.
            if self.slots_for(self.ends.len()) > self.table.len() {
                self.grow();
            }
            if let Some(&h2) = hashes.get(t + PREFETCH) {
                prefetch(&self.table, h2 as usize & (self.table.len() - 1));
            }
            let s = src.get(t as u32);
            let id = match self.probe(s, h) {
                Ok(id) => id,
                Err(slot) => self.add_at(s, h, slot),
            };
            out.push(id);
        }
    }

    /// Add `s` (hash `h`) at free slot `slot`: its new id.
    #[inline]
    fn add_at(&mut self, s: &str, h: u64, slot: usize) -> u32 {
        let id = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        self.table[slot] = h >> 32 << 32 | (id as u64 + 1);
        if let Some(hs) = &mut self.hashes {
            hs.push(h);
        }
        id
    }

    /// Linear probing for `s` (hash `h`) in a non-empty table: its id, or
    /// the free slot where it would go. Always inlined: the lookups of a
    /// word cache hit are a few dozen instructions, and a call's register
    /// saving was a third of them.
    #[inline(always)]
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
                if same(self.get(id).as_bytes(), s.as_bytes()) {
                    return Ok(id);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let n = self.slots_for(self.ends.len()).max(self.table.len() * 2);
        let mut table = vec![0u64; n];
        let mask = n - 1;
        for id in 0..self.ends.len() as u32 {
            let h = self.hash_of(id);
            let mut slot = h as usize & mask;
            while table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            table[slot] = h >> 32 << 32 | (id as u64 + 1);
        }
        self.table = table;
    }

    /// Keep only the strings whose id `keep` marks (ids past its end are
    /// dropped), renumbered `0..` in their old order; the table keeps its
    /// size. Returns old id -> new id ([`u32::MAX`]: dropped).
    pub fn retain(&mut self, keep: &[bool]) -> Vec<u32> {
        let mut map = vec![u32::MAX; self.ends.len()];
        let mut text = String::with_capacity(self.text.capacity());
        let mut ends = Vec::with_capacity(self.ends.capacity());
        for (id, m) in map.iter_mut().enumerate() {
            if keep.get(id).copied().unwrap_or(false) {
                *m = ends.len() as u32;
                text.push_str(self.get(id as u32));
                ends.push(text.len() as u32);
            }
        }
        self.text = text;
        self.ends = ends;
        if let Some(h) = &mut self.hashes {
            *h = map
                .iter()
                .zip(h.iter())
                .filter(|(m, _)| **m != u32::MAX)
                .map(|(_, &h)| h)
                .collect();
        }
        self.table.iter_mut().for_each(|e| *e = 0);
        let mask = self.table.len().wrapping_sub(1);
        for id in 0..self.ends.len() as u32 {
            let h = self.hash_of(id);
            let mut slot = h as usize & mask;
            while self.table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.table[slot] = h >> 32 << 32 | (id as u64 + 1);
        }
        map
    }

    /// Forget every string (keeps the buffers).
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        if let Some(h) = &mut self.hashes {
            h.clear();
        }
        self.table.iter_mut().for_each(|e| *e = 0);
    }

    /// Release spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        if let Some(h) = &mut self.hashes {
            h.shrink_to_fit();
        }
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * 4
            + self.table.capacity() * 8
            + self.hashes.as_ref().map_or(0, |h| h.capacity() * 8)
    }
}

/// How many strings ahead [`Interner::intern_all`] prefetches table slots.
const PREFETCH: usize = 8;

/// Hint the CPU to load `v[i]` into the cache (no effect on results).
#[inline(always)]
fn prefetch(v: &[u64], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(e) = v.get(i) {
        // SAFETY: a prefetch of a valid address has no effect on memory.
        unsafe {
            std::arch::x86_64::_mm_prefetch(
                e as *const u64 as *const i8,
                std::arch::x86_64::_MM_HINT_T0,
            );
        }
    }
}

/// `a == b`, inline for the short strings of a vocabulary (a call to
/// `memcmp` costs more than the comparison).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w8 = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
    let w4 = |s: &[u8], i: usize| u32::from_le_bytes(s[i..i + 4].try_into().unwrap_or([0; 4]));
    match n {
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        _ => a == b,
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
    fn intern_all_is_one_intern_each() {
        // Batches with new and known strings, across table growths.
        let batches: Vec<Vec<String>> = (0..40)
            .map(|b| {
                (0..b * 7)
                    .map(|n| format!("w{}", (n * 13 + b * 5) % 400))
                    .collect()
            })
            .collect();
        let (mut one, mut all) = (Interner::new(), Interner::new());
        let mut out = vec![7];
        for (b, batch) in batches.iter().enumerate() {
            // with and without kept hashes
            let mut src = if b % 2 == 0 {
                Interner::new()
            } else {
                Interner::with_capacity(4).keeping_hashes()
            };
            for w in batch {
                src.intern(w);
            }
            let want: Vec<u32> = (0..src.len() as u32)
                .map(|t| one.intern(src.get(t)))
                .collect();
            all.intern_all(&src, &mut out);
            assert_eq!(out, want);
            assert_eq!(
                (all.text.as_str(), &all.ends, &all.table),
                (one.text.as_str(), &one.ends, &one.table)
            );
        }
        assert!(one.len() > 300);
        all.intern_all(&Interner::new(), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn kept_hashes_follow_the_strings() {
        let mut i = Interner::new();
        i.intern("before");
        let mut i = i.keeping_hashes();
        let words: Vec<String> = (0..300).map(|n| format!("w{n}")).collect();
        for w in &words {
            i.intern(w);
        }
        let check = |i: &Interner| {
            let h = i.hashes.as_ref().unwrap();
            assert_eq!(h.len(), i.len());
            for id in 0..i.len() as u32 {
                assert_eq!(h[id as usize], fx_str(i.get(id)));
                assert_eq!(i.find(i.get(id)), Some(id));
            }
        };
        check(&i);
        i.retain(&(0..200).map(|n| n % 3 == 1).collect::<Vec<_>>());
        check(&i);
        assert_eq!(i.find("w0"), Some(0));
        i.clear();
        check(&i);
        i.intern("again");
        check(&i);
    }

    #[test]
    fn retain_renumbers_in_order() {
        let mut i = Interner::with_capacity(10);
        let words: Vec<String> = (0..300).map(|n| format!("w{n}")).collect();
        for w in &words {
            i.intern(w);
        }
        let table = i.table.len();
        // Keep every third word (ids past `keep` are dropped too).
        let keep: Vec<bool> = (0..299).map(|n| n % 3 == 0).collect();
        let map = i.retain(&keep);
        assert_eq!(map.len(), 300);
        assert_eq!(i.len(), 100);
        assert_eq!(i.table.len(), table);
        for (n, w) in words.iter().enumerate() {
            if n % 3 == 0 && n < 299 {
                assert_eq!(map[n], (n / 3) as u32);
                assert_eq!(i.get(map[n]), w);
                assert_eq!(i.find(w), Some(map[n]));
            } else {
                assert_eq!(map[n], u32::MAX);
                assert_eq!(i.find(w), None);
            }
        }
        // New strings follow; dropped ones come back with new ids.
        assert_eq!(i.intern("w1"), 100);
        assert_eq!(i.intern("w0"), 0);
        assert_eq!(i.intern("new"), 101);
        // Nothing kept; an empty interner.
        assert!(i.retain(&[]).iter().all(|&m| m == u32::MAX));
        assert!(i.is_empty());
        assert_eq!(i.find("w0"), None);
        assert_eq!(i.intern("w0"), 0);
        let mut e = Interner::new();
        assert!(e.retain(&[true]).is_empty());
        assert_eq!(e.intern("x"), 0);
    }

    #[test]
    fn same_is_equality() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "abd",
            "abcd",
            "abce",
            "bbcd",
            "abcdefg",
            "abcdefh",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "bbcdefghijklmnop",
            "abcdefghXjklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
        ];
        for a in words {
            for b in words {
                assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b, "{a} {b}");
            }
        }
        // every length, one byte changed anywhere
        let base: Vec<u8> = (0..40u8).collect();
        for n in 0..40 {
            assert!(same(&base[..n], &base[..n]));
            for i in 0..n {
                let mut c = base[..n].to_vec();
                c[i] ^= 0x20;
                assert!(!same(&base[..n], &c), "{n} {i}");
            }
        }
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
