//! The command line: `check`, `annotate`, `matches`, `lsp`.

/// Parse arguments and run. Returns the process exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("lsp") {
        return crate::lsp::run();
    }
    eprintln!("usage: factlens <check|annotate|matches|lsp>");
    2
}
