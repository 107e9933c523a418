//! Option values: scalars, negative numbers, adjacent strings, and text-format message and list
//! literals, read off the tokens and written as buf writes them.

use super::printer::{Close, Open, Printer};
use crate::source::syntax::ast::OptionValue;
use crate::source::syntax::lex::Kind;

/// A value, by token index.
#[derive(Debug, Clone)]
pub(super) enum Val {
    Tok(usize),
    /// `-` and the number (or `inf`).
    Neg(usize, usize),
    /// Adjacent string literals.
    Strings(Vec<usize>),
    Message(Message),
    List(List),
}

#[derive(Debug, Clone)]
pub(super) struct Message {
    open: usize,
    close: usize,
    fields: Vec<Field>,
}

#[derive(Debug, Clone)]
struct Field {
    /// The name's tokens: an identifier, or `[`, what is inside, `]`.
    name: Vec<usize>,
    colon: Option<usize>,
    value: Val,
    separator: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct List {
    open: usize,
    close: usize,
    elements: Vec<Val>,
    commas: Vec<usize>,
}

impl Val {
    fn first(&self) -> usize {
        match self {
            Val::Tok(t) | Val::Neg(t, _) => *t,
            Val::Strings(ts) => ts[0],
            Val::Message(m) => m.open,
            Val::List(l) => l.open,
        }
    }

    pub(super) fn last(&self) -> usize {
        match self {
            Val::Tok(t) | Val::Neg(_, t) => *t,
            Val::Strings(ts) => ts[ts.len() - 1],
            Val::Message(m) => m.close,
            Val::List(l) => l.close,
        }
    }

    fn is_nested(&self) -> bool {
        matches!(self, Val::Message(_) | Val::List(_))
    }
}

impl<'a> Printer<'a> {
    /// The value an option statement or compact option holds.
    pub(super) fn option_value(&mut self, value: &OptionValue<'_>) -> Val {
        let span = value.span();
        let first = self.tok_at(span.start);
        self.cur = first;
        let v = self.parse_value();
        if self.sig.get(v.last()).is_none_or(|t| t.end != span.end) {
            self.unreadable(v.last(), "not a text-format value");
        }
        v
    }

    /// Reads the message value from `open` to `close` without writing it, noting whether it is
    /// text format.
    pub(super) fn check_message(&mut self, open: usize, close: usize) {
        self.cur = open;
        let m = self.parse_message();
        if m.close != close {
            self.unreadable(self.cur.min(close), "not a text-format value");
        }
        self.cur = 0;
    }

    /// Notes the first token that is not text format where a value should be.
    fn unreadable(&mut self, t: usize, why: &'static str) {
        if self.unreadable.is_none() {
            self.unreadable = Some((t.min(self.sig.len().saturating_sub(1)), why));
        }
    }

    fn parse_value(&mut self) -> Val {
        let t = self.next();
        if t >= self.sig.len() {
            self.unreadable(t, "a value is missing");
            return Val::Tok(self.sig.len().saturating_sub(1));
        }
        match self.tok_text(t) {
            "{" | "<" => {
                self.cur = t;
                Val::Message(self.parse_message())
            }
            "[" => {
                let mut elements = Vec::new();
                let mut commas = Vec::new();
                while !self.is(self.cur, "]") && self.cur < self.sig.len() {
                    elements.push(self.parse_value());
                    if self.is(self.cur, ",") {
                        commas.push(self.next());
                    } else if !self.is(self.cur, "]") {
                        self.unreadable(self.cur, "expected `,` or `]` in a text-format list");
                        break;
                    }
                }
                let close = self.next();
                Val::List(List {
                    open: t,
                    close,
                    elements,
                    commas,
                })
            }
            "-" => {
                let n = self.next();
                if n >= self.sig.len()
                    || !matches!(self.sig[n].kind, Kind::Int | Kind::Float | Kind::Ident)
                {
                    self.unreadable(n, "expected a number after `-`");
                }
                Val::Neg(t, n)
            }
            _ if self.is_str(t) => {
                let mut ts = vec![t];
                while self.is_str(self.cur) {
                    ts.push(self.next());
                }
                if ts.len() == 1 {
                    Val::Tok(t)
                } else {
                    Val::Strings(ts)
                }
            }
            _ => {
                if !matches!(self.sig[t].kind, Kind::Int | Kind::Float | Kind::Ident) {
                    self.unreadable(t, "expected a text-format value");
                }
                Val::Tok(t)
            }
        }
    }

