//! The attribution sieve: speakers for quotations, sources for figures.
//!
//! The cue lexicon is data (`lexicon/speech_verbs.txt`, `cue_phrases.txt`,
//! `vague_agents.txt`, `pronouns.txt`, `document_agents.txt`, `titles.txt`,
//! `org_words.txt`, `nationalities.txt`, `function_words.txt`).
//!
//! Each sentence is tokenised once with its quotations collapsed into
//! placeholders; cues (speech verbs, `according to`, ...) are found on those
//! tokens and their agents extracted: the subject to the left of the verb
//! (skipping adverbs, auxiliaries, time phrases, appositions and `who`
//! clauses), the noun phrase after an inverted verb (`said X`), after `by` in
//! a passive, or after a preposition cue (`according to X`).
//!
//! A quotation's speaker comes from an ordered sieve, highest precision
//! first, stopping at the first rule that fires:
//! (a) a cue in the quotation's own sentence, either order;
//! (b) an introducing clause ending with a colon (also the previous
//!     paragraph's, for a quotation that opens a paragraph);
//! (c) a dash line after the quotation, or the next sentence of the
//!     paragraph naming a speaker (when it holds no quotation of its own);
//! (d) continuation: the speaker of the paragraph so far (the previous
//!     quotation's, or the latest cue's);
//! (e) pronouns and definite roles (`he`, `the minister`) resolve to the
//!     nearest preceding person named (a role prefers a person who bore that
//!     title).
//!
//! Rules (c) and (d) only apply to spans longer than a scare quote.

use super::quotes::{scare_shaped, sentence_of, title_shaped, word_count};
use super::{AnalysisOptions, Article, FigureStatus, Quotation, QuoteKind, QuoteStatus, Span};
use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::sync::LazyLock;

// ---------------------------------------------------------------------------
// Lexicons
// ---------------------------------------------------------------------------

use super::lexicon::{entries as lines, fx_map as map, fx_set as set, WordFilter, NATIONALITIES};
use crate::fxhash::{FxMap, FxSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strength {
    Strong,
    Weak,
    Doc,
    QuoteOnly,
}

#[derive(Clone, Copy, Debug)]
struct VerbForm {
    strength: Strength,
    participle: bool,
    /// The bare form (`say`, `claim`): needs a plural or pronoun subject.
    bare: bool,
    /// A bare form that is also the past tense (`forecast`): takes any
    /// subject when no noun's complement follows (`the ministry forecast
    /// the crop at…`, not `the ministry forecast of…`).
    past: bool,
    /// Also a common noun in this form (`claims`, `reports`).
    third_person: bool,
}

static VERBS: LazyLock<FxMap<&'static str, VerbForm>> = LazyLock::new(|| {
    let mut m = FxMap::default();
    for l in lines(include_str!("lexicon/speech_verbs.txt")) {
        let mut it = l.split('\t');
        let forms = it.next().unwrap_or("");
        let strength = match it.next().map(str::trim) {
            Some("weak") => Strength::Weak,
            Some("doc") => Strength::Doc,
            Some("quote") => Strength::QuoteOnly,
            _ => Strength::Strong,
        };
        let past = it.next().map(str::trim) == Some("past");
        let mut ws = forms.split_whitespace();
        let lemma = ws.next().unwrap_or("");
        for f in forms.split_whitespace() {
            m.insert(
                f,
                VerbForm {
                    strength,
                    participle: f.ends_with("ing"),
                    bare: f == lemma,
                    past: past && f == lemma,
                    third_person: f != lemma && f.ends_with('s') && !f.ends_with("ss"),
                },
            );
        }
        // The bare lemma is also an imperative/noun; keep it (`we say`).
    }
    m
});

/// The words that start a cue: [`VERBS`] and the first words of [`PHRASES`].
static CUE_WORDS: LazyLock<WordFilter> =
    LazyLock::new(|| WordFilter::new(VERBS.keys().chain(PHRASES.keys()).copied()));

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PhraseKind {
    Verb,
    Prep,
    Name,
    /// `reportedly`, `is said to`: unnamed reports are the source; `is
    /// believed to`, `is understood to`: unnamed sources. The speaker's
    /// name the finding gives.
    Hearsay(&'static str),
}

type PhraseTable = FxMap<&'static str, Vec<(Vec<&'static str>, PhraseKind)>>;

static PHRASES: LazyLock<PhraseTable> = LazyLock::new(|| {
    let mut m: PhraseTable = FxMap::default();
    for (k, v) in map(include_str!("lexicon/cue_phrases.txt")) {
        let words: Vec<&'static str> = k.split_whitespace().collect();
        let kind = match v {
            "prep" => PhraseKind::Prep,
            "name" => PhraseKind::Name,
            "hearsay" => PhraseKind::Hearsay("reports"),
            "belief" => PhraseKind::Hearsay("unnamed sources"),
            _ => PhraseKind::Verb,
        };
        if let Some(first) = words.first().copied() {
            m.entry(first).or_default().push((words, kind));
        }
    }
    for v in m.values_mut() {
        v.sort_by_key(|b| std::cmp::Reverse(b.0.len()));
    }
    m
});

static VAGUE: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| set(include_str!("lexicon/vague_agents.txt")));
static PRONOUNS: LazyLock<FxMap<&'static str, &'static str>> =
    LazyLock::new(|| map(include_str!("lexicon/pronouns.txt")));
static DOCS: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| set(include_str!("lexicon/document_agents.txt")));
static TITLES: LazyLock<FxSet<&'static str>> = LazyLock::new(|| set(super::lexicon::TITLES_TXT));
static DESCRIPTORS: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| set(include_str!("lexicon/descriptors.txt")));
static ORG_WORDS: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| set(include_str!("lexicon/org_words.txt")));
static FUNCTION: LazyLock<FxMap<&'static str, &'static str>> =
    LazyLock::new(|| map(include_str!("lexicon/function_words.txt")));

/// A singular descriptor of a person (`23-year-old`, `father`,
/// `mother-of-two`, `striker`): `the <descriptor>` refers back to a person.
fn is_descriptor(head: &str) -> bool {
    if head.ends_with("-year-old") && head.len() > "-year-old".len() {
        return true;
    }
    let base = head.split_once("-of-").map_or(head, |(b, _)| b);
    DESCRIPTORS.contains(base)
}

/// Filters before the lookups in the hottest word tests: most words are
/// in none of these lists.
static FUNCTION_FILTER: LazyLock<WordFilter> =
    LazyLock::new(|| WordFilter::new(FUNCTION.keys().copied()));
static PRONOUN_FILTER: LazyLock<WordFilter> =
    LazyLock::new(|| WordFilter::new(PRONOUNS.keys().copied()));
/// The words that end a name run read backwards ([`person_in_run`]).
static NOT_NAME_FILTER: LazyLock<WordFilter> = LazyLock::new(|| {
    WordFilter::new(
        TITLES
            .iter()
            .chain(ORG_WORDS.iter())
            .chain(NATIONALITIES.iter())
            .chain(FUNCTION.keys())
            .chain(DOCS.iter())
            .chain(VAGUE.iter())
            .chain(super::lexicon::NUMBER_WORDS.keys())
            .copied(),
    )
});

fn fclass(w: &str) -> Option<&'static str> {
    if !FUNCTION_FILTER.may_contain(w) {
        return None;
    }
    FUNCTION.get(w).copied()
}

fn is_pronoun(w: &str) -> bool {
    PRONOUN_FILTER.may_contain(w) && PRONOUNS.contains_key(w)
}

/// Words that introduce a designation, not a speaker (`the so-called “…”`).
const DESIGNATIONS: &[&str] = &[
    "so-called",
    "labeled",
    "labelled",
    "dubbed",
    "branded",
    "termed",
    "nicknamed",
    "entitled",
    "titled",
    "headlined",
];

/// Title words that only modify a title (`Foreign` in `Foreign Minister`):
/// alone they do not make the next word a person's name.
const TITLE_MODIFIERS: &[&str] = &[
    "vice",
    "foreign",
    "defense",
    "defence",
    "interior",
    "finance",
    "deputy",
    "under",
    "assistant",
    "prime",
    "first",
    "top",
    "senior",
    "former",
    "acting",
    "then",
    "affairs",
    "political",
    "state",
    "security",
    "press",
    "head",
    "chief",
    "official",
    "expert",
    "analyst",
    "interlocutor",
    "executive",
    "officer",
    "economist",
    "diplomat",
];

/// Quantifiers whose `of` complement holds the head (`one of the sources`).
const QUANTIFIERS: &[&str] = &[
    "one",
    "some",
    "many",
    "number",
    "group",
    "couple",
    "majority",
    "most",
    "several",
    "few",
    "all",
    "none",
    "dozens",
    "hundreds",
    "thousands",
    "part",
    "each",
    "any",
    "two",
    "three",
];

/// Verbs before `to` that keep the subject (`managed to say`).
const CATENATIVES: &[&str] = &[
    "managed",
    "tried",
    "wanted",
    "went",
    "continued",
    "refused",
    "decided",
    "had",
    "used",
    "failed",
    "wants",
    "tries",
    "seemed",
    "seems",
    "appeared",
    "appears",
    "went",
    "has",
    "have",
    "going",
    "needs",
    "needed",
    "ought",
    "chose",
    "hastened",
    "rushed",
];

/// Verb forms that are also common plural nouns (`policy statements`).
const NOUNISH: &[&str] = &[
    "claims",
    "reports",
    "estimates",
    "notes",
    "remarks",
    "comments",
    "questions",
    "answers",
    "replies",
    "calls",
    "tweets",
    "posts",
    "demands",
    "promises",
    "pledges",
    "projects",
    "forecasts",
    "points",
    "appeals",
    "labels",
    "brands",
    "terms",
    "finds",
    "warnings",
    "statements",
    "records",
    "threats",
    "vows",
    "objects",
    "states",
    "cites",
];

/// Nouns before a verb form that make it a noun (`the latest reports`).
const NOUN_MAKERS: &[&str] = &[
    "latest", "new", "media", "news", "press", "such", "western", "many", "these", "those",
    "recent", "earlier", "official", "initial", "early", "first",
];

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tk {
    Word,
    Num,
    Punct(char),
    /// A quotation collapsed into one token (index into the quotations).
    Quote(usize),
    /// `'s` / `’s`
    Poss,
}

/// A token's lowercase text (see [`super::lower`]).
use super::lower::Lower as Low;

#[derive(Clone, Debug)]
struct Tok<'a> {
    s: usize,
    e: usize,
    kind: Tk,
    low: Low<'a>,
    cap: bool,
    /// All letters upper case and more than one letter (`NATO`).
    acro: bool,
}

impl Tok<'_> {
    fn is_word(&self) -> bool {
        self.kind == Tk::Word
    }
    fn w(&self) -> &str {
        if self.kind == Tk::Word {
            &self.low
        } else {
            ""
        }
    }
    fn punct(&self) -> Option<char> {
        match self.kind {
            Tk::Punct(c) => Some(c),
            _ => None,
        }
    }
}

const TITLE_ABBR: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "sen", "rep", "gov", "lt", "st", "prof", "sgt", "capt",
    "maj", "adm", "jr", "sr", "messrs", "rev", "hon", "no", "vs",
];

/// The char at byte `i` (a char boundary), without decoding ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => text[i..].chars().next(),
        None => None,
    }
}

/// [`ASCII_CLASS`] bits.
const UPPER: u8 = 1;
const LOWER: u8 = 2;
const DIGIT: u8 = 4;

/// Byte -> its class bits when it is an ASCII letter or digit, else 0.
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_lowercase() {
            LOWER
        } else if b.is_ascii_digit() {
            DIGIT
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Tokenise `range`, collapsing each hole (a quotation's outer span) into a
/// [`Tk::Quote`] token and jumping over skipped regions.
fn tokenize<'a>(
    text: &'a str,
    range: Span,
    holes: &[(Span, usize)],
    skipped: &[Span],
) -> Vec<Tok<'a>> {
    let mut out = Vec::new();
    tokenize_into(text, range, holes, skipped, &mut out);
    out
}

/// [`tokenize`], appending to `out`.
fn tokenize_into<'a>(
    text: &'a str,
    range: Span,
    holes: &[(Span, usize)],
    skipped: &[Span],
    out: &mut Vec<Tok<'a>>,
) {
    let end = range.end.min(text.len());
    out.reserve(end.saturating_sub(range.start) / 5 + 1);
    let b = text.as_bytes();
    let mut i = range.start;
    let mut h = holes.partition_point(|(s, _)| s.end <= i);
    let mut k = skipped.partition_point(|s| s.end <= i);
    while i < end {
        if h < holes.len() && holes[h].0.start <= i {
            let (ref s, qi) = holes[h];
            out.push(Tok {
                s: s.start.max(range.start),
                e: s.end.min(end),
                kind: Tk::Quote(qi),
                low: Low::Borrowed(""),
                cap: false,
                acro: false,
            });
            i = s.end.max(i + 1);
            h += 1;
            while i < text.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        while k < skipped.len() && skipped[k].end <= i {
            k += 1;
        }
        if k < skipped.len() && skipped[k].start <= i {
            i = skipped[k].end.max(i + 1);
            while i < text.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        let Some(c) = char_at(text, i) else {
            break;
        };
        let cl = c.len_utf8();
        if c.is_alphanumeric() {
            let start = i;
            let digit = c.is_ascii_digit();
            // While the word is ASCII letters and digits only (most words),
            // its classes are gathered as it is read.
            let first = if c.is_ascii() {
                ASCII_CLASS[c as usize]
            } else {
                0
            };
            let mut simple = first != 0;
            let mut classes = first;
            let mut letters = usize::from(first & (UPPER | LOWER) != 0);
            let mut j = i + cl;
            let limit = if h < holes.len() {
                holes[h].0.start.min(end)
            } else {
                end
            };
            while j < limit {
                // ASCII letters and digits first: most of every word.
                let k = ASCII_CLASS[usize::from(b[j])];
                if k != 0 {
                    classes |= k;
                    letters += usize::from(k & (UPPER | LOWER) != 0);
                    j += 1;
                    continue;
                }
                let Some(d) = char_at(text, j) else {
                    break;
                };
                if d.is_alphanumeric() {
                    simple = false;
                    j += d.len_utf8();
                    continue;
                }
                let nxt = if j + d.len_utf8() < limit {
                    char_at(text, j + d.len_utf8())
                } else {
                    None
                };
                let joins = match d {
                    '-' | '\'' | '’' => nxt.is_some_and(|n| n.is_alphanumeric()),
                    '.' => {
                        nxt.is_some_and(|n| n.is_alphanumeric())
                            && (digit
                                || text[start..j].chars().count() == 1
                                || text[start..j].contains('.'))
                    }
                    ',' => digit && nxt.is_some_and(|n| n.is_ascii_digit()),
                    _ => false,
                };
                if !joins {
                    break;
                }
                simple = false;
                j += d.len_utf8();
            }
            let mut word = &text[start..j];
            // Possessive `'s` (a simple word has no apostrophe).
            let mut poss: Option<Span> = None;
            for ap in ["'s", "’s", "'S", "’S"].iter().filter(|_| !simple) {
                if word.len() > ap.len() && word.ends_with(ap) {
                    let cut = j - ap.len();
                    poss = Some(cut..j);
                    word = &text[start..cut];
                    break;
                }
            }
            let wend = start + word.len();
            // Abbreviation dots (`Mr.`, `U.S.`, `J.`).
            let mut e = wend;
            if poss.is_none() && b.get(wend) == Some(&b'.') {
                let single = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                let title_abbr = || {
                    if word.is_ascii() {
                        TITLE_ABBR.iter().any(|a| a.eq_ignore_ascii_case(word))
                    } else {
                        TITLE_ABBR.contains(&word.to_lowercase().as_str())
                    }
                };
                if single || word.contains('.') || title_abbr() {
                    e = wend + 1;
                }
            }
            // One pass: upper case, lower case, letters.
            let (mut has_upper, mut has_lower) = if simple {
                (classes & UPPER != 0, classes & LOWER != 0)
            } else {
                (false, false)
            };
            if simple {
                // `letters` too was gathered while reading.
            } else if word.is_ascii() {
                letters = 0;
                for &c in word.as_bytes() {
                    has_upper |= c.is_ascii_uppercase();
                    has_lower |= c.is_ascii_lowercase();
                    letters += usize::from(c.is_ascii_alphabetic());
                }
            } else {
                letters = 0;
                for c in word.chars() {
                    if c.is_uppercase() {
                        has_upper = true;
                    }
                    if c.is_lowercase() {
                        has_lower = true;
                    }
                    if c.is_alphabetic() {
                        letters += 1;
                    }
                }
            }
            let low = Low::of_checked(&text[start..e], has_upper);
            out.push(Tok {
                s: start,
                e,
                // `23-year-old` is a word (a descriptor), `1990s` a number.
                kind: if digit
                    && (simple || !(word.contains('-') && word.ends_with(char::is_alphabetic)))
                {
                    Tk::Num
                } else {
                    Tk::Word
                },
                cap: if simple {
                    first == UPPER
                } else {
                    word.chars().next().is_some_and(char::is_uppercase)
                },
                acro: letters > 1 && !has_lower,
                low,
            });
            if let Some(p) = poss {
                out.push(Tok {
                    s: p.start,
                    e: p.end,
                    kind: Tk::Poss,
                    low: Low::Borrowed("'s"),
                    cap: false,
                    acro: false,
                });
                i = p.end;
            } else {
                i = e.max(j);
            }
            continue;
        }
        let standalone_dash = c == '-'
            && (i == 0 || b[i - 1].is_ascii_whitespace())
            && b.get(i + 1).is_none_or(|x| x.is_ascii_whitespace());
        if matches!(
            c,
            ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '[' | ']' | '–' | '—'
        ) || standalone_dash
        {
            out.push(Tok {
                s: i,
                e: i + cl,
                kind: Tk::Punct(if c == '-' || c == '—' { '–' } else { c }),
                low: Low::Borrowed(""),
                cap: false,
                acro: false,
            });
        }
        i += cl;
    }
}

// ---------------------------------------------------------------------------
// Agents
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AKind {
    Person,
    Org,
    Role,
    Doc,
    Pronoun,
    Vague,
    Other,
}

#[derive(Clone, Debug)]
struct Agent {
    /// As written (`the minister`, `he`).
    written: String,
    /// Resolved (`Sergei Lavrov`), or as written.
    speaker: String,
    kind: AKind,
    /// Byte offset of the agent in the text.
    pos: usize,
}

impl Agent {
    fn vague(&self) -> bool {
        self.kind == AKind::Vague
    }
}

#[derive(Clone, Debug)]
struct Cue {
    /// First and last token of the cue.
    at: usize,
    end: usize,
    text: String,
    agent: Agent,
    strength: Strength,
    /// The verb follows its agent's clause (`said X`) or is followed by
    /// `that`, a colon, a comma or a quotation.
    bound: bool,
}

/// A speaker or source, for other modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The agent, resolved when a pronoun or role (`Sergei Lavrov`), or
    /// `link` / `footnote` / the note's text.
    pub agent: String,
    /// Anonymous (`analysts`, `sources`).
    pub vague: bool,
}

/// People named in the article: position, full name, title words.
///
/// `limit` restricts every query to the first persons and organisations
/// registered (the registry as it was after a given sentence), so that the
/// cues of a sentence can be computed lazily, after the whole article was
/// registered, with exactly the result of computing them in reading order.
struct Registry {
    persons: Vec<(usize, String, Vec<String>)>,
    /// Organisations: the byte span of each name in the text (its
    /// position is the start; the name is [`org_name`] of it, made only
    /// when asked for).
    orgs: Vec<Span>,
    by_last: FxMap<String, Vec<usize>>,
    /// Ids of the persons with each title word, increasing.
    by_title: FxMap<String, Vec<usize>>,
    limit: Cell<(usize, usize)>,
    /// A hash of the persons' names and titles, in order (not their
    /// positions): all that [`Ctx::register_toks`] reads of the registry.
    persons_hash: u64,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            persons: Vec::new(),
            orgs: Vec::new(),
            by_last: FxMap::default(),
            by_title: FxMap::default(),
            limit: Cell::new(NO_LIMIT),
            persons_hash: 0,
        }
    }
}

