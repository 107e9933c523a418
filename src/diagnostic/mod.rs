//! Findings: what rules and the loader report about the user's files; suppression comments,
//! baselines and fixes.

pub mod baseline;
pub mod fix;
pub mod reserve;
pub mod suppress;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::source::text::Span;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
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
    pub span: Span,
    pub text: String,
}

/// One problem found in the user's files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    /// Rule ID (`PACKAGE_DEFINED`, `COMPILE`, ...).
    pub rule: &'static str,
    pub severity: Severity,
    /// The file as shown to the user (relative to the working directory where possible).
    pub file: String,
    pub span: Span,
    pub message: String,
    /// The text under the primary span.
    pub label: Option<String>,
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
    pub edits: Vec<Edit>,
}

/// Replace `start..end` (byte offsets) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Finding {
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

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    pub fn files_with_findings(&self) -> usize {
        let mut files: Vec<&str> = self.findings.iter().map(|f| f.file.as_str()).collect();
        files.dedup();
        files.len()
    }

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
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub files_with_findings: usize,
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
