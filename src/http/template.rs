//! The HttpRule path template grammar (google/api/http.proto):
//!
//! ```text
//! Template = "/" Segments [ Verb ] ;
//! Segments = Segment { "/" Segment } ;
//! Segment  = "*" | "**" | LITERAL | Variable ;
//! Variable = "{" FieldPath [ "=" Segments ] "}" ;
//! FieldPath = IDENT { "." IDENT } ;
//! Verb     = ":" LITERAL ;
//! ```
//!
//! `{id}` is `{id=*}`. Variables do not nest. http.proto says `**` must be the last segment, but
//! Google's own APIs put it in the middle (Firestore's
//! `/v1/{parent=projects/*/databases/*/documents/**}/{collection_id}`) and their proxies serve
//! that, so one `**` is accepted anywhere; it takes whatever the segments around it leave.

use std::fmt;

/// One segment of the flattened pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    /// `*`: exactly one segment.
    Star,
    /// `**`: the rest of the path (zero or more segments).
    StarStar,
}

/// A variable: the field it sets and the pattern segments it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// `book.name` -> `["book", "name"]`
    pub field_path: Vec<String>,
    /// `segments[start..end]` of the template.
    pub start: usize,
    pub end: usize,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub segments: Vec<Segment>,
    pub variables: Vec<Variable>,
    pub verb: Option<String>,
}

/// Why a template does not parse, with the byte offset of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for TemplateError {}

