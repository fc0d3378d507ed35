//! The workspace walker: which files are articles, reading them safely, and
//! building the claim index of a whole workspace (the only I/O of the index).
//!
//! * Walks each root with the `ignore` crate, honouring `.gitignore` (also
//!   outside a git repository), `.ignore` and git excludes; hidden files
//!   and folders are skipped.
//! * Keeps files whose name matches one of `Config::include` (default
//!   `*.md`, `*.markdown`, `*.txt`) and no `Config::exclude` glob (globs are
//!   relative to the root, or to the anchor given to [`walk_with`]; a folder
//!   that matches an exclude is not entered). [`walk_with`] reports
//!   unreadable paths (the CLI's exit status 2); [`is_walked`] judges one
//!   path the same way (watched-file events).
//! * Reads files lossily ([`ReadOutcome::lossy`] says when the file was not
//!   UTF-8), skips binary files (a NUL byte in the first 8 KB), and files
//!   that vanish or fail to read mid-walk.

use crate::analysis::analyze_facts;
use crate::config::Config;
use crate::index::{prepare, Index, Prepared, TextSource};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
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
pub fn decode(mut bytes: Vec<u8>) -> Option<ReadOutcome> {
    let start = text_start(&bytes)?;
    bytes.drain(..start);
    Some(match String::from_utf8(bytes) {
        Ok(text) => ReadOutcome { text, lossy: false },
        Err(e) => ReadOutcome {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            lossy: true,
        },
    })
}

/// Where the text of file bytes starts (after a UTF-8 BOM); `None` for a
/// binary file (NUL in the first 8 KB). The rules of [`decode`] and
/// `decode_ref`.
fn text_start(bytes: &[u8]) -> Option<usize> {
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        return None;
    }
    Some(if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    })
}

/// A problem met while walking; the walk goes on without the path.
#[derive(Debug)]
pub enum WalkError {
    /// A path that could not be read: a root that does not exist, a
    /// folder that cannot be listed, a dangling link.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not fatal: a bad include/exclude glob, or a malformed line in an
    /// ignore file (the rest of the file still applies).
    Warning(String),
}

/// The configured include and exclude globs, anchored at one directory
/// (gitignore syntax: a glob without `/` matches the file name anywhere).
struct Globs {
    include: Gitignore,
    exclude: Gitignore,
}

impl Globs {
    /// Bad globs are skipped, each reported on `warn` when given.
    fn new(anchor: &Path, config: &Config, mut warn: Option<&mut dyn FnMut(WalkError)>) -> Globs {
        let mut build = |globs: &[String], what: &str| {
            let mut b = GitignoreBuilder::new(anchor);
            for g in globs {
                if g.trim().is_empty() {
                    continue;
                }
                if let Err(e) = b.add_line(None, g) {
                    if let Some(w) = warn.as_mut() {
                        w(WalkError::Warning(format!(
                            "{what} glob `{g}` ignored: {e}"
                        )));
                    }
                }
            }
            b.build().unwrap_or_else(|e| {
                if let Some(w) = warn.as_mut() {
                    w(WalkError::Warning(format!("{what} globs ignored: {e}")));
                }
                Gitignore::empty()
            })
        };
        let include = build(&config.include, "include");
        let exclude = build(&config.exclude, "exclude");
        Globs { include, exclude }
    }

    /// An article by the include globs (all files when there are none).
    fn included(&self, path: &Path) -> bool {
        self.include.is_empty() || self.include.matched(path, false).is_ignore()
    }

    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        self.exclude.matched(path, is_dir).is_ignore()
    }
}

/// The article files under `roots`, sorted within each root, without
/// duplicates; problems are dropped (see [`walk_with`]).
pub fn walk(roots: &[PathBuf], config: &Config) -> Vec<PathBuf> {
    walk_with(roots, config, None, |_| {})
}

