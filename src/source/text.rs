//! Source text and the line index that turns offsets, SourceCodeInfo spans and miette offsets into
//! 1-based lines and columns.

use std::sync::Arc;

/// A position in a source file: byte offsets plus 1-based line and column (columns count Unicode
/// scalar values, as editors and miette do).
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
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in Unicode scalar values.
    pub column: usize,
    /// 1-based line of `end`.
    pub end_line: usize,
    /// 1-based column of `end`.
    pub end_column: usize,
}

/// The text of one file with the offsets of its line starts.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceText {
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText { text, line_starts }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn shared(&self) -> Arc<str> {
        self.text.clone()
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where the 0-based `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line + 1)
            .map(|next| next - 1)
            .unwrap_or(self.text.len())
    }

    /// Clamps an offset into the text and onto a char boundary.
    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line_of(offset);
        let column = self.text[self.line_starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// A span from byte offsets.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let start = self.clamp(start);
        let end = self.clamp(end.max(start));
        let (line, column) = self.line_col(start);
        let (end_line, end_column) = self.line_col(end);
        Span {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Byte offset of a 0-based line and 0-based *byte* column, as protox writes SourceCodeInfo.
    pub fn offset_of(&self, line: i32, byte_col: i32) -> usize {
        let line = usize::try_from(line).unwrap_or(0);
        let col = usize::try_from(byte_col).unwrap_or(0);
        match self.line_starts.get(line) {
            Some(&start) => self.clamp((start + col).min(self.line_end(line))),
            None => self.text.len(),
        }
    }

    /// A span from a SourceCodeInfo `span` ([line, col, end_col] or [line, col, end_line, end_col]).
    pub fn span_of_location(&self, span: &[i32]) -> Option<Span> {
        let (sl, sc, el, ec) = match *span {
            [sl, sc, ec] => (sl, sc, sl, ec),
            [sl, sc, el, ec] => (sl, sc, el, ec),
            _ => return None,
        };
        Some(self.span(self.offset_of(sl, sc), self.offset_of(el, ec)))
    }

    /// miette's `SourceOffset::from_location` (used inside prost-reflect) counts columns in chars
    /// while SourceCodeInfo counts bytes. Undo that on lines with non-ASCII text before the offset.
    pub fn fix_char_column_offset(&self, offset: usize) -> usize {
        let offset = self.clamp(offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let prefix = &self.text[start..offset];
        if prefix.is_ascii() {
            return offset;
        }
        self.clamp((start + prefix.chars().count()).min(self.line_end(line)))
    }

    /// From `offset` to the end of its line (trailing whitespace excluded).
    pub fn line_span_from(&self, offset: usize) -> Span {
        let offset = self.clamp(offset);
        let end = self.line_end(self.line_of(offset));
        let trimmed = self.text[offset..end].trim_end().len();
        self.span(offset, offset + trimmed)
    }

    /// The byte range to delete to remove the statement at `start..end`: its whole line(s) when
    /// nothing else is on them, else just the statement and the blanks after it (a trailing
    /// comment stays).
    pub fn statement_removal(&self, start: usize, end: usize) -> (usize, usize) {
        let start = self.clamp(start);
        let end = self.clamp(end.max(start));
        let line_start = self.line_starts[self.line_of(start)];
        let end_line = self.line_of(end);
        let line_end = self.line_end(end_line);
        let before = &self.text[line_start..start];
        let after = &self.text[end..line_end];
        if before.trim().is_empty() && after.trim().is_empty() {
            let next = self
                .line_starts
                .get(end_line + 1)
                .copied()
                .unwrap_or(self.text.len());
            return (line_start, next);
        }
        let blanks = after.len() - after.trim_start().len();
        (start, end + blanks)
    }

    /// The offset where a new first statement goes, given the offset of the current first one:
    /// the start of its line, above the comment lines attached to it (a header separated by a
    /// blank line stays on top).
    /// Where the first token is: past whitespace and comments (`None` when there is none).
    pub fn first_token_start(&self) -> Option<usize> {
        let text: &str = &self.text;
        let mut at = 0;
        loop {
            let rest = &text[at..];
            let trimmed = rest.trim_start();
            at += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                at += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if let Some(body) = trimmed.strip_prefix("/*") {
                at += 2 + body.find("*/").map_or(body.len(), |end| end + 2);
            } else {
                return (!trimmed.is_empty()).then_some(at);
            }
        }
    }

    pub fn insertion_point_before(&self, offset: usize) -> usize {
        let mut line = self.line_of(self.clamp(offset));
        while line > 0 {
            let prev = &self.text[self.line_starts[line - 1]..self.line_end(line - 1)];
            let t = prev.trim();
            let is_comment = t.starts_with("//")
                || t.starts_with("/*")
                || t.starts_with('*')
                || t.ends_with("*/");
            if t.is_empty() || !is_comment {
                break;
            }
            line -= 1;
        }
        self.line_starts[line]
    }

    /// The span of the first line that holds anything but whitespace, or an empty span at the start.
    /// Where a finding about the whole file goes: line 1 from column 1 (buf's location for a
    /// file-level annotation), spanning that line so that a snippet shows it.
    pub fn file_span(&self) -> Span {
        self.line_span_from(0)
    }

    pub fn first_line_span(&self) -> Span {
        for (i, &start) in self.line_starts.iter().enumerate() {
            let end = self.line_end(i);
            let line = &self.text[start..end];
            let trimmed = line.trim_end();
            if !trimmed.trim_start().is_empty() {
                let lead = trimmed.len() - trimmed.trim_start().len();
                return self.span(start + lead, start + trimmed.len());
            }
        }
        self.span(0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_lines_and_columns() {
        let t = SourceText::new("ab\ncdé f\n\nx");
        assert_eq!(t.line_col(0), (1, 1));
        assert_eq!(t.line_col(3), (2, 1));
        // 'f' is after the two-byte 'é': byte 8, char column 5
        assert_eq!(t.line_col(8), (2, 5));
        assert_eq!(t.offset_of(1, 5), 8);
        assert_eq!(t.line_col(t.offset_of(3, 0)), (4, 1));
        // past the end of a line clamps to the line end
        assert_eq!(t.offset_of(0, 99), 2);
        assert_eq!(t.offset_of(99, 0), t.as_str().len());
        let s = t.span_of_location(&[1, 0, 4]).unwrap();
        assert_eq!(
            (s.start, s.end, s.line, s.column, s.end_column),
            (3, 7, 2, 1, 4)
        );
        // A byte column inside a multi-byte char moves back onto the char boundary.
        assert_eq!(t.span_of_location(&[1, 0, 3]).unwrap().end, 5);
    }

    #[test]
    fn undoes_char_columns() {
        let t = SourceText::new("/*é*/ x");
        // miette would put byte column 7 ('x' at byte 7, char 6) at char 7 -> byte 8 (end).
        assert_eq!(t.fix_char_column_offset(8), 7);
        assert_eq!(t.fix_char_column_offset(1), 1);
    }

    #[test]
    fn statement_removal_and_insertion() {
        let t = SourceText::new(
            "syntax = \"proto3\";\nimport \"a.proto\";\nimport \"b.proto\"; // keep\n",
        );
        let a = t.as_str().find("import \"a").unwrap();
        assert_eq!(t.statement_removal(a, a + 17), (19, 37));
        let b = t.as_str().find("import \"b").unwrap();
        let (s, e) = t.statement_removal(b, b + 17);
        assert_eq!(&t.as_str()[e..], "// keep\n");
        assert_eq!(s, b);
        let t = SourceText::new("// License\n\n// About the package\npackage a;\n");
        let p = t.as_str().find("package").unwrap();
        assert_eq!(
            t.insertion_point_before(p),
            t.as_str().find("// About").unwrap()
        );
    }

    #[test]
    fn first_line_skips_blank_lines() {
        let t = SourceText::new("\n\n  syntax = \"proto3\";  \n");
        let s = t.first_line_span();
        assert_eq!((s.line, s.column), (3, 3));
        assert_eq!(&t.as_str()[s.start..s.end], "syntax = \"proto3\";");
        assert_eq!(SourceText::new("").first_line_span().start, 0);
    }
}
