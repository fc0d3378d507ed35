//! The grammar of numbers: figures, their values, units and qualifiers.
//!
//! Each sentence is cut into tokens (words, numbers, single punctuation
//! marks; dates, times and skipped regions become barriers). A figure starts
//! at a number (digits with `,`/thin-space groups and decimals, or spelled
//! out: `twenty-five`, `one trillion`, `a dozen`, `hundreds of`) and grows:
//!
//! ```text
//! [qualifier] [currency] NUMBER [multiplier] [range] [currency | % | unit | counted noun]
//! ```
//!
//! The qualifier (`over`, `more than`) stays out of the span. Exclusions are
//! rules on the token context: years, dates and times (regex, run first),
//! numbers inside names (`COVID-19`, `G7`, `Defense One`), ordinals (`2nd`),
//! decades (`1990s`), the pronoun/idiom `one`, anaphora (`the two
//! countries`), list numbering, scores (`3-1`), compound adjectives
//! (`two-front`), page furniture (`4 comments`).

use super::lexicon::{
    CurrencyKind, FxSet, CURRENCIES, CURRENCY_COUNTRIES, FURNITURE, MONTHS, MULTIPLIERS,
    NATIONALITIES, NP_STOP, NUMBER_WORDS, PLURALS, QUALIFIERS_BY_LAST, QUALIFIER_WORDS,
    SENTENCE_OPENERS, UNITS, UNIT_FIRST_WORDS,
};
use super::lower::Lower;
use super::memo::{self, Memo};
use super::{AnalysisOptions, Article, DateMention, Figure, FigureStatus, Span};
use regex::Regex;
use std::sync::LazyLock;

/// Figures of the article (sourcing is left to the attribution sieve).
pub fn find(text: &str, art: &Article, opts: &AnalysisOptions) -> Vec<Figure> {
    scan(text, art, opts, None, &super::Cancel::never()).0
}

/// The figures of each sentence from the previous analysis of a document,
/// keyed by everything the sentence's figures are read from: the sentence
/// and the rest of its lines (`context_bounds`), its place in them, and the
/// skipped regions and date barriers that reach into it. A keystroke
/// changes one key; the figures of every other sentence are taken from
/// here, shifted to their new offsets. Entries not used by an analysis are
/// dropped by it, so the memo holds one document's sentences at most.
/// The values are the sentence's figures, offsets relative to the start
/// of the context.
pub type FigureMemo = Memo<Vec<Figure>>;

/// The text around sentence `span` that its figures can depend on: the
/// rest of its first and last lines (page furniture and list numbers are
/// judged on the whole line), cut short once 9 words are seen on a side,
/// since a line of more than 8 words is neither. Returns the bounds and
/// whether each side was cut.
fn context_bounds(text: &str, span: &Span) -> (Span, bool, bool) {
    const WORDS: usize = 9;
    let b = text.as_bytes();
    // A word here: a run without ASCII whitespace holding an ASCII letter or
    // digit (never more of them than `split_whitespace` finds).
    let count = |range: &mut dyn Iterator<Item = usize>| -> (Option<usize>, bool) {
        let (mut words, mut counted) = (0usize, false);
        let mut last = None;
        for i in range {
            let c = b[i];
            if c == b'\n' {
                return (last, false);
            }
            if c.is_ascii_whitespace() {
                counted = false;
            } else if c.is_ascii_alphanumeric() && !counted {
                counted = true;
                words += 1;
            }
            last = Some(i);
            if words >= WORDS && counted {
                return (last, true);
            }
        }
        (last, false)
    };
    let (first, cut_before) = count(&mut (0..span.start).rev());
    let (last, cut_after) = count(&mut (span.end..b.len()));
    let mut start = first.unwrap_or(span.start);
    let mut end = last.map_or(span.end, |i| i + 1);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start..end, cut_before, cut_after)
}

/// The memo key of sentence `span`: (hash, context start, context), with
/// the relative spans left in `rel`.
fn memo_key<'t>(
    text: &'t str,
    span: &Span,
    skipped: &[Span],
    barriers: &[Span],
    rel: &mut Vec<(usize, usize)>,
) -> (u64, usize, &'t str) {
    let (lines, cut_before, cut_after) = context_bounds(text, span);
    let base = lines.start;
    rel.clear();
    rel.push((span.start - base, span.end - base));
    rel.push((usize::from(cut_before), usize::from(cut_after)));
    for list in [skipped, barriers] {
        let from = list.partition_point(|s| s.end <= span.start);
        for s in list[from..].iter().take_while(|s| s.start < span.end) {
            rel.push((s.start.max(base) - base, s.end.max(base) - base));
        }
        rel.push((usize::MAX, usize::MAX));
    }
    let context = &text[lines];
    (memo::hash(context, rel), base, context)
}

fn shift(f: &Figure, by: isize) -> Figure {
    let mv = |x: usize| x.saturating_add_signed(by);
    Figure {
        span: mv(f.span.start)..mv(f.span.end),
        ..f.clone()
    }
}

/// Figures and dates of the article in one pass; with a memo, sentences
/// seen in the previous analysis are not read again.
pub fn scan(
    text: &str,
    art: &Article,
    opts: &AnalysisOptions,
    mut memo: Option<&mut FigureMemo>,
    cancel: &super::Cancel,
) -> (Vec<Figure>, Vec<DateMention>) {
    let dt = dates_and_times(text, art);
    let mut figures = Vec::new();
    let mut dates = Vec::new();
    for d in &dt {
        if d.is_date {
            if let Some(si) = art.sentence_at(d.span.start) {
                dates.push(DateMention {
                    span: d.span.clone(),
                    sentence: si,
                });
                if opts.dates_as_figures {
                    figures.push(Figure {
                        span: d.span.clone(),
                        value: date_value(&text[d.span.clone()]),
                        value_to: None,
                        unit: Some("date".to_string()),
                        qualifier: None,
                        sentence: si,
                        status: FigureStatus::Unsourced,
                        source: None,
                        restates: false,
                    });
                }
            }
        }
    }
    let barriers: Vec<Span> = dt.iter().map(|d| d.span.clone()).collect();
    let mut furniture_cache: Option<(usize, bool)> = None;
    let mut toks = Vec::new();
    if let Some(m) = memo.as_deref_mut() {
        m.begin();
    }
    let mut rel: Vec<(usize, usize)> = Vec::new();
    for (si, s) in art.sentences.iter().enumerate() {
        if cancel.every(si) {
            // Unfinished: the memo keeps what it had (no `end`).
            return (figures, dates);
        }
        // Without a memo, the byte scan for a digit or number word comes
        // first; with one, the lookup (a hash of the lines) is cheaper.
        if memo.is_none() && !may_hold_number(text, s.span.clone()) {
            continue;
        }
        let key = match memo.as_deref_mut() {
            Some(m) => {
                let (h, base, context) = memo_key(text, &s.span, &art.skipped, &barriers, &mut rel);
                if let Some(figs) = m.get(h, context, &rel) {
                    figures.extend(figs.iter().map(|f| Figure {
                        sentence: si,
                        ..shift(f, base as isize)
                    }));
                    continue;
                }
                Some((h, base, context))
            }
            None => None,
        };
        let first_fig = figures.len();
        if key.is_none() || may_hold_number(text, s.span.clone()) {
            scan_sentence(
                text,
                s.span.clone(),
                si,
                (&art.skipped, &barriers),
                (&mut toks, &mut furniture_cache),
                &mut figures,
            );
        }
        if let (Some((h, base, context)), Some(m)) = (key, memo.as_deref_mut()) {
            let kept = figures[first_fig..]
                .iter()
                .map(|f| shift(f, -(base as isize)))
                .collect();
            m.insert(h, context, rel.clone(), kept);
        }
    }
    if let Some(m) = memo {
        m.end();
    }
    figures.sort_by_key(|f| (f.span.start, f.span.end));
    (figures, dates)
}

/// The figures of one sentence, appended to `figures`.
fn scan_sentence(
    text: &str,
    span: Span,
    si: usize,
    (skipped, barriers): (&[Span], &[Span]),
    (toks, furniture_cache): (&mut Vec<Tok>, &mut Option<(usize, bool)>),
    figures: &mut Vec<Figure>,
) {
    toks.clear();
    let end = span.end;
    tokenize(text, span, skipped, barriers, toks);
    let first_fig = figures.len();
    let mut i = 0;
    while i < toks.len() {
        // Only a number starts a figure: the cheap test first (most tokens
        // are ordinary words).
        let found = may_start_number(text, &toks[i])
            .then(|| parse_figure(text, toks, i, furniture_cache))
            .flatten();
        match found {
            Some((mut f, next)) => {
                f.sentence = si;
                figures.push(f);
                i = next.max(i + 1);
            }
            None => {
                // Skip the rest of a glued chunk (`3-1`, `Zapad-2021`).
                let skip_chunk = matches!(toks[i].k, K::Num | K::Word);
                i += 1;
                while skip_chunk
                    && i < toks.len()
                    && !toks[i].gap
                    && toks[i].k != K::Barrier
                    && !CURRENCIES.contains_key(tstr(text, &toks[i]))
                {
                    i += 1;
                }
            }
        }
    }
    // A part of a whole: `two of her three matches`, `five of its 12
    // ferries` count the whole's unit.
    for k in first_fig..figures.len().saturating_sub(1) {
        let (f, whole) = (&figures[k], &figures[k + 1]);
        if f.unit.is_some()
            || f.value_to.is_some()
            || whole.unit.as_deref().is_none_or(|u| u == "%")
        {
            continue;
        }
        let gap = text.get(f.span.end..whole.span.start).unwrap_or("");
        let mut words = gap.split_whitespace();
        let part_of = gap.starts_with(char::is_whitespace)
            && words.next() == Some("of")
            && match words.next() {
                None => true,
                Some(det) => {
                    matches!(
                        det,
                        "the" | "her" | "his" | "its" | "their" | "our" | "my" | "your"
                    ) && words.next().is_none()
                }
            };
        if part_of {
            figures[k].unit = figures[k + 1].unit.clone();
        }
    }
    // Suspended compounds: `three and six-month bills`, `two- or
    // five-year notes`: a bare number joined to a hyphenated figure takes
    // its unit (not an earlier figure's, below).
    for k in first_fig..figures.len().saturating_sub(1) {
        let (f, next) = (&figures[k], &figures[k + 1]);
        if f.unit.is_some() || f.value_to.is_some() || next.unit.is_none() {
            continue;
        }
        let compound = text
            .get(next.span.clone())
            .is_some_and(|t| t.contains('-') && !t.contains(' '));
        let gap = text.get(f.span.end..next.span.start).unwrap_or("");
        let joined = matches!(
            gap.trim_start_matches('-'),
            " and " | " or " | " to " | "- and " | "- or " | "- to "
        );
        if compound && joined {
            figures[k].unit = figures[k + 1].unit.clone();
        }
    }
    // Elided units: a bare number inherits the previous figure's unit.
    let mut prev_unit: Option<usize> = None;
    for k in first_fig..figures.len() {
        if figures[k].unit.is_none() {
            if let Some(p) = prev_unit {
                figures[k].unit = figures[p].unit.clone();
                // A percentage is kept as a fraction (`5% and 7` = 0.07).
                if figures[k].unit.as_deref() == Some("%") {
                    figures[k].value = tidy_percent(figures[k].value);
                    figures[k].value_to = figures[k].value_to.map(tidy_percent);
                }
            }
        }
        if figures[k].unit.is_some() {
            prev_unit = Some(k);
        }
    }
    // Currency conversions: `$100m (£52m)`, `£5.7bn ($10.7bn; 8.2bn
    // euros)`, `200 mln yen (about 1.3 mln dlrs)`.
    let mut open_bracket = false;
    for k in first_fig + 1..figures.len() {
        let (prev, f) = (&figures[k - 1], &figures[k]);
        let gap = &text[prev.span.end.min(f.span.start)..f.span.start];
        let restates = currency_code(f).is_some_and(|c| {
            currency_code(prev).is_some_and(|p| p != c) && {
                let g = gap.trim();
                let (opens, rest) = match g.strip_prefix('(') {
                    Some(rest) => (true, rest),
                    None => (false, g.trim_start_matches([';', ','])),
                };
                let chained = !opens && open_bracket && g.len() > rest.len();
                (opens || chained) && is_qualifier_gap(rest)
            }
        });
        // Still inside the bracket the first conversion opened.
        open_bracket = restates && !text[f.span.end.min(end)..end].trim_start().starts_with(')');
        figures[k].restates = restates;
    }
}

