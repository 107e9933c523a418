//! Which comments belong to which token, as buf's formatter sees them.
//!
//! Every comment leads the next significant token, except one: the first comment after a token
//! trails that token when it starts on the token's line, the next token is on a later line (or
//! is the end of the file), and it is a line comment, or is followed by another comment, or a
//! newline follows it before the next token. Whitespace is kept as the text between an item (a
//! token or a comment) and the one before it, so blank lines can be counted.

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
struct Attributor {
    sig: Vec<Token>,
    info: Vec<TokInfo>,
    pending: Vec<Comment>,
    donate: u32,
    line: usize,
    prev_line: Option<usize>,
    prev_end: u32,
}

impl Attributor {
    fn newline(&mut self, count: usize) {
        self.line += count;
        if self.pending.first().is_some_and(|c| c.block) && self.donate > 0 {
            self.donate += count as u32;
        }
    }

    fn comment(&mut self, start: u32, end: u32, block: bool) {
        if self.pending.is_empty() && self.prev_line == Some(self.line) {
            self.donate += 1;
        }
        self.pending.push(Comment {
            start,
            end,
            ws_start: self.prev_end,
            block,
        });
        self.prev_end = end;
    }

    fn token(&mut self, token: Option<Token>) {
        let mut comments = std::mem::take(&mut self.pending);
        let donate = std::mem::take(&mut self.donate);
        if let Some(prev_line) = self.prev_line
            && !comments.is_empty()
        {
            let mut cur = self.line;
            if cur == prev_line && token.is_none() {
                cur += 1;
            }
            if cur > prev_line
                && donate > 0
                && (!comments[0].block || comments.len() > 1 || donate > 1)
            {
                let c = comments.remove(0);
                if let Some(prev) = self.info.last_mut() {
                    prev.trailing.push(c);
                }
            }
        }
        self.info.push(TokInfo {
            leading: comments,
            trailing: Vec::new(),
            ws_start: self.prev_end,
        });
        if let Some(t) = token {
            self.sig.push(t);
            self.prev_line = Some(self.line);
            self.prev_end = t.end;
        }
    }
}

/// Attributes the comments of `tokens` (a lexed `text`) to its significant tokens.
pub(super) fn attribute(text: &str, tokens: &[Token]) -> Trivia {
    let bytes = text.as_bytes();
    let mut a = Attributor::default();
    for t in tokens {
        match t.kind {
            Kind::Newline => a.newline(1),
            Kind::Whitespace => {}
            Kind::LineComment | Kind::HashComment => {
                let ends_line = bytes[t.end as usize - 1] == b'\n';
                let end = if ends_line { t.end - 1 } else { t.end };
                a.comment(t.start, end, false);
                if ends_line {
                    a.newline(1);
                }
            }
            Kind::BlockComment => {
                let body = &text[t.start as usize..t.end as usize];
                let end = body[2..].find("*/").map_or(body.len(), |i| i + 4);
                let inside = body[..end].bytes().filter(|&b| b == b'\n').count();
                // Newlines inside a comment count for the first comment only once it is pending.
                if a.pending.first().is_some_and(|c| c.block) && a.donate > 0 {
                    a.donate += inside as u32;
                }
                a.comment(t.start, t.start + end as u32, true);
                a.line += inside;
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
