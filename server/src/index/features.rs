//! Claim extraction: from an analysed [`Article`] to the features the index
//! keeps per sentence. Pure: text and article in, [`DocFeatures`] out.
//!
//! Per sentence:
//! * **terms**: stemmed content words (English Snowball stemmer), minus stop
//!   words, number words, months and weekdays; a proper name is kept as its
//!   *entity key* instead of its stem, so spelling variants meet.
//! * **entities**: keys of proper names. A key folds case, possessives
//!   (`Russia's` -> `russia`), diacritics and transliteration variants
//!   (`Sergei`/`Sergey`, `Kiev`/`Kyiv`, `Aleksandr`/`Alexander`,
//!   `Khodorkovsky`/`Hodorkovsky`) by keeping the first letter and the
//!   consonant skeleton of the rest (`x` = `ks`, `kh` = `h`, `ph` = `f`,
//!   `w` = `v`, doubled letters once).
//! * **figures**: the analysis' normalised figures (value, value_to, unit,
//!   qualifier).
//! * **quotation words**: the stems of the quoted words, and the speaker's
//!   entity keys.
//! * **dates**: normalised `month day` keys of the dates mentioned.

use super::clauses;
use super::equivalence;
use super::intern::{Interner, Sym};
use crate::analysis::{attribution, Article, FigureStatus, QuoteKind, QuoteStatus};
use crate::fxhash::{FxMap, FxSet};
use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt::Write;
use std::ops::Range;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// What a claim sentence carries (bit set).
pub const CARRIES_FIGURE: u8 = 1;
pub const CARRIES_QUOTE: u8 = 2;
pub const CARRIES_DATE: u8 = 4;
/// Not carried but said of the quotations: every speaker of the claim's
/// quotations is a person (a name, not an organisation), so two claims
/// whose people differ quote different statements.
pub const SPEAKERS_PEOPLE: u8 = 8;
/// Not carried but said of the figures: the sentence states them as
/// expected, planned or possible (`will`, `expects`, `target`, `could`),
/// not as done; see [`is_modal`].
pub const FIGURES_MODAL: u8 = 16;
/// Said of the figures: one is written as an average (`averaged 116.84
/// dlrs`, `the average rate`, `mean`, `median`), see [`stat_word`].
pub const FIGURES_AVERAGE: u8 = 32;
/// Said of the figures: one is written as a maximum or minimum (`the top
/// rate`, `highest`, `lowest`, `peak`).
pub const FIGURES_EXTREME: u8 = 64;
/// Said of the figures: the sentence corrects a figure (`corrects the
/// amount from 65 mln dlrs`), so it does not state what it names as
/// fact.
pub const FIGURES_CORRECTED: u8 = 128;

/// Words that say which statistic a figure next to them is: an average or
/// an extreme (the `W_STAT_*` word flags).
fn stat_word(lower: &str) -> u16 {
    match lower {
        "average" | "averaged" | "averages" | "averaging" | "avg" | "mean" | "median" => {
            W_STAT_AVERAGE
        }
        "top" | "highest" | "lowest" | "maximum" | "minimum" | "max" | "min" | "peak"
        | "peaked" => W_STAT_EXTREME,
        _ => 0,
    }
}

/// Whether a sentence speaks of what is expected, planned or possible
/// rather than of what is or was: a modal or future verb or a plan's noun
/// (`will issue`, `is expected to tender`, `its target of`), lower case
/// (`May` the month is no modal). `expected` after `than` or `as` (`grew
/// more than expected`) compares with a forecast and states what was.
/// The sentence's `n` words are read through `word`.
pub fn is_modal<'a>(n: usize, word: impl Fn(usize) -> &'a str) -> bool {
    modal_in(n, |i| modal_word(word(i)))
}

/// [`is_modal`] over the words' [`Modal`] kinds (extraction reads them
/// from the flags memoised with each word form).
fn modal_in(n: usize, kind: impl Fn(usize) -> Modal) -> bool {
    (0..n).any(|i| match kind(i) {
        Modal::Yes => true,
        Modal::Expected => !i.checked_sub(1).is_some_and(|k| kind(k) == Modal::ThanAs),
        Modal::Seen => i + 1 < n && kind(i + 1) == Modal::Level,
        _ => false,
    })
}

/// What a word (as written) says for [`is_modal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modal {
    No,
    Yes,
    /// `expected`: modal unless after `than` or `as`.
    Expected,
    /// `than`, `as`.
    ThanAs,
    /// `seen`: modal before a level, as a market report forecasts one
    /// (`steer top seen at 68.00`, `prices seen steady`).
    Seen,
    /// `at`, `up`, `steady`, `higher`…: what a `seen` forecasts.
    Level,
}

fn modal_word(w: &str) -> Modal {
    match w {
        "will" | "would" | "shall" | "may" | "might" | "could" | "should" | "forecast"
        | "forecasts" | "projected" | "projects" | "projection" | "projections" | "target"
        | "targets" | "targeted" | "targetted" | "plans" | "planned" | "intends" | "proposes"
        | "proposed" | "expects" | "expect" => Modal::Yes,
        "expected" => Modal::Expected,
        "than" | "as" => Modal::ThanAs,
        "seen" => Modal::Seen,
        "at" | "up" | "down" | "higher" | "lower" | "steady" | "firm" | "firmer" | "weaker"
        | "stronger" | "easier" | "unchanged" | "mixed" | "around" => Modal::Level,
        _ => Modal::No,
    }
}

/// How a figure's value is qualified, for deciding whether two values agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qual {
    /// Exactly the value (no qualifier, or `just`).
    Exact,
    /// `over`, `more than`: strictly above.
    Above,
    /// `at least`: the value or above.
    AtLeast,
    /// `under`, `less than`, `fewer than`: strictly below.
    Below,
    /// `up to`, `at most`, `no more than`: the value or below.
    AtMost,
    /// `about`, `around`, `nearly`, `almost`, `some`, `roughly`: within ±20%.
    About,
    /// `7-10`, `between`: the range value..value_to.
    Range,
    /// `from twenty to ten`: a change; both ends were true at some time.
    Change,
}

impl Qual {
    pub fn parse(q: Option<&str>, has_to: bool) -> Qual {
        let Some(q) = q else {
            return if has_to { Qual::Range } else { Qual::Exact };
        };
        let q = q.trim().to_lowercase();
        let q = q.as_str();
        if q.starts_with("from") || q.contains("change") {
            return Qual::Change;
        }
        if q.contains("range") || q.starts_with("between") || has_to {
            return Qual::Range;
        }
        match q {
            "over" | "more than" | "above" | "in excess of" | "upwards of" | "exceeding" => {
                Qual::Above
            }
            "at least" | "no less than" | "no fewer than" | "a minimum of" => Qual::AtLeast,
            "under" | "less than" | "fewer than" | "below" => Qual::Below,
            "up to" | "at most" | "no more than" | "a maximum of" | "as many as" => Qual::AtMost,
            "about" | "around" | "nearly" | "almost" | "some" | "roughly" | "approximately"
            | "approx." | "close to" | "an estimated" | "estimated" | "circa" | "c." => Qual::About,
            _ => Qual::Exact,
        }
    }

    /// The interval of values the statement allows, `(lo, hi)`.
    pub fn interval(self, v: f64, to: Option<f64>) -> (f64, f64) {
        // Bounds are inclusive: `over 120` is not reported as conflicting
        // with `120` (a reporter rounds), only with values it excludes.
        let eps = v.abs() * 1e-9;
        match self {
            Qual::Exact => (v - eps, v + eps),
            Qual::Above | Qual::AtLeast => (v - eps, f64::INFINITY),
            Qual::Below | Qual::AtMost => (f64::NEG_INFINITY, v + eps),
            Qual::About => {
                let d = v.abs() * 0.2;
                (v - d, v + d)
            }
            Qual::Range | Qual::Change => {
                let w = to.unwrap_or(v);
                (v.min(w) - eps, v.max(w) + eps)
            }
        }
    }
}

/// One normalised figure of a claim (32 bytes: the index keeps one per
/// figure of every claim).
#[derive(Debug, Clone, Copy)]
pub struct FigureFeature {
    pub value: f64,
    /// The range's other end; NaN: none (see [`value_to`](Self::value_to)).
    to: f64,
    /// Unit or counted noun, lower case, stemmed (`member`, `usd`, `%`).
    pub unit: Option<Sym>,
    /// The qualifier as the analysis wrote it.
    pub qualifier: Option<Sym>,
    /// Byte range relative to the sentence start (see
    /// [`rel_span`](Self::rel_span)).
    rel_start: u32,
    rel_len: u16,
    pub qual: Qual,
}

impl PartialEq for FigureFeature {
    fn eq(&self, o: &FigureFeature) -> bool {
        self.value == o.value
            && self.value_to() == o.value_to()
            && self.unit == o.unit
            && self.qualifier == o.qualifier
            && self.rel_span() == o.rel_span()
            && self.qual == o.qual
    }
}

impl FigureFeature {
    /// A figure of `value` (to `value_to`, a range or change) at `rel_span`
    /// of its sentence. Offsets past `u32` and spans longer than 64 KiB are
    /// clamped (no figure is that long).
    pub fn new(
        value: f64,
        value_to: Option<f64>,
        unit: Option<Sym>,
        qual: Qual,
        qualifier: Option<Sym>,
        rel_span: Range<usize>,
    ) -> FigureFeature {
        let mut f = FigureFeature {
            value,
            to: value_to.filter(|v| !v.is_nan()).unwrap_or(f64::NAN),
            unit,
            qualifier,
            rel_start: 0,
            rel_len: 0,
            qual,
        };
        f.set_rel_span(rel_span);
        f
    }

    /// The range's other end (`7-10`, `from 20 to 10`).
    #[inline]
    pub fn value_to(&self) -> Option<f64> {
        (!self.to.is_nan()).then_some(self.to)
    }

    /// Byte range relative to the sentence start.
    #[inline]
    pub fn rel_span(&self) -> Range<usize> {
        let s = self.rel_start as usize;
        s..s + self.rel_len as usize
    }

    /// Move the figure within its sentence (clamped as in [`new`](Self::new)).
    pub fn set_rel_span(&mut self, rel_span: Range<usize>) {
        let start = rel_span.start.min(u32::MAX as usize);
        self.rel_start = start as u32;
        self.rel_len = rel_span.end.saturating_sub(start).min(u16::MAX as usize) as u16;
    }

    /// Same unit and overlapping value intervals (qualifiers honoured).
    pub fn agrees(&self, other: &FigureFeature) -> bool {
        self.unit.is_some() && self.unit == other.unit && self.overlaps(other)
    }

    /// Same unit and value intervals that cannot overlap.
    pub fn conflicts(&self, other: &FigureFeature) -> bool {
        self.unit.is_some() && self.unit == other.unit && !self.overlaps(other)
    }

    /// Equal normalised values and units (a strong, exact match).
    pub fn equals(&self, other: &FigureFeature) -> bool {
        self.unit.is_some()
            && self.unit == other.unit
            && close(self.value, other.value)
            && match (self.value_to(), other.value_to()) {
                (None, None) => true,
                (Some(a), Some(b)) => close(a, b),
                _ => false,
            }
    }

    /// [`equals`](Self::equals), or an approximate value and another
    /// within [`ROUGHLY`] of it (`about 33.0 mln shares` / `33.1 mln
    /// shares`): one quantity, stated once roughly. (`about` allows ±20%
    /// in a dispute; a value an article states elsewhere is matched closer.)
    pub fn states_as(&self, other: &FigureFeature) -> bool {
        self.equals(other)
            || (self.qual == Qual::About || other.qual == Qual::About)
                && matches!(self.qual, Qual::About | Qual::Exact)
                && matches!(other.qual, Qual::About | Qual::Exact)
                && self.unit.is_some()
                && self.unit == other.unit
                && (self.value - other.value).abs()
                    <= ROUGHLY * self.value.abs().max(other.value.abs())
    }

    /// Equal values counting different things (`eight people` / `eight
    /// members`): weaker evidence than [`equals`](Self::equals). Currency
    /// and percentage figures only meet their own unit.
    pub fn same_value(&self, other: &FigureFeature) -> bool {
        let measure = |u: &Option<Sym>| u.is_some_and(Sym::is_measure);
        close(self.value, other.value)
            && self.value_to().is_none()
            && other.value_to().is_none()
            && !measure(&self.unit)
            && !measure(&other.unit)
    }

    fn overlaps(&self, other: &FigureFeature) -> bool {
        if self.qual == Qual::Change || other.qual == Qual::Change {
            // A change states two values at two times: agree with either end.
            let ends = |f: &FigureFeature| {
                let mut v = vec![f.value];
                if let Some(t) = f.value_to() {
                    v.push(t);
                }
                v
            };
            return ends(self)
                .iter()
                .any(|&a| ends(other).iter().any(|&b| close(a, b)))
                || (self.qual != Qual::Change && {
                    let (lo, hi) = self.qual.interval(self.value, self.value_to());
                    ends(other).iter().any(|&b| lo <= b && b <= hi)
                })
                || (other.qual != Qual::Change && {
                    let (lo, hi) = other.qual.interval(other.value, other.value_to());
                    ends(self).iter().any(|&a| lo <= a && a <= hi)
                });
        }
        let (a0, a1) = self.qual.interval(self.value, self.value_to());
        let (b0, b1) = other.qual.interval(other.value, other.value_to());
        a0 <= b1 && b0 <= a1
    }

    /// Key for the figure postings: value and unit.
    pub fn key(&self) -> String {
        let mut k = String::new();
        self.key_into(&mut k);
        k
    }

    /// [`key`](Self::key) written into `k` (cleared first).
    pub fn key_into(&self, k: &mut String) {
        let unit = self.unit.as_ref().map_or("", |u| u.as_str());
        k.clear();
        k.reserve(16 + unit.len());
        k.push('$');
        push_value(k, self.value);
        k.push('|');
        k.push_str(unit);
    }
}

pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// `format!("{:.6e}", v)` (the reference, [`fmt_value`]) appended to `out`,
/// without the exact float formatting for the common values: a decimal
/// of at most 7 significant digits and at most 9 decimals, stored as the
/// double nearest to it. Its correctly rounded 7-digit form is those
/// digits: the double is within 2^-53 of it (relative), far inside the
/// half unit of the 7th digit (5e-8 relative).
fn push_value(out: &mut String, v: f64) {
    const POW10: [f64; 10] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    let a = v.abs();
    if (1e-9..1e15).contains(&a) {
        for (j, &p) in POW10.iter().enumerate() {
            let r = (a * p).round();
            if (1.0..1e16).contains(&r) && r / p == a {
                let mut m = r as u64;
                let mut digits = 1 + m.ilog10() as i32;
                let exp = digits - 1 - j as i32;
                while m.is_multiple_of(10) {
                    m /= 10;
                    digits -= 1;
                }
                if digits > 7 {
                    break;
                }
                let mut buf = [b'0'; 7];
                for d in buf[..digits as usize].iter_mut().rev() {
                    *d = b'0' + (m % 10) as u8;
                    m /= 10;
                }
                if v < 0.0 {
                    out.push('-');
                }
                out.push(buf[0] as char);
                out.push('.');
                buf[1..].iter().for_each(|&d| out.push(d as char));
                out.push('e');
                let _ = write!(out, "{exp}");
                return;
            }
        }
    }
    out.push_str(&fmt_value(v));
}

fn fmt_value(v: f64) -> String {
    format!("{:.6e}", v)
}

/// A token of a sentence: byte range (relative to the sentence) and term.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub rel: Range<usize>,
    /// Stem (`expuls`) or entity key (`#lvrv`); empty for stop words.
    pub term: String,
    pub entity: bool,
}

/// The features of one claim sentence. Terms are ids into the document's
/// [`DocFeatures::vocab`], numbered in the order the index registers them
/// (so that inserting documents assigns the same global ids as registering
/// each string in turn).
#[derive(Debug, Clone, Default)]
pub struct ClaimFeatures {
    /// Byte span of the sentence in the article text.
    pub span: Range<usize>,
    /// Index into `Article::sentences`.
    pub sentence: usize,
    /// Content terms with repeats (stems and `#entity` keys), text order.
    pub terms: Vec<u32>,
    pub figures: Vec<FigureFeature>,
    /// The figures' postings keys ([`FigureFeature::key`]), one per figure.
    pub figure_keys: Vec<u32>,
    /// Stems of the quoted words, distinct, in string order.
    pub quote_words: Vec<u32>,
    /// Each quotation's own quoted words (of `quotes`, in order), when the
    /// sentence quotes more than one passage (scare quotes included): for
    /// each, its count then its words (distinct; a subset of
    /// `quote_words`). Empty when `quote_words` are one quotation's.
    pub quote_lists: Vec<u32>,
    /// Each quotation's pairs of successive words, all of them folded
    /// ([`pairs_mask`], 128 bits), one per `quotes`.
    pub quote_pairs: Vec<[u64; 2]>,
    /// Each quotation's pairs of successive quoted words (stems) as 16-bit
    /// hashes ([`phrase_hash`]), sorted, distinct: for each of `quotes`,
    /// its count, then the hashes two to an id (low half first).
    pub quote_phrases: Vec<u32>,
    /// Its quotations' speakers as [`speaker_key`]s, distinct, in string order.
    pub speakers: Vec<u32>,
    /// Byte spans (in the article) of the sentence's quotations (not scare
    /// quotes), with their speakers as the analysis resolved them.
    pub quotes: Vec<(Range<usize>, Option<String>)>,
    /// Day dates (`@november 1`), distinct, in string order; years and bare
    /// months are no evidence and are not kept.
    pub day_dates: Vec<u32>,
    /// The times the sentence names ([`time_mask`]): months, years and
    /// parts of the day.
    pub times: u32,
    /// The places in a ranking the sentence gives (`in second place`,
    /// `currently fifth`; [`rank_mask`]): bit `n - 1` for the `n`th.
    pub ranks: u32,
    /// Its figures are running totals or balances, which change as days
    /// pass (`to date`, `so far`, `now total`, `still available`;
    /// [`running_total`]).
    pub running: bool,
    /// Its figures are of a fiscal year (`in the year to March 2004`,
    /// `fiscal 1987`, `the financial year`; [`fiscal_year`]).
    pub fiscal: bool,
    /// The names the sentence writes itself (its own subjects, not its
    /// capitalised first word nor a wire dateline's place), distinct, a
    /// subset of `terms`: their place in [`DocFeatures::claim_names`].
    pub names: Range<u32>,
    /// How many of `names`, the first ones, are written next to a figure
    /// (within [`NEAR_FIGURE`] words), not as its source: whose or what
    /// the figure is.
    pub near_names: u32,
    pub carries: u8,
    /// The figures of the sentence are all sourced and its quotations all
    /// attributed (and it has at least one of either).
    pub sourced: bool,
}

