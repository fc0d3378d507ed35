//! The index proper: documents, their claims, and postings from terms,
//! figure keys and entity keys to claims.
//!
//! Layout: every document version lives in a *slot*; its claims get
//! contiguous global ids. Postings are `u32` words `gid << 4 | tf` per term,
//! in one flat array (rebuilt after a bulk build or a compaction) plus a
//! vector per term for the claims inserted since.
//! Updating or removing a document frees its slot; postings that point into
//! a dead slot are skipped at query time and dropped by a compaction once
//! dead slots outnumber half the live ones.

use super::features::{self, DocFeatures, FigureFeature};
use super::intern::Interner;
use super::matching::{self, Evidence, Relation, Stats};
use crate::analysis::{Article, Meta};
use crate::text::{count_units, Encoding, LineIndex};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// How many of a query claim's rarest terms gather candidates.
pub const MAX_QUERY_TERMS: usize = 24;

/// Longest part of a sentence shown for a result (bytes, besides the `…`
/// marking cuts; see [`excerpt`]).
pub const MAX_TEXT: usize = 240;

/// A zero-based position with the column in Unicode scalar values and in
/// UTF-16 code units (the LSP default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinePos {
    pub line: u32,
    pub col: u32,
    pub col_utf16: u32,
}

/// A quotation of a claim: its byte span in the article and its speaker.
pub type QuoteRef = (Range<usize>, Option<Box<str>>);

/// A claim: one sentence of an article with the features matching uses.
/// Its line/column positions are kept by its document
/// ([`Index::claim_position`]).
#[derive(Debug, Clone)]
pub struct Claim {
    /// Byte span of the sentence in the article text.
    pub span: Range<usize>,
    /// Index into `Article::sentences` (see [`Claim::sentence`]).
    sentence: u32,
    /// The months, years and parts of the day the sentence names
    /// (`features::time_mask`).
    times: u32,
    /// Hash of the sentence text (`text[span]`, see [`sentence_hash`]):
    /// the index keeps no text of unopened files and checks a sentence
    /// read back for display against it.
    pub(crate) text_hash: u32,
    /// Bit set of `features::CARRIES_*`; 0 for a context sentence.
    pub carries: u8,
    /// Its figures are sourced and its quotations attributed.
    pub sourced: bool,
    pub figures: Box<[FigureFeature]>,
    /// Sorted packed terms (`term id << 8 | name flag | tf`, see
    /// [`matching::term_of`]).
    pub(crate) terms: Box<[u32]>,
    pub(crate) len: u16,
    /// Quotations, speakers, quoted words, dates: absent for most claims.
    extra: Option<Box<Extra>>,
}

/// The rarer features of a claim, boxed apart to keep [`Claim`] small:
/// quotations, and the term ids of speakers, quoted words and dates in one
/// array (read through [`ExtraRef`]).
#[derive(Debug, Clone, Default)]
pub struct Extra {
    quotes: Box<[QuoteRef]>,
    /// Speakers, quoted words and dates (each sorted), then the
    /// quotations' tail: each one's word pairs (`features::pairs_mask` of
    /// all its words, [`PAIR_IDS`] ids, low halves first), each one's
    /// quoted-word pairs (`ClaimFeatures::quote_phrases`: a count, then two
    /// hashes an id), and (at [`QUOTE_LISTS`]) each one's words (a count,
    /// then the words, sorted).
    ids: Box<[u32]>,
    n_speakers: u16,
    n_quote_words: u16,
    /// The places in a ranking it gives (`features::rank_mask`, bits 0-19)
    /// and, at [`RUNNING`] and [`FISCAL`], whether its figures are running
    /// totals, or of a fiscal year.
    moments: u32,
}

/// In [`Extra`]'s `moments`: the figures are running totals.
const RUNNING: u32 = 1 << 31;

/// In [`Extra`]'s `moments`: the figures are of a fiscal year.
const FISCAL: u32 = 1 << 30;

/// In [`Extra`]'s `moments`: `ids` holds each quotation's own words (the
/// sentence quotes more than one passage).
const QUOTE_LISTS: u32 = 1 << 29;

/// How many ids of [`Extra`]'s `ids` hold a quotation's word pairs.
const PAIR_IDS: usize = 4;

/// In [`Extra`]'s `moments`, bits 20-28: how many of `ids` are dates.
const DATES_SHIFT: u32 = 20;
const MAX_DATES: usize = 511;

/// The flags and counts of [`Extra`]'s `moments` (the rest are ranks).
const MOMENT_FLAGS: u32 = RUNNING | FISCAL | QUOTE_LISTS | (MAX_DATES as u32) << DATES_SHIFT;

/// A claim's [`Extra`], by part.
#[derive(Debug, Clone, Copy)]
pub struct ExtraRef<'a> {
    /// Byte spans of its quotations (not scare quotes) and their speakers.
    pub quotes: &'a [QuoteRef],
    /// Sorted term ids of its quotations' speakers (name keys).
    pub(crate) speakers: Ids<'a>,
    pub(crate) quote_words: Ids<'a>,
    pub(crate) dates: Ids<'a>,
    /// The quotations' tail (see [`Extra`]'s `ids`), read by
    /// [`ExtraRef::quote_pairs_of`], [`ExtraRef::quote_phrases_of`] and
    /// [`ExtraRef::quote_words_of`].
    tail: &'a [u32],
    /// The tail holds each quotation's own words.
    lists: bool,
}

impl<'a> ExtraRef<'a> {
    /// Entry `i` of the tail's counted lists (after the fixed-size word
    /// pairs: the quoted-word pairs, two to an id, then the words), as its
    /// count and its ids.
    fn counted(&self, words: bool, i: usize) -> (usize, &'a [u32]) {
        let t = self.tail;
        let packed = |n: usize| n.div_ceil(2);
        let mut k = PAIR_IDS * self.quotes.len();
        let (skip, ids_of): (usize, fn(usize) -> usize) = if words {
            for _ in 0..self.quotes.len() {
                k += 1 + t.get(k).map_or(0, |&n| packed(n as usize));
            }
            (i, |n| n)
        } else {
            (i, packed)
        };
        for _ in 0..skip {
            k += 1 + t.get(k).map_or(0, |&n| ids_of(n as usize));
        }
        let n = t.get(k).map_or(0, |&n| n as usize);
        let start = (k + 1).min(t.len());
        (n, &t[start..(start + ids_of(n)).min(t.len())])
    }

    /// The word pairs of quotation `i` ([`features::pairs_mask`] of all
    /// its words, 128 bits).
    pub(crate) fn quote_pairs_of(&self, i: usize) -> [u64; 2] {
        let at = |k: usize| match (self.tail.get(k), self.tail.get(k + 1)) {
            (Some(&lo), Some(&hi)) => (hi as u64) << 32 | lo as u64,
            _ => 0,
        };
        [at(PAIR_IDS * i), at(PAIR_IDS * i + 2)]
    }

    /// The pairs of successive quoted words of quotation `i`
    /// ([`features::phrase_hash`]), sorted.
    pub(crate) fn quote_phrases_of(&self, i: usize) -> Vec<u16> {
        let (n, ids) = self.counted(false, i);
        ids.iter()
            .flat_map(|&x| [x as u16, (x >> 16) as u16])
            .take(n)
            .collect()
    }

    /// The quoted words of quotation `i` of [`ExtraRef::quotes`], sorted:
    /// its own when the sentence quotes several passages, else the
    /// sentence's quoted words.
    pub(crate) fn quote_words_of(&self, i: usize) -> Ids<'a> {
        if !self.lists {
            return self.quote_words;
        }
        Ids(self.counted(true, i).1)
    }
}

/// Sorted term ids, read as a slice (a borrow of the claim's [`Extra`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ids<'a>(&'a [u32]);

impl std::ops::Deref for Ids<'_> {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        self.0
    }
}

impl Claim {
    /// Index into `Article::sentences`.
    pub fn sentence(&self) -> usize {
        self.sentence as usize
    }

    /// The months, years and parts of the day the sentence names, as bits
    /// (`features::time_mask`).
    pub fn times(&self) -> u32 {
        self.times
    }

    /// The places in a ranking the sentence gives, as bits
    /// (`features::rank_mask`).
    pub fn ranks(&self) -> u32 {
        self.extra
            .as_deref()
            .map_or(0, |x| x.moments & !MOMENT_FLAGS)
    }

    /// Its figures are of a fiscal year (`features::fiscal_year`).
    pub fn fiscal(&self) -> bool {
        self.extra
            .as_deref()
            .is_some_and(|x| x.moments & FISCAL != 0)
    }

    /// Its figures are running totals or balances
    /// (`features::running_total`).
    pub fn running(&self) -> bool {
        self.extra
            .as_deref()
            .is_some_and(|x| x.moments & RUNNING != 0)
    }

