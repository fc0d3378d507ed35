//! Finding, reading and configuring: `factlens.toml` lookup, the directory
//! walk (include/exclude globs, `.gitignore`/`.ignore`), lossy reading and
//! binary skipping, and the I/O error tally that decides exit status 2.

use crate::config::Config;
use crate::workspace::{walk_with, WalkError};
use std::fmt::Display;
use std::path::{Path, PathBuf};

/// The configuration in force and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// The `factlens.toml` read, if any.
    pub path: Option<PathBuf>,
    /// Absolute directory that relative include/exclude globs are anchored
    /// to: the config file's directory, else the current directory.
    pub root: PathBuf,
}

/// Find and load the configuration: `explicit` (from `--config`) if given,
/// else `factlens.toml` in the nearest ancestor of `first` (a file's
/// directory or a directory), else in the current directory or its
/// ancestors. Returns a message for stderr on a bad or unreadable file.
/// Warnings (unknown codes, bad values) are printed to stderr.
pub fn load_config(explicit: Option<&Path>, first: Option<&Path>) -> Result<LoadedConfig, String> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let file = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => find_config(first, &cwd),
    };
    let Some(file) = file else {
        return Ok(LoadedConfig {
            config: Config::default(),
            path: None,
            root: cwd,
        });
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read config {}: {}", file.display(), e))?;
    let (config, warnings) = Config::default()
        .from_toml(&text)
        .map_err(|e| format!("bad config {}: {}", file.display(), e.trim_end()))?;
    for w in warnings {
        eprintln!("factlens: warning: {}: {}", file.display(), w);
    }
    let abs = if file.is_absolute() {
        file.clone()
    } else {
        cwd.join(&file)
    };
    let root = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.clone());
    let root = root.canonicalize().unwrap_or(root);
    Ok(LoadedConfig {
        config,
        path: Some(file),
        root,
    })
}

/// The configuration of a command ([`load_config`]), or `None` after
/// printing why it cannot be used (the command then exits 2).
pub fn config_for(explicit: Option<&Path>, first: Option<&Path>) -> Option<LoadedConfig> {
    load_config(explicit, first)
        .map_err(|e| eprintln!("factlens: {e}"))
        .ok()
}

/// Report a failure to write the output (silently for a closed pipe, as
/// in `factlens check | head`). Returns the exit status, 2.
pub fn output_failed(e: &std::io::Error) -> i32 {
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        eprintln!("factlens: cannot write output: {e}");
    }
    2
}

fn find_config(first: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
    let mut starts = Vec::new();
    if let Some(p) = first {
        if let Ok(abs) = p.canonicalize() {
            if abs.is_dir() {
                starts.push(abs);
            } else if let Some(parent) = abs.parent() {
                starts.push(parent.to_path_buf());
            }
        }
    }
    starts.push(cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf()));
    for start in starts {
        for dir in start.ancestors() {
            let candidate = dir.join("factlens.toml");
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Problems met while finding, reading and writing files. Any I/O error
/// makes the exit status 2 at the end.
#[derive(Debug, Default)]
pub struct Status {
    pub errors: usize,
}

impl Status {
    /// Report a path that could not be read: `factlens: cannot read PATH: reason`.
    pub fn io_error(&mut self, path: &Path, reason: &dyn Display) {
        self.errors += 1;
        eprintln!("factlens: cannot read {}: {}", display(path), reason);
    }

    /// The exit status when nothing else failed: 2 after an I/O error, else 0.
    pub fn code(&self) -> i32 {
        if self.errors > 0 {
            2
        } else {
            0
        }
    }
}

/// A path for messages: as given, without a leading `./`.
pub fn display(path: &Path) -> String {
    let p = path.strip_prefix(".").unwrap_or(path);
    if p.as_os_str().is_empty() {
        ".".into()
    } else {
        p.display().to_string()
    }
}

/// The article files named by `paths`: files as given (whatever their
/// extension), directories walked by [`crate::workspace::walk_with`] with
/// the globs anchored at the configuration's directory. Unreadable paths
/// are reported on `status`, bad globs and ignore lines as warnings.
pub fn collect(paths: &[PathBuf], cfg: &LoadedConfig, status: &mut Status) -> Vec<PathBuf> {
    walk_with(paths, &cfg.config, Some(&cfg.root), |e| match e {
        WalkError::Io { path, error } => status.io_error(&path, &error),
        WalkError::Warning(w) => eprintln!("factlens: warning: {w}"),
    })
}

/// An article read from disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or walked (for messages and output).
    pub path: PathBuf,
    /// The text analysed (lossy if the file was not UTF-8; cut at
    /// `max_file_bytes` when configured).
    pub text: String,
    /// Markdown rules apply (`.md`, `.markdown`); false for `.txt` and others.
    pub markdown: bool,
    /// The file's full size in bytes when the configured limit cut it.
    pub truncated_from: Option<usize>,
    /// The file was not valid UTF-8 (read lossily).
    pub lossy: bool,
}

impl SourceFile {
    pub fn display(&self) -> String {
        display(&self.path)
    }
}

/// Whether Markdown rules apply to a path (by extension).
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The note for a binary file, which is skipped.
pub fn note_binary(path: &Path) {
    eprintln!(
        "factlens: note: skipping binary file {} (contains NUL bytes)",
        display(path)
    );
}

/// The note for a file that is not UTF-8 (read lossily).
pub fn note_lossy(path: &Path) {
    eprintln!(
        "factlens: note: {} is not valid UTF-8; invalid bytes were read as U+FFFD",
        display(path)
    );
}

/// Read an article. Not UTF-8: read lossily, with a note on stderr. Binary
/// (a NUL byte in the first 8 KB): skipped with a note. Unreadable: reported on `status`.
pub fn read(path: &Path, config: &Config, status: &mut Status) -> Option<SourceFile> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            status.io_error(path, &e);
            return None;
        }
    };
    // The same rules as the workspace index: NUL in the first 8 KB is
    // binary; a BOM is dropped; invalid UTF-8 is replaced.
    let Some(read) = crate::workspace::decode(bytes) else {
        note_binary(path);
        return None;
    };
    if read.lossy {
        note_lossy(path);
    }
    let lossy = read.lossy;
    let mut text = read.text;
    let mut truncated_from = None;
    if let Some(limit) = config.max_file_bytes {
        if text.len() > limit {
            truncated_from = Some(text.len());
            let mut cut = limit;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
    }
    Some(SourceFile {
        markdown: is_markdown(path),
        path: path.to_path_buf(),
        text,
        truncated_from,
        lossy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_strips_dot() {
        assert_eq!(display(Path::new("./a/b.md")), "a/b.md");
        assert_eq!(display(Path::new(".")), ".");
        assert_eq!(display(Path::new("x.txt")), "x.txt");
    }

    #[test]
    fn markdown_by_extension() {
        assert!(is_markdown(Path::new("a.MD")));
        assert!(is_markdown(Path::new("a/b.markdown")));
        assert!(!is_markdown(Path::new("a.txt")));
        assert!(!is_markdown(Path::new("README")));
    }
}