    fn parse_message(&mut self) -> Message {
        let open = self.next();
        let closer = if self.is(open, "<") { ">" } else { "}" };
        let mut fields = Vec::new();
        while self.cur < self.sig.len() && !self.is(self.cur, closer) {
            let first = self.next();
            let mut name = vec![first];
            if !self.is(first, "[") && self.sig[first].kind != Kind::Ident {
                self.unreadable(first, "expected a field name in a text-format value");
                break;
            }
            if self.is(first, "[") {
                while self.cur < self.sig.len() {
                    let t = self.next();
                    name.push(t);
                    if self.is(t, "]") {
                        break;
                    }
                }
            }
            let colon = self.is(self.cur, ":").then(|| self.next());
            if colon.is_none() && !["{", "<", "["].iter().any(|b| self.is(self.cur, b)) {
                self.unreadable(self.cur, "expected `:` after a text-format field name");
                break;
            }
            let value = self.parse_value();
            let separator = (self.is(self.cur, ",") || self.is(self.cur, ";")).then(|| self.next());
            fields.push(Field {
                name,
                colon,
                value,
                separator,
            });
        }
        let close = self.next();
        if !self.is(close, closer) {
            self.unreadable(close, "a text-format message is not closed");
        }
        Message {
            open,
            close,
            fields,
        }
    }

    /// A value in the middle of a line (after `=` or `:`).
    pub(super) fn value_inline(&mut self, v: &Val) {
        match v {
            Val::Tok(t) => self.inline(*t),
            Val::Neg(m, n) => self.inline_composite(|p| {
                p.inline(*m);
                p.inline(*n);
            }),
            Val::Strings(ts) => self.strings(ts, true, false),
            Val::Message(m) => self.inline_composite(|p| p.message(m)),
            Val::List(l) => self.inline_composite(|p| p.list(l)),
        }
    }

    /// A value that ends its line.
    fn value_line_end(&mut self, v: &Val) {
        match v {
            Val::Tok(t) => self.line_end(*t),
            _ => {
                match v {
                    Val::Neg(m, n) => {
                        self.inline(*m);
                        self.inline(*n);
                    }
                    Val::Strings(ts) => self.strings(ts, true, false),
                    Val::Message(m) => self.message(m),
                    Val::List(l) => self.list(l),
                    Val::Tok(_) => unreachable!(),
                }
                if self.last() != '\n' {
                    self.p("");
                }
            }
        }
    }

    /// Adjacent strings, one per line under the line that holds them; with `more_follows`, the
    /// last stays open for a `,`, `;` or `]`.
    pub(super) fn strings(&mut self, ts: &[usize], indent: bool, more_follows: bool) {
        self.p("");
        if indent {
            self.indent_in();
        }
        for (i, &t) in ts.iter().enumerate() {
            if more_follows && i + 1 == ts.len() {
                self.start(t, false);
                break;
            }
            self.line_element(t);
        }
        if indent {
            self.indent_out();
        }
    }

    /// A dropped separator's trailing comments go to the value before it.
    fn keep_separator_comments(&mut self, separator: usize, value: &Val) {
        match value {
            Val::Tok(t) => self.move_trailing(separator, *t),
            Val::Message(m) => self.move_trailing(separator, m.close),
            Val::List(l) => self.move_trailing(separator, l.close),
            Val::Neg(_, t) => self.move_trailing(separator, *t),
            Val::Strings(ts) => self.move_trailing(separator, ts[ts.len() - 1]),
        }
    }

    /// A message on one line: empty, or one scalar field, with no comment anywhere inside (on
    /// the field's name, colon or value too).
    fn is_compact(&self, m: &Message) -> bool {
        m.fields.len() <= 1
            && !m.fields.iter().any(|f| f.value.is_nested())
            && !(m.open..=m.close).any(|t| {
                (t > m.open && self.has_leading(t)) || (t < m.close && self.has_trailing(t))
            })
    }

    fn compact_message(&mut self, m: &Message, in_list: bool) -> bool {
        if !self.is_compact(m) {
            return false;
        }
        if in_list {
            self.indent_for(false);
        }
        self.inline_as(m.open, Some("{"));
        if let Some(f) = m.fields.first() {
            self.inline_composite(|p| {
                for &t in &f.name {
                    p.inline(t);
                }
            });
            match f.colon {
                Some(c) => self.inline(c),
                None => self.write(":"),
            }
            self.space();
            if let Some(s) = f.separator {
                self.keep_separator_comments(s, &f.value);
            }
            self.value_inline(&f.value);
        }
        self.inline_as(m.close, Some("}"));
        true
    }

    fn message_fields(&mut self, m: &Message) {
        let blanks = self.declaration_blanks(m);
        for (i, f) in m.fields.iter().enumerate() {
            if let Some(s) = f.separator {
                self.keep_separator_comments(s, &f.value);
            }
            if i > 0 && blanks.get(i) == Some(&true) && !self.leading_has_blank(f.name[0]) {
                self.p("");
            }
            // A `//` comment in a field stays `//` (the line breaks after it), except in a field
            // whose value is a message or a list, as buf writes them.
            self.with_line_to_block(f.value.is_nested(), |p| {
                p.with_line_to_block(true, |p| p.field_name(&f.name));
                // Never `*/:`.
                if p.last() == '/' {
                    p.space();
                }
                match f.colon {
                    Some(c) => p.inline(c),
                    None => p.write(":"),
                }
                p.space();
                match &f.value {
                    Val::Strings(ts) => p.strings(ts, true, false),
                    v => p.value_line_end(v),
                }
            });
        }
    }