    #[inline]
    pub(crate) fn extra(&self) -> ExtraRef<'_> {
        match self.extra.as_deref() {
            None => ExtraRef {
                quotes: &[],
                speakers: Ids(&[]),
                quote_words: Ids(&[]),
                dates: Ids(&[]),
                tail: &[],
                lists: false,
            },
            Some(x) => {
                let n_dates = (x.moments >> DATES_SHIFT) as usize & MAX_DATES;
                let a = (x.n_speakers as usize).min(x.ids.len());
                let b = (a + x.n_quote_words as usize).min(x.ids.len());
                let c = (b + n_dates).min(x.ids.len());
                ExtraRef {
                    quotes: &x.quotes,
                    speakers: Ids(&x.ids[..a]),
                    quote_words: Ids(&x.ids[a..b]),
                    dates: Ids(&x.ids[b..c]),
                    tail: &x.ids[c..],
                    lists: x.moments & QUOTE_LISTS != 0,
                }
            }
        }
    }
    /// Byte spans of the claim's quotations (not scare quotes) and their
    /// speakers.
    pub fn quotes(&self) -> &[QuoteRef] {
        self.extra().quotes
    }
    pub fn has_figure(&self) -> bool {
        self.carries & features::CARRIES_FIGURE != 0
    }
    pub fn has_quote(&self) -> bool {
        self.carries & features::CARRIES_QUOTE != 0
    }
    pub fn has_date(&self) -> bool {
        self.carries & features::CARRIES_DATE != 0
    }
    /// A claim in the SPEC's strict sense: carries a figure, a quotation or
    /// a date (others are context sentences, indexed for matching only).
    pub fn is_strict(&self) -> bool {
        self.carries != 0
    }
}

/// A matching claim in another article.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub path: Arc<str>,
    /// Index into [`Index::claims_of`] of `path`.
    pub claim: usize,
    /// Byte span of the matching sentence in its article.
    pub span: Range<usize>,
    pub start: LinePos,
    pub end: LinePos,
    /// The matching sentence (at most [`MAX_TEXT`] bytes of it, around
    /// what it shares with the query: [`excerpt`]), read back
    /// from its article; [`SENTENCE_UNAVAILABLE`] when the article changed
    /// or could not be read since it was indexed (see [`Match::sentence`]).
    pub text: String,
    /// Byte ranges in `text` to show in bold: shared figures and words.
    pub bold: Vec<Range<usize>>,
    /// `text` is the indexed sentence (not the placeholder).
    pub text_available: bool,
    pub score: f32,
    pub relation: Relation,
    /// A [`Relation::SameClaim`] whose figures of one unit all differ from
    /// the query's ([`matching::disagree`]), though the two sentences say
    /// too little else alike to call it a conflict: a related report whose
    /// figure a reader should compare, not one that agrees.
    pub figures_differ: bool,
    pub evidence: Evidence,
}

impl Match {
    /// The matching sentence as indexed (as in [`Match::text`]), or
    /// `None` when it could not be read back unchanged.
    pub fn sentence(&self) -> Option<&str> {
        self.text_available.then_some(self.text.as_str())
    }
}

/// Shown for a sentence of another article that could not be read back as
/// it was indexed (the file changed on disk, or is gone).
pub const SENTENCE_UNAVAILABLE: &str =
    "(sentence not shown: the article changed on disk since it was indexed)";

/// Reads the current text of an indexed document by its path, for the
/// sentences of results (the index keeps no text of unopened files and
/// does no I/O itself; the front end gives it one, see
/// [`Index::set_text_source`]).
pub type TextSource = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// A `conflicting-figure` or `quote-variant` finding (see
/// [`Index::cross_findings`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CrossFinding {
    /// Index into [`Index::claims_of`].
    pub claim: usize,
    /// Byte span in the document: the figure or the quotation.
    pub span: Range<usize>,
    pub relation: Relation,
    /// The claim of the other article.
    pub other: Match,
}

/// A workspace-symbol hit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub path: Arc<str>,
    pub claim: usize,
    pub span: Range<usize>,
    pub start: LinePos,
    pub end: LinePos,
    /// The sentence (its first [`MAX_TEXT`] bytes), or
    /// [`SENTENCE_UNAVAILABLE`].
    pub text: String,
    pub score: f32,
}

/// A document ready to go into the index: built without the index (so in
/// parallel), inserted with [`Index::insert`].
#[derive(Debug, Clone)]
pub struct Prepared {
    meta: Meta,
    sourced: bool,
    /// The document's distinct terms, numbered in first use.
    vocab: Interner,
    doc_terms: Vec<u32>,
    /// [`DocFeatures::date`], [`DocFeatures::place`] and
    /// [`DocFeatures::names`].
    date: u32,
    place: u32,
    tickers: u64,
    leads: u64,
    names: Vec<u32>,
    claims: Vec<PreparedClaim>,
    /// The claims' names (`features::DocFeatures::claim_names`).
    claim_names: Vec<u32>,
    /// The whole text, kept for display (open documents; see
    /// [`Prepared::keep_text`]).
    text: Option<Arc<str>>,
}

impl Prepared {
    /// Keep the document's text in the index (for an open document, whose
    /// buffer may differ from the file on disk): its sentences are shown
    /// from it rather than read back through the [`TextSource`]. `text`
    /// must be the text the document was prepared from.
    pub fn keep_text(mut self, text: impl Into<Arc<str>>) -> Self {
        self.text = Some(text.into());
        self
    }
}

#[derive(Debug, Clone)]
struct PreparedClaim {
    f: features::ClaimFeatures,
    start: LinePos,
    end: LinePos,
    text_hash: u32,
}

#[derive(Debug)]
struct Doc {
    path: Arc<str>,
    meta: Meta,
    sourced: bool,
    first_gid: u32,
    claims: Box<[Claim]>,
    /// The whole text, for open documents only ([`Prepared::keep_text`]).
    text: Option<Arc<str>>,
    /// Sorted ids of the article's main content terms (its context),
    /// delta-coded as LEB128 varints (see [`pack_ids`]).
    terms: Box<[u8]>,
    /// The claims' start and end positions, as varints (see
    /// [`pack_positions`]): about 7 bytes a claim instead of 24.
    pos: Box<[u8]>,
    /// The article's date ([`features::pack_date`], 0: unknown) and its
    /// main names (term ids, [`NO_NAME`] past the last), for telling a
    /// conflict from another subject's or another day's figure.
    date: u32,
    /// Where its dateline says it was filed ([`features::place_hash`], 0:
    /// none).
    place: u32,
    /// The companies it names by stock ticker
    /// ([`features::ticker_mask`]), and those its title names.
    tickers: u64,
    leads: u64,
    names: [u32; features::MAIN_NAMES],
}

/// A main name in more than this share of the claims (and more than 20)
/// marks no subject (`Inc`, `U.S.`): see [`matching::comparable`].
const COMMON_NAME: f32 = 0.005;

/// The share of claims a name may be written in and still be a sentence's
/// own subject when the other sentence lacks it (`Australia`, `Saab`; not
/// `U.S.`, which a report may leave unsaid): see [`matching::comparable`].
const OWN_NAME: f32 = 0.02;

/// How many better matches (distinct sentences) a match whose figures
/// disagree may follow, in the ranking of one of the two claims, and still
/// be shown as a conflict. A claim's best matches are its surest reports of
/// the same fact; a figure that differs further down both lists is most
/// likely a related fact (another index, another issue, another moment of
/// the day), not a dispute, and is not shown at all. Either claim's
/// ranking will do, so that a dispute shows in both articles.
const CONFLICT_RANK: usize = 2;

/// How many of a disagreeing claim's own matches are ranked to see whether
/// the query is among its best [`CONFLICT_RANK`] (wire copies of one
/// sentence count once there, so the list runs longer than the rank).
const REVERSE_LIMIT: usize = 16;

/// No name in [`Doc`]'s `names`.
const NO_NAME: u32 = u32::MAX;

impl Doc {
    /// Its date and main names, read with `context` (its [`Doc::context`]).
    fn setting<'a>(&'a self, context: &'a [u32]) -> matching::Setting<'a> {
        let n = self.names.iter().take_while(|&&t| t != NO_NAME).count();
        matching::Setting {
            date: self.date,
            place: self.place,
            tickers: self.tickers,
            leads: self.leads,
            names: &self.names[..n],
            context,
        }
    }

    fn context(&self) -> Vec<u32> {
        unpack_ids(&self.terms)
    }

    /// Start and end of claim `i` (read through the claims before it).
    fn position(&self, i: usize) -> (LinePos, LinePos) {
        let mut r = Varints(&self.pos);
        let mut line = 0u32;
        let mut out = (LinePos::default(), LinePos::default());
        for _ in 0..=i.min(self.claims.len().saturating_sub(1)) {
            let mut next = |base: u32| {
                let line = base.wrapping_add(r.next().unwrap_or(0));
                let col = r.next().unwrap_or(0);
                let col_utf16 = col.wrapping_add(r.next().unwrap_or(0));
                LinePos {
                    line,
                    col,
                    col_utf16,
                }
            };
            let start = next(line);
            let end = next(start.line);
            line = end.line;
            out = (start, end);
        }
        out
    }
}

/// Claims' (start, end) positions in text order as varints: per position
/// the line's step from the previous position's line, the column, and the
/// UTF-16 column's excess over it (all wrapping, so any input round-trips).
fn pack_positions(pos: &[(LinePos, LinePos)]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(pos.len() * 7);
    let mut line = 0u32;
    for &(a, b) in pos {
        for p in [a, b] {
            for v in [
                p.line.wrapping_sub(line),
                p.col,
                p.col_utf16.wrapping_sub(p.col),
            ] {
                push_varint(&mut out, v);
            }
            line = p.line;
        }
    }
    out.into()
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The `u32` LEB128 varints of a byte slice.
struct Varints<'a>(&'a [u8]);

impl Iterator for Varints<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let (mut v, mut shift) = (0u32, 0u32);
        loop {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            v |= ((b & 0x7f) as u32) << shift.min(31);
            shift += 7;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
    }
}

/// Sorted ids as LEB128 varints of their gaps (about 2 bytes an id).
fn pack_ids(ids: &[u32]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(ids.len() * 2);
    let mut last = 0u32;
    for &id in ids {
        push_varint(&mut out, id - last);
        last = id;
    }
    out.into()
}

