//! The writer and its primitives: how one token is written with its comments, at the start of
//! a line, inline, or at the end of a line or a body. Indentation follows the brackets written:
//! a line that opens more than it closes indents the next one.

use super::trivia::{Comment, TokInfo, Trivia};
use crate::source::syntax::lex::{Kind, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prev {
    Nothing,
    OpenBrace,
    Other,
}

/// How a body's closing token is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Close {
    /// Ends its line (`}` of a message).
    Line,
    /// More may follow on its line (`]` of options, `}` of a value).
    Inline,
}

/// How a body's opening token is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Open {
    /// Its leading comments inline before it.
    Prefix,
    /// At the start of its own line (a message value in a list).
    OwnLine,
}

pub(super) struct Printer<'a> {
    pub text: &'a str,
    pub sig: Vec<Token>,
    pub info: Vec<TokInfo>,
    pub out: String,
    indent: usize,
    last: char,
    pending_space: bool,
    pending_indent: i32,
    inline: bool,
    pub prev: Prev,
    /// The next token a declaration writer takes.
    pub cur: usize,
    /// A value the printer cannot read as text format (the file is then not formatted).
    pub unreadable: Option<(usize, &'static str)>,
    /// Which `;` tokens have been written (or dropped as empty statements, comments kept).
    pub seen_semi: Vec<bool>,
    /// Whether a `//` comment trailing a token in the middle of a line becomes `/* */` (in
    /// names, option values and a lone compact option, as buf does) or stays `//` and breaks
    /// the line (everywhere else). Set through `with_line_to_block`.
    line_to_block: bool,
    /// A `//` comment was written in the middle of a line: what follows starts the next line.
    line_broken: bool,
}

fn newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

impl<'a> Printer<'a> {
    pub fn new(text: &'a str, trivia: Trivia) -> Self {
        Printer {
            text,
            sig: trivia.sig,
            info: trivia.info,
            out: String::with_capacity(text.len() + text.len() / 8),
            indent: 0,
            last: '\0',
            pending_space: false,
            pending_indent: 0,
            inline: false,
            prev: Prev::Nothing,
            cur: 0,
            unreadable: None,
            seen_semi: Vec::new(),
            line_to_block: false,
            line_broken: false,
        }
    }

    /// Runs `f` with `line_to_block` set to `on`.
    pub fn with_line_to_block<R>(&mut self, on: bool, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = std::mem::replace(&mut self.line_to_block, on);
        let r = f(self);
        self.line_to_block = saved;
        r
    }

    // ---- tokens ----

