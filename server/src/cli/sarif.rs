//! `check --format sarif`: one SARIF 2.1.0 log with one run.

use super::check::Checked;
use crate::analysis::{Code, Severity};
use crate::config::Config;
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn describe(code: Code) -> &'static str {
    match code {
        Code::UnsourcedFigure => "A figure stated as fact with no attribution in its sentence.",
        Code::UnattributedQuote => "A quotation with no speaker tied to it.",
        Code::VagueAttribution => {
            "A figure or quotation whose only source is anonymous (\"analysts say\")."
        }
        Code::ConflictingFigure => "Another article reports the same claim with a different value.",
        Code::QuoteVariant => "Another article quotes the same words differently.",
        Code::UnbalancedQuote => "A quotation mark that never closes.",
        Code::SizeLimit => "The file is larger than max_file_bytes; only its start was analysed.",
    }
}

/// SARIF `level` of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// A SARIF `uri` for a path: relative paths as relative references with
/// `/` separators, absolute paths as `file://` URIs; percent-encoded.
pub fn uri(path: &Path) -> String {
    let p = path.strip_prefix(".").unwrap_or(path);
    let mut s = String::new();
    if p.is_absolute() {
        s.push_str("file://");
    }
    let raw = p.to_string_lossy().replace('\\', "/");
    for b in raw.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

pub fn log(checked: &[Checked], config: &Config) -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|&c| {
            let mut r = json!({
                "id": c.as_str(),
                "shortDescription": { "text": describe(c) },
                "defaultConfiguration": {
                    "level": config.severity(c).map(level).unwrap_or("none"),
                    "enabled": config.severity(c).is_some(),
                },
            });
            if let Some(s) = config.severity(c) {
                r["properties"] = json!({ "severity": s.as_str() });
            }
            r
        })
        .collect();
    let rule_index = |c: Code| Code::ALL.iter().position(|&x| x == c).unwrap_or(0);
    let mut results = Vec::new();
    for c in checked {
        let uri = uri(&c.file.path);
        for d in &c.diags {
            let mut related = Vec::new();
            for (i, r) in d.related.iter().enumerate() {
                related.push(json!({
                    "id": i,
                    "message": { "text": r.message },
                    "physicalLocation": {
                        "artifactLocation": { "uri": self::uri(Path::new(&r.path)) },
                        "region": { "startLine": r.line, "startColumn": r.column },
                    },
                }));
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": rule_index(d.code),
                "level": level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": d.range.line,
                            "startColumn": d.range.column,
                            "endLine": d.range.end_line,
                            "endColumn": d.range.end_column,
                            "snippet": { "text": d.text },
                        },
                    },
                }],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "factlens",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub fn write(out: &mut dyn Write, checked: &[Checked], config: &Config) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(checked, config))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri(Path::new("./a b/c.md")), "a%20b/c.md");
        assert_eq!(uri(Path::new("/tmp/x.md")), "file:///tmp/x.md");
        assert_eq!(uri(Path::new("ü.md")), "%C3%BC.md");
    }
}