fn unpack_ids(bytes: &[u8]) -> Vec<u32> {
    let mut out = Vec::with_capacity(bytes.len());
    let (mut last, mut d, mut shift) = (0u32, 0u32, 0u32);
    for &b in bytes {
        d |= ((b & 0x7f) as u32) << shift.min(31);
        shift += 7;
        if b & 0x80 == 0 {
            last = last.wrapping_add(d);
            out.push(last);
            d = 0;
            shift = 0;
        }
    }
    out
}

/// The workspace claim index. See the [module docs](super).
#[derive(Debug, Default)]
pub struct Index {
    /// Term string <-> term id.
    vocab: Interner,
    /// Term id -> is an entity key (`#...`).
    entity: Vec<bool>,
    /// Term id -> is the stem of a title word (`minist`, `spokesman`).
    title: Vec<bool>,
    /// Term id -> number of live claims holding it.
    df: Vec<u32>,
    /// Term id -> `gid << 4 | min(tf, 15)`.
    postings: Postings,
    slots: Vec<Option<Doc>>,
    by_path: HashMap<Arc<str>, u32>,
    /// Global claim id -> slot.
    gid_slot: Vec<u32>,
    /// Global claim id -> number of terms (BM25 length).
    gid_len: Vec<u16>,
    live_claims: u64,
    total_len: u64,
    dead_slots: usize,
    /// Where sentences of documents without kept text are read back from.
    source: Source,
    /// In a bulk build: postings are built once at the end, at their exact
    /// size ([`Index::begin_bulk`]).
    bulk: bool,
}

#[derive(Default, Clone)]
struct Source(Option<TextSource>);

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Source(set)"
        } else {
            "Source(none)"
        })
    }
}

/// The hash a claim keeps of its sentence text.
pub(crate) fn sentence_hash(s: &str) -> u32 {
    crate::fxhash::fx_str(s) as u32
}

fn lpos(text: &str, li: &LineIndex, offset: usize) -> LinePos {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = li.line_of(offset);
    let r = li.line_range(text, line);
    let seg = &text[r.start..offset.clamp(r.start, r.end)];
    LinePos {
        line: line as u32,
        col: count_units(seg, Encoding::Chars) as u32,
        col_utf16: count_units(seg, Encoding::Utf16) as u32,
    }
}

/// Bytes of context kept before the first emphasised range when a long
/// sentence is cut around it.
const LEAD: usize = 60;

/// Bytes of context kept after the last emphasised range, when the
/// sentence goes on past the window; also how far back an excerpt's end
/// moves to end on a word.
const TAIL: usize = 24;

/// Claim `i` of `claims` (an article's, in text order) with the other
/// clauses of its sentence ([`super::clauses`]), which are next to it.
fn sentence_of(claims: &[Claim], i: usize) -> Vec<&Claim> {
    let sentence = claims[i].sentence;
    let mut a = i;
    while a > 0 && claims[a - 1].sentence == sentence {
        a -= 1;
    }
    let mut b = i + 1;
    while b < claims.len() && claims[b].sentence == sentence {
        b += 1;
    }
    claims[a..b].iter().collect()
}

