//! The workspace walker: which files are articles, reading them safely, and
//! building the claim index of a whole workspace (the only I/O of the index).
//!
//! * Walks each root with the `ignore` crate, honouring `.gitignore` (also
//!   outside a git repository), `.ignore` and git excludes; hidden files
//!   and folders are skipped.
//! * Keeps files whose name matches one of `Config::include` (default
//!   `*.md`, `*.markdown`, `*.txt`) and no `Config::exclude` glob (globs are
//!   relative to the root; a folder that matches an exclude is not entered).
//! * Reads files lossily ([`ReadOutcome::lossy`] says when the file was not
//!   UTF-8), skips binary files (a NUL byte in the first 8 KB), and files
//!   that vanish or fail to read mid-walk.

use crate::analysis::analyze;
use crate::config::Config;
use crate::index::{prepare, Index, Prepared};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::WalkBuilder;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many leading bytes are checked for NUL to call a file binary.
pub const BINARY_SNIFF: usize = 8 * 1024;

/// A file read for indexing.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOutcome {
    pub text: String,
    /// The file was not valid UTF-8; invalid bytes became U+FFFD.
    pub lossy: bool,
}

/// Why a file was not read.
#[derive(Debug)]
pub enum Skip {
    /// A NUL byte in the first 8 KB.
    Binary,
    /// Deleted, unreadable or not a file.
    Io(std::io::Error),
}

/// Read one article file: lossily, refusing binary files.
pub fn read_article(path: &Path) -> Result<ReadOutcome, Skip> {
    let bytes = std::fs::read(path).map_err(Skip::Io)?;
    decode(bytes).ok_or(Skip::Binary)
}

/// Decode file bytes: `None` for binary (NUL in the first 8 KB); a UTF-8
/// BOM is dropped.
pub fn decode(bytes: Vec<u8>) -> Option<ReadOutcome> {
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return None;
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    Some(match String::from_utf8(bytes) {
        Ok(text) => ReadOutcome { text, lossy: false },
        Err(e) => ReadOutcome {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            lossy: true,
        },
    })
}

fn globs(root: &Path, pats: &[String], negate: bool) -> Option<Override> {
    let mut b = OverrideBuilder::new(root);
    for p in pats {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let g = if negate {
            format!("!{p}")
        } else {
            p.to_string()
        };
        // A bad glob is skipped rather than failing the whole walk.
        let _ = b.add(&g);
    }
    b.build().ok()
}

/// Whether `path` is an article by the include globs (file name or
/// relative path).
fn included(inc: &Option<Override>, path: &Path) -> bool {
    match inc {
        Some(o) if !o.is_empty() => o.matched(path, false).is_whitelist(),
        _ => true,
    }
}

fn excluded(exc: &Option<Override>, path: &Path, is_dir: bool) -> bool {
    match exc {
        Some(o) if !o.is_empty() => o.matched(path, is_dir).is_ignore(),
        _ => false,
    }
}

