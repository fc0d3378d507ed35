//! The command line: `check`, `annotate`, `matches`, `lsp`.
//!
//! A thin front end on [`crate::analysis`], [`crate::index`] and
//! [`crate::config`]: it finds the articles, reads them, runs the same
//! analysis as the language server and prints the results as text (like a
//! compiler), JSON lines or SARIF. Positions are 1-based lines and columns
//! counted in Unicode scalar values.

mod annotate;
mod check;
mod files;
mod matches;
mod output;
mod sarif;
mod workspace;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub use files::{load_config, LoadedConfig};

const CHECK_AFTER_HELP: &str = "\
Exit status:
  0  nothing at warning or error severity was reported
     (information and hints alone do not fail the check)
  1  at least one warning or error was reported
  2  usage error, bad configuration, or a path that could not be read;
     2 wins over 1: the readable files are still checked and reported,
     then the exit status is 2

Configuration: factlens.toml in the nearest ancestor directory of the first
PATH (else the current directory), or --config FILE. `[severity]` sets a
code to error, warning, information, hint or off (hidden).";

const ANNOTATE_AFTER_HELP: &str = "\
Exit status: 0 on success, 2 on a usage error, bad configuration or a path
that could not be read (the readable files are still annotated).";

const MATCHES_AFTER_HELP: &str = "\
Exit status: 0 on success (with or without matches), 2 on a usage error, bad
configuration or a path that could not be read.";

/// factlens: annotate facts in news articles.
///
/// Finds figures stated with no source, quotations with no speaker, and the
/// same claim reported across a workspace of articles (Markdown or plain
/// text). The same analysis serves editors over LSP (`factlens lsp`).
#[derive(Debug, Parser)]
#[command(name = "factlens", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report unsourced figures, unattributed quotations and other findings.
    ///
    /// Directories are walked for *.md, *.markdown and *.txt (the
    /// configured include/exclude globs), honouring .gitignore and .ignore.
    /// With no PATHS, the current directory is checked. Claims are matched
    /// across all the files checked, so conflicting figures and quotation
    /// variants between them are reported too.
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// Print an article's fact sheet: every figure and quotation found,
    /// sourced or not.
    #[command(after_help = ANNOTATE_AFTER_HELP)]
    Annotate(AnnotateArgs),
    /// Cross-reference an article: each claim with the matching claims of
    /// the other articles in the workspace.
    #[command(after_help = MATCHES_AFTER_HELP)]
    Matches(MatchesArgs),
    /// Serve the Language Server Protocol on stdio.
    Lsp(LspArgs),
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Compiler-style messages with the source line underlined.
    Text,
    /// One JSON object per finding and line.
    Json,
    /// One SARIF 2.1.0 log (for code-scanning tools).
    Sarif,
}

/// Output formats of `annotate` and `matches`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Use this configuration file instead of looking for factlens.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Insert a placeholder source note after each sentence with an
    /// unsourced figure or an unattributed quotation (a footnote in
    /// Markdown, inline in plain text, or the configured note style),
    /// rewriting the files in place, then report what is left. Files not
    /// in UTF-8 or over max_file_bytes are not rewritten.
    #[arg(long)]
    pub fix_notes: bool,
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The article(s) to annotate (files or directories).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Use this configuration file instead of looking for factlens.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MatchesArgs {
    /// The article whose claims are cross-referenced.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// The workspace holding the other articles (default: the current
    /// directory).
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Use this configuration file instead of looking for factlens.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Serve on stdio (the default and only transport; editor clients
    /// append this flag).
    #[arg(long)]
    pub stdio: bool,
}

/// Parse arguments and run. Returns the process exit code.
pub fn main() -> i32 {
    run(std::env::args_os())
}

/// Parse the given arguments (the first is the program name) and run.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help / --version print to stdout and succeed; usage errors
            // print to stderr and exit 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Annotate(args) => annotate::run(&args),
        Command::Matches(args) => matches::run(&args),
        Command::Lsp(_) => crate::lsp::run(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_subcommands() {
        let cli =
            Cli::try_parse_from(["factlens", "check", "--format", "sarif", "a", "b"]).unwrap();
        match cli.command {
            Command::Check(a) => {
                assert_eq!(a.format, CheckFormat::Sarif);
                assert_eq!(a.paths.len(), 2);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(Cli::try_parse_from(["factlens", "lsp", "--stdio"]).is_ok());
        assert!(Cli::try_parse_from(["factlens", "annotate"]).is_err());
        assert!(Cli::try_parse_from(["factlens", "check", "--format", "xml"]).is_err());
    }
}
