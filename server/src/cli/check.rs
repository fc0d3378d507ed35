//! `factlens check`: the diagnostics for CI.

use super::files::{self, LoadedConfig, SourceFile, Status};
use super::output::{self, Counts, Diag, Range1, Related};
use super::workspace::{par_map, Doc, Workspace};
use super::{sarif, CheckArgs, CheckFormat};
use crate::analysis::findings::Subject;
use crate::analysis::{analyze, Code, Finding};
use crate::text::LineIndex;
use std::io::{self, Write};
use std::path::PathBuf;

/// An analysed article and its reported findings.
pub struct Checked {
    pub file: SourceFile,
    pub index: LineIndex,
    pub diags: Vec<Diag>,
}

pub fn run(args: &CheckArgs) -> i32 {
    let Some(cfg) = files::config_for(
        args.config.as_deref(),
        args.paths.first().map(|p| p.as_path()),
    ) else {
        return 2;
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut status = Status::default();
    let checked = check_paths(&paths, &cfg, &mut status, args.fix_notes);

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        CheckFormat::Text => write_text(&mut out, &checked),
        CheckFormat::Json => write_json(&mut out, &checked),
        CheckFormat::Sarif => sarif::write(&mut out, &checked, &cfg.config),
    }
    .and_then(|_| out.flush());
    if let Err(e) = written {
        return files::output_failed(&e);
    }
    exit_code(&checked, &status)
}

/// 2 if any path could not be read (it wins), else 1 if any warning or
/// error was reported, else 0.
fn exit_code(checked: &[Checked], status: &Status) -> i32 {
    if status.errors > 0 {
        return 2;
    }
    let failing = checked.iter().flat_map(|c| &c.diags).any(|d| {
        matches!(
            d.severity,
            crate::analysis::Severity::Error | crate::analysis::Severity::Warning
        )
    });
    i32::from(failing)
}

/// Find, read and analyse the articles under `paths`, match their claims
/// across them, and turn the findings into diagnostics with the configured
/// severities.
pub fn check_paths(
    paths: &[PathBuf],
    cfg: &LoadedConfig,
    status: &mut Status,
    fix_notes: bool,
) -> Vec<Checked> {
    let list = files::collect(paths, cfg, status);
    let mut read: Vec<SourceFile> = list
        .iter()
        .filter_map(|p| files::read(p, &cfg.config, status))
        .collect();
    if fix_notes {
        for file in &mut read {
            add_notes(file, cfg, status);
        }
    }
    let ws = Workspace::from_files(read, cfg);
    let min_score = cfg.config.min_match_score as f32;
    let ids: Vec<usize> = (0..ws.docs.len()).collect();
    let cross: Vec<Vec<(Finding, Vec<Related>)>> =
        par_map(&ids, |&i| ws.cross_findings(i, min_score));
    ws.docs
        .into_iter()
        .zip(cross)
        .map(|(doc, cross)| {
            let Doc { file, art, .. } = doc;
            let index = LineIndex::new(&file.text);
            let mut diags: Vec<Diag> = art
                .findings
                .iter()
                .filter_map(|f| diag(&file, &index, f, cfg))
                .collect();
            for (f, related) in cross {
                if let Some(mut d) = diag(&file, &index, &f, cfg) {
                    d.related = related;
                    diags.push(d);
                }
            }
            if let Some(full) = file.truncated_from {
                let f = Finding {
                    code: Code::SizeLimit,
                    span: file.text.len()..file.text.len(),
                    message: format!(
                        "Only the first {} of {} bytes were analysed (max_file_bytes).",
                        file.text.len(),
                        full
                    ),
                    subject: Subject::None,
                };
                diags.extend(diag(&file, &index, &f, cfg));
            }
            diags.sort_by_key(|d| (d.span.start, d.span.end, d.code));
            Checked { file, index, diags }
        })
        .collect()
}

/// `--fix-notes`: insert placeholder source notes and write the file back.
/// Files read lossily or cut by `max_file_bytes` are left alone (writing
/// them would lose bytes).
fn add_notes(file: &mut SourceFile, cfg: &LoadedConfig, status: &mut Status) {
    if file.lossy || file.truncated_from.is_some() {
        eprintln!(
            "factlens: note: not adding notes to {} (not UTF-8 or over max_file_bytes)",
            file.display()
        );
        return;
    }
    let art = analyze(&file.text, &cfg.config.analysis_options(file.markdown));
    let new = crate::fixes::fix_notes(&file.text, &art, &cfg.config, file.markdown);
    if new == file.text {
        return;
    }
    match std::fs::write(&file.path, &new) {
        Ok(()) => {
            eprintln!("factlens: added source notes to {}", file.display());
            file.text = new;
        }
        Err(e) => {
            status.errors += 1;
            eprintln!("factlens: cannot write {}: {}", file.display(), e);
        }
    }
}

/// A finding as reported, or `None` when its code is configured `off`.
fn diag(file: &SourceFile, index: &LineIndex, f: &Finding, cfg: &LoadedConfig) -> Option<Diag> {
    let severity = cfg.config.severity(f.code)?;
    let span = output::clamp_span(&file.text, &f.span);
    Some(Diag {
        range: Range1::of(index, &file.text, &span),
        text: file.text[span.clone()].to_string(),
        span,
        code: f.code,
        severity,
        message: f.message.clone(),
        related: Vec::new(),
    })
}

fn write_text(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    let mut counts = Counts::default();
    let mut with = 0;
    let color = output::use_color();
    for c in checked {
        if !c.diags.is_empty() {
            with += 1;
        }
        for d in &c.diags {
            counts.add(d.severity);
            output::write_text(out, &c.file, &c.index, d, color)?;
        }
    }
    writeln!(out, "{}", counts.summary(with, checked.len()))
}

fn write_json(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    for c in checked {
        let path = c.file.display();
        for d in &c.diags {
            output::write_json(out, &path, d)?;
        }
    }
    Ok(())
}