/// The features of one article.
#[derive(Debug, Clone, Default)]
pub struct DocFeatures {
    pub claims: Vec<ClaimFeatures>,
    /// The claims' names ([`ClaimFeatures::names`]), one after another.
    pub claim_names: Vec<u32>,
    /// The article carries sources of its own (see [`crate::index::Index::is_sourced`]).
    pub sourced: bool,
    /// The distinct terms of the article (stems, `#name` keys, `$value|unit`
    /// figure keys, `@month day` dates), numbered in first use: claim by
    /// claim its terms, figure keys, speakers, quoted words and dates, then
    /// the context terms.
    pub vocab: Interner,
    /// The article's most frequent content terms (at most
    /// [`MAX_DOC_TERMS`]), distinct, most frequent first: the context a
    /// claim is read in.
    pub doc_terms: Vec<u32>,
    /// The article's date ([`pack_date`]: front matter `date`, else a wire
    /// dateline, `JAKARTA, March 2 -`, else a date ending the title,
    /// `NEWS HIGHLIGHTS - APRIL 7`); 0 when unknown.
    pub date: u32,
    /// Where a wire dateline says the story was filed (`SIOUX CITY, April
    /// 7 -`): a hash of its place words in lower case ([`place_hash`]), 0
    /// when there is none. Two market reports filed from two places quote
    /// two markets.
    pub place: u32,
    /// The companies it names by stock ticker ([`ticker_mask`]).
    pub tickers: u64,
    /// Whom the story is about, as bits of a mask ([`lead_mask`]): the
    /// companies its title names by ticker (`GTE <GTE> SELLS
    /// DEBENTURES`) and the names of its text that its title writes
    /// (`Fockers retain film chart crown`).
    pub leads: u64,
    /// Its main names: of the context terms, the `#name` keys written as
    /// names at least twice (a sentence's first word counts only before
    /// another name: `Turnover rose`, `Halvorsen Marine said`; a name the
    /// sentence's figures cite as their source, `said lead manager Olsund
    /// Securities`, does not count), at most
    /// [`MAIN_NAMES`], most frequent first.
    pub names: Vec<u32>,
}

/// How close, as a share of the larger, an approximate value is to one
/// it restates ([`FigureFeature::states_as`]).
pub const ROUGHLY: f64 = 0.01;

/// How many main names of an article are kept ([`DocFeatures::names`]).
pub const MAIN_NAMES: usize = 4;

/// How many terms of an article are kept as its context.
pub const MAX_DOC_TERMS: usize = 128;

/// Minimum number of content terms for a sentence without figure, quotation
/// or date to be indexed as a (context) claim.
pub const MIN_CONTEXT_TERMS: usize = 4;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

static STOP: LazyLock<FxSet<&'static str>> = LazyLock::new(|| {
    include_str!("stopwords.txt")
        .split_whitespace()
        .filter(|w| !w.starts_with('#'))
        .collect()
});

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(w: &str) -> Option<usize> {
    let w = w.trim_end_matches('.');
    match w {
        "mar" => return Some(2),
        "may" => return Some(4),
        _ => {}
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() >= 3 && w.len() <= 4 && m.starts_with(w)))
}

/// Is `w` (lower case) a stop word, number word, month or weekday?
pub fn is_stop(w: &str) -> bool {
    STOP.contains(w)
}

/// Lower case, possessive stripped, diacritics removed.
pub fn fold(word: &str) -> String {
    // ASCII has no marks to strip and no curly apostrophes.
    let mut w: String = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        fold_chars(word)
    };
    for suf in ["'s", "'"] {
        if w.len() > suf.len() + 1 && w.ends_with(suf) {
            w.truncate(w.len() - suf.len());
            break;
        }
    }
    w
}

fn fold_chars(word: &str) -> String {
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c == '’' || c == '‘' || c == 'ʼ' {
                '\''
            } else {
                c
            }
        })
        .collect()
}

/// The entity key of a proper name (see the module docs). `#` + first
/// letter + consonant skeleton.
pub fn entity_key(word: &str) -> String {
    let mut w = fold(word);
    for (from, to) in [
        ("kh", "h"),
        ("ph", "f"),
        ("ck", "k"),
        ("x", "ks"),
        ("w", "v"),
        ("q", "k"),
        ("j", "y"),
    ] {
        if w.contains(from) {
            w = w.replace(from, to);
        }
    }
    let mut out = String::with_capacity(w.len() + 1);
    out.push('#');
    let mut last: Option<char> = None;
    for (i, c) in w.chars().enumerate() {
        if c == '\'' || c == '-' {
            continue;
        }
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if i > 0 && vowel {
            last = Some(c);
            continue;
        }
        if Some(c) == last {
            continue;
        }
        out.push(c);
        last = Some(c);
    }
    out
}

/// Whether a name key is one letter (`#a`: `A`, `AA`, `Baa` folds to
/// `#b`): a grade, a class or an initial (`rated single-A`, `Class B
/// shares`), which labels a thing of the story but never tells whose
/// story it is. Such keys are no main names: two issuers' notes both
/// rated `A` are not one subject.
pub fn is_label_key(key: &str) -> bool {
    key.strip_prefix('#')
        .is_some_and(|k| k.chars().count() <= 1)
}

/// Stems of the title and role words (`minister`, `spokesman`) of the
/// analysis lexicon.
static TITLE_STEMS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    crate::analysis::lexicon::TITLES_TXT
        .split_whitespace()
        .filter(|w| !w.starts_with('#'))
        .map(stem)
        .collect()
});

/// Whether an index term is the stem of a title or role word.
pub fn is_title_stem(term: &str) -> bool {
    TITLE_STEMS.contains(term)
}

/// The stem of a lower-case word.
pub fn stem(w: &str) -> String {
    STEMMER.stem(w).into_owned()
}

/// Word tokens of `s`: maximal runs of alphanumerics, keeping inner
/// apostrophes (`Russia's`, `don't`) but splitting on hyphens.
pub fn words(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for_words(s, |r| out.push(r));
    out
}

/// [`words`], calling `f` with each range (ASCII is read byte by byte).
#[inline]
fn for_words(s: &str, mut f: impl FnMut(Range<usize>)) {
    for_words_flags(s, |r, _, _| f(r));
}

/// [`for_words`], also telling for each word whether it is all ASCII and
/// whether it holds an ASCII letter (read on the way, not again).
#[inline]
fn for_words_flags(s: &str, mut f: impl FnMut(Range<usize>, bool, bool)) {
    let b = s.as_bytes();
    let next_alpha = |j: usize| {
        s.get(j..)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_alphabetic)
    };
    let mut start: Option<usize> = None;
    let (mut ascii, mut alpha) = (true, false);
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        let (in_word, len) = if x < 0x80 {
            let w =
                x.is_ascii_alphanumeric() || (x == b'\'' && start.is_some() && next_alpha(i + 1));
            (w, 1)
        } else {
            let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            let len = c.len_utf8();
            let inner_apos = matches!(c, '’' | 'ʼ') && start.is_some() && next_alpha(i + len);
            let w = c.is_alphanumeric() || inner_apos || (start.is_some() && is_mark(c));
            (w, len)
        };
        if in_word {
            if start.is_none() {
                start = Some(i);
                (ascii, alpha) = (true, false);
            }
            if x < 0x80 {
                alpha |= x.is_ascii_alphabetic();
            } else {
                ascii = false;
            }
            i += len;
            // The rest of a run of ASCII letters and digits (most words).
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                alpha |= b[i].is_ascii_alphabetic();
                i += 1;
            }
            continue;
        } else if let Some(st) = start.take() {
            f(st..i, ascii, alpha);
        }
        i += len;
    }
    if let Some(st) = start {
        f(st..s.len(), ascii, alpha);
    }
}

/// The reference [`words`] (char by char), for tests.
#[cfg(test)]
fn words_ref(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let inner_apos = matches!(c, '\'' | '’' | 'ʼ')
            && start.is_some()
            && it.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphanumeric() || inner_apos || (start.is_some() && is_mark(c)) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push(st..i);
        }
    }
    if let Some(st) = start {
        out.push(st..s.len());
    }
    out
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn is_capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

fn all_caps(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(|c| c.is_lowercase())
}

/// Tokenise a sentence into content tokens. `lower_seen` holds the words of
/// the article seen in lower case: a capitalised word that also occurs in
/// lower case is an ordinary word (`However`, `Officials`), not a name.
pub fn tokens(sentence: &str, lower_seen: &HashSet<String>) -> Vec<Token> {
    let ws = words(sentence);
    let alpha: Vec<&str> = ws
        .iter()
        .map(|r| &sentence[r.clone()])
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let caps = alpha.iter().filter(|w| all_caps(w)).count();
    // A headline in capitals: no word is a name by its case.
    let shouting = alpha.len() >= 3 && caps * 10 >= alpha.len() * 6;
    let mut out = Vec::with_capacity(ws.len());
    for r in ws {
        let w = &sentence[r.clone()];
        if !w.chars().any(char::is_alphabetic) {
            continue; // numbers belong to figures and dates
        }
        let f = fold(w);
        if f.chars().count() < 2 || is_stop(&f) || month_of(&f).is_some() && f.len() >= 3 {
            continue;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            continue; // Zapad-2021, F-16, COVID-19: names with numbers
        }
        let entity = !shouting && is_capitalized(w) && !lower_seen.contains(&f);
        let term = if entity {
            match equivalence::demonym_place(&f) {
                Some(place) => entity_key(place),
                None => entity_key(w),
            }
        } else {
            equivalence::canonical(stem(&f))
        };
        if term.len() < 2 {
            continue;
        }
        out.push(Token {
            rel: r,
            term,
            entity,
        });
    }
    out
}