/// The article files under `roots`: a root that is not a directory is kept
/// as given (whatever its name); a directory is walked for files matching
/// the include globs and no exclude glob (a folder that matches an exclude
/// is not entered, unless it is the root itself), honouring `.gitignore`
/// and `.ignore` (also outside a git repository) and skipping hidden
/// entries. Links to files are kept, links to folders not followed.
///
/// Globs are anchored at `anchor` (default: each root). Paths keep the
/// form of their root (relative roots give relative paths); they are
/// sorted within each root, roots in order, and a file reached from two
/// roots is listed once. Each unreadable path and each bad glob or ignore
/// line is reported on `on_error`; the walk goes on.
pub fn walk_with(
    roots: &[PathBuf],
    config: &Config,
    anchor: Option<&Path>,
    mut on_error: impl FnMut(WalkError),
) -> Vec<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let fixed = anchor.map(|a| std::sync::Arc::new(Globs::new(a, config, Some(&mut on_error))));
    let mut warned = fixed.is_some();
    // Files are told apart by their canonical path. A walked regular file's
    // is its absolute path (folder links are not followed), so only roots
    // and links need a `canonicalize`; within one root without links no
    // file can come twice, and no key is needed.
    let mut seen: crate::fxhash::FxSet<PathBuf> = Default::default();
    let mut out = Vec::new();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(error) => {
                on_error(WalkError::Io {
                    path: root.clone(),
                    error,
                });
                continue;
            }
        };
        let abs_root = root.canonicalize().unwrap_or_else(|_| cwd.join(root));
        if !meta.is_dir() {
            if seen.insert(abs_root) {
                out.push(root.clone());
            }
            continue;
        }
        // With an anchor, globs match absolute paths (the anchor is made
        // absolute by the caller); else they are anchored at the root as
        // given and match the walked paths themselves.
        let abs_of = {
            let root = root.clone();
            let abs_root = abs_root.clone();
            move |p: &Path| match p.strip_prefix(&root) {
                Ok(rel) => abs_root.join(rel),
                Err(_) => p.to_path_buf(),
            }
        };
        let (globs, absolute) = match &fixed {
            Some(g) => (g.clone(), true),
            None => {
                let warn: Option<&mut dyn FnMut(WalkError)> =
                    if warned { None } else { Some(&mut on_error) };
                warned = true;
                (std::sync::Arc::new(Globs::new(root, config, warn)), false)
            }
        };
        let filter_globs = globs.clone();
        let filter_abs = abs_of.clone();
        let walker = WalkBuilder::new(root)
            .standard_filters(true)
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                e.depth() == 0
                    || !filter_globs.excluded(&glob_path(e.path(), absolute, &filter_abs), is_dir)
            })
            .build();
        // (path, is a link)
        let mut found: Vec<(PathBuf, bool)> = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    on_error(walk_error(e, root));
                    continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                continue;
            }
            let gp = glob_path(entry.path(), absolute, &abs_of);
            if !globs.included(&gp) || globs.excluded(&gp, false) {
                continue;
            }
            if ft.is_symlink() {
                // A link to a folder is not followed; a dangling link is
                // an unreadable path.
                match std::fs::metadata(entry.path()) {
                    Ok(m) if m.is_file() => {}
                    Ok(_) => continue,
                    Err(error) => {
                        on_error(WalkError::Io {
                            path: entry.into_path(),
                            error,
                        });
                        continue;
                    }
                }
            } else if !ft.is_file() {
                // FIFOs, sockets, devices: reading them could block.
                continue;
            }
            let link = ft.is_symlink();
            found.push((entry.into_path(), link));
        }
        found.sort_unstable_by(|a, b| walk_order(&a.0, &b.0));
        let keyed = roots.len() > 1 || found.iter().any(|(_, link)| *link);
        for (p, link) in found {
            if keyed {
                let key = if link {
                    p.canonicalize().unwrap_or_else(|_| abs_of(&p))
                } else {
                    abs_of(&p)
                };
                if !seen.insert(key) {
                    continue;
                }
            }
            out.push(p);
        }
    }
    out
}

/// `a.cmp(b)` (`Path`'s order: component by component) for two paths of
/// one walk, which share the root as given and continue with plain names:
/// their bytes compared with `/` before every other byte (a name that is a
/// prefix of another comes first). Cheaper than splitting components.
fn walk_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (a, b) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
        // The common prefix, 8 bytes at a time first (paths of one walk
        // share their root and often long names).
        let m = a.len().min(b.len());
        let mut n = 0;
        while n + 8 <= m && a[n..n + 8] == b[n..n + 8] {
            n += 8;
        }
        while n < m && a[n] == b[n] {
            n += 1;
        }
        let key = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
        match (a.get(n), b.get(n)) {
            (Some(&x), Some(&y)) => key(x).cmp(&key(y)),
            _ => a.len().cmp(&b.len()),
        }
    }
    #[cfg(not(unix))]
    {
        a.cmp(b)
    }
}

/// The path globs are matched against: absolute when they are anchored
/// away from the walked root, else the walked path itself.
fn glob_path<'p>(
    p: &'p Path,
    absolute: bool,
    abs_of: &dyn Fn(&Path) -> PathBuf,
) -> std::borrow::Cow<'p, Path> {
    if absolute {
        std::borrow::Cow::Owned(abs_of(p))
    } else {
        std::borrow::Cow::Borrowed(p)
    }
}

