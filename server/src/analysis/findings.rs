//! Findings: what becomes a diagnostic, with its stable code, span and
//! message; suppression markers.

use super::{AnalysisOptions, Article, FigureStatus, QuoteKind, QuoteStatus, Span};
use serde::{Deserialize, Serialize};

/// Stable diagnostic codes (SPEC "What the editor shows").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    UnsourcedFigure,
    UnattributedQuote,
    VagueAttribution,
    ConflictingFigure,
    QuoteVariant,
    UnbalancedQuote,
    /// A configured size limit cut the analysis short.
    SizeLimit,
}

impl Code {
    pub const ALL: [Code; 7] = [
        Code::UnsourcedFigure,
        Code::UnattributedQuote,
        Code::VagueAttribution,
        Code::ConflictingFigure,
        Code::QuoteVariant,
        Code::UnbalancedQuote,
        Code::SizeLimit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnsourcedFigure => "unsourced-figure",
            Code::UnattributedQuote => "unattributed-quote",
            Code::VagueAttribution => "vague-attribution",
            Code::ConflictingFigure => "conflicting-figure",
            Code::QuoteVariant => "quote-variant",
            Code::UnbalancedQuote => "unbalanced-quote",
            Code::SizeLimit => "size-limit",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnsourcedFigure | Code::UnattributedQuote | Code::ConflictingFigure => {
                Severity::Warning
            }
            Code::VagueAttribution | Code::QuoteVariant | Code::SizeLimit => Severity::Information,
            Code::UnbalancedQuote => Severity::Hint,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// What a finding is about, so front ends can find its figure or quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Figure(usize),
    Quotation(usize),
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    pub span: Span,
    pub message: String,
    pub subject: Subject,
}

// ---------------------------------------------------------------------------
// Suppression markers
// ---------------------------------------------------------------------------
//
// The analyser honours both syntaxes in every file:
//
// * Markdown: `<!-- factlens-ignore -->`, `<!-- factlens-ignore CODE ... -->`,
//   `<!-- factlens-ignore-file -->`.
// * Plain text: `[factlens-ignore]`, `[factlens-ignore CODE ...]`,
//   `[factlens-ignore-file]`.
// * Front matter: `factlens: ignore` (whole file), or
//   `factlens: ignore CODE ...` (those codes in the whole file).
//
// A line marker suppresses the findings that START on its line. A marker
// alone on its line (nothing else but spaces) suppresses the next non-blank
// line instead. Codes are separated by spaces or commas; none means all.
// A file marker may sit anywhere.

static MARKER_RE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(MARKER_WORD).expect("literal"));

/// The word every marker contains.
pub const MARKER_WORD: &str = "factlens-ignore";
/// The file-wide marker word.
pub const FILE_MARKER_WORD: &str = "factlens-ignore-file";
/// Front matter key: `factlens: ignore`.
pub const FRONT_MATTER_KEY: &str = "factlens";

/// The line marker to insert (and that [`collect`] honours): for `code` only,
/// or every code when `None`; HTML comment in Markdown, brackets in plain text.
pub fn suppression_marker(code: Option<Code>, markdown: bool) -> String {
    let codes = code.map(|c| format!(" {}", c.as_str())).unwrap_or_default();
    if markdown {
        format!("<!-- {MARKER_WORD}{codes} -->")
    } else {
        format!("[{MARKER_WORD}{codes}]")
    }
}

/// The file-wide marker.
pub fn file_suppression_marker(markdown: bool) -> String {
    if markdown {
        format!("<!-- {FILE_MARKER_WORD} -->")
    } else {
        format!("[{FILE_MARKER_WORD}]")
    }
}

/// What the markers of a text suppress.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suppressions {
    /// Codes suppressed in the whole file (`None` = every code).
    pub file: Option<Vec<Code>>,
    /// Byte ranges of suppressed lines, with the codes (empty = all).
    pub lines: Vec<(Span, Vec<Code>)>,
}