/// At most `max` bytes of `s` (plus `…` where it is cut), chosen to show
/// the ranges of `bold` (byte ranges of `s`; `figures` among them weigh
/// more): the window that holds the most of them, the earliest of equals,
/// starting a little before its first range and on a word boundary.
/// Returns the excerpt and the ranges that lie wholly inside it, in the
/// excerpt's bytes. Without ranges, the sentence's beginning.
///
/// A long sentence whose shared figure comes at its end (`…cutting the
/// mission by half: from twenty to ten people.`) is shown from near that
/// figure, not cut before it.
pub fn excerpt(
    s: &str,
    bold: &[Range<usize>],
    figures: &[Range<usize>],
    max: usize,
) -> (String, Vec<Range<usize>>) {
    let valid = |r: &&Range<usize>| {
        r.start < r.end && s.is_char_boundary(r.start) && s.is_char_boundary(r.end)
    };
    let bold: Vec<Range<usize>> = bold.iter().filter(valid).cloned().collect();
    if s.len() <= max {
        return (s.to_string(), bold);
    }
    let floor = |mut i: usize| {
        i = i.min(s.len());
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    // The first word starting at or after byte `a`, not past `limit`.
    let word_at = |a: usize, limit: usize| -> usize {
        let a = floor(a);
        if a == 0 || a >= limit {
            return a.min(limit);
        }
        s[a..limit]
            .find(char::is_whitespace)
            .map_or(limit, |i| {
                a + i + s[a + i..].chars().next().map_or(1, char::len_utf8)
            })
            .min(limit)
    };
    // Candidate starts: the beginning, and a little before each range.
    let mut starts = vec![0];
    for r in &bold {
        starts.push(word_at(r.start.saturating_sub(LEAD), r.start));
    }
    let weight = |a: usize| -> usize {
        let e = a + max;
        bold.iter()
            .filter(|r| r.start >= a && r.end <= e)
            .map(|r| {
                if figures.iter().any(|f| f.start < r.end && r.start < f.end) {
                    3
                } else {
                    1
                }
            })
            .sum()
    };
    let mut best = 0;
    let mut best_w = weight(0);
    for &a in &starts[1..] {
        let w = weight(a);
        if w > best_w || w == best_w && a < best {
            best = a;
            best_w = w;
        }
    }
    // Context around the ranges: to the sentence's end when the window
    // reaches it, else a few words after the last range and the rest
    // before the first.
    let mut inside = bold
        .iter()
        .filter(|r| r.start >= best && r.end <= best + max);
    let first = inside.next();
    let last = inside.next_back().or(first);
    let a = match (first.map(|r| r.start), last.map(|r| r.end)) {
        (Some(f), Some(l)) if best > 0 => {
            if s.len().saturating_sub(max) <= f {
                word_at(s.len().saturating_sub(max), f)
            } else {
                word_at((l + TAIL).saturating_sub(max), f)
            }
        }
        _ => best,
    };
    let mut e = floor(a + max);
    if e < s.len() {
        // End on a word boundary when one is near, after the ranges.
        let keep = bold
            .iter()
            .filter(|r| r.start >= a && r.end <= e)
            .map(|r| r.end)
            .max()
            .unwrap_or(a);
        if let Some(i) = s[a..e]
            .rfind(char::is_whitespace)
            .filter(|&i| a + i > e.saturating_sub(TAIL) && a + i >= keep)
        {
            e = a + i;
        }
    }
    let body = s[a..e].trim_end();
    let lead = if a > 0 { "…" } else { "" };
    let mut out = String::with_capacity(body.len() + 6);
    out.push_str(lead);
    out.push_str(body);
    let body_end = a + body.len();
    if body_end < s.len() {
        out.push('…');
    }
    let shift = lead.len();
    let ranges = bold
        .into_iter()
        .filter(|r| r.start >= a && r.end <= body_end)
        .map(|r| r.start - a + shift..r.end - a + shift)
        .collect();
    (out, ranges)
}

/// Extract a document's claims and positions (pure; no index needed).
pub fn prepare(text: &str, article: &Article) -> Prepared {
    let DocFeatures {
        claims,
        claim_names,
        sourced,
        vocab,
        doc_terms,
        date,
        place,
        tickers,
        leads,
        names,
    } = features::extract(text, article);
    let li = LineIndex::new(text);
    let claims = claims
        .into_iter()
        .map(|mut f| {
            // Trim the sentence's surrounding spaces and keep the span and
            // the figure offsets in step with the displayed text.
            let raw = &text[f.span.clone()];
            let lead = raw.len() - raw.trim_start().len();
            let trimmed = raw.trim();
            f.span = f.span.start + lead..f.span.start + lead + trimmed.len();
            for fig in &mut f.figures {
                let r = fig.rel_span();
                fig.set_rel_span(r.start.saturating_sub(lead)..r.end.saturating_sub(lead));
            }
            PreparedClaim {
                start: lpos(text, &li, f.span.start),
                end: lpos(text, &li, f.span.end),
                text_hash: sentence_hash(trimmed),
                f,
            }
        })
        .collect();
    Prepared {
        meta: article.meta.clone(),
        sourced,
        vocab,
        doc_terms,
        date,
        place,
        tickers,
        leads,
        names,
        claims,
        claim_names,
        text: None,
    }
}

impl Index {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Number of claims over all documents.
    pub fn claim_count(&self) -> usize {
        self.live_claims as usize
    }

    /// Paths of all documents (in no particular order).
    pub fn paths(&self) -> impl Iterator<Item = &Arc<str>> {
        self.by_path.keys()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// Register the term ids `from..` just added to the vocabulary.
    fn new_terms(&mut self, from: usize) {
        debug_assert_eq!(self.df.len(), from);
        for id in from..self.vocab.len() {
            let term = self.vocab.get(id as u32);
            self.df.push(0);
            self.entity.push(term.starts_with('#'));
            self.title.push(features::is_title_stem(term));
        }
    }

    /// [`matching::TERM_ENTITY`] / [`matching::TERM_TITLE`] bits of a term.
    fn term_kind(&self, t: u32) -> u8 {
        let t = t as usize;
        let e = self.entity.get(t).copied().unwrap_or(false) as u8 * matching::TERM_ENTITY;
        e | (self.title.get(t).copied().unwrap_or(false) as u8 * matching::TERM_TITLE)
    }

    fn lookup(&self, term: &str) -> Option<u32> {
        self.vocab.find(term)
    }

    /// Add or replace a document: analyse-side features of `text` as
    /// analysed into `article`.
    /// The text is kept for display (as for an open document).
    pub fn upsert(&mut self, path: &str, text: &str, article: &Article) {
        let p = prepare(text, article).keep_text(text);
        self.insert(path, p);
    }

    /// Add or replace a document from [`prepare`]d features.
    pub fn insert(&mut self, path: &str, mut prepared: Prepared) {
        self.insert_from(path, &mut prepared);
    }

    /// [`insert`](Self::insert) that copies what the index keeps and
    /// leaves `prepared` (less its kept text) to the caller, to be freed
    /// where it was allocated: a bulk build hands it back to the thread
    /// that prepared it, whose allocator arena then reuses it, instead of
    /// freeing across threads (glibc locks the other thread's arena for
    /// that, and the two threads contend on it).
    pub fn insert_from(&mut self, path: &str, prepared: &mut Prepared) {
        self.remove(path);
        let slot = self.slots.len() as u32;
        let first_gid = self.gid_slot.len() as u32;
        // Local term ids -> global, registered in the document's order of
        // first use (the order is part of the ranking's tie-breaks).
        let mut global: Vec<u32> = Vec::new();
        let known = self.vocab.len();
        self.vocab.intern_all(&prepared.vocab, &mut global);
        self.new_terms(known);
        let map = |v: &[u32]| -> Box<[u32]> {
            let mut out: Vec<u32> = v.iter().map(|&t| global[t as usize]).collect();
            out.sort_unstable();
            out.dedup();
            out.into()
        };
        let mut claims = Vec::with_capacity(prepared.claims.len());
        let pos: Vec<(LinePos, LinePos)> =
            prepared.claims.iter().map(|c| (c.start, c.end)).collect();
        let mut ids: Vec<u32> = Vec::new();
        let mut names: Vec<u32> = Vec::new();
        for (i, pc) in prepared.claims.iter().enumerate() {
            let gid = first_gid + i as u32;
            let f = &pc.f;
            ids.clear();
            ids.extend(f.terms.iter().map(|&t| global[t as usize]));
            ids.extend(f.figure_keys.iter().map(|&t| global[t as usize]));
            ids.sort_unstable();
            // A sentence writes a few names at most: a scan finds them.
            names.clear();
            names.extend(
                prepared.claim_names[f.names.start as usize..f.names.end as usize]
                    .iter()
                    .map(|&t| global[t as usize]),
            );
            let near = f.near_names as usize;
            let mut terms: Vec<u32> = Vec::with_capacity(ids.len());
            let mut i = 0;
            while i < ids.len() {
                let mut j = i;
                while j < ids.len() && ids[j] == ids[i] {
                    j += 1;
                }
                let tf = (j - i).min(matching::MAX_TF as usize) as u32;
                let name = match names.iter().position(|&n| n == ids[i]) {
                    Some(k) if k < near => matching::NAME | matching::NEAR_FIGURE,
                    Some(_) => matching::NAME,
                    None => 0,
                };
                terms.push(ids[i] << 8 | name | tf);
                i = j;
            }
            let len = f.terms.len().min(u16::MAX as usize) as u16;
            for &w in &terms {
                let t = matching::term_of(w);
                self.df[t as usize] += 1;
                if !self.bulk {
                    self.postings.push(t, posting(gid, w));
                }
            }
            let extra = if f.quotes.is_empty()
                && f.speakers.is_empty()
                && f.quote_words.is_empty()
                && f.day_dates.is_empty()
                && f.ranks == 0
                && !f.running
                && !f.fiscal
            {
                None
            } else {
                // (A sentence's speakers and quoted words are far fewer
                // than 65,536; longer lists are cut to fit.)
                let cut = |v: &[u32]| map(&v[..v.len().min(u16::MAX as usize)]);
                let (speakers, quote_words) = (cut(&f.speakers), cut(&f.quote_words));
                let mut ids =
                    Vec::with_capacity(speakers.len() + quote_words.len() + f.day_dates.len());
                ids.extend_from_slice(&speakers);
                ids.extend_from_slice(&quote_words);
                let dates = map(&f.day_dates);
                let dates = &dates[..dates.len().min(MAX_DATES)];
                ids.extend_from_slice(dates);
                // The quotations' tail: their word pairs, their quoted-word
                // pairs (as extracted), and their own words if the
                // sentence quotes several passages.
                for i in 0..f.quotes.len() {
                    for m in f.quote_pairs.get(i).copied().unwrap_or_default() {
                        ids.extend_from_slice(&[m as u32, (m >> 32) as u32]);
                    }
                }
                ids.extend_from_slice(&f.quote_phrases);
                let lists = !f.quote_lists.is_empty();
                let mut k = 0;
                while k < f.quote_lists.len() {
                    let n = f.quote_lists[k] as usize;
                    let words = map(f.quote_lists.get(k + 1..k + 1 + n).unwrap_or(&[]));
                    ids.push(words.len() as u32);
                    ids.extend_from_slice(&words);
                    k += 1 + n;
                }
                Some(Box::new(Extra {
                    quotes: f
                        .quotes
                        .iter()
                        .map(|(r, s)| (r.clone(), s.as_deref().map(Box::from)))
                        .collect(),
                    ids: ids.into(),
                    n_speakers: speakers.len() as u16,
                    n_quote_words: quote_words.len() as u16,
                    moments: f.ranks & !MOMENT_FLAGS
                        | (dates.len() as u32) << DATES_SHIFT
                        | if f.running { RUNNING } else { 0 }
                        | if f.fiscal { FISCAL } else { 0 }
                        | if lists { QUOTE_LISTS } else { 0 },
                }))
            };
            self.gid_slot.push(slot);
            self.gid_len.push(len);
            self.live_claims += 1;
            self.total_len += len as u64;
            claims.push(Claim {
                span: f.span.clone(),
                sentence: f.sentence as u32,
                times: f.times,
                text_hash: pc.text_hash,
                carries: f.carries,
                sourced: f.sourced,
                figures: Box::from(&f.figures[..]),
                terms: terms.into(),
                len,
                extra,
            });
        }
        let doc_terms = map(&prepared.doc_terms);
        let mut names = [NO_NAME; features::MAIN_NAMES];
        for (n, &t) in names.iter_mut().zip(&prepared.names) {
            *n = global[t as usize];
        }
        let path: Arc<str> = path.into();
        self.slots.push(Some(Doc {
            terms: pack_ids(&doc_terms),
            pos: pack_positions(&pos),
            date: prepared.date,
            place: prepared.place,
            tickers: prepared.tickers,
            leads: prepared.leads,
            names,
            path: path.clone(),
            meta: prepared.meta.clone(),
            sourced: prepared.sourced,
            first_gid,
            claims: claims.into(),
            text: prepared.text.take(),
        }));
        self.by_path.insert(path, slot);
    }

    /// Start a bulk build: [`insert`](Self::insert) leaves the postings
    /// until [`end_bulk`](Self::end_bulk) builds them all at their exact
    /// size (no growing vectors, no spare capacity, less fragmentation).
    /// Queries in between miss what was inserted meanwhile.
    pub fn begin_bulk(&mut self) {
        self.bulk = true;
    }

    /// End a bulk build: build the postings of every live claim, in claim
    /// id order (as inserting one by one would).
    pub fn end_bulk(&mut self) {
        if !self.bulk {
            return;
        }
        self.bulk = false;
        self.postings = Postings::default();
        self.postings = Postings::build(self.df.len(), &self.slots);
    }

    /// Release spare capacity (after a bulk build).
    pub fn shrink_to_fit(&mut self) {
        self.vocab.shrink_to_fit();
        self.df.shrink_to_fit();
        self.entity.shrink_to_fit();
        self.title.shrink_to_fit();
        self.gid_slot.shrink_to_fit();
        self.gid_len.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.postings.shrink_to_fit();
    }

    /// Remove a document (no-op when absent).
    pub fn remove(&mut self, path: &str) {
        let Some(slot) = self.by_path.remove(path) else {
            return;
        };
        if let Some(doc) = self.slots[slot as usize].take() {
            for c in &doc.claims {
                for &w in c.terms.iter() {
                    self.df[matching::term_of(w) as usize] -= 1;
                }
                self.live_claims -= 1;
                self.total_len -= c.len as u64;
            }
        }
        self.dead_slots += 1;
        if self.dead_slots > 64 && self.dead_slots > self.by_path.len() / 2 {
            self.compact();
        }
    }

    /// Drop postings into dead slots and renumber claims.
    fn compact(&mut self) {
        let mut new_slots = Vec::with_capacity(self.by_path.len());
        let mut gid_slot = Vec::with_capacity(self.live_claims as usize);
        let mut gid_len = Vec::with_capacity(self.live_claims as usize);
        for doc in self.slots.drain(..).flatten() {
            let slot = new_slots.len() as u32;
            let first = gid_slot.len() as u32;
            for c in doc.claims.iter() {
                gid_slot.push(slot);
                gid_len.push(c.len);
            }
            new_slots.push(Some(Doc {
                first_gid: first,
                ..doc
            }));
        }
        self.postings = Postings::default();
        self.postings = Postings::build(self.df.len(), &new_slots);
        self.by_path = new_slots
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.as_ref().map(|d| (d.path.clone(), i as u32)))
            .collect();
        self.slots = new_slots;
        self.gid_slot = gid_slot;
        self.gid_len = gid_len;
        self.dead_slots = 0;
    }

    /// Set where the sentences of documents whose text the index does not
    /// keep are read back from (by path) for results: the front end's I/O
    /// (`workspace::disk_text_source`, the LSP adds open buffers).
    pub fn set_text_source(&mut self, source: TextSource) {
        self.source = Source(Some(source));
    }

    pub fn has_text_source(&self) -> bool {
        self.source.0.is_some()
    }

    /// The sentence of claim `claim` of `path` for display (its first
    /// [`MAX_TEXT`] bytes): from the kept text of an open document, else
    /// read back through the text source; `None` when it cannot be read
    /// back as it was indexed.
    pub fn claim_text(&self, path: &str, claim: usize) -> Option<String> {
        let doc = self.doc(path)?;
        let c = doc.claims.get(claim)?;
        Texts::default()
            .sentence(self, doc, c)
            .map(|s| excerpt(&s, &[], &[], MAX_TEXT).0)
    }

    fn doc(&self, path: &str) -> Option<&Doc> {
        let slot = *self.by_path.get(path)?;
        self.slots[slot as usize].as_ref()
    }

    /// The claims of a document, in text order (empty when unknown).
    pub fn claims_of(&self, path: &str) -> &[Claim] {
        self.doc(path).map(|d| &d.claims[..]).unwrap_or(&[])
    }

    /// The claim whose span contains byte `offset` (or, for a range,
    /// overlaps it first). Between two clauses of one sentence (on the
    /// `and` that joins them) it is the clause before.
    pub fn claim_at(&self, path: &str, range: Range<usize>) -> Option<usize> {
        let claims = self.claims_of(path);
        let i = claims.partition_point(|c| c.span.end <= range.start);
        let c = claims.get(i)?;
        if c.span.start <= range.start || c.span.start < range.end {
            Some(i)
        } else {
            (i > 0 && claims[i - 1].sentence() == c.sentence()).then(|| i - 1)
        }
    }

    /// Zero-based start and end of claim `claim` of `path` (lines, and
    /// columns in characters and UTF-16 units).
    pub fn claim_position(&self, path: &str, claim: usize) -> Option<(LinePos, LinePos)> {
        let doc = self.doc(path)?;
        (claim < doc.claims.len()).then(|| doc.position(claim))
    }

    /// Front matter and title of a document.
    pub fn doc_meta(&self, path: &str) -> Option<&Meta> {
        self.doc(path).map(|d| &d.meta)
    }

    /// When a document was published, as a reader sees it: its front
    /// matter's `date` as written, else its dateline's (`March 2`, `October
    /// 19, 1987`).
    pub fn doc_date(&self, path: &str) -> Option<String> {
        let d = self.doc(path)?;
        d.meta
            .date
            .clone()
            .or_else(|| features::format_date(d.date))
    }

    /// Whether the article itself carries sources: a footnote, a sourced
    /// figure or an attributed quotation. The *Cite* quick fix offers only
    /// such articles.
    pub fn is_sourced(&self, path: &str) -> bool {
        self.doc(path).is_some_and(|d| d.sourced)
    }

    fn stats(&self) -> Stats<'_> {
        Stats {
            n: self.live_claims.max(1) as f32,
            avgdl: if self.live_claims == 0 {
                1.0
            } else {
                self.total_len as f32 / self.live_claims as f32
            },
            df: &self.df,
        }
    }

    fn claim_by_gid(&self, gid: u32) -> Option<(&Doc, usize)> {
        let slot = *self.gid_slot.get(gid as usize)?;
        let doc = self.slots[slot as usize].as_ref()?;
        Some((doc, (gid - doc.first_gid) as usize))
    }

    /// The matches of claim `claim` of `path` in other documents, best
    /// first, at most `limit`, each with score ≥ `min_score`
    /// (`Config::min_match_score`).
    pub fn matches_for(
        &self,
        path: &str,
        claim: usize,
        limit: usize,
        min_score: f32,
    ) -> Vec<Match> {
        let Some(slot) = self.by_path.get(path).copied() else {
            return Vec::new();
        };
        let Some(doc) = self.slots[slot as usize].as_ref() else {
            return Vec::new();
        };
        let Some(q) = doc.claims.get(claim) else {
            return Vec::new();
        };
        self.matches_of_claim(q, Some(slot), limit, min_score)
    }

    /// The matches of the claim under a byte range of `path` (a cursor, a
    /// figure or a quotation).
    pub fn matches_for_span(
        &self,
        path: &str,
        range: Range<usize>,
        limit: usize,
        min_score: f32,
    ) -> Vec<Match> {
        match self.claim_at(path, range) {
            Some(i) => self.matches_for(path, i, limit, min_score),
            None => Vec::new(),
        }
    }

    /// Matches for a claim that need not be in the index (e.g. a draft
    /// analysed but not inserted): documents at `exclude` are skipped.
    pub fn matches_of_claim(
        &self,
        q: &Claim,
        exclude_slot: Option<u32>,
        limit: usize,
        min_score: f32,
    ) -> Vec<Match> {
        // The query's own id, when it is in the index: a conflict is shown
        // on both sides or neither (see `rank`).
        let q_gid = exclude_slot
            .and_then(|s| self.slots.get(s as usize)?.as_ref())
            .and_then(|d| {
                let i = d.claims.iter().position(|c| std::ptr::eq(c, q))?;
                Some(d.first_gid + i as u32)
            });
        let scored = self.rank(q, exclude_slot, limit, min_score, q_gid);
        let mut texts = Texts::default();
        scored
            .into_iter()
            .filter_map(|(s, gid, ev, disagree)| {
                let (doc, idx) = self.claim_by_gid(gid)?;
                let d = &doc.claims[idx];
                let relation = matching::relation(q, d, &ev, disagree);
                let figures_differ = relation == Relation::SameClaim && disagree;
                // The sentence around what it shares with the query.
                let shown = texts.sentence(self, doc, d).map(|t| {
                    let (bold, figures) = self.bold(q, d, &t);
                    excerpt(&t, &bold, &figures, MAX_TEXT)
                });
                let (start, end) = doc.position(idx);
                let text_available = shown.is_some();
                let (text, bold) =
                    shown.unwrap_or_else(|| (SENTENCE_UNAVAILABLE.to_string(), Vec::new()));
                Some(Match {
                    path: doc.path.clone(),
                    claim: idx,
                    span: d.span.clone(),
                    start,
                    end,
                    bold,
                    text_available,
                    text,
                    score: s,
                    relation,
                    figures_differ,
                    evidence: ev,
                })
            })
            .collect()
    }

    /// The ranked matches of `q` (score, claim id, evidence), best first, at
    /// most `limit` (plus the conflicts past it that the other claim's
    /// ranking shows). A match whose figures disagree with the query's is
    /// kept where either claim is among the other's best [`CONFLICT_RANK`]
    /// matches: `q_gid` (the query's id) asks for the other claim's ranking
    /// of the query; without it (a draft not in the index, or that reverse
    /// ranking itself) the query's own ranking decides alone.
    fn rank(
        &self,
        q: &Claim,
        exclude_slot: Option<u32>,
        limit: usize,
        min_score: f32,
        q_gid: Option<u32>,
    ) -> Vec<(f32, u32, Evidence, bool)> {
        if limit == 0 || q.terms.is_empty() {
            return Vec::new();
        }
        let stats = self.stats();
        let self_score = stats.bm25(q, q);
        // 1. BM25, term at a time, over the postings of the query's terms
        //    that are not too common; the query's own article is skipped.
        let own = exclude_slot
            .and_then(|s| self.slots.get(s as usize)?.as_ref())
            .map(|d| d.first_gid..d.first_gid + d.claims.len() as u32)
            .unwrap_or(0..0);
        let cap = ((stats.n * 0.05) as u32).max(200);
        let mut acc: Vec<f32> = vec![0.0; self.gid_slot.len()];
        let mut touched: Vec<u32> = Vec::new();
        // At most MAX_QUERY_TERMS of the rarest terms seed the candidates
        // (long table-like sentences would otherwise walk many postings).
        let mut qt: Vec<u32> = q
            .terms
            .iter()
            .map(|&w| matching::term_of(w))
            .filter(|&t| {
                self.df
                    .get(t as usize)
                    .is_some_and(|&df| df > 0 && df <= cap)
            })
            .collect();
        if qt.len() > MAX_QUERY_TERMS {
            qt.sort_by_key(|&t| (self.df[t as usize], t));
            qt.truncate(MAX_QUERY_TERMS);
        }
        for t in qt {
            let idf = stats.idf(t);
            for pw in self.postings.iter(t) {
                let gid = pw >> 4;
                if own.contains(&gid) {
                    continue;
                }
                let g = gid as usize;
                let tf = (pw & 15) as f32;
                let part = idf * stats.bm25_tf(tf, self.gid_len[g] as f32);
                if acc[g] == 0.0 {
                    touched.push(gid);
                }
                acc[g] += part;
            }
        }
        // 2. Re-rank the best BM25 candidates with the full evidence.
        let keep = (limit * 8).max(64);
        if touched.len() > keep {
            touched.select_nth_unstable_by(keep, |a, b| {
                acc[*b as usize].total_cmp(&acc[*a as usize]).then(a.cmp(b))
            });
            touched.truncate(keep);
        }
        let q_doc: Vec<u32> = match exclude_slot.and_then(|s| self.slots[s as usize].as_ref()) {
            Some(d) => d.context(),
            None => Vec::new(),
        };
        let q_mass: f32 = q_doc.iter().map(|&t| stats.idf(t)).sum();
        let q_at = exclude_slot
            .and_then(|s| self.slots.get(s as usize)?.as_ref())
            .map(|d| d.setting(&q_doc));
        // The query with the other clauses of its sentence, when it is one
        // of its article's claims in the index.
        let q_sentence = exclude_slot
            .and_then(|s| self.slots.get(s as usize)?.as_ref())
            .and_then(|d| {
                let i = d.claims.iter().position(|c| std::ptr::eq(c, q))?;
                Some(sentence_of(&d.claims, i))
            })
            .unwrap_or_else(|| vec![q]);
        let mut doc_sim: HashMap<u32, f32> = HashMap::new();
        let mut scored: Vec<(f32, u32, (Evidence, bool))> = Vec::new();
        for &gid in &touched {
            let Some((doc, idx)) = self.claim_by_gid(gid) else {
                continue;
            };
            let slot = self.gid_slot[gid as usize];
            let d = &doc.claims[idx];
            // Articles on different companies, by their tickers: their
            // wire templates' sentences (`Qtly div 7.5 cts vs 7.5 cts
            // prior`) are two facts, however alike.
            if matching::other_companies(q_at.map_or(0, |s| s.tickers), doc.tickers) {
                continue;
            }
            let ctx = *doc_sim
                .entry(slot)
                .or_insert_with(|| matching::context(&stats, &q_doc, q_mass, &doc.context()));
            if let Some((s, mut ev)) =
                matching::score(&stats, q, d, self_score, ctx, |t| self.term_kind(t))
            {
                // Figures that disagree: a conflict, or two different
                // facts (another measure's, day's or subject's) and no
                // match.
                // (Other clauses can only take a disagreement back.)
                let disagree = matching::disagree(q, d)
                    && matching::disagree_in(q, d, &q_sentence, &sentence_of(&doc.claims, idx));
                if disagree {
                    if !matching::one_measure(q, d)
                        || matching::every_figure_differs(q, d)
                        || matching::plan_and_outcome(q, d)
                        || matching::other_statistic(q, d)
                        || matching::month_and_quarter(q, d)
                        || matching::month_of_another_year(q, d)
                        || matching::relative_and_named_month(q, d)
                        || matching::other_rank(q, d)
                        || matching::running_total(q, d, q_at.map_or(0, |s| s.date), doc.date)
                        || matching::other_period(q, d)
                        || matching::fiscal_and_calendar(q, d)
                    {
                        continue;
                    }
                    let d_context = doc.context();
                    let distinctive =
                        |t: u32| self.df[t as usize] as f32 <= (stats.n * COMMON_NAME).max(20.0);
                    let own_subject =
                        |t: u32| self.df[t as usize] as f32 <= (stats.n * OWN_NAME).max(20.0);
                    let q_leads = q_at.map_or(0, |s| s.leads);
                    if matching::names_own_lead(q, d, q_leads, doc.leads, |t| {
                        features::lead_bit(self.vocab.get(t))
                    }) {
                        continue;
                    }
                    if !matching::comparable(
                        q,
                        d,
                        q_at,
                        doc.setting(&d_context),
                        distinctive,
                        own_subject,
                    ) {
                        continue;
                    }
                    matching::read_back(&stats, q, d, &mut ev, |t| self.term_kind(t));
                }
                if s >= min_score {
                    scored.push((s, gid, (ev, disagree)));
                }
            }
        }
        // An article does not contradict what it states
        // ([`matching::gives_another`]): a disagreeing sentence whose
        // article states the query's figure in another sentence, or whose
        // figure the query's article states in another sentence, reports
        // another fact. A value stated roughly in one and more exactly in
        // the other counts as stated (`about 33.0` / `33.1`,
        // `FigureFeature::states_as`). A sentence that corrects a figure (`corrects the
        // amount from 65 mln dlrs`) accounts for it in its own article but
        // does not state it to another: the corrected report's conflict
        // stands. Most queries have no disagreeing candidate at all.
        if scored.iter().any(|(_, _, (_, disagree))| *disagree) {
            let q_claims: &[Claim] = exclude_slot
                .and_then(|s| self.slots.get(s as usize)?.as_ref())
                .map_or(&[], |d| &d.claims);
            let states = |claims: &[Claim], not: &Claim, f: &FigureFeature, corrections: bool| {
                claims.iter().any(|o| {
                    !std::ptr::eq(o, not)
                        && (corrections || o.carries & features::FIGURES_CORRECTED == 0)
                        && o.figures.iter().any(|g| g.states_as(f))
                })
            };
            scored.retain(|&(_, gid, (_, disagree))| {
                let Some((doc, idx)) = self.claim_by_gid(gid).filter(|_| disagree) else {
                    return true;
                };
                let d = &doc.claims[idx];
                let d_states_q = q
                    .figures
                    .iter()
                    .any(|a| matching::gives_another(a, d) && states(&doc.claims, d, a, false));
                let q_states_d = d
                    .figures
                    .iter()
                    .any(|b| matching::gives_another(b, q) && states(q_claims, q, b, true));
                !d_states_q && !q_states_d
            });
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let ranked = diversify(scored, usize::MAX, |gid| self.gid_slot[gid as usize]);
        // Disagreeing figures only among the best matches
        // ([`CONFLICT_RANK`]); the rank counts a sentence repeated in
        // several articles (wire copies) once.
        let mut above: Vec<u32> = Vec::new();
        let mut scored = Vec::with_capacity(limit.min(ranked.len()));
        for (s, gid, (ev, disagree)) in ranked {
            // Past the limit, only the conflicts the other article's own
            // ranking shows (so each side of a dispute shows it).
            let full = scored.len() >= limit;
            if full && !disagree {
                continue;
            }
            let Some((doc, idx)) = self.claim_by_gid(gid) else {
                continue;
            };
            let d = &doc.claims[idx];
            let hash = d.text_hash;
            if disagree {
                // Among the query's best matches, or the query among the
                // other claim's: a conflict either article shows, both do.
                let near = !full && above.iter().filter(|&&h| h != hash).count() < CONFLICT_RANK;
                let back = || {
                    q_gid.is_some_and(|q_gid| {
                        let slot = self.gid_slot[gid as usize];
                        let back = self.rank(d, Some(slot), REVERSE_LIMIT, min_score, None);
                        back.iter().any(|r| r.1 == q_gid)
                    })
                };
                let shown = if full {
                    matching::relation(q, d, &ev, disagree) == Relation::Conflict && back()
                } else {
                    near || back()
                };
                if !shown {
                    continue;
                }
            }
            if !above.contains(&hash) {
                above.push(hash);
            }
            scored.push((s, gid, ev, disagree));
        }
        scored
    }

    /// Cross-article findings of a document, for `conflicting-figure` and
    /// `quote-variant` diagnostics: for each claim, its matches (top
    /// `limit`, score ≥ `min_score`) whose relation is a conflict or a quote
    /// variant, with the span to flag (the conflicting figure, the varied
    /// quotation) in the document's text.
    pub fn cross_findings(&self, path: &str, limit: usize, min_score: f32) -> Vec<CrossFinding> {
        let mut out = Vec::new();
        for (i, q) in self.claims_of(path).iter().enumerate() {
            if q.carries & (features::CARRIES_FIGURE | features::CARRIES_QUOTE) == 0 {
                continue;
            }
            for m in self.matches_for(path, i, limit, min_score) {
                let d = &self.claims_of(&m.path)[m.claim];
                let spans: Vec<Range<usize>> = match m.relation {
                    Relation::SameClaim => continue,
                    Relation::Conflict => q
                        .figures
                        .iter()
                        .filter(|f| d.figures.iter().any(|g| f.conflicts(g)))
                        .map(|f| {
                            let r = f.rel_span();
                            q.span.start + r.start..q.span.start + r.end
                        })
                        .collect(),
                    Relation::QuoteVariant => matching::varied_quotes(q, d)
                        .map(|(i, _)| q.quotes()[i].0.clone())
                        .into_iter()
                        .collect(),
                };
                for span in spans {
                    out.push(CrossFinding {
                        claim: i,
                        span,
                        relation: m.relation,
                        other: m.clone(),
                    });
                }
            }
        }
        out
    }

    /// Score claim `cb` of `b` as a match for claim `ca` of `a`, without
    /// threshold: the score, the evidence and whether the gate lets the pair
    /// through (for explaining a result and for scorers).
    pub fn score_pair(
        &self,
        a: &str,
        ca: usize,
        b: &str,
        cb: usize,
    ) -> Option<(f32, Evidence, bool)> {
        let q = self.claims_of(a).get(ca)?;
        let d = self.claims_of(b).get(cb)?;
        let stats = self.stats();
        let self_score = stats.bm25(q, q);
        let qd = self.doc(a)?.context();
        let q_mass: f32 = qd.iter().map(|&t| stats.idf(t)).sum();
        let ctx = matching::context(&stats, &qd, q_mass, &self.doc(b)?.context());
        Some(matching::evaluate(&stats, q, d, self_score, ctx, |t| {
            self.term_kind(t)
        }))
    }

    /// The terms two claims share (stems, `#name` keys, figure keys), for
    /// explaining a score (`FACTLENS_SCORE_DEBUG=2` in the match scorer).
    pub fn shared_terms(&self, a: &str, ca: usize, b: &str, cb: usize) -> Vec<String> {
        let (Some(q), Some(d)) = (self.claims_of(a).get(ca), self.claims_of(b).get(cb)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        matching::merge(&q.terms, &d.terms, |t, _, _| {
            out.push(self.vocab.get(t).to_string())
        });
        out
    }

    /// A document's main names as written in the vocabulary, each with
    /// the number of claims in the workspace that hold it (for explaining
    /// a conflict's subject in scorers: see [`COMMON_NAME`]).
    pub fn doc_names(&self, path: &str) -> Vec<(String, u32)> {
        let Some(doc) = self.doc(path) else {
            return Vec::new();
        };
        doc.names
            .iter()
            .take_while(|&&t| t != NO_NAME)
            .map(|&t| (self.vocab.get(t).to_string(), self.df[t as usize]))
            .collect()
    }

    /// A claim's terms as written in the vocabulary, a name marked `*`
    /// and one next to a figure `^` (for explaining a score in scorers).
    pub fn claim_terms(&self, path: &str, claim: usize) -> Vec<String> {
        let Some(c) = self.claims_of(path).get(claim) else {
            return Vec::new();
        };
        c.terms
            .iter()
            .map(|&w| {
                let mut t = self.vocab.get(matching::term_of(w)).to_string();
                if matching::is_name(w) {
                    t.push('*');
                }
                if matching::is_near_figure(w) {
                    t.push('^');
                }
                t
            })
            .collect()
    }

    /// Byte ranges of `text` (`d`'s sentence) to show in bold: figures
    /// equal to or conflicting with the query's, and words sharing a term
    /// with it (merged, in order); and the figures' ranges among them.
    fn bold(&self, q: &Claim, d: &Claim, text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let mut out: Vec<Range<usize>> = Vec::new();
        for f in d.figures.iter() {
            if q.figures
                .iter()
                .any(|g| g.unit.is_some() && g.unit == f.unit)
            {
                let r = f.rel_span();
                if r.end <= text.len()
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end)
                {
                    out.push(r);
                }
            }
        }
        let n_figures = out.len();
        let qterms: std::collections::HashSet<u32> =
            q.terms.iter().map(|&w| matching::term_of(w)).collect();
        let no_seen = std::collections::HashSet::new();
        for t in features::tokens(text, &no_seen) {
            let id = self.lookup(&t.term).or_else(|| {
                // A name at the start of the sentence reads as a name here
                // but was stored as a word (or the reverse): try both.
                self.lookup(&features::stem(&features::fold(&text[t.rel.clone()])))
            });
            if id.is_some_and(|id| qterms.contains(&id))
                || self
                    .lookup(&features::entity_key(&text[t.rel.clone()]))
                    .is_some_and(|id| qterms.contains(&id))
            {
                out.push(t.rel);
            }
        }
        let figures = out[..n_figures].to_vec();
        out.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in out {
            match merged.last_mut() {
                Some(l) if r.start <= l.end => l.end = l.end.max(r.end),
                _ => merged.push(r),
            }
        }
        (merged, figures)
    }

    /// Search claims by words or figures (workspace symbols). Words match
    /// by stem and by name key; numbers match figure values.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let stats = self.stats();
        let mut qterms: Vec<u32> = Vec::new();
        for r in features::words(query) {
            let w = &query[r];
            let f = features::fold(w);
            if let Ok(v) = f.replace(',', "").parse::<f64>() {
                let prefix = format!("${:.6e}|", v);
                for id in 0..self.vocab.len() as u32 {
                    if self.vocab.get(id).starts_with(&prefix) {
                        qterms.push(id);
                    }
                }
                continue;
            }
            if features::is_stop(&f) {
                continue;
            }
            for cand in [features::stem(&f), features::entity_key(w)] {
                if let Some(id) = self.lookup(&cand) {
                    qterms.push(id);
                }
            }
        }
        qterms.sort_unstable();
        qterms.dedup();
        let mut acc: HashMap<u32, f32> = HashMap::new();
        for &t in &qterms {
            let idf = stats.idf(t);
            for w in self.postings.iter(t) {
                *acc.entry(w >> 4).or_default() += idf;
            }
        }
        let mut hits: Vec<(f32, u32)> = acc
            .into_iter()
            .filter(|(g, _)| self.claim_by_gid(*g).is_some())
            .map(|(g, s)| (s, g))
            .collect();
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.truncate(limit);
        let mut texts = Texts::default();
        hits.into_iter()
            .filter_map(|(s, g)| {
                let (doc, idx) = self.claim_by_gid(g)?;
                let c = &doc.claims[idx];
                let (start, end) = doc.position(idx);
                Some(SearchHit {
                    path: doc.path.clone(),
                    claim: idx,
                    span: c.span.clone(),
                    start,
                    end,
                    text: texts.sentence(self, doc, c).map_or_else(
                        || SENTENCE_UNAVAILABLE.to_string(),
                        |s| excerpt(&s, &[], &[], MAX_TEXT).0,
                    ),
                    score: s,
                })
            })
            .collect()
    }

    /// Everything the index holds, as text (tests: two builds made the same
    /// index). The vocabulary is listed by id (not its hash table's
    /// layout) and the documents by path.
    #[cfg(test)]
    pub(crate) fn dump(&self) -> String {
        let vocab: Vec<&str> = (0..self.vocab.len() as u32)
            .map(|t| self.vocab.get(t))
            .collect();
        let mut by_path: Vec<_> = self.by_path.iter().collect();
        by_path.sort();
        format!(
            "{vocab:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:#?}\n{:?}\n{:?}\n{} {} {}\n{by_path:?}",
            self.entity,
            self.title,
            self.df,
            self.postings,
            self.slots,
            self.gid_slot,
            self.gid_len,
            self.live_claims,
            self.total_len,
            self.dead_slots,
        )
    }

    /// Approximate heap bytes held by the index (for the benchmark),
    /// counting the allocator's rounding and headers.
    pub fn heap_bytes(&self) -> usize {
        self.heap_breakdown().iter().map(|x| x.1).sum()
    }

    /// [`heap_bytes`](Self::heap_bytes) by part.
    pub fn heap_breakdown(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let vocab = self.vocab.heap_bytes()
            + alloc(self.df.capacity() * 4)
            + alloc(self.entity.capacity())
            + alloc(self.title.capacity());
        let gids = alloc(self.gid_slot.capacity() * 4) + alloc(self.gid_len.capacity() * 2);
        let postings = self.postings.heap_bytes();
        let (mut docs, mut claims, mut text, mut terms, mut figures, mut extra) =
            (0, 0, 0, 0, 0, 0);
        docs += alloc(self.slots.capacity() * size_of::<Option<Doc>>())
            + self.by_path.capacity() * (size_of::<(Arc<str>, u32)>() + 1);
        for d in self.slots.iter().flatten() {
            let m = &d.meta;
            docs += alloc(d.path.len() + 16)
                + alloc(d.terms.len())
                + alloc(d.pos.len())
                + [&m.title, &m.outlet, &m.date, &m.url, &m.author]
                    .iter()
                    .map(|x| x.as_ref().map_or(0, |x| alloc(x.capacity())))
                    .sum::<usize>();
            claims += alloc(d.claims.len() * size_of::<Claim>());
            text += d.text.as_ref().map_or(0, |t| alloc(t.len() + 16));
            for c in &d.claims {
                terms += alloc(c.terms.len() * 4);
                // (units and qualifiers: process-wide `Sym`s, not counted)
                figures += alloc(c.figures.len() * size_of::<FigureFeature>());
                if let Some(x) = &c.extra {
                    extra += alloc(size_of::<Extra>())
                        + alloc(x.ids.len() * 4)
                        + alloc(x.quotes.len() * size_of::<QuoteRef>())
                        + x.quotes
                            .iter()
                            .map(|q| q.1.as_ref().map_or(0, |s| alloc(s.len())))
                            .sum::<usize>();
                }
            }
        }
        vec![
            ("vocabulary", vocab),
            ("postings", postings),
            ("claim ids", gids),
            ("documents (path, meta, context, positions)", docs),
            ("claims (structs)", claims),
            ("kept text (open documents)", text),
            ("claim terms", terms),
            ("figures", figures),
            ("quotes, quoted words, dates", extra),
        ]
    }
}

