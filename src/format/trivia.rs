//! Which comments belong to which token, as buf's formatter sees them.
//!
//! Every comment leads the next significant token, except the ones on the line of the token
//! before it: those trail that token when a newline follows them, or when that token ends a
//! declaration (`;`, a body's `}`, a `,` between option or list elements) and the next one
//! follows on the same line. A block comment between a `;` and the `}` (or the end of the file)
//! right after it on the same line leads that `}`. Whitespace is kept as the text between an
//! item (a token or a comment) and the one before it, so blank lines can be counted.

use crate::source::syntax::lex::{Kind, Token};

/// One comment: its raw text (`//` comments without their newline) and the whitespace before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Comment {
    pub start: u32,
    pub end: u32,
    /// Where the whitespace before the comment starts (the end of the item before it).
    pub ws_start: u32,
    pub block: bool,
}

/// The comments around one significant token.
#[derive(Debug, Clone, Default)]
pub(super) struct TokInfo {
    pub leading: Vec<Comment>,
    pub trailing: Vec<Comment>,
    /// Where the whitespace right before the token starts.
    pub ws_start: u32,
}

/// The significant tokens of a file and their comments; `info` has one more entry than `sig`:
/// the end of the file, whose leading comments are the file's last ones.
pub(super) struct Trivia {
    pub sig: Vec<Token>,
    pub info: Vec<TokInfo>,
}

#[derive(Default)]
struct Attributor<'t> {
    text: &'t str,
    sig: Vec<Token>,
    info: Vec<TokInfo>,
    /// Comments since the last significant token, each with whether it is on that token's line.
    pending: Vec<(Comment, bool)>,
    /// A newline (outside comments) since the last significant token.
    newline: bool,
    prev_end: u32,
    /// Open brackets: the bracket and whether it opens a value (`= {`).
    stack: Vec<(u8, bool)>,
    /// Whether the last significant token is a `,` that separates option or list elements.
    prev_element_comma: bool,
}

impl<'t> Attributor<'t> {
    fn comment(&mut self, start: u32, end: u32, block: bool) {
        let c = Comment {
            start,
            end,
            ws_start: self.prev_end,
            block,
        };
        self.pending.push((c, !self.newline));
        self.prev_end = end;
    }

    fn prev_text(&self) -> Option<&'t str> {
        let text = self.text;
        self.sig
            .last()
            .map(|t| &text[t.start as usize..t.end as usize])
    }

    fn token(&mut self, token: Option<Token>) {
        let pending = std::mem::take(&mut self.pending);
        let newline = std::mem::take(&mut self.newline);
        let text = self.text;
        let next = token.map(|t| &text[t.start as usize..t.end as usize]);
        let prev = self.prev_text();
        let ends_declaration = match prev {
            Some(";") => true,
            Some("}") => next != Some(";"),
            Some(",") => self.prev_element_comma,
            _ => false,
        };
        let on_line = pending.iter().take_while(|(_, same)| *same).count();
        let mut take = if prev.is_some() && (newline || ends_declaration) {
            on_line
        } else {
            0
        };
        let closes = next.is_none_or(|n| matches!(n, "}" | "]" | ")" | ">"));
        if !newline && prev == Some(";") && closes && pending[..take].iter().any(|(c, _)| c.block) {
            take = 0;
        }
        let mut comments: Vec<Comment> = pending.into_iter().map(|(c, _)| c).collect();
        let leading = comments.split_off(take);
        if let Some(prev) = self.info.last_mut() {
            prev.trailing.extend(comments);
        }
        self.info.push(TokInfo {
            leading,
            trailing: Vec::new(),
            ws_start: self.prev_end,
        });
        let Some(t) = token else { return };
        let text = next.unwrap_or_default();
        match text {
            "{" | "[" | "(" | "<" => {
                let value = prev == Some("=");
                self.stack.push((text.as_bytes()[0], value));
            }
            "}" | "]" | ")" | ">" => {
                self.stack.pop();
            }
            _ => {}
        }
        self.prev_element_comma = text == ","
            && self
                .stack
                .last()
                .is_some_and(|&(b, value)| b == b'[' || (b == b'{' && value));
        self.sig.push(t);
        self.prev_end = t.end;
    }
}

/// Attributes the comments of `tokens` (a lexed `text`) to its significant tokens.
pub(super) fn attribute(text: &str, tokens: &[Token]) -> Trivia {
    let mut a = Attributor {
        text,
        ..Attributor::default()
    };
    for t in tokens {
        match t.kind {
            Kind::Newline => a.newline = true,
            Kind::Whitespace => {}
            Kind::LineComment | Kind::HashComment => {
                let ends_line = text.as_bytes()[t.end as usize - 1] == b'\n';
                let end = if ends_line { t.end - 1 } else { t.end };
                a.comment(t.start, end, false);
                // A line comment ends its line, with or without a newline (at the end of the file).
                a.newline = true;
            }
            Kind::BlockComment => {
                let body = &text[t.start as usize..t.end as usize];
                let end = body[2..].find("*/").map_or(body.len(), |i| i + 4);
                a.comment(t.start, t.start + end as u32, true);
            }
            _ => a.token(Some(*t)),
        }
    }
    a.token(None);
    Trivia {
        sig: a.sig,
        info: a.info,
    }
}