impl Suppressions {
    pub fn suppresses(&self, code: Code, offset: usize) -> bool {
        if let Some(codes) = &self.file {
            if codes.is_empty() || codes.contains(&code) {
                return true;
            }
        }
        self.lines.iter().any(|(span, codes)| {
            span.start <= offset
                && offset <= span.end
                && (codes.is_empty() || codes.contains(&code))
        })
    }
}

fn parse_codes(s: &str) -> Vec<Code> {
    s.split(|c: char| c.is_whitespace() || c == ',')
        .filter_map(Code::parse)
        .collect()
}

fn line_bounds(text: &str, pos: usize) -> Span {
    let s = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let e = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    s..e
}

/// Find the suppression markers of a text.
pub fn suppressions(text: &str, art: &Article) -> Suppressions {
    let mut out = Suppressions::default();
    if let Some(v) = super::article::front_matter_value(text, art, FRONT_MATTER_KEY) {
        let mut words = v.split_whitespace();
        if words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("ignore"))
        {
            let codes = parse_codes(&words.collect::<Vec<_>>().join(" "));
            out.file = Some(codes);
        }
    }
    let mut from = 0;
    while let Some(m) = MARKER_RE.find_at(text, from) {
        let at = m.start();
        from = at + MARKER_WORD.len();
        let before = text[..at].trim_end_matches([' ', '\t']);
        let (open_len, close) = if before.ends_with("<!--") {
            (before.len() - 4, "-->")
        } else if before.ends_with('[') {
            (before.len() - 1, "]")
        } else {
            continue;
        };
        let rest = &text[at + MARKER_WORD.len()..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let Some(close_rel) = rest[..line_end].find(close) else {
            continue;
        };
        let args = &rest[..close_rel];
        let marker_end = at + MARKER_WORD.len() + close_rel + close.len();
        if let Some(file_args) = args.strip_prefix("-file") {
            if file_args.is_empty() || file_args.starts_with(char::is_whitespace) {
                let codes = parse_codes(file_args);
                out.file = match out.file.take() {
                    Some(prev) if prev.is_empty() || codes.is_empty() => Some(Vec::new()),
                    Some(mut prev) => {
                        prev.extend(codes);
                        Some(prev)
                    }
                    None => Some(codes),
                };
            }
            continue;
        }
        if !(args.is_empty() || args.starts_with(char::is_whitespace)) {
            continue;
        }
        let codes = parse_codes(args);
        let line = line_bounds(text, at);
        let alone = text[line.start..open_len].trim().is_empty()
            && text[marker_end..line.end].trim().is_empty();
        let target = if alone {
            // The next non-blank line.
            let mut found = None;
            let mut pos = line.end;
            for l in text[line.end..].split_inclusive('\n') {
                let content = l.trim_end_matches(['\n', '\r']);
                let span = pos..pos + content.len();
                pos += l.len();
                if span.start == line.end {
                    continue; // the rest of the marker's own line
                }
                if !content.trim().is_empty() {
                    found = Some(span);
                    break;
                }
            }
            found.unwrap_or(line)
        } else {
            line
        };
        out.lines.push((target, codes));
    }
    out
}

// ---------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------

/// The text of a span for a message: spaces collapsed, cut after `max` chars.
///
/// Only the first `max + 1` characters of the collapsed text are built: a
/// quotation can be a whole paragraph long and only 40 chars are shown.
fn excerpt(text: &str, span: &Span, max: usize) -> String {
    let raw = text.get(span.clone()).unwrap_or("");
    let mut s = String::with_capacity(raw.len().min(4 * (max + 1)));
    let mut chars = 0usize;
    for w in raw.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
            chars += 1;
        }
        s.push_str(w);
        chars += w.chars().count();
        if chars > max {
            break;
        }
    }
    if chars <= max {
        return s;
    }
    cut_at_word(&s, max)
}

