//! Configuration: `factlens.toml` at the workspace root, overridden by the
//! editor's settings (`initializationOptions`, `workspace/configuration`,
//! `didChangeConfiguration`). The same struct drives the CLI.
//!
//! Unknown keys are not silently ignored: [`Config::from_toml`] and
//! [`Config::merge_json`] return warnings naming them.

use crate::analysis::{AnalysisOptions, Code, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// How *Add source note* writes a note.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum NoteStyle {
    /// Markdown footnote `[^src-N]` + `[^src-N]: Source: ` (plain text falls
    /// back to inline).
    #[default]
    Footnote,
    /// ` [Source: ]` after the sentence.
    Inline,
    /// A template with `{source}`, `{title}`, `{outlet}`, `{date}`, `{url}`, `{path}`.
    Template(String),
}

/// A per-code severity: a level or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Globs of article files (default `*.md`, `*.markdown`, `*.txt`).
    pub include: Vec<String>,
    /// Globs excluded on top of `.gitignore` / `.ignore`.
    pub exclude: Vec<String>,
    pub severities: BTreeMap<Code, Level>,
    pub note_style: NoteStyle,
    /// Template for *Attribute to*: `{speaker}` is replaced.
    pub attribute_template: String,
    /// Flag scare quotes (default false).
    pub flag_scare_quotes: bool,
    /// Dates count as figures (default false).
    pub dates_as_figures: bool,
    /// Minimum score for a cross-article match.
    pub min_match_score: f64,
    /// Files larger than this are analysed only up to the limit, with an
    /// information diagnostic saying so. `None`: no limit (the default).
    pub max_file_bytes: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include: vec!["*.md".into(), "*.markdown".into(), "*.txt".into()],
            exclude: Vec::new(),
            severities: BTreeMap::new(),
            note_style: NoteStyle::Footnote,
            attribute_template: ", {speaker} said".into(),
            flag_scare_quotes: false,
            dates_as_figures: false,
            min_match_score: 1.0,
            max_file_bytes: None,
        }
    }
}

/// The on-disk / on-wire shape. Every field optional so layers merge.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
struct Raw {
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    severity: Option<BTreeMap<String, String>>,
    note_style: Option<String>,
    note_template: Option<String>,
    attribute_template: Option<String>,
    scare_quotes: Option<String>,
    dates_as_figures: Option<bool>,
    min_match_score: Option<f64>,
    max_file_bytes: Option<usize>,
}