/// An error of the `ignore` walker as a [`WalkError`]: the innermost path
/// (else the root) with the underlying I/O error.
fn walk_error(err: ignore::Error, root: &Path) -> WalkError {
    let text = err.to_string();
    let mut path: Option<PathBuf> = None;
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p);
                e = *err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = *err;
            }
            ignore::Error::Partial(_) => return WalkError::Warning(text),
            ignore::Error::Io(error) => {
                return WalkError::Io {
                    path: path.unwrap_or_else(|| root.to_path_buf()),
                    error,
                }
            }
            other => {
                return WalkError::Io {
                    path: path.unwrap_or_else(|| root.to_path_buf()),
                    error: std::io::Error::other(other.to_string()),
                }
            }
        }
    }
}

/// The ignore files of one folder.
struct IgnoreFiles {
    dot_ignore: Option<Gitignore>,
    gitignore: Option<Gitignore>,
    has_git: bool,
}

impl IgnoreFiles {
    fn read(dir: &Path) -> IgnoreFiles {
        let load = |name: &str| {
            let f = dir.join(name);
            f.is_file().then(|| Gitignore::new(&f).0)
        };
        IgnoreFiles {
            dot_ignore: load(".ignore"),
            gitignore: load(".gitignore"),
            has_git: dir.join(".git").exists(),
        }
    }
}

/// Whether one entry is ignored by the ignore files of its ancestors
/// (`chain`, nearest first): as the walker decides, `.ignore` wins over
/// `.gitignore`, a nearer file over a farther one, and `.gitignore` files
/// above a git repository do not apply.
fn ignored_by(chain: &[&IgnoreFiles], path: &Path, is_dir: bool) -> bool {
    let mut m_ignore = ignore::Match::None;
    let mut m_gi = ignore::Match::None;
    let mut saw_git = false;
    for f in chain {
        if m_ignore.is_none() {
            if let Some(g) = &f.dot_ignore {
                m_ignore = g.matched(path, is_dir).map(|_| ());
            }
        }
        if !saw_git && m_gi.is_none() {
            if let Some(g) = &f.gitignore {
                m_gi = g.matched(path, is_dir).map(|_| ());
            }
        }
        saw_git |= f.has_git;
    }
    m_ignore.or(m_gi).is_ignore()
}

/// Whether [`walk`] of `roots` would list `path` (a file): for a single
/// file changed on disk. Checks the include/exclude globs (anchored at the
/// nearest root holding the path), hidden names, and the `.gitignore` /
/// `.ignore` files from the filesystem root down to the file's folder
/// (not git's global or `info/exclude` rules). A path under no root is
/// judged by the globs alone, anchored at its folder.
pub fn is_walked(path: &Path, roots: &[PathBuf], config: &Config) -> bool {
    let root = roots
        .iter()
        .filter(|r| path.starts_with(r) && path != r.as_path())
        .max_by_key(|r| r.components().count());
    let Some(root) = root else {
        let dir = path.parent().unwrap_or(Path::new(""));
        let globs = Globs::new(dir, config, None);
        return globs.included(path) && !globs.excluded(path, false);
    };
    let globs = Globs::new(root, config, None);
    if !globs.included(path) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    // The ignore files of the root's ancestors, nearest first.
    let above: Vec<IgnoreFiles> = root.ancestors().map(IgnoreFiles::read).collect();
    let mut below: Vec<IgnoreFiles> = Vec::new();
    let parts: Vec<_> = rel.components().collect();
    let mut cur = root.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        let is_dir = i + 1 < parts.len();
        if i > 0 {
            below.push(IgnoreFiles::read(&cur));
        }
        cur.push(part);
        if part.as_os_str().to_string_lossy().starts_with('.') {
            return false;
        }
        if globs.excluded(&cur, is_dir) {
            return false;
        }
        let chain: Vec<&IgnoreFiles> = below.iter().rev().chain(above.iter()).collect();
        if ignored_by(&chain, &cur, is_dir) {
            return false;
        }
    }
    true
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
    Ok((prepare_text(path, &read.text, config), read))
}

/// [`prepare_file`] for a bulk build: the file is opened once (no `stat`)
/// and read into `buf`, a buffer the caller reuses from file to file; the
/// same files are skipped (binary, unreadable) and the text is decoded the
/// same way ([`decode`]). Gives the prepared file, the length of its text
/// and whether it was read lossily.
pub fn prepare_file_in(
    path: &Path,
    config: &Config,
    buf: &mut Vec<u8>,
) -> Result<(Prepared, usize, bool), Skip> {
    let n = read_into(path, buf).map_err(Skip::Io)?;
    let r = match decode_ref(&buf[..n]) {
        Some((text, lossy)) => Ok((prepare_text(path, &text, config), text.len(), lossy)),
        None => Err(Skip::Binary),
    };
    // One huge file does not keep its buffer for the rest of the build.
    if buf.len() > KEEP_BUFFER {
        *buf = Vec::new();
    }
    r
}