/// The ISO code of a money figure's currency (`USD`, `GBP-penny` -> `GBP`),
/// `None` for other units.
fn currency_code(f: &Figure) -> Option<&str> {
    let u = f.unit.as_deref()?;
    let code = u.split('-').next()?;
    (code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())).then_some(code)
}

/// Whether the text between a conversion's bracket or separator and its
/// number holds at most a short qualifier (`about`, `roughly`, `or`).
fn is_qualifier_gap(rest: &str) -> bool {
    rest.len() <= 24
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b' ' || b == b'.')
}

// ---------------------------------------------------------------------------
// Dates and times
// ---------------------------------------------------------------------------

struct DateTime {
    span: Span,
    is_date: bool,
}

const MON: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let p = format!(
        r"(?-u:\b)(?:{MON}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s?[-–—]\s?\d{{1,2}}(?:st|nd|rd|th)?)?(?-u:\b)(?:,?\s+\d{{4}}(?-u:\b))?|\d{{1,2}}(?:st|nd|rd|th)?(?:(?:\s?[-–—]\s?|\s+(?:to|and|until|till)\s+)\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?{MON}(?-u:\b)(?:,?\s+\d{{4}}(?-u:\b))?|{MON}\.?,?\s+\d{{4}}(?-u:\b)|\d{{1,2}}[./]\d{{1,2}}[./](?:\d{{4}}|\d{{2}})(?-u:\b)|\d{{1,2}} ?/ ?\d{{1,2}} ?/ ?\d{{4}}(?-u:\b)|\d{{4}}-\d{{2}}-\d{{2}}(?-u:\b))"
    );
    Regex::new(&p).expect("date regex")
});

/// A wire dateline's date written in lower case (`santiago, march 6 -`):
/// a month, a day and the dateline's dash. (Elsewhere a lower-case month
/// may be a verb: `march 6 miles`, `may 5 people`.)
static LOWER_DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:jan|january|feb|february|mar|march|apr|april|may|june?|july?|aug|august|sept?|september|oct|october|nov|november|dec|december)\.?\s+\d{1,2}(?:,\s*\d{4})?\s+[-–—]\s",
    )
    .expect("lower-case dateline regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)\d{1,2}(?::\s?\d{2}(?::\d{2})?(?:\s?[ap]\.?m(?-u:\b)\.?)?|(?:[.:]\d{2})?\s?[ap]\.m\.|(?:[.:]\d{2})?\s?[ap]m(?-u:\b))",
    )
    .expect("time regex")
});

fn in_spans(spans: &[Span], pos: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= pos);
    i < spans.len() && spans[i].start <= pos
}

/// Windows of text around digit runs (dates and times all hold a digit),
/// widened to whitespace and merged: the regexes only read these.
fn digit_windows(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out: Vec<Span> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',' || b[i] == b'.') {
            i += 1;
        }
        let mut ws = s.saturating_sub(16);
        let floor = ws.saturating_sub(24);
        while ws > floor && !b[ws - 1].is_ascii_whitespace() {
            ws -= 1;
        }
        while !text.is_char_boundary(ws) {
            ws -= 1;
        }
        let mut we = (i + 32).min(b.len());
        let ceil = (we + 24).min(b.len());
        while we < ceil && !b[we].is_ascii_whitespace() {
            we += 1;
        }
        while !text.is_char_boundary(we) {
            we += 1;
        }
        match out.last_mut() {
            Some(last) if ws <= last.end => last.end = last.end.max(we),
            _ => out.push(ws..we),
        }
    }
    out
}

fn dates_and_times(text: &str, art: &Article) -> Vec<DateTime> {
    let windows = digit_windows(text);
    let found = |re: &'static Regex| {
        windows.iter().flat_map(move |w| {
            re.find_iter(&text[w.clone()])
                .map(move |m| (w.start + m.start())..(w.start + m.end()))
        })
    };
    let mut out: Vec<DateTime> = Vec::new();
    let datelines = found(&LOWER_DATELINE).map(|m| {
        // The date without the dash.
        let t = text[m.clone()].trim_end_matches(|c: char| c.is_whitespace() || "-–—".contains(c));
        m.start..m.start + t.len()
    });
    for m in found(&DATE).chain(datelines) {
        let m_str = &text[m.clone()];
        if in_spans(&art.skipped, m.start) {
            continue;
        }
        // `5 May` or `March 3`: keep only well-formed day numbers.
        let ok = m_str
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .all(|p| p.len() == 4 || p.parse::<u32>().is_ok_and(|v| (1..=31).contains(&v)));
        if !ok {
            continue;
        }
        // Preceded by a digit or letter glued: not a date (`A12.10.20`).
        if text[..m.start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',')
        {
            continue;
        }
        out.push(DateTime {
            span: m,
            is_date: true,
        });
    }
    for m in found(&TIME) {
        if in_spans(&art.skipped, m.start) {
            continue;
        }
        let s = &text[m.clone()];
        let hour: u32 = s
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|h| h.parse().ok())
            .unwrap_or(99);
        if hour > 24 {
            continue;
        }
        if text[..m.start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',' || c == ':')
        {
            continue;
        }
        out.push(DateTime {
            span: m,
            is_date: false,
        });
    }
    out.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.span.end)));
    let mut merged: Vec<DateTime> = Vec::with_capacity(out.len());
    for d in out {
        match merged.last_mut() {
            Some(last) if d.span.start < last.span.end => {
                last.span.end = last.span.end.max(d.span.end);
            }
            _ => merged.push(d),
        }
    }
    merged
}

/// A comparable number for a date: `yyyymmdd`, unknown parts as 0.
fn date_value(s: &str) -> f64 {
    let mut year = 0u32;
    let mut month = 0u32;
    let mut day = 0u32;
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    for w in s.split(|c: char| !c.is_alphabetic()) {
        if let Some(m) = MONTHS.get(w.to_ascii_lowercase().as_str()) {
            month = *m as u32;
        }
    }
    if month == 0 && nums.len() == 3 {
        if nums[0].len() == 4 {
            year = nums[0].parse().unwrap_or(0);
            month = nums[1].parse().unwrap_or(0);
            day = nums[2].parse().unwrap_or(0);
        } else {
            day = nums[0].parse().unwrap_or(0);
            month = nums[1].parse().unwrap_or(0);
            year = nums[2].parse().unwrap_or(0);
            if year < 100 {
                year += 2000;
            }
        }
    } else {
        for n in nums {
            let v: u32 = n.parse().unwrap_or(0);
            if n.len() == 4 {
                year = v;
            } else if day == 0 {
                day = v; // a range `6-9 January` compares by its first day
            }
        }
    }
    (year * 10000 + month * 100 + day) as f64
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    Word,
    Num,
    Punct,
    /// A date, time or skipped region: ends every phrase.
    Barrier,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    s: usize,
    e: usize,
    k: K,
    /// Whitespace (or the sentence start) before the token.
    gap: bool,
}

fn is_group_space(c: char) -> bool {
    matches!(c, '\u{2009}' | '\u{202F}' | '\u{00A0}')
}

fn tokenize(text: &str, span: Span, skipped: &[Span], barriers: &[Span], out: &mut Vec<Tok>) {
    let b = text.as_bytes();
    let mut i = span.start;
    let mut gap = true;
    let mut sk = skipped.partition_point(|s| s.end <= i);
    let mut br = barriers.partition_point(|s| s.end <= i);
    while i < span.end {
        while sk < skipped.len() && skipped[sk].end <= i {
            sk += 1;
        }
        while br < barriers.len() && barriers[br].end <= i {
            br += 1;
        }
        let starts_here = |s: Option<&Span>| s.is_some_and(|s| s.start <= i);
        let hit = if starts_here(skipped.get(sk)) || starts_here(barriers.get(br)) {
            [skipped.get(sk), barriers.get(br)]
                .into_iter()
                .flatten()
                .filter(|s| s.start <= i)
                .map(|s| s.end)
                .max()
        } else {
            None
        };
        if let Some(end) = hit {
            let end = end.min(span.end).max(i + 1);
            out.push(Tok {
                s: i,
                e: end,
                k: K::Barrier,
                gap,
            });
            gap = false;
            i = end;
            while !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        if b[i].is_ascii_whitespace() {
            gap = true;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            gap = true;
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let kind;
        if c.is_ascii_digit() {
            kind = K::Num;
            i += 1;
            let mut decimal = false;
            loop {
                while i < span.end && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i >= span.end {
                    break;
                }
                let rest = &text[i..span.end];
                let sep = rest.chars().next().unwrap_or(' ');
                let after = &rest[sep.len_utf8()..];
                let ab = after.as_bytes();
                let three = ab.len() >= 3
                    && ab[..3].iter().all(u8::is_ascii_digit)
                    && !ab.get(3).is_some_and(u8::is_ascii_digit);
                if (sep == ',' || is_group_space(sep)) && three && !decimal {
                    i += sep.len_utf8() + 3;
                    continue;
                }
                if sep == '.' && !decimal && ab.first().is_some_and(u8::is_ascii_digit) {
                    decimal = true;
                    i += 1;
                    continue;
                }
                break;
            }
        } else if c.is_alphabetic() {
            kind = K::Word;
            i += c.len_utf8();
            while i < span.end {
                if b[i].is_ascii_alphabetic() {
                    i += 1;
                    continue;
                }
                let d = text[i..].chars().next().unwrap_or(' ');
                let apostrophe = (d == '\'' || d == '’')
                    && text[i + d.len_utf8()..span.end]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphabetic);
                if d.is_alphabetic() || is_mark(d) || apostrophe {
                    i += d.len_utf8();
                } else {
                    break;
                }
            }
        } else {
            kind = K::Punct;
            i += c.len_utf8();
        }
        out.push(Tok {
            s: start,
            e: i,
            k: kind,
            gap,
        });
        gap = false;
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}')
}

fn lc(s: &str) -> Lower<'_> {
    // Most words: ASCII lower case already, one pass.
    if !s.bytes().any(|c| c >= 0x80 || c.is_ascii_uppercase()) {
        return Lower::Borrowed(s);
    }
    if s.is_ascii() {
        Lower::of(s)
    } else {
        Lower::of_checked(s, s.chars().any(|c| c.is_uppercase()))
    }
}

fn is_capitalized(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn tstr<'t>(text: &'t str, t: &Tok) -> &'t str {
    &text[t.s..t.e]
}

/// The code of the currency word `toks[head]` (alone: `plain`) after a
/// country's adjective among `toks[from..head]`: `Canadian dlrs` (CAD),
/// `Hong Kong dollars` (HKD), `French francs` (FRF).
fn country_currency(
    text: &str,
    toks: &[Tok],
    from: usize,
    head: usize,
    plain: &'static str,
) -> &'static str {
    let word = |k: usize| lc(tstr(text, &toks[k]));
    if head > from {
        if let Some(c) = CURRENCY_COUNTRIES.get(&(word(head - 1).as_ref(), plain)) {
            return c;
        }
    }
    if head > from + 1 {
        let two = format!("{} {}", word(head - 2), word(head - 1));
        if let Some(c) = CURRENCY_COUNTRIES.get(&(two.as_str(), plain)) {
            return c;
        }
    }
    plain
}

/// Whether the number at `toks[i]` (ending before token `end`) is part of
/// a name: plain digits after a capitalised word inside the sentence
/// (`Boeing 737-800 planes`, `Chapter 11 bankruptcy`, `the Hot 100 chart`,
/// `Windows 95`), with no unit, currency or multiplier after it and no
/// capitalised word (a title-case headline: `Airline Buys 70 Planes`).
/// A month or weekday before it is a date's (`December 21`), handled
/// elsewhere.
fn model_number(text: &str, toks: &[Tok], i: usize, end: usize) -> bool {
    let t = &toks[i];
    if i == 0 || !t.gap || !tstr(text, t).bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let p = &toks[i - 1];
    let pw = tstr(text, p);
    let title_case =
        pw.chars().next().is_some_and(char::is_uppercase) && pw.chars().any(char::is_lowercase);
    // A possessive owns a count (`India's 35 states`).
    let possessive = ["'s", "’s", "'", "’"].iter().any(|s| pw.ends_with(s));
    if p.k != K::Word || !title_case || possessive || sentence_initial(text, toks, i - 1) {
        return false;
    }
    let pl = lc(pw);
    let pl = pl.as_ref();
    if MONTHS.contains_key(pl)
        || WEEKDAYS.contains(&pl)
        || NATIONALITIES.contains(pl)
        || UNITS.contains_key(pl)
        || CURRENCIES.contains_key(pl)
        || MULTIPLIERS.contains_key(pl)
        || matches!(pl, "no" | "nos" | "number")
        // A qualifier capitalised after a dateline (`PARIS, March 7 -
        // About 200 people`) qualifies a count; it names nothing.
        || QUALIFIERS_BY_LAST.contains_key(pl)
    {
        return false;
    }
    match toks.get(end) {
        Some(n) if n.k == K::Word => {
            let w = tstr(text, n);
            let l = lc(w);
            !w.chars().next().is_some_and(char::is_uppercase)
                && !UNITS.contains_key(l.as_ref())
                && !CURRENCIES.contains_key(l.as_ref())
                && !MULTIPLIERS.contains_key(l.as_ref())
                && !matches!(l.as_ref(), "pct" | "percent" | "per" | "cent")
        }
        Some(n) => !matches!(tstr(text, n), "%" | "$" | "£" | "€"),
        None => true,
    }
}