const NO_LIMIT: (usize, usize) = (usize::MAX, usize::MAX);

impl Registry {
    /// The persons visible under the current limit.
    fn persons(&self) -> &[(usize, String, Vec<String>)] {
        &self.persons[..self.persons.len().min(self.limit.get().0)]
    }

    fn orgs(&self) -> &[Span] {
        &self.orgs[..self.orgs.len().min(self.limit.get().1)]
    }

    /// Ids of the visible persons with this (lowercase) last name.
    fn ids_by_last(&self, last: &str) -> Option<&[usize]> {
        let ids = self.by_last.get(last)?;
        // Ids are pushed in increasing order.
        let n = ids.partition_point(|&i| i < self.limit.get().0);
        (n > 0).then(|| &ids[..n])
    }

    /// The (persons, orgs) counts, for [`Registry::limit`].
    fn mark(&self) -> (usize, usize) {
        (self.persons.len(), self.orgs.len())
    }

    fn add_person(&mut self, pos: usize, name: String, titles: Vec<String>) {
        use std::hash::Hasher;
        let mut h = crate::fxhash::FxHasher::default();
        h.write_u64(self.persons_hash);
        h.write(name.as_bytes());
        h.write_u8(0xff);
        for t in &titles {
            h.write(t.as_bytes());
            h.write_u8(0xfe);
        }
        self.persons_hash = h.finish();
        let last = name.rsplit(' ').next().unwrap_or(&name).to_lowercase();
        self.by_last
            .entry(last)
            .or_default()
            .push(self.persons.len());
        for t in &titles {
            let ids = self.by_title.entry(t.clone()).or_default();
            if ids.last() != Some(&self.persons.len()) {
                ids.push(self.persons.len());
            }
        }
        self.persons.push((pos, name, titles));
    }

    /// A one-word name resolved to the full name of the same person (the
    /// latest before `pos`, else the first after).
    fn canonical(&self, name: &str, pos: usize) -> Option<String> {
        let last = Low::of(name.rsplit(' ').next().unwrap_or(name));
        let ids = self.ids_by_last(&last)?;
        let full = |i: &usize| self.persons[*i].1.contains(' ');
        ids.iter()
            .rev()
            .filter(|&&i| self.persons[i].0 < pos)
            .find(|i| full(i))
            .or_else(|| ids.iter().find(|i| full(i)))
            .map(|&i| self.persons[i].1.clone())
    }

    fn knows(&self, name: &str) -> bool {
        self.ids_by_last(&Low::of(name)).is_some()
    }

    fn nearest_person(&self, pos: usize) -> Option<String> {
        let persons = self.persons();
        let i = persons.partition_point(|p| p.0 < pos);
        let (p, name, _) = persons.get(i.checked_sub(1)?)?;
        // Too far back to be the referent.
        if pos - p > 4000 {
            return None;
        }
        Some(self.canonical(name, *p).unwrap_or_else(|| name.clone()))
    }

    fn person_with_title(&self, title: &str, pos: usize) -> Option<String> {
        let persons = self.persons();
        let i = persons.partition_point(|p| p.0 < pos);
        // The latest of `persons[..i]` with the title.
        let ids = self.by_title.get(title)?;
        let id = ids[..ids.partition_point(|&id| id < i)].last()?;
        let (p, name, _) = &persons[*id];
        Some(self.canonical(name, *p).unwrap_or_else(|| name.clone()))
    }

    fn nearest_org(&self, text: &str, pos: usize) -> Option<String> {
        let orgs = self.orgs();
        let i = orgs.partition_point(|p| p.start < pos);
        Some(org_name(text, orgs.get(i.checked_sub(1)?)?))
    }
}

/// The name of the organisation registered at `span` ([`tok_text`] of its
/// tokens).
fn org_name(text: &str, span: &Span) -> String {
    clean(&text[span.clone()])
}

fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c == '*' || c == '_' || c == '\\' {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Time words (weekdays, months, `week`) never join a name (`Time` does).
#[cfg(test)]
fn is_calendar(t: &Tok) -> bool {
    t.low != "time" && fclass(&t.low) == Some("time")
}

/// A capitalised word that may be part of a name (the reference for
/// [`is_run_word`] too).
fn is_name_word(t: &Tok) -> bool {
    t.is_word()
        && t.cap
        && (t.low == "time"
            || fclass(&t.low).is_none_or(|c| {
                c != "det" && c != "prep" && c != "conj" && c != "rel" && c != "aux"
            }))
        && !is_pronoun(&t.low)
}

/// `is_name_word(t) && !is_calendar(t)`, with one lexicon lookup.
fn is_run_word(t: &Tok) -> bool {
    if !(t.is_word() && t.cap) {
        return false;
    }
    let low: &str = &t.low;
    let ok = low == "time"
        || match fclass(low) {
            None => true,
            Some(c) => !matches!(c, "det" | "prep" | "conj" | "rel" | "aux" | "time"),
        };
    ok && !is_pronoun(low)
}

/// Name runs: consecutive capitalised words (with `of`/`for`/`the`/`and`
/// between capitalised words, and particles), as token ranges.
fn cap_runs(toks: &[Tok], a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    for_cap_runs(toks, a, b, |s, e| runs.push((s, e)));
    runs
}

/// [`cap_runs`], calling `f` with each run in order.
#[inline]
fn for_cap_runs(toks: &[Tok], a: usize, b: usize, mut f: impl FnMut(usize, usize)) {
    let mut i = a;
    while i <= b && i < toks.len() {
        if !is_run_word(&toks[i]) {
            i += 1;
            continue;
        }
        let s = i;
        let mut e = i;
        let mut j = i + 1;
        while j <= b && j < toks.len() {
            let t = &toks[j];
            if is_run_word(t) || is_name_month(toks, j) {
                e = j;
                j += 1;
                continue;
            }
            let particle = matches!(
                t.w(),
                "of" | "for"
                    | "on"
                    | "and"
                    | "the"
                    | "de"
                    | "van"
                    | "von"
                    | "bin"
                    | "al"
                    | "la"
                    | "le"
                    | "del"
                    | "da"
            );
            if particle && j < b && j + 1 < toks.len() {
                // `of the Defense`, `on Foreign and Defense`
                let mut k = j + 1;
                if toks[k].w() == "the" && k < b {
                    k += 1;
                }
                if k <= b && k < toks.len() && is_name_word(&toks[k]) {
                    j = k;
                    continue;
                }
            }
            break;
        }
        f(s, e);
        i = e + 1;
    }
}

/// A month that is a name here: `May`, `June`, `April` or `August`
/// capitalised after a capitalised word of a name (`Theresa May`, `Brian
/// May`, `Mrs May`), not after a word of time (`early May`) nor before a
/// day's number (`Reuters May 5`).
fn is_name_month(toks: &[Tok], j: usize) -> bool {
    let Some(t) = toks.get(j) else {
        return false;
    };
    if !(t.cap && matches!(&*t.low, "may" | "june" | "april" | "august")) || j == 0 {
        return false;
    }
    let before = &toks[j - 1];
    if !is_run_word(before) || before.acro {
        return false;
    }
    if matches!(
        &*before.low,
        "early" | "late" | "mid" | "end" | "since" | "until"
    ) {
        return false;
    }
    !toks
        .get(j + 1)
        .is_some_and(|n| n.w().starts_with(|c: char| c.is_ascii_digit()))
}

/// The person inside a name run: the longest suffix with no title, org,
/// place or nationality word. `(start, titles)`.
fn person_in_run(toks: &[Tok], s: usize, e: usize, reg: &Registry) -> Option<usize> {
    let mut k = e + 1;
    while k > s {
        let t = &toks[k - 1];
        let w = t.low.trim_end_matches('.');
        if is_name_month(toks, k - 1) {
            k -= 1;
            continue;
        }
        if !t.is_word()
            || t.acro
            || (NOT_NAME_FILTER.may_contain(w)
                && (TITLES.contains(w)
                    || ORG_WORDS.contains(w)
                    || NATIONALITIES.contains(w)
                    || fclass(w).is_some()
                    || DOCS.contains(w)
                    || VAGUE.contains(w)
                    || super::lexicon::NUMBER_WORDS.contains_key(w)))
            || !t.cap
        {
            break;
        }
        k -= 1;
    }
    if k > e {
        return None;
    }
    // Words of common nouns are not names (`Internationally Recognised
    // Transit Corridor`).
    const NOT_NAME_ENDINGS: &[&str] = &[
        "ised", "ized", "ated", "ation", "ment", "ness", "ional", "ionally", "ity", "ism", "ship",
        "hood", "ical", "ive", "ous", "ful", "less", "ance", "ence",
    ];
    if toks[k..=e].iter().any(|t| {
        let w = t.low.as_ref();
        w.len() > 6 && NOT_NAME_ENDINGS.iter().any(|x| w.ends_with(x))
    }) || e + 1 - k > 4
    {
        return None;
    }
    // Two names in a row (`of Vladimir Putin Dmitry Peskov`): a known full
    // name at the start is cut off.
    if e >= k + 3 {
        for i in k + 2..e {
            let Some(ids) = reg.ids_by_last(toks[i - 1].low.as_ref()) else {
                continue;
            };
            let prefix: Vec<&str> = toks[k..i].iter().map(|t| t.low.as_ref()).collect();
            let prefix = prefix.join(" ");
            if ids
                .iter()
                .any(|&id| reg.persons[id].1.to_lowercase() == prefix)
            {
                k = i;
                break;
            }
        }
    }
    let len = e + 1 - k;
    // Any org word in the whole run makes it an organisation (`New York
    // Times`), unless the name follows a title (`Council President Smith`).
    let has_title = toks[s..k].iter().any(|t| {
        let w = t.low.trim_end_matches('.');
        t.is_word() && TITLES.contains(w) && !TITLE_MODIFIERS.contains(&w)
    });
    if !has_title
        && toks[s..=e]
            .iter()
            .any(|t| ORG_WORDS.contains(t.low.trim_end_matches('.')))
    {
        return None;
    }
    // A determiner before the run makes it the name of a thing (`the
    // Golden Globe`, `his third Grand Slam match`, `the Anglican
    // Cathedral`), not of a person, unless a title says otherwise (`the
    // Prime Minister Tony Blair`).
    if !has_title
        && s > 0
        && toks[s - 1].is_word()
        && fclass(toks[s - 1].low.as_ref()) == Some("det")
    {
        return None;
    }
    // A name that starts a sentence may be an ordinary capitalised word.
    if len >= 2 {
        // Initials and given names: every word starts upper case, none is
        // upper case throughout.
        return Some(k);
    }
    if has_title || reg.knows(&toks[k].low) {
        return Some(k);
    }
    // Preceded by a lowercase role noun (`spokesman Smith`).
    if k > 0 && toks[k - 1].is_word() && TITLES.contains(toks[k - 1].low.as_ref()) {
        return Some(k);
    }
    None
}

/// The person a name run names ([`person_in_run`]): `(start, end)`. A run
/// that opens with a full name before `of` names that person, and after
/// it where the person works or comes from (`Ann Berg of Harbour Trust`,
/// `Governor Mark Carney of the Bank of England`; one run because names
/// take `of`, as in `Bank of England`, and the last name of a run is
/// otherwise its person). The name needs two words or more: `Secretary of
/// State John Kerry` names John Kerry.
fn person_of_run(toks: &[Tok], s: usize, e: usize, reg: &Registry) -> Option<(usize, usize)> {
    if let Some(of) = (s + 2..e).find(|&i| toks[i].w() == "of") {
        if let Some(k) = person_in_run(toks, s, of - 1, reg) {
            if of - k >= 2 {
                return Some((k, of - 1));
            }
        }
    }
    person_in_run(toks, s, e, reg).map(|k| (k, e))
}

/// Title words before a person's name in its run (`foreign`, `minister`),
/// or the role noun just before it (`spokesman Smith`).
fn titles_of(toks: &[Tok], s: usize, k: usize) -> Vec<String> {
    let mut v: Vec<String> = toks[s..k]
        .iter()
        .filter(|t| t.is_word())
        .map(|t| t.low.trim_end_matches('.').to_string())
        .collect();
    if v.is_empty() && k > 0 && toks[k - 1].is_word() && TITLES.contains(toks[k - 1].low.as_ref()) {
        v.push(toks[k - 1].low.to_string());
    }
    v
}

struct Ctx<'t, 'a> {
    text: &'t str,
    art: &'a Article,
    reg: Registry,
    skipped: Vec<Span>,
}

fn tok_text(text: &str, toks: &[Tok], a: usize, b: usize) -> String {
    clean(&text[toks[a].s..toks[b].e])
}

impl Ctx<'_, '_> {
    /// The person a `he`/`she` at `pos` refers to: the nearest person
    /// named before it in its own sentence; else, of the persons of the
    /// latest earlier sentence that names one, its speaker (a name beside
    /// a speech verb: `…, said Mr Clarke.`), else its first person not
    /// named as an owner (`Following Putin's speech, Shoigu spoke`), its
    /// subject more often than not (`Dementieva says that Dechy and
    /// herself are victims. “…,” she said.`).
    fn referent(&self, pos: usize) -> Option<String> {
        let reg = &self.reg;
        let persons = reg.persons();
        let i = persons.partition_point(|p| p.0 < pos);
        let last = persons.get(i.checked_sub(1)?)?.0;
        let start_of = |o: usize| {
            self.art
                .sentence_at(o)
                .map(|k| self.art.sentences[k].span.start)
        };
        let own = start_of(pos).unwrap_or(pos);
        let Some(start) = start_of(last).filter(|_| last < own) else {
            return reg.nearest_person(pos);
        };
        let first = persons[..i].partition_point(|p| p.0 < start);
        let cands = &persons[first..i];
        let text = self.text;
        let word_before = |p: usize| {
            text[..p]
                .trim_end()
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
        };
        // Where the name as written ends (a one-word name is registered
        // under its full name).
        let end_of = |p: usize, name: &str| {
            let t = text.get(p..).unwrap_or("");
            if t.starts_with(name) {
                p + name.len()
            } else {
                p + t
                    .find(|c: char| !c.is_alphanumeric() && c != '-')
                    .unwrap_or(t.len())
            }
        };
        let speaks = |(p, name, titles): &(usize, String, Vec<String>)| {
            // `said Clarke`, `said Mr Clarke`, `Clarke said`.
            let mut before = word_before(*p);
            if !titles.is_empty()
                || before.ends_with('.')
                || before.chars().next().is_some_and(char::is_uppercase)
            {
                let t = text[..*p].trim_end();
                let cut = t.len() - before.len();
                before = word_before(cut);
            }
            let after = text
                .get(end_of(*p, name)..)
                .unwrap_or("")
                .trim_start()
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            VERBS.contains_key(Low::of(before).as_ref())
                || VERBS.contains_key(Low::of(after).as_ref())
        };
        let owner = |(p, name, _): &(usize, String, Vec<String>)| {
            text.get(end_of(*p, name)..)
                .is_some_and(|t| t.starts_with("'s") || t.starts_with("\u{2019}s"))
        };
        let pick = cands
            .iter()
            .rev()
            .find(|c| speaks(c))
            .or_else(|| cands.iter().find(|c| !owner(c)))
            .or(cands.last())?;
        let (p, name, _) = pick;
        if pos - p > 4000 {
            return None;
        }
        Some(reg.canonical(name, *p).unwrap_or_else(|| name.clone()))
    }

    fn name_of(&self, toks: &[Tok], k: usize, e: usize) -> String {
        let name = tok_text(self.text, toks, k, e);
        if k == e {
            if let Some(full) = self.reg.canonical(&name, toks[k].s) {
                return full;
            }
        }
        name
    }

    /// Classify and resolve the noun phrase `toks[a..=b]`.
    fn classify(&self, toks: &[Tok], a: usize, b: usize) -> Option<Agent> {
        if a > b || b >= toks.len() {
            return None;
        }
        let written = tok_text(self.text, toks, a, b);
        let pos = toks[a].s;
        let words: Vec<&str> = toks[a..=b]
            .iter()
            .filter(|t| t.is_word())
            .map(|t| t.w())
            .collect();
        if words.is_empty() {
            return None;
        }
        // Pronoun.
        if a == b {
            if let Some(&class) = PRONOUNS.get(words[0]) {
                let resolved = match class {
                    "person" => self.referent(pos),
                    "thing" => self.reg.nearest_org(self.text, pos),
                    _ => None,
                };
                return Some(Agent {
                    speaker: resolved.unwrap_or_else(|| written.clone()),
                    written,
                    kind: AKind::Pronoun,
                    pos,
                });
            }
        }
        if words.iter().all(|w| {
            NATIONALITIES.contains(w) || fclass(w).is_some_and(|c| c == "det" || c == "time")
        }) {
            return None;
        }
        if let Some(last) = words.last() {
            if fclass(last).is_some() && !is_pronoun(last) && !is_name_month(toks, b) {
                return None;
            }
        }
        // A person named in the phrase.
        let mut person: Option<(usize, usize)> = None;
        let mut no_runs = true;
        for_cap_runs(toks, a, b, |s, e| {
            no_runs = false;
            if let Some(p) = person_of_run(toks, s, e, &self.reg) {
                person = Some(p);
            }
        });
        if let Some((k, e)) = person {
            return Some(Agent {
                speaker: self.name_of(toks, k, e),
                written,
                kind: AKind::Person,
                pos,
            });
        }
        let has_doc = words.iter().any(|w| DOCS.contains(w));
        // The head: the last word before an `of`/`for`/`in` complement,
        // through a quantifier (`one of the sources`, `a number of experts`).
        let chunk_head = |from: usize| -> usize {
            (from..=b)
                .find(|&k| {
                    k > from
                        && matches!(
                            toks[k].w(),
                            "of" | "for" | "in" | "from" | "on" | "with" | "at"
                        )
                })
                .map_or(b, |k| k - 1)
        };
        let mut head_idx = chunk_head(a);
        if QUANTIFIERS.contains(&toks[head_idx].w())
            && head_idx + 2 <= b
            && toks[head_idx + 1].w() == "of"
        {
            head_idx = chunk_head(head_idx + 2);
        }
        let head = toks[head_idx].low.trim_end_matches('.').to_string();
        let definite = matches!(words[0], "the" | "this" | "that" | "our" | "their" | "its")
            || (toks[a..=b].iter().any(|t| t.kind == Tk::Poss));
        let is_title =
            TITLES.contains(head.as_str()) || (words[0] == "the" && is_descriptor(&head));
        let plural = head.ends_with('s') && !head.ends_with("ss");
        if is_title && definite && !(plural && VAGUE.contains(head.as_str())) {
            let titled = self.reg.person_with_title(&head, pos);
            // `the official said`, `the source added`: the anonymous one
            // introduced before (`a senior official`), unless someone of
            // that title was named.
            if titled.is_none()
                && VAGUE.contains(head.as_str())
                && anonymous_before(self.text, &head, pos)
            {
                return Some(Agent {
                    speaker: written.clone(),
                    written,
                    kind: AKind::Vague,
                    pos,
                });
            }
            let resolved = titled.or_else(|| self.reg.nearest_person(pos));
            return Some(Agent {
                speaker: resolved.unwrap_or_else(|| written.clone()),
                written,
                kind: AKind::Role,
                pos,
            });
        }
        if VAGUE.contains(head.as_str()) {
            return Some(Agent {
                speaker: written.clone(),
                written,
                kind: AKind::Vague,
                pos,
            });
        }
        if is_title && (!toks[head_idx].cap || no_runs) {
            let resolved = if definite {
                self.reg
                    .person_with_title(&head, pos)
                    .or_else(|| self.reg.nearest_person(pos))
            } else {
                None
            };
            return Some(Agent {
                speaker: resolved.unwrap_or_else(|| written.clone()),
                written,
                kind: AKind::Role,
                pos,
            });
        }
        if has_doc {
            return Some(Agent {
                speaker: written.clone(),
                written,
                kind: AKind::Doc,
                pos,
            });
        }
        let kind = if no_runs { AKind::Other } else { AKind::Org };
        Some(Agent {
            speaker: written.clone(),
            written,
            kind,
            pos,
        })
    }
}

/// A singular noun that names a person by what they do (`underwriter`,
/// `lobbyist`, `economist`, `spokeswoman`), by its ending.
fn is_person_noun(w: &str) -> bool {
    w.len() > 4
        && ["er", "or", "ist", "ian", "man", "woman", "person"]
            .iter()
            .any(|e| w.ends_with(e))
}

/// How far back [`anonymous_before`] reads, in bytes.
const ANONYMOUS_LOOKBACK: usize = 4000;

/// Whether the text before `pos` introduces someone by `head` without a
/// name: `a senior official`, `one of the officials`, `another source`
/// (an indefinite word at most four words before `head` or its plural).
fn anonymous_before(text: &str, head: &str, pos: usize) -> bool {
    let mut from = pos.saturating_sub(ANONYMOUS_LOOKBACK).min(pos);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let words: Vec<&str> = text[from..pos]
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        let low = super::lower::Lower::of(w);
        let low: &str = &low;
        (low == head || low.strip_suffix('s') == Some(head))
            && words[i.saturating_sub(4)..i].iter().any(|p| {
                matches!(
                    &*super::lower::Lower::of(p),
                    "a" | "an" | "one" | "another" | "some" | "several"
                )
            })
    })
}

