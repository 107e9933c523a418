//! JUnit XML, for CI systems that read test reports (GitLab, Jenkins, Azure Pipelines...): one
//! test case per file checked (or named by a finding), passed when clean, with one `<failure>`
//! per finding, warnings included. Readers that show only a test case's first failure still show
//! all of them in its `<system-out>`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::{Finding, Report};

/// Text for an XML attribute or element: escaped, and characters XML 1.0 cannot carry at all
/// (control characters other than tab and line breaks) replaced.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `path:line:col: severity RULE: message`.
fn one_line(f: &Finding) -> String {
    format!(
        "{}:{}:{}: {} {}: {}",
        f.file,
        f.span.line,
        f.span.column,
        f.severity.as_str(),
        f.rule,
        f.message
    )
}

pub fn render(report: &Report) -> String {
    // Every file checked, and any other a finding names (a deleted file, the config), in path
    // order.
    let mut cases: BTreeMap<&str, Vec<&Finding>> = report
        .checked
        .iter()
        .map(|path| (path.as_str(), Vec::new()))
        .collect();
    for f in &report.findings {
        cases.entry(f.file.as_str()).or_default().push(f);
    }
    let failed = cases.values().filter(|v| !v.is_empty()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\"",
        cases.len()
    );
    let _ = writeln!(out, "<testsuites name=\"protoforge\" {counts}>");
    let _ = writeln!(out, "  <testsuite name=\"protoforge\" {counts}>");
    for (file, findings) in &cases {
        let name = if file.is_empty() { "(run)" } else { file };
        let name = escape(name);
        let _ = write!(
            out,
            "    <testcase name=\"{name}\" classname=\"protoforge\" file=\"{name}\""
        );
        if findings.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for f in findings {
            let mut body = format!(
                "{}:{}:{} to {}:{}\n{}",
                f.file, f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.message
            );
            if let Some(help) = &f.help {
                let _ = write!(body, "\nhelp: {help}");
            }
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                escape(f.rule),
                escape(&one_line(f)),
                escape(&body)
            );
        }
        let all: Vec<String> = findings.iter().map(|f| one_line(f)).collect();
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape(&all.join("\n"))
        );
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_xml_cannot_hold() {
        assert_eq!(
            super::escape("a<b>&\"c\"'\u{1}\tz"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;\u{FFFD}\tz"
        );
    }
}
