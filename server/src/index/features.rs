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

use super::equivalence;
use crate::analysis::{Article, FigureStatus, QuoteKind, QuoteStatus};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// What a claim sentence carries (bit set).
pub const CARRIES_FIGURE: u8 = 1;
pub const CARRIES_QUOTE: u8 = 2;
pub const CARRIES_DATE: u8 = 4;

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

/// One normalised figure of a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureFeature {
    pub value: f64,
    pub value_to: Option<f64>,
    /// Unit or counted noun, lower case, stemmed (`member`, `usd`, `%`).
    pub unit: Option<String>,
    pub qual: Qual,
    /// The qualifier as the analysis wrote it.
    pub qualifier: Option<String>,
    /// Byte range relative to the sentence start.
    pub rel_span: Range<usize>,
}

impl FigureFeature {
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
            && match (self.value_to, other.value_to) {
                (None, None) => true,
                (Some(a), Some(b)) => close(a, b),
                _ => false,
            }
    }

    /// Equal values counting different things (`eight people` / `eight
    /// members`): weaker evidence than [`equals`](Self::equals). Currency
    /// and percentage figures only meet their own unit.
    pub fn same_value(&self, other: &FigureFeature) -> bool {
        let measure = |u: &Option<String>| {
            u.as_deref().is_some_and(|u| {
                matches!(
                    u,
                    "%" | "usd" | "eur" | "gbp" | "jpy" | "rub" | equivalence::RATIO
                )
            })
        };
        close(self.value, other.value)
            && self.value_to.is_none()
            && other.value_to.is_none()
            && !measure(&self.unit)
            && !measure(&other.unit)
    }

    fn overlaps(&self, other: &FigureFeature) -> bool {
        if self.qual == Qual::Change || other.qual == Qual::Change {
            // A change states two values at two times: agree with either end.
            let ends = |f: &FigureFeature| {
                let mut v = vec![f.value];
                if let Some(t) = f.value_to {
                    v.push(t);
                }
                v
            };
            return ends(self)
                .iter()
                .any(|&a| ends(other).iter().any(|&b| close(a, b)))
                || (self.qual != Qual::Change && {
                    let (lo, hi) = self.qual.interval(self.value, self.value_to);
                    ends(other).iter().any(|&b| lo <= b && b <= hi)
                })
                || (other.qual != Qual::Change && {
                    let (lo, hi) = other.qual.interval(other.value, other.value_to);
                    ends(self).iter().any(|&a| lo <= a && a <= hi)
                });
        }
        let (a0, a1) = self.qual.interval(self.value, self.value_to);
        let (b0, b1) = other.qual.interval(other.value, other.value_to);
        a0 <= b1 && b0 <= a1
    }

    /// Key for the figure postings: value and unit.
    pub fn key(&self) -> String {
        format!(
            "${}|{}",
            fmt_value(self.value),
            self.unit.as_deref().unwrap_or("")
        )
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
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

/// The features of one claim sentence, before interning.
#[derive(Debug, Clone, Default)]
pub struct ClaimFeatures {
    /// Byte span of the sentence in the article text.
    pub span: Range<usize>,
    /// Index into `Article::sentences`.
    pub sentence: usize,
    /// Content terms with repeats (stems and `#entity` keys).
    pub terms: Vec<String>,
    /// Entity keys (`#...`), distinct.
    pub entities: Vec<String>,
    pub figures: Vec<FigureFeature>,
    /// Stems of the quoted words, distinct.
    pub quote_words: Vec<String>,
    /// Entity keys of the quotations' speakers.
    pub speakers: Vec<String>,
    /// Byte spans (in the article) of the sentence's quotations (not scare
    /// quotes), with their speakers as the analysis resolved them.
    pub quotes: Vec<(Range<usize>, Option<String>)>,
    /// Normalised dates (`november 1`, `2021`).
    pub dates: Vec<String>,
    pub carries: u8,
    /// The figures of the sentence are all sourced and its quotations all
    /// attributed (and it has at least one of either).
    pub sourced: bool,
}

/// The features of one article.
#[derive(Debug, Clone, Default)]
pub struct DocFeatures {
    pub claims: Vec<ClaimFeatures>,
    /// The article carries sources of its own (see [`crate::index::Index::is_sourced`]).
    pub sourced: bool,
    /// The article's most frequent content terms (at most
    /// [`MAX_DOC_TERMS`]), distinct: the context a claim is read in.
    pub doc_terms: Vec<String>,
}

/// How many terms of an article are kept as its context.
pub const MAX_DOC_TERMS: usize = 128;

/// Minimum number of content terms for a sentence without figure, quotation
/// or date to be indexed as a (context) claim.
pub const MIN_CONTEXT_TERMS: usize = 4;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

static STOP: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
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
    let mut w: String = word
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| {
            if c == '’' || c == '‘' || c == 'ʼ' {
                '\''
            } else {
                c
            }
        })
        .collect();
    for suf in ["'s", "'"] {
        if w.len() > suf.len() + 1 && w.ends_with(suf) {
            w.truncate(w.len() - suf.len());
            break;
        }
    }
    w
}

