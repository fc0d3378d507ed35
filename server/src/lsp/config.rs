//! The server's configuration layers: `factlens.toml` at the workspace root,
//! then `initializationOptions`, then the editor's `factlens` settings
//! (`workspace/configuration` or `didChangeConfiguration`).

use crate::config::Config;
use serde_json::Value;
use std::path::PathBuf;

/// What went into the effective configuration.
#[derive(Debug, Default, Clone)]
pub struct Layers {
    pub root: Option<PathBuf>,
    pub init_options: Value,
    pub editor: Value,
}

/// The result of combining the layers.
#[derive(Debug)]
pub struct Effective {
    pub config: Config,
    /// Errors that make a layer unusable (shown to the user once).
    pub errors: Vec<String>,
    /// Unknown keys and bad values that were skipped (logged).
    pub warnings: Vec<String>,
}

/// The `factlens` section of a settings object, or the object itself.
pub fn section(v: &Value) -> Value {
    match v {
        Value::Object(o) => match o.get("factlens") {
            Some(inner @ Value::Object(_)) => inner.clone(),
            Some(_) => Value::Null,
            None => v.clone(),
        },
        _ => Value::Null,
    }
}

impl Layers {
    pub fn compute(&self) -> Effective {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut config = Config::default();
        if let Some(root) = &self.root {
            match Config::load_dir(root) {
                Ok((c, w)) => {
                    config = c;
                    let file = root.join("factlens.toml");
                    warnings.extend(w.into_iter().map(|w| format!("{}: {w}", file.display())));
                }
                Err(e) => errors.push(format!("{e} (using the default configuration)")),
            }
        }
        for (name, layer) in [
            ("initializationOptions", &self.init_options),
            ("editor settings", &self.editor),
        ] {
            let layer = section(layer);
            match config.merge_json(&layer) {
                Ok((c, w)) => {
                    config = c;
                    warnings.extend(w.into_iter().map(|w| format!("{name}: {w}")));
                }
                Err(e) => errors.push(format!("factlens {name}: {e} (ignored)")),
            }
        }
        Effective {
            config,
            errors,
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Code, Severity};
    use serde_json::json;

    #[test]
    fn layers_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("factlens.toml"),
            "[severity]\nunsourced-figure = \"error\"\nquote-variant = \"off\"\n",
        )
        .unwrap();
        let layers = Layers {
            root: Some(dir.path().into()),
            init_options: json!({"factlens": {"severity": {"quote-variant": "hint"}}}),
            editor: json!({"severity": {"unsourced-figure": "hint"}, "bogus": 1}),
        };
        let e = layers.compute();
        assert!(e.errors.is_empty());
        assert_eq!(e.warnings.len(), 1);
        assert_eq!(
            e.config.severity(Code::UnsourcedFigure),
            Some(Severity::Hint)
        );
        assert_eq!(e.config.severity(Code::QuoteVariant), Some(Severity::Hint));
    }

    #[test]
    fn bad_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("factlens.toml"), "severity = [").unwrap();
        let e = Layers {
            root: Some(dir.path().into()),
            ..Default::default()
        }
        .compute();
        assert_eq!(e.errors.len(), 1);
        assert!(e.errors[0].contains("factlens.toml"), "{}", e.errors[0]);
        assert_eq!(e.config, Config::default());
    }
}
