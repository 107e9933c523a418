//! Output formats: [`render`] turns a [`Report`] into text in one of the [`Format`]s the
//! command line offers. One file per format; each turns a report into text and does nothing
//! else.

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod sarif;

use clap::ValueEnum;

use crate::diagnostic::Report;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Rendered diagnostics with source snippets, for people.
    Human,
    /// One JSON document (docs/commands.md gives the schema).
    Json,
    /// GitHub Actions workflow commands (`::error file=...`), shown as annotations on the PR.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other tools.
    Sarif,
    /// JUnit XML: a test case per file, a failure per finding, for CI test reports.
    Junit,
}

/// Options for the human format.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// ANSI colours.
    pub color: bool,
    /// The width snippets and messages wrap at.
    pub width: usize,
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, human: HumanOptions) -> String {
    match format {
        Format::Human => human::render(report, human),
        Format::Json => json::render(report),
        Format::Github => github::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
    }
}