    /// buf's blank lines in a message value, which do not always fall where the source has
    /// them: buf splits the value into "declarations" at each `;`, each nested `{...}` (and, in
    /// a value right after `=`, each `,`), and gives field `i` a blank line when the source has
    /// one before declaration `i`. Without separators, a blank line after a nested message
    /// shows up before the second field. Entry `i` says whether declaration `i` has one.
    fn declaration_blanks(&self, m: &Message) -> Vec<bool> {
        let literal = m.open > 0 && self.is(m.open - 1, "=");
        let mut blanks = vec![false];
        let mut depth = 0usize;
        for t in m.open + 1..m.close {
            let boundary = match self.tok_text(t) {
                "{" | "[" | "(" | "<" => {
                    depth += 1;
                    false
                }
                "}" => {
                    depth = depth.saturating_sub(1);
                    depth == 0
                }
                "]" | ")" | ">" => {
                    depth = depth.saturating_sub(1);
                    false
                }
                ";" => depth == 0,
                "," => depth == 0 && literal,
                _ => false,
            };
            if boundary && t + 1 < m.close {
                blanks.push(self.blank_line_between(t, t + 1));
            }
        }
        blanks
    }

    /// A field's name starting its line. `[ext]` and `[type.url/Name]` stay on one line unless
    /// comments are inside the brackets: then the name goes on a line of its own between them,
    /// each comment on its own line.
    fn field_name(&mut self, name: &[usize]) {
        self.start(name[0], false);
        let [_, inner @ .., close] = name else {
            return;
        };
        let broken = self.has_trailing(name[0])
            || self.has_leading(*close)
            || inner
                .iter()
                .any(|&t| self.has_leading(t) || self.has_trailing(t));
        if !broken {
            for &t in inner {
                self.inline(t);
            }
            self.inline(*close);
            return;
        }
        self.p("");
        for (i, &t) in inner.iter().enumerate() {
            if i == 0 {
                self.start_maybe_compact(t, true, true, None);
            } else {
                self.inline(t);
            }
        }
        self.p("");
        self.body_end(*close, false, Close::Inline, None);
    }

    pub(super) fn message(&mut self, m: &Message) {
        if self.compact_message(m, false) {
            return;
        }
        self.body(
            m.open,
            m.close,
            !m.fields.is_empty(),
            |p| p.message_fields(m),
            Open::Prefix,
            Close::Inline,
            Some(("{", "}")),
        );
    }

    fn message_in_list(&mut self, m: &Message, last: bool) {
        if self.compact_message(m, true) {
            return;
        }
        self.body(
            m.open,
            m.close,
            !m.fields.is_empty(),
            |p| p.message_fields(m),
            Open::OwnLine,
            if last { Close::Line } else { Close::Inline },
            Some(("{", "}")),
        );
    }

    fn list(&mut self, l: &List) {
        let mut nodes = vec![(l.open, l.open)];
        for (i, e) in l.elements.iter().enumerate() {
            nodes.push((e.first(), e.last()));
            if let Some(&c) = l.commas.get(i) {
                nodes.push((c, c));
            }
        }
        nodes.push((l.close, l.close));
        if l.elements.len() == 1 && !self.interior(&nodes) && !l.elements[0].is_nested() {
            self.inline(l.open);
            self.value_inline(&l.elements[0]);
            self.inline(l.close);
            return;
        }
        self.body(
            l.open,
            l.close,
            !l.elements.is_empty(),
            |p| p.list_elements(l),
            Open::Prefix,
            Close::Inline,
            None,
        );
    }

    fn list_elements(&mut self, l: &List) {
        self.with_line_to_block(false, |p| p.list_element_lines(l));
    }

    fn list_element_lines(&mut self, l: &List) {
        let n = l.elements.len();
        for (i, e) in l.elements.iter().enumerate() {
            let last = i + 1 == n;
            match e {
                Val::Tok(t) => {
                    if last {
                        self.line_element(*t);
                        return;
                    }
                    self.start(*t, false);
                }
                Val::Strings(ts) => {
                    for (j, &t) in ts.iter().enumerate() {
                        if !last && j + 1 == ts.len() {
                            self.start(t, false);
                        } else {
                            self.line_element(t);
                        }
                    }
                }
                Val::Neg(m, v) => {
                    self.start(*m, false);
                    if last {
                        self.line_end(*v);
                    } else {
                        self.inline(*v);
                    }
                }
                Val::Message(m) if last && self.is_compact(m) => {
                    // A comment after the last one keeps its style.
                    let taken = self.take_trailing(m.close);
                    self.message_in_list(m, last);
                    self.value_end_comments(&taken);
                }
                Val::Message(m) => self.message_in_list(m, last),
                // Text format has no lists of lists; written as they come.
                Val::List(inner) => self.list(inner),
            }
            if !last && let Some(&c) = l.commas.get(i) {
                self.line_end(c);
            }
        }
        // A one-line message last in the list: its `]` still goes on the next line.
        if self.last() != '\n' {
            self.p("");
        }
    }
}
