//! The parser: recursive descent over the lexer's non-trivia tokens into the tree of `ast.rs`.
//!
//! It recovers from errors: a statement that does not parse is reported and skipped (up to its
//! `;`, or past its `{...}` block, or to the `}` that closes the enclosing block), and parsing
//! goes on, so every syntax error of a file is reported and the rest of the file is still read.
//! Recursion is bounded: messages nest at most 31 deep, as in protoc.

use std::borrow::Cow;

use super::ast::*;
use super::lex::{self, Kind, Token};

/// Messages (and groups) nested deeper than this are refused, as protoc does.
pub const MAX_MESSAGE_NESTING: u32 = 31;

/// A located syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where.
    pub span: Span,
    /// What is wrong ("expected `;`").
    pub message: String,
}

type PResult<T> = Result<T, ()>;

/// A token as the parser sees it: with its index in the token stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tok {
    kind: Kind,
    start: u32,
    end: u32,
    idx: u32,
}

impl Tok {
    fn token(self) -> Token {
        Token {
            kind: self.kind,
            start: self.start,
            end: self.end,
        }
    }
}

pub struct Parser<'a, 't> {
    text: &'a str,
    tokens: &'t [Token],
    /// Indexes (into `tokens`) of the tokens the grammar sees.
    sig: Vec<u32>,
    pos: usize,
    depth: u32,
    pub errors: Vec<SyntaxError>,
    /// Tok ranges of text-format option values (where `#` comments and `1.5f` are allowed).
    pub aggregates: Vec<(u32, u32)>,
}