/// An adverb by its ending (`repeatedly`), not a noun in -ly (`rally`).
fn is_adverb(w: &str) -> bool {
    const NOUNS: &[&str] = &[
        "family",
        "rally",
        "ally",
        "assembly",
        "supply",
        "monopoly",
        "anomaly",
        "reply",
        "italy",
        "july",
        "bully",
        "belly",
        "holly",
        "jelly",
        "folly",
        "lily",
        "emily",
        "kelly",
        "sally",
        "daily",
        "weekly",
        "monthly",
        "quarterly",
        "fly",
    ];
    w.ends_with("ly") && w.len() > 3 && !NOUNS.contains(&w)
}

/// A speech or report verb form that is not a bare lemma (`said`, `asked`,
/// `tells`), for the quote scanner's look-ahead.
pub(crate) fn is_speech_verb(w: &str) -> bool {
    VERBS
        .get(w)
        .is_some_and(|f| !f.bare && !f.participle && f.strength != Strength::Doc)
}

/// A word that is a noun of the cue lexicons (document, role, vague agent).
fn nounish(t: &Tok) -> bool {
    t.is_word() && {
        let w = t.low.as_ref();
        DOCS.contains(w) || VAGUE.contains(w) || TITLES.contains(w) && fclass(w).is_none()
    }
}

fn is_content_word(t: &Tok) -> bool {
    if t.is_word() {
        let w = t.low.as_ref();
        if DOCS.contains(w) || VAGUE.contains(w) || TITLES.contains(w) && fclass(w).is_none() {
            return true;
        }
    }
    t.is_word()
        && fclass(&t.low).is_none()
        && !VERBS.contains_key(t.low.as_ref())
        && (t.cap || !is_adverb(&t.low))
}

/// Noun phrase ending at token `j` (inclusive), extending left.
fn np_left(toks: &[Tok], j: usize, lo: usize) -> Option<(usize, usize)> {
    let t = toks.get(j)?;
    if t.is_word() && is_pronoun(t.low.as_ref()) {
        return Some((j, j));
    }
    if !(is_content_word(t) || (t.is_word() && t.cap && fclass(&t.low) != Some("det"))) {
        return None;
    }
    if !t.cap && fclass(&t.low).is_some() {
        return None;
    }
    let mut k = j;
    let mut lower = 0;
    while k > lo && j - k < 14 {
        let p = &toks[k - 1];
        match p.kind {
            Tk::Poss | Tk::Num => {
                k -= 1;
                continue;
            }
            Tk::Word => {}
            _ => break,
        }
        let w = p.low.as_ref();
        if let Some(class) = fclass(w).filter(|_| !(p.cap && w == "time")) {
            if class == "det" {
                // `of the Defense`: keep going through an internal preposition.
                if k >= lo + 3
                    && (matches!(toks[k - 2].w(), "of" | "for")
                        && (is_content_word(&toks[k - 3]) || toks[k - 3].cap)
                        || matches!(toks[k - 2].w(), "in" | "from" | "on" | "at" | "about")
                            && (toks[k - 3].cap || nounish(&toks[k - 3])))
                {
                    k -= 2;
                    continue;
                }
                k -= 1;
                break;
            }
            if matches!(w, "of" | "for" | "in" | "from" | "on" | "at")
                && k >= lo + 2
                && (toks[k].cap || toks[k].kind == Tk::Num || !toks[k].is_word())
                && (is_content_word(&toks[k - 2]) || toks[k - 2].cap)
                && w != "on"
            {
                k -= 1;
                continue;
            }
            if w == "of"
                && k >= lo + 2
                && (is_content_word(&toks[k - 2]) || toks[k - 2].w() == "one")
            {
                // `sources of Kommersant`, `one of the informed sources`
                k -= 1;
                continue;
            }
            if w == "one" {
                k -= 1;
                continue;
            }
            if w == "and" && toks[k].cap && k >= lo + 2 && toks[k - 2].cap && toks[k - 2].is_word()
            {
                k -= 1;
                continue;
            }
            break;
        }
        if is_pronoun(w) || (VERBS.contains_key(w) && !p.cap && !is_content_word(p)) {
            break;
        }
        if !p.cap {
            if is_adverb(w) || w.ends_with("ing") {
                break;
            }
            lower += 1;
            if lower > 4 {
                break;
            }
        }
        k -= 1;
    }
    // Never start on a preposition.
    while k < j && toks[k].is_word() && fclass(&toks[k].low).is_some_and(|c| c != "det") {
        k += 1;
    }
    Some((k, j))
}

/// Noun phrase starting at token `j`, extending right.
fn np_right(toks: &[Tok], j: usize, hi: usize) -> Option<(usize, usize)> {
    let mut k = j;
    if k >= hi {
        return None;
    }
    if toks[k].is_word() && is_pronoun(toks[k].low.as_ref()) {
        return Some((k, k));
    }
    // Determiners and numbers at the start.
    while k < hi
        && (toks[k].w() == "the" || fclass(toks[k].w()) == Some("det") || toks[k].kind == Tk::Num)
    {
        k += 1;
    }
    if k >= hi || !(is_content_word(&toks[k]) || toks[k].cap) || !toks[k].is_word() {
        // `one of the informed sources`
        if k < hi && toks[k].w() == "one" {
        } else {
            return None;
        }
    }
    let mut e = k;
    let mut lower = 0;
    let mut m = k;
    while m < hi && m - j < 14 {
        let t = &toks[m];
        match t.kind {
            Tk::Poss | Tk::Num => {
                e = m;
                m += 1;
                continue;
            }
            Tk::Word => {}
            _ => break,
        }
        let w = t.low.as_ref();
        if m > k && matches!(w, "of" | "for" | "from" | "in" | "and" | "at") {
            let mut n = m + 1;
            while n < hi && fclass(toks[n].w()) == Some("det") {
                n += 1;
            }
            if n < hi
                && toks[n].is_word()
                && (toks[n].cap || (w == "of" && is_content_word(&toks[n])))
                && (w != "and" || toks[m - 1].cap)
            {
                m = n;
                continue;
            }
            break;
        }
        if fclass(w).is_some() && !(m == k && w == "one") {
            break;
        }
        if is_pronoun(w) || (VERBS.contains_key(w) && !t.cap && !is_content_word(t)) {
            break;
        }
        if !t.cap {
            if is_adverb(w) || ((w.ends_with("ed") || w.ends_with("ing")) && m > k) {
                break;
            }
            lower += 1;
            if lower > 4 {
                break;
            }
        }
        e = m;
        m += 1;
    }
    Some((j, e))
}

/// When the token before `j` closes a short bracketed aside (`(RSO)`, a
/// ticker, `(D-Tenn.)`: at most five tokens, no punctuation but `-`, `.`,
/// `&`, `/`), the index of its opening bracket, which is past `lo`.
fn bracket_before(toks: &[Tok], j: usize, lo: usize) -> Option<usize> {
    if j <= lo + 2 || toks[j - 1].punct() != Some(')') {
        return None;
    }
    (lo..j - 1)
        .rev()
        .take(6)
        .take_while(|&m| {
            toks[m]
                .punct()
                .is_none_or(|c| matches!(c, '(' | '-' | '.' | '&' | '/'))
        })
        .find(|&m| toks[m].punct() == Some('('))
        .filter(|&m| m > lo && m + 1 < j - 1)
}

/// After a document's noun phrase ending at token `b`, a `published by
/// X` (`released`, `compiled`, `issued`, `provided`, `prepared`): the
/// last token of X.
fn published_by(toks: &[Tok], b: usize, hi: usize) -> Option<usize> {
    let verb = toks.get(b + 1)?;
    if !matches!(
        verb.w(),
        "published" | "released" | "compiled" | "issued" | "provided" | "prepared" | "produced"
    ) || toks.get(b + 2)?.w() != "by"
    {
        return None;
    }
    np_right(toks, b + 3, hi).map(|(_, e)| e)
}

/// Whether a document agent with a complement is plural by its head
/// (`figures from the Harbour Board`, `data of the agency`): a present
/// tense verb without `-s` agrees with it (`… show`).
fn plural_doc_head(written: &str) -> bool {
    written
        .split_whitespace()
        .zip(written.split_whitespace().skip(1))
        .find(|(_, next)| matches!(*next, "from" | "by" | "of"))
        .is_some_and(|(head, _)| {
            let h = head.to_ascii_lowercase();
            DOCS.contains(h.as_str()) && (h.ends_with('s') && !h.ends_with("ss") || h == "data")
        })
}

fn is_be(w: &str) -> bool {
    matches!(
        w,
        "is" | "are" | "was" | "were" | "be" | "been" | "being" | "am" | "'s"
    )
}

impl Ctx<'_, '_> {
    /// The subject of the verb at token `i`.
    fn left_agent(&self, toks: &[Tok], i: usize, lo: usize) -> Option<Agent> {
        let mut j = i;
        // Skip adverbs, auxiliaries, negation, time phrases, catenatives.
        loop {
            if j <= lo {
                return None;
            }
            let t = &toks[j - 1];
            let w = t.w();
            let class = fclass(w);
            if t.is_word() && matches!(class, Some("adv") | Some("aux") | Some("neg")) && !t.cap
                || (t.is_word() && is_adverb(w) && !t.cap && !VERBS.contains_key(w))
            {
                j -= 1;
                continue;
            }
            if t.is_word() && w == "to" && j >= lo + 2 && CATENATIVES.contains(&toks[j - 2].w()) {
                j -= 2;
                continue;
            }
            if t.is_word() && w == "and" && j >= lo + 2 && VERBS.contains_key(toks[j - 2].w()) {
                // `spoke and revealed`
                j -= 2;
                continue;
            }
            if (t.kind == Tk::Num || class == Some("time")) && j > lo {
                // `on Monday`, `in 2014`, `last week`, `at the time`, `on October 18`
                let mut m = j - 1;
                while m > lo
                    && (toks[m - 1].kind == Tk::Num
                        || fclass(toks[m - 1].w()) == Some("time")
                        || toks[m - 1].punct() == Some(','))
                    && toks[m - 1].punct().is_none()
                {
                    m -= 1;
                }
                if m > lo && toks[m - 1].w() == "the" {
                    m -= 1;
                }
                if m > lo
                    && matches!(
                        toks[m - 1].w(),
                        "on" | "in" | "at" | "last" | "this" | "next" | "earlier" | "later"
                    )
                {
                    m -= 1;
                    j = m;
                    continue;
                }
                if matches!(toks[m].w(), "last" | "next" | "this" | "earlier" | "later") {
                    j = m;
                    continue;
                }
                if matches!(w, "today" | "yesterday" | "tonight") {
                    j -= 1;
                    continue;
                }
                break;
            }
            // `the Road Safety Office (RSO) said`: a short bracketed
            // aside (an acronym, a ticker) after the subject.
            if let Some(m) = bracket_before(toks, j, lo) {
                j = m;
                continue;
            }
            // `, however,`
            if t.punct() == Some(',')
                && j >= lo + 3
                && fclass(toks[j - 2].w()) == Some("adv")
                && toks[j - 3].punct() == Some(',')
            {
                j -= 3;
                continue;
            }
            break;
        }
        let t = &toks[j - 1];
        if t.punct() == Some(',') {
            return self.apposition_agent(toks, j - 1, lo);
        }
        if t.is_word() && matches!(t.w(), "who" | "which" | "that") {
            let mut k = j - 1;
            if k > lo && toks[k - 1].punct() == Some(',') {
                k -= 1;
            }
            if k > lo && t.w() != "that"
                || (t.w() == "that"
                    && k > lo
                    && toks[k - 1].is_word()
                    && !VERBS.contains_key(toks[k - 1].w()))
            {
                let (a, b) = np_left(toks, k - 1, lo)?;
                return self.classify(toks, a, b);
            }
            return None;
        }
        if t.kind == Tk::Poss {
            return None;
        }
        let (a, b) = np_left(toks, j - 1, lo)?;
        // `a survey by the Osland Institute found`: the document and
        // whose it is, one agent (`figures from X` is one noun phrase
        // already).
        if a >= lo + 2
            && matches!(toks[a - 1].w(), "by" | "of")
            && toks[a - 2].is_word()
            && DOCS.contains(toks[a - 2].low.trim_end_matches('.'))
        {
            if let Some(doc) = np_left(toks, a - 2, lo)
                .and_then(|(d, _)| self.classify(toks, d, b))
                .filter(|g| g.kind == AKind::Doc)
            {
                return Some(doc);
            }
        }
        let agent = self.classify(toks, a, b)?;
        // `Kenneth Leung, a Smith Barney analyst said`: a descriptor of one
        // person (a role, not `the agency`, `his family` nor `bankers`) is
        // the person's before the comma.
        let one_role = matches!(agent.kind, AKind::Role | AKind::Vague | AKind::Other)
            && !matches!(
                toks[a].w(),
                "the" | "his" | "her" | "its" | "their" | "our" | "my" | "your"
            )
            && {
                let head = toks[b].low.as_ref();
                !head.ends_with('s') || head.ends_with("ss")
            };
        if one_role && a > lo + 1 && toks[a - 1].punct() == Some(',') {
            if let Some(p) = self
                .apposition_agent(toks, a - 1, lo)
                .filter(|p| p.kind == AKind::Person)
            {
                return Some(p);
            }
        }
        Some(agent)
    }

    /// `X, a title of Y, said`: the person among comma-separated segments,
    /// else the leftmost noun phrase.
    fn apposition_agent(&self, toks: &[Tok], comma: usize, lo: usize) -> Option<Agent> {
        let mut end = comma; // exclusive end of the current segment
        let mut best_np: Option<Agent> = None;
        for _ in 0..5 {
            // `… Agency Ltd (OCRA), said`: a short bracketed aside ends
            // the segment before it.
            if let Some(open) = bracket_before(toks, end, lo) {
                end = open;
            }
            let mut s = end;
            while s > lo
                && toks[s - 1].punct().is_none()
                && !matches!(toks[s - 1].kind, Tk::Quote(_))
            {
                s -= 1;
            }
            if s == end {
                break;
            }
            let mut a = s;
            while a < end && matches!(toks[a].w(), "and" | "but" | "while" | "as") {
                a += 1;
            }
            if a < end {
                let first = toks[a].w();
                let phrase_like = fclass(first).is_some_and(|c| {
                    c == "prep" || c == "conj" || c == "adv" || c == "time" || c == "rel"
                }) || (first.ends_with("ing") && !toks[a].cap)
                    || first.ends_with("ing") && VERBS.contains_key(first)
                    || toks[a..end]
                        .iter()
                        .any(|t| t.is_word() && !t.cap && VERBS.contains_key(t.w()));
                if !phrase_like {
                    if let Some((x, y)) = np_left(toks, end - 1, a) {
                        if x == a {
                            if let Some(ag) = self.classify(toks, x, y) {
                                if matches!(ag.kind, AKind::Person | AKind::Pronoun) {
                                    return Some(ag);
                                }
                                best_np = Some(ag);
                            }
                        }
                    }
                }
            }
            if s <= lo || toks[s - 1].punct() != Some(',') {
                break;
            }
            end = s - 1;
        }
        best_np
    }