/// The texts of the documents of one query's results, each read once.
#[derive(Default)]
struct Texts {
    /// (first gid of the document, its text).
    read: Vec<(u32, Option<Arc<str>>)>,
}

impl Texts {
    /// The displayed sentence of claim `c` of `doc`, if the text at its
    /// span is still the indexed sentence.
    fn sentence(&mut self, index: &Index, doc: &Doc, c: &Claim) -> Option<String> {
        let text = match &doc.text {
            Some(t) => Some(t.clone()),
            None => match self.read.iter().find(|(g, _)| *g == doc.first_gid) {
                Some((_, t)) => t.clone(),
                None => {
                    let t: Option<Arc<str>> = index
                        .source
                        .0
                        .as_ref()
                        .and_then(|f| f(&doc.path))
                        .map(Into::into);
                    self.read.push((doc.first_gid, t.clone()));
                    t
                }
            },
        }?;
        let s = text.get(c.span.clone())?;
        (sentence_hash(s) == c.text_hash).then(|| s.trim_end().to_string())
    }
}

/// Term id -> postings words (`gid << 4 | min(tf, 15)`), in claim id
/// order: one flat byte array built at once ([`Index::end_bulk`],
/// compaction), each term's postings as LEB128 varints of
/// `gap << 4 | tf` (the gap from the term's previous claim id: about 2.1
/// bytes a posting instead of 4), and, per term, the postings inserted
/// since (plain words).
#[derive(Debug, Default)]
struct Postings {
    /// Term id -> start in `base`; one more entry than the terms it covers.
    off: Vec<u32>,
    base: Vec<u8>,
    more: crate::fxhash::FxMap<u32, Vec<u32>>,
}