impl<'a, 't> Parser<'a, 't> {
    pub fn new(text: &'a str, tokens: &'t [Token]) -> Self {
        let sig = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.kind.is_trivia() && t.kind != Kind::Error)
            .map(|(i, _)| i as u32)
            .collect();
        Parser {
            text,
            tokens,
            sig,
            pos: 0,
            depth: 0,
            errors: Vec::new(),
            aggregates: Vec::new(),
        }
    }

    // ---- token access ----

    fn tok(&self) -> Option<Tok> {
        self.tok_at(0)
    }

    fn tok_at(&self, ahead: usize) -> Option<Tok> {
        self.sig.get(self.pos + ahead).map(|&i| {
            let t = self.tokens[i as usize];
            Tok {
                kind: t.kind,
                start: t.start,
                end: t.end,
                idx: i,
            }
        })
    }

    fn text_of(&self, t: Tok) -> &'a str {
        &self.text[t.start as usize..t.end as usize]
    }

    fn span_of(t: Tok) -> Span {
        Span::new(t.start, t.end)
    }

    fn is_punct(&self, c: u8) -> bool {
        self.tok().is_some_and(|t| t.kind == Kind::Punct(c))
    }

    fn is_word(&self, w: &str) -> bool {
        self.word_at(0, w)
    }

    fn word_at(&self, ahead: usize, w: &str) -> bool {
        self.tok_at(ahead)
            .is_some_and(|t| t.kind == Kind::Ident && self.text_of(t) == w)
    }

    fn is_kind(&self, k: Kind) -> bool {
        self.tok().is_some_and(|t| t.kind == k)
    }

    fn bump(&mut self) -> Tok {
        let t = self.tok().expect("bump at the end of the file");
        self.pos += 1;
        t
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
        });
    }

    /// Reports that `expected` was expected here, and fails.
    fn unexpected<T>(&mut self, expected: &str) -> PResult<T> {
        match self.tok() {
            Some(t) => {
                let found = self.text_of(t);
                let found = if found.len() > 40 {
                    {
                        let cut = (0..=40)
                            .rev()
                            .find(|&i| found.is_char_boundary(i))
                            .unwrap_or(0);
                        format!("`{}...`", &found[..cut])
                    }
                } else {
                    format!("`{found}`")
                };
                self.error(
                    Self::span_of(t),
                    format!("expected {expected}, found {found}"),
                );
            }
            None => {
                let end = self.text.len() as u32;
                self.error(
                    Span::new(end, end),
                    format!("expected {expected}, found the end of the file"),
                );
            }
        }
        Err(())
    }

    fn expect_punct(&mut self, c: u8) -> PResult<Tok> {
        if self.is_punct(c) {
            Ok(self.bump())
        } else {
            self.unexpected(&format!("`{}`", c as char))
        }
    }

    /// The `;` that ends a statement which could still have taken `[options]`.
    fn end_of_statement(&mut self, had_options: bool) -> PResult<Tok> {
        if had_options || self.is_punct(b';') {
            self.expect_punct(b';')
        } else {
            self.unexpected("`[` or `;`")
        }
    }

    fn expect_word(&mut self, w: &str) -> PResult<Tok> {
        if self.is_word(w) {
            Ok(self.bump())
        } else {
            self.unexpected(&format!("`{w}`"))
        }
    }

    fn ident(&mut self) -> PResult<Ident<'a>> {
        match self.tok() {
            Some(t) if t.kind == Kind::Ident => {
                self.bump();
                Ok(Ident {
                    name: self.text_of(t),
                    span: Self::span_of(t),
                })
            }
            _ => self.unexpected("an identifier"),
        }
    }

    /// `[.]a.b.c`
    fn type_name(&mut self) -> PResult<TypeName<'a>> {
        let start = self.tok().map_or(0, |t| t.start);
        let mut prev_end = start;
        if self.is_punct(b'.') {
            prev_end = self.bump().end;
        }
        let mut last = self.ident()?.span;
        let mut contiguous = last.start == prev_end;
        prev_end = last.end;
        while self.is_punct(b'.') {
            let dot = self.bump();
            let part = self.ident()?;
            contiguous &= dot.start == prev_end && part.span.start == dot.end;
            prev_end = part.span.end;
            last = part.span;
        }
        let span = Span::new(start, last.end);
        let text = &self.text[span.start as usize..span.end as usize];
        let name = if contiguous {
            Cow::Borrowed(text)
        } else {
            // Blanks or comments between the parts are not part of the name.
            let (tokens, _) = lex::lex(text);
            Cow::Owned(
                tokens
                    .iter()
                    .filter(|t| matches!(t.kind, Kind::Ident | Kind::Punct(b'.')))
                    .map(|t| &text[t.start as usize..t.end as usize])
                    .collect(),
            )
        };
        Ok(TypeName { name, span })
    }

    fn int(&mut self) -> PResult<Int> {
        let minus = self.is_punct(b'-').then(|| self.bump());
        match self.tok() {
            Some(t) if t.kind == Kind::Int => {
                self.bump();
                let value = lex::int_value(self.text_of(t));
                let span = Span::new(minus.map_or(t.start, |m| m.start), t.end);
                if value.is_none() {
                    self.error(Self::span_of(t), "integer out of range (over 2^64 - 1)");
                }
                Ok(Int {
                    negative: minus.is_some(),
                    value,
                    span,
                })
            }
            _ => self.unexpected("an integer"),
        }
    }

    /// One or more adjacent string literals, concatenated.
    fn string(&mut self) -> PResult<(Vec<u8>, Span)> {
        if !self.is_kind(Kind::Str) {
            return self.unexpected("a string");
        }
        let mut value = Vec::new();
        let mut span: Option<Span> = None;
        while let Some(t) = self.tok().filter(|t| t.kind == Kind::Str) {
            self.bump();
            match lex::decode_string(self.text, t.token()) {
                Ok(bytes) => value.extend_from_slice(&bytes),
                Err(e) => self.error(Span::new(e.start, e.end), e.message),
            }
            let s = Self::span_of(t);
            span = Some(span.map_or(s, |sp| sp.to(s)));
        }
        Ok((value, span.unwrap_or_default()))
    }

    fn utf8_string(&mut self) -> PResult<(String, Span)> {
        let (bytes, span) = self.string()?;
        match String::from_utf8(bytes) {
            Ok(s) => Ok((s, span)),
            Err(e) => {
                self.error(span, "string is not valid UTF-8");
                Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), span))
            }
        }
    }

    fn meta(&self, first: Tok, last: Tok, trailing_after: Tok) -> Meta {
        Meta {
            span: Span::new(first.start, last.end),
            first: self.token_index(first),
            trailing_after: self.token_index(trailing_after),
        }
    }

    fn token_index(&self, t: Tok) -> u32 {
        t.idx
    }

    /// Skips what is left of a statement that did not parse: up to and including its `;`, or
    /// past its `{...}` block, or up to (not including) the `}` closing the enclosing block.
    fn recover(&mut self) {
        let mut depth = 0u32;
        while let Some(t) = self.tok() {
            match t.kind {
                Kind::Punct(b'{') => depth += 1,
                Kind::Punct(b'}') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                Kind::Punct(b';') if depth == 0 => {
                    self.bump();
                    return;
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Runs one statement parser in a block loop; on failure recovers, always making progress.
    fn statement<T>(&mut self, out: &mut Vec<T>, f: impl FnOnce(&mut Self) -> PResult<T>) {
        let before = self.pos;
        match f(self) {
            Ok(item) => out.push(item),
            Err(()) => {
                self.recover();
                if self.pos == before && self.tok().is_some() {
                    self.bump();
                }
            }
        }
    }

    // ---- the file ----

    pub fn file(&mut self) -> File<'a> {
        let first = self.tok();
        let mut end = first.map(|t| t.end);
        let mut syntax = None;
        if (self.is_word("syntax") || self.is_word("edition"))
            && self.tok_at(1).is_some_and(|t| t.kind == Kind::Punct(b'='))
        {
            match self.syntax() {
                Ok(s) => {
                    end = Some(s.meta.span.end);
                    syntax = Some(s);
                }
                Err(()) => self.recover(),
            }
        }
        let mut items = Vec::new();
        while let Some(t) = self.tok() {
            let before = items.len();
            if t.kind == Kind::Punct(b';') {
                self.bump();
                end = Some(t.end);
                continue;
            }
            self.statement(&mut items, |p| p.file_item());
            if items.len() > before {
                end = Some(self.previous_end());
            }
        }
        File {
            syntax,
            items,
            span: first.map(|f| Span::new(f.start, end.unwrap_or(f.end))),
        }
    }

    fn previous_end(&self) -> u32 {
        self.sig
            .get(self.pos.wrapping_sub(1))
            .map_or(0, |&i| self.tokens[i as usize].end)
    }

    fn syntax(&mut self) -> PResult<SyntaxDecl<'a>> {
        let kw = self.bump();
        let is_edition = self.text_of(kw) == "edition";
        self.expect_punct(b'=')?;
        let (value, value_span) = self.utf8_string()?;
        let value_text = &self.text[value_span.start as usize..value_span.end as usize];
        let syntax = match (is_edition, value.as_str()) {
            (false, "proto2") => Syntax::Proto2,
            (false, "proto3") => Syntax::Proto3,
            (false, other) => {
                self.error(
                    value_span,
                    format!("unknown syntax \"{other}\": expected \"proto2\" or \"proto3\""),
                );
                return Err(());
            }
            (true, _) => {
                // The edition's text without its quotes (its value is checked when lowering).
                let inner = value_text
                    .get(1..value_text.len().saturating_sub(1))
                    .unwrap_or("");
                Syntax::Edition(inner)
            }
        };
        let semi = self.expect_punct(b';')?;
        Ok(SyntaxDecl {
            syntax,
            value_span,
            is_edition,
            meta: self.meta(kw, semi, semi),
        })
    }

    fn file_item(&mut self) -> PResult<FileItem<'a>> {
        let Some(t) = self.tok() else {
            return self.unexpected("a declaration");
        };
        let word = if t.kind == Kind::Ident {
            self.text_of(t)
        } else {
            ""
        };
        match word {
            "package" => self.package().map(FileItem::Package),
            "import" => self.import().map(FileItem::Import),
            "option" => self.option_stmt().map(FileItem::Option),
            "message" => self.message(None).map(FileItem::Message),
            "enum" => self.enumeration(None).map(FileItem::Enum),
            "service" => self.service().map(FileItem::Service),
            "extend" => self.extend().map(FileItem::Extend),
            "export" | "local" if self.word_at(1, "message") || self.word_at(1, "enum") => {
                let vis = self.visibility();
                if self.is_word("message") {
                    self.message(vis).map(FileItem::Message)
                } else {
                    self.enumeration(vis).map(FileItem::Enum)
                }
            }
            "syntax" | "edition" => {
                self.error(
                    Self::span_of(t),
                    format!("`{word}` must be the first statement of the file"),
                );
                Err(())
            }
            _ => self.unexpected(
                "`message`, `enum`, `service`, `extend`, `import`, `package`, `option` or `;`",
            ),
        }
    }

    fn visibility(&mut self) -> Option<(Visibility, Span)> {
        let t = self.bump();
        let v = if self.text_of(t) == "export" {
            Visibility::Export
        } else {
            Visibility::Local
        };
        Some((v, Self::span_of(t)))
    }

    fn package(&mut self) -> PResult<Package<'a>> {
        let kw = self.bump();
        let name = self.type_name()?;
        if name.name.starts_with('.') {
            self.error(name.span, "a package name cannot start with `.`");
        }
        let semi = self.expect_punct(b';')?;
        Ok(Package {
            name,
            meta: self.meta(kw, semi, semi),
        })
    }

    fn import(&mut self) -> PResult<Import> {
        let kw = self.bump();
        let kind = if self.is_word("public") {
            Some((ImportKind::Public, Self::span_of(self.bump())))
        } else if self.is_word("weak") {
            Some((ImportKind::Weak, Self::span_of(self.bump())))
        } else if self.is_word("option") {
            Some((ImportKind::Option, Self::span_of(self.bump())))
        } else if self.is_kind(Kind::Str) {
            None
        } else {
            return self.unexpected("a string, `public`, `weak` or `option`");
        };
        let (path, path_span) = self.utf8_string()?;
        if !is_valid_import(&path) {
            self.error(
                path_span,
                "an import path must be relative, with `/` between non-empty parts and no `.`, `..` or `\\`",
            );
        }
        let semi = self.expect_punct(b';')?;
        Ok(Import {
            kind,
            path,
            path_span,
            meta: self.meta(kw, semi, semi),
        })
    }

    // ---- messages ----

    fn message(&mut self, visibility: Option<(Visibility, Span)>) -> PResult<Message<'a>> {
        let first = match visibility {
            Some(_) => self.tok_before(),
            None => self.tok().unwrap(),
        };
        let kw = self.expect_word("message")?;
        let name = self.ident()?;
        let open = self.expect_punct(b'{')?;
        let (body, close) = self.nested_body(kw)?;
        let meta = self.meta(first, close, open);
        Ok(Message {
            visibility,
            name,
            body,
            meta,
        })
    }

    fn tok_before(&self) -> Tok {
        let i = self.sig[self.pos - 1];
        let t = self.tokens[i as usize];
        Tok {
            kind: t.kind,
            start: t.start,
            end: t.end,
            idx: i,
        }
    }

    /// A message body after its `{`, up to and including `}`; refused past the nesting limit.
    fn nested_body(&mut self, kw: Tok) -> PResult<(Vec<MessageItem<'a>>, Tok)> {
        if self.depth >= MAX_MESSAGE_NESTING {
            self.error(
                Self::span_of(kw),
                format!("messages are nested more than {MAX_MESSAGE_NESTING} levels deep"),
            );
            // Skip the rest of this block.
            let mut depth = 1u32;
            while let Some(t) = self.tok() {
                self.bump();
                match t.kind {
                    Kind::Punct(b'{') => depth += 1,
                    Kind::Punct(b'}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            return Err(());
        }
        self.depth += 1;
        let result = self.message_body();
        self.depth -= 1;
        result
    }

    fn message_body(&mut self) -> PResult<(Vec<MessageItem<'a>>, Tok)> {
        let mut items = Vec::new();
        loop {
            let Some(t) = self.tok() else {
                return self.unexpected("`}`");
            };
            match t.kind {
                Kind::Punct(b'}') => return Ok((items, self.bump())),
                Kind::Punct(b';') => {
                    self.bump();
                }
                _ => self.statement(&mut items, |p| p.message_item()),
            }
        }
    }

    fn message_item(&mut self) -> PResult<MessageItem<'a>> {
        let Some(t) = self.tok() else {
            return self.unexpected("a field, `}` or another declaration");
        };
        let word = if t.kind == Kind::Ident {
            self.text_of(t)
        } else {
            ""
        };
        match word {
            "message" => self.message(None).map(MessageItem::Message),
            "enum" => self.enumeration(None).map(MessageItem::Enum),
            "extend" => self.extend().map(MessageItem::Extend),
            "oneof" => self.oneof().map(MessageItem::Oneof),
            "option" => self.option_stmt().map(MessageItem::Option),
            "reserved" => self.reserved().map(MessageItem::Reserved),
            "extensions" => self.extensions().map(MessageItem::Extensions),
            "export" | "local" if self.word_at(1, "message") || self.word_at(1, "enum") => {
                let vis = self.visibility();
                if self.is_word("message") {
                    self.message(vis).map(MessageItem::Message)
                } else {
                    self.enumeration(vis).map(MessageItem::Enum)
                }
            }
            _ if t.kind == Kind::Ident || t.kind == Kind::Punct(b'.') => {
                self.field().map(MessageItem::Field)
            }
            _ => self.unexpected("a field, `message`, `enum`, `oneof`, `option`, `reserved`, `extensions`, `extend` or `}`"),
        }
    }

    fn field(&mut self) -> PResult<Field<'a>> {
        let first = self.tok().unwrap();
        let label = match self.tok().map(|t| self.text_of(t)) {
            Some("optional") => Some(Label::Optional),
            Some("required") => Some(Label::Required),
            Some("repeated") => Some(Label::Repeated),
            _ => None,
        }
        .map(|l| (l, Self::span_of(self.bump())));
        if self.is_word("map") && self.tok_at(1).is_some_and(|t| t.kind == Kind::Punct(b'<')) {
            return self.map_field(first, label);
        }
        if self.is_word("group")
            && self.tok_at(1).is_some_and(|t| t.kind == Kind::Ident)
            && self.tok_at(2).is_some_and(|t| t.kind == Kind::Punct(b'='))
        {
            return self.group_field(first, label);
        }
        let (ty, ty_span) = self.field_type()?;
        let name = self.ident()?;
        self.expect_punct(b'=')?;
        let number = self.int()?;
        let options = self.option_list_opt()?;
        let semi = self.end_of_statement(options.is_some())?;
        Ok(Field {
            label,
            kind: FieldKind::Normal { ty, ty_span },
            name,
            number,
            options,
            meta: self.meta(first, semi, semi),
        })
    }

    fn field_type(&mut self) -> PResult<(FieldType<'a>, Span)> {
        match self.tok() {
            Some(t)
                if t.kind == Kind::Ident
                    && !self.tok_at(1).is_some_and(|n| n.kind == Kind::Punct(b'.')) =>
            {
                if let Some(s) = Scalar::from_name(self.text_of(t)) {
                    self.bump();
                    return Ok((FieldType::Scalar(s), Self::span_of(t)));
                }
                let name = self.type_name()?;
                let span = name.span;
                Ok((FieldType::Named(name), span))
            }
            Some(t) if t.kind == Kind::Ident || t.kind == Kind::Punct(b'.') => {
                let name = self.type_name()?;
                let span = name.span;
                Ok((FieldType::Named(name), span))
            }
            _ => self.unexpected("a field type"),
        }
    }

    fn map_field(&mut self, first: Tok, label: Option<(Label, Span)>) -> PResult<Field<'a>> {
        let map = self.bump();
        self.expect_punct(b'<')?;
        let (key, key_span) = self.field_type()?;
        self.expect_punct(b',')?;
        let (value, value_span) = self.field_type()?;
        let close = self.expect_punct(b'>')?;
        let name = self.ident()?;
        self.expect_punct(b'=')?;
        let number = self.int()?;
        let options = self.option_list_opt()?;
        let semi = self.end_of_statement(options.is_some())?;
        Ok(Field {
            label,
            kind: FieldKind::Map {
                ty_span: Span::new(map.start, close.end),
                key,
                key_span,
                value,
                value_span,
            },
            name,
            number,
            options,
            meta: self.meta(first, semi, semi),
        })
    }

    fn group_field(&mut self, first: Tok, label: Option<(Label, Span)>) -> PResult<Field<'a>> {
        let kw = self.bump();
        let name = self.ident()?;
        if !is_group_name(name.name) {
            self.error(name.span, "a group's name must start with a capital letter");
        }
        self.expect_punct(b'=')?;
        let number = self.int()?;
        let options = self.option_list_opt()?;
        let open = self.expect_punct(b'{')?;
        let (body, close) = self.nested_body(kw)?;
        Ok(Field {
            label,
            kind: FieldKind::Group {
                ty_span: Self::span_of(kw),
                body,
            },
            name,
            number,
            options,
            meta: self.meta(first, close, open),
        })
    }

    fn oneof(&mut self) -> PResult<Oneof<'a>> {
        let kw = self.bump();
        let name = self.ident()?;
        let open = self.expect_punct(b'{')?;
        let mut items = Vec::new();
        let close = loop {
            let Some(t) = self.tok() else {
                return self.unexpected("`}`");
            };
            match t.kind {
                Kind::Punct(b'}') => break self.bump(),
                Kind::Punct(b';') => {
                    self.bump();
                }
                _ if self.is_word("option") => {
                    self.statement(&mut items, |p| p.option_stmt().map(OneofItem::Option))
                }
                Kind::Ident | Kind::Punct(b'.') => {
                    self.statement(&mut items, |p| p.field().map(OneofItem::Field))
                }
                _ => {
                    let _ = self.unexpected::<()>("a field, `option` or `}`");
                    self.recover();
                    if self.tok() == Some(t) {
                        self.bump();
                    }
                }
            }
        };
        Ok(Oneof {
            name,
            items,
            meta: self.meta(kw, close, open),
        })
    }

    fn extend(&mut self) -> PResult<Extend<'a>> {
        let kw = self.bump();
        let extendee = self.type_name()?;
        let open = self.expect_punct(b'{')?;
        let mut fields = Vec::new();
        let close = loop {
            let Some(t) = self.tok() else {
                return self.unexpected("`}`");
            };
            match t.kind {
                Kind::Punct(b'}') => break self.bump(),
                Kind::Punct(b';') => {
                    self.bump();
                }
                Kind::Ident | Kind::Punct(b'.') => self.statement(&mut fields, |p| p.field()),
                _ => {
                    let _ = self.unexpected::<()>("a field or `}`");
                    self.recover();
                    if self.tok() == Some(t) {
                        self.bump();
                    }
                }
            }
        };
        Ok(Extend {
            extendee,
            fields,
            meta: self.meta(kw, close, open),
        })
    }

    fn range(&mut self) -> PResult<Range> {
        let start = self.int()?;
        let end = if self.is_word("to") {
            self.bump();
            if self.is_word("max") {
                RangeEnd::Max(Self::span_of(self.bump()))
            } else if self.is_kind(Kind::Int) || self.is_punct(b'-') {
                RangeEnd::Int(self.int()?)
            } else {
                return self.unexpected("an integer or `max`");
            }
        } else {
            RangeEnd::None
        };
        Ok(Range { start, end })
    }

    fn ranges(&mut self) -> PResult<Vec<Range>> {
        let mut ranges = vec![self.range()?];
        while self.is_punct(b',') {
            self.bump();
            ranges.push(self.range()?);
        }
        Ok(ranges)
    }

    fn reserved(&mut self) -> PResult<Reserved<'a>> {
        let kw = self.bump();
        let kind = if self.is_kind(Kind::Int) || self.is_punct(b'-') {
            ReservedKind::Ranges(self.ranges()?)
        } else if self.is_kind(Kind::Str) {
            let mut names = vec![self.reserved_name()?];
            while self.is_punct(b',') {
                self.bump();
                names.push(self.reserved_name()?);
            }
            ReservedKind::Names(names)
        } else if self.is_kind(Kind::Ident) {
            let mut names = vec![self.ident()?];
            while self.is_punct(b',') {
                self.bump();
                names.push(self.ident()?);
            }
            ReservedKind::Idents(names)
        } else {
            return self.unexpected("a field number, a range or a name");
        };
        if !self.is_punct(b';') {
            return self.unexpected("`,` or `;`");
        }
        let semi = self.bump();
        Ok(Reserved {
            kind,
            meta: self.meta(kw, semi, semi),
        })
    }

    fn reserved_name(&mut self) -> PResult<(String, Span)> {
        let (name, span) = self.utf8_string()?;
        if !is_identifier(&name) {
            self.error(
                span,
                format!("reserved name \"{name}\" is not a valid identifier"),
            );
        }
        Ok((name, span))
    }

    fn extensions(&mut self) -> PResult<Extensions<'a>> {
        let kw = self.bump();
        let ranges = self.ranges()?;
        let options = self.option_list_opt()?;
        if !self.is_punct(b';') {
            return self.unexpected("`,`, `[` or `;`");
        }
        let semi = self.bump();
        Ok(Extensions {
            ranges,
            options,
            meta: self.meta(kw, semi, semi),
        })
    }

    // ---- enums ----

    fn enumeration(&mut self, visibility: Option<(Visibility, Span)>) -> PResult<Enum<'a>> {
        let first = match visibility {
            Some(_) => self.tok_before(),
            None => self.tok().unwrap(),
        };
        self.expect_word("enum")?;
        let name = self.ident()?;
        let open = self.expect_punct(b'{')?;
        let mut items = Vec::new();
        let close = loop {
            let Some(t) = self.tok() else {
                return self.unexpected("`}`");
            };
            match t.kind {
                Kind::Punct(b'}') => break self.bump(),
                Kind::Punct(b';') => {
                    self.bump();
                }
                _ if self.is_word("option") => {
                    self.statement(&mut items, |p| p.option_stmt().map(EnumItem::Option))
                }
                _ if self.is_word("reserved") => {
                    self.statement(&mut items, |p| p.reserved().map(EnumItem::Reserved))
                }
                Kind::Ident => self.statement(&mut items, |p| p.enum_value().map(EnumItem::Value)),
                _ => {
                    let _ = self.unexpected::<()>("an enum value, `option`, `reserved` or `}`");
                    self.recover();
                    if self.tok() == Some(t) {
                        self.bump();
                    }
                }
            }
        };
        Ok(Enum {
            visibility,
            name,
            items,
            meta: self.meta(first, close, open),
        })
    }

    fn enum_value(&mut self) -> PResult<EnumValue<'a>> {
        let first = self.tok().unwrap();
        let name = self.ident()?;
        self.expect_punct(b'=')?;
        let number = self.int()?;
        let options = self.option_list_opt()?;
        let semi = self.end_of_statement(options.is_some())?;
        Ok(EnumValue {
            name,
            number,
            options,
            meta: self.meta(first, semi, semi),
        })
    }

    // ---- services ----

    fn service(&mut self) -> PResult<Service<'a>> {
        let kw = self.bump();
        let name = self.ident()?;
        let open = self.expect_punct(b'{')?;
        let mut items = Vec::new();
        let close = loop {
            let Some(t) = self.tok() else {
                return self.unexpected("`}`");
            };
            match t.kind {
                Kind::Punct(b'}') => break self.bump(),
                Kind::Punct(b';') => {
                    self.bump();
                }
                _ if self.is_word("option") => {
                    self.statement(&mut items, |p| p.option_stmt().map(ServiceItem::Option))
                }
                _ if self.is_word("rpc") => {
                    self.statement(&mut items, |p| p.method().map(ServiceItem::Method))
                }
                _ => {
                    let _ = self.unexpected::<()>("`rpc`, `option` or `}`");
                    self.recover();
                    if self.tok() == Some(t) {
                        self.bump();
                    }
                }
            }
        };
        Ok(Service {
            name,
            items,
            meta: self.meta(kw, close, open),
        })
    }

    fn method(&mut self) -> PResult<Method<'a>> {
        let kw = self.bump();
        let name = self.ident()?;
        self.expect_punct(b'(')?;
        let client_streaming = self.stream_keyword();
        let input = self.type_name()?;
        self.expect_punct(b')')?;
        self.expect_word("returns")?;
        self.expect_punct(b'(')?;
        let server_streaming = self.stream_keyword();
        let output = self.type_name()?;
        self.expect_punct(b')')?;
        let mut options = Vec::new();
        // The comment after `;`, or after a body's `{`, trails the method (as protoc has it).
        let mut trailing_after = None;
        let end = if self.is_punct(b';') {
            self.bump()
        } else if self.is_punct(b'{') {
            trailing_after = Some(self.bump());
            loop {
                let Some(t) = self.tok() else {
                    return self.unexpected("`}`");
                };
                match t.kind {
                    Kind::Punct(b'}') => break self.bump(),
                    Kind::Punct(b';') => {
                        self.bump();
                    }
                    _ if self.is_word("option") => {
                        self.statement(&mut options, |p| p.option_stmt())
                    }
                    _ => {
                        let _ = self.unexpected::<()>("`option` or `}`");
                        self.recover();
                        if self.tok() == Some(t) {
                            self.bump();
                        }
                    }
                }
            }
        } else {
            return self.unexpected("`;` or `{`");
        };
        Ok(Method {
            name,
            client_streaming,
            input,
            server_streaming,
            output,
            options,
            meta: self.meta(kw, end, trailing_after.unwrap_or(end)),
        })
    }

    /// `stream` before a type name (not a type named `stream`).
    fn stream_keyword(&mut self) -> Option<Span> {
        let next_is_name = self
            .tok_at(1)
            .is_some_and(|t| matches!(t.kind, Kind::Ident | Kind::Punct(b'.')));
        (self.is_word("stream") && next_is_name).then(|| Self::span_of(self.bump()))
    }

    // ---- options ----

    fn option_stmt(&mut self) -> PResult<OptionStmt<'a>> {
        let kw = self.bump();
        let body = self.option_body()?;
        let semi = self.expect_punct(b';')?;
        Ok(OptionStmt {
            body,
            meta: self.meta(kw, semi, semi),
        })
    }

    fn option_list_opt(&mut self) -> PResult<Option<OptionList<'a>>> {
        if !self.is_punct(b'[') {
            return Ok(None);
        }
        let open = self.bump();
        let mut options = vec![self.option_body()?];
        let close = loop {
            if self.is_punct(b',') {
                self.bump();
                options.push(self.option_body()?);
            } else if self.is_punct(b']') {
                break self.bump();
            } else {
                return self.unexpected("`,` or `]`");
            }
        };
        Ok(Some(OptionList {
            span: Span::new(open.start, close.end),
            options,
        }))
    }

    fn option_body(&mut self) -> PResult<OptionBody<'a>> {
        let mut name = vec![self.option_name_part()?];
        while self.is_punct(b'.') {
            self.bump();
            name.push(self.option_name_part()?);
        }
        self.expect_punct(b'=')?;
        let value = self.option_value()?;
        let start = match &name[0] {
            OptionNamePart::Ident(i) => i.span,
            OptionNamePart::Extension(_, s) => *s,
        };
        let span = start.to(value.span());
        Ok(OptionBody { name, value, span })
    }

    fn option_name_part(&mut self) -> PResult<OptionNamePart<'a>> {
        if self.is_punct(b'(') {
            let open = self.bump();
            let name = self.type_name()?;
            let close = self.expect_punct(b')')?;
            Ok(OptionNamePart::Extension(
                name,
                Span::new(open.start, close.end),
            ))
        } else if self.is_kind(Kind::Ident) {
            Ok(OptionNamePart::Ident(self.ident()?))
        } else {
            self.unexpected("an option name")
        }
    }

    fn option_value(&mut self) -> PResult<OptionValue<'a>> {
        let Some(t) = self.tok() else {
            return self.unexpected("a value");
        };
        match t.kind {
            Kind::Punct(b'-') => {
                let minus = self.bump();
                let Some(n) = self.tok() else {
                    return self.unexpected("a number");
                };
                let span = Span::new(minus.start, n.end);
                match n.kind {
                    Kind::Int => {
                        self.pos -= 1;
                        Ok(OptionValue::Int(self.int()?))
                    }
                    Kind::Float => {
                        self.bump();
                        self.check_float_suffix(n);
                        Ok(OptionValue::Float {
                            value: -lex::float_value(self.text_of(n)),
                            span,
                        })
                    }
                    Kind::Ident => {
                        self.bump();
                        Ok(OptionValue::Ident {
                            negative: true,
                            name: self.text_of(n),
                            span,
                        })
                    }
                    _ => self.unexpected("a number"),
                }
            }
            Kind::Int => Ok(OptionValue::Int(self.int()?)),
            Kind::Float => {
                self.bump();
                self.check_float_suffix(t);
                Ok(OptionValue::Float {
                    value: lex::float_value(self.text_of(t)),
                    span: Self::span_of(t),
                })
            }
            Kind::Ident => {
                self.bump();
                Ok(OptionValue::Ident {
                    negative: false,
                    name: self.text_of(t),
                    span: Self::span_of(t),
                })
            }
            Kind::Str => {
                let (value, span) = self.string()?;
                Ok(OptionValue::String { value, span })
            }
            Kind::Punct(b'{') => self.aggregate(),
            _ => self.unexpected("a value"),
        }
    }

    fn check_float_suffix(&mut self, t: Tok) {
        if self.text_of(t).ends_with(['f', 'F']) {
            self.error(
                Self::span_of(t),
                "an `f` suffix is only allowed in text-format values (`{ ... }`)",
            );
        }
    }

    /// `{ ... }` in text format: kept as its tokens joined by single spaces, as protoc stores it.
    fn aggregate(&mut self) -> PResult<OptionValue<'a>> {
        let open = self.bump();
        let first = self.token_index(open);
        let mut text = String::new();
        let mut depth = 0u32;
        let close = loop {
            let Some(t) = self.tok() else {
                return self.unexpected("`}`");
            };
            match t.kind {
                Kind::Punct(b'{') => depth += 1,
                Kind::Punct(b'}') => {
                    if depth == 0 {
                        break self.bump();
                    }
                    depth -= 1;
                }
                _ => {}
            }
            self.bump();
            if !text.is_empty() {
                text.push(' ');
            }
            self.aggregate_token(t, &mut text);
        };
        self.aggregates.push((first, self.token_index(close)));
        Ok(OptionValue::Aggregate {
            text,
            span: Span::new(open.start, close.end),
        })
    }

    fn aggregate_token(&mut self, t: Tok, out: &mut String) {
        use std::fmt::Write;
        let raw = self.text_of(t);
        match t.kind {
            Kind::Int => match lex::int_value(raw) {
                Some(v) => {
                    let _ = write!(out, "{v}");
                }
                None => {
                    self.error(Self::span_of(t), "integer out of range (over 2^64 - 1)");
                }
            },
            Kind::Float => {
                let v = lex::float_value(raw);
                if v.fract() == 0.0 {
                    let _ = write!(out, "{v:.1}");
                } else {
                    let _ = write!(out, "{v}");
                }
            }
            Kind::Str => {
                let bytes = match lex::decode_string(self.text, t.token()) {
                    Ok(b) => b,
                    Err(e) => {
                        self.error(Span::new(e.start, e.end), e.message);
                        Vec::new()
                    }
                };
                out.push('"');
                for b in bytes {
                    let _ = write!(out, "{}", std::ascii::escape_default(b));
                }
                out.push('"');
            }
            _ => out.push_str(raw),
        }
    }
}

pub fn is_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b[0].is_ascii_alphabetic() && b[1..].iter().all(|&c| lex::is_ident_byte(c))
}

fn is_group_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b[0].is_ascii_uppercase() && b[1..].iter().all(|&c| lex::is_ident_byte(c))
}

fn is_valid_import(s: &str) -> bool {
    !s.starts_with('/')
        && s.split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'))
}