/// Normalised dates mentioned in a piece of text: `november 1`, and years
/// (the reference for [`dates_of`]).
#[cfg(test)]
fn dates_in(text: &str) -> Vec<String> {
    let ws = words(text);
    let mut out = Vec::new();
    for (i, r) in ws.iter().enumerate() {
        let w = text[r.clone()].to_lowercase();
        if let Some(m) = month_of(&w) {
            if w.len() < 3 {
                continue;
            }
            let day = ws
                .get(i + 1)
                .map(|r| &text[r.clone()])
                .filter(|d| d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit()))
                .or_else(|| {
                    i.checked_sub(1)
                        .map(|j| &text[ws[j].clone()])
                        .filter(|d| d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit()))
                });
            if let Some(d) = day {
                out.push(format!("{} {}", MONTHS[m], d.trim_start_matches('0')));
            } else {
                out.push(MONTHS[m].to_string());
            }
        } else if year_word(&w).is_some() {
            out.push(w);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn unit_key(u: &str) -> String {
    let f = fold(u);
    if f.chars().all(char::is_alphabetic) {
        equivalence::unit_class(stem(&f))
    } else {
        f
    }
}

/// What [`extract`] needs to know about a word form, computed once per
/// distinct form and thread (see [`WordCache`]). 8 bytes: the stem and
/// name key are the fold's ([`WordCache::fold_terms`]).
#[derive(Debug, Clone, Copy)]
struct WordInfo {
    flags: u16,
    /// Id of the folded form in [`WordCache::folds`].
    fold: u32,
    /// The month the lower-cased form names (bits 0-3: 1-12; 0: none), for
    /// dates; the part of the day (bits 4-6, [`WordInfo::day_part`]); and
    /// [`M_RATIO`].
    month: u8,
}

/// In [`WordInfo::month`]: the word states a ratio of change, alone or
/// after `in`/`by` ([`equivalence::ratio_word`], read again when needed:
/// rare, and it keeps the cache's entries small).
const M_RATIO: u8 = 0x80;

impl WordInfo {
    /// The word's [`Modal`] kind, from its flags.
    fn modal(&self) -> Modal {
        match (self.flags >> W_MODAL_SHIFT) & 7 {
            1 => Modal::Yes,
            2 => Modal::Expected,
            3 => Modal::ThanAs,
            4 => Modal::Seen,
            5 => Modal::Level,
            _ => Modal::No,
        }
    }

    /// The month the form names (1-12; 0: none).
    #[inline]
    fn month(&self) -> u8 {
        let m = self.month & 0x0f;
        if m <= 12 {
            m
        } else {
            0
        }
    }

    /// [`M_QUARTER`] for a word of a year's quarters, [`M_MONTH`] for
    /// `month` (after `last`, `this`, `next` it names one), else 0.
    #[inline]
    fn period(&self) -> u8 {
        let m = self.month & 0x0f;
        if m > 12 {
            m
        } else {
            0
        }
    }

    /// The part of the day or moment of a market's session the form names
    /// (1 + index in [`DAY_PARTS`]; 0: none).
    #[inline]
    fn day_part(&self) -> u8 {
        (self.month >> 4) & 7
    }
}

/// The ratio of change a word (`raw`, as written) states, after `in`/`by`
/// or not (0: none), for a word whose info has [`M_RATIO`].
fn ratio_of(raw: &str, after_in_by: bool) -> f64 {
    let prev = if after_in_by { Some("in") } else { None };
    equivalence::ratio_word(prev, &raw.to_lowercase()).unwrap_or(0.0)
}

const W_ALPHA: u16 = 1;
const W_ALL_CAPS: u16 = 2;
const W_CAPITALIZED: u16 = 4;
const W_LOWER_FIRST: u16 = 8;
/// Passes the content-word filters of [`tokens`] (letters, not a stop
/// word, number word or month, no digit, two letters or more).
const W_CONTENT: u16 = 16;
const W_STEM_OK: u16 = 32;
const W_EKEY_OK: u16 = 64;
/// The lower-cased form is `in` or `by` (for `cut in half`).
const W_IN_BY: u16 = 128;
/// A company suffix (`Corp`, `Inc`, `Ltd`, `Co`, `plc`, `LLC`): the word
/// before it is a name, even first in its sentence (`Mtech Corp said`).
const W_ORG_SUFFIX: u16 = 256;
/// The word's [`Modal`] kind (memoised with the word), a 3-bit field at
/// this shift (bits 512, 1024, 2048): 0 `No`, 1 `Yes`, 2 `Expected`, 3
/// `ThanAs`, 4 `Seen`, 5 `Level`.
const W_MODAL_SHIFT: u16 = 9;
/// The word makes a figure next to it an average ([`stat_word`]).
const W_STAT_AVERAGE: u16 = 4096;
/// The word makes a figure next to it a maximum or minimum.
const W_STAT_EXTREME: u16 = 8192;
/// A word of a correction (`corrects`, `corrected`, `correction`).
const W_CORRECTS: u16 = 16384;
/// An ordinal (`first` to `twentieth`, `1st` to `20th`; [`ordinal_value`]).
const W_ORDINAL: u16 = 32768;
/// How many content words from a figure a [`stat_word`] may stand and still
/// say what the figure is (`the bonuses awarded averaged 116.84 dlrs`; a
/// headline's `TOP DISCOUNT RATE AT UK BILL TENDER 9.53 PCT`).
const STAT_NEAR: usize = 5;

const NO_ID: u32 = u32::MAX;

/// A word without letters (numbers, punctuation runs): no lookup needed.
const NO_ALPHA: WordInfo = WordInfo {
    flags: 0,
    fold: NO_ID,
    month: 0,
};

/// Above this many distinct word forms a thread's cache is compacted at
/// the start of the next document ([`WordCache::compact`]); it costs
/// about 100 bytes a form (its interners' tables, three quarters full at
/// most, stay at 32k slots with the growth of one document).
const CACHE_MAX_WORDS: usize = 24_000;
/// The forms a compaction keeps: the most recently used ones.
const CACHE_KEEP_WORDS: usize = 18_000;

/// Per-thread memo of word forms: folding, stop-word tests, stemming and
/// entity keys are pure functions of the form, and most forms repeat.
///
/// When it holds more than `max` forms it keeps the `keep` most recently
/// used (by document) and drops the rest with the folds and terms only
/// they used, renumbering what stays; ids are only valid within one
/// [`extract`] call, so a compaction happens between documents. Keeping
/// the hot forms instead of starting over roughly halves the misses on a
/// large workspace (a miss costs a stemming, ~20 times a hit).
struct WordCache {
    words: Interner,
    info: Vec<WordInfo>,
    /// Word id -> the generation that last looked it up.
    used: Vec<u32>,
    folds: Interner,
    terms: Interner,
    /// Fold id -> the [`extract`] call (generation) that saw it in lower case.
    seen: Vec<u32>,
    /// Fold id -> ids in `terms` of its stem and name key, once computed
    /// ([`NO_ID`]: not yet).
    fold_terms: Vec<(u32, u32)>,
    gen: u32,
    /// Term id -> (generation, id in the document's vocabulary).
    local: Vec<(u32, u32)>,
    /// Term id -> (generation, occurrences in the document).
    tf: Vec<(u32, u32)>,
    /// Term ids counted in `tf` this generation.
    tf_terms: Vec<u32>,
    /// A figure's unit as written -> its unit key ([`unit_key`]); small
    /// (units repeat), cleared when it reaches [`MAX_UNITS`].
    units: FxMap<Box<str>, Option<Sym>>,
    scratch: Scratch,
    max: usize,
    keep: usize,
}

/// Bound of [`WordCache::units`].
const MAX_UNITS: usize = 4096;

impl Default for WordCache {
    fn default() -> Self {
        WordCache::with_limits(CACHE_MAX_WORDS, CACHE_KEEP_WORDS)
    }
}

impl WordCache {
    /// A cache compacted above `max` forms down to `keep` (`keep <= max`).
    fn with_limits(max: usize, keep: usize) -> Self {
        // Grown on demand: a thread that extracts a few documents keeps
        // a small cache.
        WordCache {
            words: Interner::dense(0),
            info: Vec::new(),
            used: Vec::new(),
            folds: Interner::dense(0),
            terms: Interner::dense(0),
            seen: Vec::new(),
            fold_terms: Vec::new(),
            gen: 0,
            local: Vec::new(),
            tf: Vec::new(),
            tf_terms: Vec::new(),
            units: FxMap::default(),
            scratch: Scratch::default(),
            max,
            keep: keep.min(max),
        }
    }

    fn start_doc(&mut self) {
        if self.words.len() > self.max || self.terms.len() > 2 * self.max {
            self.compact();
        }
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            self.seen.iter_mut().for_each(|g| *g = 0);
            self.local.iter_mut().for_each(|g| g.0 = 0);
            self.tf.iter_mut().for_each(|g| g.0 = 0);
            // Recency restarts too (only the choice of what a compaction
            // keeps depends on it).
            self.used.iter_mut().for_each(|g| *g = 0);
            self.gen = 1;
        }
        self.tf_terms.clear();
        if self.units.len() >= MAX_UNITS {
            self.units.clear();
        }
    }

    /// Keep the `keep` most recently used forms (ties: the first interned)
    /// with their folds and terms; drop everything else.
    fn compact(&mut self) {
        let n = self.words.len();
        let mut keep_word = vec![true; n];
        if n > self.keep {
            // The stamp of the `keep`-th most recent form: newer forms
            // stay, and forms of that stamp in id order until `keep`.
            let mut stamps = self.used.clone();
            let cut = n - self.keep;
            let (_, &mut t, _) = stamps.select_nth_unstable(cut);
            let newer = self.used.iter().filter(|&&u| u > t).count();
            let mut ties = self.keep - newer;
            for (k, &u) in keep_word.iter_mut().zip(&self.used) {
                *k = u > t
                    || u == t && ties > 0 && {
                        ties -= 1;
                        true
                    };
            }
        }
        let mut keep_fold = vec![false; self.folds.len()];
        let mut keep_term = vec![false; self.terms.len()];
        let mark = |keep: &mut [bool], id: u32| {
            if let Some(k) = keep.get_mut(id as usize) {
                *k = true;
            }
        };
        for (info, _) in self.info.iter().zip(&keep_word).filter(|(_, &k)| k) {
            mark(&mut keep_fold, info.fold);
        }
        for (&(st, ek), _) in self.fold_terms.iter().zip(&keep_fold).filter(|(_, &k)| k) {
            mark(&mut keep_term, st);
            mark(&mut keep_term, ek);
        }
        let wmap = self.words.retain(&keep_word);
        let fmap = self.folds.retain(&keep_fold);
        let tmap = self.terms.retain(&keep_term);
        let remap = |map: &[u32], id: u32| map.get(id as usize).copied().unwrap_or(NO_ID);
        for (old, &new) in fmap.iter().enumerate() {
            if new != NO_ID {
                let (st, ek) = self.fold_terms[old];
                self.fold_terms[new as usize] = (remap(&tmap, st), remap(&tmap, ek));
            }
        }
        self.fold_terms.truncate(self.folds.len());
        for (old, &new) in wmap.iter().enumerate() {
            if new != NO_ID {
                let mut info = self.info[old];
                info.fold = remap(&fmap, info.fold);
                self.info[new as usize] = info;
                self.used[new as usize] = self.used[old];
            }
        }
        self.info.truncate(self.words.len());
        self.used.truncate(self.words.len());
        self.seen.clear();
        self.seen.resize(self.folds.len(), 0);
        self.local.clear();
        self.local.resize(self.terms.len(), (0, 0));
        self.tf.clear();
        self.tf.resize(self.terms.len(), (0, 0));
    }

    /// The unit key of a figure's unit ([`unit_key`], memoised), `None`
    /// when empty.
    fn unit(&mut self, u: &str) -> Option<Sym> {
        if let Some(&s) = self.units.get(u) {
            return s;
        }
        let k = unit_key(u);
        let s = (!k.is_empty()).then(|| Sym::new(&k));
        self.units.insert(Box::from(u), s);
        s
    }

    /// The id in `vocab` (this document's) of cache term `t`.
    #[inline]
    fn local(&mut self, vocab: &mut Interner, t: u32) -> u32 {
        let i = t as usize;
        if self.local.len() <= i {
            self.local.resize(self.terms.len().max(i + 1), (0, 0));
        }
        let e = &mut self.local[i];
        if e.0 != self.gen {
            *e = (self.gen, vocab.intern(self.terms.get(t)));
        }
        e.1
    }

    #[inline]
    fn count(&mut self, t: u32) {
        let i = t as usize;
        if self.tf.len() <= i {
            self.tf.resize(self.terms.len().max(i + 1), (0, 0));
        }
        let e = &mut self.tf[i];
        if e.0 != self.gen {
            *e = (self.gen, 0);
            self.tf_terms.push(t);
        }
        e.1 += 1;
    }

    /// The info of word form `w`, given whether `w` is all ASCII and
    /// whether it holds an ASCII letter (as [`for_words_flags`] tells).
    #[inline]
    fn lookup(&mut self, w: &str, (ascii, alpha): (bool, bool)) -> WordInfo {
        if ascii && !alpha {
            return NO_ALPHA;
        }
        if let Some(id) = self.words.find(w) {
            self.used[id as usize] = self.gen;
            return self.info[id as usize];
        }
        let info = self.compute(w);
        self.words.intern(w);
        self.info.push(info);
        self.used.push(self.gen);
        info
    }

    fn compute(&mut self, w: &str) -> WordInfo {
        let has_alpha = w.chars().any(char::is_alphabetic);
        let f = fold(w);
        let fold_id = self.folds.intern(&f);
        if self.seen.len() < self.folds.len() {
            self.seen.resize(self.folds.len(), 0);
            self.fold_terms.resize(self.folds.len(), (NO_ID, NO_ID));
        }
        let mut flags = 0;
        if has_alpha {
            flags |= W_ALPHA;
        }
        if all_caps(w) {
            flags |= W_ALL_CAPS;
        }
        if is_capitalized(w) {
            flags |= W_CAPITALIZED;
        }
        if w.chars().next().is_some_and(char::is_lowercase) {
            flags |= W_LOWER_FIRST;
        }
        let content = has_alpha
            && !(f.chars().count() < 2 || is_stop(&f) || month_of(&f).is_some() && f.len() >= 3)
            && !w.chars().any(|c| c.is_ascii_digit());
        if content {
            flags |= W_CONTENT;
            // Stem and name key are functions of the fold (`entity_key`
            // folds first): case variants share them.
            let fi = fold_id as usize;
            let mut st = self.fold_terms[fi].0;
            if st == NO_ID {
                st = self.terms.intern(&equivalence::canonical(stem(&f)));
                self.fold_terms[fi].0 = st;
            }
            if self.terms.get(st).len() >= 2 {
                flags |= W_STEM_OK;
            }
            if flags & W_CAPITALIZED != 0 {
                let mut ek = self.fold_terms[fi].1;
                if ek == NO_ID {
                    let k = match equivalence::demonym_place(&f) {
                        Some(place) => entity_key(place),
                        None => entity_key(w),
                    };
                    ek = self.terms.intern(&k);
                    self.fold_terms[fi].1 = ek;
                }
                if self.terms.get(ek).len() >= 2 {
                    flags |= W_EKEY_OK;
                }
            }
        }

        let lower = w.to_lowercase();
        let mut month = match month_of(&lower) {
            Some(m) if lower.len() >= 3 => m as u8 + 1,
            _ => 0,
        };
        let ratio = |prev| equivalence::ratio_word(prev, &lower).unwrap_or(0.0);
        if ratio(None) != 0.0 || ratio(Some("in")) != 0.0 {
            month |= M_RATIO;
        }
        if matches!(f.as_str(), "inc" | "ltd" | "co" | "corp" | "plc" | "llc")
            && (flags & W_CAPITALIZED != 0 || f == "plc")
        {
            flags |= W_ORG_SUFFIX;
        }
        flags |= match modal_word(w) {
            Modal::No => 0,
            Modal::Yes => 1,
            Modal::Expected => 2,
            Modal::ThanAs => 3,
            Modal::Seen => 4,
            Modal::Level => 5,
        } << W_MODAL_SHIFT;
        if lower == "in" || lower == "by" {
            flags |= W_IN_BY;
        }
        flags |= stat_word(&lower);
        if matches!(
            lower.as_str(),
            "corrects" | "corrected" | "correction" | "corrections" | "correcting"
        ) {
            flags |= W_CORRECTS;
        }
        if ordinal_value(&lower).is_some() {
            flags |= W_ORDINAL;
        }
        if let Some(i) = DAY_PARTS.iter().position(|p| p.contains(&lower.as_str())) {
            month |= (i as u8 + 1) << 4;
        } else if QUARTER_WORDS.contains(&lower.as_str()) {
            month |= M_QUARTER;
        } else if lower == "month" {
            month |= M_MONTH;
        }
        WordInfo {
            flags,
            fold: fold_id,
            month,
        }
    }

    /// The content terms of a run of words ([`tokens`], memoised): ids in
    /// [`WordCache::terms`] and whether each is a name.
    fn tokens(&self, recs: &[WordRec], out: &mut Vec<(u32, bool)>) {
        let shouting = shouting(recs);
        for r in recs {
            let i = r.info;
            if i.flags & W_CONTENT == 0 {
                continue;
            }
            let entity =
                !shouting && i.flags & W_CAPITALIZED != 0 && self.seen[i.fold as usize] != self.gen;
            let (stem, ekey) = self.fold_terms[i.fold as usize];
            if entity {
                if i.flags & W_EKEY_OK != 0 {
                    out.push((ekey, true));
                }
            } else if i.flags & W_STEM_OK != 0 {
                out.push((stem, false));
            }
        }
    }

    /// The name keys of a sentence's words that are names (as in
    /// [`WordCache::tokens`]), but its first word only when the next word
    /// is a name too (`Halvorsen Marine said`) or a company suffix (`Mtech
    /// Corp said`), or it is a possessive (`Osland's exports rose`): a
    /// capital at the start may be the sentence's, not the name's
    /// (`Turnover rose`). `text` is the text `recs` are offsets into.
    fn inner_names(&self, text: &str, recs: &[WordRec], mut f: impl FnMut(u32, usize)) {
        if shouting(recs) {
            return;
        }
        let name = |r: &WordRec| {
            let want = W_CONTENT | W_CAPITALIZED | W_EKEY_OK;
            r.info.flags & want == want && self.seen[r.info.fold as usize] != self.gen
        };
        let Some(first) = recs.iter().position(|r| r.info.flags & W_ALPHA != 0) else {
            return;
        };
        let names_next = |n: &WordRec| name(n) || n.info.flags & W_ORG_SUFFIX != 0;
        let possessive = |r: &WordRec| {
            text.get(r.start as usize..r.end as usize)
                .is_some_and(|w| w.ends_with("'s") || w.ends_with("’s"))
        };
        for (i, r) in recs.iter().enumerate().skip(first) {
            if name(r) && (i > first || recs.get(i + 1).is_some_and(names_next) || possessive(r)) {
                f(self.fold_terms[r.info.fold as usize].1, i);
            }
        }
    }

    fn scan(&mut self, s: &str, out: &mut Vec<WordRec>) {
        for_words_flags(s, |r, ascii, alpha| {
            let info = self.lookup(&s[r.clone()], (ascii, alpha));
            out.push(WordRec {
                start: r.start as u32,
                end: r.end as u32,
                info,
            });
        });
    }
}

/// A run of words mostly in capitals (a headline, a table's heading): its
/// capitals mark no names.
fn shouting(recs: &[WordRec]) -> bool {
    let mut alpha = 0usize;
    let mut caps = 0usize;
    for r in recs {
        if r.info.flags & W_ALPHA != 0 {
            alpha += 1;
            if r.info.flags & W_ALL_CAPS != 0 {
                caps += 1;
            }
        }
    }
    alpha >= 3 && caps * 10 >= alpha * 6
}

/// Who a quotation's speaker is, for telling two quotations by the same
/// speaker: a person by the family name (`Sergei Lavrov`, `Lavrov`,
/// `Foreign Minister Sergey Lavrov` are one speaker; `David Frost` and
/// `David Keller` are two), anything else by all its name words (`the
/// Foreign Ministry`, `the Defence Ministry` are two). `None` when the
/// speaker names nobody (`he` unresolved, `officials`).
pub fn speaker_key(speaker: &str) -> Option<String> {
    let mut names = words(speaker)
        .into_iter()
        .map(|r| &speaker[r])
        .filter(|w| is_capitalized(w) && !is_stop(&fold(w)));
    if attribution::names_person(speaker) {
        return names.next_back().map(entity_key);
    }
    let keys: Vec<String> = names.map(entity_key).collect();
    (!keys.is_empty()).then(|| keys.join(" "))
}

/// A word of a sentence (byte range relative to the sentence).
#[derive(Debug, Clone, Copy)]
struct WordRec {
    start: u32,
    end: u32,
    info: WordInfo,
}

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

/// Drop this thread's word cache (a bulk build's calling thread, whose
/// cache would otherwise stay resident at the build's peak). The next
/// [`extract`] on the thread starts a fresh one; results do not change.
pub fn release_thread_cache() {
    CACHE.with(|c| {
        if let Ok(mut cache) = c.try_borrow_mut() {
            *cache = WordCache::default();
        }
    });
}

