//! Findings: what rules and the loader report about the user's files; suppression comments,
//! baselines and fixes.

#[doc(hidden)]
pub mod baseline;
#[doc(hidden)]
pub mod fix;
#[doc(hidden)]
pub mod reserve;
#[doc(hidden)]
pub mod suppress;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::source::text::Span;

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

/// The findings of a run with the text of every file they point into.
#[derive(Debug, Default)]
pub struct Report {
    /// What was found, sorted by file and position after [`Report::normalize`].
    pub findings: Vec<Finding>,
    /// Display path -> file text, for snippets.
    pub sources: BTreeMap<String, Arc<str>>,
    /// The display paths of the files checked, in the order they were found.
    pub checked: Vec<String>,
    /// Facts about the run shown after the summary ("compared against git revision main").
    pub notes: Vec<String>,
}

impl Report {
    /// Sorts findings by file, position and rule, and drops exact duplicates.
    pub fn normalize(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.findings.dedup();
    }

    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// How many files have at least one finding (findings are sorted by file).
    pub fn files_with_findings(&self) -> usize {
        let mut files: Vec<&str> = self.findings.iter().map(|f| f.file.as_str()).collect();
        files.dedup();
        files.len()
    }

    /// The counts printed at the end of a run.
    pub fn summary(&self) -> Summary {
        Summary {
            findings: self.findings.len(),
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            files_with_findings: self.files_with_findings(),
            files_checked: self.checked.len(),
        }
    }
}

/// Counts for the end of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// All findings.
    pub findings: usize,
    /// Findings that fail the run.
    pub errors: usize,
    /// Findings that are warnings.
    pub warnings: usize,
    /// Files with at least one finding.
    pub files_with_findings: usize,
    /// Files checked.
    pub files_checked: usize,
}

impl Summary {
    /// "3 findings in 2 files (5 files checked)".
    pub fn sentence(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        if self.findings == 0 {
            format!(
                "No findings ({} checked)",
                plural(self.files_checked, "file")
            )
        } else {
            format!(
                "{} in {} ({} checked)",
                plural(self.findings, "finding"),
                plural(self.files_with_findings, "file"),
                plural(self.files_checked, "file")
            )
        }
    }
}

/// A finding as stored (the result cache): the rule ID is looked up again in the registry.
#[derive(Deserialize)]
struct StoredFinding {
    rule: String,
    severity: Severity,
    file: String,
    span: Span,
    message: String,
    label: Option<String>,
    help: Option<String>,
    related: Vec<Label>,
    fix: Option<Fix>,
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Finding, D::Error> {
        let f = StoredFinding::deserialize(d)?;
        let rule = crate::rules::registry::get(&f.rule)
            .map(|r| r.id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule {}", f.rule)))?;
        Ok(Finding {
            rule,
            severity: f.severity,
            file: f.file,
            span: f.span,
            message: f.message,
            label: f.label,
            help: f.help,
            related: f.related,
            fix: f.fix,
        })
    }
}