impl Config {
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.severities.get(&code) {
            Some(Level::Off) => None,
            Some(Level::On(s)) => Some(*s),
            None => Some(code.default_severity()),
        }
    }

    pub fn analysis_options(&self, markdown: bool) -> AnalysisOptions {
        AnalysisOptions {
            dates_as_figures: self.dates_as_figures,
            flag_scare_quotes: self.flag_scare_quotes,
            markdown,
        }
    }

    /// Parse `factlens.toml` text on top of `self`. Errors are whole-file
    /// (syntax, wrong types); the config is unchanged then.
    pub fn from_toml(&self, text: &str) -> Result<(Config, Vec<String>), String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
        self.apply(raw)
    }

    /// Load `factlens.toml` from a directory if present.
    pub fn load_dir(dir: &Path) -> Result<(Config, Vec<String>), String> {
        let path = dir.join("factlens.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::default()
                .from_toml(&text)
                .map_err(|e| format!("{}: {}", path.display(), e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Config::default(), vec![])),
            Err(e) => Err(format!("{}: {}", path.display(), e)),
        }
    }

    /// Merge editor settings (JSON, the `factlens` section) on top of
    /// `self`. Accepts both snake_case and camelCase keys.
    pub fn merge_json(&self, value: &serde_json::Value) -> Result<(Config, Vec<String>), String> {
        let obj = match value {
            serde_json::Value::Null => return Ok((self.clone(), vec![])),
            serde_json::Value::Object(o) => o,
            _ => return Err("factlens settings must be an object".into()),
        };
        let mut norm = serde_json::Map::new();
        let mut warnings = Vec::new();
        for (k, v) in obj {
            if v.is_null() {
                continue;
            }
            let key = snake(k);
            let known = [
                "include",
                "exclude",
                "severity",
                "note_style",
                "note_template",
                "attribute_template",
                "scare_quotes",
                "dates_as_figures",
                "min_match_score",
                "max_file_bytes",
                "path",
                "trace",
            ];
            if !known.contains(&key.as_str()) {
                warnings.push(format!("unknown setting `{k}` ignored"));
                continue;
            }
            if key == "path" || key == "trace" {
                continue; // client-side settings
            }
            norm.insert(key, v.clone());
        }
        let raw: Raw =
            serde_json::from_value(serde_json::Value::Object(norm)).map_err(|e| e.to_string())?;
        let (c, mut w) = self.apply(raw)?;
        warnings.append(&mut w);
        Ok((c, warnings))
    }

    fn apply(&self, raw: Raw) -> Result<(Config, Vec<String>), String> {
        let mut c = self.clone();
        let mut warnings = Vec::new();
        if let Some(v) = raw.include {
            c.include = v;
        }
        if let Some(v) = raw.exclude {
            c.exclude = v;
        }
        if let Some(map) = raw.severity {
            for (k, v) in map {
                let Some(code) = Code::parse(&k) else {
                    warnings.push(format!("unknown diagnostic code `{k}` in [severity]"));
                    continue;
                };
                let level = match v.to_ascii_lowercase().as_str() {
                    "off" | "none" => Level::Off,
                    "error" => Level::On(Severity::Error),
                    "warning" | "warn" => Level::On(Severity::Warning),
                    "information" | "info" => Level::On(Severity::Information),
                    "hint" => Level::On(Severity::Hint),
                    other => {
                        warnings.push(format!(
                            "severity `{other}` for `{k}` is not one of error, warning, information, hint, off"
                        ));
                        continue;
                    }
                };
                c.severities.insert(code, level);
            }
        }
        if let Some(t) = raw.note_template {
            c.note_style = NoteStyle::Template(t);
        }
        if let Some(s) = raw.note_style {
            match s.as_str() {
                "footnote" => c.note_style = NoteStyle::Footnote,
                "inline" => c.note_style = NoteStyle::Inline,
                "template" => {
                    if !matches!(c.note_style, NoteStyle::Template(_)) {
                        warnings.push("note_style = \"template\" needs note_template".into());
                    }
                }
                other if other.contains('{') => c.note_style = NoteStyle::Template(other.into()),
                other => warnings.push(format!(
                    "note_style `{other}` is not footnote, inline or a template"
                )),
            }
        }
        if let Some(t) = raw.attribute_template {
            c.attribute_template = t;
        }
        if let Some(s) = raw.scare_quotes {
            match s.as_str() {
                "ignore" | "off" => c.flag_scare_quotes = false,
                "flag" | "warn" => c.flag_scare_quotes = true,
                other => warnings.push(format!("scare_quotes `{other}` is not ignore or flag")),
            }
        }
        if let Some(v) = raw.dates_as_figures {
            c.dates_as_figures = v;
        }
        if let Some(v) = raw.min_match_score {
            c.min_match_score = v;
        }
        if let Some(v) = raw.max_file_bytes {
            c.max_file_bytes = Some(v);
        }
        Ok((c, warnings))
    }
}

fn snake(k: &str) -> String {
    let mut s = String::new();
    for ch in k.chars() {
        if ch.is_ascii_uppercase() {
            s.push('_');
            s.push(ch.to_ascii_lowercase());
        } else {
            s.push(ch);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_layers() {
        let (c, w) = Config::default()
            .from_toml(
                "exclude = [\"drafts/**\"]\nnote_style = \"inline\"\n[severity]\nunsourced-figure = \"error\"\nquote-variant = \"off\"\nbogus = \"hint\"\n",
            )
            .unwrap();
        assert_eq!(c.exclude, vec!["drafts/**"]);
        assert_eq!(c.note_style, NoteStyle::Inline);
        assert_eq!(c.severity(Code::UnsourcedFigure), Some(Severity::Error));
        assert_eq!(c.severity(Code::QuoteVariant), None);
        assert_eq!(c.severity(Code::UnbalancedQuote), Some(Severity::Hint));
        assert_eq!(w.len(), 1);
        let (c2, w2) = c
            .merge_json(
                &serde_json::json!({"datesAsFigures": true, "noteStyle": "footnote", "nope": 1}),
            )
            .unwrap();
        assert!(c2.dates_as_figures);
        assert_eq!(c2.note_style, NoteStyle::Footnote);
        assert_eq!(c2.severity(Code::UnsourcedFigure), Some(Severity::Error));
        assert_eq!(w2.len(), 1);
        assert!(Config::default().from_toml("severity = 3").is_err());
    }
}