/// The article files under `roots`, sorted, without duplicates.
pub fn walk(roots: &[PathBuf], config: &Config) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in roots {
        if root.is_file() {
            out.push(root.clone());
            continue;
        }
        let inc = globs(root, &config.include, false);
        let exc = globs(root, &config.exclude, true);
        let exc2 = exc.clone();
        let walker = WalkBuilder::new(root)
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                !excluded(&exc2, e.path(), is_dir)
            })
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let p = entry.path();
            if included(&inc, p) && !excluded(&exc, p, false) {
                out.push(p.to_path_buf());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What happened to one file of the workspace while indexing.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BuildReport {
    pub indexed: usize,
    /// Files read lossily (not UTF-8).
    pub lossy: Vec<PathBuf>,
    pub binary: Vec<PathBuf>,
    /// Deleted or unreadable mid-walk.
    pub unreadable: Vec<PathBuf>,
    /// Bytes of article text indexed.
    pub bytes: usize,
}

/// Read, analyse and prepare one file (pure apart from the read).
pub fn prepare_file(path: &Path, config: &Config) -> Result<(Prepared, ReadOutcome), Skip> {
    let read = read_article(path)?;
    let markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let text = match config.max_file_bytes {
        Some(max) if read.text.len() > max => {
            let mut e = max;
            while !read.text.is_char_boundary(e) {
                e -= 1;
            }
            &read.text[..e]
        }
        _ => &read.text[..],
    };
    let art = analyze(text, &config.analysis_options(markdown));
    Ok((prepare(text, &art), read))
}

/// The key a path is indexed under: its path as given (the LSP may map
/// URIs to these).
pub fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Index every article under `roots` in parallel (one worker per core),
/// calling `progress(done, total)` as files complete. Paths are keyed by
/// [`path_key`].
pub fn build_workspace(
    roots: &[PathBuf],
    config: &Config,
    progress: impl FnMut(usize, usize),
) -> Index {
    build_workspace_report(roots, config, progress).0
}

/// [`build_workspace`], with the report of skipped and lossy files.
pub fn build_workspace_report(
    roots: &[PathBuf],
    config: &Config,
    mut progress: impl FnMut(usize, usize),
) -> (Index, BuildReport) {
    let files = walk(roots, config);
    let mut index = Index::new();
    let report = index_files(&mut index, &files, config, &mut progress);
    (index, report)
}

/// Index `files` into `index` (replacing earlier versions), in parallel.
///
/// One worker per core reads, analyses and [`prepare`]s files; the calling
/// thread inserts them in `files` order (so ids, and ranking ties, do not
/// depend on timing). At most a few prepared files wait at any time and no
/// article text is kept, so the build peaks at little more than the index.
pub fn index_files(
    index: &mut Index,
    files: &[PathBuf],
    config: &Config,
    progress: &mut dyn FnMut(usize, usize),
) -> BuildReport {
    let total = files.len();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
        .min(total.max(1));
    let next = AtomicUsize::new(0);
    // Workers stay within WINDOW files of the next one to insert (a slow,
    // huge file must not let the others pile up prepared files).
    const WINDOW: usize = 32;
    let inserted = (std::sync::Mutex::new(0usize), std::sync::Condvar::new());
    /// What a worker hands over: the prepared file and what the report
    /// needs of the read (not the text).
    type Done = Result<(Prepared, usize, bool), Skip>;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Done)>(4 * workers);
    let mut report = BuildReport::default();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            let inserted = &inserted;
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                {
                    let (m, cv) = inserted;
                    let mut d = m.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *d + WINDOW {
                        d = cv.wait(d).unwrap_or_else(|e| e.into_inner());
                    }
                }
                let r = prepare_file(&files[i], config)
                    .map(|(p, read)| (p, read.text.len(), read.lossy));
                if tx.send((i, r)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending: std::collections::BTreeMap<usize, Done> = Default::default();
        let mut done = 0;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&done) {
                let path = &files[done];
                match r {
                    Ok((prepared, bytes, lossy)) => {
                        if lossy {
                            report.lossy.push(path.clone());
                        }
                        report.bytes += bytes;
                        report.indexed += 1;
                        index.insert(&path_key(path), prepared);
                    }
                    Err(Skip::Binary) => report.binary.push(path.clone()),
                    Err(Skip::Io(_)) => report.unreadable.push(path.clone()),
                }
                done += 1;
                {
                    let (m, cv) = &inserted;
                    *m.lock().unwrap_or_else(|e| e.into_inner()) = done;
                    cv.notify_all();
                }
                if done % 64 == 0 || done == total {
                    progress(done, total);
                }
            }
        }
    });
    index.shrink_to_fit();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walk_honours_ignore_files_and_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("drafts")).unwrap();
        fs::create_dir_all(root.join("ignored")).unwrap();
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(root.join(".gitignore"), "ignored/\n*.tmp.md\n").unwrap();
        fs::write(root.join(".ignore"), "secret.txt\n").unwrap();
        fs::write(root.join("a.md"), "A story.").unwrap();
        fs::write(root.join("b.txt"), "B story.").unwrap();
        fs::write(root.join("c.markdown"), "C story.").unwrap();
        fs::write(root.join("x.tmp.md"), "tmp").unwrap();
        fs::write(root.join("secret.txt"), "secret").unwrap();
        fs::write(root.join("image.png"), "png").unwrap();
        fs::write(root.join("ignored/d.md"), "ignored").unwrap();
        fs::write(root.join("drafts/e.md"), "draft").unwrap();
        fs::write(root.join("sub/f.md"), "sub").unwrap();
        let mut cfg = Config {
            exclude: vec!["drafts/**".into()],
            ..Config::default()
        };
        let names: Vec<String> = walk(&[root.to_path_buf()], &cfg)
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(names, vec!["a.md", "b.txt", "c.markdown", "sub/f.md"]);
        cfg.include = vec!["*.txt".into()];
        cfg.exclude = vec![];
        let names: Vec<String> = walk(&[root.to_path_buf()], &cfg)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["b.txt"]);
    }

    #[test]
    fn reads_lossily_and_skips_binary_and_missing() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.txt");
        fs::write(&bad, b"caf\xe9 story").unwrap();
        let r = read_article(&bad).unwrap();
        assert!(r.lossy);
        assert_eq!(r.text, "caf\u{FFFD} story");
        let bin = dir.path().join("bin.txt");
        fs::write(&bin, b"abc\0def").unwrap();
        assert!(matches!(read_article(&bin), Err(Skip::Binary)));
        let gone = dir.path().join("gone.txt");
        assert!(matches!(read_article(&gone), Err(Skip::Io(_))));
        let bom = dir.path().join("bom.txt");
        fs::write(&bom, b"\xEF\xBB\xBFhello").unwrap();
        assert_eq!(read_article(&bom).unwrap().text, "hello");
        assert_eq!(decode(Vec::new()).unwrap().text, "");
    }

    #[test]
    fn build_reports_progress_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            fs::write(
                dir.path().join(format!("{i}.md")),
                format!("Title {i}\n\nThe minister said {i} things."),
            )
            .unwrap();
        }
        fs::write(dir.path().join("bin.md"), b"\0\0").unwrap();
        fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 story.").unwrap();
        let files = walk(&[dir.path().to_path_buf()], &Config::default());
        // a file deleted after the walk is skipped
        fs::remove_file(dir.path().join("4.md")).unwrap();
        let mut index = Index::new();
        let mut last = (0, 0);
        let report = index_files(&mut index, &files, &Config::default(), &mut |d, t| {
            last = (d, t)
        });
        assert_eq!(last, (7, 7));
        assert_eq!(report.indexed, 5);
        assert_eq!(report.binary.len(), 1);
        assert_eq!(report.unreadable.len(), 1);
        assert_eq!(report.lossy.len(), 1);
        assert_eq!(index.len(), 5);
        assert!(index.contains(&path_key(&dir.path().join("0.md"))));
    }
}