/// The largest read buffer [`prepare_file_in`] keeps for the next file.
const KEEP_BUFFER: usize = 1 << 20;

/// Read the whole file at `path` into `buf` (grown as needed, and kept at
/// its full length so it is zeroed only when it grows); the number of
/// bytes read. Unlike `std::fs::read`, no `stat` for a size hint.
fn read_into(path: &Path, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    loop {
        if n == buf.len() {
            buf.resize((buf.len() * 2).max(64 * 1024), 0);
        }
        match f.read(&mut buf[n..]) {
            Ok(0) => return Ok(n),
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// [`decode`] without taking the bytes: the text (borrowed unless it was
/// not UTF-8) and whether it was read lossily; `None` for binary.
fn decode_ref(bytes: &[u8]) -> Option<(std::borrow::Cow<'_, str>, bool)> {
    let bytes = &bytes[text_start(bytes)?..];
    Some(match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    })
}

/// Analyse and prepare the text of the file at `path` (Markdown by its
/// extension; cut at `max_file_bytes`).
fn prepare_text(path: &Path, text: &str, config: &Config) -> Prepared {
    let markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let text = match config.max_file_bytes {
        Some(max) if text.len() > max => {
            let mut e = max;
            while !text.is_char_boundary(e) {
                e -= 1;
            }
            &text[..e]
        }
        _ => text,
    };
    let art = analyze_facts(text, &config.analysis_options(markdown));
    prepare(text, &art)
}

/// Sentences of results read back from disk (the index's key is the file
/// path), read as for indexing ([`read_article`]). The index checks each
/// sentence against the hash it keeps, so a file changed since is never
/// shown wrong.
pub fn disk_text_source() -> TextSource {
    std::sync::Arc::new(|key: &str| read_article(Path::new(key)).ok().map(|r| r.text))
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
/// One worker per core (the calling thread is one) reads, analyses and
/// [`prepare`]s files, 8 at a time; the calling thread inserts
/// them in `files` order (so ids, and ranking ties, do not depend on
/// timing). At most 4 chunks of prepared files wait at any time
/// and no article text is kept, so the build peaks at little more than
/// the index.
/// Paths are keyed by [`path_key`]; an index without a text source gets
/// [`disk_text_source`].
pub fn index_files(
    index: &mut Index,
    files: &[PathBuf],
    config: &Config,
    progress: &mut dyn FnMut(usize, usize),
) -> BuildReport {
    index_files_with(index, files, config, &path_key, &mut |_, _| {}, progress)
}

/// What happened to one file in [`index_files_with`].
#[derive(Debug)]
pub enum FileOutcome<'a> {
    /// Indexed; `lossy`: it was not UTF-8.
    Indexed {
        lossy: bool,
    },
    Skipped(&'a Skip),
}

/// Files handed to a worker at a time in [`index_files_with`].
const CHUNK: usize = 8;

/// Workers stay within this many chunks of the next one to insert (a
/// slow, huge file must not let the others pile up prepared files).
const WINDOW: usize = 4;

/// What a worker hands over of one file: the prepared file and what the
/// report needs of the read (not the text).
type Done = Result<(Prepared, usize, bool), Skip>;

/// The chunks of a bulk build: the next one to claim, and how many are
/// inserted (workers wait on it when [`WINDOW`] ahead).
struct Pool {
    next: AtomicUsize,
    inserted: (std::sync::Mutex<usize>, std::sync::Condvar),
    chunks: usize,
}

impl Pool {
    /// The next chunk to prepare; `None` when all are claimed, or (unless
    /// `wait`) when the window is full.
    fn claim(&self, wait: bool) -> Option<usize> {
        let (m, cv) = &self.inserted;
        let mut d = m.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let c = self.next.load(Ordering::Relaxed);
            if c >= self.chunks {
                return None;
            }
            if c < d.saturating_add(WINDOW) {
                self.next.store(c + 1, Ordering::Relaxed);
                return Some(c);
            }
            if !wait {
                return None;
            }
            d = cv.wait(d).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn set_inserted(&self, n: usize) {
        let (m, cv) = &self.inserted;
        *m.lock().unwrap_or_else(|e| e.into_inner()) = n;
        cv.notify_all();
    }
}

/// Lets waiting workers go when dropped (also on a panic).
struct Release<'a>(&'a (std::sync::Mutex<usize>, std::sync::Condvar));

impl Drop for Release<'_> {
    fn drop(&mut self) {
        let (m, cv) = self.0;
        *m.lock().unwrap_or_else(|e| e.into_inner()) = usize::MAX;
        cv.notify_all();
    }
}

/// Prepare the files of chunk `c`. A panic on one file must not stall the
/// build: it is reported as unreadable.
fn prepare_chunk(files: &[PathBuf], c: usize, config: &Config, buf: &mut Vec<u8>) -> Vec<Done> {
    let end = (c * CHUNK + CHUNK).min(files.len());
    files[c * CHUNK..end]
        .iter()
        .map(|path| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                prepare_file_in(path, config, buf)
            }))
            .unwrap_or_else(|_| {
                Err(Skip::Io(std::io::Error::other(
                    "internal error while indexing",
                )))
            })
        })
        .collect()
}

