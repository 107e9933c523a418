//! Human output: miette's graphical reports, one per finding, and a summary line.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::HumanOptions;
use crate::diagnostic::{Finding, Report, Severity};

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: NamedSource<Arc<str>>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        let primary = LabeledSpan::new_primary_with_span(
            f.label.clone(),
            (f.span.start, f.span.end - f.span.start),
        );
        let related = f.related.iter().map(|l| {
            LabeledSpan::new_with_span(
                Some(l.text.clone()),
                (l.span.start, l.span.end - l.span.start),
            )
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// Renders every finding and the summary line.
pub fn render(report: &Report, options: HumanOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut out = String::new();
    for finding in &report.findings {
        let text = report
            .sources
            .get(&finding.file)
            .cloned()
            .unwrap_or_else(|| Arc::from(""));
        let diagnostic = FindingDiagnostic {
            finding,
            source: NamedSource::new(&finding.file, text).with_language("protobuf"),
        };
        if handler.render_report(&mut out, &diagnostic).is_err() {
            // Rendering into a String cannot fail; fall back to one plain line all the same.
            out.push_str(&plain_line(finding));
        }
        out.push('\n');
    }
    out.push_str(&report.summary().sentence());
    out.push('\n');
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// `file:line:col: RULE message`.
pub fn plain_line(f: &Finding) -> String {
    format!(
        "{}:{}:{}: {} {}\n",
        f.file, f.span.line, f.span.column, f.rule, f.message
    )
}