/// `s` (longer than `max` chars) cut to at most `max` chars, at a word
/// boundary past the middle, with `…`.
fn cut_at_word(s: &str, max: usize) -> String {
    let mut cut: String = s.chars().take(max).collect();
    if let Some(sp) = cut.rfind(' ') {
        if sp > max / 2 {
            cut.truncate(sp);
        }
    }
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Turn the analysed figures and quotations into findings, honouring
/// suppression markers. Sorted by span start.
pub fn collect(text: &str, art: &Article, opts: &AnalysisOptions) -> Vec<Finding> {
    let sup = suppressions(text, art);
    if sup.file.as_ref().is_some_and(|c| c.is_empty()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, f) in art.figures.iter().enumerate() {
        // A conversion's sourcing is its original's: one finding for both.
        if f.status == FigureStatus::Sourced || f.restates {
            continue;
        }
        let fig = excerpt(text, &f.span, 60);
        match f.status {
            FigureStatus::Unsourced => out.push(Finding {
                code: Code::UnsourcedFigure,
                span: f.span.clone(),
                message: format!("Unsourced figure \"{fig}\": add who says so."),
                subject: Subject::Figure(i),
            }),
            FigureStatus::Vague => {
                let who = f.source.as_deref().unwrap_or("an anonymous source");
                out.push(Finding {
                    code: Code::VagueAttribution,
                    span: f.span.clone(),
                    message: format!(
                        "Figure \"{fig}\" is attributed only to \"{who}\": name the source."
                    ),
                    subject: Subject::Figure(i),
                });
            }
            FigureStatus::Sourced => {}
        }
    }
    for (i, q) in art.quotations.iter().enumerate() {
        let words = || excerpt(text, &q.span, 40);
        let unattributed = match q.kind {
            QuoteKind::Quotation => q.status == Some(QuoteStatus::Unattributed),
            QuoteKind::ScareQuote => opts.flag_scare_quotes && q.speaker.is_none(),
        };
        if unattributed {
            let words = words();
            out.push(Finding {
                code: Code::UnattributedQuote,
                span: q.outer.clone(),
                message: format!("Quotation \"{words}\" has no speaker: say who said it."),
                subject: Subject::Quotation(i),
            });
        } else if q.status == Some(QuoteStatus::Vague) {
            let who = q
                .speaker_as_written
                .as_deref()
                .or(q.speaker.as_deref())
                .unwrap_or("an anonymous source");
            let words = words();
            out.push(Finding {
                code: Code::VagueAttribution,
                span: q.outer.clone(),
                message: format!(
                    "Quotation \"{words}\" is attributed only to \"{who}\": name the speaker."
                ),
                subject: Subject::Quotation(i),
            });
        }
    }
    for u in &art.unbalanced {
        let mark = excerpt(text, u, 4);
        out.push(Finding {
            code: Code::UnbalancedQuote,
            span: u.clone(),
            message: format!("Quotation mark ({mark}) is never closed."),
            subject: Subject::None,
        });
    }
    out.retain(|f| !sup.suppresses(f.code, f.span.start));
    out.sort_by_key(|f| (f.span.start, f.span.end, f.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Figure, Quotation};

    /// The definition `excerpt` must match: collapse all, then cut.
    fn excerpt_reference(text: &str, span: &Span, max: usize) -> String {
        let raw = text.get(span.clone()).unwrap_or("");
        let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() <= max {
            return s;
        }
        cut_at_word(&s, max)
    }

    #[test]
    fn bounded_excerpt_is_the_collapsed_cut() {
        let text = "  The  harbour\tmaster,  said: \u{201c}Zürich  ships 40 cranes\n\nweekly; \
                    really\u{201d}  and then   some  more   words here to pass the limit.  ";
        for max in [0, 1, 3, 4, 5, 10, 11, 12, 20, 39, 40, 41, 60, 200] {
            for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                for end in [start, start + 1, start + 7, start + 45, text.len()] {
                    if end > text.len() || !text.is_char_boundary(end) {
                        continue;
                    }
                    let span = start..end;
                    assert_eq!(
                        excerpt(text, &span, max),
                        excerpt_reference(text, &span, max),
                        "max {max}, span {span:?}"
                    );
                }
            }
        }
    }

    fn txt() -> AnalysisOptions {
        AnalysisOptions {
            markdown: false,
            ..AnalysisOptions::default()
        }
    }

    fn fig(span: Span, status: FigureStatus, source: Option<&str>) -> Figure {
        Figure {
            span,
            value: 1.0,
            value_to: None,
            unit: None,
            qualifier: None,
            sentence: 0,
            status,
            source: source.map(str::to_string),
            restates: false,
        }
    }

    fn quote(span: Span, outer: Span, kind: QuoteKind, status: Option<QuoteStatus>) -> Quotation {
        Quotation {
            span,
            outer,
            kind,
            status,
            speaker: None,
            speaker_as_written: Some("insiders".into()),
            cue: None,
            sentence: 0,
            nested_in: None,
        }
    }

    #[test]
    fn markers() {
        assert_eq!(suppression_marker(None, true), "<!-- factlens-ignore -->");
        assert_eq!(
            suppression_marker(Some(Code::UnsourcedFigure), true),
            "<!-- factlens-ignore unsourced-figure -->"
        );
        assert_eq!(suppression_marker(None, false), "[factlens-ignore]");
        assert_eq!(
            suppression_marker(Some(Code::UnattributedQuote), false),
            "[factlens-ignore unattributed-quote]"
        );
        assert_eq!(
            file_suppression_marker(true),
            "<!-- factlens-ignore-file -->"
        );
        assert_eq!(file_suppression_marker(false), "[factlens-ignore-file]");
    }

    #[test]
    fn unsourced_figure_message_and_span() {
        let t = "Title\n\nThe council spent over $ 4.5 billion on roads.\n";
        let a = analyze(t, &txt());
        let f: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.code == Code::UnsourcedFigure)
            .collect();
        assert_eq!(f.len(), 1);
        assert_eq!(&t[f[0].span.clone()], "$ 4.5 billion");
        assert_eq!(
            f[0].message,
            "Unsourced figure \"$ 4.5 billion\": add who says so."
        );
    }

    #[test]
    fn vague_and_quotes_and_unbalanced() {
        let t = "Analysts expect 40 ships. \"We will never leave this harbour again, whatever it costs us,\" a voice said. “Tiny” “";
        let mut a = crate::analysis::article::parse(t, &txt());
        let s40 = t.find("40 ships").unwrap();
        a.figures = vec![fig(s40..s40 + 8, FigureStatus::Vague, Some("Analysts"))];
        let qs = t.find("We will").unwrap();
        let qe = t.find(",\" a voice").unwrap() + 2;
        a.quotations = vec![
            quote(
                qs..qe - 2,
                qs - 1..qe,
                QuoteKind::Quotation,
                Some(QuoteStatus::Unattributed),
            ),
            quote(
                qs..qe - 2,
                qs - 1..qe,
                QuoteKind::Quotation,
                Some(QuoteStatus::Vague),
            ),
        ];
        let tiny = t.find("Tiny").unwrap();
        a.quotations.push(quote(
            tiny..tiny + 4,
            tiny - 3..tiny + 7,
            QuoteKind::ScareQuote,
            None,
        ));
        let last = t.rfind('“').unwrap();
        a.unbalanced.push(last..t.len());
        let f = collect(t, &a, &txt());
        let msgs: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "Figure \"40 ships\" is attributed only to \"Analysts\": name the source.",
                "Quotation \"We will never leave this harbour again…\" has no speaker: say who said it.",
                "Quotation \"We will never leave this harbour again…\" is attributed only to \"insiders\": name the speaker.",
                "Quotation mark (“) is never closed.",
            ]
        );
        assert_eq!(f[0].code, Code::VagueAttribution);
        assert_eq!(f[1].code, Code::UnattributedQuote);
        assert_eq!(
            &t[f[1].span.clone()],
            "\"We will never leave this harbour again, whatever it costs us,\""
        );
        assert_eq!(f[3].code, Code::UnbalancedQuote);
        // Scare quotes only on request.
        let opts = AnalysisOptions {
            flag_scare_quotes: true,
            ..txt()
        };
        let f = collect(t, &a, &opts);
        assert!(f
            .iter()
            .any(|f| f.message.starts_with("Quotation \"Tiny\"")));
    }

    /// A currency conversion in brackets is the same fact: one finding, on
    /// the figure it converts, whatever that figure's status.
    #[test]
    fn a_conversion_gets_no_finding_of_its_own() {
        let t = "Title\n\nThe mill was sold for $40m (£21m; 30m euros).\n\nAnalysts say the yard cost £9m ($17m).\n\nIt paid $5m and £3m for the land.\n";
        let a = analyze(t, &txt());
        let left: Vec<(&str, &str)> = a
            .findings
            .iter()
            .map(|f| (f.code.as_str(), &t[f.span.clone()]))
            .collect();
        assert_eq!(
            left,
            vec![
                ("unsourced-figure", "$40m"),
                ("vague-attribution", "£9m"),
                ("unsourced-figure", "$5m"),
                ("unsourced-figure", "£3m"),
            ]
        );
    }

    #[test]
    fn line_markers() {
        let t = "Title\n\nThe port has 40 cranes. [factlens-ignore]\n\nIt has 9 docks. [factlens-ignore unattributed-quote]\n\n[factlens-ignore unsourced-figure]\nIt has 3 piers.\n\nIt has 7 tugs.\n";
        let a = analyze(t, &txt());
        let left: Vec<&str> = a.findings.iter().map(|f| &t[f.span.clone()]).collect();
        assert_eq!(left, vec!["9 docks", "7 tugs"]);
    }

    #[test]
    fn markdown_markers_and_file_markers() {
        let md = AnalysisOptions::default();
        let t = "# Title\n\nThe port has 40 cranes. <!-- factlens-ignore -->\n\n<!-- factlens-ignore -->\n\nIt has 3 piers.\n\nIt has 7 tugs.\n";
        let a = analyze(t, &md);
        let left: Vec<&str> = a.findings.iter().map(|f| &t[f.span.clone()]).collect();
        assert_eq!(left, vec!["7 tugs"]);
        let t = "# Title\n\nIt has 7 tugs.\n\n<!-- factlens-ignore-file -->\n";
        assert!(analyze(t, &md).findings.is_empty());
        let t = "Title\n\nIt has 7 tugs. [factlens-ignore-file]\n";
        assert!(analyze(t, &txt()).findings.is_empty());
        let t = "---\ntitle: X\nfactlens: ignore\n---\nIt has 7 tugs.\n";
        assert!(analyze(t, &md).findings.is_empty());
        let t = "---\nfactlens: ignore unattributed-quote\n---\nIt has 7 tugs.\n";
        assert_eq!(analyze(t, &md).findings.len(), 1);
        let t = "# T\n\nIt has 7 tugs. <!-- factlens-ignore-file unsourced-figure -->\n";
        assert!(analyze(t, &md).findings.is_empty());
    }

    #[test]
    fn inserted_marker_is_honoured() {
        for md in [true, false] {
            let opts = AnalysisOptions {
                markdown: md,
                ..AnalysisOptions::default()
            };
            let t = format!(
                "Title\n\nThe port has 40 cranes. {}\n",
                suppression_marker(Some(Code::UnsourcedFigure), md)
            );
            assert!(analyze(&t, &opts).findings.is_empty(), "{t}");
        }
    }
}
