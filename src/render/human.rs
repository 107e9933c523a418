//! Human output: miette's graphical reports, one per finding, and a summary line.

use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::source::text::SourceText;

use super::HumanOptions;
use crate::diagnostic::{Finding, Report, Severity};

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: IndexedSource,
}

/// Source code for miette with a line index: miette's own `SourceCode` for `str` scans from the
/// start of the file for every snippet, which on a 10 MB file with many findings takes minutes.
struct IndexedSource {
    name: String,
    text: Arc<SourceText>,
}

impl SourceCode for IndexedSource {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.text.as_str();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        if context_lines_before == 0 && context_lines_after == 0 {
            // miette asks for the bare span to print the `file:line:column` header.
            let line = self.text.line_of(start);
            let last = self
                .text
                .line_of(end.saturating_sub(usize::from(!span.is_empty())));
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                &text.as_bytes()[start..end],
                *span,
                line,
                start - self.text.line_start(line),
                last - line + 1,
            )));
        }
        let first_line = self
            .text
            .line_of(start)
            .saturating_sub(context_lines_before);
        // miette ends the span on the line of its last byte, or on the next line when that byte
        // is a line break (a lone `\r` is not one here: protoc does not treat it as one either).
        let last_byte = end.saturating_sub(1);
        let span_end_line = match text.as_bytes().get(last_byte..) {
            Some([b'\r', b'\n', ..]) => self.text.line_of(last_byte + 2),
            Some([b'\n', ..]) => self.text.line_of(last_byte + 1),
            _ => self.text.line_of(last_byte),
        };
        let last_line = (span_end_line + context_lines_after).min(self.text.line_count() - 1);
        let from = self.text.line_start(first_line);
        // Like miette's own implementation, the last line keeps its line break.
        let to = self.text.line_start(last_line + 1).min(text.len());
        let to = to.max(from);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[from..to],
            SourceSpan::from(from..to),
            first_line,
            0,
            last_line - first_line + 1,
        )))
    }
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
    // Wrap at spaces: Unicode line breaking (miette's default) was the largest single cost of
    // printing googleapis' 85,000 findings, and it also splits identifiers at hyphens.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace);
    // One line index per file, then the reports in parallel: miette's layout is the cost here.
    let mut indexed: std::collections::HashMap<&str, Arc<SourceText>> =
        std::collections::HashMap::new();
    for finding in &report.findings {
        indexed.entry(finding.file.as_str()).or_insert_with(|| {
            let text = report.sources.get(&finding.file).cloned();
            Arc::new(SourceText::new(text.unwrap_or_else(|| Arc::from(""))))
        });
    }
    let rendered: Vec<String> = report
        .findings
        .par_iter()
        .map(|finding| {
            let diagnostic = FindingDiagnostic {
                finding,
                source: IndexedSource {
                    name: finding.file.clone(),
                    text: indexed[finding.file.as_str()].clone(),
                },
            };
            let mut one = String::new();
            if has_long_line(&indexed[finding.file.as_str()], finding) {
                // A snippet of a minified or generated line would print megabytes.
                one = plain_line(finding);
                if let Some(help) = &finding.help {
                    one.push_str(&format!("  help: {help}\n"));
                }
                one.push_str("  (the source line is too long to show)\n");
            } else if handler.render_report(&mut one, &diagnostic).is_err() {
                // Rendering into a String cannot fail; fall back to one plain line all the same.
                one = plain_line(finding);
            }
            one.push('\n');
            one
        })
        .collect();
    let mut out = String::with_capacity(rendered.iter().map(String::len).sum::<usize>() + 256);
    for one in rendered {
        out.push_str(&one);
    }
    out.push_str(&report.summary().sentence());
    out.push('\n');
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// Lines longer than this are not shown in snippets.
const MAX_SNIPPET_LINE: usize = 2000;

/// Whether the lines a finding's snippet would show (its span, a line either side) include one
/// longer than `MAX_SNIPPET_LINE`.
fn has_long_line(text: &SourceText, finding: &Finding) -> bool {
    let len = text.as_str().len();
    if len <= MAX_SNIPPET_LINE {
        return false;
    }
    let first = text.line_of(finding.span.start.min(len)).saturating_sub(1);
    let last =
        (text.line_of(finding.span.end.min(len)) + 1).min(text.line_count().saturating_sub(1));
    (first..=last).any(|line| {
        let start = text.line_start(line);
        let end = if line + 1 < text.line_count() {
            text.line_start(line + 1)
        } else {
            len
        };
        end.saturating_sub(start) > MAX_SNIPPET_LINE
    })
}

/// `file:line:col: RULE message`.
pub fn plain_line(f: &Finding) -> String {
    format!(
        "{}:{}:{}: {} {}\n",
        f.file, f.span.line, f.span.column, f.rule, f.message
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Probe<S: SourceCode + fmt::Debug> {
        source: S,
        span: (usize, usize),
    }

    impl<S: SourceCode + fmt::Debug> fmt::Display for Probe<S> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("probe")
        }
    }

    impl<S: SourceCode + fmt::Debug> std::error::Error for Probe<S> {}

    impl<S: SourceCode + fmt::Debug> Diagnostic for Probe<S> {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(&self.source)
        }

        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(std::iter::once(
                LabeledSpan::new_primary_with_span(Some("here".into()), self.span),
            )))
        }
    }

    impl fmt::Debug for IndexedSource {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.name)
        }
    }

    fn render_with(diagnostic: &dyn Diagnostic) -> String {
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false)
            .render_report(&mut out, diagnostic)
            .unwrap();
        out
    }

    /// The line index must render exactly what miette renders from the plain text, for every
    /// span: at line starts and ends, on empty lines, across lines, with CRLF and without a final
    /// line break.
    #[test]
    fn indexed_source_renders_like_miettes_own() {
        let texts = [
            "syntax = \"proto3\";\n\npackage a.v1;\n\nmessage M {\n  int32 x = 1;\n}\n",
            "a\r\nbb\r\n\r\nccc\r\n",
            "one\ntwo\nthree",
            "\n\n\nx\n\n",
        ];
        for text in texts {
            for start in 0..text.len() {
                for len in 0..6.min(text.len() - start + 1) {
                    // Spans never split a CRLF; miette's column there is off by one anyway.
                    let splits_crlf =
                        |at: usize| text[..at].ends_with('\r') && text[at..].starts_with('\n');
                    if splits_crlf(start) || splits_crlf(start + len) {
                        continue;
                    }
                    let ours = render_with(&Probe {
                        source: IndexedSource {
                            name: "f.proto".into(),
                            text: Arc::new(SourceText::new(text)),
                        },
                        span: (start, len),
                    });
                    let miettes = render_with(&Probe {
                        source: miette::NamedSource::new("f.proto", text.to_string()),
                        span: (start, len),
                    });
                    assert_eq!(ours, miettes, "text {text:?}, span {start}+{len}");
                }
            }
        }
    }
}
