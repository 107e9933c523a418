//! What a problem in a file is, as plain data: the finding, its severity, labels and fix, at a
//! [`Span`]. The loader reports compile errors with it; rules, the ledger and reports build on it
//! (the `diagnostic` module re-exports these types with what works on them).

use serde::{Deserialize, Serialize};

pub use super::text::Span;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run (exit 1, and the build in build.rs).
    Error,
    /// Reported; fails the run only with `--deny-warnings`.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as the JSON output spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary location in the same file, shown as a label under the snippet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Label {
    /// Where it is.
    pub span: Span,
    /// What it is ("first defined here").
    pub text: String,
}

/// One problem found in the user's files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    /// Rule ID (`PACKAGE_DEFINED`, `COMPILE`, ...).
    pub rule: &'static str,
    /// Whether it fails the run.
    pub severity: Severity,
    /// The file as shown to the user (relative to the working directory where possible).
    pub file: String,
    /// Where in the file (1-based lines and columns, byte offsets).
    pub span: Span,
    /// What is wrong, naming the element ("field `Item_ID` of `acme.v1.Order` is not ...").
    pub message: String,
    /// The text under the primary span.
    pub label: Option<String>,
    /// How to fix it, when there is one thing to say.
    pub help: Option<String>,
    /// Further labelled spans in the same file (the first definition of a duplicate, a reservation).
    pub related: Vec<Label>,
    /// A safe, automatic fix (`--fix`).
    pub fix: Option<Fix>,
}

/// A safe fix: text edits in the finding's file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, in a few words ("remove the unused import").
    pub description: String,
    /// The edits, applied together.
    pub edits: Vec<Edit>,
}

/// Replace `start..end` (byte offsets) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced (equal to `start` for an insertion).
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

impl Finding {
    /// The order reports list findings in: file, line, column, rule, message.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.file,
            self.span.line,
            self.span.column,
            self.rule,
            &self.message,
        )
    }
}