/// Weekdays, lower case: `on Tuesday 40 people` is no name.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Time zones written after a clock time (`1430 GMT`, `0900 hrs EDT`).
pub(crate) const TIME_ZONES: &[&str] = &[
    "gmt", "utc", "bst", "cet", "cest", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt",
    "jst", "hkt", "sgt", "ist", "aest", "aedt",
];

/// Whether the four-digit number `toks[i]` (its number ends at token
/// `end`) is a 24-hour clock time, not a count: `1430 GMT`, `1550 hrs
/// EDT`, `by 1200 hours`. A duration keeps its figure (`worked 1200 hours`).
fn clock_time(text: &str, toks: &[Tok], i: usize, end: usize) -> bool {
    let d = tstr(text, &toks[i]).as_bytes();
    if d.len() != 4 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (hh, mm) = (
        (d[0] - b'0') * 10 + (d[1] - b'0'),
        (d[2] - b'0') * 10 + (d[3] - b'0'),
    );
    if hh > 23 || mm > 59 {
        return false;
    }
    let word = |j: usize| {
        toks.get(j)
            .filter(|t| t.k == K::Word)
            .map(|t| lc(tstr(text, t)))
    };
    let is_zone = |j: usize| word(j).is_some_and(|w| TIME_ZONES.contains(&w.as_ref()));
    let hours = word(end).is_some_and(|w| matches!(w.as_ref(), "hrs" | "hours" | "hr" | "h"));
    if is_zone(end) || hours && is_zone(end + 1) {
        return true;
    }
    // `by 1200 hours`, `at 1500 hrs`: a moment, not an amount of time.
    hours
        && i > 0
        && word(i - 1).is_some_and(|w| {
            matches!(
                w.as_ref(),
                "at" | "by" | "until" | "till" | "before" | "after" | "from" | "since"
            )
        })
}

fn word_is(text: &str, toks: &[Tok], j: usize, w: &str) -> bool {
    toks.get(j)
        .is_some_and(|t| t.k == K::Word && tstr(text, t).eq_ignore_ascii_case(w))
}

fn punct_is(text: &str, toks: &[Tok], j: usize, p: &[&str]) -> bool {
    toks.get(j)
        .is_some_and(|t| t.k == K::Punct && p.contains(&tstr(text, t)))
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

struct Number {
    /// Token range of the number itself.
    end: usize,
    value: f64,
    spelled: bool,
    /// Digits without separators or decimals.
    plain_int: bool,
    digits: usize,
    /// `hundreds of`, `dozens of`.
    vague: bool,
    /// The single word `one` (pronoun/idiom candidate).
    lone_one: bool,
    /// A spelled multiplier was part of the number (`one trillion`).
    multiplied: bool,
}

const DASHES: &[&str] = &["-", "–", "—", "‑"];

fn parse_digits(s: &str) -> Option<f64> {
    // The digits and dots, on the stack when they fit (they nearly always do).
    let mut buf = [0u8; 64];
    let mut n = 0;
    for &c in s.as_bytes() {
        if c.is_ascii_digit() || c == b'.' {
            if n == buf.len() {
                let clean: String = s
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                return clean.parse().ok();
            }
            buf[n] = c;
            n += 1;
        }
    }
    // ASCII digits and dots only: valid UTF-8.
    std::str::from_utf8(&buf[..n]).ok()?.parse().ok()
}

/// Words a number can start with, besides [`NUMBER_WORDS`].
const NUMBER_STARTS: &[&str] = &[
    "a",
    "an",
    "dozens",
    "scores",
    "hundreds",
    "thousands",
    "millions",
    "billions",
    "tens",
];

/// Bit `len` of `[first][second]` is set when a word of that length starts
/// with those two lowercase ASCII letters: a cheap filter before hashing.
type Prefilter = [[u32; 26]; 26];

fn prefilter<'w>(words: impl Iterator<Item = &'w str>) -> Box<Prefilter> {
    let mut t = Box::new([[0u32; 26]; 26]);
    for w in words {
        let b = w.as_bytes();
        let second = if b.len() > 1 { b[1] } else { b'a' };
        if b[0].is_ascii_lowercase() && second.is_ascii_lowercase() && b.len() < 32 {
            t[(b[0] - b'a') as usize][(second - b'a') as usize] |= 1 << b.len();
        }
    }
    t
}

/// Whether `w` (any case) passes the prefilter `t`.
fn passes(t: &Prefilter, w: &str) -> bool {
    let b = w.as_bytes();
    if b.is_empty() || b.len() >= 32 {
        return false;
    }
    let f = b[0].to_ascii_lowercase();
    let s = if b.len() > 1 {
        b[1].to_ascii_lowercase()
    } else {
        b'a'
    };
    if !f.is_ascii_lowercase() || !s.is_ascii_lowercase() {
        return false;
    }
    t[(f - b'a') as usize][(s - b'a') as usize] & (1 << b.len()) != 0
}

/// The prefilter of the words a number can start with.
static NUMBER_PREFILTER: LazyLock<Box<Prefilter>> = LazyLock::new(|| {
    prefilter(
        NUMBER_WORDS
            .keys()
            .copied()
            .chain(NUMBER_STARTS.iter().copied()),
    )
});

fn maybe_number_word(w: &str) -> bool {
    passes(&NUMBER_PREFILTER, w)
}

/// Words that make a sentence worth reading besides number words and
/// digits (`a dozen`, `a million`).
const NUMBER_HINTS: &[&str] = &[
    "dozen", "hundred", "thousand", "million", "billion", "trillion",
];

/// The words of three letters or more (lowercase) that make
/// [`may_hold_number`] true: number words, number starts and hints.
static HINT_WORDS: LazyLock<(Box<Prefilter>, FxSet<&'static str>)> = LazyLock::new(|| {
    let words: FxSet<&'static str> = NUMBER_WORDS
        .keys()
        .copied()
        .chain(NUMBER_STARTS.iter().copied())
        .chain(NUMBER_HINTS.iter().copied())
        .filter(|w| w.len() >= 3)
        .collect();
    (prefilter(words.iter().copied()), words)
});

/// A fast byte scan: does the sentence hold a digit or a word that may be
/// a number word? Sentences without one hold no figure.
fn may_hold_number(text: &str, span: Span) -> bool {
    let (filter, words) = &*HINT_WORDS;
    let base = span.start;
    let b = &text.as_bytes()[span];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            return true;
        }
        if c.is_ascii_alphabetic() {
            let s = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            if i - s >= 3 {
                // ASCII letters: char boundaries on both sides.
                let w = text.get(base + s..base + i).unwrap_or("");
                if passes(filter, w) && words.contains(lc(w).as_ref()) {
                    return true;
                }
            }
            continue;
        }
        i += 1;
    }
    false
}

/// Whether [`parse_number`] may find a number at token `t`: digits, or a
/// word that passes the number-word prefilter.
fn may_start_number(text: &str, t: &Tok) -> bool {
    match t.k {
        K::Num => true,
        K::Word => maybe_number_word(tstr(text, t)),
        K::Punct | K::Barrier => false,
    }
}

/// A number starting at token `i`.
/// A fraction in eighths and the like starting at token `k` (`7/8`,
/// `9/16`): its value and the token after it. Only a numerator below a
/// denominator that is a power of two from 2 to 64, as prices and rates
/// are quoted; not `9/11`, `24/7`, `1/2/3`.
fn fraction_at(text: &str, toks: &[Tok], k: usize) -> Option<(f64, usize)> {
    let plain = |t: &Tok| t.k == K::Num && tstr(text, t).bytes().all(|c| c.is_ascii_digit());
    let (n, slash, d) = (toks.get(k)?, toks.get(k + 1)?, toks.get(k + 2)?);
    if !plain(n) || slash.gap || tstr(text, slash) != "/" || d.gap || !plain(d) {
        return None;
    }
    let (num, den): (u32, u32) = (tstr(text, n).parse().ok()?, tstr(text, d).parse().ok()?);
    if !(2..=64).contains(&den) || !den.is_power_of_two() || num == 0 || num >= den {
        return None;
    }
    if toks
        .get(k + 3)
        .is_some_and(|t| !t.gap && (t.k == K::Num || tstr(text, t) == "/"))
    {
        return None;
    }
    Some((num as f64 / den as f64, k + 3))
}

