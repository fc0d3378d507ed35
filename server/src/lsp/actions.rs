//! Code actions: the quick fixes of `crate::fixes` (byte-offset edits on the
//! analysed text) as LSP `WorkspaceEdit`s, versioned so a client refuses
//! edits computed on an older text.

use super::convert;
use super::indexing::title_of;
use super::state::{Snapshot, State};
use crate::config::Config;
use crate::fixes::{fixes_for, has_fixes, CiteTarget};
use crate::index::Index;
use std::collections::HashMap;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

/// The finding a diagnostic stands for: by the byte span and code in its
/// `data`, else by code and range.
fn finding_of(snap: &Snapshot, d: &Diagnostic) -> Option<usize> {
    let code = convert::code_of(d)?;
    if let Some(data) = &d.data {
        if let (Some(s), Some(e)) = (data["span"][0].as_u64(), data["span"][1].as_u64()) {
            if let Some(i) = snap.article.findings.iter().position(|f| {
                f.code == code && f.span.start == s as usize && f.span.end == e as usize
            }) {
                return Some(i);
            }
        }
    }
    snap.article.findings.iter().position(|f| {
        f.code == code && convert::range(&snap.text, &snap.lines, &f.span, snap.encoding) == d.range
    })
}

/// Articles a note may cite: sourced articles with a claim matching the
/// finding's sentence.
fn cites(
    index: &Index,
    snap: &Snapshot,
    span: &std::ops::Range<usize>,
    roots: &[std::path::PathBuf],
) -> Vec<CiteTarget> {
    let Some(cm) = super::crossref::claim_at(snap, span.start) else {
        return Vec::new();
    };
    let mut out: Vec<CiteTarget> = Vec::new();
    for m in &cm.matches {
        if !index.is_sourced(&m.path) || out.iter().any(|c| c.path == *m.path) {
            continue;
        }
        let meta = index.doc_meta(&m.path).cloned().unwrap_or_default();
        out.push(CiteTarget {
            title: title_of(index, &m.path),
            outlet: meta.outlet,
            date: meta.date,
            url: meta.url,
            path: relative_path(&m.path, roots),
        });
        if out.len() >= 3 {
            break;
        }
    }
    out
}

/// A cited article's path relative to the workspace folder holding it (the
/// path as indexed when it lies outside every folder).
fn relative_path(path: &str, roots: &[std::path::PathBuf]) -> String {
    let p = std::path::Path::new(path);
    roots
        .iter()
        .filter_map(|r| p.strip_prefix(r).ok())
        .min_by_key(|rel| rel.components().count())
        .map_or_else(
            || path.to_string(),
            |rel| rel.to_string_lossy().into_owned(),
        )
}

fn workspace_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    document_changes: bool,
) -> WorkspaceEdit {
    if document_changes {
        WorkspaceEdit {
            changes: None,
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            change_annotations: None,
        }
    } else {
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), edits);
        WorkspaceEdit {
            changes: Some(changes),
            document_changes: None,
            change_annotations: None,
        }
    }
}

/// Quick fixes for the diagnostics in `diagnostics`, or, when the client
/// sent none, for the findings overlapping `range`.
pub fn code_actions(
    state: &State,
    snap: &Snapshot,
    uri: &Uri,
    range: Range,
    diagnostics: &[Diagnostic],
    config: &Config,
    document_changes: bool,
) -> Vec<CodeActionOrCommand> {
    let mut targets: Vec<(usize, Diagnostic)> = diagnostics
        .iter()
        .filter_map(|d| finding_of(snap, d).map(|i| (i, d.clone())))
        .collect();
    if diagnostics.is_empty() {
        let s = convert::offset(&snap.text, &snap.lines, range.start, snap.encoding);
        let e = convert::offset(&snap.text, &snap.lines, range.end, snap.encoding);
        let findings = &snap.article.findings;
        for (i, f) in findings.iter().enumerate() {
            if f.span.start <= e.max(s) && s.min(e) <= f.span.end {
                let range = convert::range(&snap.text, &snap.lines, &f.span, snap.encoding);
                if let Some((d, g)) = snap.diagnostics.iter().find_map(|d| {
                    let g = findings.get(d.finding)?;
                    (g.code == f.code && d.range == range).then_some((d, g))
                }) {
                    targets.push((i, convert::to_lsp(&snap.text, g, d, snap.version)));
                }
            }
        }
    }
    let index = state.index();
    let roots = super::state::read(&state.roots);
    let markdown = snap.language.is_markdown();
    let mut out = Vec::new();
    for (i, diag) in targets {
        let f = &snap.article.findings[i];
        if !has_fixes(f.code) {
            continue;
        }
        let cites = cites(&index, snap, &f.span, &roots);
        for fix in fixes_for(&snap.text, &snap.article, i, config, markdown, &cites) {
            let edits: Vec<TextEdit> = fix
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: convert::range(&snap.text, &snap.lines, &e.range, snap.encoding),
                    new_text: e.new_text.clone(),
                })
                .collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(workspace_edit(uri, snap.version, edits, document_changes)),
                command: None,
                is_preferred: Some(fix.preferred),
                disabled: None,
                data: None,
            }));
        }
    }
    out
}