    /// Cues of a token list, with their agents.
    fn cues(&self, toks: &[Tok], lo: usize, hi: usize) -> Vec<Cue> {
        let mut out: Vec<Cue> = Vec::new();
        let mut participles: Vec<(usize, usize, String, Strength, bool)> = Vec::new();
        let mut i = lo;
        while i < hi {
            let t = &toks[i];
            if !t.is_word() {
                i += 1;
                continue;
            }
            let w = t.low.as_ref();
            if !CUE_WORDS.may_contain(w) {
                i += 1;
                continue;
            }
            // Phrases first.
            let mut matched = None;
            if let Some(list) = PHRASES.get(w) {
                for (words, kind) in list {
                    if i + words.len() <= hi
                        && words
                            .iter()
                            .enumerate()
                            .all(|(k, pw)| toks[i + k].w() == *pw)
                    {
                        matched = Some((words.len(), *kind));
                        break;
                    }
                }
            }
            if let Some((n, kind)) = matched {
                let end = i + n - 1;
                let text = tok_text(self.text, toks, i, end);
                let agent = match kind {
                    PhraseKind::Prep | PhraseKind::Name => {
                        if toks.get(end + 1).is_some_and(|t| t.w() == "which") {
                            self.antecedent_document(toks, i, lo)
                        } else {
                            np_right(toks, end + 1, hi).and_then(|(a, b)| {
                                if kind == PhraseKind::Name && !toks[a].cap {
                                    return None;
                                }
                                // `according to figures published by the
                                // Statistics Office`: whose the document is
                                // belongs to the source.
                                let b = published_by(toks, b, hi).unwrap_or(b);
                                self.classify(toks, a, b)
                            })
                        }
                    }
                    PhraseKind::Verb => self
                        .left_agent(toks, i, lo)
                        .or_else(|| self.inverted_agent(toks, i, end, lo, hi)),
                    PhraseKind::Hearsay(who) => Some(Agent {
                        written: text.clone(),
                        speaker: who.to_string(),
                        kind: AKind::Vague,
                        pos: toks[i].s,
                    }),
                };
                if let Some(agent) = agent {
                    out.push(Cue {
                        at: i,
                        end,
                        text,
                        agent,
                        strength: Strength::Strong,
                        bound: true,
                    });
                }
                i = end + 1;
                continue;
            }
            let Some(&form) = VERBS.get(w) else {
                i += 1;
                continue;
            };
            // Noun uses: `the claims`, `his remarks`, `latest reports`.
            if i > lo {
                let p = &toks[i - 1];
                let pw = p.w();
                // A past form is no noun: after a noun that can speak or a
                // name it is the verb (`an official said`, `the media
                // reported`, `Gulf and Western said`).
                // (Read only after a noun maker: this runs at every cue.)
                let past_after_agent = || {
                    !form.third_person
                        && !form.bare
                        && (p.cap
                            || VAGUE.contains(pw)
                            || TITLES.contains(pw)
                            || ORG_WORDS.contains(pw))
                };
                if fclass(pw) == Some("det")
                    || NOUN_MAKERS.contains(&pw) && !past_after_agent()
                    || p.kind == Tk::Poss
                {
                    i += 1;
                    continue;
                }
                // A clause after a singular noun makes the form its verb
                // (`a new book claims the firm ...`, `the study finds
                // that ...`), not a compound (`budget estimates were`).
                let clause_after = || {
                    let singular = !pw.ends_with('s') || pw.ends_with("ss");
                    // A determined noun phrase (`the union`, `a new book`,
                    // `Sanwa Bank's plan`), not a bare compound (`zero
                    // coupon notes that`, `newspaper reports that`).
                    let determined = (2..=3).any(|back| {
                        i >= lo + back && {
                            let t = &toks[i - back];
                            t.kind == Tk::Poss || fclass(t.w()) == Some("det")
                        }
                    });
                    singular
                        && determined
                        && toks.get(i + 1).is_some_and(|n| {
                            n.is_word()
                                && matches!(
                                    n.w(),
                                    "that"
                                        | "the"
                                        | "a"
                                        | "an"
                                        | "its"
                                        | "his"
                                        | "her"
                                        | "their"
                                        | "it"
                                        | "he"
                                        | "she"
                                        | "they"
                                        | "we"
                                )
                        })
                };
                if form.third_person
                    && NOUNISH.contains(&w)
                    && p.is_word()
                    && (!p.cap || NATIONALITIES.contains(pw))
                    && is_content_word(p)
                    && !VAGUE.contains(pw)
                    && !clause_after()
                {
                    // `policy statements`, `budget estimates`
                    if !is_pronoun(pw) {
                        i += 1;
                        continue;
                    }
                }
            }
            // `That said,`
            if w == "said"
                && i > lo
                && toks[i - 1].w() == "that"
                && toks.get(i + 1).and_then(|t| t.punct()) == Some(',')
            {
                i += 1;
                continue;
            }
            // `so-called` is one word; `called` before a quotation after a
            // common noun is a designation, handled by the caller.
            let mut end = i;
            // Particles: `summed up`, `pointed out`.
            if toks
                .get(i + 1)
                .is_some_and(|t| matches!(t.w(), "up" | "out"))
            {
                end = i + 1;
            }
            let next = toks.get(end + 1);
            let bound = next.is_none_or(|n| {
                matches!(n.kind, Tk::Quote(_) | Tk::Punct(_))
                    || matches!(n.w(), "that" | "how" | "it" | "this")
            });
            let text = tok_text(self.text, toks, i, end);
            if form.participle && !w.starts_with("being") {
                participles.push((i, end, text, form.strength, bound));
                i = end + 1;
                continue;
            }
            // Passive: `was told by X`, `as noted by X`, `is said to`.
            let mut b = i;
            while b > lo && fclass(toks[b - 1].w()) == Some("adv") {
                b -= 1;
            }
            if in_conditional(toks, i, lo) {
                i = end + 1;
                continue;
            }
            let passive = b > lo
                && (is_be(toks[b - 1].w())
                    || (toks[b - 1].w() == "as"
                        && (w.ends_with("ed")
                            || matches!(w, "said" | "told" | "written" | "shown" | "found"))))
                && !form.participle;
            let agent = if passive {
                self.passive_agent(toks, end, hi)
            } else {
                self.left_agent(toks, i, lo)
                    .or_else(|| self.inverted_agent(toks, i, end, lo, hi))
            };
            let agent = agent.filter(|a| {
                (form.strength != Strength::Doc || matches!(a.kind, AKind::Doc))
                    && (!form.bare
                        || form.past
                            && !toks.get(end + 1).is_some_and(|t| {
                                matches!(
                                    t.w(),
                                    "of" | "for" | "is" | "was" | "are" | "were" | "has" | "had"
                                )
                            })
                        || passive
                        || (b > lo
                            && matches!(
                                toks[b - 1].w(),
                                "to" | "will"
                                    | "would"
                                    | "can"
                                    | "could"
                                    | "may"
                                    | "might"
                                    | "must"
                                    | "shall"
                                    | "should"
                                    | "do"
                                    | "does"
                                    | "did"
                            ))
                        || matches!(a.kind, AKind::Pronoun | AKind::Vague)
                        || a.written.ends_with('s')
                        || a.kind == AKind::Doc && plural_doc_head(&a.written))
            });

            if let Some(agent) = agent {
                out.push(Cue {
                    at: i,
                    end,
                    text,
                    agent,
                    strength: form.strength,
                    bound: bound || passive,
                });
            }
            i = end + 1;
        }
        // Participles (`saying`, `noting:`) take the clause subject.
        for (at, end, text, strength, bound) in participles {
            let agent = self
                .quoted_as_saying(toks, at, lo)
                .or_else(|| {
                    out.iter()
                        .filter(|c| c.at < at)
                        .min_by_key(|c| at - c.at)
                        .map(|c| c.agent.clone())
                })
                .or_else(|| self.clause_subject(toks, at, lo));
            if let Some(agent) = agent {
                out.push(Cue {
                    at,
                    end,
                    text,
                    agent,
                    strength,
                    bound,
                });
            }
        }
        out.sort_by_key(|c| c.at);
        out
    }

    /// `the paper quoted Prince Harald as saying`, `cited him as saying`:
    /// the speaker of the participle at `at` is the one quoted, not the
    /// clause subject that quotes them.
    fn quoted_as_saying(&self, toks: &[Tok], at: usize, lo: usize) -> Option<Agent> {
        if at < lo + 3 || toks[at - 1].w() != "as" {
            return None;
        }
        let b = at - 2;
        let mut a = b;
        while a > lo && b - a < 6 {
            if matches!(
                toks[a - 1].w(),
                "quoted" | "quotes" | "quoting" | "cited" | "cites" | "citing"
            ) {
                return self.classify(toks, a, b).filter(|ag| {
                    matches!(
                        ag.kind,
                        AKind::Person | AKind::Pronoun | AKind::Role | AKind::Org
                    )
                });
            }
            let t = &toks[a - 1];
            if !t.is_word() && t.kind != Tk::Poss {
                return None;
            }
            a -= 1;
        }
        None
    }

    /// `said X`, `added Andrei Kortunov`: an inverted verb after a quotation,
    /// a comma or at the start of a clause.
    fn inverted_agent(
        &self,
        toks: &[Tok],
        i: usize,
        end: usize,
        lo: usize,
        hi: usize,
    ) -> Option<Agent> {
        let before_ok = i == lo
            || matches!(
                toks[i - 1].kind,
                Tk::Quote(_) | Tk::Punct(',') | Tk::Punct('–') | Tk::Punct(':')
            )
            || toks[i - 1].w() == "as";
        if !before_ok {
            return None;
        }
        let (a, b) = np_right(toks, end + 1, hi)?;
        let ag = self.classify(toks, a, b)?;
        // A common noun phrase (`said the magazine`) is the agent when it
        // ends the clause, or a time or place follows; not when a verb
        // does (`, said the move would fail`: a clause).
        let ends_clause = || {
            toks.get(b + 1).is_none_or(|t| {
                t.punct().is_some()
                    || matches!(t.kind, Tk::Quote(_))
                    || matches!(
                        t.w(),
                        "on" | "in"
                            | "at"
                            | "today"
                            | "yesterday"
                            | "last"
                            | "this"
                            | "after"
                            | "when"
                            | "as"
                            | "who"
                            | "which"
                            | "and"
                    )
                    // `said an underwriter with a Wall Street house`: a
                    // person's noun after `said`, not an object (`claimed
                    // the title with a throw`).
                    || matches!(t.w(), "with" | "from" | "for")
                        && matches!(toks[i].w(), "said" | "says")
                        && fclass(toks[a].w()) == Some("det")
                        && is_person_noun(toks[b].w())
            })
        };
        (matches!(
            ag.kind,
            AKind::Person | AKind::Pronoun | AKind::Org | AKind::Role | AKind::Vague | AKind::Doc
        ) || ag.kind == AKind::Other && ends_clause())
        .then_some(ag)
    }

    /// The agent of a passive cue: `by X`, or `on X's website`.
    fn passive_agent(&self, toks: &[Tok], end: usize, hi: usize) -> Option<Agent> {
        let limit = (end + 12).min(hi);
        let mut m = end + 1;
        while m < limit {
            if toks[m].punct().is_some_and(|c| c != ',') || matches!(toks[m].kind, Tk::Quote(_)) {
                break;
            }
            if toks[m].w() == "by" {
                // `by the press secretary of X Y`
                let (a, b) = np_right(toks, m + 1, hi)?;
                return self.classify(toks, a, b);
            }
            if matches!(toks[m].w(), "on" | "in") {
                if let Some((a, b)) = np_right(toks, m + 1, hi) {
                    if toks[a..=b].iter().any(|t| {
                        matches!(
                            t.w(),
                            "website"
                                | "site"
                                | "statement"
                                | "twitter"
                                | "blog"
                                | "page"
                                | "channel"
                                | "report"
                                | "account"
                        )
                    }) {
                        return self.classify(toks, a, b);
                    }
                }
            }
            m += 1;
        }
        None
    }

    /// `according to which`: the document named before it in the sentence.
    fn antecedent_document(&self, toks: &[Tok], i: usize, lo: usize) -> Option<Agent> {
        let mut j = i;
        while j > lo {
            j -= 1;
            let t = &toks[j];
            let w = t.low.trim_end_matches('.');
            if t.is_word()
                && (DOCS.contains(w)
                    || (t.cap
                        && matches!(w, "act" | "treaty" | "agreement" | "charter" | "accord")))
            {
                let (a, b) = np_left(toks, j, lo)?;
                let mut ag = self.classify(toks, a, b)?;
                ag.kind = AKind::Doc;
                return Some(ag);
            }
        }
        None
    }

    /// The subject of the clause holding token `at`: the first noun phrase
    /// after the clause start (a colon or semicolon, or the sentence start),
    /// skipping an introductory phrase that ends with a comma.
    fn clause_subject(&self, toks: &[Tok], at: usize, lo: usize) -> Option<Agent> {
        let mut start = lo;
        for k in (lo..at).rev() {
            if matches!(toks[k].punct(), Some(':') | Some(';'))
                || matches!(toks[k].kind, Tk::Quote(_))
            {
                start = k + 1;
                break;
            }
        }
        // Skip `In 2021,` / `Last month,` / `Following X,`
        let mut s = start;
        if s < at {
            let first = toks[s].w();
            if fclass(first)
                .is_some_and(|c| c == "prep" || c == "adv" || c == "time" || c == "conj")
                || first.ends_with("ing")
            {
                if let Some(c) = (s..at).find(|&k| toks[k].punct() == Some(',')) {
                    s = c + 1;
                }
            }
        }
        let mut e = s;
        while e < at && toks[e].is_word() && fclass(toks[e].w()) == Some("det") {
            e += 1;
        }
        if e >= at {
            return None;
        }
        let (a, b) = np_right(toks, s, at)?;
        let ag = self.classify(toks, a, b)?;
        (ag.kind != AKind::Other || b > a).then_some(ag)
    }
}

// ---------------------------------------------------------------------------
// The sieve
// ---------------------------------------------------------------------------

/// A tokenised range with its cues. A sentence's cues are computed on
/// first use (most sentences never need theirs), with the registry limited
/// to what was registered up to that sentence (`mark`).
struct Piece<'p, 't> {
    /// Borrowed from the article's [`SentenceTokens`], or owned (a range
    /// of several sentences, a memo's tokens).
    toks: Cow<'p, [Tok<'t>]>,
    cues: OnceCell<Vec<Cue>>,
    mark: (usize, usize),
}

/// An empty token vector kept between analyses of one document, so that
/// the next analysis fills the room the last one had (see
/// `analysis::AnalysisCache`). Tokens borrow their text, so only the room
/// is kept: the vector is emptied on the way in and out.
#[derive(Default)]
pub struct TokenBuffer(Vec<Tok<'static>>);

impl TokenBuffer {
    fn take<'t>(&mut self) -> Vec<Tok<'t>> {
        recycle(std::mem::take(&mut self.0))
    }

    fn put(&mut self, toks: Vec<Tok<'_>>) {
        self.0 = recycle(toks);
    }
}

/// `toks` emptied, as a vector of tokens of another text. Collecting an
/// emptied vector's own iterator into an element type of the same layout
/// reuses its allocation (the standard library's in-place collection).
fn recycle<'a>(mut toks: Vec<Tok<'_>>) -> Vec<Tok<'a>> {
    toks.clear();
    toks.into_iter().map(|_| unreachable!("emptied")).collect()
}

/// The tokens of every sentence, in one vector (one allocation instead of
/// one per sentence).
struct SentenceTokens<'t> {
    toks: Vec<Tok<'t>>,
    /// Sentence `i` is `toks[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<usize>,
}

impl<'t> SentenceTokens<'t> {
    /// Exactly [`tokenize`] of each sentence, with the holes and skipped
    /// regions [`sieve`] uses.
    /// `toks`: an empty vector whose room is reused.
    fn new(text: &'t str, art: &Article, mut toks: Vec<Tok<'t>>) -> SentenceTokens<'t> {
        let holes = top_level_holes(art);
        let skipped = sorted_skips(art);
        // What `tokenize_into` reserves for each sentence, reserved once
        // (growing by doubling would copy the tokens again and again).
        let room = art.sentences.iter().map(|s| s.span.len() / 5 + 1).sum();
        toks.reserve(room);
        let mut ends = Vec::with_capacity(art.sentences.len());
        for s in &art.sentences {
            tokenize_into(text, s.span.clone(), &holes, &skipped, &mut toks);
            ends.push(toks.len());
        }
        SentenceTokens { toks, ends }
    }

    fn sentence(&self, i: usize) -> &[Tok<'t>] {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p]);
        &self.toks[start..self.ends[i]]
    }
}

impl Piece<'_, '_> {
    fn cues(&self, ctx: &Ctx) -> &[Cue] {
        self.cues.get_or_init(|| {
            ctx.reg.limit.set(self.mark);
            let cues = ctx.cues(&self.toks, 0, self.toks.len());
            ctx.reg.limit.set(NO_LIMIT);
            cues
        })
    }
}

fn top_level_holes(art: &Article) -> Vec<(Span, usize)> {
    art.quotations
        .iter()
        .enumerate()
        .filter(|(_, q)| q.nested_in.is_none())
        .map(|(i, q)| (q.outer.clone(), i))
        .collect()
}

fn sorted_skips(art: &Article) -> Vec<Span> {
    let mut s = art.skipped.clone();
    s.sort_by_key(|x| x.start);
    s
}

impl<'t> Ctx<'t, '_> {
    fn piece<'p>(&self, range: Span, holes: &[(Span, usize)]) -> Piece<'p, 't> {
        let toks = tokenize(self.text, range, holes, &self.skipped);
        let cues = OnceCell::from(self.cues(&toks, 0, toks.len()));
        Piece {
            toks: Cow::Owned(toks),
            cues,
            mark: NO_LIMIT,
        }
    }

    /// Fill the registry from the sentences `range` (top-level tokens).
    fn register(&mut self, sentences: std::ops::Range<usize>, holes: &[(Span, usize)]) {
        for si in sentences {
            let span = self.art.sentences[si].span.clone();
            let toks = tokenize(self.text, span, holes, &self.skipped);
            self.register_toks(&toks);
        }
    }

    /// [`Ctx::register_toks`] for the sentence at `base`, or what it added
    /// the last time, when that is sure to be the same.
    fn register_memo(&mut self, toks: &[Tok], rec: &mut SentenceRec, base: usize) {
        let before = (self.reg.persons_hash, self.reg.persons.len());
        if let Some(r) = rec.reg.as_ref().filter(|r| r.before == before) {
            for (p, name, titles) in &r.persons {
                self.reg.add_person(base + p, name.clone(), titles.clone());
            }
            self.reg
                .orgs
                .extend(r.orgs.iter().map(|o| base + o.start..base + o.end));
            return;
        }
        let (np, no) = (self.reg.persons.len(), self.reg.orgs.len());
        self.register_toks(toks);
        rec.reg = Some(RegRec {
            before,
            persons: self.reg.persons[np..]
                .iter()
                .map(|(p, name, titles)| (p.saturating_sub(base), name.clone(), titles.clone()))
                .collect(),
            orgs: self.reg.orgs[no..]
                .iter()
                .map(|o| o.start.saturating_sub(base)..o.end.saturating_sub(base))
                .collect(),
        });
    }

    /// Record the people and organisations named in one sentence's tokens.
    /// A line in capitals (a wire headline: `GDP UP 5.7 PCT, CENTRAL BANK
    /// SAYS`) names nothing reliably: every word is capitalised, so its
    /// runs are no names, and a later `it said` must not mean them.
    fn register_toks(&mut self, toks: &[Tok]) {
        let mut words = toks.iter().filter(|t| t.is_word() && t.e - t.s >= 2);
        let shouting = words.clone().count() >= 3 && words.all(|t| t.acro);
        if shouting {
            return;
        }
        {
            for_cap_runs(toks, 0, toks.len().saturating_sub(1), |s, run_end| {
                if let Some((k, e)) = person_of_run(toks, s, run_end, &self.reg) {
                    if e < run_end {
                        // `… of Harbour Trust`: the organisation after the name.
                        let org = (e + 2..=run_end).find(|&i| toks[i].w() != "the");
                        if let Some(o) = org {
                            self.reg.orgs.push(toks[o].s..toks[run_end].e);
                        }
                    }
                    let titles = titles_of(toks, s, k);
                    let name = tok_text(self.text, toks, k, e);
                    let name = if k == e {
                        self.reg.canonical(&name, toks[k].s).unwrap_or(name)
                    } else {
                        name
                    };
                    self.reg.add_person(toks[k].s, name, titles);
                } else {
                    let e = run_end;
                    let first = &toks[s];
                    // Sentence-initial ordinary words are not organisations,
                    // nor are nationality adjectives.
                    if (s == 0 && e == s && !first.acro)
                        || toks[s..=e]
                            .iter()
                            .all(|t| NATIONALITIES.contains(t.low.as_ref()) || !t.is_word())
                    {
                        return;
                    }

                    self.reg.orgs.push(first.s..toks[e].e);
                }
            });
        }
    }
}

fn new_ctx<'t, 'a>(
    text: &'t str,
    art: &'a Article,
    sentences: std::ops::Range<usize>,
) -> Ctx<'t, 'a> {
    let mut ctx = Ctx {
        text,
        art,
        reg: Registry::default(),
        skipped: sorted_skips(art),
    };
    let holes = top_level_holes(art);
    ctx.register(sentences, &holes);
    ctx
}