/// Bytes of `v` as a LEB128 varint.
fn varint_len(v: u64) -> u32 {
    (64 - (v | 1).leading_zeros()).div_ceil(7)
}

fn put_varint(out: &mut [u8], mut at: usize, mut v: u64) -> usize {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out[at] = b;
            return at + 1;
        }
        out[at] = b | 0x80;
        at += 1;
    }
}

/// The postings words of one term's varint bytes (see [`Postings`]).
struct Decode<'a> {
    bytes: &'a [u8],
    /// The previous posting's claim id + 1.
    next: u64,
}

impl Iterator for Decode<'_> {
    type Item = u32;
    #[inline]
    fn next(&mut self) -> Option<u32> {
        let (mut v, mut shift) = (0u64, 0u32);
        loop {
            let (&b, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            v |= ((b & 0x7f) as u64) << shift.min(63);
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        let gid = self.next + (v >> 4);
        self.next = gid + 1;
        Some((gid as u32) << 4 | (v & 15) as u32)
    }
}

impl Postings {
    /// The postings of the live claims of `slots`, for `n_terms` term ids.
    /// Two passes over the claims: the first sizes each term's bytes, the
    /// second writes them, so the array is allocated once at its size.
    fn build(n_terms: usize, slots: &[Option<Doc>]) -> Postings {
        let each = |f: &mut dyn FnMut(u32, u32, u32)| {
            for doc in slots.iter().flatten() {
                for (i, c) in doc.claims.iter().enumerate() {
                    let gid = doc.first_gid + i as u32;
                    for &w in c.terms.iter() {
                        f(matching::term_of(w), gid, w);
                    }
                }
            }
        };
        // Term id -> (claim id of its last posting) + 1; 0: none yet.
        let mut last = vec![0u32; n_terms];
        let mut off = vec![0u32; n_terms + 1];
        let mut out = Postings::default();
        // The gap from the previous posting's claim id + 1 (claim ids only
        // grow within a term).
        let gap = |last: u32, gid: u32| (gid as u64).checked_sub(last as u64);
        each(&mut |t, gid, w| {
            let t = t as usize;
            // A term id past the vocabulary or a claim id out of order
            // (never expected) goes to `more`: still indexed.
            if let Some(g) = last.get(t).and_then(|&l| gap(l, gid)) {
                off[t + 1] += varint_len(g << 4 | matching::tf_of(w).min(15) as u64);
                last[t] = gid.saturating_add(1);
            }
        });
        for i in 0..n_terms {
            off[i + 1] += off[i];
        }
        let mut base = vec![0u8; off[n_terms] as usize];
        let mut fill: Vec<u32> = off[..n_terms].to_vec();
        last.iter_mut().for_each(|l| *l = 0);
        each(&mut |t, gid, w| {
            let i = t as usize;
            match last.get(i).and_then(|&l| gap(l, gid)) {
                Some(g) => {
                    let v = g << 4 | matching::tf_of(w).min(15) as u64;
                    fill[i] = put_varint(&mut base, fill[i] as usize, v) as u32;
                    last[i] = gid.saturating_add(1);
                }
                None => out.push(t, posting(gid, w)),
            }
        });
        out.off = off;
        out.base = base;
        out
    }

    fn push(&mut self, t: u32, word: u32) {
        self.more.entry(t).or_default().push(word);
    }

    /// The postings of term `t`, in claim id order.
    fn iter(&self, t: u32) -> impl Iterator<Item = u32> + '_ {
        let i = t as usize;
        let bytes = match (self.off.get(i), self.off.get(i + 1)) {
            (Some(&a), Some(&b)) => self.base.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        };
        let more = self.more.get(&t).map_or(&[][..], |v| &v[..]);
        Decode { bytes, next: 0 }.chain(more.iter().copied())
    }

    fn shrink_to_fit(&mut self) {
        for v in self.more.values_mut() {
            v.shrink_to_fit();
        }
        self.more.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        alloc(self.off.capacity() * 4)
            + alloc(self.base.capacity())
            + self.more.capacity() * (std::mem::size_of::<(u32, Vec<u32>)>() + 1)
            + self
                .more
                .values()
                .map(|v| alloc(v.capacity() * 4))
                .sum::<usize>()
    }
}