/// The entity key of a proper name (see the module docs). `#` + first
/// letter + consonant skeleton.
pub fn entity_key(word: &str) -> String {
    let w = fold(word);
    let w = w
        .replace("kh", "h")
        .replace("ph", "f")
        .replace("ck", "k")
        .replace('x', "ks")
        .replace('w', "v")
        .replace('q', "k")
        .replace('j', "y");
    let mut out = String::from("#");
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

/// The stem of a lower-case word.
pub fn stem(w: &str) -> String {
    STEMMER.stem(w).into_owned()
}

/// Word tokens of `s`: maximal runs of alphanumerics, keeping inner
/// apostrophes (`Russia's`, `don't`) but splitting on hyphens.
pub fn words(s: &str) -> Vec<Range<usize>> {
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

/// Normalised dates mentioned in a piece of text: `november 1`, and years.
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
        } else if w.len() == 4
            && w.chars().all(|c| c.is_ascii_digit())
            && (w.starts_with("19") || w.starts_with("20"))
        {
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

/// Ratios of change the sentence states: `from 20 to 10` (×0.5) and
/// `halve`, `cut in half`, `double`… ([`equivalence::ratio_word`]), as
/// figures of unit [`equivalence::RATIO`].
fn ratio_features(st: &str, figures: &[FigureFeature]) -> Vec<FigureFeature> {
    let mut out = Vec::new();
    for f in figures {
        if f.qual == Qual::Change {
            if let Some(r) = f
                .value_to
                .and_then(|to| equivalence::change_ratio(f.value, to))
            {
                out.push(ratio(r, f.rel_span.clone()));
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
    FigureFeature {
        value,
        value_to: None,
        unit: Some(equivalence::RATIO.to_string()),
        qual: Qual::Exact,
        qualifier: None,
        rel_span,
    }
}

/// Extract the claims of an analysed article.
///
/// Every sentence carrying a figure, a quotation or a date is a claim; so is
/// every other sentence with at least [`MIN_CONTEXT_TERMS`] content terms
/// (a *context* claim, `carries == 0`), because the same fact is often
/// reported in one article with a figure and in another without.
pub fn extract(text: &str, art: &Article) -> DocFeatures {
    let mut lower_seen: HashSet<String> = HashSet::new();
    for s in &art.sentences {
        let Some(st) = text.get(s.span.clone()) else {
            continue;
        };
        for r in words(st) {
            let w = &st[r];
            if w.chars().next().is_some_and(char::is_lowercase) {
                lower_seen.insert(fold(w));
            }
        }
    }
    let n = art.sentences.len();
    let mut figs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, f) in art.figures.iter().enumerate() {
        if f.sentence < n {
            figs[f.sentence].push(i);
        }
    }
    let mut quotes: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, q) in art.quotations.iter().enumerate() {
        if q.sentence < n {
            quotes[q.sentence].push(i);
        }
    }
    let mut has_date = vec![false; n];
    for d in &art.dates {
        if d.sentence < n {
            has_date[d.sentence] = true;
        }
    }

    let mut claims = Vec::new();
    let mut doc_tf: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for (si, s) in art.sentences.iter().enumerate() {
        let Some(st) = text.get(s.span.clone()) else {
            continue;
        };
        let toks = tokens(st, &lower_seen);
        for t in &toks {
            *doc_tf.entry(t.term.clone()).or_default() += 1;
        }
        let mut c = ClaimFeatures {
            span: s.span.clone(),
            sentence: si,
            ..Default::default()
        };
        let mut all_sourced = true;
        for &fi in &figs[si] {
            let f = &art.figures[fi];
            let rel = f.span.start.saturating_sub(s.span.start)
                ..f.span.end.saturating_sub(s.span.start).min(st.len());
            c.figures.push(FigureFeature {
                value: f.value,
                value_to: f.value_to,
                unit: f.unit.as_deref().map(unit_key).filter(|u| !u.is_empty()),
                qual: Qual::parse(f.qualifier.as_deref(), f.value_to.is_some()),
                qualifier: f.qualifier.clone(),
                rel_span: rel,
            });
            all_sourced &= f.status != FigureStatus::Unsourced;
        }
        if !figs[si].is_empty() {
            c.carries |= CARRIES_FIGURE;
        }
        let ratios = ratio_features(st, &c.figures);
        c.figures.extend(ratios);
        // Quotation words: stems of quoted text (spans may run past the
        // sentence; read them from the article text).
        let mut qw: Vec<String> = Vec::new();
        for &qi in &quotes[si] {
            let q = &art.quotations[qi];
            if q.kind == QuoteKind::Quotation {
                c.carries |= CARRIES_QUOTE;
                all_sourced &= q.status == Some(QuoteStatus::Attributed);
                c.quotes.push((q.span.clone(), q.speaker.clone()));
            }
            if let Some(qt) = text.get(q.span.clone()) {
                for t in tokens(qt, &lower_seen) {
                    qw.push(t.term);
                }
            }
            if let Some(sp) = &q.speaker {
                for r in words(sp) {
                    let w = &sp[r];
                    if is_capitalized(w) && !is_stop(&fold(w)) {
                        c.speakers.push(entity_key(w));
                    }
                }
            }
        }
        qw.sort();
        qw.dedup();
        c.quote_words = qw;
        c.speakers.sort();
        c.speakers.dedup();
        if has_date[si] {
            c.carries |= CARRIES_DATE;
        }
        c.dates = dates_in(st);
        if !c.dates.is_empty() && art.dates.is_empty() {
            // The analysis reports dates only when it finds them; trust our
            // own reading when it reports none at all.
            c.carries |= CARRIES_DATE;
        }
        c.sourced = c.carries & (CARRIES_FIGURE | CARRIES_QUOTE) != 0 && all_sourced;
        for t in &toks {
            if t.entity {
                c.entities.push(t.term.clone());
            }
        }
        c.entities.sort();
        c.entities.dedup();
        c.terms = toks.into_iter().map(|t| t.term).collect();
        if c.carries == 0 && c.terms.len() < MIN_CONTEXT_TERMS {
            continue;
        }
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
    let mut doc_terms: Vec<(u32, String)> = doc_tf.into_iter().map(|(t, n)| (n, t)).collect();
    doc_terms.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    doc_terms.truncate(MAX_DOC_TERMS);
    DocFeatures {
        claims,
        sourced,
        doc_terms: doc_terms.into_iter().map(|(_, t)| t).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let f = |v: f64, to: Option<f64>, q: Option<&str>| FigureFeature {
            value: v,
            value_to: to,
            unit: Some("personnel".into()),
            qual: Qual::parse(q, to.is_some()),
            qualifier: q.map(str::to_string),
            rel_span: 0..1,
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

    #[test]
    fn dates_normalised() {
        assert_eq!(
            dates_in("revoked on November 1, 2021"),
            vec!["2021", "november 1"]
        );
        assert_eq!(dates_in("on 1 Nov."), vec!["november 1"]);
    }
}
