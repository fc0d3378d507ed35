//! `factlens check`: the diagnostics for CI.

use super::files::{self, LoadedConfig, SourceFile, Status};
use super::output::{self, Counts, Diag, Range1};
use super::{sarif, CheckArgs, CheckFormat};
use crate::analysis::{analyze, Article, Code, Finding};
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
    let cfg = match files::load_config(
        args.config.as_deref(),
        args.paths.first().map(|p| p.as_path()),
    ) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("factlens: {e}");
            return 2;
        }
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut status = Status::default();
    let checked = check_paths(&paths, &cfg, &mut status);

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        CheckFormat::Text => write_text(&mut out, &checked),
        CheckFormat::Json => write_json(&mut out, &checked),
        CheckFormat::Sarif => sarif::write(&mut out, &checked, &cfg.config),
    }
    .and_then(|_| out.flush());
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("factlens: cannot write output: {e}");
        }
        return 2;
    }
    exit_code(&checked, &status)
}

/// 2 if any path could not be read (it wins), else 1 if any warning or
/// error was reported, else 0.
fn exit_code(checked: &[Checked], status: &Status) -> i32 {
    if status.io_errors > 0 {
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

/// Find, read and analyse the articles under `paths`, and turn their
/// findings into diagnostics with the configured severities.
pub fn check_paths(paths: &[PathBuf], cfg: &LoadedConfig, status: &mut Status) -> Vec<Checked> {
    let list = files::collect(paths, cfg, status);
    let mut docs: Vec<(SourceFile, Article)> = Vec::with_capacity(list.len());
    for path in &list {
        let Some(file) = files::read(path, &cfg.config, status) else {
            continue;
        };
        let art = analyze(&file.text, &cfg.config.analysis_options(file.markdown));
        docs.push((file, art));
    }
    docs.into_iter()
        .map(|(file, art)| {
            let index = LineIndex::new(&file.text);
            let mut diags: Vec<Diag> = art
                .findings
                .iter()
                .filter_map(|f| diag(&file, &index, f, cfg))
                .collect();
            if let Some(full) = file.truncated_from {
                let f = Finding {
                    code: Code::SizeLimit,
                    span: file.text.len()..file.text.len(),
                    message: format!(
                        "Only the first {} of {} bytes were analysed (max_file_bytes).",
                        file.text.len(),
                        full
                    ),
                    subject: crate::analysis::findings::Subject::None,
                };
                diags.extend(diag(&file, &index, &f, cfg));
            }
            diags.sort_by_key(|d| (d.span.start, d.span.end, d.code));
            Checked { file, index, diags }
        })
        .collect()
}

/// A finding as reported, or `None` when its code is configured `off`.
fn diag(file: &SourceFile, index: &LineIndex, f: &Finding, cfg: &LoadedConfig) -> Option<Diag> {
    let severity = cfg.config.severity(f.code)?;
    let len = file.text.len();
    let mut span = f.span.start.min(len)..f.span.end.min(len);
    while !file.text.is_char_boundary(span.start) {
        span.start -= 1;
    }
    while !file.text.is_char_boundary(span.end) {
        span.end += 1;
    }
    span.end = span.end.max(span.start);
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
    for c in checked {
        if !c.diags.is_empty() {
            with += 1;
        }
        for d in &c.diags {
            counts.add(d.severity);
            output::write_text(out, &c.file, &c.index, d)?;
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