fn parse_number(text: &str, toks: &[Tok], i: usize) -> Option<Number> {
    let t = toks[i];
    if t.k == K::Num {
        let s = tstr(text, &t);
        let value = parse_digits(s)?;
        let plain = s.bytes().all(|c| c.is_ascii_digit());
        // Wire prices and rates: `7/8`, `8-1/2` (eight and a half).
        let fraction = fraction_at(text, toks, i)
            .or_else(|| {
                let dash = toks.get(i + 1)?;
                if !plain || dash.gap || tstr(text, dash) != "-" || toks.get(i + 2)?.gap {
                    return None;
                }
                fraction_at(text, toks, i + 2).map(|(f, end)| (value + f, end))
            })
            .or_else(|| {
                // `3 1/2 dollars`
                let next = toks.get(i + 1)?;
                if !plain || !next.gap {
                    return None;
                }
                fraction_at(text, toks, i + 1).map(|(f, end)| (value + f, end))
            });
        if let Some((value, end)) = fraction {
            return Some(Number {
                end,
                value,
                spelled: false,
                plain_int: false,
                digits: 0,
                vague: false,
                lone_one: false,
                multiplied: false,
            });
        }
        return Some(Number {
            end: i + 1,
            value,
            spelled: false,
            plain_int: plain,
            digits: s.len(),
            vague: false,
            lone_one: false,
            multiplied: false,
        });
    }
    if t.k != K::Word || !maybe_number_word(tstr(text, &t)) {
        return None;
    }
    let w0 = lc(tstr(text, &t));
    // Vague counts: `hundreds of`, `tens of thousands of`.
    let vague_base = match w0.as_ref() {
        "dozens" => Some(12.0),
        "scores" => Some(20.0),
        "hundreds" => Some(100.0),
        "thousands" => Some(1e3),
        "millions" => Some(1e6),
        "billions" => Some(1e9),
        "tens" => Some(10.0),
        _ => None,
    };
    if let Some(base) = vague_base {
        if !word_is(text, toks, i + 1, "of") {
            return None;
        }
        let mut value = base;
        let mut j = i + 2;
        // `tens of thousands of`, `hundreds of millions of`
        if let Some(next) = toks.get(j).filter(|t| t.k == K::Word) {
            let nw = lc(tstr(text, next));
            let m = match nw.as_ref() {
                "thousands" => Some(1e3),
                "millions" => Some(1e6),
                "billions" => Some(1e9),
                _ => None,
            };
            if let Some(m) = m {
                if word_is(text, toks, j + 1, "of") {
                    value *= m;
                    j += 2;
                }
            }
        }
        if w0 == "tens" && value < 100.0 {
            return None;
        }
        return Some(Number {
            end: j,
            value,
            spelled: true,
            plain_int: false,
            digits: 0,
            vague: true,
            lone_one: false,
            multiplied: false,
        });
    }
    let mut j = i;
    // `a dozen`, `a hundred`, `a million`
    let mut current = 0.0f64;
    let mut total = 0.0f64;
    let mut any = false;
    let mut multiplied = false;
    if matches!(w0.as_ref(), "a" | "an") {
        let next = toks.get(i + 1).filter(|t| t.k == K::Word)?;
        let nw = lc(tstr(text, next));
        if !matches!(
            nw.as_ref(),
            "dozen" | "hundred" | "thousand" | "million" | "billion" | "trillion"
        ) {
            return None;
        }
        current = 1.0;
        j = i + 1;
    }
    while j < toks.len() {
        let tj = toks[j];
        if tj.k != K::Word || (j > i && !tj.gap) {
            break;
        }
        let w = lc(tstr(text, &tj));
        if let Some(&v) = NUMBER_WORDS.get(w.as_ref()) {
            if any && current % 100.0 != 0.0 && current >= 1.0 {
                break; // `two three` is not one number
            }
            let mut v = v;
            let mut next = j + 1;
            // twenty-five
            if v >= 20.0
                && punct_is(text, toks, j + 1, DASHES)
                && !toks[j + 1].gap
                && toks.get(j + 2).is_some_and(|t| !t.gap && t.k == K::Word)
            {
                let u = lc(tstr(text, &toks[j + 2]));
                if let Some(&uv) = NUMBER_WORDS.get(u.as_ref()) {
                    if uv < 10.0 {
                        v += uv;
                        next = j + 3;
                    }
                }
            }
            current += v;
            any = true;
            j = next;
            continue;
        }
        match w.as_ref() {
            "hundred" if any || current > 0.0 => {
                current = current.max(1.0) * 100.0;
                any = true;
                j += 1;
            }
            "dozen" if any || current > 0.0 => {
                current = current.max(1.0) * 12.0;
                any = true;
                j += 1;
            }
            "thousand" | "million" | "billion" | "trillion" if any || current > 0.0 => {
                let m = MULTIPLIERS.get(w.as_ref()).copied().unwrap_or(1.0);
                total += current.max(1.0) * m;
                current = 0.0;
                any = true;
                multiplied = m >= 1e6 || multiplied;
                j += 1;
            }
            "and"
                if any
                    && (total > 0.0 || current >= 100.0)
                    && toks
                        .get(j + 1)
                        .is_some_and(|t| NUMBER_WORDS.contains_key(lc(tstr(text, t)).as_ref())) =>
            {
                j += 1;
            }
            _ => break,
        }
    }
    if !any {
        return None;
    }
    let lone_one = j == i + 1 && w0 == "one";
    Some(Number {
        end: j,
        value: total + current,
        spelled: true,
        plain_int: false,
        digits: 0,
        vague: false,
        lone_one,
        multiplied,
    })
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

fn is_plural_word(w: &str) -> bool {
    if PLURALS.contains_key(w) {
        return true;
    }
    let n = w.len();
    n >= 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("'s")
        && !w.ends_with("’s")
        && w != "news"
}

/// A simple English lemmatiser for counted nouns.
pub fn lemma(word: &str) -> String {
    let w = Lower::of(word);
    if let Some(l) = PLURALS.get(w.as_ref()) {
        return (*l).to_string();
    }
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    for suf in ["sses", "xes", "ches", "shes", "zzes"] {
        if w.ends_with(suf) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        return w[..w.len() - 1].to_string();
    }
    w.into_owned()
}

/// Reads a word possibly joined by glued hyphens (`long-range`). Returns the
/// end token (exclusive) and the last part.
fn compound_word(toks: &[Tok], j: usize) -> Option<(usize, usize)> {
    let t = toks.get(j)?;
    if t.k != K::Word {
        return None;
    }
    let mut k = j + 1;
    let mut last = j;
    while k + 1 < toks.len()
        && toks[k].k == K::Punct
        && !toks[k].gap
        && !toks[k + 1].gap
        && toks[k + 1].k == K::Word
    {
        last = k + 1;
        k += 2;
    }
    // Only hyphens join.
    Some((k, last))
}

/// The counted noun after a number: up to three modifiers, then a plural
/// head (or, for a count of one, the first noun). Returns (end token, lemma).
fn counted_noun(text: &str, toks: &[Tok], j: usize, singular: bool) -> Option<(usize, String)> {
    let mut k = j;
    let mut mods = 0;
    while mods <= 3 {
        let t = toks.get(k)?;
        if t.k != K::Word || !t.gap {
            return None;
        }
        let (end, last) = compound_word(toks, k)?;
        // All joiners must be hyphens.
        if (k + 1..end)
            .step_by(2)
            .any(|p| !DASHES.contains(&tstr(text, &toks[p])))
        {
            return None;
        }
        let word = tstr(text, &toks[last]);
        let first = lc(tstr(text, t));
        if NP_STOP.contains(first.as_ref()) || NUMBER_WORDS.contains_key(first.as_ref()) {
            return None;
        }
        let lw = lc(word);
        let acronym_plural = word.len() >= 3
            && word.ends_with('s')
            && word[..word.len() - 1].chars().all(|c| c.is_uppercase());
        let head_ok = !is_capitalized(word) || acronym_plural;
        if head_ok && (is_plural_word(lw.as_ref()) || acronym_plural) {
            let lemma = if acronym_plural {
                word[..word.len() - 1].to_lowercase()
            } else {
                lemma(word)
            };
            return Some((end, lemma));
        }
        if singular && mods == 0 && head_ok && !lw.ends_with("ly") {
            return Some((end, lw.into_owned()));
        }
        mods += 1;
        k = end;
    }
    None
}

/// Is the line containing `pos` page furniture (`0 7 min 9 mths`,
/// `4 comments`, a lone `-1`)?
fn furniture_line(text: &str, pos: usize, cache: &mut Option<(usize, bool)>) -> bool {
    let ls = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    if let Some((s, v)) = *cache {
        if s == ls {
            return v;
        }
    }
    let le = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line = &text[ls..le];
    let mut chunks = 0;
    let mut ok = true;
    let mut letters = String::new();
    for chunk in line.split_whitespace() {
        chunks += 1;
        if chunks > 8 {
            ok = false;
            break;
        }
        letters.clear();
        letters.extend(chunk.chars().filter(|c| c.is_alphabetic()));
        let w = Lower::of(&letters);
        if !w.is_empty() && !FURNITURE.contains(w.as_ref()) {
            ok = false;
            break;
        }
    }
    let v = ok && chunks > 0;
    *cache = Some((ls, v));
    v
}

/// Is the number at token `i` the list number opening its line (`1.`, `2)`)?
fn list_number(text: &str, toks: &[Tok], i: usize) -> bool {
    let t = toks[i];
    let ls = text[..t.s].rfind('\n').map_or(0, |i| i + 1);
    if !text[ls..t.s].trim().is_empty() {
        return false;
    }
    punct_is(text, toks, i + 1, &[".", ")"])
        && !toks[i + 1].gap
        && toks.get(i + 2).is_none_or(|t| t.gap)
}

/// Words after which a four-digit number is a year.
const YEAR_PREV: &[&str] = &[
    "in", "since", "by", "from", "until", "till", "during", "before", "after", "of", "to",
    "through", "the", "a", "an", "for", "early", "late", "mid", "year", "fiscal", "and", "or",
    "between", "summer", "winter", "spring", "autumn", "fall", "its", "their", "this",
];

/// Currency symbol tokens at `j` (with `\$`, `US$`): (start byte, code).
fn currency_before(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize, &'static str)> {
    if i == 0 {
        return None;
    }
    let p = toks[i - 1];
    let ps = tstr(text, &p);
    if p.k == K::Punct {
        let c = CURRENCIES
            .get(ps)
            .filter(|c| c.kind == CurrencyKind::Symbol)?;
        let mut start_tok = i - 1;
        let mut start = p.s;
        if i >= 2 && !p.gap {
            let q = toks[i - 2];
            let qs = tstr(text, &q);
            if (q.k == K::Punct && qs == "\\") || (q.k == K::Word && qs == "US") {
                start_tok = i - 2;
                start = q.s;
            }
        }
        return Some((start_tok, start, c.code));
    }
    if p.k == K::Word && ps.len() == 3 && ps.chars().all(|c| c.is_ascii_uppercase()) {
        let c = CURRENCIES
            .get(ps.to_ascii_lowercase().as_str())
            .filter(|c| c.kind == CurrencyKind::Code)?;
        return Some((i - 1, p.s, c.code));
    }
    None
}

fn multiplier_at(text: &str, toks: &[Tok], j: usize) -> Option<f64> {
    let t = toks.get(j)?;
    if t.k != K::Word {
        return None;
    }
    let written = tstr(text, t);
    let w = lc(written);
    let m = *MULTIPLIERS.get(w.as_ref())?;
    let short = matches!(
        w.as_ref(),
        "m" | "b" | "k" | "bn" | "mn" | "tn" | "trn" | "mln"
    );
    if matches!(w.as_ref(), "m" | "b" | "k") && t.gap {
        return None;
    }
    // Short forms are lowercase (`3bn`, `1.2m`): `1B`, `3B` are bases,
    // `4K` a resolution. A lone `b` needs a currency.
    if short && written != w.as_ref() {
        return None;
    }
    if w == "b" {
        let cur = j >= 2
            && toks[j - 2].k == K::Punct
            && CURRENCIES.contains_key(tstr(text, &toks[j - 2]));
        if !cur {
            return None;
        }
    }
    Some(m)
}

struct Tail {
    end_tok: usize,
    unit: Option<String>,
    percent: bool,
    currency: bool,
    measure: bool,
}

/// Currency word, percent, unit, bracketed unit or counted noun at `j`.
/// Whether tokens `j..j + 4` are two capital letters, each followed by a
/// dot, written together (`U.S.`, `U.K.`).
fn dotted_pair(text: &str, toks: &[Tok], j: usize) -> bool {
    let is = |k: usize, want: fn(&str) -> bool| {
        toks.get(k)
            .is_some_and(|t| (k == j || !t.gap) && want(tstr(text, t)))
    };
    let letter = |s: &str| s.len() == 1 && s.bytes().all(|c| c.is_ascii_uppercase());
    let dot = |s: &str| s == ".";
    is(j, letter) && is(j + 1, dot) && is(j + 2, letter) && is(j + 3, dot)
}

fn tail(text: &str, toks: &[Tok], j: usize, value: f64, currency: bool) -> Option<Tail> {
    let t = toks.get(j)?;
    let s = tstr(text, t);
    if t.k == K::Punct {
        if s == "%" || s == "٪" {
            return Some(Tail {
                end_tok: j + 1,
                unit: Some("%".into()),
                percent: true,
                currency: false,
                measure: true,
            });
        }
        if let Some(c) = CURRENCIES.get(s).filter(|c| c.kind == CurrencyKind::Symbol) {
            if !currency {
                return Some(Tail {
                    end_tok: j + 1,
                    unit: Some(c.code.into()),
                    percent: false,
                    currency: true,
                    measure: true,
                });
            }
        }
        // `[minutes]`: an editor's insertion naming the unit.
        if s == "[" && toks.get(j + 2).is_some_and(|c| tstr(text, c) == "]") {
            let w = lc(tstr(text, &toks[j + 1]));
            if let Some(u) = UNITS.get(w.as_ref()) {
                return Some(Tail {
                    end_tok: j + 3,
                    unit: Some((*u).into()),
                    percent: false,
                    currency: false,
                    measure: true,
                });
            }
        }
        return None;
    }
    if t.k != K::Word {
        return None;
    }
    let w = lc(s);
    if w == "percent" || w == "pct" {
        return Some(Tail {
            end_tok: j + 1,
            unit: Some("%".into()),
            percent: true,
            currency: false,
            measure: true,
        });
    }
    if w == "per" && word_is(text, toks, j + 1, "cent") {
        return Some(Tail {
            end_tok: j + 2,
            unit: Some("%".into()),
            percent: true,
            currency: false,
            measure: true,
        });
    }
    if let Some(next) = toks.get(j + 1).filter(|n| n.k == K::Word && n.gap) {
        let two = || format!("{} {}", w, lc(tstr(text, next)));
        if let Some(u) = UNIT_FIRST_WORDS
            .contains(w.as_ref())
            .then(|| UNITS.get(two().as_str()))
            .flatten()
        {
            return Some(Tail {
                end_tok: j + 2,
                unit: Some((*u).into()),
                percent: false,
                currency: false,
                measure: true,
            });
        }
    }
    if let Some(c) = CURRENCIES
        .get(w.as_ref())
        .filter(|c| matches!(c.kind, CurrencyKind::Word | CurrencyKind::Code))
    {
        if !currency && (c.kind == CurrencyKind::Word || s.chars().all(|c| c.is_uppercase())) {
            return Some(Tail {
                end_tok: j + 1,
                unit: Some(c.code.into()),
                percent: false,
                currency: true,
                measure: true,
            });
        }
    }
    if currency {
        return None;
    }
    if let Some(u) = UNITS.get(w.as_ref()) {
        // `one day`, `one time` are idioms; lowercase units only.
        if unit_case_ok(s, u) {
            return Some(Tail {
                end_tok: j + 1,
                unit: Some((*u).into()),
                percent: false,
                currency: false,
                measure: true,
            });
        }
    }
    // `U.S. dlrs`, `U.K. pounds`: a currency after a dotted country
    // abbreviation (`US dollars` is a counted noun's adjective, below).
    if !currency && dotted_pair(text, toks, j) {
        if let Some(tl) = tail(text, toks, j + 4, value, false).filter(|tl| tl.currency) {
            return Some(tl);
        }
    }
    if let Some((end, lemma)) = counted_noun(text, toks, j, value == 1.0) {
        // `Swiss francs`, `US dollars`: a currency after its adjective.
        let head = lc(tstr(text, &toks[end - 1]));
        if let Some(c) = CURRENCIES
            .get(head.as_ref())
            .filter(|c| c.kind == CurrencyKind::Word)
        {
            return Some(Tail {
                end_tok: end,
                unit: Some(country_currency(text, toks, j, end - 1, c.code).into()),
                percent: false,
                currency: true,
                measure: true,
            });
        }
        return Some(Tail {
            end_tok: end,
            unit: Some(lemma),
            percent: false,
            currency: false,
            measure: false,
        });
    }
    // Partitive: `5 of our representatives`.
    if w == "of" {
        let mut k = j + 1;
        if toks.get(k).is_some_and(|t| {
            t.k == K::Word
                && matches!(
                    lc(tstr(text, t)).as_ref(),
                    "the"
                        | "our"
                        | "their"
                        | "its"
                        | "his"
                        | "her"
                        | "these"
                        | "those"
                        | "my"
                        | "your"
                )
        }) {
            k += 1;
        }
        if let Some((end, lemma)) = counted_noun(text, toks, k, false) {
            return Some(Tail {
                end_tok: end,
                unit: Some(lemma),
                percent: false,
                currency: false,
                measure: false,
            });
        }
    }
    None
}

/// Units are written in lowercase (`km`, `minutes`) or exactly as their
/// lemma (`MW`, `GB`): `HR` is not hours, `4G` is not grams.
fn unit_case_ok(written: &str, lemma: &str) -> bool {
    written == lemma || !written.chars().any(char::is_uppercase)
}

fn sentence_initial(text: &str, toks: &[Tok], st: usize) -> bool {
    toks[..st]
        .iter()
        .all(|t| t.k == K::Punct || (t.k == K::Barrier && tstr(text, t).trim().is_empty()))
}

/// A qualifier written after the figure (`six months or more`, `40 people
/// or so`), starting at token `j`, as the qualifier before a figure that
/// means the same (`at least`, `at most`, `about`).
fn qualifier_after(text: &str, toks: &[Tok], j: usize) -> Option<String> {
    let word = |k: usize| {
        toks.get(k)
            .filter(|t| t.k == K::Word)
            .map(|t| lc(tstr(text, t)))
    };
    let first = word(j)?;
    if first != "or" && first != "and" {
        return None;
    }
    let q = match (first.as_ref(), word(j + 1)?.as_ref()) {
        ("or", "more" | "over" | "above" | "higher" | "longer") | ("and", "over" | "above") => {
            "at least"
        }
        ("or", "less" | "fewer" | "under" | "below" | "lower") => "at most",
        ("or", "so") => "about",
        _ => return None,
    };
    Some(q.to_string())
}

/// The qualifier ending right before token `st`: (first token, text).
fn qualifier_before(text: &str, toks: &[Tok], st: usize) -> Option<String> {
    if st == 0 || toks[st - 1].k != K::Word {
        return None;
    }
    let mut end = st;
    // Fillers between qualifier and number: `at least another $ 300 million`.
    let fillers: &[&[&str]] = &[&["another"], &["a", "further"], &["an", "additional"]];
    let matches_at = |end: usize, q: &[&str]| -> bool {
        if end < q.len() {
            return false;
        }
        q.iter().enumerate().all(|(k, w)| {
            let t = &toks[end - q.len() + k];
            t.k == K::Word && tstr(text, t).eq_ignore_ascii_case(w)
        })
    };
    let mut filler_text: Option<String> = None;
    for f in fillers {
        if matches_at(end, f) {
            let s = toks[end - f.len()].s;
            filler_text = Some(text[s..toks[end - 1].e].to_string());
            end -= f.len();
            break;
        }
    }
    let last = match end.checked_sub(1).map(|p| &toks[p]) {
        Some(t) if t.k == K::Word => lc(tstr(text, t)),
        _ => return filler_text,
    };
    for q in QUALIFIERS_BY_LAST.get(last.as_ref()).into_iter().flatten() {
        if matches_at(end, q) {
            let s = toks[end - q.len()].s;
            return Some(text[s..toks[end - 1].e].to_string());
        }
    }
    filler_text
}

fn parse_figure(
    text: &str,
    toks: &[Tok],
    i: usize,
    furniture_cache: &mut Option<(usize, bool)>,
) -> Option<(Figure, usize)> {
    let t = toks[i];
    if !matches!(t.k, K::Num | K::Word) {
        return None;
    }
    // `from twenty to ten`: remember a preceding `from` / `between`.
    let num = parse_number(text, toks, i)?;
    let mut j = num.end;
    let mut value = num.value;
    let mut multiplied = num.multiplied;

    // --- glued context: names, ordinals, decades ---------------------------
    if t.k == K::Num {
        if i > 0 && !t.gap {
            let p = toks[i - 1];
            let ps = tstr(text, &p);
            if p.k == K::Word {
                return None; // G7, A320
            }
            if DASHES.contains(&ps) && i >= 2 && !toks[i - 1].gap {
                let q = toks[i - 2];
                if q.k == K::Word && !p.gap {
                    return None; // COVID-19, Zapad-2021, F-16
                }
            }
            if matches!(
                ps,
                "#" | "_" | "/" | "№" | "." | ":" | "@" | "+" | "=" | "^" | "~"
            ) {
                return None;
            }
        }
        if let Some(n) = toks.get(j).filter(|n| !n.gap) {
            if n.k == K::Word {
                let suf = lc(tstr(text, n));
                match suf.as_ref() {
                    "st" | "nd" | "rd" | "th" => return None,
                    "s" => return None, // 1990s
                    _ => {}
                }
            }
            if n.k == K::Num {
                return None;
            }
            // `9/11`, `24/7`: a name or a fraction, not a count.
            if tstr(text, n) == "/" && toks.get(j + 1).is_some_and(|m| !m.gap && m.k == K::Num) {
                return None;
            }
            // `-2021` glued after a number that is not a range end: 2021-22
        }
        // `0400 GMT`, `007`: leading zeros are clock times and codes.
        let digits = tstr(text, &t);
        if digits.len() >= 2 && digits.starts_with('0') && !digits.starts_with("0.") {
            return None;
        }
        if num.plain_int && clock_time(text, toks, i, j) {
            return None;
        }
        if model_number(text, toks, i, j) {
            return None;
        }
        if furniture_line(text, t.s, furniture_cache) {
            return None;
        }
        if list_number(text, toks, i) {
            return None;
        }
    }
    if num.spelled
        && !num.vague
        && is_capitalized(tstr(text, &t))
        && !sentence_initial(text, toks, i)
    {
        // `Defense One`, `Formula One`: a capitalised number word after a
        // capitalised word is part of a name.
        if i > 0 && toks[i - 1].k == K::Word && is_capitalized(tstr(text, &toks[i - 1])) {
            return None;
        }
        // `the Six Nations`, `the Big Four`: a capitalised number word
        // before a capitalised word (not a month: `Five May`) is a name.
        if let Some(n) = toks.get(num.end) {
            let w = tstr(text, n);
            if n.k == K::Word && n.gap && is_capitalized(w) && !MONTHS.contains_key(lc(w).as_ref())
            {
                return None;
            }
        }
    }
    // `number 10`, `No 10`, `No. 1`: a position or label, not a quantity.
    if t.k == K::Num && num.plain_int && t.gap {
        let mut p = i;
        if p > 0 && punct_is(text, toks, p - 1, &["."]) && !toks[p - 1].gap {
            p -= 1;
        }
        if p > 0
            && toks[p - 1].k == K::Word
            && (word_is(text, toks, p - 1, "number")
                || (p < i && word_is(text, toks, p - 1, "no"))
                || tstr(text, &toks[p - 1]) == "No"
                || word_is(text, toks, p - 1, "nos"))
            && !toks.get(j).is_some_and(|n| {
                n.k == K::Word && n.gap && UNITS.contains_key(lc(tstr(text, n)).as_ref())
            })
        {
            return None;
        }
    }

    // --- currency before -----------------------------------------------------
    let cur_before = currency_before(text, toks, i);
    let mut start_tok = cur_before.as_ref().map_or(i, |c| c.0);
    let mut start = cur_before.as_ref().map_or(t.s, |c| c.1);
    let mut unit: Option<String> = cur_before.as_ref().map(|c| c.2.to_string());
    let mut currency = cur_before.is_some();
    let mut measure = currency;

    // --- multiplier -------------------------------------------------------------
    if !num.vague {
        // Glued `m` after a whole number of 100 or more with no currency is
        // metres (`800m runners`), else million (`$3m`, `1.2m`, `50m`).
        let metres = t.k == K::Num
            && toks.get(j).is_some_and(|n| !n.gap && tstr(text, n) == "m")
            && cur_before.is_none()
            && !tstr(text, &t).contains('.')
            && num.value >= 100.0
            && !toks.get(j + 1).is_some_and(|n| {
                CURRENCIES
                    .get(lc(tstr(text, n)).as_ref())
                    .is_some_and(|c| c.kind == CurrencyKind::Word)
            });
        if metres {
            return Some(finish(
                text,
                toks,
                FigureParts {
                    start_tok,
                    start,
                    end_tok: j + 1,
                    value,
                    value_to: None,
                    unit: Some("m".into()),
                    qualifier: None,
                },
            ));
        }
        if let Some(m) = multiplier_at(text, toks, j) {
            let glued = !toks[j].gap;
            if t.k == K::Num || !glued {
                value *= m;
                multiplied = true;
                j += 1;
            }
        } else if t.k == K::Num {
            if let Some(n) = toks.get(j).filter(|n| !n.gap && n.k == K::Word) {
                // Glued letters: a unit (`10km`), pence (`50p`), or a name (`5G`).
                let suf = lc(tstr(text, n));
                if let Some(u) = UNITS
                    .get(suf.as_ref())
                    .filter(|u| unit_case_ok(tstr(text, n), u))
                {
                    let u = (*u).to_string();
                    return Some(finish(
                        text,
                        toks,
                        FigureParts {
                            start_tok,
                            start,
                            end_tok: j + 1,
                            value,
                            value_to: None,
                            unit: Some(u),
                            qualifier: None,
                        },
                    ));
                }
                if let Some(c) = CURRENCIES
                    .get(suf.as_ref())
                    .filter(|c| c.kind == CurrencyKind::Suffix)
                {
                    return Some(finish(
                        text,
                        toks,
                        FigureParts {
                            start_tok,
                            start,
                            end_tok: j + 1,
                            value,
                            value_to: None,
                            unit: Some(c.code.into()),
                            qualifier: None,
                        },
                    ));
                }
                return None;
            }
        }
    }

    // --- range ---------------------------------------------------------------
    let mut value_to: Option<f64> = None;
    let mut qualifier_override: Option<String> = None;
    let from = i > 0 && word_is(text, toks, start_tok.wrapping_sub(1), "from");
    let between = i > 0 && word_is(text, toks, start_tok.wrapping_sub(1), "between");
    let mut hyphen_range = false;
    {
        let sep_dash = punct_is(text, toks, j, DASHES);
        let sep_to = word_is(text, toks, j, "to") || (between && word_is(text, toks, j, "and"));
        if sep_dash || sep_to {
            let mut k = j + 1;
            if toks.get(k).is_some_and(|c| {
                c.k == K::Punct
                    && CURRENCIES
                        .get(tstr(text, c))
                        .is_some_and(|c| c.kind == CurrencyKind::Symbol)
            }) {
                k += 1;
            }
            let compatible = toks.get(k).is_some_and(|n| {
                (n.k == K::Num) == (t.k == K::Num)
                    && (!sep_dash || (n.k == K::Num && toks[j].gap == n.gap) || n.k == K::Word)
            });
            if compatible {
                if let Some(n2) = parse_number(text, toks, k) {
                    if !n2.vague {
                        let mut v2 = n2.value;
                        let mut k2 = n2.end;
                        if let Some(m) = multiplier_at(text, toks, k2) {
                            v2 *= m;
                            k2 += 1;
                            if !multiplied {
                                value *= m;
                                multiplied = true;
                            }
                        } else if multiplied && t.k == K::Num {
                            v2 *= value / num.value.max(f64::MIN_POSITIVE);
                        }
                        // A spelled dash compound is not a range (`two-three`
                        // is rare; `twenty-five` was read already).
                        let ok = !(sep_dash && t.k == K::Word);
                        if ok {
                            value_to = Some(v2);
                            hyphen_range = sep_dash;
                            j = k2;
                            if from {
                                qualifier_override = Some("from-to".into());
                                start_tok -= 1;
                                start = toks[start_tok].s;
                            } else if between {
                                qualifier_override = Some("between".into());
                                start_tok -= 1;
                                start = toks[start_tok].s;
                            } else {
                                qualifier_override = Some("range".into());
                            }
                        }
                    }
                }
            }
        }
    }

    // --- compound adjective: `seventy-year`, `five-day`, a range's `5 to
    // 10-year`; `two-front` is none -
    let mut tail_found: Option<Tail> = None;
    if (value_to.is_none() || !hyphen_range)
        && punct_is(text, toks, j, DASHES)
        && !toks[j].gap
        && toks.get(j + 1).is_some_and(|n| !n.gap && n.k == K::Word)
    {
        let w = lc(tstr(text, &toks[j + 1]));
        match UNITS.get(w.as_ref()) {
            Some(u) => {
                let mut end = j + 2;
                // `its 52-week high`, `a 12-month low`: a market term.
                if toks.get(end).is_some_and(|n| n.gap)
                    && (word_is(text, toks, end, "high") || word_is(text, toks, end, "low"))
                    && !word_is(text, toks, end + 1, "school")
                {
                    return None;
                }
                // `five-year-old`, `16 to 35-year-olds`
                if punct_is(text, toks, end, DASHES)
                    && toks.get(end + 1).is_some_and(|o| {
                        !o.gap
                            && ["old", "olds"]
                                .iter()
                                .any(|w| tstr(text, o).eq_ignore_ascii_case(w))
                    })
                {
                    end += 2;
                    // `the 30-year-old said`: the age names a person already
                    // introduced, it does not state a quantity (`that
                    // 21-year-olds should be paid`: a group, and a
                    // conjunction).
                    let one = word_is(text, toks, end - 1, "old");
                    if one
                        && start_tok > 0
                        && ["the", "this", "that"]
                            .iter()
                            .any(|d| word_is(text, toks, start_tok - 1, d))
                        && !followed_by_noun(text, toks, end)
                    {
                        return None;
                    }
                }
                tail_found = Some(Tail {
                    end_tok: end,
                    unit: Some((*u).into()),
                    percent: false,
                    currency: false,
                    measure: true,
                });
            }
            // (A range stands without it: `5 to 10-fold`.)
            None if value_to.is_none() => return None,
            None => {}
        }
    }
    if tail_found.is_none() {
        tail_found = tail(text, toks, j, value, currency);
    }
    // `nine times the speed of sound`: `times` is its own unit.
    let mut percent = false;
    if let Some(tl) = tail_found {
        if tl.percent {
            percent = true;
        }
        if tl.currency {
            currency = true;
        }
        measure |= tl.measure;
        if unit.is_none() || tl.percent || !currency {
            unit = tl.unit;
        }
        if tl.currency {
            // keep the code from the word
        }
        j = tl.end_tok;
    }
    // `3% to 3.5%`, `2-3%`: a range written after the first unit.
    if percent && value_to.is_none() {
        let sep_dash = punct_is(text, toks, j, DASHES);
        if (sep_dash || word_is(text, toks, j, "to"))
            && toks.get(j + 1).is_some_and(|n| n.k == K::Num)
        {
            if let Some(n2) = parse_number(text, toks, j + 1) {
                if let Some(tl) = tail(text, toks, n2.end, n2.value, false).filter(|t| t.percent) {
                    value_to = Some(n2.value);
                    j = tl.end_tok;
                    if qualifier_override.is_none() {
                        qualifier_override = Some(if from { "from-to" } else { "range" }.into());
                        if from {
                            start_tok -= 1;
                            start = toks[start_tok].s;
                        }
                    }
                }
            }
        }
    }
    let has_noun = unit.is_some() && !measure;

    // --- exclusions ----------------------------------------------------------
    let prev_word = start_tok
        .checked_sub(1)
        .and_then(|p| toks.get(p))
        .filter(|p| p.k == K::Word)
        .map(|p| lc(tstr(text, p)));
    let qualifier = qualifier_override
        .or_else(|| qualifier_before(text, toks, start_tok))
        .or_else(|| qualifier_after(text, toks, j));

    // Years: 1700-2100 in digits, alone.
    let yearish =
        |v: f64, n: &Number| n.plain_int && n.digits == 4 && (1700.0..=2100.0).contains(&v);
    if t.k == K::Num && !currency && !percent && !multiplied && yearish(num.value, &num) {
        let after_year_prep = prev_word.as_deref().is_some_and(|w| YEAR_PREV.contains(&w));
        let to_is_year =
            value_to.is_some_and(|v| (1700.0..=2100.0).contains(&v) && v.fract() == 0.0);
        if !has_noun
            || after_year_prep
            || to_is_year
            || (measure && unit.as_deref() == Some("year"))
        {
            return None;
        }
        if qualifier.is_none()
            && i > 0
            && toks[i - 1].k == K::Word
            && is_capitalized(tstr(text, &toks[i - 1]))
        {
            return None;
        }
    }
    // Scores and votes: `3-1`, `52-48` with nothing counted.
    // Hyphenated pairs of small whole numbers with nothing counted are
    // scores and records (`20-13`, `9-5 season`), ascending or not.
    let small_pair = value_to.is_some_and(|v| v < 100.0 && v.fract() == 0.0)
        && num.value < 100.0
        && num.plain_int;
    if hyphen_range
        && unit.is_none()
        && (value_to.is_some_and(|v| v <= num.value)
            || (small_pair && qualifier_before(text, toks, start_tok).is_none()))
    {
        return None;
    }
    // A score naming the result: `a 1-0 defeat`, `their 3-2 win`.
    if hyphen_range
        && small_pair
        && unit.as_deref().is_some_and(|u| {
            matches!(
                u,
                "win"
                    | "defeat"
                    | "victory"
                    | "draw"
                    | "loss"
                    | "lead"
                    | "success"
                    | "triumph"
                    | "scoreline"
                    | "thrashing"
                    | "drubbing"
                    | "reverse"
                    | "setback"
                    | "margin"
            )
        })
    {
        return None;
    }
    // The pronoun/idiom `one`: only with a multiplier, currency or measure.
    if num.lone_one && !multiplied && !currency && !percent {
        let ok = measure && !matches!(unit.as_deref(), Some("day") | Some("times") | Some("point"));
        if !ok {
            return None;
        }
    }
    // Numbers in names: `Windows 10`, `Article 5`, `Boeing 737`.
    if t.k == K::Num
        && num.plain_int
        && !currency
        && unit.is_none()
        && qualifier.is_none()
        && i > 0
        && toks[i - 1].k == K::Word
        && t.gap
        && is_capitalized(tstr(text, &toks[i - 1]))
        && !MONTHS.contains_key(lc(tstr(text, &toks[i - 1])).as_ref())
        && (!sentence_initial(text, toks, i - 1) || name_then_minute(text, toks, i - 1, j))
    {
        return None;
    }
    // Match-report minutes: `Hart (77)` — a bare number in brackets after
    // a name.
    if t.k == K::Num
        && num.plain_int
        && unit.is_none()
        && i >= 2
        && punct_is(text, toks, i - 1, &["("])
        && punct_is(text, toks, j, &[")"])
        && toks[i - 2].k == K::Word
        && is_capitalized(tstr(text, &toks[i - 2]))
    {
        return None;
    }
    // Anaphora: `the two countries`, `these three leaders`.
    if has_noun
        && qualifier.is_none()
        && !multiplied
        && value < 100.0
        && cur_before.is_none()
        && prev_word
            .as_deref()
            .is_some_and(|w| matches!(w, "the" | "these" | "those"))
    {
        return None;
    }

    let (value, value_to) = if percent && unit.as_deref() == Some("%") {
        (tidy_percent(value), value_to.map(tidy_percent))
    } else {
        (tidy(value), value_to.map(tidy))
    };
    let qualifier = if num.vague {
        Some(
            qualifier
                .map(|q| format!("{q} vague"))
                .unwrap_or_else(|| "vague".into()),
        )
    } else {
        qualifier
    };
    Some(finish(
        text,
        toks,
        FigureParts {
            start_tok,
            start,
            end_tok: j,
            value,
            value_to,
            unit,
            qualifier,
        },
    ))
}

/// `Hart 32.`, `Mills 35 og,`: a sentence-opening name followed by a bare
/// number that ends the clause (scorers and minutes), not `Some 32.`.
fn name_then_minute(text: &str, toks: &[Tok], w: usize, j: usize) -> bool {
    let word = tstr(text, &toks[w]);
    let low = lc(word);
    let ends = match toks.get(j) {
        None => true,
        Some(n) => {
            punct_is(text, toks, j, &[",", ".", ";", ")"])
                || (n.k == K::Word && matches!(lc(tstr(text, n)).as_ref(), "og" | "pen"))
        }
    };
    ends && !SENTENCE_OPENERS.contains(word)
        && !NP_STOP.contains(low.as_ref())
        && !NUMBER_WORDS.contains_key(low.as_ref())
        && !QUALIFIER_WORDS.contains(low.as_ref())
}

/// Words that follow a person noun but are no noun themselves
/// (`the 30-year-old said`, `the 23-year-old also tipped`).
const AFTER_PERSON: &[&str] = &[
    "said", "says", "told", "added", "also", "was", "is", "has", "had", "will", "would", "could",
    "can", "may", "might", "must", "should", "who", "whose", "and", "or", "but", "then", "now",
    "later", "still", "did", "does", "denies", "denied", "admitted", "admits", "insisted",
    "claimed", "went", "won", "made", "took", "got", "faces", "faced", "remains", "remained",
    "appeared", "became", "joined", "left", "scored", "from", "of", "in", "on", "at", "with",
    "for", "to", "by", "after", "before", "since", "when", "while", "as",
];

/// Does a noun follow the age at token `j` (`the 30-year-old man`)?
fn followed_by_noun(text: &str, toks: &[Tok], j: usize) -> bool {
    let Some(n) = toks.get(j) else {
        return false;
    };
    if n.k != K::Word {
        return false;
    }
    let w = tstr(text, n);
    if is_capitalized(w) {
        return false; // `the 30-year-old Briton`, a name or a new sentence
    }
    let w = lc(w);
    !(AFTER_PERSON.contains(&w.as_ref()) || (w.len() > 4 && w.ends_with("ed")))
}

/// Round away floating-point noise (`1.07 * 1e9`, `1.4 / 100`) to 12
/// significant digits.
fn tidy(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    // Fast path: an integer of at most 12 digits is exact in an f64 and
    // already has at most 12 significant digits.
    if x.fract() == 0.0 && x.abs() < 1e12 {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// `tidy(v / 100.0)`. Fast path: for an integer `v` of at most 12 digits,
/// `v / 100` is a decimal of at most 12 significant digits, and the f64
/// nearest to it (the correctly rounded quotient) is what rounding to 12
/// digits and parsing back gives.
fn tidy_percent(v: f64) -> f64 {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e12 {
        return v / 100.0;
    }
    tidy(v / 100.0)
}

struct FigureParts {
    start_tok: usize,
    start: usize,
    end_tok: usize,
    value: f64,
    value_to: Option<f64>,
    unit: Option<String>,
    qualifier: Option<String>,
}

fn finish(text: &str, toks: &[Tok], p: FigureParts) -> (Figure, usize) {
    let end_tok = p.end_tok.max(p.start_tok + 1).min(toks.len());
    let end = toks[end_tok - 1].e;
    let qualifier = p
        .qualifier
        .or_else(|| qualifier_before(text, toks, p.start_tok));
    (
        Figure {
            span: p.start..end,
            value: p.value,
            value_to: p.value_to,
            unit: p.unit,
            qualifier,
            sentence: 0,
            status: FigureStatus::Unsourced,
            source: None,
            restates: false,
        },
        end_tok,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::article;

    /// The fast paths of `tidy` / `tidy_percent` give what rounding to 12
    /// significant digits gives.
    #[test]
    fn tidy_fast_paths_match_rounding() {
        let slow = |x: f64| -> f64 {
            if !x.is_finite() || x == 0.0 {
                return x;
            }
            format!("{x:.11e}").parse().unwrap_or(x)
        };
        let mut v: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut samples: Vec<f64> = (0..2000).map(|i| i as f64).collect();
        for _ in 0..20000 {
            v ^= v << 13;
            v ^= v >> 7;
            v ^= v << 17;
            let digits = (v % 13) as u32;
            samples.push((v >> 8) as f64 % 10f64.powi(digits as i32));
        }
        samples.extend([
            999_999_999_999.0,
            123_456_789_012.0,
            1e12 - 1.0,
            7.0e11 + 3.0,
        ]);
        for x in samples {
            for x in [x, -x] {
                assert_eq!(tidy(x).to_bits(), slow(x).to_bits(), "{x}");
                assert_eq!(tidy_percent(x).to_bits(), slow(x / 100.0).to_bits(), "{x}");
            }
        }
        assert_eq!(tidy(0.1 + 0.2), 0.3);
    }

    type Row = (String, f64, Option<f64>, Option<String>, Option<String>);

    /// The figures of plain text `t`.
    fn found(t: &str) -> Vec<Figure> {
        let opts = AnalysisOptions {
            markdown: false,
            ..AnalysisOptions::default()
        };
        find(t, &article::parse(t, &opts), &opts)
    }

    fn figs(t: &str) -> Vec<Row> {
        found(t)
            .into_iter()
            .map(|f| {
                (
                    t[f.span].to_string(),
                    f.value,
                    f.value_to,
                    f.unit,
                    f.qualifier,
                )
            })
            .collect()
    }
    fn spans(t: &str) -> Vec<String> {
        figs(t).into_iter().map(|f| f.0).collect()
    }
    fn one(t: &str) -> Row {
        let f = figs(t);
        assert_eq!(f.len(), 1, "{t}: {f:?}");
        f.into_iter().next().unwrap()
    }

    /// Which figures restate the one before in another currency.
    fn restated(t: &str) -> Vec<(String, bool)> {
        found(t)
            .into_iter()
            .map(|f| (t[f.span].to_string(), f.restates))
            .collect()
    }

    #[test]
    fn a_part_counts_the_wholes_unit() {
        let units = |t: &str| -> Vec<(String, Option<String>)> {
            figs(t).into_iter().map(|f| (f.0, f.3)).collect()
        };
        let u = |s: &str, unit: Option<&str>| (s.to_string(), unit.map(str::to_string));
        assert_eq!(
            units("Lind has won two of her three matches."),
            vec![u("two", Some("match")), u("three matches", Some("match"))]
        );
        assert_eq!(
            units("The board sold five of its 12 ferries."),
            vec![u("five", Some("ferry")), u("12 ferries", Some("ferry"))]
        );
        // Not a part: another noun between, or a share.
        assert_eq!(
            units("It sold two of its old 12 ferries."),
            vec![u("two", None), u("12 ferries", Some("ferry"))]
        );
        assert_eq!(
            units("Turnover rose 5 of 20%."),
            vec![u("5", None), u("20%", Some("%"))]
        );
    }

    #[test]
    fn currency_conversions_restate_the_figure_before() {
        let r = |t| {
            restated(t)
                .into_iter()
                .map(|(s, r)| format!("{s}{}", if r { " =" } else { "" }))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            r("The mill was sold for $40m (£21m) in May."),
            ["$40m", "£21m ="]
        );
        assert_eq!(
            r("Its debt stands at £3.2bn ($6bn; 4.6bn euros), the bank said."),
            ["£3.2bn", "$6bn =", "4.6bn euros ="]
        );
        assert_eq!(
            r("The port earned 900 mln yen (about 6.1 mln dlrs) in the year."),
            ["900 mln yen", "6.1 mln dlrs ="]
        );
        // Not conversions: the same currency, no bracket, another unit, or
        // a second amount after the bracket closed.
        assert_eq!(r("It raised $40m ($25m in cash)."), ["$40m", "$25m"]);
        assert_eq!(r("It paid $40m and £21m for the mills."), ["$40m", "£21m"]);
        assert_eq!(
            r("It hired 40 people (£21m a year)."),
            ["40 people", "£21m"]
        );
        assert_eq!(
            r("It paid $40m (£21m); a rival paid 30m euros."),
            ["$40m", "£21m =", "30m euros"]
        );
    }

    #[test]
    fn digits_with_separators_and_decimals() {
        let f = one("The depot holds 2,340 spare tyres.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("2,340 spare tyres", 2340.0, Some("tyre"))
        );
        let f = one("The depot holds 12\u{2009}500 crates.");
        assert_eq!((f.0.as_str(), f.1), ("12\u{2009}500 crates", 12500.0));
        let f = one("Rainfall reached 3.5 mm on Tuesday.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("3.5 mm", 3.5, Some("mm"))
        );
    }

    #[test]
    fn spelled_out_numbers() {
        let f = one("Twenty-five volunteers cleaned the beach.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("Twenty-five volunteers", 25.0, Some("volunteer"))
        );
        let f = one("The plan costs more than one trillion dollars in total.");
        assert_eq!(f.0, "one trillion dollars");
        assert_eq!(f.1, 1e12);
        assert_eq!(f.3.as_deref(), Some("USD"));
        assert_eq!(f.4.as_deref(), Some("more than"));
        let f = one("The club signed eight players.");
        assert_eq!((f.0.as_str(), f.1), ("eight players", 8.0));
        let f = one("Nearly three hundred and twelve fans came.");
        assert_eq!((f.1, f.4.as_deref()), (312.0, Some("Nearly")));
    }

    #[test]
    fn currencies_and_multipliers() {
        let f = one("The city spent over $ 4.5 billion in roads.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref(), f.4.as_deref()),
            ("$ 4.5 billion", 4.5e9, Some("USD"), Some("over"))
        );
        let f = one("Its budget was \\$7 billion last year.");
        assert_eq!((f.0.as_str(), f.1), ("\\$7 billion", 7e9));
        let f = one("They paid 40 million rubles for it.");
        assert_eq!(
            (f.0.as_str(), f.3.as_deref()),
            ("40 million rubles", Some("RUB"))
        );
        let f = one("Sales hit €1.2m in March.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("€1.2m", 1.2e6, Some("EUR"))
        );
        let f = one("The fund lost $3bn overnight.");
        assert_eq!((f.0.as_str(), f.1), ("$3bn", 3e9));
        let f = one("The unit earned 150 mln dlrs last year.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("150 mln dlrs", 1.5e8, Some("USD"))
        );
        // Wire fractions: eighths, sixteenths, mixed numbers.
        let f = one("The notes carry a coupon of 8-1/2 pct.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("8-1/2 pct", 0.085, Some("%"))
        );
        let f = one("Rates fell 9/16 percentage point.");
        assert_eq!(f.1, 0.5625);
        let f = one("Shares cost 3 1/2 dollars each.");
        assert_eq!((f.0.as_str(), f.1), ("3 1/2 dollars", 3.5));
        // Not a fraction: a name, a date, a denominator that is no power
        // of two.
        assert!(figs("The 9/11 report came out.").is_empty());
        assert!(figs("Open 24/7 in town.").is_empty());
        // After a dotted country abbreviation.
        let f = one("The unit lost 3.9 mln U.S. dlrs last year.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("3.9 mln U.S. dlrs", 3.9e6, Some("USD"))
        );
        let f = one("Tickets cost £15 each.");
        assert_eq!(f.3.as_deref(), Some("GBP"));
        let f = one("A loaf costs 80 ₽ now.");
        assert_eq!((f.0.as_str(), f.3.as_deref()), ("80 ₽", Some("RUB")));
    }

    #[test]
    fn currency_adjectives_ranges_after_units_and_noise() {
        let f = one("Sales reached 12.5bn Swiss francs.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("12.5bn Swiss francs", 12.5e9, Some("CHF"))
        );
        // A number in a name is no count; a possessive's is.
        assert!(spans("They ordered Boeing 737-800 planes.").is_empty());
        assert!(spans("The firm filed for Chapter 11 bankruptcy.").is_empty());
        assert!(spans("It topped the Hot 100 chart.").is_empty());
        assert_eq!(one("Radio 1 said it would close.").3, None);
        assert_eq!(spans("Osland's 35 states voted."), vec!["35 states"]);
        assert_eq!(
            spans("They moved to London 13 years ago."),
            vec!["13 years"]
        );
        assert_eq!(spans("On Tuesday 40 people left."), vec!["40 people"]);
        // A qualifier capitalised after a wire dateline names nothing.
        for t in [
            "KESSELTON, March 7 - About 200 people are feared dead.",
            "KESSELTON - Nearly 200 people are feared dead.",
        ] {
            let f = one(t);
            assert_eq!(f.0, "200 people", "{t}");
        }
        assert_eq!(spans("It sold French 13-week bills."), vec!["13-week"]);
        // A country's adjective names its own currency.
        for (t, code) in [
            ("It earned 12 mln Canadian dlrs.", "CAD"),
            ("It lent 300 mln French francs.", "FRF"),
            ("It holds 5 billion Hong Kong dollars.", "HKD"),
            ("It lost 1bn CFA francs.", "XAF"),
            ("It raised 3 billion lire.", "ITL"),
            ("It paid 40 mln dlrs.", "USD"),
            ("Shares lost 65 Canadian cents.", "CAD-cent"),
        ] {
            assert_eq!(one(t).3.as_deref(), Some(code), "{t}");
        }
        let f = one("Growth of 2.5% to 3% is forecast.");
        assert_eq!(
            (f.0.as_str(), f.1, f.2, f.4.as_deref()),
            ("2.5% to 3%", 0.025, Some(0.03), Some("range"))
        );
        let f = one("The bank lent $1.07bn to farmers.");
        assert_eq!(f.1, 1.07e9);
        assert!(spans("Security changed after 9/11 for good.").is_empty());
        assert!(spans("Trading opened at 0400 GMT.").is_empty());
        // 24-hour clock times are moments, not counts; a duration stays.
        assert!(spans("Bids close at 1430 hrs EST on Friday, the agent said.").is_empty());
        assert!(spans("The vote starts at 1500 GMT.").is_empty());
        assert!(spans("Offers are due by 1200 hours, the agent said.").is_empty());
        assert_eq!(
            spans("The crew worked 1200 hours on it."),
            vec!["1200 hours"]
        );
    }

    #[test]
    fn glued_m_and_unit_case() {
        let f = one("She won the 800m final.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("800m", 800.0, Some("m"))
        );
        let f = one("The app has 40m users.");
        assert_eq!((f.0.as_str(), f.1), ("40m users", 4e7));
        assert!(spans("A new 5G network.").is_empty());
        let f = one("He hit 12 HR last season.");
        assert_eq!(f.3, None);
    }

    #[test]
    fn percentages() {
        let f = one("Turnout fell to 30% this year.");
        assert_eq!((f.0.as_str(), f.3.as_deref()), ("30%", Some("%")));
        assert!((f.1 - 0.30).abs() < 1e-9);
        let f = one("Prices rose 4 per cent in May.");
        assert_eq!(f.0, "4 per cent");
        assert!((f.1 - 0.04).abs() < 1e-9);
        let f = one("About 12 percent of voters abstained.");
        assert_eq!(
            (f.0.as_str(), f.4.as_deref()),
            ("12 percent", Some("About"))
        );
    }

    #[test]
    fn ranges_and_from_to() {
        let f = one("The drive takes 7-10 minutes by car.");
        assert_eq!(
            (f.0.as_str(), f.1, f.2, f.3.as_deref(), f.4.as_deref()),
            (
                "7-10 minutes",
                7.0,
                Some(10.0),
                Some("minute"),
                Some("range")
            )
        );
        let f = one("The staff shrank from forty to twelve people.");
        assert_eq!(
            (f.0.as_str(), f.1, f.2, f.4.as_deref()),
            (
                "from forty to twelve people",
                40.0,
                Some(12.0),
                Some("from-to")
            )
        );
        let f = one("They expect 5 to 8 inches of snow.");
        assert_eq!((f.1, f.2), (5.0, Some(8.0)));
    }

    #[test]
    fn vague_counts() {
        let f = one("Hundreds of residents marched.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("Hundreds of residents", 100.0, Some("resident"))
        );
        let f = one("She met a dozen farmers.");
        assert_eq!((f.0.as_str(), f.1), ("a dozen farmers", 12.0));
        let f = one("Tens of thousands of fans sang.");
        assert_eq!(f.1, 10000.0);
        assert!(spans("Dozens of boats sank and thousands of fish died.").len() == 2);
    }

    #[test]
    fn qualifiers_stay_out_of_span() {
        for (t, q, s) in [
            ("At least 40 homes flooded.", "At least", "40 homes"),
            ("Up to 300 jobs may go.", "Up to", "300 jobs"),
            ("The trip took almost six hours.", "almost", "six hours"),
            ("It has just 9 beds.", "just", "9 beds"),
            ("Some 50 boats waited.", "Some", "50 boats"),
            // After the figure, as the qualifier before it that means the
            // same.
            (
                "Guests staying six months or more pay tax.",
                "at least",
                "six months",
            ),
            ("Loans of $500 or less are free.", "at most", "$500"),
            ("It sold 70 tickets or so.", "about", "70 tickets"),
        ] {
            let f = one(t);
            assert_eq!((f.0.as_str(), f.4.as_deref()), (s, Some(q)), "{t}");
        }
        // `or` starting another choice is no qualifier.
        let f = one("Pay 12 euros or a month of service.");
        assert_eq!(f.4, None);
    }

    #[test]
    fn durations_ages_and_elided_units() {
        let f = one("The bridge closed for five years after the flood.");
        assert_eq!((f.0.as_str(), f.3.as_deref()), ("five years", Some("year")));
        let f = one("It ended a sixty-year rivalry.");
        assert_eq!(
            (f.0.as_str(), f.1, f.3.as_deref()),
            ("sixty-year", 60.0, Some("year"))
        );
        let f = one("A 12-year-old boy won.");
        assert_eq!(f.0, "12-year-old");
        // An inherited percentage is kept as a fraction, like its model.
        let f = figs("Inflation was 5% in May and 7 in June.");
        assert_eq!((f[1].1, f[1].3.as_deref()), (0.07, Some("%")));
        let f = figs("The north has 1,204 wind turbines running and the south 1,377.");
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].0, "1,377");
        assert_eq!(f[1].3.as_deref(), Some("turbine"));
        // A number joined to a hyphenated one takes its unit, not an
        // earlier figure's (`three and six-month`, `two- or five-year`).
        let f = figs("The fund sold 40 mln dlrs of three and six-month bills.");
        assert_eq!(
            (f[1].0.as_str(), f[1].3.as_deref()),
            ("three", Some("month"))
        );
        let f = figs("It issued two- or five-year notes.");
        assert_eq!((f[0].0.as_str(), f[0].3.as_deref()), ("two", Some("year")));
        // A range's compound unit (`5 to 10-year`).
        let f = one("It sold 5 to 10-year notes.");
        assert_eq!(
            (f.0.as_str(), f.1, f.2, f.3.as_deref()),
            ("5 to 10-year", 5.0, Some(10.0), Some("year"))
        );
        let f = one("Users aged 16 to 35-year-olds lead.");
        assert_eq!(f.0, "16 to 35-year-olds");
        let f = one("It says that 12-year-olds walk to school.");
        assert_eq!(f.0, "12-year-olds");
        let f = one("Boats now cross in just four [hours].");
        assert_eq!(
            (f.0.as_str(), f.3.as_deref()),
            ("four [hours]", Some("hour"))
        );
    }

    #[test]
    fn partitive_and_times() {
        let f = one("They fired 6 of our engineers.");
        assert_eq!(
            (f.0.as_str(), f.3.as_deref()),
            ("6 of our engineers", Some("engineer"))
        );
        let f = one("The jet flies at four times the speed of sound.");
        assert_eq!(
            (f.0.as_str(), f.3.as_deref()),
            ("four times", Some("times"))
        );
    }

    #[test]
    fn years_dates_times_are_not_figures() {
        // A lower-case month is a date only in a dateline.
        assert_eq!(spans("The bands march 6 miles a day."), vec!["6 miles"]);
        for t in [
            "The museum opened in 1987 and closed in 2019.",
            "Talks resumed on October 18 in Oslo.",
            "The ruling came on December 24, 2021, at noon.",
            "Posted 02.11.2021 by the desk.",
            "They met on 18 October and again in May 2020.",
            "Havnby, march 6 - output rose last year.",
            "The vote closed at 17:53 local time.",
            "Doors open at 10 a.m. sharp.",
            "Since 2014 the port has grown.",
            "Growth slowed in the 1990s and the 80s.",
        ] {
            assert!(spans(t).is_empty(), "{t}: {:?}", spans(t));
        }
    }

    #[test]
    fn dates_recorded() {
        let t = "The ruling came on December 24, 2021, after talks on 5 May.";
        let opts = AnalysisOptions {
            markdown: false,
            ..AnalysisOptions::default()
        };
        let a = article::parse(t, &opts);
        let (f, d) = scan(t, &a, &opts, None, &crate::analysis::Cancel::never());
        assert!(f.is_empty());
        let ds: Vec<&str> = d.iter().map(|d| &t[d.span.clone()]).collect();
        assert_eq!(ds, vec!["December 24, 2021", "5 May"]);
        let opts = AnalysisOptions {
            dates_as_figures: true,
            ..opts
        };
        let (f, _) = scan(t, &a, &opts, None, &crate::analysis::Cancel::never());
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].value, 20211224.0);
        assert_eq!(f[0].unit.as_deref(), Some("date"));
    }

    #[test]
    fn names_are_not_figures() {
        for t in [
            "Drills named Vostok-2018 began.",
            "Cases of COVID-19 rose.",
            "An F-16 crashed.",
            "The G7 summit ended.",
            "He read the 2030 Urban Transport Plan aloud.",
            "She writes for Harbour One, a weekly.",
            "Users of Windows 10 complained.",
        ] {
            assert!(spans(t).is_empty(), "{t}: {:?}", spans(t));
        }
    }

    #[test]
    fn ordinals_idioms_anaphora_vague_words() {
        for t in [
            "It was the first round of talks.",
            "She came 2nd in the race.",
            "One of the main reasons is cost.",
            "No one answered the phone.",
            "One could argue otherwise.",
            "They helped one another.",
            "One day the river rose.",
            "Ties between the two countries soured.",
            "These three leaders met.",
            "Both sides agreed.",
            "Prices will double and then halve.",
            "He called twice.",
            "A number of towns and several villages flooded.",
            "A few boats left.",
            "The region fears a two-front war.",
            "The opposition won 3-1 in the vote.",
            "The home side lost 20-23 on Sunday.",
            "He plays 1B and 3B.",
            "At one point the crowd cheered.",
        ] {
            assert!(spans(t).is_empty(), "{t}: {:?}", spans(t));
        }
    }

    #[test]
    fn furniture_and_numbering() {
        let t = "Markets slump\n\n3 min read 5 hrs ago\n\n12 comments\n\n1. -1\nA reader wrote this.\n\n2) Another item.\n";
        assert!(spans(t).is_empty(), "{:?}", spans(t));
    }

    #[test]
    fn skipped_regions_hold_no_figures() {
        let t = "Read https://example.org/report/2024/55 today.\n\n<!-- 40 items -->\n";
        let opts = AnalysisOptions::default();
        let a = article::parse(t, &opts);
        assert!(find(t, &a, &opts).is_empty());
    }

    #[test]
    fn figure_sentence_index_and_status() {
        let t = "Title\n\nThe lake holds 40 boats. It had 3 piers.";
        let opts = AnalysisOptions {
            markdown: false,
            ..AnalysisOptions::default()
        };
        let a = article::parse(t, &opts);
        let f = find(t, &a, &opts);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].sentence, 1);
        assert_eq!(f[1].sentence, 2);
        assert!(f
            .iter()
            .all(|f| f.status == FigureStatus::Unsourced && f.source.is_none()));
    }

    #[test]
    fn unicode_is_safe() {
        let t = "نرخ ۱۲ درصد 😀 rose 5% ça va 3 élèves\u{0301} ok";
        let s = spans(t);
        assert!(s.contains(&"5%".to_string()));
    }

    #[test]
    fn capitalised_number_word_in_a_name_mid_sentence() {
        assert!(spans("Fans travelled to the Seven Hills derby on Sunday.").is_empty());
        assert!(spans("Shares in the Big Four firms slipped.").is_empty());
        // Sentence-initial and lower-case number words still count.
        assert_eq!(
            spans("Seven Hills residents signed."),
            vec!["Seven Hills residents"]
        );
        assert_eq!(
            spans("The club signed seven players."),
            vec!["seven players"]
        );
    }

    #[test]
    fn date_ranges_are_dates_not_figures() {
        let opts = AnalysisOptions {
            markdown: false,
            ..AnalysisOptions::default()
        };
        for (t, date) in [
            (
                "The fair runs from 4 to 8 March in the town hall.",
                "4 to 8 March",
            ),
            ("The fair runs 4-8 March in the town hall.", "4-8 March"),
            ("The fair runs 4 – 8 March in the town hall.", "4 – 8 March"),
            (
                "Voting is between 2 and 5 June at most sites.",
                "2 and 5 June",
            ),
            (
                "Voting is held on October 12-14 at most sites.",
                "October 12-14",
            ),
        ] {
            assert!(spans(t).is_empty(), "{t}: {:?}", spans(t));
            let a = article::parse(t, &opts);
            let (_, dates) = scan(t, &a, &opts, None, &crate::analysis::Cancel::never());
            let got: Vec<&str> = dates.iter().map(|d| &t[d.span.clone()]).collect();
            assert_eq!(got, vec![date], "{t}");
        }
        assert_eq!(date_value("4-8 March 2024"), 20240304.0);
        // A count next to a month name is still a count.
        assert_eq!(
            spans("Some 40 to 50 people marched in March."),
            vec!["40 to 50 people"]
        );
    }

    #[test]
    fn an_age_naming_a_person_is_no_figure() {
        assert!(spans("The 41-year-old said he would appeal.").is_empty());
        assert!(spans("The 19-year-old also praised her coach.").is_empty());
        assert!(spans("Police questioned the 52-year-old, who denies wrongdoing.").is_empty());
        assert!(spans("The 27-year-old joined from a rival club.").is_empty());
        // An age stated as a fact stays a figure.
        assert_eq!(
            spans("A 41-year-old woman was charged."),
            vec!["41-year-old"]
        );
        assert_eq!(
            spans("The 41-year-old woman was charged."),
            vec!["41-year-old"]
        );
    }

    #[test]
    fn positions_and_labels_are_no_figures() {
        assert!(spans("Her single climbed to number 4 in the chart.").is_empty());
        assert!(spans("The band peaked at No. 2 last year.").is_empty());
        assert!(spans("No 10 declined to comment on the leak.").is_empty());
        // `number of` and a counted number after `number` are untouched.
        assert_eq!(spans("The number rose to 40 schools."), vec!["40 schools"]);
    }

    #[test]
    fn match_report_minutes_and_scores_are_no_figures() {
        assert!(spans("Line-up: Kirk, Stone (Mills 76), Quinn (Baker 83), Hart.").is_empty());
        assert!(spans("Booked: Hart (77).").is_empty());
        assert!(spans("Hart 32.").is_empty());
        assert!(spans("Goals: Mills 35 og, Baker 38.").is_empty());
        assert!(spans("It was a 1-0 defeat for the hosts after a 3-2 win.").is_empty());
        // Counts after a sentence-opening word are still counts.
        assert_eq!(spans("Some 32 were hurt."), vec!["32"]);
        assert_eq!(spans("Police arrested 32."), vec!["32"]);
    }

    #[test]
    fn a_period_high_is_a_market_term() {
        assert!(spans("The stock hit a 52-week high on Friday.").is_empty());
        assert!(spans("Sterling fell to a three-month low.").is_empty());
        assert_eq!(spans("They signed 12-month contracts."), vec!["12-month"]);
    }
}

