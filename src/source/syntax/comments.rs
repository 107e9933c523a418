//! Which comments belong to which declaration, as protoc decides it: the trivia between two
//! tokens splits into the previous declaration's trailing comment, detached comments, and the
//! next declaration's leading comment.
//!
//! The rules (protoc's `Tokenizer::NextWithComments`, as protox-parse 0.10 applies them):
//! - A comment on the same line as the previous token, or a block comment that ends its line
//!   there, may trail that token; a blank line after the previous token stops that.
//! - Consecutive `//` lines form one comment; a blank line or a block comment ends it.
//! - The last comment before the next token leads it unless a blank line separates them or the
//!   next token closes a scope (`}`, `]`, `)`, the end of the file); the others are detached.
//! - A block comment followed by more text on the same line right after the previous token
//!   belongs to nobody, and neither does anything after it up to the next token.

use super::lex::{Kind, Token};

/// The comments of one stretch of trivia.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// Trails the token before the stretch.
    pub trailing: Option<String>,
    /// Belong to nobody (kept on the next declaration, as protoc does).
    pub detached: Vec<String>,
    /// Leads the token after the stretch.
    pub leading: Option<String>,
}

#[derive(Default)]
struct Collector {
    out: Comments,
    pending: Option<String>,
    can_trail: bool,
    pending_is_line: bool,
}

impl Collector {
    fn line(&mut self, text: String) {
        if self.pending.is_some() && !self.pending_is_line {
            self.flush();
        }
        match &mut self.pending {
            Some(p) => p.push_str(&text),
            None => self.pending = Some(text),
        }
        self.pending_is_line = true;
    }

    fn block(&mut self, text: String) {
        if self.pending.is_some() {
            self.flush();
        }
        self.pending = Some(text);
    }

    fn flush(&mut self) {
        if self.can_trail {
            self.out.trailing = self.pending.take();
            self.can_trail = false;
        } else if let Some(p) = self.pending.take() {
            self.out.detached.push(p);
        }
        self.pending_is_line = false;
    }
}

/// The comments between token `after` (`None`: the start of the file) and the next non-trivia
/// token (or the end of the file).
pub fn between(text: &str, tokens: &[Token], after: Option<usize>) -> Comments {
    let from = after.map_or(0, |a| a + 1);
    let mut items = tokens[from.min(tokens.len())..]
        .iter()
        .take_while(|t| t.kind.is_trivia())
        .filter(|t| t.kind != Kind::Whitespace)
        .peekable();
    let next = tokens.get(
        from + tokens[from.min(tokens.len())..]
            .iter()
            .take_while(|t| t.kind.is_trivia())
            .count(),
    );
    let closes = next.is_none_or(|t| matches!(t.kind, Kind::Punct(b'}' | b']' | b')')));
    let mut c = Collector {
        can_trail: after.is_some(),
        ..Collector::default()
    };
    if after.is_some() {
        match items.peek().map(|t| t.kind) {
            Some(Kind::LineComment | Kind::HashComment) => {
                let t = items.next().unwrap();
                c.line(line_text(text, t));
                c.flush();
            }
            Some(Kind::BlockComment) => {
                let t = items.next().unwrap();
                if items.peek().map(|t| t.kind) == Some(Kind::Newline) {
                    items.next();
                    c.block(block_text(text, t));
                } else {
                    return Comments::default();
                }
            }
            Some(Kind::Newline) => {
                items.next();
            }
            _ => {}
        }
    }
    while let Some(t) = items.next() {
        match t.kind {
            Kind::LineComment | Kind::HashComment => c.line(line_text(text, t)),
            Kind::BlockComment => {
                c.block(block_text(text, t));
                if items.peek().map(|t| t.kind) == Some(Kind::Newline) {
                    items.next();
                }
            }
            Kind::Newline => {
                c.flush();
                c.can_trail = false;
            }
            _ => {}
        }
    }
    if closes {
        c.flush();
    }
    c.out.leading = c.pending;
    c.out
}

/// A `//` comment's text: after the slashes, its newline included, `\r\n` as `\n`.
fn line_text(text: &str, t: &Token) -> String {
    let raw = &text[t.start as usize..t.end as usize];
    let body = raw
        .strip_prefix("//")
        .or_else(|| raw.strip_prefix('#'))
        .unwrap_or(raw);
    crlf_to_lf(body)
}

fn crlf_to_lf(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n")
    } else {
        s.to_owned()
    }
}

/// A block comment's text: between `/*` and `*/`; after each newline the blanks (and blank
/// lines) are dropped, and one `*` that starts the line.
fn block_text(text: &str, t: &Token) -> String {
    let raw = &text[t.start as usize + 2..t.end as usize];
    let body = match raw
        .trim_end_matches([' ', '\t', '\r', '\x0b', '\x0c'])
        .strip_suffix("*/")
    {
        Some(b) => b,
        None => raw,
    };
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(nl) = rest.find('\n') {
        out.push_str(&rest[..nl]);
        out.push('\n');
        rest = rest[nl + 1..].trim_start();
        if rest.starts_with('*') && !rest.starts_with("*/") {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    if out.contains('\r') {
        out = out.replace("\r\n", "\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    /// The comments after the first `;` of `text`.
    fn after_first(text: &str) -> Comments {
        let (tokens, _) = lex(text);
        let first = tokens
            .iter()
            .position(|t| t.kind == Kind::Punct(b';'))
            .unwrap();
        between(text, &tokens, Some(first))
    }

    #[test]
    fn trailing_detached_and_leading() {
        let c = after_first("a; // t\n// d1\n\n// l1\n// l2\nb");
        assert_eq!(c.trailing.as_deref(), Some(" t\n"));
        assert_eq!(c.detached, vec![" d1\n"]);
        assert_eq!(c.leading.as_deref(), Some(" l1\n l2\n"));
    }

    #[test]
    fn a_blank_line_stops_trailing_and_closers_take_no_leading() {
        let c = after_first("a;\n\n// x\n}");
        assert_eq!(
            c,
            Comments {
                detached: vec![" x\n".into()],
                ..Comments::default()
            }
        );
        let c = after_first("a;\n// x\n}");
        assert_eq!(c.trailing.as_deref(), Some(" x\n"));
    }

    #[test]
    fn block_comments() {
        let c = after_first("a; /* t */\n/* one\n   * two\n\n   three */\nb");
        assert_eq!(c.trailing.as_deref(), Some(" t "));
        assert_eq!(c.leading.as_deref(), Some(" one\n two\nthree "));
        // A block comment with code after it on the same line belongs to nobody.
        assert_eq!(after_first("a; /* x */ b"), Comments::default());
        let (tokens, _) = lex("// file\n\n// syntax\nsyntax");
        let c = between("// file\n\n// syntax\nsyntax", &tokens, None);
        assert_eq!(c.detached, vec![" file\n"]);
        assert_eq!(c.leading.as_deref(), Some(" syntax\n"));
        assert_eq!(c.trailing, None);
    }
}
