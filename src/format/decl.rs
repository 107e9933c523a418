//! Declarations: the file's header (sorted), then every definition in source order, each
//! written token by token from its first token on.

use super::printer::{Close, Open, Printer};
use super::value::Val;
use crate::source::syntax::ast::{
    Enum, EnumItem, Extend, Extensions, Field, FieldKind, File, FileItem, Import, ImportKind,
    Message, MessageItem, Method, Oneof, OneofItem, OptionBody, OptionList, OptionNamePart,
    OptionStmt, Package, Range, RangeEnd, Reserved, ReservedKind, Service, ServiceItem, Span,
    SyntaxDecl,
};

impl<'a> Printer<'a> {
    pub(super) fn file(&mut self, file: &File<'_>) {
        // A definition right after `syntax` (no package, imports or options) gets a blank line;
        // otherwise blank lines between definitions are the source's.
        let mut after_syntax = self.header(file);
        for item in &file.items {
            let first = match item {
                FileItem::Package(_) | FileItem::Import(_) | FileItem::Option(_) => continue,
                FileItem::Message(m) => self.tok_at(start_of(m.visibility, m.meta.span)),
                FileItem::Enum(e) => self.tok_at(start_of(e.visibility, e.meta.span)),
                FileItem::Service(s) => self.tok_at(s.meta.span.start),
                FileItem::Extend(e) => self.tok_at(e.meta.span.start),
            };
            if std::mem::take(&mut after_syntax) && !self.leading_has_blank(first) {
                self.p("");
            }
            self.empty_statements_before(first);
            match item {
                FileItem::Message(m) => self.message_decl(m),
                FileItem::Enum(e) => self.enum_decl(e),
                FileItem::Service(s) => self.service(s),
                FileItem::Extend(e) => self.extend(e),
                _ => {}
            }
        }
        // Empty statements nothing else wrote: their comments still go out, before the last ones.
        for t in 0..self.sig.len() {
            if self.is_unseen_semi(t) {
                self.cur = t;
                self.empty_statements();
            }
        }
        let eof = self.sig.len();
        let comments = self.info[eof].leading.clone();
        if eof == 0 && !comments.is_empty() {
            // buf starts a file of comments alone with an empty line.
            self.p("");
        }
        self.multiline_comments(&comments, false);
        if self.last() != '\0' && self.last() != '\n' {
            self.p("");
        }
    }

    /// The header in canonical order: syntax, package, imports (by path, `import option` last),
    /// options (plain before extensions, by name). A declaration's comments move with it,
    /// except the ones a blank line separates from it: those stay where they were, before
    /// whatever declaration takes that place. True when the header is `syntax` alone.
    fn header(&mut self, file: &File<'_>) -> bool {
        let mut source = Vec::new();
        if let Some(s) = &file.syntax {
            source.push(Head::Syntax(s));
        }
        for item in &file.items {
            match item {
                FileItem::Package(p) => source.push(Head::Package(p)),
                FileItem::Import(i) => source.push(Head::Import(i)),
                FileItem::Option(o) => source.push(Head::Option(o)),
                _ => {}
            }
        }
        let mut sorted = source.clone();
        sorted.sort_by_cached_key(|h| match h {
            Head::Syntax(_) => (0, false, String::new()),
            Head::Package(_) => (1, false, String::new()),
            Head::Import(i) => (
                2,
                i.kind.is_some_and(|(k, _)| k == ImportKind::Option),
                self.text_at(i.path_span).to_owned(),
            ),
            Head::Option(o) => {
                let (extension, name) = option_sort_name(&o.body);
                (3, extension, name)
            }
        });
        // Blank lines before each declaration in the source, and the detached comments of each.
        // And whether what stays with each starts on a line of its own.
        let mut blank_before = Vec::with_capacity(source.len());
        let mut detached = Vec::with_capacity(source.len());
        let mut own_line = Vec::with_capacity(source.len());
        for h in &source {
            let t = self.tok_at(h.span().start);
            blank_before.push(self.blank_before(t));
            let split = self.split_detached(t);
            own_line.push(!split.is_empty() || self.starts_line(t));
            detached.push(split);
        }
        // Detached comments are written in source order: before a declaration, those of every
        // place up to its own in the source that were not written yet.
        let mut previous_rank = None;
        let mut written = 0;
        for h in &sorted {
            let rank = h.rank();
            let j = source
                .iter()
                .position(|s| s.span() == h.span())
                .unwrap_or_default();
            if let Some(prev) = previous_rank {
                let entering = prev != rank && rank >= 2;
                let source_blank = rank < 2 && blank_before[j];
                if entering || source_blank {
                    self.p("");
                }
            }
            previous_rank = Some(rank);
            let mut any = false;
            while written <= j {
                let comments = std::mem::take(&mut detached[written]);
                written += 1;
                if comments.is_empty() {
                    continue;
                }
                if any {
                    self.p("");
                }
                self.multiline_comments(&comments, true);
                any = true;
            }
            // A blank line after them when the declaration started a line in the source.
            if any && own_line[j] {
                self.p("");
            }
            match h {
                Head::Syntax(s) => self.syntax(s),
                Head::Package(p) => self.package(p),
                Head::Import(i) => self.import(i),
                Head::Option(o) => self.option_stmt(o, true),
            }
        }
        source.len() == 1 && file.syntax.is_some()
    }