    pub fn tok_text(&self, t: usize) -> &'a str {
        let tok = self.sig[t];
        &self.text[tok.start as usize..tok.end as usize]
    }

    pub fn is(&self, t: usize, s: &str) -> bool {
        t < self.sig.len() && self.tok_text(t) == s
    }

    pub fn is_str(&self, t: usize) -> bool {
        t < self.sig.len() && self.sig[t].kind == Kind::Str
    }

    /// The significant token starting at byte `offset`.
    pub fn tok_at(&self, offset: u32) -> usize {
        self.sig.partition_point(|t| t.start < offset)
    }

    /// Takes the next token.
    pub fn next(&mut self) -> usize {
        let t = self.cur;
        self.cur += 1;
        t
    }

    /// The `}` (or `]`, `)`, `>`) closing the bracket `open`.
    pub fn matching(&self, open: usize) -> usize {
        let (o, c) = match self.tok_text(open) {
            "[" => ("[", "]"),
            "(" => ("(", ")"),
            "<" => ("<", ">"),
            _ => ("{", "}"),
        };
        let mut depth = 0usize;
        for t in open..self.sig.len() {
            let s = self.tok_text(t);
            if s == o {
                depth += 1;
            } else if s == c {
                depth -= 1;
                if depth == 0 {
                    return t;
                }
            }
        }
        self.sig.len() - 1
    }

    fn leading(&self, t: usize) -> Vec<Comment> {
        self.info[t].leading.clone()
    }

    pub fn has_leading(&self, t: usize) -> bool {
        !self.info[t].leading.is_empty()
    }

    pub fn has_trailing(&self, t: usize) -> bool {
        !self.info[t].trailing.is_empty()
    }

    fn trailing(&self, t: usize) -> Vec<Comment> {
        self.info[t].trailing.clone()
    }

    fn lead_ws(&self, t: usize) -> &'a str {
        let start = self.info[t].ws_start as usize;
        let end = self
            .sig
            .get(t)
            .map_or(self.text.len(), |tok| tok.start as usize);
        &self.text[start..end]
    }

    fn comment_ws(&self, c: &Comment) -> &'a str {
        &self.text[c.ws_start as usize..c.start as usize]
    }

    fn raw(&self, c: &Comment) -> &'a str {
        &self.text[c.start as usize..c.end as usize]
    }

    /// Whether a blank line comes before `t` or before one of its leading comments.
    pub fn leading_has_blank(&self, t: usize) -> bool {
        self.info[t]
            .leading
            .iter()
            .any(|c| newlines(self.comment_ws(c)) > 1)
            || newlines(self.lead_ws(t)) > 1
    }

    /// Whether a newline comes before `t` (or before its first leading comment).
    pub fn starts_line(&self, t: usize) -> bool {
        match self.info[t].leading.first() {
            Some(c) => self.comment_ws(c).contains('\n'),
            None => self.lead_ws(t).contains('\n'),
        }
    }

    /// Whether the source has an empty (or blank) line between tokens `a` and `b`.
    pub fn blank_line_between(&self, a: usize, b: usize) -> bool {
        let between = &self.text[self.sig[a].end as usize..self.sig[b].start as usize];
        let mut after_newline = false;
        for c in between.bytes() {
            match c {
                b'\n' if after_newline => return true,
                b'\n' => after_newline = true,
                b' ' | b'\t' => {}
                _ => after_newline = false,
            }
        }
        false
    }

    /// Whether a blank line separates `t` (or its first leading comment) from what is before.
    pub fn blank_before(&self, t: usize) -> bool {
        match self.info[t].leading.first() {
            Some(c) => newlines(self.comment_ws(c)) > 1,
            None => newlines(self.lead_ws(t)) > 1,
        }
    }

    /// Takes from `t`'s leading comments the ones before the last blank line (detached from it)
    /// and returns them.
    pub fn split_detached(&mut self, t: usize) -> Vec<Comment> {
        let leading = &self.info[t].leading;
        let keep_from = if newlines(self.lead_ws(t)) > 1 {
            leading.len()
        } else {
            (1..leading.len())
                .rev()
                .find(|&i| newlines(self.comment_ws(&leading[i])) > 1)
                .unwrap_or(0)
        };
        let info = &mut self.info[t];
        let attached = info.leading.split_off(keep_from);
        std::mem::replace(&mut info.leading, attached)
    }

    /// Whether any of `nodes` (first and last token of each) has a comment inside the sequence:
    /// a leading comment on any but the first, a trailing one on any but the last.
    pub fn interior(&self, nodes: &[(usize, usize)]) -> bool {
        nodes.iter().enumerate().any(|(i, &(first, last))| {
            (i > 0 && self.has_leading(first)) || (i + 1 < nodes.len() && self.has_trailing(last))
        })
    }

    /// Gives `to` the trailing comments of `from` when `to` has none (a dropped separator's).
    pub fn move_trailing(&mut self, from: usize, to: usize) {
        if self.has_trailing(from) && !self.has_trailing(to) {
            self.info[to].trailing = std::mem::take(&mut self.info[from].trailing);
        }
    }

    // ---- output ----

    /// Ends a line (after writing `elem`, indented, when it is not blank).
    pub fn p(&mut self, elem: &str) {
        if !elem.trim().is_empty() {
            self.indent_for(false);
            self.write(elem);
        }
        self.write("\n");
        if self.pending_indent > 0 {
            self.indent += 1;
        } else if self.pending_indent < 0 {
            self.indent = self.indent.saturating_sub(1);
        }
        self.pending_indent = 0;
    }

    /// A space now, whatever comes next (unless one was just written).
    pub fn write_space(&mut self) {
        if self.last != ' ' {
            self.pending_space = false;
            self.out.push(' ');
            self.last = ' ';
        }
    }

    /// Whether `t`'s first leading comment has whitespace before it in the source.
    pub fn leading_ws_before_comment(&self, t: usize) -> bool {
        self.info[t]
            .leading
            .first()
            .is_some_and(|c| !self.comment_ws(c).is_empty())
    }

    pub fn space(&mut self) {
        self.pending_space = true;
    }

    pub fn indent_in(&mut self) {
        self.indent += 1;
    }

    pub fn indent_out(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }

    pub fn last(&self) -> char {
        self.last
    }

    /// Indents when at the start of a line; a closing bracket one level less.
    pub fn indent_for(&mut self, closing: bool) {
        if self.last != '\n' {
            return;
        }
        let mut n = self.indent;
        if closing && n > 0 {
            n -= 1;
        }
        let s = "  ".repeat(n);
        self.write(&s);
    }

    /// After a `//` comment in the middle of a line, the statement goes on on the next line,
    /// one level in per bracket opened on the line (one out per bracket closed).
    fn break_after_line_comment(&mut self, elem: &str) {
        if std::mem::take(&mut self.line_broken) && !elem.starts_with('\n') {
            let n = (self.indent as i32 + self.pending_indent).max(0) as usize;
            self.out.push('\n');
            self.out.push_str(&"  ".repeat(n));
            self.last = if n == 0 { '\n' } else { ' ' };
            self.pending_space = false;
        }
    }

    pub fn write(&mut self, elem: &str) {
        self.break_after_line_comment(elem);
        if self.pending_space {
            self.pending_space = false;
            let first = elem.chars().next().unwrap_or('\u{FFFD}');
            let (before, after) = if self.inline {
                ("\0 \t\n<[{(", "\n;,)]}>")
            } else {
                ("\0 \t\n", "\n;,")
            };
            if !before.contains(self.last) && !after.contains(first) {
                self.out.push(' ');
            }
        }
        if let Some(c) = elem.chars().next_back() {
            self.last = c;
            self.out.push_str(elem);
        }
    }

    /// Writes token `t` as `text` (a bracket counts towards the indentation).
    fn node_as(&mut self, t: usize, text: &str) {
        if text == ";" {
            self.mark_semi(t);
        }
        self.break_after_line_comment(text);
        match text {
            "{" | "[" | "(" | "<" => self.pending_indent += 1,
            "}" | "]" | ")" | ">" => self.pending_indent -= 1,
            _ => {}
        }
        self.write(text);
        self.prev = if matches!(text, "{" | "[" | "<") {
            Prev::OpenBrace
        } else {
            Prev::Other
        };
    }

    pub fn mark_semi(&mut self, t: usize) {
        if self.seen_semi.len() < self.sig.len() {
            self.seen_semi.resize(self.sig.len(), false);
        }
        if let Some(s) = self.seen_semi.get_mut(t) {
            *s = true;
        }
    }

    pub fn is_unseen_semi(&self, t: usize) -> bool {
        self.is(t, ";") && !self.seen_semi.get(t).copied().unwrap_or(false)
    }

    fn node(&mut self, t: usize) {
        let text = self.tok_text(t);
        self.node_as(t, text);
    }

    fn shown(&self, t: usize, text: Option<&'a str>) -> &'a str {
        text.unwrap_or_else(|| self.tok_text(t))
    }

    fn is_closing(text: &str) -> bool {
        matches!(text, "}" | "]" | ")" | ">")
    }

    // ---- comments ----

    pub fn multiline_comments(&mut self, comments: &[Comment], force_compact: bool) {
        let mut compact = force_compact || self.prev == Prev::OpenBrace;
        for c in comments {
            if !compact && newlines(self.comment_ws(c)) > 1 {
                self.p("");
            }
            compact = false;
            let raw = self.raw(c);
            self.comment(raw);
            self.write("\n");
        }
    }

    /// Comments in the middle of a line, block ones on one line. A token's trailing comments
    /// (`trailing`) always have a space before them. `//` ones become `/* */` when `to_block`,
    /// else they end the line.
    pub fn inline_comments(&mut self, comments: &[Comment], trailing: bool, to_block: bool) {
        for (i, c) in comments.iter().enumerate() {
            // Never a space right after `(` or `[` before a leading comment: it reads the same
            // whichever token it was attributed to, so formatting twice gives the same text.
            let after_open = i == 0 && matches!(self.last, '(' | '[');
            if trailing {
                // In a name (`(/* c */a.b)`), none after a `(` or `[`.
                if !after_open || !self.line_to_block {
                    self.write_space();
                }
            } else if !after_open
                && (i > 0 || !self.comment_ws(c).is_empty() || self.last == ';' || self.last == '}')
            {
                self.space();
            }
            let raw = self.raw(c);
            match raw.strip_prefix("//") {
                // `*/` inside would end the new comment early.
                Some(rest) if to_block => {
                    self.write(&format!("/* {} */", rest.trim().replace("*/", "* /")))
                }
                Some(_) => {
                    self.write(raw.trim_end());
                    self.line_broken = true;
                }
                None if raw.contains('\n') => self.inline_block_comment(raw),
                None => self.write(raw),
            }
        }
    }

    /// A multi-line block comment in the middle of a line: its first line there, the others
    /// re-indented (see `block_comment_lines`) at the statement's indentation.
    fn inline_block_comment(&mut self, raw: &str) {
        for (i, line) in block_comment_lines(raw).into_iter().enumerate() {
            if i > 0 {
                self.out.push('\n');
                self.last = '\n';
                if line.trim().is_empty() {
                    continue;
                }
                // A bracket closed on this line counts; one opened does not yet.
                let n = self
                    .indent
                    .saturating_sub(self.pending_indent.min(0).unsigned_abs() as usize);
                self.write(&"  ".repeat(n));
            }
            self.write(&line);
        }
    }

    pub fn first_trailing_is_line(&self, t: usize) -> bool {
        self.info[t].trailing.first().is_some_and(|c| !c.block)
    }

    /// Takes `t`'s trailing comments (to write them elsewhere).
    pub fn take_trailing(&mut self, t: usize) -> Vec<Comment> {
        std::mem::take(&mut self.info[t].trailing)
    }

    /// Comments that trailed a value ending its line: a `//` one ends the line, a block one goes
    /// on its own line under it.
    pub fn value_end_comments(&mut self, comments: &[Comment]) {
        if comments.is_empty() {
            return;
        }
        if comments[0].block {
            self.p("");
            self.multiline_comments(comments, true);
        } else {
            self.trailing_end_comments(comments);
        }
    }

    /// Comments that end a line, in their own style; then the line ends.
    pub fn trailing_end_comments(&mut self, comments: &[Comment]) {
        for (i, c) in comments.iter().enumerate() {
            if i > 0 || !self.comment_ws(c).is_empty() {
                self.space();
            }
            let raw = self.raw(c);
            self.comment(raw);
        }
        self.p("");
    }

    /// One comment; a multi-line block comment is re-indented (see `block_comment_lines`).
    fn comment(&mut self, raw: &str) {
        if raw.starts_with("/*") && raw.contains('\n') {
            let lines = block_comment_lines(raw);
            let n = lines.len();
            for (i, line) in lines.into_iter().enumerate() {
                if i + 1 != n {
                    self.p(&line);
                } else {
                    self.indent_for(false);
                    self.write(&line);
                }
            }
        } else {
            self.indent_for(false);
            self.write(raw.trim());
        }
    }

    // ---- one token ----

    /// `t` starting a line: leading comments above it, blank lines kept (one at most).
    pub fn start(&mut self, t: usize, ignore_ws: bool) {
        self.start_maybe_compact(t, false, ignore_ws, None);
    }

    pub fn start_maybe_compact(
        &mut self,
        t: usize,
        force_compact: bool,
        ignore_ws: bool,
        text: Option<&'a str>,
    ) {
        let nl = if ignore_ws {
            0
        } else {
            newlines(self.lead_ws(t))
        };
        let compact = force_compact || self.prev == Prev::OpenBrace;
        let leading = self.leading(t);
        if !leading.is_empty() {
            self.multiline_comments(&leading, force_compact);
            if !force_compact && nl > 1 {
                self.p("");
            }
        } else if !compact && nl > 1 {
            self.p("");
        }
        let shown = self.shown(t, text);
        self.indent_for(Self::is_closing(shown));
        self.node_as(t, shown);
        let trailing = self.trailing(t);
        if !trailing.is_empty() {
            self.inline_comments(&trailing, true, self.line_to_block);
        }
    }

    /// `t` in the middle of a line, its comments inline.
    pub fn inline(&mut self, t: usize) {
        self.inline_as(t, None);
    }

    pub fn inline_as(&mut self, t: usize, text: Option<&'a str>) {
        self.inline = true;
        self.leading_inline(t);
        let shown = self.shown(t, text);
        self.node_as(t, shown);
        let trailing = self.trailing(t);
        self.inline_comments(&trailing, true, self.line_to_block);
        self.inline = false;
    }

    /// Runs `f` as buf writes a composite node inline: the inline flag set until the first token.
    pub fn inline_composite(&mut self, f: impl FnOnce(&mut Self)) {
        self.inline = true;
        f(self);
        self.inline = false;
    }

    /// `t`'s leading comments before it on its line. Where `t` follows a space, so does the last
    /// comment; elsewhere a space follows it only where the source has one that is not just a
    /// line break (as buf's printer inherits the source's spacing around comments).
    /// Before a `;`, a `,` or a closing bracket, a space comes before the comments and none after
    /// them.
    fn leading_inline(&mut self, t: usize) {
        let spaced = self.pending_space;
        let leading = self.leading(t);
        if leading.is_empty() {
            return;
        }
        let punct = [";", ",", ")", "]", "}", ">"].iter().any(|p| self.is(t, p));
        let colon = self.is(t, ":");
        if punct || colon {
            self.space();
        }
        // A `//` comment on a line of its own in the middle of a statement becomes `/* */`.
        self.inline_comments(&leading, false, true);
        // A `:` keeps a space from a block comment before it.
        let after = if colon {
            leading.last().is_some_and(|c| c.block)
        } else {
            !punct && (spaced || !self.lead_ws(t).trim_start_matches('\n').is_empty())
        };
        if after {
            self.space();
        }
    }

    /// `t` ending a line (`;`): its trailing comments after it, in their style.
    pub fn line_end(&mut self, t: usize) {
        self.leading_inline(t);
        self.node(t);
        self.space();
        let trailing = self.trailing(t);
        self.trailing_end_comments(&trailing);
    }

    /// `t` ending a body: leading comments above it (or inline when `leading_inline`).
    pub fn body_end(
        &mut self,
        t: usize,
        leading_inline: bool,
        close: Close,
        text: Option<&'a str>,
    ) {
        if leading_inline {
            self.leading_inline(t);
        } else {
            let leading = self.leading(t);
            self.multiline_comments(&leading, false);
            let shown = self.shown(t, text);
            self.indent_for(Self::is_closing(shown));
        }
        let shown = self.shown(t, text);
        self.node_as(t, shown);
        let trailing = self.trailing(t);
        match close {
            Close::Line => self.trailing_end_comments(&trailing),
            Close::Inline => {
                if !trailing.is_empty() {
                    self.inline_comments(&trailing, true, self.line_to_block);
                }
            }
        }
    }

    /// `t` alone on its line: comments above, trailing ones after it.
    pub fn line_element(&mut self, t: usize) {
        self.body_end(t, false, Close::Line, None);
    }

    fn open_brace(&mut self, t: usize, how: Open, text: Option<&'a str>) {
        match how {
            Open::Prefix => self.leading_inline(t),
            Open::OwnLine => {
                let leading = self.leading(t);
                if !leading.is_empty() {
                    self.multiline_comments(&leading, false);
                }
                self.indent_for(false);
            }
        }
        let shown = self.shown(t, text);
        self.node_as(t, shown);
        let trailing = self.trailing(t);
        if trailing.is_empty() {
            self.p("");
        } else {
            self.trailing_end_comments(&trailing);
        }
    }

    /// A `{ ... }` (or `[ ... ]`) body: `{}` when empty, else one element per line.
    #[allow(clippy::too_many_arguments)]
    pub fn body(
        &mut self,
        open: usize,
        close: usize,
        has_elements: bool,
        elements: impl FnOnce(&mut Self),
        how_open: Open,
        how_close: Close,
        texts: Option<(&'a str, &'a str)>,
    ) {
        let (open_text, close_text) = match texts {
            Some((o, c)) => (Some(o), Some(c)),
            None => (None, None),
        };
        if !has_elements && !self.interior(&[(open, open), (close, close)]) {
            self.inline_as(open, open_text);
            self.body_end(close, true, how_close, close_text);
            return;
        }
        // The comment after the `{` of an empty definition body, or of a message value, goes
        // inside, on its own line.
        let message_value = texts.is_some();
        let moved = if (!has_elements && how_close == Close::Line) || message_value {
            std::mem::take(&mut self.info[open].trailing)
        } else {
            Vec::new()
        };
        self.open_brace(open, how_open, open_text);
        if !moved.is_empty() {
            self.multiline_comments(&moved, true);
            self.prev = Prev::Other;
        }
        if has_elements {
            elements(self);
        }
        // Comments before the `}`: a blank line before them is kept only when they are one
        // group; otherwise the groups before the last blank line follow the last element
        // directly, then a blank line, then the last group.
        if how_close == Close::Line || message_value {
            let detached = self.split_detached(close);
            if !detached.is_empty() {
                self.multiline_comments(&detached, true);
                let attached = std::mem::take(&mut self.info[close].leading);
                if !attached.is_empty() {
                    self.p("");
                    self.multiline_comments(&attached, true);
                }
            }
        }
        self.body_end(close, false, how_close, close_text);
    }
}