/// The speaker a sentence's own last cue sets (outside quotations: a
/// sentence with quotations only when its last cue is not its first token).
fn sentence_cue_tie(
    ctx: &Ctx,
    pieces: &[Piece],
    by_sentence: &[Vec<usize>],
    s: usize,
) -> Option<Tie> {
    let c = pieces[s].cues(ctx).last()?;
    (by_sentence[s].is_empty() || c.at > 0).then(|| Tie {
        agent: c.agent.clone(),
        cue: c.text.clone(),
    })
}

/// The note a continuation (rule d) adds to the cue.
const CONTINUATION: &str = " (preceding sentence, same paragraph)";

/// The speaker of the paragraph so far: a quotation's tie (its cue read
/// without the continuation note), or a sentence's own last cue.
enum Said {
    Quote(usize),
    Cue(Tie),
}

/// What decided a quotation's speaker.
struct Tie {
    agent: Agent,
    cue: String,
}

/// Attribute the article's quotations and source its figures.
pub fn attribute(
    text: &str,
    art: &mut Article,
    opts: &AnalysisOptions,
    memo: Option<&mut TokenMemo>,
    mut buffer: Option<&mut TokenBuffer>,
    cancel: &super::Cancel,
) {
    if art.sentences.is_empty() && art.quotations.is_empty() && art.figures.is_empty() {
        return;
    }
    let (quotations, figure_status) = {
        let sentences = match memo {
            Some(_) => SentenceTokens {
                toks: Vec::new(),
                ends: Vec::new(),
            },
            None => {
                let toks = buffer.as_deref_mut().map(TokenBuffer::take);
                SentenceTokens::new(text, art, toks.unwrap_or_default())
            }
        };
        let (ctx, pieces, results, designated) = sieve(text, art, memo, &sentences, cancel);
        if cancel.cancelled() {
            // The caller drops the article.
            drop((ctx, pieces));
            if let Some(b) = buffer {
                b.put(sentences.toks);
            }
            return;
        }
        // The quotations as `apply` makes them, while the context (which
        // borrows the article) is alive: figures read their statuses, and
        // the cues of a figure's sentence are computed only when needed.
        let mut quotations = art.quotations.clone();
        apply(text, art, &mut quotations, results, &designated);
        let mut refs = RefCache::default();
        let figure_status: Vec<(FigureStatus, Option<String>)> = art
            .figures
            .iter()
            .map(|f| {
                figure_source(
                    text,
                    art,
                    &quotations,
                    (&ctx, &pieces),
                    &mut refs,
                    f.sentence,
                    f.span.clone(),
                )
            })
            .collect();
        drop((ctx, pieces));
        if let Some(b) = buffer {
            b.put(sentences.toks);
        }
        (quotations, figure_status)
    };
    art.quotations = quotations;
    for (f, (st, src)) in art.figures.iter_mut().zip(figure_status) {
        f.status = st;
        f.source = src;
    }
    let _ = opts;
}

/// `reference_in` of the last sentence asked (figures come in sentence
/// order, often several per sentence).
#[derive(Default)]
struct RefCache(Option<(usize, Option<String>)>);

impl RefCache {
    fn get(&mut self, text: &str, art: &Article, si: usize) -> Option<String> {
        match &self.0 {
            Some((s, r)) if *s == si => r.clone(),
            _ => {
                let r = reference_in(text, art, si);
                self.0 = Some((si, r.clone()));
                r
            }
        }
    }
}

type Sieved<'p, 't, 'a> = (Ctx<'t, 'a>, Vec<Piece<'p, 't>>, Vec<Option<Tie>>, Vec<bool>);

/// The tokens of each sentence from the previous analysis of a document
/// (see `analysis::AnalysisCache`), keyed by everything `tokenize` reads
/// for a sentence: its text, the byte on each side, and the quotations and
/// skipped regions reaching into it.
pub type TokenMemo = super::memo::Memo<SentenceRec>;

/// What the memo keeps of one sentence: its tokens, and what it added to
/// the people registry the last time it was read.
pub struct SentenceRec {
    toks: Vec<TokRec>,
    reg: Option<RegRec>,
}

/// A sentence's additions to the registry, positions relative to the
/// sentence. They are the same whenever the tokens are and the persons
/// registered before the sentence are (names and titles, in order: what
/// [`Ctx::register_toks`] reads), which `before` (the registry's
/// `persons_hash` and person count) stands for.
struct RegRec {
    before: (u64, usize),
    persons: Vec<(usize, String, Vec<String>)>,
    orgs: Vec<Span>,
}

/// A token with sentence-relative offsets; `Tk::Quote` holds the ordinal of
/// the hole among the sentence's holes; `low: None` is the token's own text.
pub struct TokRec {
    s: usize,
    e: usize,
    kind: Tk,
    low: Option<Low<'static>>,
    cap: bool,
    acro: bool,
}

/// The tokens of sentence `range`, from the memo when its key is there,
/// and the memo's record of the sentence.
fn memo_tokens<'t, 'm>(
    memo: &'m mut TokenMemo,
    text: &'t str,
    range: Span,
    holes: &[(Span, usize)],
    skipped: &[Span],
) -> (Vec<Tok<'t>>, &'m mut SentenceRec) {
    let base = range.start;
    let b = text.as_bytes();
    let sentence = &text[range.clone()];
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(8);
    let before = base
        .checked_sub(1)
        .map_or(usize::MAX, |i| usize::from(b[i]));
    let after = b.get(range.end).map_or(usize::MAX, |&x| usize::from(x));
    spans.push((before, after));
    let h0 = holes.partition_point(|(s, _)| s.end <= base);
    let my_holes: Vec<usize> = holes[h0..]
        .iter()
        .take_while(|(s, _)| s.start < range.end)
        .map(|(_, qi)| *qi)
        .collect();
    for (s, _) in &holes[h0..h0 + my_holes.len()] {
        spans.push((s.start.max(base) - base, s.end - base));
    }
    spans.push((usize::MAX, usize::MAX));
    let k0 = skipped.partition_point(|s| s.end <= base);
    for s in skipped[k0..].iter().take_while(|s| s.start < range.end) {
        spans.push((s.start.max(base) - base, s.end - base));
    }
    let h = super::memo::hash(sentence, &spans);
    // (Looked up twice: the borrow checker cannot see that the miss path
    // does not hold the first borrow.)
    if memo.get(h, sentence, &spans).is_some() {
        let rec = memo.get(h, sentence, &spans).expect("just found");
        let toks = rec
            .toks
            .iter()
            .map(|r| Tok {
                s: base + r.s,
                e: base + r.e,
                kind: match r.kind {
                    Tk::Quote(k) => Tk::Quote(my_holes[k]),
                    k => k,
                },
                low: r
                    .low
                    .clone()
                    .unwrap_or(Low::Borrowed(&text[base + r.s..base + r.e])),
                cap: r.cap,
                acro: r.acro,
            })
            .collect();
        return (toks, rec);
    }
    let toks = tokenize(text, range, holes, skipped);
    let recs = toks
        .iter()
        .map(|t| TokRec {
            s: t.s - base,
            e: t.e - base,
            kind: match t.kind {
                Tk::Quote(qi) => Tk::Quote(my_holes.iter().position(|&q| q == qi).unwrap_or(0)),
                k => k,
            },
            low: match (&t.low, t.kind) {
                (Low::Borrowed(_), Tk::Word | Tk::Num) => None,
                (Low::Borrowed(_), Tk::Poss) => Some(Low::Borrowed("'s")),
                (Low::Borrowed(_), _) => Some(Low::Borrowed("")),
                (Low::Inline(n, buf), _) => Some(Low::Inline(*n, *buf)),
                (Low::Owned(o), _) => Some(Low::Owned(o.clone())),
            },
            cap: t.cap,
            acro: t.acro,
        })
        .collect();
    let rec = memo.insert(
        h,
        sentence,
        spans,
        SentenceRec {
            toks: recs,
            reg: None,
        },
    );
    (toks, rec)
}

/// `sentences` is empty when a memo gives the tokens.
fn sieve<'p, 't, 'a>(
    text: &'t str,
    art: &'a Article,
    mut memo: Option<&mut TokenMemo>,
    sentences: &'p SentenceTokens<'t>,
    cancel: &super::Cancel,
) -> Sieved<'p, 't, 'a> {
    let n_sent = art.sentences.len();
    let mut ctx = Ctx {
        text,
        art,
        reg: Registry::default(),
        skipped: sorted_skips(art),
    };
    let holes = top_level_holes(art);

    // Top-level sentence pieces (tokens + cues), in order; the registry of
    // people grows as the sentences are read.
    let mut pieces: Vec<Piece> = Vec::with_capacity(n_sent);
    if let Some(m) = memo.as_deref_mut() {
        m.begin();
    }
    for (si, s) in art.sentences.iter().enumerate() {
        if cancel.every(si) {
            // Unfinished: the memo keeps what it had (no `end`), and the
            // rest of the sieve has nothing to read.
            return (ctx, pieces, Vec::new(), Vec::new());
        }
        let toks = match memo.as_deref_mut() {
            Some(m) => {
                let (toks, rec) = memo_tokens(m, text, s.span.clone(), &holes, &ctx.skipped);
                ctx.register_memo(&toks, rec, s.span.start);
                Cow::Owned(toks)
            }
            None => {
                let toks = sentences.sentence(si);
                ctx.register_toks(toks);
                Cow::Borrowed(toks)
            }
        };
        pieces.push(Piece {
            toks,
            cues: OnceCell::new(),
            mark: ctx.reg.mark(),
        });
    }
    if let Some(m) = memo {
        m.end();
    }
    let ctx = ctx;

    let mut results: Vec<Option<Tie>> = (0..art.quotations.len()).map(|_| None).collect();
    let mut designated: Vec<bool> = vec![false; art.quotations.len()];

    // Quotations by sentence, in order.
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); n_sent];
    for (qi, q) in art.quotations.iter().enumerate() {
        if q.nested_in.is_none() && q.sentence < n_sent {
            by_sentence[q.sentence].push(qi);
        }
    }

    // The speaker of the paragraph so far is the last quotation tie or
    // sentence cue; the cues are only read when a quotation needs it:
    // `para_speaker` is the latest tie, `pending` the later sentences whose
    // last cue (if any) overrides it.
    let mut para_speaker: Option<Said> = None;
    let mut pending: Vec<usize> = Vec::new();
    // The last sentence of the previous paragraph, and its speaker once
    // computed.
    let mut prev_para_sentence: Option<usize> = None;
    let mut prev_para_speaker: Option<Option<Tie>> = None;
    // The latest group agent over the sentences `..group.0`.
    let mut group: (usize, Option<Agent>) = (0, None);

    let mut cur_para = usize::MAX;
    for si in 0..n_sent {
        let pi = art.sentences[si].paragraph;
        if pi != cur_para {
            cur_para = pi;
            para_speaker = None;
            pending.clear();
            prev_para_sentence = si.checked_sub(1);
            prev_para_speaker = None;
        }
        for &qi in &by_sentence[si] {
            let q = &art.quotations[qi];
            let long = !scare_shaped(&text[q.span.clone()]);
            // Context: from the opening sentence to the closing sentence.
            let s_close = sentence_of(art, q.outer.end.saturating_sub(1)).max(si);
            let owned;
            let piece: &Piece = if s_close == si {
                &pieces[si]
            } else {
                let range = art.sentences[si].span.start..art.sentences[s_close].span.end;
                owned = ctx.piece(range, &holes);
                &owned
            };
            let p = piece.toks.iter().position(|t| t.kind == Tk::Quote(qi));
            let mut tie: Option<Tie> = None;
            if let Some(p) = p {
                if is_designation(&piece.toks, p) {
                    designated[qi] = true;
                }
                // (a) same-sentence cue, nearest first (window of 60 tokens).
                tie = nearest_cue(piece.cues(&ctx), &piece.toks, p, 60).map(|c| Tie {
                    agent: c.agent.clone(),
                    cue: c.text.clone(),
                });
                // (b) an introducing clause that ends with a colon.
                if tie.is_none() && p > 0 && piece.toks[p - 1].punct() == Some(':') {
                    tie = colon_clause(&ctx, &piece.toks, p - 1);
                }
            }
            // (b') the previous paragraph ends with a colon.
            if tie.is_none() {
                tie = previous_paragraph_colon(&ctx, art, &pieces, qi);
            }
            if tie.is_none() && long {
                // (c) a dash line or the next sentence naming the speaker.
                tie = dash_or_next_sentence(&ctx, art, &pieces, qi, s_close);
            }
            if tie.is_none() && long {
                // (d) continuation.
                for &s in pending.iter().rev() {
                    if let Some(t) = sentence_cue_tie(&ctx, &pieces, &by_sentence, s) {
                        para_speaker = Some(Said::Cue(t));
                        break;
                    }
                }
                pending.clear();
                tie = para_speaker.as_ref().map(|p| {
                    let (agent, cue) = match p {
                        Said::Quote(q) => {
                            let t = results[*q].as_ref().expect("a tied quotation");
                            (&t.agent, t.cue.trim_end_matches(CONTINUATION))
                        }
                        Said::Cue(t) => (&t.agent, t.cue.as_str()),
                    };
                    Tie {
                        agent: agent.clone(),
                        cue: format!("{cue}{CONTINUATION}"),
                    }
                });
            }
            if tie.is_none() && long && opens_paragraph(text, art, q) {
                // (d') a quotation that opens its paragraph, after a
                // paragraph whose last sentence named a speaker.
                let prev = prev_para_speaker.get_or_insert_with(|| {
                    let lp = prev_para_sentence?;
                    sentence_cue_tie(&ctx, &pieces, &by_sentence, lp)
                        .or_else(|| {
                            let &last = by_sentence[lp].last()?;
                            results[last].as_ref().map(|t| Tie {
                                agent: t.agent.clone(),
                                cue: strip_cue_note(&t.cue).to_string(),
                            })
                        })
                        .filter(|t| !matches!(t.agent.kind, AKind::Other | AKind::Doc))
                });
                tie = prev.as_ref().map(|t| Tie {
                    agent: t.agent.clone(),
                    cue: format!("{} (previous paragraph)", t.cue),
                });
            }
            // `they` resolves to the latest group agent.
            if let Some(t) = tie.as_mut() {
                if t.agent.kind == AKind::Pronoun && t.agent.speaker.eq_ignore_ascii_case("they") {
                    // The latest group agent of the sentences before this one.
                    let found = (group.0..si).rev().find_map(|s| {
                        pieces[s]
                            .cues(&ctx)
                            .iter()
                            .rev()
                            .find(|c| !matches!(c.agent.kind, AKind::Pronoun | AKind::Person))
                            .map(|c| c.agent.clone())
                    });
                    if found.is_some() {
                        group.1 = found;
                    }
                    group.0 = si;
                    if let Some(g) = &group.1 {
                        t.agent.speaker = g.speaker.clone();
                    }
                }
            }
            if tie.is_some() {
                pending.clear();
                para_speaker = Some(Said::Quote(qi));
            }
            results[qi] = tie;
        }
        // The sentence's own cues (outside quotations) may update the
        // speaker (read when needed).
        pending.push(si);
    }

    // Nested quotations: a cue inside the enclosing quotation, else the
    // enclosing speaker.
    let mut children: FxMap<usize, Vec<(Span, usize)>> = FxMap::default();
    for (i, x) in art.quotations.iter().enumerate() {
        if let Some(p) = x.nested_in {
            children.entry(p).or_default().push((x.outer.clone(), i));
        }
    }
    for qi in 0..art.quotations.len() {
        let Some(parent) = art.quotations[qi].nested_in else {
            continue;
        };
        let q = &art.quotations[qi];
        let par = &art.quotations[parent];
        let sent = art
            .sentences
            .get(q.sentence)
            .map(|s| s.span.clone())
            .unwrap_or(par.span.clone());
        let range = sent.start.max(par.span.start)..sent.end.min(par.span.end).max(q.outer.end);
        let inner_holes: &[(Span, usize)] = children.get(&parent).map_or(&[], |v| v.as_slice());
        let piece = ctx.piece(range, inner_holes);
        if let Some(p) = piece.toks.iter().position(|t| t.kind == Tk::Quote(qi)) {
            if is_designation(&piece.toks, p) {
                designated[qi] = true;
            }
            if let Some(c) = nearest_cue(piece.cues(&ctx), &piece.toks, p, 60) {
                results[qi] = Some(Tie {
                    agent: c.agent.clone(),
                    cue: c.text.clone(),
                });
                continue;
            }
        }
        // Inherit (kept as a scare quote when short).
        if let Some(t) = &results[parent] {
            results[qi] = Some(Tie {
                agent: t.agent.clone(),
                cue: format!("(quoted by {})", t.agent.speaker),
            });
            if scare_shaped(&text[q.span.clone()]) {
                designated[qi] = true;
            }
        }
    }

    // A headline's quotation (`Firm 'to cut 40 jobs'`): the lead that
    // tells the same story says who said it.
    for (qi, r) in results.iter_mut().enumerate() {
        if r.is_none() && art.quotations[qi].nested_in.is_none() {
            *r = headline_tie(&ctx, art, &pieces, &by_sentence, qi);
        }
    }

    // `it said`: the organisation the latest earlier cue names.
    for (qi, r) in results.iter_mut().enumerate() {
        if let Some(t) = r.as_mut().filter(|t| is_it(&t.agent)) {
            if let Some(s) =
                it_antecedent(art, &ctx, &pieces, art.quotations[qi].sentence, &t.agent)
            {
                t.agent.speaker = s;
            }
        }
    }
    (ctx, pieces, results, designated)
}

/// The sentences after a headline that may tell its story: the lead.
const LEAD_SENTENCES: usize = 3;

/// Whether sentence `si` is a headline or a heading: the one sentence of a
/// one-line paragraph with no full stop, question or exclamation mark at
/// its end (closing quotation marks aside).
fn is_headline(text: &str, art: &Article, si: usize) -> bool {
    let Some(s) = art.sentences.get(si) else {
        return false;
    };
    let Some(p) = art.paragraphs.get(s.paragraph) else {
        return false;
    };
    let alone = art
        .sentences
        .get(si + 1)
        .is_none_or(|n| n.paragraph != s.paragraph)
        && (si == 0 || art.sentences[si - 1].paragraph != s.paragraph);
    let line = text[p.clone()].trim();
    alone
        && !line.contains('\n')
        && line.split_whitespace().count() <= HEADLINE_WORDS
        && !line
            .trim_end_matches(['\'', '"', '’', '”', '»', ' '])
            .ends_with(['.', '!', '?', ':', ',', ';'])
}

/// The most words a headline or heading holds.
const HEADLINE_WORDS: usize = 14;