#[cfg(test)]
mod props {
    use crate::analysis::{analyze, AnalysisOptions};
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "12",
            "1,389",
            "2.5",
            "$",
            "\\$",
            "€",
            "%",
            " ",
            " ",
            "\n",
            "\n\n",
            "-",
            "–",
            "to",
            "from",
            "one",
            "twenty",
            "-five",
            "million",
            "bn",
            "m",
            "people",
            "the",
            "two",
            "years",
            "\"",
            "“",
            "”",
            "«",
            "»",
            ".",
            "!",
            "?",
            "Mr.",
            "U.S.",
            "Dec.",
            "October",
            "18",
            "2021",
            ":",
            "53",
            "a",
            "dozen",
            "hundreds",
            "of",
            "[",
            "]",
            "^1",
            "(",
            ")",
            "http://x.y/1",
            "<!--",
            "-->",
            "```",
            "#",
            "- ",
            "1. ",
            "سلام",
            "😀",
            "é",
            "\u{301}",
            "\r\n",
            "---",
            "over",
            "at least",
            "[factlens-ignore]",
            "<!-- factlens-ignore -->",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn never_panics_and_spans_are_sane(parts in prop::collection::vec(piece(), 0..60), md in any::<bool>()) {
            let text: String = parts.concat();
            let opts = AnalysisOptions { markdown: md, ..AnalysisOptions::default() };
            let a = analyze(&text, &opts);
            for w in a.sentences.windows(2) {
                prop_assert!(w[0].span.end <= w[1].span.start);
            }
            for s in &a.sentences {
                prop_assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
            }
            for f in &a.figures {
                prop_assert!(f.span.start < f.span.end && f.span.end <= text.len());
                prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
                prop_assert!(f.sentence < a.sentences.len());
                prop_assert!(f.value.is_finite());
            }
            for w in a.findings.windows(2) {
                prop_assert!(w[0].span.start <= w[1].span.start);
            }
        }
    }
}