    fn text_at(&self, span: Span) -> &'a str {
        &self.text[span.start as usize..span.end as usize]
    }

    /// The tokens from the cursor up to (not including) byte `end`, each written inline.
    fn inline_until(&mut self, end: u32) {
        while self.cur < self.sig.len() && self.sig[self.cur].start < end {
            let t = self.next();
            self.inline(t);
        }
    }

    /// A name or type (`a.b.C`) inline: buf writes it as one composite node, and a `//` comment
    /// inside it becomes `/* */`.
    fn name_inline(&mut self, end: u32) {
        self.with_line_to_block(true, |p| p.inline_composite(|p| p.inline_until(end)));
    }

    /// A number (or `-1`, `max`) inline, as one composite node.
    fn number_inline(&mut self, end: u32) {
        self.inline_composite(|p| p.inline_until(end));
    }

    /// A declaration's name: a `//` comment after it becomes `/* */`.
    fn decl_name(&mut self) {
        let name = self.next();
        self.with_line_to_block(true, |p| p.inline(name));
    }

    fn syntax(&mut self, s: &SyntaxDecl<'_>) {
        self.cur = self.tok_at(s.meta.span.start);
        let kw = self.next();
        self.start_maybe_compact(kw, true, true, None);
        self.space();
        let eq = self.next();
        self.inline(eq);
        self.space();
        self.string_value(s.value_span.end);
        let semi = self.next();
        self.statement_end(semi);
    }

    /// A string (or adjacent strings) ending at byte `end`.
    fn string_value(&mut self, end: u32) {
        let first = self.cur;
        let last = self.tok_at(end);
        if last - first == 1 {
            let t = self.next();
            self.inline(t);
        } else {
            let ts: Vec<usize> = (first..last).collect();
            self.cur = last;
            self.inline_composite(|p| p.strings(&ts, true, false));
        }
    }

    fn package(&mut self, p: &Package<'_>) {
        self.cur = self.tok_at(p.meta.span.start);
        let kw = self.next();
        self.start_maybe_compact(kw, true, true, None);
        self.space();
        self.name_inline(p.name.span.end);
        let semi = self.next();
        self.statement_end(semi);
    }

    fn import(&mut self, imp: &Import) {
        self.cur = self.tok_at(imp.meta.span.start);
        let kw = self.next();
        self.start_maybe_compact(kw, true, true, None);
        self.space();
        if imp.kind.is_some() {
            let m = self.next();
            self.inline(m);
            self.space();
        }
        self.string_value(imp.path_span.end);
        let semi = self.next();
        self.statement_end(semi);
    }

    /// `option name = value;`, in the header (`in_header`: its gap already written) or in a body.
    fn option_stmt(&mut self, o: &OptionStmt<'_>, in_header: bool) {
        self.cur = self.tok_at(o.meta.span.start);
        let kw = self.next();
        self.start_maybe_compact(kw, in_header, in_header, None);
        self.space();
        self.option_name(&o.body);
        self.space();
        let eq = self.next();
        self.inline(eq);
        let value = self.option_value(&o.body.value);
        let semi = self.cur;
        // The `;` follows on the line: a `//` comment in the value becomes `/* */`.
        self.with_line_to_block(true, |p| match &value {
            Val::Strings(ts) => p.strings(ts, true, true),
            v => {
                p.space();
                p.value_inline(v);
            }
        });
        self.statement_end(semi);
    }

    /// An option's name, inline, leaving the cursor on its `=`.
    fn option_name(&mut self, body: &OptionBody<'_>) {
        self.cur = self.tok_at(body.span.start);
        let end = name_end(body);
        self.with_line_to_block(true, |p| p.inline_until(end));
    }

    fn body_option(&mut self, o: &OptionStmt<'_>) {
        self.option_stmt(o, false);
    }

    /// `[a = 1]`, or one option per line when there are several (or comments inside).
    fn compact_options(&mut self, list: &OptionList<'_>) {
        let open = self.tok_at(list.span.start);
        let close = self.tok_at(list.span.end - 1);
        if list.options.len() == 1 {
            let body = &list.options[0];
            let name_first = self.tok_at(body.span.start);
            if !self.interior(&[(open, open), (name_first, name_first)]) {
                self.inline(open);
                self.cur = name_first;
                let end = name_end(body);
                // A lone option stays on the line: a `//` comment in it becomes `/* */`.
                self.with_line_to_block(true, |p| {
                    p.inline_composite(|p| p.inline_until(end));
                    p.space();
                    let eq = p.next();
                    p.inline(eq);
                    let value = p.option_value(&body.value);
                    match &value {
                        Val::Strings(ts) => p.strings(ts, false, true),
                        v => {
                            p.space();
                            p.value_inline(v);
                        }
                    }
                    p.inline(close);
                });
                self.cur = close + 1;
                return;
            }
        }
        let n = list.options.len();
        self.body(
            open,
            close,
            n > 0,
            |p| {
                for (i, body) in list.options.iter().enumerate() {
                    p.cur = p.tok_at(body.span.start);
                    let first = p.next();
                    let end = name_end(body);
                    p.with_line_to_block(true, |p| {
                        p.start(first, false);
                        p.inline_until(end);
                    });
                    p.space();
                    let eq = p.next();
                    p.inline(eq);
                    p.space();
                    let value = p.option_value(&body.value);
                    let after = p.cur;
                    if i + 1 == n {
                        match &value {
                            Val::Tok(t) => p.line_end(*t),
                            Val::Strings(ts) => {
                                p.strings(ts, true, false);
                            }
                            v => {
                                let taken = match v {
                                    Val::Message(_) | Val::List(_) => p.take_trailing(v.last()),
                                    _ => Vec::new(),
                                };
                                p.value_inline(v);
                                p.value_end_comments(&taken);
                                if p.last() != '\n' {
                                    p.p("");
                                }
                            }
                        }
                    } else {
                        // A `//` comment after a message value keeps its style: the `,` goes
                        // to the next line.
                        let line_comment = matches!(value, Val::Message(_) | Val::List(_))
                            && p.first_trailing_is_line(value.last());
                        match &value {
                            Val::Strings(ts) => p.strings(ts, true, true),
                            v if line_comment => {
                                let taken = p.take_trailing(v.last());
                                p.value_inline(v);
                                p.value_end_comments(&taken);
                                p.indent_for(false);
                            }
                            // A `//` after a value (the `,` follows) becomes `/* */`.
                            v => p.with_line_to_block(true, |p| p.value_inline(v)),
                        }
                        p.line_end(after);
                    }
                }
            },
            Open::Prefix,
            Close::Inline,
            None,
        );
        self.cur = close + 1;
    }

    fn message_decl(&mut self, m: &Message<'_>) {
        self.cur = self.tok_at(start_of(m.visibility, m.meta.span));
        self.keyword_and_name(m.visibility.is_some());
        self.type_body(|p| {
            for item in &m.body {
                p.message_item(item);
            }
        });
    }

    /// `[export|local] message Name`, then a space.
    fn keyword_and_name(&mut self, visibility: bool) {
        let first = self.next();
        self.start(first, false);
        if visibility {
            self.space();
            let kw = self.next();
            self.inline(kw);
        }
        self.space();
        self.decl_name();
        self.space();
    }

    /// A `{ ... }` body of declarations, from the cursor's `{`.
    fn type_body(&mut self, items: impl FnOnce(&mut Self)) {
        let open = self.cur;
        let close = self.matching(open);
        self.body(
            open,
            close,
            close > open + 1,
            items,
            Open::Prefix,
            Close::Line,
            None,
        );
        self.cur = close + 1;
        self.empty_statements();
    }

    /// The `;` ending a statement, and any empty statements after it.
    fn statement_end(&mut self, semi: usize) {
        self.line_end(semi);
        self.cur = semi + 1;
        self.empty_statements();
    }

    /// The comments of empty statements right before `first` that nothing wrote yet (a
    /// definition, whose previous declaration was written before it: the header's are not).
    fn empty_statements_before(&mut self, first: usize) {
        let mut k = first;
        while k > 0 && self.is_unseen_semi(k - 1) {
            k -= 1;
        }
        if k < first {
            self.cur = k;
            self.empty_statements();
        }
    }

    /// Empty statements (`;` alone, as in `};`) are dropped; their comments are kept, each on
    /// its own line.
    fn empty_statements(&mut self) {
        while self.is(self.cur, ";") {
            let t = self.next();
            self.mark_semi(t);
            let mut comments = self.info[t].leading.clone();
            comments.extend(self.info[t].trailing.iter().copied());
            self.multiline_comments(&comments, false);
        }
    }

    fn message_item(&mut self, item: &MessageItem<'_>) {
        match item {
            MessageItem::Field(f) => self.field(f),
            MessageItem::Message(m) => self.message_decl(m),
            MessageItem::Enum(e) => self.enum_decl(e),
            MessageItem::Extend(e) => self.extend(e),
            MessageItem::Oneof(o) => self.oneof(o),
            MessageItem::Option(o) => self.body_option(o),
            MessageItem::Reserved(r) => self.reserved(r),
            MessageItem::Extensions(e) => self.extensions(e),
        }
    }

    fn field(&mut self, f: &Field<'_>) {
        self.cur = self.tok_at(f.meta.span.start);
        match &f.kind {
            FieldKind::Normal { .. } => {
                // Without a label, the first token is the type's.
                let first = self.next();
                self.with_line_to_block(f.label.is_none(), |p| p.start(first, false));
                if f.label.is_some() {
                    self.space();
                }
                self.name_inline(f.name.span.start);
            }
            FieldKind::Map { ty_span, .. } => {
                if f.label.is_some() {
                    let label = self.next();
                    self.start(label, false);
                    self.space();
                    self.name_inline(ty_span.end);
                } else {
                    // `map` is a name too.
                    let kw = self.next();
                    self.with_line_to_block(true, |p| p.start(kw, false));
                    // `<K, V>` holds types: a `//` comment in it becomes `/* */`.
                    self.with_line_to_block(true, |p| {
                        let angle = p.next();
                        p.inline(angle);
                        while !p.is(p.cur, ",") {
                            let t = p.next();
                            p.inline(t);
                        }
                        let comma = p.next();
                        p.inline(comma);
                        p.space();
                        p.name_inline(ty_span.end - 1);
                    });
                    let close = self.next();
                    self.inline(close);
                }
            }
            FieldKind::Group { .. } => {
                let first = self.next();
                self.start(first, false);
                if f.label.is_some() {
                    self.space();
                    let kw = self.next();
                    self.inline(kw);
                }
            }
        }
        self.space();
        self.decl_name();
        self.space();
        let eq = self.next();
        self.inline(eq);
        self.space();
        self.number_inline(f.number.span.end);
        if let Some(list) = &f.options {
            self.space();
            self.compact_options(list);
        }
        match &f.kind {
            FieldKind::Group { body, .. } => {
                self.space();
                self.type_body(|p| {
                    for item in body {
                        p.message_item(item);
                    }
                });
            }
            _ => {
                let semi = self.next();
                self.statement_end(semi);
            }
        }
    }

    fn oneof(&mut self, o: &Oneof<'_>) {
        self.cur = self.tok_at(o.meta.span.start);
        self.keyword_and_name(false);
        self.type_body(|p| {
            for item in &o.items {
                match item {
                    OneofItem::Field(f) => p.field(f),
                    OneofItem::Option(o) => p.body_option(o),
                }
            }
        });
    }

    fn extend(&mut self, e: &Extend<'_>) {
        self.cur = self.tok_at(e.meta.span.start);
        let kw = self.next();
        self.start(kw, false);
        self.space();
        self.name_inline(e.extendee.span.end);
        self.space();
        self.type_body(|p| {
            for f in &e.fields {
                p.field(f);
            }
        });
    }

    fn enum_decl(&mut self, e: &Enum<'_>) {
        self.cur = self.tok_at(start_of(e.visibility, e.meta.span));
        self.keyword_and_name(e.visibility.is_some());
        self.type_body(|p| {
            for item in &e.items {
                match item {
                    EnumItem::Value(v) => {
                        p.cur = p.tok_at(v.meta.span.start);
                        let name = p.next();
                        p.with_line_to_block(true, |p| p.start(name, false));
                        p.space();
                        let eq = p.next();
                        p.inline(eq);
                        p.space();
                        p.number_inline(v.number.span.end);
                        if let Some(list) = &v.options {
                            p.space();
                            p.compact_options(list);
                        }
                        let semi = p.next();
                        p.statement_end(semi);
                    }
                    EnumItem::Option(o) => p.body_option(o),
                    EnumItem::Reserved(r) => p.reserved(r),
                }
            }
        });
    }

    fn service(&mut self, s: &Service<'_>) {
        self.cur = self.tok_at(s.meta.span.start);
        self.keyword_and_name(false);
        self.type_body(|p| {
            for item in &s.items {
                match item {
                    ServiceItem::Method(m) => p.method(m),
                    ServiceItem::Option(o) => p.body_option(o),
                }
            }
        });
    }

    fn method(&mut self, m: &Method<'_>) {
        self.cur = self.tok_at(m.meta.span.start);
        let kw = self.next();
        self.start(kw, false);
        self.space();
        self.decl_name();
        self.rpc_type(m.client_streaming.is_some(), m.input.span.end);
        self.space();
        let returns = self.next();
        self.inline(returns);
        self.space();
        self.rpc_type(m.server_streaming.is_some(), m.output.span.end);
        if self.is(self.cur, ";") {
            let semi = self.next();
            self.statement_end(semi);
            return;
        }
        self.space();
        self.type_body(|p| {
            for o in &m.options {
                p.body_option(o);
            }
        });
    }

    /// `(stream a.B)`
    fn rpc_type(&mut self, stream: bool, end: u32) {
        self.inline_composite(|p| {
            let open = p.next();
            p.inline(open);
            // buf keeps the source's space between `(` and a comment.
            if p.leading_ws_before_comment(p.cur) {
                p.write_space();
            }
            if stream {
                let s = p.next();
                p.inline(s);
                p.space();
            }
            p.name_inline(end);
            let close = p.next();
            // ... and always writes a space before a comment ahead of `)`.
            if p.has_leading(close) {
                p.write_space();
            }
            p.inline(close);
        });
    }

    fn ranges(&mut self, ranges: &[Range]) {
        for (i, r) in ranges.iter().enumerate() {
            if i > 0 {
                let comma = self.next();
                self.inline(comma);
                self.space();
            }
            self.range(r);
        }
    }

    fn range(&mut self, r: &Range) {
        self.inline_composite(|p| {
            p.number_inline(r.start.span.end);
            if r.end != RangeEnd::None {
                p.space();
                let to = p.next();
                p.inline(to);
                p.space();
                p.number_inline(r.end_span().end);
            }
        });
    }

    fn reserved(&mut self, r: &Reserved<'_>) {
        self.cur = self.tok_at(r.meta.span.start);
        let kw = self.next();
        self.start(kw, false);
        self.space();
        match &r.kind {
            ReservedKind::Ranges(ranges) => self.ranges(ranges),
            ReservedKind::Names(names) => {
                for (i, (_, span)) in names.iter().enumerate() {
                    if i > 0 {
                        let comma = self.next();
                        self.inline(comma);
                        self.space();
                    }
                    self.name_inline(span.end);
                }
            }
            ReservedKind::Idents(idents) => {
                for (i, ident) in idents.iter().enumerate() {
                    if i > 0 {
                        let comma = self.next();
                        self.inline(comma);
                        self.space();
                    }
                    self.name_inline(ident.span.end);
                }
            }
        }
        let semi = self.next();
        self.statement_end(semi);
    }

    fn extensions(&mut self, e: &Extensions<'_>) {
        self.cur = self.tok_at(e.meta.span.start);
        let kw = self.next();
        self.start(kw, false);
        self.space();
        self.ranges(&e.ranges);
        if let Some(list) = &e.options {
            self.space();
            self.compact_options(list);
        }
        let semi = self.next();
        self.statement_end(semi);
    }
}