/// The speaker of a headline's quotation that no cue of its own ties: the
/// cue of the first lead sentence that shares a word with it (`Mill
/// 'faces closure'` / `The Tarn mill faces closure, its owners said.`),
/// or of the sentence straight after it (`… faces closure.` / `The Tarn
/// Gazette reported …`). The lead stops at the next heading.
fn headline_tie(
    ctx: &Ctx,
    art: &Article,
    pieces: &[Piece],
    by_sentence: &[Vec<usize>],
    qi: usize,
) -> Option<Tie> {
    let text = ctx.text;
    let q = &art.quotations[qi];
    let si = q.sentence;
    if !is_headline(text, art, si) {
        return None;
    }
    // A heading that is all quotation (a pull quote) names no speaker of
    // its own: flagged until it does.
    let line = art.sentences[si].span.clone();
    let (open, close) = (
        q.outer.start.clamp(line.start, line.end),
        q.outer.end.clamp(line.start, line.end),
    );
    let words_outside = text[line.start..open]
        .chars()
        .chain(text[close..line.end].chars())
        .any(char::is_alphanumeric);
    if !words_outside {
        return None;
    }
    // Content words of four letters or more, by their first five letters
    // (`closure` / `closed`, `jobs` / `job`).
    let key = |w: &str| -> Option<String> {
        let low = super::lower::Lower::of(w);
        (w.chars().count() >= 4 && fclass(&low).is_none())
            .then(|| low.chars().take(5).collect::<String>())
    };
    let words: Vec<String> = text[q.span.clone()]
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(key)
        .collect();
    if words.is_empty() {
        return None;
    }
    let end = (si + 1 + LEAD_SENTENCES).min(art.sentences.len());
    let mut told = false;
    for s in si + 1..end {
        if is_headline(text, art, s) {
            break;
        }
        let shares = pieces[s]
            .toks
            .iter()
            .filter(|t| t.is_word())
            .filter_map(|t| key(&text[t.s..t.e]))
            .any(|k| words.contains(&k));
        if shares || told {
            if let Some(t) = sentence_cue_tie(ctx, pieces, by_sentence, s) {
                return Some(Tie {
                    agent: t.agent,
                    cue: format!("{} (the article's lead)", t.cue),
                });
            }
            if told {
                return None;
            }
        }
        told = shares;
    }
    None
}

/// Whether an agent is the pronoun `it`.
fn is_it(a: &Agent) -> bool {
    a.kind == AKind::Pronoun && a.written.eq_ignore_ascii_case("it")
}

/// Whom `it` in sentence `si` means when it speaks (`…, it added`): the
/// organisation, body or document that the latest earlier cue names (`The
/// airline said …`), within three sentences (wire copy puts each in a
/// paragraph of its own). None when that cue names a person or a role,
/// when there is none, or when a name stands before `it` in its own
/// sentence (then the registry's nearest name is meant; alone it is often
/// a place: `Europe's largest airline`).
fn it_antecedent(
    art: &Article,
    ctx: &Ctx,
    pieces: &[Piece],
    si: usize,
    it: &Agent,
) -> Option<String> {
    let sentence = art.sentences.get(si)?;
    // A name earlier in its own sentence is what `it` means (`The
    // Congress, meanwhile, … as it objects`).
    let orgs = ctx.reg.orgs();
    let i = orgs.partition_point(|o| o.start < sentence.span.start);
    if orgs.get(i).is_some_and(|o| o.start < it.pos) {
        return None;
    }
    for prev in (si.saturating_sub(3)..si).rev() {
        let piece = pieces.get(prev)?;
        let Some(c) = piece
            .cues(ctx)
            .iter()
            .rev()
            .find(|c| c.agent.kind != AKind::Pronoun)
        else {
            continue;
        };
        return matches!(c.agent.kind, AKind::Org | AKind::Other | AKind::Doc)
            .then(|| c.agent.speaker.clone());
    }
    None
}

/// Final kinds, statuses and speakers.
fn apply(
    text: &str,
    art: &Article,
    quotations: &mut [Quotation],
    results: Vec<Option<Tie>>,
    designated: &[bool],
) {
    for (qi, tie) in results.into_iter().enumerate() {
        let scare_shape = scare_shaped(&text[quotations[qi].span.clone()]);
        // A quotation with no speaker but a source note, footnote reference
        // or link in its sentence is attributed to that reference: this is
        // what *Add source note* / *Cite* insert for an unattributed quote.
        let reference = if tie.is_none() {
            reference_in(text, art, quotations[qi].sentence)
        } else {
            None
        };
        let q = &mut quotations[qi];
        // A quoted title or name (`the "Free Speech Day"`) is no statement,
        // whoever's sentence it is in.
        let named = designated[qi] && word_count(&text[q.span.clone()]) <= 4
            || title_shaped(&text[q.span.clone()]);
        match tie {
            Some(t) if !named => {
                q.kind = QuoteKind::Quotation;
                q.status = Some(if t.agent.vague() {
                    QuoteStatus::Vague
                } else {
                    QuoteStatus::Attributed
                });
                q.speaker = Some(t.agent.speaker.clone());
                q.speaker_as_written = Some(t.agent.written.clone());
                q.cue = Some(t.cue);
            }
            Some(t) => {
                q.kind = QuoteKind::ScareQuote;
                q.status = None;
                q.speaker = Some(t.agent.speaker.clone());
                q.speaker_as_written = Some(t.agent.written.clone());
                q.cue = None;
            }
            None => {
                let scare = scare_shape || named;
                q.kind = if scare {
                    QuoteKind::ScareQuote
                } else {
                    QuoteKind::Quotation
                };
                q.speaker = None;
                q.speaker_as_written = None;
                q.cue = None;
                q.status = if scare {
                    None
                } else if let Some(r) = reference {
                    q.speaker = Some(r.clone());
                    q.speaker_as_written = Some(r);
                    q.cue = Some("source note".to_string());
                    Some(QuoteStatus::Attributed)
                } else {
                    Some(QuoteStatus::Unattributed)
                };
            }
        }
    }
}

/// A verb inside an `if` / `unless` / `whether` clause attributes nothing.
fn in_conditional(toks: &[Tok], i: usize, lo: usize) -> bool {
    let mut k = i;
    while k > lo {
        k -= 1;
        let t = &toks[k];
        if t.punct().is_some() || matches!(t.kind, Tk::Quote(_)) {
            return false;
        }
        if matches!(t.w(), "if" | "unless" | "whether") {
            return true;
        }
    }
    false
}

fn strip_cue_note(cue: &str) -> &str {
    cue.trim_end_matches(" (preceding sentence, same paragraph)")
        .trim_end_matches(" (previous paragraph)")
}

/// Does the quotation open its paragraph and read as running text (not a
/// heading: its content ends with sentence punctuation)?
fn opens_paragraph(text: &str, art: &Article, q: &Quotation) -> bool {
    let Some(pi) = para_index(art, q.outer.start) else {
        return false;
    };
    let para = &art.paragraphs[pi];
    let lead =
        text[para.start..q.outer.start].trim_matches(|c: char| c.is_whitespace() || c == '>');
    let content = text[q.span.clone()].trim_end();
    lead.is_empty()
        && (content.ends_with(['.', '!', '?', ',', '…']) || q.outer.end < para.end)
        && para.end - para.start > 0
}

/// `so-called “…”`, `labeled X “…”`, `a group called “…”`, `called the
/// plan a “…”`: a designation verb, then at most a short object noun phrase.
fn is_designation(toks: &[Tok], p: usize) -> bool {
    let lo = p.saturating_sub(8);
    for k in (lo..p).rev() {
        let t = &toks[k];
        if t.punct().is_some() || matches!(t.kind, Tk::Quote(_)) {
            return false;
        }
        let w = t.w();
        if DESIGNATIONS.contains(&w) {
            return true;
        }
        if matches!(w, "called" | "named" | "known" | "as") {
            if k + 1 == p && w == "as" && k > 0 && toks[k - 1].w() == "known" {
                return true;
            }
            if k + 1 == p
                && matches!(w, "called" | "named")
                && k > 0
                && is_content_word(&toks[k - 1])
                && !toks[k - 1].cap
                && !is_pronoun(toks[k - 1].w())
            {
                return true;
            }
            // `called the plan a “…”`, `called it “…”`: an object, then
            // the designation.
            if w == "called" && k + 1 < p {
                let obj = &toks[k + 1..p];
                let (last, rest) = obj.split_last().expect("non-empty");
                let ends_ok = matches!(last.w(), "a" | "an" | "the")
                    || (is_pronoun(last.w()) && obj.len() == 1)
                    || is_content_word(last);
                let body_ok = rest.iter().all(|t| {
                    matches!(fclass(t.w()), Some("det")) || is_content_word(t) || t.kind == Tk::Poss
                });
                if ends_ok && body_ok {
                    return true;
                }
            }
            continue;
        }
        // Beyond three words, only an object noun phrase may stand between
        // the verb and the mark.
        if p - k >= 3 && !(fclass(w) == Some("det") || is_content_word(t) || is_pronoun(w)) {
            return false;
        }
    }
    false
}

fn nearest_cue<'c>(cues: &'c [Cue], toks: &[Tok], p: usize, window: usize) -> Option<&'c Cue> {
    cues.iter()
        .filter(|c| c.strength != Strength::Doc || c.agent.kind == AKind::Doc)
        // A cue after another quotation belongs to that one, unless the
        // two are one statement joined by a conjunction (`"A," but "B"
        // …, X said`).
        .filter(|c| {
            if c.at < p {
                return true;
            }
            let between = &toks[(p + 1).min(toks.len())..c.at.min(toks.len())];
            let mut linked = true;
            let mut last = 0;
            for (k, t) in between.iter().enumerate() {
                if matches!(t.kind, Tk::Quote(_)) {
                    let gap = &between[last..k];
                    let conjunction = |t: &Tok| matches!(t.w(), "and" | "but" | "or");
                    linked &= gap.iter().any(conjunction)
                        && gap.iter().all(|t| t.punct().is_some() || conjunction(t));
                    last = k + 1;
                }
            }
            linked
        })
        .map(|c| {
            let d = if c.at > p { c.at - p } else { p - c.end };
            (d, c)
        })
        .filter(|(d, _)| *d <= window)
        .min_by_key(|(d, c)| (*d, c.at < p))
        .map(|(_, c)| c)
}

/// (b) `X later explained:` with no cue: the speaker named in the clause.
fn colon_clause(ctx: &Ctx, toks: &[Tok], colon: usize) -> Option<Tie> {
    let mut s = colon;
    while s > 0
        && !matches!(
            toks[s - 1].kind,
            Tk::Quote(_) | Tk::Punct('.') | Tk::Punct(';')
        )
    {
        s -= 1;
    }
    if s >= colon {
        return None;
    }
    // A person named in the clause wins.
    for &(a, e) in cap_runs(toks, s, colon - 1).iter().rev() {
        if let Some(k) = person_in_run(toks, a, e, &ctx.reg) {
            let agent = Agent {
                speaker: ctx.name_of(toks, k, e),
                written: tok_text(ctx.text, toks, k, e),
                kind: AKind::Person,
                pos: toks[k].s,
            };
            return Some(Tie {
                cue: ":".to_string(),
                agent,
            });
        }
    }
    let agent = ctx.clause_subject(toks, colon, s)?;
    matches!(
        agent.kind,
        AKind::Person | AKind::Org | AKind::Role | AKind::Pronoun | AKind::Doc | AKind::Vague
    )
    .then(|| Tie {
        cue: ":".to_string(),
        agent,
    })
}

fn para_index(art: &Article, pos: usize) -> Option<usize> {
    let i = art.paragraphs.partition_point(|p| p.end <= pos);
    (i < art.paragraphs.len() && art.paragraphs[i].start <= pos).then_some(i)
}

/// (b') A quotation that opens its paragraph, after a paragraph ending with
/// a colon: the cue or name of that paragraph's last sentence.
fn previous_paragraph_colon(ctx: &Ctx, art: &Article, pieces: &[Piece], qi: usize) -> Option<Tie> {
    let q = &art.quotations[qi];
    let pi = para_index(art, q.outer.start)?;
    let para = &art.paragraphs[pi];
    let lead =
        ctx.text[para.start..q.outer.start].trim_matches(|c: char| c.is_whitespace() || c == '>');
    if !lead.is_empty() || pi == 0 {
        return None;
    }
    let prev = &art.paragraphs[pi - 1];
    if !ctx.text[prev.clone()].trim_end().ends_with(':') {
        return None;
    }
    let s = sentence_of(art, ctx.text[..prev.end].trim_end().len().saturating_sub(1));
    let piece = pieces.get(s)?;
    if let Some(c) = piece.cues(ctx).last() {
        return Some(Tie {
            agent: c.agent.clone(),
            cue: c.text.clone(),
        });
    }
    let colon = piece.toks.iter().rposition(|t| t.punct() == Some(':'))?;
    colon_clause(ctx, &piece.toks, colon)
}

/// The speaker on a dash line (`- Lavrov emphasized, …`, `— Jane Doe`): a
/// speech verb near the start with its agent. For other modules: the
/// unmarked block quote rule.
pub(crate) fn dash_line_speaker(text: &str, art: &Article, line: Span) -> Option<String> {
    let ctx = Ctx {
        text,
        art,
        reg: Registry::default(),
        skipped: Vec::new(),
    };
    let t = dash_tie(&ctx, line, true)?;
    Some(t.agent.speaker)
}

fn dash_tie(ctx: &Ctx, line: Span, need_verb: bool) -> Option<Tie> {
    let lt = &ctx.text[line.clone()];
    let trimmed = lt.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
    let start = line.end - trimmed.len();
    let body = trimmed.trim_start_matches(['-', '–', '—']);
    if body.len() == trimmed.len() {
        return None;
    }
    let body_start = start + (trimmed.len() - body.len());
    // The first clause of the line.
    let end = body
        .find(['.', '!', '?', '\n'])
        .map_or(line.end, |i| body_start + i);
    let toks = tokenize(ctx.text, body_start..end, &[], &ctx.skipped);
    if toks.is_empty() {
        return None;
    }
    let cues = ctx.cues(&toks, 0, toks.len());
    if let Some(c) = cues.iter().find(|c| {
        c.at <= 8
            && matches!(
                c.agent.kind,
                AKind::Person | AKind::Org | AKind::Role | AKind::Pronoun
            )
    }) {
        return Some(Tie {
            agent: c.agent.clone(),
            cue: format!("- {}", c.text),
        });
    }
    if need_verb {
        return None;
    }
    // `— Jane Doe, minister`
    let (a, b) = np_right(&toks, 0, toks.len())?;
    let agent = ctx.classify(&toks, a, b)?;
    matches!(agent.kind, AKind::Person | AKind::Org | AKind::Role).then(|| Tie {
        agent,
        cue: "—".to_string(),
    })
}

/// (c) A dash line right after the quotation (its paragraph ends with it,
/// or the block quote's own attribution line), or the next sentence of the
/// paragraph naming a speaker and holding no quotation of its own.
fn dash_or_next_sentence(
    ctx: &Ctx,
    art: &Article,
    pieces: &[Piece],
    qi: usize,
    s_close: usize,
) -> Option<Tie> {
    let q = &art.quotations[qi];
    let pi = para_index(art, q.outer.end.saturating_sub(1))?;
    let para = &art.paragraphs[pi];
    let rest = &ctx.text[q.outer.end.min(para.end)..para.end];
    let rest_t = rest.trim_start_matches(|c: char| c.is_whitespace() || ".,;!?”\"»".contains(c));
    if rest_t.trim().is_empty() {
        // Dash line in the next paragraph.
        let next = art.paragraphs.get(pi + 1)?;
        let line_end = ctx.text[next.clone()]
            .find('\n')
            .map_or(next.end, |i| next.start + i);
        return dash_tie(ctx, next.start..line_end, true);
    }
    // Block-quote attribution line inside the paragraph.
    let rest_start = para.end - rest_t.len();
    if rest_t
        .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
        .starts_with(['-', '–', '—'])
        && ctx.text[q.outer.end.min(para.end)..rest_start].contains('\n')
    {
        let line_end = ctx.text[rest_start..para.end]
            .find('\n')
            .map_or(para.end, |i| rest_start + i);
        if let Some(t) = dash_tie(ctx, rest_start..line_end, false) {
            return Some(t);
        }
    }
    // Next sentence of the same paragraph.
    let ns = s_close + 1;
    let sent = art.sentences.get(ns)?;
    if sent.paragraph != art.sentences.get(s_close)?.paragraph {
        return None;
    }
    let piece = pieces.get(ns)?;
    if piece.toks.iter().any(|t| matches!(t.kind, Tk::Quote(_))) {
        return None;
    }
    let c = piece
        .cues(ctx)
        .iter()
        .find(|c| c.at <= 6 && c.strength != Strength::Doc)?;
    Some(Tie {
        agent: c.agent.clone(),
        cue: format!("{} (next sentence)", c.text),
    })
}

/// Link, footnote reference or source note in the sentence (or right after
/// its end).
fn reference_in(text: &str, art: &Article, si: usize) -> Option<String> {
    let s = art.sentences.get(si)?;
    let next_start = art
        .sentences
        .get(si + 1)
        .map_or(text.len(), |n| n.span.start)
        .max(s.span.end);
    // The text after the sentence up to the next one, on the same line.
    let tail_end = text[s.span.end..next_start]
        .find('\n')
        .map_or(next_start, |i| s.span.end + i);
    let body = &text[s.span.start..tail_end];
    // Notes, footnotes and Markdown links all need a `[`: one byte scan
    // rules them out for most sentences.
    let bracket = memchr::memchr(b'[', body.as_bytes()).is_some();
    if !bracket {
        let url = memchr::memmem::find(body.as_bytes(), b"://").is_some()
            && (body.contains("http://") || body.contains("https://"));
        return (url || body.contains("www.")).then(|| "link".to_string());
    }
    if let Some(i) = body.find("[Source:").or_else(|| body.find("[source:")) {
        let note = &body[i + 8..];
        let note = note[..note.find(']').unwrap_or(note.len())].trim();
        return Some(if note.is_empty() {
            "note".to_string()
        } else {
            note.to_string()
        });
    }
    if let Some(i) = body.find("[^") {
        let label = &body[i + 2..];
        let label = &label[..label.find(']').unwrap_or(label.len())];
        if label.starts_with("src-") {
            // A factlens source note: its text, when written.
            let def = format!("[^{label}]:");
            let found = art
                .footnotes
                .iter()
                .find(|f| f.label == label)
                .and_then(|f| {
                    text.get(f.span.clone())?
                        .find(&def)
                        .map(|i| f.span.start + i)
                });
            if let Some(d) = found {
                let line = &text[d + def.len()..];
                let line = line[..line.find('\n').unwrap_or(line.len())].trim();
                let line = line.strip_prefix("Source:").unwrap_or(line).trim();
                if !line.is_empty() {
                    return Some(line.to_string());
                }
            }
            return Some("note".to_string());
        }
        return Some("footnote".to_string());
    }
    if body.contains("http://")
        || body.contains("https://")
        || body.contains("www.")
        || body.contains("](")
    {
        return Some("link".to_string());
    }
    // `[1]` footnote numbers.
    let bytes = body.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'[' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() && j - i <= 3 {
                j += 1;
            }
            if j > i + 1 && j < bytes.len() && bytes[j] == b']' && bytes.get(j + 1) != Some(&b'(') {
                return Some("footnote".to_string());
            }
        }
    }
    None
}

fn figure_cue_ok(c: &Cue, toks: &[Tok]) -> bool {
    match c.strength {
        Strength::Strong => true,
        Strength::Doc => c.agent.kind == AKind::Doc,
        Strength::QuoteOnly => false,
        Strength::Weak => {
            c.bound
                || c.agent.kind == AKind::Doc
                || toks
                    .get(c.end + 1)
                    .is_some_and(|n| matches!(n.kind, Tk::Quote(_) | Tk::Punct(_)))
                || c.agent.pos > toks[c.at].s
        }
    }
}

