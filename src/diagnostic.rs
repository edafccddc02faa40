//! Diagnostics: errors and warnings as data, collected across every stage and rendered once at the edge.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors stop the build, warnings are only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based as editors show it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

impl Span {
    pub const fn new(line: usize, column: usize) -> Self {
        Self { line, column }
    }

    /// The start of a file, for problems that concern the file as a whole.
    pub const START: Span = Span { line: 1, column: 1 };
}

impl From<serde_saphyr::Location> for Span {
    fn from(location: serde_saphyr::Location) -> Self {
        // serde-saphyr reports 0 for an unknown position; point at the file's start then.
        Span {
            line: (location.line() as usize).max(1),
            column: (location.column() as usize).max(1),
        }
    }
}

/// One problem found in a site, pointing at where it is and saying what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the user would type it (relative to the current folder where possible).
    pub path: PathBuf,
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.into(),
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, span, message)
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// One JSON object on one line, for CI and editors: path, line, column, severity, message, hint
    /// (`null` when there is none).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "path": self.path.to_string_lossy(),
            "line": self.span.line,
            "column": self.span.column,
            "severity": match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            "message": self.message,
            "hint": self.hint,
        })
        .to_string()
    }

    /// `path:line:column: error: message`, the source line with a caret, and the hint.
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = write!(
            out,
            "{}:{}:{}: {label}: {}",
            self.path.display(),
            self.span.line,
            self.span.column,
            self.message
        );
        if let Some(line) = sources.line(&self.path, self.span.line) {
            let number = self.span.line.to_string();
            let gutter = " ".repeat(number.len());
            // A tab is shown, one character wide so that the caret stays under its column.
            let shown: String = line
                .chars()
                .map(|c| if c == '\t' { '→' } else { c })
                .collect();
            let caret_pad = " ".repeat(
                self.span
                    .column
                    .saturating_sub(1)
                    .min(shown.chars().count()),
            );
            let _ = write!(
                out,
                "\n{gutter} |\n{number} | {shown}\n{gutter} | {caret_pad}^"
            );
        }
        if let Some(hint) = &self.hint {
            let _ = write!(out, "\n  = hint: {hint}");
        }
        out
    }
}

/// The text of the files that diagnostics point into, so that rendering can quote the line.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: HashMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Adds every file of `other`, its text replacing any this one has for the same path.
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    /// Every file's path and text, in path order.
    pub fn sorted(&self) -> Vec<(&Path, &str)> {
        let mut files: Vec<(&Path, &str)> = self
            .files
            .iter()
            .map(|(p, t)| (p.as_path(), t.as_str()))
            .collect();
        files.sort();
        files
    }

    /// Line `line` (from 1) of a file, counted as YAML counts lines: `\n`, `\r\n` and a lone `\r`
    /// each end one, so that the quoted line is the one the position is in.
    fn line(&self, path: &Path, line: usize) -> Option<&str> {
        if line == 0 {
            return None;
        }
        let mut rest = self.get(path)?;
        for _ in 1..line {
            let end = rest.find(['\n', '\r'])?;
            let skip = if rest[end..].starts_with("\r\n") {
                2
            } else {
                1
            };
            rest = &rest[end + skip..];
        }
        Some(&rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())])
    }
}

/// The lines of `text` as YAML counts them (and diagnostics with it): `\n`, `\r\n` and a lone
/// `\r` each end one.
pub fn yaml_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find(['\n', '\r']) {
        lines.push(&rest[..end]);
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
    }
    lines.push(rest);
    lines
}

/// Diagnostics collected by a stage: one run reports every problem it can find.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many diagnostics there are, to mark the ones added after this point ([`Self::note_since`]).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Adds `note` to the hint of every diagnostic pushed since there were `start`: where the text
    /// they are about was included from, for one in a snippet.
    pub fn note_since(&mut self, start: usize, note: &str) {
        for d in self.items.iter_mut().skip(start) {
            d.hint = Some(match d.hint.take() {
                Some(hint) => format!("{hint} ({note})"),
                None => note.to_owned(),
            });
        }
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file and position, errors and warnings interleaved as they stand in the files,
    /// duplicates removed: the order a reader fixes them in, and the same on every run.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.span, a.severity, &a.message)
                .cmp(&(&b.path, b.span, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// "did you mean `x`?" for a word that is close to one of the known ones.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_where_yaml_ends_them() {
        let mut sources = Sources::default();
        sources.insert("g.yaml", "a: 1\r\rb: 2\r\nc: 3\nd: 4");
        let line = |n| sources.line(Path::new("g.yaml"), n);
        assert_eq!(line(1), Some("a: 1"));
        assert_eq!(line(2), Some(""));
        assert_eq!(line(3), Some("b: 2"));
        assert_eq!(line(4), Some("c: 3"));
        assert_eq!(line(5), Some("d: 4"));
        assert_eq!(line(6), None);
        assert_eq!(line(0), None);
    }

    #[test]
    fn renders_location_source_line_caret_and_hint() {
        let mut sources = Sources::default();
        sources.insert("g/guide.yaml", "title: x\nscrenshot: a.png\n");
        let d = Diagnostic::error("g/guide.yaml", Span::new(2, 1), "unknown key `screnshot`")
            .with_hint("did you mean `screenshot`?");
        let text = d.render(&sources);
        assert!(text.starts_with("g/guide.yaml:2:1: error: unknown key `screnshot`"));
        assert!(text.contains("2 | screnshot: a.png"));
        assert!(text.contains("  | ^"));
        assert!(text.ends_with("= hint: did you mean `screenshot`?"));
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            did_you_mean("screnshot", ["device", "screenshot", "action"]).as_deref(),
            Some("did you mean `screenshot`?")
        );
        assert_eq!(did_you_mean("zzz", ["device", "screenshot"]), None);
    }
}
