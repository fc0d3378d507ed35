//! Cross-article features from a snapshot's claim matches and the index:
//! the hover's matching-claims list, references, code lens, workspace
//! symbols.

use super::indexing::{location, title_of, uri_for};
use super::state::{ClaimMatches, Snapshot, State};
use crate::index::{Index, Match, Relation};
use crate::text::{Encoding, LineIndex};
use std::fmt::Write;
use tower_lsp_server::ls_types::{
    CodeLens, Command, Location, OneOf, Position, Range, SymbolKind, WorkspaceSymbol,
};

/// The strict claim whose sentence contains byte `offset`.
pub fn claim_at(snap: &Snapshot, offset: usize) -> Option<&ClaimMatches> {
    snap.claims
        .iter()
        .find(|c| c.span.start <= offset && offset <= c.span.end)
}

fn relation_label(m: &Match) -> &'static str {
    match m.relation {
        Relation::SameClaim if m.figures_differ => "related, figures differ",
        Relation::SameClaim => "same claim",
        Relation::Conflict => "**conflict**",
        Relation::QuoteVariant => "quotation worded differently",
    }
}

/// `text` with the `bold` byte ranges in bold, on one line.
fn emphasise(text: &str, bold: &[std::ops::Range<usize>]) -> String {
    let mut ranges: Vec<_> = bold
        .iter()
        .filter(|r| r.start < r.end && text.get(r.start..r.end).is_some())
        .cloned()
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    let esc = |s: &str| {
        let mut o = String::new();
        for c in s.chars() {
            match c {
                '\n' | '\r' | '\t' => o.push(' '),
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                    o.push('\\');
                    o.push(c)
                }
                _ => o.push(c),
            }
        }
        o
    };
    for r in ranges {
        if r.start < at {
            continue;
        }
        out.push_str(&esc(&text[at..r.start]));
        let _ = write!(out, "**{}**", esc(&text[r.clone()]));
        at = r.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

/// The hover section listing the matches of a claim.
pub fn hover_section(index: &Index, matches: &[Match]) -> String {
    let mut md = String::new();
    let n = matches.len();
    let conflicts = matches
        .iter()
        .filter(|m| m.relation == Relation::Conflict)
        .count();
    let _ = write!(
        md,
        "**{n} matching claim{} in other articles**",
        if n == 1 { "" } else { "s" }
    );
    if conflicts > 0 {
        let _ = write!(
            md,
            " · {conflicts} conflict{}",
            if conflicts == 1 { "" } else { "s" }
        );
    }
    md.push_str("\n\n");
    for (i, m) in matches.iter().enumerate() {
        let title = title_of(index, &m.path);
        let mut about = Vec::new();
        if let Some(meta) = index.doc_meta(&m.path) {
            if let Some(o) = &meta.outlet {
                about.push(o.clone());
            }
        }
        if let Some(d) = index.doc_date(&m.path) {
            about.push(d);
        }
        let file = std::path::Path::new(&*m.path)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| m.path.to_string());
        let line = m.start.line + 1;
        let link = uri_for(&m.path)
            .map(|u| format!("[{file}:{line}]({}#L{line})", u.as_str()))
            .unwrap_or_else(|| format!("{file}:{line}"));
        let _ = write!(md, "{}. **{}**", i + 1, title.replace(['*', '\n'], " "));
        if !about.is_empty() {
            let _ = write!(md, " · {}", about.join(" · "));
        }
        let _ = writeln!(md, " — {}  ", relation_label(m));
        let _ = writeln!(md, "   {}  ", emphasise(&m.text, &m.bold));
        let _ = writeln!(md, "   {link}");
    }
    md
}

/// Locations of the matches of the claim at `offset` (and the claim itself
/// when `include_declaration`).
pub fn references(
    state: &State,
    snap: &Snapshot,
    offset: usize,
    include_declaration: bool,
) -> Vec<Location> {
    let Some(cm) = claim_at(snap, offset) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if include_declaration {
        if let Some(uri) = uri_for(&snap.key) {
            out.push(Location {
                uri,
                range: super::convert::range(&snap.text, &snap.lines, &cm.span, snap.encoding),
            });
        }
    }
    out.extend(
        cm.matches
            .iter()
            .filter_map(|m| location(state, m, snap.encoding)),
    );
    out
}

