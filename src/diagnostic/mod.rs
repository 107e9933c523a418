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

use serde::Serialize;

pub use crate::source::finding::{Edit, Finding, Fix, Label, Severity, Span};

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