/// A header declaration.
#[derive(Clone, Copy)]
enum Head<'x, 'a> {
    Syntax(&'x SyntaxDecl<'a>),
    Package(&'x Package<'a>),
    Import(&'x Import),
    Option(&'x OptionStmt<'a>),
}

impl Head<'_, '_> {
    fn span(&self) -> Span {
        match self {
            Head::Syntax(s) => s.meta.span,
            Head::Package(p) => p.meta.span,
            Head::Import(i) => i.meta.span,
            Head::Option(o) => o.meta.span,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Head::Syntax(_) => 0,
            Head::Package(_) => 1,
            Head::Import(_) => 2,
            Head::Option(_) => 3,
        }
    }
}

/// Where a definition starts: at `export`/`local` when it has one.
fn start_of(visibility: Option<(crate::source::syntax::ast::Visibility, Span)>, span: Span) -> u32 {
    visibility.map_or(span.start, |(_, s)| s.start.min(span.start))
}

/// The end of an option's name (its last part).
fn name_end(body: &OptionBody<'_>) -> u32 {
    match body.name.last() {
        Some(OptionNamePart::Ident(i)) => i.span.end,
        Some(OptionNamePart::Extension(_, span)) => span.end,
        None => body.span.start,
    }
}

/// How header options sort: plain ones before `(extensions)`, then by name.
fn option_sort_name(body: &OptionBody<'_>) -> (bool, String) {
    let mut name = String::new();
    for (i, part) in body.name.iter().enumerate() {
        if i > 0 {
            name.push('.');
        }
        match part {
            OptionNamePart::Ident(id) => name.push_str(id.name),
            OptionNamePart::Extension(t, _) => {
                name.push('(');
                name.push_str(&t.name);
                name.push(')');
            }
        }
    }
    (
        matches!(body.name.first(), Some(OptionNamePart::Extension(..))),
        name,
    )
}