/// [`dates_in`] over words already split.
fn dates_of(text: &str, ws: &[WordRec]) -> Vec<String> {
    let digits = |d: &&str| d.len() <= 2 && d.bytes().all(|c| c.is_ascii_digit());
    let mut out = Vec::new();
    for (i, r) in ws.iter().enumerate() {
        let raw = &text[r.start as usize..r.end as usize];
        let b = raw.as_bytes()[0];
        if b.is_ascii_digit() {
            if year_word(raw).is_some() {
                out.push(raw.to_string());
            }
            continue;
        }
        if r.info.month() == 0 {
            continue;
        }
        let m = r.info.month() as usize - 1;
        let word = |r: &WordRec| &text[r.start as usize..r.end as usize];
        let day = ws
            .get(i + 1)
            .map(word)
            .filter(digits)
            .or_else(|| i.checked_sub(1).map(|j| word(&ws[j])).filter(digits));
        if let Some(d) = day {
            out.push(format!("{} {}", MONTHS[m], d.trim_start_matches('0')));
        } else {
            out.push(MONTHS[m].to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Ratios of change the sentence states: `from 20 to 10` (×0.5) and
/// `halve`, `cut in half`, `double`… ([`equivalence::ratio_word`]), as
/// figures of unit [`equivalence::RATIO`]. The reference for the memoised
/// reading in [`extract`].
#[cfg(test)]
fn ratio_features(st: &str, figures: &[FigureFeature]) -> Vec<FigureFeature> {
    let mut out = Vec::new();
    for f in figures {
        if f.qual == Qual::Change {
            if let Some(r) = f
                .value_to()
                .and_then(|to| equivalence::change_ratio(f.value, to))
            {
                out.push(ratio(r, f.rel_span()));
            }
        }
    }
    let ws = words(st);
    for (i, r) in ws.iter().enumerate() {
        let w = st[r.clone()].to_lowercase();
        let prev = i.checked_sub(1).map(|j| st[ws[j].clone()].to_lowercase());
        if let Some(v) = equivalence::ratio_word(prev.as_deref(), &w) {
            out.push(ratio(v, r.clone()));
        }
    }
    out
}

fn ratio(value: f64, rel_span: Range<usize>) -> FigureFeature {
    FigureFeature::new(
        value,
        None,
        Some(Sym::new(equivalence::RATIO)),
        Qual::Exact,
        None,
        rel_span,
    )
}

/// The items of an article (figures, quotations) grouped by sentence, in
/// item order within a sentence: one flat list (a counting sort) instead
/// of a vector per sentence. Items of no sentence (`>= n`) are left out.
struct BySentence {
    /// Sentence `s`'s items are `items[starts[s]..starts[s + 1]]`.
    starts: Vec<usize>,
    items: Vec<usize>,
}

impl BySentence {
    fn new(n: usize, sentence_of: impl Iterator<Item = usize> + Clone) -> BySentence {
        let mut starts = vec![0usize; n + 1];
        for s in sentence_of.clone() {
            if s < n {
                starts[s + 1] += 1;
            }
        }
        for s in 0..n {
            starts[s + 1] += starts[s];
        }
        let mut next = starts.clone();
        let mut items = vec![0usize; starts[n]];
        for (i, s) in sentence_of.enumerate() {
            if s < n {
                items[next[s]] = i;
                next[s] += 1;
            }
        }
        BySentence { starts, items }
    }

    #[inline]
    fn of(&self, s: usize) -> &[usize] {
        &self.items[self.starts[s]..self.starts[s + 1]]
    }
}

/// The first 8 bytes of `s` as a big-endian number, zero padded: if two
/// strings' prefixes differ, they order as the strings do.
#[inline]
fn prefix8(s: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// Bit of month `m` (0-11) in a [`time_mask`].
const TIME_MONTHS: u32 = 0xfff;
/// Years in a [`time_mask`]: bit `12 + year % YEAR_BITS` (years ten apart
/// share a bit; a mask only ever says "maybe the same time").
const TIME_YEARS: u32 = 0x3ff << 12;
const YEAR_BITS: u32 = 10;
/// In a [`time_mask`]: a month is named by its word (`in December`), or
/// as `last month` in an article of known date.
const TIME_MONTH_WORD: u32 = 1 << 22;
/// In a [`time_mask`]: a quarter is named (`fourth quarter`, `Q4`).
const TIME_QUARTER: u32 = 1 << 23;
/// In a [`time_mask`]: `last month`, `this month` or `next month` in an
/// article whose date (month) is unknown: some month, which one unsaid.
const TIME_RELATIVE_MONTH: u32 = 1 << 24;
/// Parts of the day and moments of a market's session in a
/// [`time_mask`]: bit `DAY_PART_BIT + 1 + i` for [`DAY_PARTS`].
const TIME_DAY_PARTS: u32 = 0x7f << 25;
const DAY_PART_BIT: u32 = 24;
const DAY_PARTS: [&[&str]; 7] = [
    &["morning", "midmorning", "mid-morning"],
    &["afternoon", "midafternoon", "mid-afternoon"],
    &["evening", "tonight"],
    &["night", "overnight"],
    // A market's session ([`session_moment`]: these words count next to
    // a level or a figure, or as a noun, not in `opened a plant`).
    &["open", "opens", "opened", "opening"],
    &["midsession", "mid-session", "midday", "mid-day", "noon"],
    &[
        "close", "closes", "closed", "closing", "settle", "settles", "settled",
    ],
];
/// The first of [`DAY_PARTS`] that is a moment of a market's session
/// (1-based, as [`WordInfo::day_part`]); the midsession's is always one.
const SESSION_OPEN: u8 = 5;
const SESSION_MID: u8 = 6;

/// In [`WordInfo::month`]'s month field (above the months): the form
/// names a quarter of the year, or does after an ordinal (`Q3`, `fourth
/// quarter`, `4th qtr`).
const M_QUARTER: u8 = 14;
/// In [`WordInfo::month`]'s month field: the form is `month`.
const M_MONTH: u8 = 13;
const QUARTER_WORDS: [&str; 8] = ["quarter", "quarters", "qtr", "qtrs", "q1", "q2", "q3", "q4"];

/// The quarter (1-4) a quarter word (`w`, after `prev`) names: `Q3`,
/// `fourth quarter`, `4th qtr`; `None` for `last quarter`, `a quarter`.
fn quarter_of(w: &str, prev: Option<&str>) -> Option<u32> {
    let w = w.to_ascii_lowercase();
    if let Some(n) = w.strip_prefix('q').and_then(|n| n.parse().ok()) {
        return (1..=4).contains(&n).then_some(n);
    }
    match prev?.to_ascii_lowercase().as_str() {
        "first" | "1st" => Some(1),
        "second" | "2nd" => Some(2),
        "third" | "3rd" => Some(3),
        "fourth" | "4th" => Some(4),
        _ => None,
    }
}

/// The months, years and parts of the day (`morning`, `afternoon`…) a
/// sentence names, as bits. A month counts when written with a capital
/// (`March`, not `protesters march`), and `May` only beside a day or a
/// year (`May 5`, `May 1987`), not the verb. A quarter names its three
/// months (`fourth quarter`: October to December). `last month`, `this
/// month` and `next month` name a month of the article's date (`month`,
/// 1-12), or, when that is unknown (0), some month
/// ([`TIME_RELATIVE_MONTH`]). A market's session has moments: `opened
/// steady`, `at midsession`, `closed 2 cents higher`
/// ([`session_moment`]).
fn time_mask(st: &str, ws: &[WordRec], month: u32) -> u32 {
    let word = |r: &WordRec| &st[r.start as usize..r.end as usize];
    let is_num = |r: Option<&WordRec>, max: usize| {
        r.map(word)
            .is_some_and(|d| d.len() <= max && d.bytes().all(|c| c.is_ascii_digit()))
    };
    let mut mask = 0;
    for (i, r) in ws.iter().enumerate() {
        // Most words name no time: only a year's four digits or a word
        // whose memoised info holds a month or a part of the day go on.
        if r.info.flags & W_ALPHA == 0 {
            let w = word(r);
            if let Some(part) = clock_day_part(w, ws.get(i + 1).map(word)) {
                mask |= 1 << (DAY_PART_BIT + part);
                continue;
            }
            if let Some(y) = year_word(w) {
                mask |= 1 << (12 + y % YEAR_BITS);
            }
            continue;
        }
        if r.info.month & !M_RATIO == 0 {
            continue;
        }
        let w = word(r);
        let prev = i.checked_sub(1).map(|j| &ws[j]);
        if r.info.period() == M_QUARTER {
            // Any quarter word says the sentence may speak of a quarter
            // (`the quarter to March`); an ordinal names its months.
            mask |= TIME_QUARTER;
            if let Some(q) = quarter_of(w, prev.map(word)) {
                mask |= 0b111 << (3 * (q - 1));
            }
            continue;
        }
        if r.info.period() == M_MONTH {
            let shift = match prev.map(word).map(str::to_ascii_lowercase).as_deref() {
                Some("last") | Some("previous") => 11,
                Some("this") => 0,
                Some("next") => 1,
                _ => continue,
            };
            mask |= match month {
                1..=12 => 1 << ((month - 1 + shift) % 12) | TIME_MONTH_WORD,
                _ => TIME_RELATIVE_MONTH,
            };
            continue;
        }
        let part = r.info.day_part();
        if part != 0 {
            if part < SESSION_OPEN || session_moment(st, ws, i) {
                mask |= 1 << (DAY_PART_BIT + part as u32);
            }
            continue;
        }
        let m = r.info.month();
        if m == 0 || r.info.flags & W_CAPITALIZED == 0 {
            continue;
        }
        let beside = is_num(ws.get(i + 1), 4) || i > 0 && is_num(ws.get(i - 1), 2);
        if w.eq_ignore_ascii_case("may") && !beside {
            continue;
        }
        mask |= 1 << (m - 1) | TIME_MONTH_WORD;
    }
    mask
}

const ORDINALS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

/// The value of an ordinal in lower case: `first` to `twentieth`, `1st`
/// to `20th`.
fn ordinal_value(lower: &str) -> Option<u32> {
    if let Some(i) = ORDINALS.iter().position(|&o| o == lower) {
        return Some(i as u32 + 1);
    }
    let digits = lower.trim_end_matches(char::is_alphabetic);
    let n: u32 = digits.parse().ok()?;
    let suffix = &lower[digits.len()..];
    let want = match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    ((1..=20).contains(&n) && suffix == want).then_some(n)
}

/// The places in a ranking a sentence gives, as bits (`n`th: bit `n -
/// 1`): an ordinal before `place`, `position` or `spot` (`entered the
/// chart in second place`, `the fourth spot`), or after a verb of
/// standing (`are currently fifth`, `finished third`). Not `the first
/// time`, `fourth quarter`. A film second one weekend and fourth the next,
/// a team fifth then sixth: their figures are of two moments.
fn rank_mask(st: &str, ws: &[WordRec]) -> u32 {
    let is = |r: Option<&WordRec>, set: &[&str]| word_in(st, r, set);
    let mut mask = 0;
    for (i, r) in ws.iter().enumerate() {
        if r.info.flags & W_ORDINAL == 0 {
            continue;
        }
        let rank = is(ws.get(i + 1), &["place", "position", "spot"])
            || is(
                i.checked_sub(1).map(|j| &ws[j]),
                &[
                    "currently",
                    "now",
                    "lie",
                    "lies",
                    "lying",
                    "sit",
                    "sits",
                    "sitting",
                    "finished",
                    "finish",
                    "finishes",
                    "ranked",
                    "placed",
                    "came",
                ],
            );
        let word = &st[r.start as usize..r.end as usize];
        if let (true, Some(n)) = (rank, ordinal_value(&word.to_ascii_lowercase())) {
            mask |= 1 << (n - 1);
        }
    }
    mask
}

/// Whether a sentence states its figures as a running total or a balance,
/// which changes as days pass: `purchases to date`, `so far this year`,
/// `thus far`, `sales now total`, `now stands at`, `are still available`,
/// `remain available`, `cumulative`. Two days' reports of one give two
/// values, neither wrong.
fn running_total(st: &str, ws: &[WordRec]) -> bool {
    let is = |r: Option<&WordRec>, set: &[&str]| word_in(st, r, set);
    ws.iter().enumerate().any(|(i, r)| {
        let w = &st[r.start as usize..r.end as usize];
        // (Dispatched on the word's length: most words are none of these.)
        let next = ws.get(i + 1);
        match w.len() {
            2 => {
                w.eq_ignore_ascii_case("to") && is(next, &["date"])
                    || w.eq_ignore_ascii_case("so") && is(next, &["far"])
            }
            3 => {
                w.eq_ignore_ascii_case("now")
                    && is(
                        next,
                        &["total", "totals", "totalled", "totaled", "stand", "stands"],
                    )
            }
            4 => w.eq_ignore_ascii_case("thus") && is(next, &["far"]),
            5..=7 => is(Some(r), &["still", "remain", "remains"]) && is(next, &["available"]),
            10 | 12 => is(Some(r), &["cumulative", "cumulatively"]),
            _ => false,
        }
    })
}

/// A year written as four digits, 1900-2099 (`1987`).
fn year_word(w: &str) -> Option<u32> {
    (w.len() == 4
        && w.bytes().all(|c| c.is_ascii_digit())
        && (w.starts_with("19") || w.starts_with("20")))
    .then(|| w.parse().ok())
    .flatten()
}

/// Whether a sentence gives its figures for a fiscal year: `fiscal` or
/// `financial` before `year` or a year (`fiscal 1987`), or a year or
/// twelve months to a month other than December (`in the year to March
/// 2004`, `the 12 months ended June 30`). A fiscal year and the calendar
/// year of the same number are two periods.
fn fiscal_year(st: &str, ws: &[WordRec]) -> bool {
    let is = |r: Option<&WordRec>, set: &[&str]| word_in(st, r, set);
    let year_number = |r: Option<&WordRec>| {
        r.is_some_and(|r| year_word(&st[r.start as usize..r.end as usize]).is_some())
    };
    ws.iter().enumerate().any(|(i, r)| {
        // (Dispatched on the word's length: most words are none of these.)
        if !matches!(r.end - r.start, 4 | 6 | 9) {
            return false;
        }
        let next = ws.get(i + 1);
        if is(Some(r), &["fiscal", "financial"]) {
            return is(next, &["year", "years"]) || year_number(next);
        }
        is(Some(r), &["year", "months"])
            && is(next, &["to", "ended", "ending", "through"])
            && ws.get(i + 2).is_some_and(|m| {
                (1..=11).contains(&m.info.month()) && m.info.flags & W_CAPITALIZED != 0
            })
    })
}

/// Whether a sentence holds a verb: a past tense or a finite verb
/// (`clauses::is_verb`), or a word of a forecast (`expected`, `seen`).
/// Present tenses are not known (`Sales rise`): a sentence of them alone
/// reads as verbless.
fn has_verb(st: &str, ws: &[WordRec]) -> bool {
    ws.iter().any(|r| {
        matches!(r.info.modal(), Modal::Yes | Modal::Expected | Modal::Seen)
            || r.info.flags & W_ALPHA != 0
                && clauses::is_verb(&st[r.start as usize..r.end as usize])
    })
}

/// Whether word `i` of `ws`, a word of a market's session ([`DAY_PARTS`]
/// from [`SESSION_OPEN`]), names a moment of one: the midsession always;
/// `open` and `close` before a level or a figure (`opened steady`, `closed
/// two cents higher`, `closes at 2.85`), or as a noun after `the` or a
/// level (`at the close`, `a firm open`) that ends its phrase. Not `opened
/// a plant`, `close to 50 pct`, `the open market`.
fn session_moment(st: &str, ws: &[WordRec], i: usize) -> bool {
    if ws[i].info.day_part() == SESSION_MID {
        return true;
    }
    let word = |r: &WordRec| &st[r.start as usize..r.end as usize];
    // (A headline's capitals are memoised as they are: `HIGHER`.)
    let level = |r: &WordRec| {
        r.info.modal() == Modal::Level
            || r.info.flags & W_ALL_CAPS != 0
                && modal_word(&word(r).to_ascii_lowercase()) == Modal::Level
    };
    let after_the = i > 0 && {
        let p = &ws[i - 1];
        level(p) || word(p).eq_ignore_ascii_case("the")
    };
    // The phrase ends at the sentence's end or a punctuation mark.
    let next = ws
        .get(i + 1)
        .filter(|n| st[ws[i].end as usize..n.start as usize].trim().is_empty());
    let Some(next) = next else {
        return after_the;
    };
    let number = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_digit())
            || crate::analysis::lexicon::NUMBER_WORDS.contains_key(w.to_ascii_lowercase().as_str())
    };
    if level(next) || number(word(next)) {
        return true;
    }
    after_the
        && word_in(
            st,
            Some(next),
            &[
                "of",
                "and",
                "but",
                "then",
                "on",
                "in",
                "after",
                "before",
                "with",
                "as",
                "while",
                "today",
                "yesterday",
            ],
        )
}

/// Whether word `r` of `st` is one of `set` (lower case), in any case.
fn word_in(st: &str, r: Option<&WordRec>, set: &[&str]) -> bool {
    r.and_then(|r| st.get(r.start as usize..r.end as usize))
        .is_some_and(|w| set.iter().any(|s| s.eq_ignore_ascii_case(w)))
}

/// The part of the day ([`DAY_PARTS`], 1-4) a wire clock time names
/// (`1650 GMT`, `0930 EST`): a `HHMM` before a time zone. The dollar at
/// `1800 GMT` and at `1650 GMT` are two moments of a moving quantity.
fn clock_day_part(w: &str, next: Option<&str>) -> Option<u32> {
    let next = next?;
    if w.len() != 4 || !w.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !crate::analysis::figures::TIME_ZONES
        .iter()
        .any(|z| z.eq_ignore_ascii_case(next))
    {
        return None;
    }
    let (h, m): (u32, u32) = (w[..2].parse().ok()?, w[2..].parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    Some(match h {
        5..=11 => 1,
        12..=16 => 2,
        17..=20 => 3,
        _ => 4,
    })
}

/// Whether two claims' [`time_mask`]s name different times: both name
/// months (or both years) and none in common.
pub fn other_times(a: u32, b: u32) -> bool {
    [TIME_MONTHS, TIME_YEARS, TIME_DAY_PARTS]
        .iter()
        .any(|&k| a & k != 0 && b & k != 0 && a & b & k == 0)
}

/// Whether one of two [`time_mask`]s names a month and no quarter and the
/// other a quarter and no month: a month's figure and a quarter's are of
/// two periods (`rose 1.2 pct in December` / `rose 1.1 pct in the fourth
/// quarter`), though the quarter holds the month.
pub fn month_and_quarter(a: u32, b: u32) -> bool {
    let only = |m: u32, k: u32| m & (TIME_MONTH_WORD | TIME_QUARTER) == k;
    only(a, TIME_MONTH_WORD) && only(b, TIME_QUARTER)
        || only(a, TIME_QUARTER) && only(b, TIME_MONTH_WORD)
}

/// Whether one of two [`time_mask`]s names a month only as `last month`
/// (of an article whose date is unknown) and the other names months: a
/// figure of `last month` and one of `January` may be of two months.
pub fn relative_and_named_month(a: u32, b: u32) -> bool {
    let relative = |m: u32| m & TIME_RELATIVE_MONTH != 0 && m & TIME_MONTHS == 0;
    relative(a) && b & TIME_MONTHS != 0 || relative(b) && a & TIME_MONTHS != 0
}

/// Whether two [`time_mask`]s name one month by its word and only one of
/// them a year: a figure of `February 1986` and one of an unqualified
/// `February` (this year's, as news writes it) are of two years.
pub fn month_of_another_year(a: u32, b: u32) -> bool {
    let month = |m: u32| m & TIME_MONTH_WORD != 0;
    month(a)
        && month(b)
        && a & b & TIME_MONTHS != 0
        && (a & TIME_YEARS == 0) != (b & TIME_YEARS == 0)
}

/// Whether a [`time_mask`] names a year.
pub fn names_year(m: u32) -> bool {
    m & TIME_YEARS != 0
}

/// A date as `year << 9 | month << 5 | day` (year 0: not given; month
/// 1-12, day 1-31); 0 for none.
pub fn pack_date(year: u32, month: u32, day: u32) -> u32 {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || year > 9999 {
        return 0;
    }
    year << 9 | month << 5 | day
}

/// A [`pack_date`] for display: `March 2`, `October 19, 1987`.
pub fn format_date(d: u32) -> Option<String> {
    let (year, month, day) = (d >> 9, (d >> 5) & 15, d & 31);
    let name = MONTHS.get((month as usize).checked_sub(1)?)?;
    let mut out = format!("{}{} {day}", name[..1].to_uppercase(), &name[1..]);
    if year != 0 {
        let _ = write!(out, ", {year}");
    }
    Some(out)
}

/// Whether two articles' dates ([`pack_date`]) are known and differ (a
/// missing year is not a difference).
pub fn other_days(a: u32, b: u32) -> bool {
    if a == 0 || b == 0 {
        return false;
    }
    let (ya, yb) = (a >> 9, b >> 9);
    (ya != 0 && yb != 0 && ya != yb) || a & 0x1ff != b & 0x1ff
}

/// A front matter date: `2024-03-01`, `2024/3/1`, `March 1, 2024`,
/// `1 March 2024` (0 when it is none of these).
fn parse_meta_date(d: &str) -> u32 {
    let parts: Vec<&str> = d
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let num = |p: &str| p.parse::<u32>().ok();
    if let [y, m, dd, ..] = parts[..] {
        if y.len() == 4 {
            if let (Some(y), Some(m), Some(dd)) = (num(y), num(m), num(dd)) {
                return pack_date(y, m, dd);
            }
        }
    }
    let month = parts
        .iter()
        .find_map(|p| month_of(&p.to_lowercase()).filter(|_| p.len() >= 3));
    let year = parts.iter().find(|p| p.len() == 4).and_then(|p| num(p));
    let day = parts.iter().find(|p| p.len() <= 2).and_then(|p| num(p));
    match (month, day) {
        (Some(m), Some(dd)) => pack_date(year.unwrap_or(0), m as u32 + 1, dd),
        _ => 0,
    }
}

/// The date a title ends with, after a dash (`NEWS HIGHLIGHTS 1145 GMT -
/// APRIL 7`, `Markets - 7 April 2026`): a month, a day and maybe a year,
/// nothing else (0 when there is none).
fn title_date(title: &str) -> u32 {
    let Some((_, tail)) = title.rsplit_once(" - ") else {
        return 0;
    };
    let parts = tail
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .count();
    if parts > 3 {
        return 0;
    }
    parse_meta_date(tail)
}

/// Whom a story is about, by its title: the companies it names by ticker
/// ([`ticker_mask`]) and those of the names its text writes (`#name` keys)
/// that it writes too, each one bit of a u64 (a hash's top bits,
/// [`lead_bit`]). Two stories whose masks share no bit are about two
/// subjects.
pub fn lead_mask<'a>(title: &str, main_names: impl Iterator<Item = &'a str>) -> u64 {
    let mut mask = ticker_mask(title);
    let mut main_names = main_names.peekable();
    if main_names.peek().is_none() {
        return mask;
    }
    let keys: Vec<String> = words(title)
        .into_iter()
        .map(|r| &title[r])
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map(entity_key)
        .collect();
    for name in main_names {
        if keys.iter().any(|k| k == name) {
            mask |= lead_bit(name);
        }
    }
    mask
}

/// How long a name key (`#` and its letters) written once in an article
/// must be to name whom its title is about (a shorter one is too likely
/// another word's skeleton).
const LEAD_KEY_ONCE: usize = 5;

/// The bit of a [`lead_mask`] that a name key (`#name`) sets.
pub fn lead_bit(key: &str) -> u64 {
    mask_bit(key.as_bytes())
}

/// The bit of a 64-bit mask ([`ticker_mask`], [`lead_mask`]) that `b`
/// sets: its hash's top bits (FxHash mixes its low bits poorly).
fn mask_bit(b: &[u8]) -> u64 {
    let mut h = crate::fxhash::FxHasher::default();
    std::hash::Hasher::write(&mut h, b);
    1u64 << (std::hash::Hasher::finish(&h) >> 58)
}

/// Stock exchanges a release names a ticker after (`(NYSE: ABC)`), in
/// upper case.
const EXCHANGES: &[&str] = &[
    "NYSE", "NASDAQ", "AMEX", "LSE", "LON", "TSX", "TSXV", "TSE", "ASX", "HKEX", "SGX", "OTC",
    "OTCQX", "OTCQB", "XETRA", "EURONEXT", "NZX", "JSE", "BSE", "NSE", "SIX",
];

/// The companies an article names by their stock tickers (a wire's
/// `<BOR>`, `<DMP.MO>`; a release's `(NYSE: ABC)`), as a 64-bit mask: one
/// bit per ticker, chosen by a hash of it without its exchange suffix
/// (`DMP.MO` is `DMP`). 0 when the article names none. Two articles whose
/// masks share no bit name different companies; two tickers that share a
/// bit only make two articles look alike, never different.
pub fn ticker_mask(text: &str) -> u64 {
    let b = text.as_bytes();
    let mut mask = 0;
    for at in memchr::memchr2_iter(b'<', b'(', b) {
        let (start, close) = if b[at] == b'<' {
            (at + 1, b'>')
        } else {
            let rest = &b[at + 1..];
            let n = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            let exchange = &rest[..n];
            if rest.get(n) != Some(&b':')
                || !EXCHANGES
                    .iter()
                    .any(|e| e.as_bytes().eq_ignore_ascii_case(exchange))
            {
                continue;
            }
            let spaces = rest[n + 1..].iter().take_while(|&&c| c == b' ').count();
            (at + 1 + n + 1 + spaces, b')')
        };
        if let Some(t) = ticker_at(&b[start..], close) {
            mask |= mask_bit(t);
        }
    }
    mask
}

/// A ticker at the start of `b`, closed by `close`: one to six capitals
/// and digits (a capital first), then maybe a dot and an exchange suffix
/// of up to four letters or digits; the ticker without its suffix.
fn ticker_at(b: &[u8], close: u8) -> Option<&[u8]> {
    let base = b
        .iter()
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        .count();
    if !(1..=6).contains(&base) || !b[0].is_ascii_uppercase() {
        return None;
    }
    let mut end = base;
    if b.get(end) == Some(&b'.') {
        let n = b[end + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if !(1..=4).contains(&n) {
            return None;
        }
        end += 1 + n;
    }
    (b.get(end) == Some(&close)).then(|| &b[..base])
}

/// A place's words in lower case, hashed (never 0): `Sioux City` and
/// `SIOUX CITY` are one place.
pub fn place_hash(place: &str) -> u32 {
    let mut h = crate::fxhash::FxHasher::default();
    for w in place
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        for c in w.chars().flat_map(char::to_lowercase) {
            std::hash::Hasher::write_u32(&mut h, c as u32);
        }
        std::hash::Hasher::write_u8(&mut h, b' ');
    }
    (std::hash::Hasher::finish(&h) as u32).max(1)
}

/// A wire dateline at the start of a sentence: up to six capitalised
/// place words, a comma, a month and a day (and a year), then a dash
/// (`JAKARTA, March 2 -`, `NEW YORK, Oct 19, 1987 —`). Its date
/// ([`pack_date`]), the index of the first word after it, and its place
/// ([`place_hash`]).
fn dateline_at(st: &str, ws: &[WordRec]) -> Option<(u32, usize, u32)> {
    let word = |r: &WordRec| &st[r.start as usize..r.end as usize];
    let mi = ws.iter().take(7).position(|r| r.info.month() != 0)?;
    if mi == 0
        || ws[..mi].iter().any(|r| r.info.flags & W_CAPITALIZED == 0)
        || !st[ws[mi - 1].end as usize..ws[mi].start as usize].contains(',')
    {
        return None;
    }
    let day = ws.get(mi + 1).filter(|r| {
        let d = word(r);
        d.len() <= 2 && d.bytes().all(|c| c.is_ascii_digit())
    })?;
    let mut last = day;
    let mut next = mi + 2;
    let mut year = 0;
    if let Some(y) = ws.get(mi + 2) {
        let w = word(y);
        if w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit()) {
            year = w.parse().unwrap_or(0);
            last = y;
            next += 1;
        }
    }
    let after = st[last.end as usize..].trim_start_matches([' ', ',', '\t']);
    if !after.starts_with(['-', '\u{2013}', '\u{2014}']) {
        return None;
    }
    let date = pack_date(
        year,
        ws[mi].info.month() as u32,
        word(day).parse().unwrap_or(0),
    );
    let place = place_hash(&st[ws[0].start as usize..ws[mi - 1].end as usize]);
    Some((date, next, place))
}

/// Extract the claims of an analysed article.
///
/// Every sentence carrying a figure, a quotation or a date is a claim; so is
/// every other sentence with at least [`MIN_CONTEXT_TERMS`] content terms
/// (a *context* claim, `carries == 0`), because the same fact is often
/// reported in one article with a figure and in another without.
///
/// Word forms are memoised per thread (folding, stemming, name keys), so the
/// cost is mostly one hash lookup per word.
pub fn extract(text: &str, art: &Article) -> DocFeatures {
    CACHE.with(|c| match c.try_borrow_mut() {
        Ok(mut cache) => extract_with(&mut cache, text, art),
        // Not reentrant; never happens, but a fresh cache is always right.
        Err(_) => extract_with(&mut WordCache::default(), text, art),
    })
}

fn extract_with(cache: &mut WordCache, text: &str, art: &Article) -> DocFeatures {
    cache.start_doc();
    let n = art.sentences.len();
    let quotes_of = BySentence::new(n, art.quotations.iter().map(|q| q.sentence));
    // 1. Split every sentence into words once; note the forms seen in
    //    lower case (a capitalised form that also occurs in lower case is
    //    an ordinary word, not a name). A sentence without quotations is
    //    cut into its clauses ([`clauses`]): each is a claim, its words'
    //    offsets counted from the clause's start.
    let mut recs: Vec<WordRec> = Vec::with_capacity(text.len() / 5);
    // (sentence, span in the text, its words in `recs`)
    let mut units: Vec<(usize, Range<usize>, Range<usize>)> = Vec::with_capacity(n);
    let mut first_unit: Vec<usize> = Vec::with_capacity(n + 1);
    let mut wbuf = std::mem::take(&mut cache.scratch.words);
    let mut parts = std::mem::take(&mut cache.scratch.clauses);
    for (si, s) in art.sentences.iter().enumerate() {
        first_unit.push(units.len());
        let Some(st) = text.get(s.span.clone()) else {
            continue;
        };
        let a = recs.len();
        cache.scan(st, &mut recs);
        for r in &recs[a..] {
            if r.info.flags & W_LOWER_FIRST != 0 {
                cache.seen[r.info.fold as usize] = cache.gen;
            }
        }
        if recs.len() - a < 2 * clauses::MIN_WORDS || !quotes_of.of(si).is_empty() {
            units.push((si, s.span.clone(), a..recs.len()));
            continue;
        }
        wbuf.clear();
        wbuf.extend(recs[a..].iter().map(|r| r.start as usize..r.end as usize));
        clauses::clauses(st, &wbuf, &mut parts);
        if parts.len() == 1 {
            units.push((si, s.span.clone(), a..recs.len()));
            continue;
        }
        let mut w = a;
        for p in parts.iter().cloned() {
            // Words between clauses (a connective) belong to none.
            while w < recs.len() && (recs[w].start as usize) < p.start {
                w += 1;
            }
            let from = w;
            while w < recs.len() && (recs[w].start as usize) < p.end {
                recs[w].start -= p.start as u32;
                recs[w].end -= p.start as u32;
                w += 1;
            }
            units.push((si, s.span.start + p.start..s.span.start + p.end, from..w));
        }
    }
    first_unit.push(units.len());
    cache.scratch.words = wbuf;
    cache.scratch.clauses = parts;
    // A word form without letters can still start in lower case in
    // principle (no such character exists today); such forms go through
    // the cache, so `seen` covers them.

    // The unit holding byte `at` of sentence `si`.
    let unit_of = |si: usize, at: usize| -> usize {
        if si >= n {
            return usize::MAX;
        }
        let (a, b) = (first_unit[si], first_unit[si + 1]);
        (a..b)
            .find(|&u| units[u].1.end > at)
            .unwrap_or(b.max(1) - 1)
    };
    let nu = units.len();
    let figs = BySentence::new(
        nu,
        art.figures
            .iter()
            .map(|f| unit_of(f.sentence, f.span.start)),
    );
    let quotes = BySentence::new(
        nu,
        art.quotations
            .iter()
            .map(|q| unit_of(q.sentence, q.outer.start)),
    );
    let mut has_date = vec![false; nu];
    for d in &art.dates {
        let u = unit_of(d.sentence, d.span.start);
        if u < nu {
            has_date[u] = true;
        }
    }

    // About one distinct term in three words: no table growth for most
    // documents.
    // Its hashes are kept: the index interns these terms again.
    let mut vocab = Interner::with_capacity(recs.len() / 3).keeping_hashes();
    // The article's date: its front matter's, else a dateline in one of
    // its first sentences (after the headline).
    let mut date = art.meta.date.as_deref().map_or(0, parse_meta_date);
    let mut place = 0;
    for (si, span, wr) in units.iter().take(3) {
        if date != 0 && place != 0 || *si >= 3 {
            break;
        }
        if let Some(st) = text.get(span.clone()) {
            if let Some((d, _, p)) = dateline_at(st, &recs[wr.clone()]) {
                date = if date == 0 { d } else { date };
                place = if place == 0 { p } else { place };
            }
        }
    }
    // Else a date that ends its title (`MONEY NEWS HIGHLIGHTS 1145 GMT -
    // APRIL 7`).
    if date == 0 {
        date = art.meta.title.as_deref().map_or(0, title_date);
    }
    // Names written inside sentences, by cache term: the main names.
    let mut name_tf: FxMap<u32, u32> = FxMap::default();
    // The same, sources included: whom the title may name.
    let mut lead_tf: FxMap<u32, u32> = FxMap::default();
    // Its text: terms are a few bytes long and about one word in four is
    // a new term (the text would otherwise double some ten times).
    vocab.reserve_text(recs.len() * 2);
    let mut claims = Vec::new();
    let mut claim_names = Vec::new();
    let Scratch {
        mut toks,
        mut qrecs,
        mut qt_toks,
        mut qw,
        mut ql,
        mut key,
        names: mut sent_names,
        mut name_at,
        mut near,
        words: swords,
        clauses: sclauses,
    } = std::mem::take(&mut cache.scratch);
    let mut subject: Vec<u32> = Vec::new();
    // The unit before: its index, paragraph and whether its figures are a
    // forecast (for a verbless fragment that continues it).
    let mut prev_unit: Option<(usize, usize, bool)> = None;
    for (ui, (si, span, wr)) in units.iter().enumerate() {
        let (si, first) = (*si, ui == first_unit[*si]);
        let Some(st) = text.get(span.clone()) else {
            continue;
        };
        let sw = &recs[wr.clone()];
        toks.clear();
        cache.tokens(sw, &mut toks);
        for &(t, _) in &toks {
            cache.count(t);
        }
        // A wire dateline's place (`HOUSTON, March 4 -`) says where the
        // story was filed, not whom it is about: its words are no names,
        // and the word after it starts the sentence.
        let skip = if si < 3 && first {
            dateline_at(st, sw).map_or(0, |(_, next, _)| next)
        } else {
            0
        };
        sent_names.clear();
        name_at.clear();
        let ends_figure = |at: usize| figs.of(ui).iter().any(|&fi| art.figures[fi].span.end == at);
        cache.inner_names(st, &sw[skip..], |t, i| {
            // What a figure is compared with (`87 basis points more than
            // the yield of comparable Treasury securities`, `65 basis
            // points over comparable Treasury securities`) is its
            // benchmark, not its subject: no name of the sentence.
            let i = skip + i;
            let from = i.saturating_sub(BENCHMARK_WORDS);
            let than = (from..i).any(|j| {
                let r = &sw[j];
                let Some(w) = st.get(r.start as usize..r.end as usize) else {
                    return false;
                };
                w.eq_ignore_ascii_case("than")
                    || BENCHMARK_PREPOSITIONS
                        .iter()
                        .any(|p| w.eq_ignore_ascii_case(p))
                        && j > 0
                        && ends_figure(span.start + sw[j - 1].end as usize)
            });
            if !than && !after_by(st, sw, i) {
                sent_names.push(t);
                name_at.push(i);
            }
        });
        // Names of whom the sentence's figures cite (`said lead manager
        // Halvorsen Securities`) tell whose story it is no more than the
        // wire does: not counted towards the main names.
        // A word of a figure's source (`the Osland Farm Ministry forecast…`)
        // names who says so.
        let cited = |i: usize| {
            let word = &st[sw[i].start as usize..sw[i].end as usize];
            figs.of(ui).iter().any(|&fi| {
                art.figures[fi]
                    .source
                    .as_deref()
                    .is_some_and(|src| src.contains(word))
            })
        };
        for (&t, &i) in sent_names.iter().zip(&name_at) {
            if !cited(i) {
                *name_tf.entry(t).or_insert(0) += 1;
            }
            // Whom the story is about counts its sources too (`Marathon
            // Petroleum said it cut its price`).
            *lead_tf.entry(t).or_insert(0) += 1;
        }
        // A clause after the first has the sentence's subject: the names
        // of its first clause (`The council closed…, sold…`).
        if first {
            subject.clear();
            subject.extend_from_slice(&sent_names);
        } else {
            for &t in &subject {
                if !toks.iter().any(|&(x, _)| x == t) {
                    toks.push((t, true));
                }
            }
        }
        let mut c = ClaimFeatures {
            span: span.clone(),
            sentence: si,
            ..Default::default()
        };
        let mut all_sourced = true;
        for &fi in figs.of(ui) {
            let f = &art.figures[fi];
            if f.restates {
                continue;
            }
            let rel = f.span.start.saturating_sub(span.start)
                ..f.span.end.saturating_sub(span.start).min(st.len());
            let ff = FigureFeature::new(
                f.value,
                f.value_to,
                f.unit.as_deref().and_then(|u| cache.unit(u)),
                Qual::parse(f.qualifier.as_deref(), f.value_to.is_some()),
                f.qualifier.as_deref().map(Sym::new),
                rel,
            );
            c.figures.push(ff);
            all_sourced &= f.status != FigureStatus::Unsourced;
        }
        if !figs.of(ui).is_empty() {
            c.carries |= CARRIES_FIGURE;
        }
        // Ratios of change: `from 20 to 10` (×0.5), `halve`, `cut in half`,
        // `double`… as figures of unit `×` (see `equivalence`).
        let mut ratios = Vec::new();
        for f in &c.figures {
            if f.qual == Qual::Change {
                if let Some(r) = f
                    .value_to()
                    .and_then(|to| equivalence::change_ratio(f.value, to))
                {
                    ratios.push(ratio(r, f.rel_span()));
                }
            }
        }
        for (i, r) in sw.iter().enumerate() {
            if r.info.month & M_RATIO == 0 {
                continue;
            }
            let after_in_by = i > 0 && sw[i - 1].info.flags & W_IN_BY != 0;
            let v = ratio_of(&st[r.start as usize..r.end as usize], after_in_by);
            if v != 0.0 {
                ratios.push(ratio(v, r.start as usize..r.end as usize));
            }
        }
        c.figures.extend(ratios);
        // Quotation words: stems of quoted text (spans may run past the
        // sentence; read them from the article text).
        qw.clear();
        ql.clear();
        let mut speakers: Vec<String> = Vec::new();
        let mut people = true;
        // More than one quoted passage: keep each quotation's own words too
        // (a variant is one quotation worded differently, not another
        // quotation of the same sentence).
        let several = quotes.of(ui).len() > 1;
        for &qi in quotes.of(ui) {
            let q = &art.quotations[qi];
            let quotation = q.kind == QuoteKind::Quotation;
            if quotation {
                c.carries |= CARRIES_QUOTE;
                all_sourced &= q.status == Some(QuoteStatus::Attributed);
                c.quotes.push((q.span.clone(), q.speaker.clone()));
            }
            qt_toks.clear();
            // Its word pairs: of all its words, folded (a word the cache
            // keeps no fold of, as written).
            let mut all_pairs = [0; 2];
            if let Some(qt) = text.get(q.span.clone()) {
                qrecs.clear();
                cache.scan(qt, &mut qrecs);
                cache.tokens(&qrecs, &mut qt_toks);
                qw.extend(qt_toks.iter().map(|&(t, _)| t));
                if quotation {
                    let folds = &cache.folds;
                    all_pairs = pairs_mask(qrecs.iter().map(|r| {
                        if (r.info.fold as usize) < folds.len() {
                            folds.get(r.info.fold)
                        } else {
                            qt.get(r.start as usize..r.end as usize).unwrap_or("")
                        }
                    }));
                }
            }
            if quotation {
                let terms = &cache.terms;
                c.quote_pairs.push(all_pairs);
                let mut phrases: Vec<u16> = qt_toks
                    .windows(2)
                    .map(|w| phrase_hash(terms.get(w[0].0), terms.get(w[1].0)))
                    .collect();
                phrases.sort_unstable();
                phrases.dedup();
                c.quote_phrases.push(phrases.len() as u32);
                c.quote_phrases.extend(
                    phrases
                        .chunks(2)
                        .map(|p| p[0] as u32 | (p.get(1).copied().unwrap_or(0) as u32) << 16),
                );
            }
            if several && quotation {
                let at = ql.len();
                ql.push(0);
                ql.extend(qt_toks.iter().map(|&(t, _)| t));
                sort_dedup_from(&mut ql, at + 1);
                ql[at] = (ql.len() - at - 1) as u32;
            }
            if q.kind == QuoteKind::Quotation {
                people &= q.speaker.as_deref().is_some_and(attribution::names_person);
            }
            if let Some(key) = q.speaker.as_deref().and_then(speaker_key) {
                speakers.push(key);
            }
        }
        let terms = &cache.terms;
        qw.sort_unstable_by(|a, b| terms.get(*a).cmp(terms.get(*b)));
        qw.dedup();
        speakers.sort();
        speakers.dedup();
        if people && c.carries & CARRIES_QUOTE != 0 {
            c.carries |= SPEAKERS_PEOPLE;
        }
        if has_date[ui] {
            c.carries |= CARRIES_DATE;
        }
        // `is_modal`, read from the words' memoised flags.
        if c.carries & CARRIES_FIGURE != 0 && modal_in(sw.len(), |i| sw[i].info.modal()) {
            c.carries |= FIGURES_MODAL;
        }
        if c.carries & CARRIES_FIGURE != 0 && sw.iter().any(|r| r.info.flags & W_CORRECTS != 0) {
            c.carries |= FIGURES_CORRECTED;
        }
        // Which statistic the figures are: an average, an extreme.
        if !figs.of(ui).is_empty() {
            for (i, r) in sw.iter().enumerate() {
                let stat = r.info.flags & (W_STAT_AVERAGE | W_STAT_EXTREME);
                if stat == 0
                    || !c
                        .figures
                        .iter()
                        .any(|f| words_apart(sw, i, f.rel_span()) <= STAT_NEAR)
                {
                    continue;
                }
                c.carries |= if stat & W_STAT_AVERAGE != 0 {
                    FIGURES_AVERAGE
                } else {
                    FIGURES_EXTREME
                };
            }
        }
        // A dateline's day dates the lede's fact (two days' wire reports
        // are two facts), but its month is when the story was filed, not
        // what period a figure is of (`April 13 - first quarter net`).
        let dates = dates_of(st, sw);
        c.times = time_mask(st, &sw[skip..], date >> 5 & 15);
        // A verbless fragment continues the sentence before it in its
        // paragraph (`Cattle prices are expected 0.50 dlr higher. Steer top
        // 67.50 and Heifers at 66.00 dlrs.`): its figures are forecast when
        // that sentence's are. (Its times are not carried over: on ECB+
        // that cost two right matches and removed no wrong conflict.)
        let paragraph = art.sentences.get(si).map_or(usize::MAX, |s| s.paragraph);
        let continues = |(pu, pp, pm): (usize, usize, bool)| {
            pm && first && pu + 1 == ui && pp == paragraph && !has_verb(st, sw)
        };
        if c.carries & CARRIES_FIGURE != 0 && prev_unit.is_some_and(continues) {
            c.carries |= FIGURES_MODAL;
        }
        prev_unit = Some((ui, paragraph, c.carries & FIGURES_MODAL != 0));
        c.ranks = rank_mask(st, sw);
        c.running = c.carries & CARRIES_FIGURE != 0 && running_total(st, sw);
        c.fiscal = c.carries & CARRIES_FIGURE != 0 && fiscal_year(st, sw);
        if !dates.is_empty() && art.dates.is_empty() {
            // The analysis reports dates only when it finds them; trust our
            // own reading when it reports none at all.
            c.carries |= CARRIES_DATE;
        }
        c.sourced = c.carries & (CARRIES_FIGURE | CARRIES_QUOTE) != 0 && all_sourced;
        if c.carries == 0 && toks.len() < MIN_CONTEXT_TERMS {
            continue;
        }
        // Number the document's terms in the order the index registers
        // them: terms, figure keys, speakers, quoted words, day dates.
        c.terms = toks
            .iter()
            .map(|&(t, _)| cache.local(&mut vocab, t))
            .collect();
        c.figure_keys = c
            .figures
            .iter()
            .map(|f| {
                f.key_into(&mut key);
                vocab.intern(&key)
            })
            .collect();
        c.speakers = speakers.iter().map(|k| vocab.intern(k)).collect();
        c.quote_words = qw.iter().map(|&t| cache.local(&mut vocab, t)).collect();
        // (The lists' words are quoted words: numbered already. Their
        // counts pass through.)
        c.quote_lists.clear();
        let mut k = 0;
        while k < ql.len() {
            let n = ql[k] as usize;
            c.quote_lists.push(n as u32);
            for &t in &ql[k + 1..k + 1 + n] {
                c.quote_lists.push(cache.local(&mut vocab, t));
            }
            k += 1 + n;
        }
        // Every name is among the terms: numbered already. The names
        // written next to a figure (not its source's) come first.
        near.clear();
        if !c.figures.is_empty() {
            for (&t, &i) in sent_names.iter().zip(&name_at) {
                if !c
                    .figures
                    .iter()
                    .any(|f| words_apart(sw, i, f.rel_span()) <= NEAR_FIGURE)
                {
                    continue;
                }
                // A source's word names who says so, not whose figure it is.
                if !cited(i) {
                    near.push(t);
                }
            }
        }
        near.sort_unstable();
        near.dedup();
        if !first {
            sent_names.extend_from_slice(&subject);
        }
        sent_names.sort_unstable();
        sent_names.dedup();
        sent_names.retain(|t| near.binary_search(t).is_err());
        let at = claim_names.len();
        claim_names.extend(near.iter().map(|&t| cache.local(&mut vocab, t)));
        c.near_names = near.len() as u32;
        claim_names.extend(sent_names.iter().map(|&t| cache.local(&mut vocab, t)));
        c.names = at as u32..claim_names.len() as u32;
        // Day dates only: a bare year or month is no evidence.
        c.day_dates = dates
            .iter()
            .filter(|d| d.contains(' '))
            .map(|d| vocab.intern(&format!("@{d}")))
            .collect();
        claims.push(c);
    }
    let sourced = !art.footnotes.is_empty()
        || art
            .figures
            .iter()
            .any(|f| f.status == FigureStatus::Sourced)
        || art
            .quotations
            .iter()
            .any(|q| q.status == Some(QuoteStatus::Attributed));

    // 2. The context terms, registered last.
    // Most frequent first, then by term; the term's first 8 bytes (big
    // endian, zero padded) decide most string comparisons.
    let terms = &cache.terms;
    let mut doc_terms: Vec<(std::cmp::Reverse<u32>, u64, &str, u32)> = cache
        .tf_terms
        .iter()
        .map(|&t| {
            let s = terms.get(t);
            (std::cmp::Reverse(cache.tf[t as usize].1), prefix8(s), s, t)
        })
        .collect();
    if doc_terms.len() > MAX_DOC_TERMS {
        doc_terms.select_nth_unstable(MAX_DOC_TERMS);
        doc_terms.truncate(MAX_DOC_TERMS);
    }
    doc_terms.sort_unstable();
    // 3. The main names, among the context terms.
    let mut names: Vec<(std::cmp::Reverse<u32>, usize)> = doc_terms
        .iter()
        .enumerate()
        .filter(|(_, d)| !is_label_key(d.2))
        .filter_map(|(i, d)| {
            let n = name_tf.get(&d.3).copied().filter(|&n| n >= 2)?;
            Some((std::cmp::Reverse(n), i))
        })
        .collect();
    names.sort_unstable();
    names.truncate(MAIN_NAMES);
    let doc_terms: Vec<u32> = doc_terms
        .into_iter()
        .map(|(_, _, t, _)| vocab.intern(t))
        .collect();
    let names: Vec<u32> = names.into_iter().map(|(_, i)| doc_terms[i]).collect();
    // Whom the title names: names the text writes too, twice, or once if
    // the key is long enough not to be another word's (`#nt` is `Note`
    // and `NET`; `#dmnd` is Diamond).
    let leads = art.meta.title.as_deref().map_or(0, |t| {
        let written = lead_tf
            .iter()
            .map(|(&t, &n)| (cache.terms.get(t), n))
            .filter(|&(key, n)| n >= 2 || key.len() >= LEAD_KEY_ONCE);
        lead_mask(t, written.map(|(key, _)| key))
    });
    cache.scratch = Scratch {
        toks,
        qrecs,
        qt_toks,
        qw,
        ql,
        key,
        names: sent_names,
        name_at,
        near,
        words: swords,
        clauses: sclauses,
    };
    DocFeatures {
        claims,
        claim_names,
        sourced,
        vocab,
        doc_terms,
        date,
        place,
        tickers: ticker_mask(text),
        leads,
        names,
    }
}

/// The hash of two successive words.
fn pair_hash(a: &str, b: &str) -> u64 {
    let mut h = crate::fxhash::FxHasher::default();
    std::hash::Hasher::write(&mut h, a.as_bytes());
    std::hash::Hasher::write_u8(&mut h, 0xff);
    std::hash::Hasher::write(&mut h, b.as_bytes());
    std::hash::Hasher::finish(&h)
}

/// A pair of successive quoted words (stems) as a 16-bit hash: two
/// quotations that share one say two words in a row alike.
pub fn phrase_hash(a: &str, b: &str) -> u16 {
    (pair_hash(a, b) >> 48) as u16
}

/// The pairs of successive words of a quotation (in text order), as a
/// 128-bit Bloom filter, two bits a pair. One quotation's pairs all among
/// another's (`a & !b == 0`, word by word) say that its words come in the
/// other's order, none left out between them: a fragment of it, quoted as
/// said (or, rarely, a chance collision).
pub fn pairs_mask<'a>(words: impl Iterator<Item = &'a str>) -> [u64; 2] {
    let mut mask = [0u64; 2];
    let mut prev: Option<&str> = None;
    for w in words {
        if let Some(p) = prev {
            let h = pair_hash(p, w);
            for b in [(h >> 32) % 128, (h & 0xffff_ffff) % 128] {
                mask[(b / 64) as usize] |= 1u64 << (b % 64);
            }
        }
        prev = Some(w);
    }
    mask
}

/// Sort `v[from..]` and drop its repeats.
fn sort_dedup_from(v: &mut Vec<u32>, from: usize) {
    v[from..].sort_unstable();
    let mut w = from;
    for r in from..v.len() {
        if w == from || v[r] != v[w - 1] {
            v[w] = v[r];
            w += 1;
        }
    }
    v.truncate(w);
}

/// Buffers [`extract`] clears and refills sentence by sentence, kept by
/// the thread's [`WordCache`] from one document to the next (they stay
/// the size of the longest sentence seen).
#[derive(Default)]
struct Scratch {
    toks: Vec<(u32, bool)>,
    qrecs: Vec<WordRec>,
    qt_toks: Vec<(u32, bool)>,
    qw: Vec<u32>,
    /// Each quotation's words, as [`ClaimFeatures::quote_lists`] (cache
    /// term ids).
    ql: Vec<u32>,
    key: String,
    names: Vec<u32>,
    /// The word (in the sentence's records) of each of `names`.
    name_at: Vec<usize>,
    /// The names written next to a figure.
    near: Vec<u32>,
    /// A sentence's word spans, for [`clauses::clauses`], and its clauses.
    words: Vec<Range<usize>>,
    clauses: Vec<Range<usize>>,
}

/// How many words after `than` a name is the benchmark a figure is
/// compared with (`more than the yield of comparable Treasury`).
const BENCHMARK_WORDS: usize = 6;

/// Written right after a figure, what these introduce is the figure's
/// benchmark too (`65 basis points over comparable Treasury securities`,
/// `a premium of 2 dlrs above Brent`), as after `than`. Only right after a
/// figure: `control over Osland Mills` names a subject.
const BENCHMARK_PREPOSITIONS: [&str; 3] = ["over", "above", "below"];

/// How many words back from a name [`after_by`] looks for its `by`.
const AGENT_WORDS: usize = 6;

/// Whether word `i` of sentence `st` (words `sw`) is in the name a `by`
/// introduces (`rated B-3 by Moody's Investors Service and B-plus by
/// Standard and Poor's`, `managed by Halvorsen Securities`): the agent of a
/// passive verb, which acts on the sentence's subject and is not it; two
/// issuers' notes rated by one agency are not one subject. Only capitals
/// (possessives too), `and`, `of`, `the` and `&` may stand between, with
/// no punctuation (`By Friday, Osland had sold` names Osland).
fn after_by(st: &str, sw: &[WordRec], i: usize) -> bool {
    let word = |k: usize| {
        st.get(sw[k].start as usize..sw[k].end as usize)
            .unwrap_or("")
    };
    let mut j = i;
    for _ in 0..AGENT_WORDS {
        let Some(k) = j.checked_sub(1) else {
            return false;
        };
        let gap = st
            .get(sw[k].end as usize..sw[j].start as usize)
            .unwrap_or(",");
        if !matches!(gap.trim(), "" | "'s" | "’s" | "'" | "’") {
            return false;
        }
        let w = word(k);
        if w.eq_ignore_ascii_case("by") {
            return true;
        }
        if !(w.starts_with(|c: char| c.is_uppercase()) || ["and", "of", "the", "&"].contains(&w)) {
            return false;
        }
        j = k;
    }
    false
}

/// How many content words apart a name may be from a figure and still say
/// whose or what the figure is (`Argentina's 1986/87 wheat crop at 9 mln
/// tonnes`, `Marholm Corp is raising 100 mln dlrs`).
const NEAR_FIGURE: usize = 5;

/// How many content words lie between word `i` of `recs` and the words
/// of a byte span of the sentence (0: next to it or inside it); numbers,
/// stop words and a possessive's `s` do not count.
fn words_apart(recs: &[WordRec], i: usize, span: Range<usize>) -> usize {
    let first = recs.partition_point(|r| (r.end as usize) <= span.start);
    let end = recs.partition_point(|r| (r.start as usize) < span.end);
    let between = if i < first {
        &recs[i + 1..first]
    } else if i >= end.max(first) {
        &recs[end.max(first)..i]
    } else {
        return 0;
    };
    between
        .iter()
        .filter(|r| r.info.flags & W_CONTENT != 0)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_keys_name_a_person_by_the_family_name() {
        let k = |s: &str| speaker_key(s);
        assert_eq!(k("Sergei Lavrov"), k("Lavrov"));
        assert_eq!(k("Foreign Minister Sergey Lavrov"), k("Lavrov"));
        assert!(k("Lavrov").is_some());
        assert_ne!(k("David Frost"), k("David Keller"));
        assert_ne!(k("the Foreign Ministry"), k("the Defence Ministry"));
        assert_eq!(k("he"), None);
    }

    #[test]
    fn entity_keys_fold_variants() {
        assert_eq!(entity_key("Sergei"), entity_key("Sergey"));
        assert_eq!(entity_key("Kiev"), entity_key("Kyiv"));
        assert_eq!(entity_key("Aleksandr"), entity_key("Alexander"));
        assert_eq!(entity_key("Khodorkovsky"), entity_key("Hodorkovskiy"));
        assert_eq!(entity_key("Russia's"), entity_key("Russia"));
        assert_eq!(entity_key("Russia’s"), entity_key("RUSSIA"));
        assert_eq!(entity_key("Zelenskyy"), entity_key("Zelensky"));
        assert_ne!(entity_key("Lavrov"), entity_key("Lukyanov"));
        assert_ne!(entity_key("Moscow"), entity_key("Minsk"));
    }

    #[test]
    fn tokens_stem_and_skip_stop_words() {
        let seen = HashSet::new();
        let s = "The ministry expelled eight diplomats from Brussels on Monday.";
        let t: Vec<String> = tokens(s, &seen).into_iter().map(|t| t.term).collect();
        assert!(t.contains(&"ministri".to_string()), "{t:?}");
        assert!(t.contains(&"expel".to_string()), "{t:?}");
        assert!(t.contains(&entity_key("Brussels")), "{t:?}");
        assert!(!t
            .iter()
            .any(|w| w == "the" || w == "eight" || w.contains("monday")));
        // the sentence-initial `The` is a stop word, not a name
        assert!(!t.iter().any(|w| w == "#th"));
    }

    #[test]
    fn capitalised_common_word_is_not_a_name() {
        let mut seen = HashSet::new();
        seen.insert("officials".to_string());
        let t = tokens("Officials met Lavrov.", &seen);
        assert!(!t[0].entity);
        assert!(!t[1].entity);
        assert!(t[2].entity);
        // headline in capitals: no names by case
        let t = tokens("RUSSIA EXPELS EIGHT NATO STAFF", &HashSet::new());
        assert!(t.iter().all(|t| !t.entity));
    }

    #[test]
    fn qualifiers_decide_agreement() {
        let f = |v: f64, to: Option<f64>, q: Option<&str>| {
            FigureFeature::new(
                v,
                to,
                Some("personnel".into()),
                Qual::parse(q, to.is_some()),
                q.map(Into::into),
                0..1,
            )
        };
        assert!(f(120.0, None, Some("over")).agrees(&f(125.0, None, None)));
        assert!(f(120.0, None, Some("over")).conflicts(&f(100.0, None, None)));
        assert!(!f(120.0, None, Some("over")).conflicts(&f(120.0, None, None)));
        assert!(f(120.0, None, Some("under")).conflicts(&f(130.0, None, None)));
        assert!(f(120.0, None, Some("at least")).agrees(&f(120.0, None, None)));
        assert!(f(7.0, Some(10.0), None).agrees(&f(8.0, None, None)));
        assert!(f(100.0, None, Some("about")).agrees(&f(110.0, None, None)));
        assert!(f(100.0, None, Some("about")).conflicts(&f(150.0, None, None)));
        assert!(f(20.0, Some(10.0), Some("from-to")).agrees(&f(10.0, None, None)));
        assert!(f(20.0, Some(10.0), Some("from-to")).conflicts(&f(15.0, None, None)));
        let mut other = f(8.0, None, None);
        other.unit = Some("member".into());
        assert!(!f(5.0, None, None).conflicts(&other));
        assert!(f(8.0, None, None).equals(&f(8.0, None, None)));
    }

    const SAMPLES: &[&str] = &[
        "The ministry expelled eight diplomats from Brussels on Monday.",
        "Officials met Lavrov; officials said Russia’s envoy left on 1 Nov. 2021.",
        "RUSSIA EXPELS EIGHT NATO STAFF AFTER TALKS IN KYIV",
        "Zelenskyy's aide, Mr. O'Brien, don't say «café» naïve Ångström x²",
        "On March 3 and 4 May, Jan. 15 and 2019-2020 the F-16 and COVID-19 rules.",
        "“We will not accept this,” said Sergei Khodorkovsky, 54, in Moscow.",
        "صفر ۱۲۳ تهران 👍🏽 e\u{301}te ʼokina a’b ’lead trail’ 'x 'y' z'",
        "Dec. December dec 12 decade Mar march mayor Sept. Sep 9 Augusta 07",
        "Prices doubled, then halved; cut IN half, by half, half of them, Tripled, quadruple doublet.",
        "The British and French envoys met Americans; Russian troops left Ukrainian towns.",
    ];

    #[test]
    fn fast_words_equal_reference() {
        for s in SAMPLES {
            assert_eq!(words(s), words_ref(s), "{s}");
        }
    }

    #[test]
    fn cached_tokens_equal_reference() {
        let mut cache = WordCache::default();
        for round in 0..2 {
            cache.start_doc();
            // the reference: lower-case forms of all samples
            let mut seen = HashSet::new();
            let mut recs = Vec::new();
            for s in SAMPLES {
                for r in words(s) {
                    let w = &s[r];
                    if w.chars().next().is_some_and(char::is_lowercase) {
                        seen.insert(fold(w));
                    }
                }
                let a = recs.len();
                cache.scan(s, &mut recs);
                for r in &recs[a..] {
                    if r.info.flags & W_LOWER_FIRST != 0 {
                        cache.seen[r.info.fold as usize] = cache.gen;
                    }
                }
            }
            for s in SAMPLES {
                let want: Vec<(String, bool)> = tokens(s, &seen)
                    .into_iter()
                    .map(|t| (t.term, t.entity))
                    .collect();
                let mut recs = Vec::new();
                cache.scan(s, &mut recs);
                let mut got = Vec::new();
                cache.tokens(&recs, &mut got);
                let got: Vec<(String, bool)> = got
                    .into_iter()
                    .map(|(t, e)| (cache.terms.get(t).to_string(), e))
                    .collect();
                assert_eq!(got, want, "round {round}: {s}");
                assert_eq!(dates_of(s, &recs), dates_in(s), "{s}");
                // ratio words, as extract reads them
                let mut ratios = Vec::new();
                for (i, r) in recs.iter().enumerate() {
                    if r.info.month & M_RATIO == 0 {
                        continue;
                    }
                    let after = i > 0 && recs[i - 1].info.flags & W_IN_BY != 0;
                    let v = ratio_of(&s[r.start as usize..r.end as usize], after);
                    if v != 0.0 {
                        ratios.push(ratio(v, r.start as usize..r.end as usize));
                    }
                }
                assert_eq!(ratios, ratio_features(s, &[]), "{s}");
            }
        }
    }

    /// A form's cached info with ids read back as strings (the stem of
    /// content words, the name key of capitalised ones).
    fn resolved(c: &WordCache, i: WordInfo) -> (u16, u8, String, String, String) {
        let s = |int: &Interner, id: u32| {
            if id == NO_ID {
                "-".to_string()
            } else {
                int.get(id).to_string()
            }
        };
        let (mut stem, mut ekey) = (NO_ID, NO_ID);
        if i.flags & W_CONTENT != 0 {
            stem = c.fold_terms[i.fold as usize].0;
            assert_ne!(stem, NO_ID);
            if i.flags & W_CAPITALIZED != 0 {
                ekey = c.fold_terms[i.fold as usize].1;
                assert_ne!(ekey, NO_ID);
            }
        }
        (
            i.flags,
            i.month,
            s(&c.folds, i.fold),
            s(&c.terms, stem),
            s(&c.terms, ekey),
        )
    }

    #[test]
    fn compaction_keeps_recent_forms_with_the_same_features() {
        let mut small = WordCache::with_limits(12, 6);
        let mut big = WordCache::default();
        let mut compactions = 0;
        for round in 0..3 {
            for s in SAMPLES {
                let before = small.words.len();
                small.start_doc();
                big.start_doc();
                if small.words.len() < before {
                    compactions += 1;
                    assert_eq!(small.words.len(), 6);
                    assert_eq!(small.info.len(), 6);
                    assert_eq!(small.used.len(), 6);
                    assert_eq!(small.seen.len(), small.folds.len());
                    assert_eq!(small.fold_terms.len(), small.folds.len());
                    assert!(small.folds.len() <= 6 && small.terms.len() <= 12);
                }
                let (mut a, mut b) = (Vec::new(), Vec::new());
                small.scan(s, &mut a);
                big.scan(s, &mut b);
                assert_eq!(a.len(), b.len());
                for (x, y) in a.iter().zip(&b) {
                    assert_eq!(
                        resolved(&small, x.info),
                        resolved(&big, y.info),
                        "round {round}: {}",
                        &s[x.start as usize..x.end as usize]
                    );
                }
                // Every form of this document is cached until the next one.
                for r in &a {
                    let w = &s[r.start as usize..r.end as usize];
                    if r.info.fold != NO_ID {
                        assert!(small.words.find(w).is_some(), "{w}");
                    }
                }
            }
        }
        assert!(compactions >= 6, "{compactions}");
        // The most recent forms stay, older ones go; an evicted form comes
        // back with the same features.
        let mut c = WordCache::with_limits(3, 2);
        for doc in ["alpha Beta", "gamma delta", "Epsilon zeta", "alpha eta"] {
            c.start_doc();
            c.scan(doc, &mut Vec::new());
        }
        // "alpha" was used by the last document, "Epsilon" before it.
        c.start_doc();
        assert_eq!(c.words.len(), 2);
        assert!(c.words.find("alpha").is_some());
        assert!(c.words.find("eta").is_some());
        assert!(c.words.find("Beta").is_none());
        assert!(c.words.find("Epsilon").is_none());
        let mut r = Vec::new();
        c.scan("Epsilon Beta", &mut r);
        let mut fresh = WordCache::default();
        fresh.start_doc();
        let mut f = Vec::new();
        fresh.scan("Epsilon Beta", &mut f);
        for (x, y) in r.iter().zip(&f) {
            assert_eq!(resolved(&c, x.info), resolved(&fresh, y.info));
        }
        assert_eq!(c.words.len(), 4);
    }

    #[test]
    fn extract_is_the_same_whatever_the_cache_holds() {
        let texts = [
            "Officials said Lavrov met 8 envoys in Minsk on November 1. \
             “We expelled them,” Lavrov said of the 8 envoys. \
             The talks in Minsk were long and difficult for officials.",
            "The central bank cut its rate by 0.25 points to 5.75 pct, \
             the third cut this year, and said inflation fell to 2.3 pct in March. \
             Exports rose 12 pct to 1.5 billion dlrs.",
            "Prices doubled in two years. The company halved its staff \
             from 1,200 to 600 employees, its chairman said on May 3.",
        ];
        let arts: Vec<_> = texts
            .iter()
            .map(|t| crate::analysis::analyze(t, &Default::default()))
            .collect();
        let mut tiny = WordCache::with_limits(5, 2);
        for round in 0..3 {
            for (t, a) in texts.iter().zip(&arts) {
                let want = extract_with(&mut WordCache::default(), t, a);
                let got = extract_with(&mut tiny, t, a);
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "round {round}");
            }
        }
    }

    #[test]
    fn prefix_order_agrees_with_string_order() {
        let words = [
            "",
            "a",
            "ab",
            "ab\0",
            "ab\0x",
            "abcdefgh",
            "abcdefghi",
            "abcdefgi",
            "b",
            "#lvrv",
            "été",
            "zz",
            "abcdefgh\0",
        ];
        for a in words {
            for b in words {
                let (pa, pb) = (prefix8(a), prefix8(b));
                if pa != pb {
                    assert_eq!(pa.cmp(&pb), a.cmp(b), "{a:?} {b:?}");
                }
                let key = |s| (std::cmp::Reverse(1u32), prefix8(s), s);
                assert_eq!(key(a).cmp(&key(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn figure_keys_format_values_like_the_reference() {
        let mut vals = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            5.93,
            0.39,
            2.27,
            1_500_000.0,
            1e9,
            1.5e9,
            1234567.0,
            12345678.0,
            0.1,
            0.2,
            0.3,
            1.0 / 3.0,
            2.0 / 3.0,
            1e-9,
            9.99e-10,
            123.456789,
            999_999.95,
            9_999_999.0,
            99_999_995.0,
            1e15,
            9.9e14,
            4.35e-7,
            0.000001,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::MAX,
        ];
        let mut x: u64 = 0x9E3779B97F4A7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // decimals as written in text, and arbitrary doubles
            let digits = (x % 100_000_000) as f64;
            let scale = 10f64.powi((x >> 40) as i32 % 12 - 3);
            vals.push(digits * scale);
            vals.push(digits / scale);
            vals.push(-digits / 1000.0);
            vals.push(f64::from_bits(x));
            vals.push(((x >> 20) % 2_000_000) as f64 * 0.01);
        }
        for v in vals {
            let mut got = String::new();
            push_value(&mut got, v);
            assert_eq!(got, fmt_value(v), "{v:?}");
        }
    }

    #[test]
    fn extract_numbers_terms_in_registration_order() {
        let text = "Officials said Lavrov met 8 envoys in Minsk on November 1. \
                    “We expelled them,” Lavrov said of the 8 envoys. \
                    The talks in Minsk were long and difficult for officials.";
        let art = crate::analysis::analyze(text, &Default::default());
        let doc = extract(text, &art);
        assert!(!doc.claims.is_empty());
        // every id is below the vocabulary size and first uses come in order
        let mut next = 0u32;
        for c in &doc.claims {
            for &t in c
                .terms
                .iter()
                .chain(&c.figure_keys)
                .chain(&c.speakers)
                .chain(&c.quote_words)
                .chain(&c.day_dates)
            {
                assert!(t <= next, "{t} after {next}");
                if t == next {
                    next += 1;
                }
            }
        }
        for &t in &doc.doc_terms {
            assert!(t <= next);
            if t == next {
                next += 1;
            }
        }
        assert_eq!(next as usize, doc.vocab.len());
        // the terms of the first claim are those of the reference tokenizer
        let c = &doc.claims[0];
        let st = &text[c.span.clone()];
        let mut seen = HashSet::new();
        for r in words(text) {
            let w = &text[r];
            if w.chars().next().is_some_and(char::is_lowercase) {
                seen.insert(fold(w));
            }
        }
        let want: Vec<String> = tokens(st, &seen).into_iter().map(|t| t.term).collect();
        let got: Vec<&str> = c.terms.iter().map(|&t| doc.vocab.get(t)).collect();
        assert_eq!(got, want);
        assert!(doc.vocab.get(c.figure_keys[0]).starts_with('$'));
    }

    #[test]
    fn dates_normalised() {
        assert_eq!(
            dates_in("revoked on November 1, 2021"),
            vec!["2021", "november 1"]
        );
        assert_eq!(dates_in("on 1 Nov."), vec!["november 1"]);
    }
    fn recs(st: &str) -> Vec<WordRec> {
        let mut c = WordCache::default();
        c.start_doc();
        let mut out = Vec::new();
        c.scan(st, &mut out);
        out
    }

    #[test]
    fn verbs_of_a_sentence() {
        let verb = |st: &str| has_verb(st, &recs(st));
        assert!(verb("Prices rose 2 pct."));
        assert!(verb("Prices are expected 0.50 dlr higher."));
        assert!(verb("Top steers seen at 68.00 dlrs."));
        assert!(!verb("Top steers 67.50 and heifers at 66.00 dlrs."));
        assert!(!verb("Sales rise 5 pct."), "present tenses are not known");
    }

    #[test]
    fn running_totals_and_balances() {
        let running = |st: &str| running_total(st, &recs(st));
        for yes in [
            "Purchases to date total 2.6 mln tonnes.",
            "So far this year, it sold 40 ships.",
            "Sales now total 2.25 mln tonnes.",
            "An additional 150,000 tonnes are still available to Norland.",
            "Some 80,000 tonnes remain available.",
            "Cumulative sales reached 3 mln.",
            "SALES TO DATE 2.6 MLN TONNES",
        ] {
            assert!(running(yes), "{yes}");
        }
        for no in [
            "It sold 2.6 mln tonnes to Norland.",
            "The deal is dated March 5 and worth 2 mln.",
            "It was not so clear that 40 ships were sold.",
            "The 150,000 tonnes are available now.",
        ] {
            assert!(!running(no), "{no}");
        }
    }

    #[test]
    fn fiscal_years() {
        let fiscal = |st: &str| fiscal_year(st, &recs(st));
        for yes in [
            "In the year to March 2004, the economy grew by 8.5%.",
            "Net profit for the 12 months ended June 30 rose 12 pct.",
            "Sales in fiscal 1987 were 40 mln dlrs.",
            "Its financial year results showed a 5% rise.",
            "The fiscal year budget is 2 bln dlrs.",
        ] {
            assert!(fiscal(yes), "{yes}");
        }
        for no in [
            "In the year to December 2004, the economy grew by 6.9%.",
            "The economy grew 6.9% in 2004.",
            "Fiscal policy will cost 2 bln dlrs.",
            "It gave the year to may be lost 5 pct.",
            "Prices rose 3% in the year to date.",
        ] {
            assert!(!fiscal(no), "{no}");
        }
    }

    #[test]
    fn ranks_are_places_in_a_chart_or_a_table() {
        let ranks = |st: &str| rank_mask(st, &recs(st));
        assert_eq!(ranks("The film entered the chart in second place."), 1 << 1);
        assert_eq!(
            ranks("The club is currently fifth, two points off the fourth spot."),
            1 << 4 | 1 << 3
        );
        assert_eq!(ranks("She finished 3rd in the final."), 1 << 2);
        assert_eq!(ranks("CLUB NOW 12TH IN THE TABLE"), 1 << 11);
        for none in [
            "For the first time, sales rose.",
            "Fourth quarter net rose.",
            "A second plant opened.",
            "He came 21st in the race.",
            "She finished 3th.",
        ] {
            assert_eq!(ranks(none), 0, "{none}");
        }
        assert_eq!(ordinal_value("twentieth"), Some(20));
        assert_eq!(ordinal_value("11th"), Some(11));
        assert_eq!(ordinal_value("1st"), Some(1));
        assert_eq!(ordinal_value("11st"), None);
        assert_eq!(ordinal_value("st"), None);
        assert_eq!(ordinal_value("0th"), None);
    }

    #[test]
    fn times_name_months_and_years_but_not_the_verbs() {
        let mask = |st: &str| time_mask(st, &recs(st), 0);
        let march = 1 << 2 | TIME_MONTH_WORD;
        assert_eq!(mask("Stocks rose in March."), march);
        assert_eq!(mask("Farmers march on the capital and may strike."), 0);
        assert_eq!(mask("The fair opens on May 5."), 1 << 4 | TIME_MONTH_WORD);
        assert_eq!(mask("May sales fell."), 0);
        assert_eq!(
            mask("Output in 1987 beat 1986."),
            1 << (12 + 1987 % YEAR_BITS) | 1 << (12 + 1986 % YEAR_BITS)
        );
        assert!(other_times(
            mask("It gave 115 mln in the morning session."),
            mask("It gave 104 mln in the afternoon session.")
        ));
        assert!(!other_times(
            mask("in the Morning"),
            mask("on a March morning")
        ));
        // A wire clock time names its part of the day, and is no year.
        assert!(other_times(
            mask("The dollar traded at 1.36 marks at 1800 GMT."),
            mask("By 1650 GMT, the dollar traded at 1.33 marks.")
        ));
        assert!(!other_times(
            mask("The dollar traded at 1.36 marks at 1420 GMT."),
            mask("By 1650 GMT, the dollar traded at 1.33 marks.")
        ));
        assert_eq!(
            mask("The dollar traded at 1.36 marks at 1950 GMT."),
            1 << (DAY_PART_BIT + 3)
        );
        assert_eq!(mask("Output fell in 1950."), 1 << (12 + 1950 % YEAR_BITS));
        // A market's session: the open, the midsession, the close.
        let (open, mid, close) = (1 << 29, 1 << 30, 1 << 31);
        assert_eq!(mask("Oat futures opened steady."), open);
        assert_eq!(mask("Shares were up over 5% by noon."), mid);
        assert_eq!(mask("Oats traded three cents higher at midsession."), mid);
        assert_eq!(mask("Oats closed two cents higher."), close);
        assert_eq!(mask("CORN CLOSES HIGHER"), close);
        assert_eq!(
            mask("Oats held their gains at the close, dealers said."),
            close
        );
        assert_eq!(mask("Oats were firm at the close of trading."), close);
        assert_eq!(mask("After a firm open, oats rose."), open);
        for other in [
            "The firm opened a plant.",
            "Output was close to 50 pct.",
            "The bank bought dollars in the open market.",
            "The fair opens on Friday.",
            "The mill closed in 1950.",
        ] {
            assert_eq!(mask(other) & TIME_DAY_PARTS, 0, "{other}");
        }
        assert!(other_times(
            mask("Oats traded three cents higher at midsession."),
            mask("Oats closed two cents higher.")
        ));
        // `last month` in an article of known month is the month before
        // (here of an article of January: December), else some month.
        let of = |st: &str, month| time_mask(st, &recs(st), month);
        assert_eq!(of("Sales rose last month.", 1), 1 << 11 | TIME_MONTH_WORD);
        assert_eq!(of("Sales rose this month.", 3), 1 << 2 | TIME_MONTH_WORD);
        assert_eq!(of("Sales will rise next month.", 12), 1 | TIME_MONTH_WORD);
        assert_eq!(of("Sales rose last month.", 0), TIME_RELATIVE_MONTH);
        assert_eq!(of("Sales rose for a month.", 0), 0);
        assert!(relative_and_named_month(
            of("Sales rose last month.", 0),
            of("Sales rose in January.", 0)
        ));
        assert!(!relative_and_named_month(
            of("Sales rose last month.", 0),
            of("Sales rose last month.", 0)
        ));
        assert!(!relative_and_named_month(
            of("Sales rose last month.", 2),
            of("Sales rose in January.", 0)
        ));
        assert!(other_times(mask("in March"), mask("in June")));
        assert!(!other_times(mask("in March 1987"), mask("in March")));
        assert!(!other_times(mask("in March"), mask("in 1987")));
        assert!(other_times(mask("in 1986"), mask("in 1987")));
        // Quarters name their months.
        let q4 = 0b111 << 9 | TIME_QUARTER;
        assert_eq!(mask("Net rose in the fourth quarter."), q4);
        assert_eq!(mask("4th qtr net rose."), q4);
        assert_eq!(mask("Q4 net rose."), q4);
        assert_eq!(mask("Fourth-quarter net rose."), q4);
        assert_eq!(
            mask("Net rose in the last quarter and by a quarter."),
            TIME_QUARTER
        );
        assert!(other_times(
            mask("First quarter net was 12 mln dlrs."),
            mask("Fourth quarter net was 15 mln dlrs.")
        ));
        assert!(!other_times(
            mask("First quarter net was 12 mln dlrs."),
            mask("Net in March was 12 mln dlrs.")
        ));
        // A month's figure and a quarter's are of two periods; a sentence
        // naming both (`the quarter to March`) is of either.
        assert!(month_and_quarter(
            mask("Output rose 1.2 pct in December."),
            mask("Output rose 1.1 pct in the fourth quarter.")
        ));
        assert!(!month_and_quarter(
            mask("Output rose 1.2 pct in the quarter to December."),
            mask("Output rose 1.1 pct in the fourth quarter.")
        ));
        assert!(!month_and_quarter(
            mask("Output rose in December."),
            mask("Output rose in November.")
        ));
        // One month with a year and one without: two years' months.
        assert!(month_of_another_year(
            mask("This compares with an outflow of 3.5 bln marks in February 1986."),
            mask("The outflow was 7.5 bln marks in February.")
        ));
        assert!(!month_of_another_year(
            mask("The outflow was 3.5 bln marks in February 1986."),
            mask("The outflow was 7.5 bln marks in February 1986.")
        ));
        assert!(!month_of_another_year(
            mask("The outflow was 3.5 bln marks in February."),
            mask("The outflow was 7.5 bln marks in February.")
        ));
        assert!(!month_of_another_year(
            mask("The outflow was 3.5 bln marks in 1986."),
            mask("The outflow was 7.5 bln marks in February.")
        ));
    }

    #[test]
    fn article_dates_from_datelines_and_front_matter() {
        let line = |st: &str| dateline_at(st, &recs(st)).map_or(0, |d| d.0);
        assert_eq!(line("JAKARTA, March 2 - Imports rose."), pack_date(0, 3, 2));
        assert_eq!(
            line("NEW YORK, Oct 19, 1987 \u{2014} Stocks fell."),
            pack_date(1987, 10, 19)
        );
        assert_eq!(
            line("St. Louis, Mo., April 3 - Sales rose."),
            pack_date(0, 4, 3)
        );
        // Its place, whatever the case.
        let place = |st: &str| dateline_at(st, &recs(st)).map_or(0, |d| d.2);
        assert_eq!(
            place("SIOUX CITY, April 7 - Prices rose."),
            place_hash("Sioux City")
        );
        assert_ne!(
            place("SIOUX FALLS, April 7 - Prices rose."),
            place_hash("Sioux City")
        );
        assert_eq!(place("Prices rose in Omaha, April 7."), 0);
        // Not a dateline: no dash after the day, no comma before the month,
        // lower-case words before it.
        assert_eq!(line("PARIS, March 2 and 3 were holidays."), 0);
        assert_eq!(line("In March 2 firms closed - quietly."), 0);
        assert_eq!(line("the vote, March 2 - later."), 0);
        assert_eq!(parse_meta_date("2024-03-01"), pack_date(2024, 3, 1));
        assert_eq!(parse_meta_date("March 1, 2024"), pack_date(2024, 3, 1));
        assert_eq!(parse_meta_date("1 March 2024"), pack_date(2024, 3, 1));
        assert_eq!(parse_meta_date("spring"), 0);
        assert_eq!(
            title_date("MARKET NEWS HIGHLIGHTS 1145 GMT - APRIL 7"),
            pack_date(0, 4, 7)
        );
        assert_eq!(
            title_date("Harbour markets - 7 April 2026"),
            pack_date(2026, 4, 7)
        );
        for none in [
            "HALVORSEN SEES APRIL 7 VOTE",
            "Harbour - a look back at April 7 and after",
            "Osland - April",
        ] {
            assert_eq!(title_date(none), 0, "{none}");
        }
        assert!(other_days(pack_date(0, 3, 2), pack_date(0, 3, 23)));
        assert!(!other_days(pack_date(0, 3, 2), pack_date(1987, 3, 2)));
        assert!(other_days(pack_date(1986, 3, 2), pack_date(1987, 3, 2)));
        assert!(!other_days(0, pack_date(1987, 3, 2)));
        assert_eq!(format_date(pack_date(0, 3, 2)).as_deref(), Some("March 2"));
        assert_eq!(
            format_date(pack_date(1987, 10, 19)).as_deref(),
            Some("October 19, 1987")
        );
        assert_eq!(format_date(0), None);
    }

    #[test]
    fn a_claims_names_leave_out_its_dateline_and_first_word() {
        let text = "Payout report\n\nKESSELTON, March 4 - Quarterly payout rose to 14 cts at Brandvik Ferries, the board said. \
                    Revenues rose 5% at Olsund Freight, it said. \
                    Tessaly's ferry traffic fell 3% last year, the board said. \
                    Olsund Freight notes yield 87 basis points more than comparable Kesselton Treasury notes. \
                    Vestrand Bank notes yield 65 basis points over comparable Kesselton Treasury notes. \
                    Brandvik Ferries paid 12 mln dlrs for control over Tessaly Shipping.";
        let art = crate::analysis::analyze(text, &Default::default());
        let d = extract(text, &art);
        let names: Vec<Vec<&str>> = d
            .claims
            .iter()
            .filter(|c| c.carries & CARRIES_FIGURE != 0)
            .map(|c| {
                let mut n: Vec<&str> = d.claim_names[c.names.start as usize..c.names.end as usize]
                    .iter()
                    .map(|&t| d.vocab.get(t))
                    .collect();
                n.sort();
                n
            })
            .collect();
        let keys = |ws: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = ws.iter().map(|w| entity_key(w)).collect();
            k.sort();
            k
        };
        assert_eq!(names.len(), 6, "{names:?}");
        assert_eq!(names[0], keys(&["Brandvik", "Ferries"]));
        assert_eq!(names[1], keys(&["Olsund", "Freight"]));
        // A possessive first word is a name (whose traffic).
        assert_eq!(names[2], keys(&["Tessaly's"]));
        // What a figure is compared with is no name of the sentence.
        assert_eq!(names[3], keys(&["Olsund", "Freight"]));
        // So is what `over` introduces right after a figure…
        assert_eq!(names[4], keys(&["Vestrand", "Bank"]));
        // …but not elsewhere: what the money bought names a subject.
        assert_eq!(
            names[5],
            keys(&["Brandvik", "Ferries", "Tessaly", "Shipping"])
        );
        // Every name is one of the claim's terms.
        for c in &d.claims {
            let names = &d.claim_names[c.names.start as usize..c.names.end as usize];
            assert!(names.iter().all(|n| c.terms.contains(n)));
        }
    }

    #[test]
    fn main_names_are_repeated_names_not_capitalised_first_words() {
        let text = "Depot report\n\nTurnover rose at the depot. Turnover fell at the mill. Halvorsen Marine said Brantley would buy it. Halvorsen Marine thanked Brantley and Tessaly.";
        let mut art = Article::default();
        let mut start = 0;
        for (i, _) in text.match_indices(['.', '\n']) {
            if text[start..=i].trim().len() > 1 {
                art.sentences.push(crate::analysis::Sentence {
                    span: start..i + 1,
                    paragraph: 0,
                });
            }
            start = i + 1;
        }
        let d = extract(text, &art);
        let names: Vec<&str> = d.names.iter().map(|&t| d.vocab.get(t)).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        for w in ["Halvorsen", "Marine", "Brantley"] {
            assert!(names.contains(&entity_key(w).as_str()), "{w}: {names:?}");
        }
        // Named once (Tessaly), or only as a sentence's first word (Turnover).
        assert!(!names.contains(&entity_key("Tessaly").as_str()));
        assert!(!names.contains(&entity_key("Turnover").as_str()));
    }

    /// The main names of `text`, as name keys.
    fn main_names_of(text: &str) -> Vec<String> {
        let art = crate::analysis::analyze(text, &Default::default());
        let d = extract(text, &art);
        d.names
            .iter()
            .map(|&t| d.vocab.get(t).to_string())
            .collect()
    }

    #[test]
    fn a_grade_or_class_letter_is_no_main_name() {
        // `AA` is written three times, Vestrand twice: a grade labels the
        // notes, it does not tell whose story this is.
        let names = main_names_of("Vestrand notes

Vestrand Bank is raising 200 mln dlrs through notes rated AA by two agencies. The notes, rated AA, yield 87 basis points more than comparable government notes. Its earlier issue was also rated AA. Vestrand Bank will use the money to fund its loans.");
        assert!(names.contains(&entity_key("Vestrand")), "{names:?}");
        assert!(!names.contains(&entity_key("AA")), "{names:?}");
        assert!(is_label_key(&entity_key("Baa")));
        assert!(!is_label_key(&entity_key("Olsund")));
    }

    #[test]
    fn a_name_the_figures_cite_is_no_main_name() {
        // The lead manager sources both figures: the story is the bank's.
        let names = main_names_of("Vestrand notes

Vestrand Bank is raising 200 mln dlrs through an offering of notes, said lead manager Olsund Securities.                     The notes yield 87 basis points more than comparable government notes, said lead manager Olsund Securities.                     Vestrand Bank will use the money to fund its loans.");
        assert!(names.contains(&entity_key("Vestrand")), "{names:?}");
        assert!(!names.contains(&entity_key("Olsund")), "{names:?}");
    }
}
