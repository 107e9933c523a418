//! Inline suppression: `// protoforge:ignore RULE_ID reason` (or buf's `// buf:lint:ignore RULE_ID`)
//! in an element's leading or trailing comment suppresses that rule for the element and
//! everything inside it. On the `syntax` or `package` statement it covers the whole file.

use crate::source::locate::CompactInfo;

use crate::source::locate::path;
use crate::source::text::SourceText;

const PREFIXES: &[&str] = &["protoforge:ignore", "buf:lint:ignore"];

/// One suppression: a rule and the byte range it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub rule: String,
    pub start: usize,
    pub end: usize,
}

/// The rule IDs named by suppression directives in a comment.
pub fn directives(comment: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in comment.lines() {
        let line = line.trim().trim_start_matches('*').trim();
        for prefix in PREFIXES {
            if let Some(rule) = line
                .strip_prefix(prefix)
                .and_then(|rest| rest.split_whitespace().next())
            {
                out.push(rule.to_owned());
            }
        }
    }
    out
}

/// Whether a comment line is a suppression directive (not documentation).
pub fn is_directive(line: &str) -> bool {
    let line = line.trim();
    PREFIXES.iter().any(|p| line.starts_with(p))
}

/// Every suppression in a file.
pub fn collect(info: &CompactInfo, text: &SourceText) -> Vec<Suppression> {
    let mut out = Vec::new();
    for location in info.iter() {
        let rules: Vec<String> = [location.leading_comments, location.trailing_comments]
            .into_iter()
            .flatten()
            .flat_map(directives)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let whole_file = matches!(location.path, [path::FILE_SYNTAX] | [path::FILE_PACKAGE]);
        let (start, end) = if whole_file {
            (0, text.as_str().len())
        } else {
            match text.span_of_location(&location.span) {
                Some(span) => (span.start, span.end),
                None => continue,
            }
        };
        for rule in rules {
            out.push(Suppression { rule, start, end });
        }
    }
    out
}

/// Whether `rule` is suppressed at byte `offset`.
pub fn is_suppressed(suppressions: &[Suppression], rule: &str, offset: usize) -> bool {
    suppressions
        .iter()
        .any(|s| s.rule == rule && s.start <= offset && offset <= s.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives() {
        assert_eq!(
            directives(" protoforge:ignore FIELD_LOWER_SNAKE_CASE legacy wire name\n other\n"),
            vec!["FIELD_LOWER_SNAKE_CASE"]
        );
        assert_eq!(
            directives(" buf:lint:ignore IMPORT_USED"),
            vec!["IMPORT_USED"]
        );
        assert!(directives(" just a comment").is_empty());
        assert!(is_directive(" buf:lint:ignore X"));
    }

    #[test]
    fn cascades_to_children() {
        let src = "syntax = \"proto3\";\npackage a.v1;\n// protoforge:ignore FIELD_LOWER_SNAKE_CASE\nmessage M {\n  string badName = 1;\n}\nmessage N { string otherBad = 1; }\n";
        let proto = crate::source::syntax::parse("a.proto", src).unwrap();
        let text = SourceText::new(src);
        let s = collect(
            &CompactInfo::new(proto.source_code_info.as_ref().unwrap()),
            &text,
        );
        let inner = src.find("badName").unwrap();
        let outer = src.find("otherBad").unwrap();
        assert!(is_suppressed(&s, "FIELD_LOWER_SNAKE_CASE", inner));
        assert!(!is_suppressed(&s, "FIELD_LOWER_SNAKE_CASE", outer));
        assert!(!is_suppressed(&s, "IMPORT_USED", inner));
    }
}