/// A successful match: each variable's field path and its percent-decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub bindings: Vec<(Vec<String>, String)>,
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Characters a literal may hold (RFC 3986 unreserved, sub-delims other than the grammar's own,
/// and percent escapes).
fn is_literal(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~!$&'()+,;@%".contains(&c)
}

impl<'a> Parser<'a> {
    fn error<T>(&self, message: impl Into<String>) -> Result<T, TemplateError> {
        Err(TemplateError {
            message: message.into(),
            offset: self.pos,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self) -> Result<String, TemplateError> {
        let start = self.pos;
        while self.peek().is_some_and(is_literal) {
            self.pos += 1;
        }
        if self.pos == start {
            return match self.peek() {
                None => self.error("expected a path segment, found the end"),
                Some(c) => self.error(format!("unexpected `{}`", c as char)),
            };
        }
        Ok(self.text[start..self.pos].to_owned())
    }

    fn segments(&mut self, out: &mut Template, in_variable: bool) -> Result<(), TemplateError> {
        loop {
            self.segment(out, in_variable)?;
            if !self.eat(b'/') {
                return Ok(());
            }
        }
    }

    fn segment(&mut self, out: &mut Template, in_variable: bool) -> Result<(), TemplateError> {
        match self.peek() {
            Some(b'*') => {
                self.pos += 1;
                if self.eat(b'*') {
                    if out.segments.contains(&Segment::StarStar) {
                        return self.error("a template can have only one `**`");
                    }
                    out.segments.push(Segment::StarStar);
                } else {
                    out.segments.push(Segment::Star);
                }
                Ok(())
            }
            Some(b'{') => {
                if in_variable {
                    return self.error("variables cannot nest");
                }
                self.pos += 1;
                let mut field_path = Vec::new();
                loop {
                    let start = self.pos;
                    if !self.peek().is_some_and(is_ident_start) {
                        return self.error("expected a field name");
                    }
                    while self.peek().is_some_and(is_ident) {
                        self.pos += 1;
                    }
                    field_path.push(self.text[start..self.pos].to_owned());
                    if !self.eat(b'.') {
                        break;
                    }
                }
                let start = out.segments.len();
                if self.eat(b'=') {
                    self.segments(out, true)?;
                } else {
                    out.segments.push(Segment::Star);
                }
                if !self.eat(b'}') {
                    return self.error("expected `}`");
                }
                if out.variables.iter().any(|v| v.field_path == field_path) {
                    return Err(TemplateError {
                        message: format!("field `{}` is bound twice", field_path.join(".")),
                        offset: self.pos,
                    });
                }
                out.variables.push(Variable {
                    field_path,
                    start,
                    end: out.segments.len(),
                });
                Ok(())
            }
            _ => {
                let literal = self.literal()?;
                out.segments.push(Segment::Literal(literal));
                Ok(())
            }
        }
    }
}

impl Template {
    /// Parses a template such as `/v1/{name=shelves/*/books/*}:archive`.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parser = Parser { text, pos: 0 };
        if !parser.eat(b'/') {
            return parser.error("a path template starts with `/`");
        }
        let mut out = Template {
            segments: Vec::new(),
            variables: Vec::new(),
            verb: None,
        };
        // `/` alone: the root.
        if parser.peek().is_some() && parser.peek() != Some(b':') {
            parser.segments(&mut out, false)?;
        }
        if parser.eat(b':') {
            out.verb = Some(parser.literal()?);
        }
        if parser.peek().is_some() {
            return parser.error(format!(
                "unexpected `{}`",
                parser.text[parser.pos..].chars().next().unwrap_or('?')
            ));
        }
        Ok(out)
    }

    /// Matches a request path (as sent: percent-encoded, without the query).
    pub fn matches(&self, path: &str) -> Option<Match> {
        let path = path.strip_prefix('/')?;
        let path = match &self.verb {
            Some(verb) => path.strip_suffix(verb.as_str())?.strip_suffix(':')?,
            None => path,
        };
        let parts: Vec<&str> = if path.is_empty() {
            Vec::new()
        } else {
            path.split('/').collect()
        };
        // Where each template segment's match starts in `parts`. A `**` takes the parts the
        // segments before and after it leave (zero or more).
        let m = self.segments.len();
        let n = parts.len();
        let star_star = self.segments.iter().position(|s| *s == Segment::StarStar);
        let width = match star_star {
            Some(_) => n.checked_sub(m - 1)?,
            None if n == m => 0,
            None => return None,
        };
        let start_of = |i: usize| match star_star {
            Some(k) if i > k => i + width - 1,
            _ => i,
        };
        let mut starts = Vec::with_capacity(m + 1);
        for (i, segment) in self.segments.iter().enumerate() {
            let at = start_of(i);
            starts.push(at);
            match segment {
                Segment::Literal(literal) => {
                    if parts.get(at) != Some(&literal.as_str()) {
                        return None;
                    }
                }
                Segment::Star => {
                    if parts.get(at).is_none_or(|p| p.is_empty()) {
                        return None;
                    }
                }
                Segment::StarStar => {}
            }
        }
        starts.push(n);
        let mut bindings = Vec::with_capacity(self.variables.len());
        for variable in &self.variables {
            let raw = &parts[starts[variable.start]..starts[variable.end]];
            let single = variable.end - variable.start == 1
                && self.segments[variable.start] == Segment::Star;
            let value = if single {
                percent_decode(raw.first().copied().unwrap_or_default(), true)?
            } else {
                // Multi-segment values keep `/` (and an encoded `%2F`) as sent.
                let decoded: Option<Vec<String>> =
                    raw.iter().map(|p| percent_decode(p, false)).collect();
                decoded?.join("/")
            };
            bindings.push((variable.field_path.clone(), value));
        }
        Some(Match { bindings })
    }

    /// Literal segments first: how specific the template is, for ordering routes.
    pub fn literal_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }
}

/// Percent-decodes `text`; `None` for a bad escape or bytes that are not UTF-8. With
/// `slashes == false`, `%2F` stays encoded.
fn percent_decode(text: &str, slashes: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            if value == b'/' && !slashes {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(value);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bindings(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        let t = Template::parse(template).unwrap();
        t.matches(path).map(|m| {
            m.bindings
                .into_iter()
                .map(|(f, v)| (f.join("."), v))
                .collect()
        })
    }

    #[test]
    fn parses_the_grammar() {
        let t = Template::parse("/v1/{name=shelves/*/books/*}:archive").unwrap();
        assert_eq!(t.verb.as_deref(), Some("archive"));
        assert_eq!(t.segments.len(), 5);
        assert_eq!(t.variables[0].field_path, ["name"]);
        assert_eq!((t.variables[0].start, t.variables[0].end), (1, 5));
        assert!(Template::parse("/").unwrap().segments.is_empty());
        assert!(Template::parse("/v1/{book.name}/x/**").is_ok());
        for (bad, why) in [
            ("v1/x", "starts with `/`"),
            ("/v1/**/x/**", "only one `**`"),
            ("/v1/{a={b}}", "cannot nest"),
            ("/v1/{}", "expected a field name"),
            ("/v1/{a", "expected `}`"),
            ("/v1//x", "unexpected `/`"),
            ("/v1/{a}/{a}", "bound twice"),
            ("/v1/x:", "found the end"),
            ("/v1/{1a}", "expected a field name"),
            ("/v1/x y", "unexpected ` `"),
        ] {
            let err = Template::parse(bad).unwrap_err();
            assert!(err.message.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn matches_paths() {
        assert_eq!(
            bindings("/v1/products/{id}", "/v1/products/p-1"),
            Some(vec![("id".into(), "p-1".into())])
        );
        assert_eq!(bindings("/v1/products/{id}", "/v1/products/"), None);
        assert_eq!(bindings("/v1/products/{id}", "/v1/products/a/b"), None);
        assert_eq!(
            bindings(
                "/v1/{name=shelves/*/books/*}",
                "/v1/shelves/s1/books/b%20two"
            ),
            Some(vec![("name".into(), "shelves/s1/books/b two".into())])
        );
        assert_eq!(
            bindings("/v1/{name=shelves/*/books/*}", "/v1/shelves/s1/x/b"),
            None
        );
        assert_eq!(
            bindings("/v1/products/{id}:archive", "/v1/products/p%2F1:archive"),
            Some(vec![("id".into(), "p/1".into())])
        );
        assert_eq!(
            bindings("/v1/products/{id}:archive", "/v1/products/p1"),
            None
        );
        assert_eq!(
            bindings("/files/{path=**}", "/files/a/b%2Fc/d"),
            Some(vec![("path".into(), "a/b%2Fc/d".into())])
        );
        assert_eq!(
            bindings("/v1/{book.name}", "/v1/x"),
            Some(vec![("book.name".into(), "x".into())])
        );
        assert_eq!(bindings("/v1/{id}", "/v1/%ZZ"), None);
        assert_eq!(bindings("/", "/"), Some(vec![]));
        // `**` in the middle, as Firestore has it.
        let firestore = "/v1/{parent=projects/*/databases/*/documents/**}/{collection_id}";
        assert_eq!(
            bindings(
                firestore,
                "/v1/projects/p/databases/d/documents/a/b/c/things"
            ),
            Some(vec![
                (
                    "parent".into(),
                    "projects/p/databases/d/documents/a/b/c".into()
                ),
                ("collection_id".into(), "things".into())
            ])
        );
        assert_eq!(
            bindings(firestore, "/v1/projects/p/databases/d/documents/things"),
            Some(vec![
                ("parent".into(), "projects/p/databases/d/documents".into()),
                ("collection_id".into(), "things".into())
            ])
        );
        assert_eq!(bindings(firestore, "/v1/projects/p/databases/d"), None);
    }
}