fn figure_source(
    text: &str,
    art: &Article,
    quotations: &[Quotation],
    (ctx, pieces): (&Ctx, &[Piece]),
    refs: &mut RefCache,
    si: usize,
    span: Span,
) -> (FigureStatus, Option<String>) {
    // Inside an attributed quotation (innermost first).
    let mut inside: Option<&Quotation> = None;
    let upto = quotations.partition_point(|q| q.outer.start <= span.start);
    // Enclosing quotations start before the figure; look back a bounded way.
    for q in quotations[..upto].iter().rev().take(64) {
        if q.span.start <= span.start && span.end <= q.span.end && q.kind == QuoteKind::Quotation {
            inside = Some(q);
            break;
        }
    }
    if let Some(q) = inside {
        match q.status {
            Some(QuoteStatus::Attributed) => return (FigureStatus::Sourced, q.speaker.clone()),
            Some(QuoteStatus::Vague) => return (FigureStatus::Vague, q.speaker.clone()),
            _ => {}
        }
    }
    if let Some(r) = refs.get(text, art, si) {
        return (FigureStatus::Sourced, Some(r));
    }
    let Some(piece) = pieces.get(si) else {
        return (FigureStatus::Unsourced, None);
    };
    let fig_tok = piece
        .toks
        .iter()
        .position(|t| t.e > span.start)
        .unwrap_or(piece.toks.len());
    let mut best: Option<(usize, &Cue)> = None;
    let mut vague: Option<&Cue> = None;
    for c in piece.cues(ctx) {
        if !figure_cue_ok(c, &piece.toks) {
            continue;
        }
        if c.agent.vague() {
            vague.get_or_insert(c);
            continue;
        }
        let d = c.at.abs_diff(fig_tok);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    if let Some((_, c)) = best {
        let speaker = if is_it(&c.agent) {
            it_antecedent(art, ctx, pieces, si, &c.agent).unwrap_or_else(|| c.agent.speaker.clone())
        } else {
            c.agent.speaker.clone()
        };
        return (FigureStatus::Sourced, Some(speaker));
    }
    if let Some(c) = vague {
        return (FigureStatus::Vague, Some(c.agent.speaker.clone()));
    }
    // A sentence that is itself inside an attributed quotation's span.
    (FigureStatus::Unsourced, None)
}

/// Whether sentence `sentence` carries an attribution, and whose: a cue with
/// an agent (resolved when a pronoun or role), a link, footnote or source
/// note, or an attributed quotation in it.
/// Whether a resolved speaker names people (`Sergei Lavrov`, `Putin`), not
/// an organisation or a document (`the Foreign Ministry`, `The New York
/// Times`, `a statement`): every word capitalised, none an organisation word.
pub fn names_person(speaker: &str) -> bool {
    let mut any = false;
    for w in speaker.split(|c: char| c.is_whitespace() || c == ',') {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        let low = Low::of(w);
        if ORG_WORDS.contains(low.trim_end_matches('.')) || DOCS.contains(&*low) {
            return false;
        }
        any = true;
    }
    any
}

pub fn sentence_source(text: &str, art: &Article, sentence: usize) -> Option<Source> {
    let s = art.sentences.get(sentence)?;
    let lo = sentence.saturating_sub(200);
    let ctx = new_ctx(text, art, lo..sentence + 1);
    if let Some(r) = reference_in(text, art, sentence) {
        return Some(Source {
            agent: r,
            vague: false,
        });
    }
    let holes = top_level_holes(art);
    let piece = ctx.piece(s.span.clone(), &holes);
    let mut vague = None;
    for c in piece.cues(&ctx) {
        if c.strength == Strength::QuoteOnly {
            continue;
        }
        if c.agent.vague() {
            vague.get_or_insert(c.agent.speaker.clone());
        } else {
            return Some(Source {
                agent: c.agent.speaker.clone(),
                vague: false,
            });
        }
    }
    for q in &art.quotations {
        if q.sentence == sentence && q.status == Some(QuoteStatus::Attributed) {
            if let Some(sp) = &q.speaker {
                return Some(Source {
                    agent: sp.clone(),
                    vague: false,
                });
            }
        }
    }
    vague.map(|agent| Source { agent, vague: true })
}

/// For an unattributed quotation: the person (else organisation) its
/// paragraph names outside quotations, nearest before it, else after it.
pub fn likely_speaker(text: &str, art: &Article, quotation_idx: usize) -> Option<String> {
    let q = art.quotations.get(quotation_idx)?;
    let pi = para_index(art, q.outer.start)?;
    let para = art.paragraphs[pi].clone();
    let first = art.sentences.partition_point(|s| s.span.end <= para.start);
    let last = art.sentences.partition_point(|s| s.span.start < para.end);
    let lo = first.saturating_sub(200);
    let ctx = new_ctx(text, art, lo..last);
    let inpara = |p: usize| para.start <= p && p < para.end;
    let persons: Vec<&(usize, String, Vec<String>)> = ctx
        .reg
        .persons
        .iter()
        .filter(|(p, _, _)| inpara(*p))
        .collect();
    let canon = |p: usize, n: &str| ctx.reg.canonical(n, p).unwrap_or_else(|| n.to_string());
    if let Some((p, n, _)) = persons.iter().rev().find(|(p, _, _)| *p < q.outer.start) {
        return Some(canon(*p, n));
    }
    if let Some((p, n, _)) = persons.first() {
        return Some(canon(*p, n));
    }
    ctx.reg
        .orgs
        .iter()
        .filter(|o| inpara(o.start))
        .min_by_key(|o| o.start.abs_diff(q.outer.start))
        .map(|o| org_name(text, o))
}

#[cfg(test)]
mod tests {

    #[test]
    fn run_words_are_name_words_off_the_calendar() {
        let mut text =
            String::from("Time time TIME Monday March He I It The Of Putin NATO's U.S. ");
        for w in FUNCTION.keys().chain(PRONOUNS.keys()) {
            let mut cs = w.chars();
            if let Some(c) = cs.next() {
                text.extend(c.to_uppercase());
                text.push_str(cs.as_str());
                text.push(' ');
            }
        }
        let toks = tokenize(&text, 0..text.len(), &[], &[]);
        assert!(toks.len() > 100);
        for t in &toks {
            let want = is_name_word(t) && !is_calendar(t);
            assert_eq!(is_run_word(t), want, "{:?}", &text[t.s..t.e]);
        }
    }

    #[test]
    fn speakers_that_name_people() {
        assert!(names_person("Sergei Lavrov"));
        assert!(names_person("Putin"));
        assert!(!names_person("the Russian Foreign Ministry"));
        assert!(!names_person("The New York Times"));
        assert!(!names_person(""));
    }
    use super::*;
    use crate::analysis::quotes;
    use crate::analysis::quotes::tests::article;
    use crate::analysis::Figure;

    fn run(text: &str) -> Article {
        let mut art = article(text);
        let opts = AnalysisOptions::default();
        let scan = quotes::scan(text, &art, &opts);
        art.quotations = scan.quotations;
        attribute(
            text,
            &mut art,
            &opts,
            None,
            None,
            &crate::analysis::Cancel::never(),
        );
        art
    }

    /// (span text, kind, status, speaker)
    fn quotes_of(text: &str) -> Vec<(String, QuoteKind, Option<QuoteStatus>, Option<String>)> {
        run(text)
            .quotations
            .into_iter()
            .map(|q| (text[q.span].to_string(), q.kind, q.status, q.speaker))
            .collect()
    }

    fn speaker(text: &str, i: usize) -> Option<String> {
        quotes_of(text).get(i).and_then(|q| q.3.clone())
    }

    const A: Option<QuoteStatus> = Some(QuoteStatus::Attributed);

    /// The token buffer hands the next analysis the room of the last one:
    /// the same allocation, emptied, whatever text the tokens borrowed.
    #[test]
    fn the_token_buffer_keeps_its_room() {
        let first = String::from("The ferry carried 212 passengers, the operator said.");
        let mut art = article(&first);
        let toks = SentenceTokens::new(&first, &art, Vec::new()).toks;
        assert!(toks.len() > 5);
        let (at, room) = (toks.as_ptr() as usize, toks.capacity());
        let mut buffer = TokenBuffer::default();
        buffer.put(toks);
        drop(first);
        let second = String::from("Nine boats sank.");
        art = article(&second);
        let again = buffer.take();
        assert_eq!((again.as_ptr() as usize, again.capacity()), (at, room));
        assert!(again.is_empty());
        let toks = SentenceTokens::new(&second, &art, again).toks;
        assert_eq!(toks.as_ptr() as usize, at, "refilled in place");
        let words: Vec<&str> = toks.iter().map(|t| &second[t.s..t.e]).collect();
        assert_eq!(words, ["Nine", "boats", "sank", "."]);
    }

    #[test]
    fn rule_a_inverted_and_plain_order() {
        let t = "“We will not give up the harbour,” said Maria Olsen, the port director.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Maria Olsen"));
        let t =
            "“The harbour stays open for the winter season,” the Port Authority said on Friday.";
        assert_eq!(speaker(t, 0).as_deref(), Some("the Port Authority"));
        let t = "Harbour chief Tom Berg told the Gazette: “We will stay.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Tom Berg"));
        let t = "Mayor Anna Wick said that the town needs “more nurses and more beds.”";
        let q = quotes_of(t);
        assert_eq!(q[0].1, QuoteKind::Quotation);
        assert_eq!(q[0].2, A);
        assert_eq!(q[0].3.as_deref(), Some("Anna Wick"));
    }

    #[test]
    fn rule_a_appositions_and_relative_clauses() {
        let t = "Paul Lind, head of the national rail union, warned that the strike would last “as long as it takes.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Paul Lind"));
        let t = "The union spokesman, Karl Dunn, claimed that “nobody was consulted at any stage of the process.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Karl Dunn"));
        let t = "Ines Moreau, who famously declared in 2019 that the club was “finished,” came back on Sunday.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Ines Moreau"));
    }

    #[test]
    fn partial_quotation_is_a_quotation_when_tied() {
        let t = "Finance Minister Ola Brandt described the budget as “prudent.”";
        let q = quotes_of(t);
        assert_eq!(q[0].1, QuoteKind::Quotation);
        assert_eq!(q[0].3.as_deref(), Some("Ola Brandt"));
    }

    #[test]
    fn scare_quotes_without_speaker() {
        let t = "The new tower is a “landmark” for the whole valley.";
        assert_eq!(quotes_of(t)[0].1, QuoteKind::ScareQuote);
        let t = "Officials in the town were sceptical and the so-called “green deal” was shelved.";
        assert_eq!(quotes_of(t)[0].1, QuoteKind::ScareQuote);
        let t = "The council labeled the protesters “a noisy minority,” a phrase that stuck.";
        assert_eq!(quotes_of(t)[0].1, QuoteKind::ScareQuote);
        // Longer with no speaker: unattributed.
        let t = "The sign on the door read “nobody leaves before the inspection ends”.";
        let q = quotes_of(t);
        assert_eq!(q[0].1, QuoteKind::Quotation);
        assert_eq!(q[0].2, Some(QuoteStatus::Unattributed));
    }

    #[test]
    fn rule_b_colon_clause() {
        let t = "Then Eva Holm later explained: “The bridge was never safe for lorries.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Eva Holm"));
        let t = "Eva Holm opened the hearing.\n\nThe engineer in charge, Lars Nyberg:\n\n“The bridge was never safe for lorries.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Lars Nyberg"));
    }

    #[test]
    fn rule_c_dash_line_and_next_sentence() {
        let t = "We are closing the office in the capital. Staff will leave by May\n\n- Smith stressed, adding that talks would go on.";
        let q = quotes_of(t);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].3.as_deref(), Some("Smith"));
        let t = "“The project is over and the money is gone.” Councillor Rita Vance said this on Monday.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Rita Vance"));
    }

    #[test]
    fn rule_d_continuation_in_the_paragraph() {
        let t = "“The road will close in June,” said Nils Ek. “Drivers should plan other routes for the summer.”";
        assert_eq!(speaker(t, 1).as_deref(), Some("Nils Ek"));
        let t = "The plan was explained by engineer Nils Ek. “Drivers should plan other routes for the summer.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Nils Ek"));
        // A quotation that opens the next paragraph continues the speaker
        // named at the end of the previous one (news convention)...
        let t = "“The road will close in June,” said Nils Ek.\n\n“Drivers should plan other routes for the summer.”";
        assert_eq!(speaker(t, 1).as_deref(), Some("Nils Ek"));
        // ...but not when another sentence ends that paragraph, nor for a
        // heading.
        let t = "“The road will close in June,” said Nils Ek. The works cost a lot.\n\n“Drivers should plan other routes for the summer.”";
        assert_eq!(quotes_of(t)[1].2, Some(QuoteStatus::Unattributed));
        let t = "Nils Ek said the road would close.\n\n“Drivers should plan other routes”\n\nThe works start in June.";
        assert_eq!(quotes_of(t)[0].2, Some(QuoteStatus::Unattributed));
    }

    #[test]
    fn rule_e_pronouns_and_roles() {
        let t = "Prime Minister Jonas Falk met the unions. The deal, he said, was “the best we could get.”";
        let art = run(t);
        let q = &art.quotations[0];
        assert_eq!(q.speaker.as_deref(), Some("Jonas Falk"));
        assert_eq!(q.speaker_as_written.as_deref(), Some("he"));
        let t = "Health Minister Clara Dahl visited the ward. The minister warned that “winter will be hard for every hospital.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Clara Dahl"));
        let t = "President Ruth Adler spoke first. Later, Adler said the vote was “a turning point for all of us.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Ruth Adler"));
    }

    #[test]
    fn a_person_of_an_organisation_is_the_person() {
        // `Name of Organisation`: the person speaks, and a later `he`/`she`
        // is that person, whatever the organisation is called.
        for (t, who) in [
            ("“Prices are too high,” said Ann Berg of Harbour Trust Securities Inc. “Demand is weak at the moment,” she said.", "Ann Berg"),
            ("“Prices are too high,” said Ann Berg of Harbour Trust. “Demand is weak at the moment,” she said.", "Ann Berg"),
            ("“Prices are too high,” said Governor Piet Dalen of the Bank of Ostria. “Demand is weak at the moment,” he said.", "Piet Dalen"),
        ] {
            assert_eq!(speaker(t, 0).as_deref(), Some(who), "{t}");
            assert_eq!(speaker(t, 1).as_deref(), Some(who), "{t}");
        }
        // A title before `of` is no name: the person follows the place.
        let t = "Secretary of State Mira Holm said the talks were “over for now.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Mira Holm"));
        // One word before `of` is a name's own (`Bank of Ostria`).
        let t = "The Bank of Ostria said rates would stay “where they are.”";
        assert_ne!(speaker(t, 0).as_deref(), Some("Bank"));
    }

    #[test]
    fn a_pronoun_after_a_sentence_names_its_subject_or_speaker() {
        // The subject, not the person named last.
        let t = "Vera Lind is also angry and says that Hanna Ek and herself are the victims. “Nobody asked us,” she said.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Vera Lind"));
        // The speaker of the sentence, wherever the cue puts the name.
        let t = "The lawyer who had represented Mr Tom Sund said the rules were fair, said Mr Per Alm. He said: “The law is clear.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Per Alm"));
        // Not an owner (`Ivan Rask's speech`).
        let t = "After Ivan Rask's speech, Olga Brandt spoke to the delegates. She said the plan was “ready for a vote.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Olga Brandt"));
        // In the pronoun's own sentence, the nearest person.
        let t = "Mr Ivan Rask met Olga Brandt, and she said the plan was “ready for a vote.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Olga Brandt"));
    }

    #[test]
    fn a_things_name_is_no_speaker() {
        // `the Golden Harbour`, `his third Grand Regatta`: names of things.
        let t = "At the Golden Harbour, Lena Moss won her third Grand Regatta title. “I felt strong all week,” she said.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Lena Moss"));
        // A title keeps a person after a determiner.
        let t = "The Prime Minister Jonas Falk said the deal was “the best we could get.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Jonas Falk"));
    }

    #[test]
    fn a_descriptor_after_a_comma_is_the_named_persons() {
        let t = "“It is a big suit,” Kenneth Leung, a Harbour Trust analyst said.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Kenneth Leung"));
    }

    #[test]
    fn vague_speakers() {
        let t = "Analysts said the merger would create “a giant with no rival in the region.”";
        let q = quotes_of(t);
        assert_eq!(q[0].2, Some(QuoteStatus::Vague));
        let t =
            "One of the informed sources in the capital noted: “The talks are dead in the water.”";
        assert_eq!(quotes_of(t)[0].2, Some(QuoteStatus::Vague));
    }

    #[test]
    fn nested_quote_inside_attributed_quotation() {
        let t = "“The so-called “reform” will ruin small farms across the region,” said Olga Berg.";
        let q = quotes_of(t);
        assert_eq!(q[0].3.as_deref(), Some("Olga Berg"));
        assert_eq!(q[1].1, QuoteKind::ScareQuote);
    }

    #[test]
    fn descriptor_agents_refer_back_to_a_person() {
        let t = "Lena Moss joined the club in May. “I never expected to win so soon,” the 23-year-old wrote on her blog.";
        let art = run(t);
        let q = &art.quotations[0];
        assert_eq!(q.status, A);
        assert_eq!(q.speaker.as_deref(), Some("Lena Moss"));
        assert_eq!(q.speaker_as_written.as_deref(), Some("the 23-year-old"));
        let t = "Omar Keel was freed on Tuesday. “I am grateful to everyone who helped me,” the 30-year-old said.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Omar Keel"));
        let t = "Sam Hale lost his job in March. The father of two said: “We cannot pay the rent any more.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Sam Hale"));
        let t = "Pia Lund quit last year. “The party has lost its way,” the former minister told reporters.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Pia Lund"));
        // With nobody named before, the descriptor itself is the speaker.
        let t = "“We cannot pay the rent any more,” the mother of three said.";
        let q = quotes_of(t);
        assert_eq!(q[0].2, A);
        assert_eq!(q[0].3.as_deref(), Some("the mother of three"));
        // A plural descriptor is not the person named before.
        let t = "Omar Keel left early. “We were robbed in the second half,” the players said.";
        assert_ne!(speaker(t, 0).as_deref(), Some("Omar Keel"));
    }

    #[test]
    fn designation_after_an_object() {
        let t = "Critics called the plan a “paper victory” for the government.";
        let q = quotes_of(t);
        assert_eq!(q[0].1, QuoteKind::ScareQuote);
        assert_eq!(q[0].2, None);
        let t = "Fans soon dubbed the new stadium “the concrete bowl” after the opening.";
        assert_eq!(quotes_of(t)[0].1, QuoteKind::ScareQuote);
        // `called for` is a demand, not a designation.
        let t = "The mayor called for “calm and patience” from residents.";
        assert_eq!(quotes_of(t)[0].1, QuoteKind::Quotation);
    }

    #[test]
    fn passive_with_and_without_agent() {
        let t = "We were told “the factory will reopen after the holidays.”";
        assert_eq!(quotes_of(t)[0].2, Some(QuoteStatus::Unattributed));
        let t = "This was stated by the mayor of Lund, Per Ahl, who added “the factory will reopen after the holidays.”";
        assert!(quotes_of(t)[0].3.as_deref().is_some());
    }

    fn fig(art: &Article, text: &str, needle: &str) -> Figure {
        let start = text.find(needle).unwrap();
        Figure {
            span: start..start + needle.len(),
            value: 1.0,
            value_to: None,
            unit: None,
            qualifier: None,
            sentence: art.sentence_at(start).unwrap(),
            status: FigureStatus::Unsourced,
            source: None,
            restates: false,
        }
    }

    fn figure_status(text: &str, needle: &str) -> (FigureStatus, Option<String>) {
        let mut art = article(text);
        let opts = AnalysisOptions::default();
        art.quotations = quotes::scan(text, &art, &opts).quotations;
        let f = fig(&art, text, needle);
        art.figures = vec![f];
        attribute(
            text,
            &mut art,
            &opts,
            None,
            None,
            &crate::analysis::Cancel::never(),
        );
        (art.figures[0].status, art.figures[0].source.clone())
    }

    #[test]
    fn quoted_as_saying_names_the_one_quoted() {
        let t = "The Havnby Post quoted Mayor Ingrid Sol as saying: “The bridge opens in May.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Ingrid Sol"));
        let t = "“The bridge opens in May,” the Havnby Post quoted Ingrid Sol as saying.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Ingrid Sol"));
        let (s, src) = figure_status(
            "The radio cited port chief Ola Berg as saying 300 jobs would go.",
            "300 jobs",
        );
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("Ola Berg"))
        );
    }

    #[test]
    fn a_line_in_capitals_names_no_antecedent() {
        let t = "OSLAND OUTPUT UP 5.7 PCT IN BUMPER YEAR FOR HAVNBY PORTS\n\nOutput rose last year. It said exports rose 4.6 pct this year.";
        let (s, src) = figure_status(t, "4.6 pct");
        assert_eq!(s, FigureStatus::Sourced);
        assert_eq!(src.as_deref(), Some("It"));
    }

    /// A headline's quotation is said by whom the lead says it: the cue of
    /// the first lead sentence sharing a word with it, or of the sentence
    /// right after that one; never a later, unrelated cue, and never past
    /// the next heading. A long line ending in a comma is no headline.
    #[test]
    fn a_headline_quotation_takes_the_speaker_of_its_lead() {
        let q = |t: &str| {
            let q = &quotes_of(t)[0];
            (q.0.clone(), q.2, q.3.clone())
        };
        let t = "Tarn mill 'faces closure'\n\nThe Tarn paper mill faces closure within a year, its owners said on Monday. About 300 people work there.\n";
        assert_eq!(q(t), ("faces closure".into(), A, Some("its owners".into())));
        // The story first, its source in the sentence after.
        let t = "Ferry firm 'in $4m fuel dispute'\n\nBrandvik Ferries faces a fuel bill dispute with its supplier. The Tarn Gazette reported that talks broke down in May. The firm said nothing.\n";
        assert_eq!(q(t).2.as_deref(), Some("The Tarn Gazette"));
        // Vague: reports.
        let t = "Osland 'to sell ferry line'\n\nOsland will sell its last state ferry line next year, according to reports.\n";
        assert_eq!(q(t).1, Some(QuoteStatus::Vague));
        // No lead sentence shares a word: unattributed, as before.
        let t = "Harbour 'has its quietest summer in years'\n\nThe council met on Monday, the mayor said. Boats stayed in port.\n";
        assert_eq!(q(t).1, Some(QuoteStatus::Unattributed));
        // A heading all in quotation marks (a pull quote) names no speaker:
        // it stays unattributed until it does.
        let t = "Tarn mill\n\n'The mill faces closure this year'\n\nThe Tarn paper mill faces closure this year, its owners said.\n";
        assert_eq!(q(t).1, Some(QuoteStatus::Unattributed));
        // The next heading ends the lead.
        let t = "Harbour 'has its quietest summer in years'\n\nSummer\n\nThe harbour had its quietest summer in years, the mayor said.\n";
        assert_eq!(q(t).1, Some(QuoteStatus::Unattributed));
        // A body line that ends in a comma, its quotation at the end, is no
        // headline: the next paragraph's speaker is not its own.
        let t = "Rules\n\nTraders must now \"keep order in the pit at all times,\"\n\nThe order stays, Per Lund said.\n";
        assert_eq!(q(t).1, Some(QuoteStatus::Unattributed));
    }

    /// A past form after a noun that can speak is the verb, not a noun
    /// (`an official said`, `the media reported`); after other words it
    /// stays a noun's modifier (`the latest reports`).
    #[test]
    fn a_past_form_after_an_agent_noun_is_the_verb() {
        for (t, who) in [
            ("An official said the port shut 40 docks.", "An official"),
            (
                "A senior official said the port shut 40 docks.",
                "A senior official",
            ),
            (
                "One official told Reuters the port shut 40 docks.",
                "One official",
            ),
        ] {
            let (s, src) = figure_status(t, "40 docks");
            assert_eq!((s, src.as_deref()), (FigureStatus::Vague, Some(who)), "{t}");
        }
        let (s, src) = figure_status("Local media reported the port shut 40 docks.", "40 docks");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("Local media"))
        );
        let t = "“The port will stay shut all week,” an official said.";
        assert_eq!(quotes_of(t)[0].2, Some(QuoteStatus::Vague));
        let (s, _) = figure_status("The latest reports put the toll at 40 dead.", "40 dead");
        assert_eq!(s, FigureStatus::Unsourced);
        // After a capitalised word, a name's: `Gulf and Western said`.
        let t = "“The port is trying to shift its duties to others,” Harbour and Western said.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Harbour and Western"));
    }

    /// A month that is a person's name after a name (`Theresa May`,
    /// `Brian May`, `Mrs May`) is the speaker's; a month of time stays
    /// time (`in early May`, `in May, the company said`).
    #[test]
    fn a_month_after_a_name_is_a_name() {
        let t = "“We will tour again next summer,” Brian May said.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Brian May"));
        let (s, src) = figure_status("Theresa May said the plan would cost £3bn.", "£3bn");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("Theresa May"))
        );
        let (s, _) = figure_status("Mrs May said 40 people had died.", "40 people");
        assert_eq!(s, FigureStatus::Sourced);
        let (s, _) = figure_status("In early May the firm cut 300 jobs.", "300 jobs");
        assert_eq!(s, FigureStatus::Unsourced);
        let (s, src) = figure_status("Sales rose 5% in May, the company said.", "5%");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("the company"))
        );
    }

    /// A verb form that is also a plural noun (`claims`, `estimates`) is
    /// the verb after a determined singular noun and before a clause (`a
    /// new book claims the firm ...`, `the union estimates that ...`); a
    /// bare compound stays a noun (`zero coupon notes that could yield`).
    /// A noun's `about` complement is part of it (`the book about the
    /// ferry company says`).
    #[test]
    fn a_nounish_verb_after_a_determined_noun_is_the_verb() {
        for (t, fig, who) in [
            (
                "A new book claims the firm lost $40m in 2003.",
                "$40m",
                "A new book",
            ),
            (
                "The union estimates that 300 jobs will go.",
                "300 jobs",
                "The union",
            ),
            (
                "The bank forecasts it will grow 2% this year.",
                "2%",
                "The bank",
            ),
            (
                "The book about the ferry company says it lost $40m in 2003.",
                "$40m",
                "The book about the ferry company",
            ),
        ] {
            let (s, src) = figure_status(t, fig);
            assert_eq!(
                (s, src.as_deref()),
                (FigureStatus::Sourced, Some(who)),
                "{t}"
            );
        }
        for t in [
            "Zero coupon notes that could yield 5% were sold.",
            "The budget estimates were cut by 5%.",
        ] {
            assert_eq!(figure_status(t, "5%").0, FigureStatus::Unsourced, "{t}");
        }
    }

    /// Hearsay names no source but unnamed reports: `reportedly`, `is said
    /// to`, `were reported to` make a figure vague, not unsourced; `said`
    /// with an agent stays a plain cue.
    #[test]
    fn hearsay_is_a_vague_source() {
        for t in [
            "The firm is reportedly facing a 40m rouble tax claim.",
            "The club is said to want 40m euros for its striker.",
            "Reserves were reported to have dropped below 40m euros.",
        ] {
            let (s, src) = figure_status(t, "40m");
            assert_eq!(
                (s, src.as_deref()),
                (FigureStatus::Vague, Some("reports")),
                "{t}"
            );
        }
        // Beliefs and understandings no one owns: unnamed sources.
        for t in [
            "The club is believed to want 40m euros for its striker.",
            "Reserves are thought to have dropped below 40m euros.",
            "The striker is understood to earn 40m euros a year.",
        ] {
            let (s, src) = figure_status(t, "40m");
            assert_eq!(
                (s, src.as_deref()),
                (FigureStatus::Vague, Some("unnamed sources")),
                "{t}"
            );
        }
        let (s, src) = figure_status("The club said it wants 40m euros.", "40m euros");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("The club"))
        );
    }

    /// Verbs of judging speak for quotations: `criticised`, `hailed it as`,
    /// `defended … saying`; the next quotation of the paragraph continues
    /// the one who criticised.
    #[test]
    fn verbs_of_judging_tie_quotations() {
        let t = "Port chief Ana Diaz criticised the old rota. “There is simply no logic to a rota that changes every week.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Ana Diaz"));
        let t = "Harbour veteran Per Lund hailed the win as “one of the finest days this port has ever seen”.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Per Lund"));
    }

    /// `said an underwriter with a Wall Street house`: a person's noun and
    /// its firm; `claimed the title with a throw` is an object, no agent.
    /// Two quotations joined by `but` share the cue after the second.
    #[test]
    fn inverted_agents_with_their_firm_and_joined_quotations() {
        let t = "“Buyers have sat on the sidelines for weeks,” said an underwriter with a large Tarn bank.";
        assert_eq!(speaker(t, 0).as_deref(), Some("an underwriter"));
        let (s, _) = figure_status(
            "Then claimed the shot put title with a throw of 17.64m.",
            "17.64m",
        );
        assert_eq!(s, FigureStatus::Unsourced);
        let t = "“She is tough, she will not step down,” but “will hang on to the end” until May, Ana Diaz told Reuters.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Ana Diaz"));
        assert_eq!(speaker(t, 1).as_deref(), Some("Ana Diaz"));
        // Side by side with no conjunction, two statements: the cue after
        // the second is not the first's.
        let t = "“The harbour will stay shut for a week, whatever happens” “Ships will have to wait outside,” the mayor said.";
        assert_eq!(speaker(t, 1).as_deref(), Some("the mayor"));
        assert_ne!(speaker(t, 0).as_deref(), Some("the mayor"));
    }

    /// `the official said` after `a senior official` is that anonymous
    /// official (vague), not the nearest named person; with no anonymous
    /// one before, `the expert` still means the person named before.
    #[test]
    fn the_official_after_an_official_is_anonymous() {
        let t = "Port chief Ana Diaz met the unions. A senior official said talks would go on. “Our answer will be very negative,” the official said.";
        let q = &quotes_of(t)[0];
        assert_eq!(
            (q.2, q.3.as_deref()),
            (Some(QuoteStatus::Vague), Some("the official"))
        );
        let t = "Per Lund, who studies ports at Tarn University, wrote a report. “The harbour will lose trade,” the expert said.";
        assert_eq!(speaker(t, 0).as_deref(), Some("Per Lund"));
    }

    /// A quotation opening a paragraph continues the previous paragraph's
    /// anonymous speaker: it is vague, not unattributed.
    #[test]
    fn a_continuation_of_an_anonymous_speaker_is_vague() {
        let t = "“Prices will stay flat for now,” a foreign analyst said.\n\n“But they will rise again after a rest, because demand is strong.”\n";
        let q = quotes_of(t);
        assert_eq!(q[1].2, Some(QuoteStatus::Vague));
        assert_eq!(q[1].3.as_deref(), Some("a foreign analyst"));
    }

    #[test]
    fn it_said_means_the_body_the_previous_cue_names() {
        let t = "The airline said its fleet would reach Europe's biggest size. About 2,500 jobs will follow, it added.";
        let (s, src) = figure_status(t, "2,500 jobs");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("The airline"))
        );
        let t = "The port office said the audit was over. It added that clerks “were paid for work never done”.";
        assert_eq!(speaker(t, 0).as_deref(), Some("The port office"));
        // A name before `it` in its own sentence is what it means.
        let t = "The ministry warned Vestmark. The Osland Senate, meanwhile, is cutting staff, as it said 40 posts would go.";
        let (_, src) = figure_status(t, "40 posts");
        assert_eq!(src.as_deref(), Some("Osland Senate"));
    }

    #[test]
    fn a_bracketed_acronym_after_the_subject_keeps_it_the_source() {
        let (s, src) = figure_status(
            "The Osland Road Safety Office (ORSO) said the recall covers 15,465 trucks.",
            "15,465 trucks",
        );
        assert_eq!(s, FigureStatus::Sourced);
        assert_eq!(src.as_deref(), Some("The Osland Road Safety Office"));
        let t = "The Harbour Board (HB) warned that “no ship will sail before Friday.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("The Harbour Board"));
        let t =
            "Kari Holm, president of Osland Rating Agency Ltd (ORA), said, “Our rules are clear.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Kari Holm"));
        let t = "The panel chairman, Rep. Ola Dahl, (D-Havn.) said today “the time has come.”";
        assert_eq!(speaker(t, 0).as_deref(), Some("Ola Dahl"));
        let t = "The mayor talked about a “new deal for every part of the harbour”.";
        assert_eq!(speaker(t, 0).as_deref(), Some("The mayor"));
    }

    #[test]
    fn an_inverted_common_noun_phrase_ending_the_clause_is_the_speaker() {
        let t = "“We counted only the ships in port,” said the magazine.";
        assert_eq!(speaker(t, 0).as_deref(), Some("the magazine"));
        let q = quotes_of("“The krone looks firm today,” said one dealer.");
        assert_eq!(
            (q[0].2, q[0].3.as_deref()),
            (Some(QuoteStatus::Vague), Some("one dealer"))
        );
        let q = quotes_of("“Nobody will sell before Friday,” commented a banker.");
        assert_eq!(q[0].2, Some(QuoteStatus::Vague));
    }

    #[test]
    fn figures_sourced_by_cues() {
        let (s, src) = figure_status("The ministry said 40 schools would close.", "40 schools");
        assert_eq!(s, FigureStatus::Sourced);
        assert_eq!(src.as_deref(), Some("The ministry"));
        let (s, _) = figure_status(
            "According to the census bureau, 3,000 people moved away.",
            "3,000 people",
        );
        assert_eq!(s, FigureStatus::Sourced);
        let (s, _) = figure_status("The city spent $4 million on the park.", "$4 million");
        assert_eq!(s, FigureStatus::Unsourced);
        let (s, src) = figure_status(
            "Jon Moe ran the agency. He estimated that 12 towns were hit.",
            "12 towns",
        );
        assert_eq!(s, FigureStatus::Sourced);
        assert_eq!(src.as_deref(), Some("Jon Moe"));
        let (s, _) = figure_status("Officials say 300 homes were damaged.", "300 homes");
        assert_eq!(s, FigureStatus::Vague);
        let (s, _) = figure_status("The firm added 500 jobs last year.", "500 jobs");
        assert_eq!(s, FigureStatus::Unsourced);
        let (s, _) = figure_status("We are told 5 ships were lost.", "5 ships");
        assert_eq!(s, FigureStatus::Unsourced);
        // `forecast` is its own past tense: a verb after any subject, but
        // not before a noun's complement.
        let (s, src) = figure_status(
            "The farm ministry forecast the barley crop at 4.2 mln tonnes.",
            "4.2 mln tonnes",
        );
        assert_eq!(s, FigureStatus::Sourced);
        assert_eq!(src.as_deref(), Some("The farm ministry"));
        let (s, _) = figure_status("The bank forecast of 3% growth now looks too high.", "3%");
        assert_eq!(s, FigureStatus::Unsourced);
    }

    #[test]
    fn figures_sourced_by_links_notes_and_quotes() {
        let (s, src) = figure_status(
            "Exports rose by 7% [in the data](https://example.org/x).",
            "7%",
        );
        assert_eq!((s, src.as_deref()), (FigureStatus::Sourced, Some("link")));
        let (s, src) = figure_status("Exports rose by 7%.[^1]\n\n[^1]: Trade office.", "7%");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("footnote"))
        );
        let (s, src) = figure_status("Exports rose by 7%. [Source: Trade office]", "7%");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("Trade office"))
        );
        let (s, src) = figure_status("“We sold 90 boats this year,” said Lena Stark.", "90 boats");
        assert_eq!(
            (s, src.as_deref()),
            (FigureStatus::Sourced, Some("Lena Stark"))
        );
        let (s, _) = figure_status(
            "Official documents published with the treaty show 1,200 tanks.",
            "1,200 tanks",
        );
        assert_eq!(s, FigureStatus::Sourced);
        // A document and whose it is: one source.
        for (text, figure, source) in [
            (
                "Ferry traffic fell 3.5 pct in May, figures from the Harbour Board show.",
                "3.5 pct",
                "figures from the Harbour Board",
            ),
            (
                "Ferry traffic fell 2.1 pct in 1986, according to preliminary figures published by the Harbour Board.",
                "2.1 pct",
                "preliminary figures published by the Harbour Board",
            ),
            (
                "A survey by the Osland Institute found that 40% of ferries run late.",
                "40%",
                "A survey by the Osland Institute",
            ),
        ] {
            let (s, src) = figure_status(text, figure);
            assert_eq!(
                (s, src.as_deref()),
                (FigureStatus::Sourced, Some(source)),
                "{text}"
            );
        }
    }

    #[test]
    fn public_helpers() {
        let t = "Mayor Sven Lie opened the fair. He said 20 stalls were new.";
        let art = run(t);
        let s = sentence_source(t, &art, 1).unwrap();
        assert_eq!(s.agent, "Sven Lie");
        assert!(!s.vague);
        assert!(sentence_source(t, &art, 0).is_none());
        let t = "Mayor Sven Lie opened the fair. “Nobody expected so many visitors this early.”\n\nOther news.";
        let mut art = article(t);
        let opts = AnalysisOptions::default();
        art.quotations = quotes::scan(t, &art, &opts).quotations;
        assert_eq!(likely_speaker(t, &art, 0).as_deref(), Some("Sven Lie"));
    }
}