/// [`index_files`] with the index key of each path given by `key` (it must
/// stay a readable path for [`disk_text_source`]) and each file's outcome
/// told to `on_file`, in `files` order.
pub fn index_files_with(
    index: &mut Index,
    files: &[PathBuf],
    config: &Config,
    key: &dyn Fn(&Path) -> String,
    on_file: &mut dyn FnMut(&Path, FileOutcome<'_>),
    progress: &mut dyn FnMut(usize, usize),
) -> BuildReport {
    if !index.has_text_source() {
        index.set_text_source(disk_text_source());
    }
    fix_mmap_threshold();
    index.begin_bulk();
    let total = files.len();
    let chunks = total.div_ceil(CHUNK);
    // The calling thread is one of the workers.
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
        .min(chunks.max(1));
    let pool = Pool {
        next: AtomicUsize::new(0),
        inserted: (std::sync::Mutex::new(0), std::sync::Condvar::new()),
        chunks,
    };
    // Prepared chunks come with the worker that made them (0: this
    // thread); once inserted they go back to it to be freed there (see
    // `Index::insert_from`).
    let (tx, rx) = std::sync::mpsc::channel::<(usize, usize, Vec<Done>)>();
    let mut spent_tx: Vec<Option<std::sync::mpsc::Sender<Vec<Prepared>>>> = vec![None];
    let mut report = BuildReport::default();
    std::thread::scope(|s| {
        for w in 1..workers {
            let tx = tx.clone();
            let pool = &pool;
            let (back, spent) = std::sync::mpsc::channel::<Vec<Prepared>>();
            spent_tx.push(Some(back));
            s.spawn(move || {
                let mut buf = Vec::new();
                while let Some(c) = pool.claim(true) {
                    spent.try_iter().for_each(drop);
                    if tx
                        .send((c, w, prepare_chunk(files, c, config, &mut buf)))
                        .is_err()
                    {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Whatever happens here (even a panic), waiting workers are let go.
        let _release = Release(&pool.inserted);
        let mut pending: std::collections::BTreeMap<usize, (usize, Vec<Done>)> = Default::default();
        let mut buf = Vec::new();
        let mut done_chunks = 0;
        let mut done = 0;
        while done_chunks < chunks {
            // The next chunk to insert, once it is there: prepared here
            // while the window allows, else waited for.
            let (worker, ready) = match pending.remove(&done_chunks) {
                Some(r) => r,
                None => match rx.try_recv() {
                    Ok((c, w, r)) => {
                        pending.insert(c, (w, r));
                        continue;
                    }
                    Err(_) => match pool.claim(false) {
                        Some(c) => {
                            pending.insert(c, (0, prepare_chunk(files, c, config, &mut buf)));
                            continue;
                        }
                        None => match rx.recv() {
                            Ok((c, w, r)) => {
                                pending.insert(c, (w, r));
                                continue;
                            }
                            // Every worker is gone: what is left is here.
                            Err(_) => break,
                        },
                    },
                },
            };
            let mut spent = Vec::with_capacity(ready.len());
            for r in ready {
                let path = &files[done];
                match r {
                    Ok((mut prepared, bytes, lossy)) => {
                        if lossy {
                            report.lossy.push(path.clone());
                        }
                        report.bytes += bytes;
                        report.indexed += 1;
                        index.insert_from(&key(path), &mut prepared);
                        spent.push(prepared);
                        on_file(path, FileOutcome::Indexed { lossy });
                    }
                    Err(skip) => {
                        match skip {
                            Skip::Binary => report.binary.push(path.clone()),
                            Skip::Io(_) => report.unreadable.push(path.clone()),
                        }
                        on_file(path, FileOutcome::Skipped(&skip));
                    }
                }
                done += 1;
                if done % 64 == 0 || done == total {
                    progress(done, total);
                }
            }
            // Back to its worker; if it is gone (or it was this thread),
            // freed here.
            if let Some(back) = spent_tx.get(worker).and_then(Option::as_ref) {
                let _ = back.send(spent);
            }
            done_chunks += 1;
            pool.set_inserted(done_chunks);
        }
    });
    // The calling thread prepared files too: its word cache goes as the
    // workers' did.
    crate::index::features::release_thread_cache();
    // The workers are gone: hand their freed memory (word caches, texts)
    // back before the postings are built, so the peak is not both.
    release_free_memory();
    index.end_bulk();
    index.shrink_to_fit();
    report
}

/// Keep glibc's threshold for serving an allocation by its own `mmap` at
/// its default (128 KiB) instead of letting it rise: by default each
/// `free` of such a block raises the threshold to the block's size (up to
/// 32 MiB), so once a big buffer is replaced (an interner's table, a hash
/// map) the index's growing vectors move onto the heap, where every
/// doubling copies them and leaves a hole that small claim data then pins.
/// On the 21k-article build this kept ~3 MB of free heap resident at the
/// peak. Elsewhere a no-op.
fn fix_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
        // SAFETY: mallopt only changes a tuning parameter of glibc's
        // allocator; it takes the allocator's lock and is thread-safe.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        }
    }
}

/// Return the allocator's free pages to the system (glibc keeps them per
/// thread arena, where the thread that freed them may never allocate
/// again). Elsewhere a no-op.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: glibc's malloc_trim only releases unused memory; it takes
        // the arenas' locks and is safe to call from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
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
    fn walk_with_reports_problems_and_anchors_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("sub/old")).unwrap();
        fs::write(root.join("a.md"), "A").unwrap();
        fs::write(root.join("sub/c.md"), "C").unwrap();
        fs::write(root.join("sub/old/b.md"), "B").unwrap();
        std::os::unix::fs::symlink("nowhere.md", root.join("sub/gone.md")).unwrap();
        std::os::unix::fs::symlink(root.join("a.md"), root.join("sub/link.md")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/c.md"), root.join("sub/dup.md")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/old"), root.join("sub/olddir.md")).unwrap();
        let cfg = Config {
            exclude: vec!["sub/old/**".into(), "a{b".into()],
            ..Config::default()
        };
        let mut problems = Vec::new();
        let roots = [
            root.join("sub"),
            root.join("missing"),
            root.join("sub/c.md"),
        ];
        let files = walk_with(&roots, &cfg, Some(&root), |e| problems.push(e));
        // Anchored at `root`: sub/old is excluded; the link to a file is
        // kept (but not a second name of a listed file), the link to a
        // folder not followed; c.md is listed once.
        assert_eq!(files, vec![root.join("sub/c.md"), root.join("sub/link.md")]);
        let text: Vec<String> = problems
            .iter()
            .map(|p| match p {
                WalkError::Io { path, .. } => format!("io {}", path.display()),
                WalkError::Warning(w) => format!("warning {w}"),
            })
            .collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(
            text[0].starts_with("warning exclude glob `a{b` ignored"),
            "{text:?}"
        );
        assert_eq!(
            text[1],
            format!("io {}", root.join("sub/gone.md").display())
        );
        assert_eq!(text[2], format!("io {}", root.join("missing").display()));
        // Anchored at each root (the default), `sub/old/**` is not under sub.
        let files = walk(&[root.join("sub")], &cfg);
        assert!(files.contains(&root.join("sub/old/b.md")), "{files:?}");
    }

    #[test]
    fn walk_order_is_path_order() {
        // Names as a walk lists them (never `.` or `..`).
        let names = [
            "a", "a.md", "a-b", "a b", "ab", "a0", "A", "b", "é", "e", "_x", "~", ".a", "a.",
        ];
        let mut rels: Vec<String> = Vec::new();
        for x in names {
            rels.push(x.to_string());
            for y in names {
                rels.push(format!("{x}/{y}"));
                rels.push(format!("{x}/{y}/{x}"));
            }
        }
        for root in ["r", "r/", "./r", "/tmp/r/.", "r//s"] {
            let paths: Vec<PathBuf> = rels.iter().map(|r| Path::new(root).join(r)).collect();
            for a in &paths {
                for b in &paths {
                    assert_eq!(walk_order(a, b), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn is_walked_agrees_with_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let files = [
            "a.md",
            "x.tmp.md",
            "secret.md",
            "notes.rst",
            "logs/l.md",
            "drafts/d.md",
            ".cache/h.md",
            "sub/keep.tmp.md",
            "sub/drop.tmp.md",
            "sub/deep/e.txt",
            "sub/deep/private.md",
            "sub/logs/m.md",
        ];
        for f in files {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "text").unwrap();
        }
        fs::write(root.join(".gitignore"), "*.tmp.md\nlogs/\n").unwrap();
        fs::write(root.join(".ignore"), "secret.md\n").unwrap();
        fs::write(root.join("sub/.gitignore"), "!keep.tmp.md\n").unwrap();
        fs::write(root.join("sub/deep/.ignore"), "private.md\n").unwrap();
        let cfg = Config {
            exclude: vec!["drafts/**".into()],
            ..Config::default()
        };
        let roots = [root.clone()];
        let walked = walk(&roots, &cfg);
        for f in files {
            let p = root.join(f);
            assert_eq!(
                is_walked(&p, &roots, &cfg),
                walked.contains(&p),
                "{f}: walked {walked:?}"
            );
        }
        assert_eq!(walked.len(), 3, "{walked:?}");
        // Outside every root: the globs alone.
        assert!(is_walked(Path::new("/elsewhere/x.md"), &roots, &cfg));
        assert!(!is_walked(Path::new("/elsewhere/x.rst"), &roots, &cfg));
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
    fn prepare_file_in_reads_as_prepare_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let long = "The mill laid off 340 workers, the union said. ".repeat(3000);
        let files: Vec<(&str, Vec<u8>)> = vec![
            // longer than the first buffer, then shorter ones: no bytes of
            // an earlier file are read as this one's
            ("long.md", long.clone().into_bytes()),
            ("short.md", b"Mill\n\nIt laid off 12 workers.".to_vec()),
            (
                "bom.txt",
                b"\xEF\xBB\xBFThe firm said 3 jobs went.".to_vec(),
            ),
            ("lossy.txt", b"Caf\xe9 owner said 5 staff left.".to_vec()),
            ("bin.txt", b"abc\0def".to_vec()),
            ("empty.txt", Vec::new()),
            ("huge.txt", long.repeat(20).into_bytes()),
            ("after.md", b"Mill\n\nIt laid off 12 workers.".to_vec()),
        ];
        let mut buf = Vec::new();
        let cfg = Config {
            max_file_bytes: Some(100_000),
            ..Config::default()
        };
        for (name, bytes) in &files {
            let p = d.join(name);
            fs::write(&p, bytes).unwrap();
            let got = prepare_file_in(&p, &cfg, &mut buf);
            match prepare_file(&p, &cfg) {
                Ok((prepared, read)) => {
                    let (g, n, lossy) = got.unwrap();
                    assert_eq!((n, lossy), (read.text.len(), read.lossy), "{name}");
                    assert_eq!(format!("{g:?}"), format!("{prepared:?}"), "{name}");
                }
                Err(Skip::Binary) => assert!(matches!(got, Err(Skip::Binary)), "{name}"),
                Err(Skip::Io(_)) => unreachable!("{name}"),
            }
            assert!(buf.len() <= KEEP_BUFFER, "{name}");
        }
        for gone in [d.join("gone.md"), d.to_path_buf()] {
            assert!(matches!(read_article(&gone), Err(Skip::Io(_))));
            assert!(matches!(
                prepare_file_in(&gone, &cfg, &mut buf),
                Err(Skip::Io(_))
            ));
        }
    }

    #[test]
    fn matching_sentences_are_read_back_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        let b_text = "Mill shut\n\nThe Dunmore paper mill laid off 420 workers at the plant after a fire on Saturday, the company said.\n";
        fs::write(&a, "Mill fire\n\nA fire at the Dunmore paper mill forced the company to lay off 340 workers at the plant, the union said.\n").unwrap();
        fs::write(&b, b_text).unwrap();
        let mut index = Index::new();
        index_files(
            &mut index,
            &[a.clone(), b.clone()],
            &Config::default(),
            &mut |_, _| {},
        );
        assert!(index.has_text_source());
        let key = path_key(&a);
        let i = (0..index.claims_of(&key).len())
            .find(|&i| index.claim_text(&key, i).is_some_and(|t| t.contains("340")))
            .unwrap();
        let m = index.matches_for(&key, i, 5, 1.0);
        assert!(
            m[0].sentence().is_some_and(|t| t.contains("420 workers")),
            "{m:#?}"
        );
        // Changed on disk since: never the wrong sentence.
        fs::write(&b, b_text.replace("laid off", "let go")).unwrap();
        let m = index.matches_for(&key, i, 5, 1.0);
        assert_eq!(m[0].text, crate::index::SENTENCE_UNAVAILABLE);
        fs::remove_file(&b).unwrap();
        let m = index.matches_for(&key, i, 5, 1.0);
        assert!(m[0].sentence().is_none());
    }

    /// Articles that share words, names and figures (so the index has
    /// postings, matches and ties), a few files that are skipped, and a
    /// lossy one, in more chunks than the workers and their window hold.
    fn mixed_files(dir: &Path, n: usize) -> Vec<PathBuf> {
        // Names as a walk lists them (never `.` or `..`).
        let names = ["Dunmore", "Alvarez", "Okafor", "Lindqvist", "Tanaka"];
        let mut files = Vec::new();
        for i in 0..n {
            let p = dir.join(format!("{i:03}.md"));
            match i % 23 {
                5 => fs::write(&p, b"Bin\0ary").unwrap(),
                11 => fs::write(&p, b"Caf\xe9 owner Alvarez said 12 staff left.").unwrap(),
                // deleted after the listing
                17 => {}
                // a folder: unreadable as a file
                19 => fs::create_dir(&p).unwrap(),
                _ => fs::write(
                    &p,
                    format!(
                        "Story {i}\n\nThe {} mill laid off {} workers on day {}, \"a sad day\", {} said.\n\nSales rose {}% to ${} mln in {}.\n",
                        names[i % 5],
                        100 + i % 7 * 10,
                        i % 9,
                        names[(i / 5) % 5],
                        i % 4 + 1,
                        i % 6 * 3,
                        2000 + i % 3,
                    ),
                )
                .unwrap(),
            }
            files.push(p);
        }
        files
    }

    #[test]
    fn chunked_build_is_the_one_by_one_build() {
        let dir = tempfile::tempdir().unwrap();
        // More files than threads x chunk x window; not a multiple of
        // CHUNK, so the last chunk is short.
        let n = 8 * CHUNK * WINDOW + 5;
        let files = mixed_files(dir.path(), n);
        let cfg = Config::default();
        let mut seen = Vec::new();
        let mut progress = Vec::new();
        let mut index = Index::new();
        let report = index_files_with(
            &mut index,
            &files,
            &cfg,
            &path_key,
            &mut |p, o| {
                seen.push((
                    p.to_path_buf(),
                    match o {
                        FileOutcome::Indexed { lossy } => format!("indexed {lossy}"),
                        FileOutcome::Skipped(Skip::Binary) => "binary".into(),
                        FileOutcome::Skipped(Skip::Io(_)) => "io".into(),
                    },
                ))
            },
            &mut |d, t| progress.push((d, t)),
        );
        // One by one, on this thread, in list order.
        let mut one = Index::new();
        one.set_text_source(disk_text_source());
        one.begin_bulk();
        let mut expect = Vec::new();
        let mut bytes = 0;
        for p in &files {
            expect.push((
                p.clone(),
                match prepare_file(p, &cfg) {
                    Ok((prepared, read)) => {
                        bytes += read.text.len();
                        one.insert(&path_key(p), prepared);
                        format!("indexed {}", read.lossy)
                    }
                    Err(Skip::Binary) => "binary".into(),
                    Err(Skip::Io(_)) => "io".into(),
                },
            ));
        }
        one.end_bulk();
        one.shrink_to_fit();
        assert_eq!(seen, expect);
        assert_eq!(index.dump(), one.dump());
        assert!(one.claim_count() > n, "{}", one.claim_count());
        let skipped = |k: usize| (0..n).filter(|i| i % 23 == k).count();
        assert_eq!(report.binary.len(), skipped(5));
        assert_eq!(report.lossy.len(), skipped(11));
        assert_eq!(report.unreadable.len(), skipped(17) + skipped(19));
        assert_eq!(report.indexed, n - skipped(5) - skipped(17) - skipped(19));
        assert_eq!(report.bytes, bytes);
        assert_eq!(report.unreadable[0], files[17]);
        assert_eq!(report.unreadable[1], files[19]);
        let mut want: Vec<(usize, usize)> =
            (1..=n).filter(|d| d % 64 == 0).map(|d| (d, n)).collect();
        if !n.is_multiple_of(64) {
            want.push((n, n));
        }
        assert_eq!(progress, want);
        // Fewer files than one chunk, and none.
        let mut small = Index::new();
        let r = index_files(&mut small, &files[..3], &cfg, &mut |_, _| {});
        assert_eq!(r.indexed, 3);
        let r = index_files(&mut small, &[], &cfg, &mut |_, _| {});
        assert_eq!(r, BuildReport::default());
        assert_eq!(small.len(), 3);
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