/// A code lens on each paragraph whose claims match other articles.
pub fn code_lenses(snap: &Snapshot) -> Vec<CodeLens> {
    // (para, start, the other claims matched, those of them in conflict):
    // a claim of another article matched by two clauses of one paragraph
    // is one matching claim.
    type Seen<'a> = Vec<(&'a str, usize)>;
    let mut by_para: Vec<(usize, usize, Seen, Seen)> = Vec::new();
    for cm in &snap.claims {
        if cm.matches.is_empty() {
            continue;
        }
        let para = snap
            .article
            .sentences
            .get(cm.sentence)
            .map_or(usize::MAX, |s| s.paragraph);
        let start = snap
            .article
            .paragraphs
            .get(para)
            .map_or(cm.span.start, |p| p.start);
        let i = match by_para.iter().position(|e| e.0 == para) {
            Some(i) => i,
            None => {
                by_para.push((para, start, Vec::new(), Vec::new()));
                by_para.len() - 1
            }
        };
        let e = &mut by_para[i];
        for m in &cm.matches {
            let key = (&*m.path, m.claim);
            if !e.2.contains(&key) {
                e.2.push(key);
            }
            if m.relation == Relation::Conflict && !e.3.contains(&key) {
                e.3.push(key);
            }
        }
    }
    by_para
        .into_iter()
        .map(|(_, start, matched, conflicting)| {
            let (n, c) = (matched.len(), conflicting.len());
            let pos = super::convert::position(&snap.text, &snap.lines, start, snap.encoding);
            let mut title = format!("{n} matching claim{}", if n == 1 { "" } else { "s" });
            if c > 0 {
                let _ = write!(title, " · {c} conflict{}", if c == 1 { "" } else { "s" });
            }
            CodeLens {
                range: Range::new(pos, pos),
                command: Some(Command {
                    title,
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            }
        })
        .collect()
}

/// Workspace symbols: claims matching the query.
pub fn workspace_symbols(state: &State, query: &str, enc: Encoding) -> Vec<WorkspaceSymbol> {
    let index = state.index();
    let hits = index.search(query, 100);
    hits.into_iter()
        .filter_map(|h| {
            let uri = uri_for(&h.path)?;
            let range = match enc {
                Encoding::Utf16 => Range::new(
                    Position::new(h.start.line, h.start.col_utf16),
                    Position::new(h.end.line, h.end.col_utf16),
                ),
                _ => match state.snapshot(&uri) {
                    Some(s) => super::convert::range(&s.text, &s.lines, &h.span, enc),
                    None => {
                        // Lines are exact; UTF-8 columns need the text.
                        match crate::workspace::read_article(std::path::Path::new(&*h.path)) {
                            Ok(r) => {
                                let li = LineIndex::new(&r.text);
                                super::convert::range(&r.text, &li, &h.span, enc)
                            }
                            Err(_) => Range::new(
                                Position::new(h.start.line, 0),
                                Position::new(h.end.line, 0),
                            ),
                        }
                    }
                },
            };
            let name: String = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let name: String = name.chars().take(120).collect();
            Some(WorkspaceSymbol {
                name,
                kind: SymbolKind::STRING,
                tags: None,
                container_name: Some(title_of(&index, &h.path)),
                location: OneOf::Left(Location { uri, range }),
                data: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_parts() {
        assert_eq!(
            emphasise("They expelled 8 members.", &[14..15, 16..23]),
            "They expelled **8** **members**."
        );
        assert_eq!(emphasise("a*b", &[]), "a\\*b");
        let out_of_range = [std::ops::Range { start: 5, end: 9 }];
        assert_eq!(emphasise("abc", &out_of_range), "abc");
    }

    /// The hover says which reports agree, which conflict, and which are
    /// related but give another figure (not "same claim").
    #[test]
    fn hover_labels_a_related_report_with_another_figure() {
        let mut ix = Index::new();
        for (p, t) in [
            ("/tmp/v1.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Turnover at the Kesselton futures exchange for the whole of the first quarter was 4.87 mln contracts against 2.52 mln in the same period last year, the exchange said."),
            ("/tmp/v2.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Total volume in the first quarter rose to 4.8 mln contracts, helped by heavy trading in bond, currency and grain options after the central bank cut lending rates twice and farmers hedged a record harvest, officials at the Kesselton futures exchange said."),
            ("/tmp/v3.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Kesselton futures exchange turnover reached 4.87 mln contracts in the first quarter, the exchange said."),
            ("/tmp/x.md", "Harbour works\n\nThe harbour board will dredge the east basin next spring, the board said."),
        ] {
            ix.upsert(p, t, &crate::analysis::analyze(t, &Default::default()));
        }
        let q = ix
            .claims_of("/tmp/v1.md")
            .iter()
            .position(|c| c.has_figure())
            .unwrap();
        let md = hover_section(&ix, &ix.matches_for("/tmp/v1.md", q, 5, 1.0));
        let line = |file: &str| {
            md.lines()
                .position(|l| l.contains(&format!("[{file}:")))
                .and_then(|i| md.lines().nth(i.checked_sub(2)?))
                .unwrap_or_else(|| panic!("{file}: {md}"))
                .to_string()
        };
        assert!(
            line("v2.md").ends_with("— related, figures differ  "),
            "{md}"
        );
        assert!(line("v3.md").ends_with("— same claim  "), "{md}");
        assert!(md.contains("**4.8 mln contracts**"), "{md}");
    }
}