#[cfg(test)]
mod debug {
    use super::*;
    use crate::analysis::quotes::tests::article;

    /// `FACTLENS_DEBUG_SENTENCE="..." cargo test debug_cues -- --nocapture`
    #[test]
    fn debug_cues() {
        let Ok(t) = std::env::var("FACTLENS_DEBUG_SENTENCE") else {
            return;
        };
        let mut art = article(&t);
        art.quotations = crate::analysis::quotes::find(&t, &art, &AnalysisOptions::default());
        let ctx = new_ctx(&t, &art, 0..art.sentences.len());
        let holes = top_level_holes(&art);
        for s in &art.sentences {
            let piece = ctx.piece(s.span.clone(), &holes);
            let toks: Vec<String> = piece
                .toks
                .iter()
                .map(|t| format!("{:?}:{}", t.kind, &*t.low))
                .collect();
            println!("{toks:?}");
            for c in piece.cues(&ctx) {
                println!("  cue {:?} {:?} agent={:?}", c.text, c.strength, c.agent);
            }
        }
    }

    #[test]
    fn a_source_note_attributes_a_quotation() {
        let status = |text: &str, markdown: bool| {
            let opts = AnalysisOptions {
                markdown,
                ..AnalysisOptions::default()
            };
            let art = crate::analysis::analyze(text, &opts);
            let q = &art.quotations[0];
            (q.status, q.speaker.clone())
        };
        let plain = "The hall was silent.\n\n\"Nobody expected the roof to fall in that night.\" [Source: county fire report]\n";
        assert_eq!(
            status(plain, false),
            (
                Some(QuoteStatus::Attributed),
                Some("county fire report".into())
            )
        );
        let md = "The hall was silent.\n\n\"Nobody expected the roof to fall in that night.\"[^src-1]\n\n[^src-1]: Source: county fire report\n";
        assert_eq!(status(md, true).0, Some(QuoteStatus::Attributed));
        let bare = "The hall was silent.\n\n\"Nobody expected the roof to fall in that night.\"\n";
        assert_eq!(status(bare, false), (Some(QuoteStatus::Unattributed), None));
    }
}