/// A multi-line block comment as buf writes it: when every line after the first starts with the
/// same non-alphanumeric character (`*`, `|`), lines are trimmed and that character goes one
/// column in; otherwise lines lose their common indentation and go three columns in.
fn block_comment_lines(raw: &str) -> Vec<String> {
    let lines: Vec<&str> = raw.split('\n').collect();
    let mut min_indent: Option<usize> = None;
    let mut prefix: Option<u8> = None;
    for (i, line) in lines.iter().enumerate().skip(1) {
        if let Some(indent) = compute_indent(line)
            && min_indent.is_none_or(|m| indent < m)
        {
            min_indent = Some(indent);
        }
        if i > 1 && prefix.is_none() {
            continue;
        }
        let trimmed = line.trim();
        if trimmed == "*/" {
            continue;
        }
        let line_prefix = trimmed.bytes().next().filter(|&b| is_comment_prefix(b));
        if i == 1 || line_prefix != prefix {
            prefix = if i == 1 { line_prefix } else { None };
        }
    }
    let min_indent = min_indent.unwrap_or(0);
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let trimmed = line.trim();
            let mut out = if trimmed.is_empty() || trimmed == "*/" || prefix.is_some() {
                trimmed.to_owned()
            } else {
                unindent(line, min_indent).trim_end().to_owned()
            };
            if i > 0 && out != "*/" {
                out = if prefix.is_none() {
                    format!("   {out}")
                } else {
                    format!(" {out}")
                };
            }
            if out == "*/" && prefix == Some(b'*') {
                out = " */".to_owned();
            }
            out
        })
        .collect()
}

fn is_comment_prefix(b: u8) -> bool {
    let c = char::from(b);
    !c.is_alphabetic() && !c.is_numeric()
}

fn compute_indent(line: &str) -> Option<usize> {
    if line.trim() == "*/" {
        return None;
    }
    let mut indent = 0;
    for c in line.chars() {
        match c {
            ' ' => indent += 1,
            '\t' => indent += 8 - indent % 8,
            _ => return Some(indent),
        }
    }
    None
}

fn unindent(line: &str, by: usize) -> String {
    let mut pos = 0;
    for (i, c) in line.char_indices() {
        if pos == by {
            return line[i..].to_owned();
        }
        if pos > by {
            return format!("{}{}", " ".repeat(pos - by), &line[i..]);
        }
        match c {
            ' ' => pos += 1,
            '\t' => pos += 8 - pos % 8,
            _ => return line[i..].to_owned(),
        }
    }
    String::new()
}