/// A postings word: the claim id and the term's frequency in it.
fn posting(gid: u32, term_word: u32) -> u32 {
    gid << 4 | matching::tf_of(term_word).min(15)
}

/// Bytes a heap block of `n` bytes takes (glibc: 8-byte header, 16-byte
/// granules, 32 bytes at least).
fn alloc(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (n + 8 + 15).max(32) & !15
    }
}

/// Order ranked matches so that each other article's best match comes
/// first (in score order), then the rest (in score order), and keep
/// `limit`: a hover's few slots show where *else* the claim is reported
/// rather than several sentences of one article. `slot_of` maps a claim to
/// its article.
fn diversify<T>(
    ranked: Vec<(f32, u32, T)>,
    limit: usize,
    slot_of: impl Fn(u32) -> u32,
) -> Vec<(f32, u32, T)> {
    let mut seen = std::collections::HashSet::new();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    for m in ranked {
        if seen.insert(slot_of(m.1)) {
            first.push(m);
        } else {
            rest.push(m);
        }
    }
    first.extend(rest);
    first.truncate(limit);
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_ids_round_trip() {
        for ids in [
            vec![],
            vec![0],
            vec![0, 1, 2, 127, 128, 300, 16_383, 16_384, 1 << 21, u32::MAX],
            (0..200).map(|i| i * 997).collect::<Vec<u32>>(),
        ] {
            let packed = pack_ids(&ids);
            assert_eq!(unpack_ids(&packed), ids);
        }
        assert_eq!(pack_ids(&[5, 6, 100]).len(), 3);
    }

    #[test]
    fn packed_positions_round_trip() {
        let p = |line, col, col_utf16| LinePos {
            line,
            col,
            col_utf16,
        };
        let pos = vec![
            (p(0, 0, 0), p(0, 5, 5)),
            (p(0, 7, 8), p(3, 200, 300)),
            // out of order and extreme values still round-trip
            (p(1, u32::MAX, 0), p(u32::MAX, 0, u32::MAX)),
            (p(2, 1, 1), p(2, 1, 1)),
        ];
        let doc = Doc {
            path: "d".into(),
            meta: Meta::default(),
            sourced: false,
            first_gid: 0,
            claims: Vec::new().into(),
            text: None,
            terms: Box::default(),
            pos: pack_positions(&pos),
            date: 0,
            place: 0,
            tickers: 0,
            leads: 0,
            names: [NO_NAME; features::MAIN_NAMES],
        };
        let doc = Doc {
            claims: (0..pos.len())
                .map(|i| Claim {
                    span: i..i + 1,
                    sentence: i as u32,
                    times: 0,
                    text_hash: 0,
                    carries: 0,
                    sourced: false,
                    figures: Box::default(),
                    terms: Box::default(),
                    len: 0,
                    extra: None,
                })
                .collect(),
            ..doc
        };
        for (i, &want) in pos.iter().enumerate() {
            assert_eq!(doc.position(i), want, "claim {i}");
        }
    }

    /// The postings of every term, as a plain list from the claims.
    fn naive_postings(ix: &Index) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); ix.df.len()];
        for doc in ix.slots.iter().flatten() {
            for (i, c) in doc.claims.iter().enumerate() {
                for &w in c.terms.iter() {
                    let gid = doc.first_gid + i as u32;
                    out[matching::term_of(w) as usize].push(posting(gid, w));
                }
            }
        }
        out
    }

    #[test]
    fn varint_postings_give_back_every_posting() {
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
        assert_eq!(varint_len(u32::MAX as u64), 5);
        let text = "The council said 40 people were evacuated from Harbour Street on Monday. \
                    Officials counted 12 boats and 3 ferries in the harbour. \
                    The mayor said the harbour would reopen after the storm passed.";
        let mut ix = Index::new();
        ix.begin_bulk();
        for n in 0..300 {
            let t = if n % 3 == 0 {
                text.replace("40", &n.to_string())
            } else {
                text.to_string()
            };
            let a = crate::analysis::analyze(&t, &Default::default());
            ix.insert(&format!("d{n}.md"), prepare(&t, &a));
        }
        ix.end_bulk();
        let want = naive_postings(&ix);
        assert!(
            want.iter().any(|p| p.len() >= 200),
            "some term in every document"
        );
        for (t, w) in want.iter().enumerate() {
            assert_eq!(
                &ix.postings.iter(t as u32).collect::<Vec<_>>(),
                w,
                "term {t}"
            );
        }
        // Inserted after the build (plain words), then compacted (rebuilt).
        let a = crate::analysis::analyze(text, &Default::default());
        ix.insert("late.md", prepare(text, &a));
        let want = naive_postings(&ix);
        for (t, w) in want.iter().enumerate() {
            assert_eq!(
                &ix.postings.iter(t as u32).collect::<Vec<_>>(),
                w,
                "term {t}"
            );
        }
        // The 101st removal outnumbers half the live documents: compacted.
        for n in 0..101 {
            ix.remove(&format!("d{n}.md"));
        }
        assert_eq!(ix.dead_slots, 0);
        let want = naive_postings(&ix);
        for (t, w) in want.iter().enumerate() {
            assert_eq!(
                &ix.postings.iter(t as u32).collect::<Vec<_>>(),
                w,
                "term {t}"
            );
        }
    }
}
