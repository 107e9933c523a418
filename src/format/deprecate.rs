//! `protoforge format --deprecate PREFIX`: what `buf source edit deprecate --prefix` does.
//!
//! Marks as deprecated, by fully-qualified name:
//! - the file, when its package is or starts with a prefix (`option deprecated = true;` with the
//!   file options);
//! - messages, enums, services and methods whose name is or starts with a prefix (`option
//!   deprecated = true;` first in their body; a method without a body gains one);
//! - fields (extensions and groups too) and enum values only when a prefix is their exact name
//!   (`[deprecated = true]`, first in the compact options). Enum values are named in the enum's
//!   parent scope, as protobuf names them (`pkg.VALUE`, not `pkg.Enum.VALUE`).
//!
//! Prefixes match whole name parts: `foo.bar` matches `foo.bar.Baz`, never `foo.bart`. What is
//! already deprecated is left as it is. The changes are edits to the source text, which the
//! formatter lays out afterwards; they are placed so that comments stay with what they were
//! attached to.
//!
//! Where this differs from buf 1.75 on purpose: a method written `rpc M(A) returns (B); // c`
//! keeps its comment (buf drops comments around the `;` it replaces), and `deprecated = false`
//! becomes `true` (buf adds a second `deprecated` option, which does not compile). Like buf, a
//! group's own message body is not given an option: the group is a field, matched exactly.

use crate::source::syntax::ast::{
    Enum, EnumItem, Field, FieldKind, File, FileItem, Message, MessageItem, OneofItem, OptionBody,
    OptionList, OptionStmt, OptionValue, Service, ServiceItem, Span,
};
use crate::source::syntax::lex::{Kind, Token};
use crate::source::syntax::{self, SyntaxError};

/// The statement added to a body or the file.
const OPTION: &str = "option deprecated = true;";
/// The entry added to compact options.
const ENTRY: &str = "deprecated = true";

/// The text with the deprecations applied (not yet formatted), and whether any prefix named a
/// declaration of the file (also when all of them were deprecated already).
pub fn deprecate(text: &str, prefixes: &[String]) -> Result<(String, bool), Vec<SyntaxError>> {
    let parsed = syntax::parse_tree(text);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    let prefixes: Vec<&str> = prefixes
        .iter()
        .map(|p| p.trim().trim_start_matches('.'))
        .collect();
    let mut walk = Walk {
        text,
        tokens: &parsed.tokens,
        prefixes: &prefixes,
        edits: Vec::new(),
        matched: false,
    };
    walk.file(&parsed.file);
    let Walk {
        mut edits, matched, ..
    } = walk;
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len() + edits.len() * (OPTION.len() + 4));
    let mut at = 0;
    for edit in edits {
        let (start, end) = (edit.start as usize, edit.end as usize);
        debug_assert!(start >= at, "overlapping deprecation edits");
        out.push_str(&text[at..start]);
        out.push_str(&edit.insert);
        at = end;
    }
    out.push_str(&text[at..]);
    Ok((out, matched))
}

/// Replace `start..end` of the text with `insert`.
struct Edit {
    start: u32,
    end: u32,
    insert: String,
}

struct Walk<'a, 'p> {
    text: &'a str,
    tokens: &'a [Token],
    prefixes: &'p [&'p str],
    edits: Vec<Edit>,
    matched: bool,
}

/// Whether `name` is `prefix` or starts with `prefix.` (an empty prefix matches everything).
fn has_prefix(name: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || name
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

/// How an option says `deprecated`: not at all, `= true`, or `= false` (and where its value is).
enum Marked {
    No,
    True,
    False(Span),
}

fn marked(body: &OptionBody<'_>) -> Marked {
    if !body.is_named("deprecated") {
        return Marked::No;
    }
    match &body.value {
        OptionValue::Ident {
            negative: false,
            name: "true",
            ..
        } => Marked::True,
        OptionValue::Ident {
            negative: false,
            name: "false",
            span,
        } => Marked::False(*span),
        _ => Marked::No,
    }
}

impl Walk<'_, '_> {
    fn by_prefix(&mut self, name: &str) -> bool {
        let hit = self.prefixes.iter().any(|p| has_prefix(name, p));
        self.matched |= hit;
        hit
    }

    fn exactly(&mut self, name: &str) -> bool {
        let hit = self.prefixes.contains(&name);
        self.matched |= hit;
        hit
    }

    /// The index of the token that starts at `offset`, or the first after it.
    fn token_at(&self, offset: u32) -> usize {
        self.tokens.partition_point(|t| t.start < offset)
    }

    /// The first `{` (or `;`, when `or_semi`) token at or after `offset`.
    fn next_open(&self, offset: u32, or_semi: bool) -> Option<usize> {
        (self.token_at(offset)..self.tokens.len()).find(|&i| {
            let k = self.tokens[i].kind;
            k == Kind::Punct(b'{') || (or_semi && k == Kind::Punct(b';'))
        })
    }

    /// Where a statement goes after token `t`: past the comments that share its line when only
    /// comments follow it there (they stay its trailing comments), else right after it.
    fn after_line_of(&self, t: usize) -> u32 {
        let mut end = self.tokens[t].end;
        for tok in &self.tokens[t + 1..] {
            match tok.kind {
                Kind::Whitespace => {}
                Kind::BlockComment => end = tok.end,
                Kind::LineComment => {
                    let text = &self.text[tok.start as usize..tok.end as usize];
                    return tok.end - u32::from(text.ends_with('\n'));
                }
                Kind::Newline => return end,
                _ => return self.tokens[t].end,
            }
        }
        end
    }

    /// Inserts `line` as the first line after `at`, dropping the blank lines that followed `at`
    /// (a body's first statement has none before it).
    fn insert_first(&mut self, at: u32, line: &str) {
        let rest = &self.text[at as usize..];
        let blanks = rest.len() - rest.trim_start().len();
        self.edits.push(Edit {
            start: at,
            end: at + blanks as u32,
            insert: format!("\n{line}\n"),
        });
    }

    /// Whether `options` say `deprecated` already: `= true` is left alone, `= false` becomes
    /// `true`.
    fn already<'o, 's: 'o>(
        &mut self,
        options: impl IntoIterator<Item = &'o OptionBody<'s>>,
    ) -> bool {
        let mut false_at = None;
        for o in options {
            match marked(o) {
                Marked::True => return true,
                Marked::False(span) => false_at = false_at.or(Some(span)),
                Marked::No => {}
            }
        }
        let Some(value) = false_at else {
            return false;
        };
        self.edits.push(Edit {
            start: value.start,
            end: value.end,
            insert: "true".into(),
        });
        true
    }

    /// A message, enum or service by prefix: its `{` is the first after `name_end`.
    fn type_body<'o, 's: 'o>(
        &mut self,
        name: &str,
        name_end: u32,
        empty: bool,
        options: impl IntoIterator<Item = &'o OptionStmt<'s>>,
    ) {
        if self.by_prefix(name) {
            let open = self.next_open(name_end, false);
            self.deprecate_body(open, empty, options);
        }
    }

    /// `option deprecated = true;` first in the body that `open` (a `{`) starts, unless one of
    /// `options` says so already.
    fn deprecate_body<'o, 's: 'o>(
        &mut self,
        open: Option<usize>,
        empty: bool,
        options: impl IntoIterator<Item = &'o OptionStmt<'s>>,
    ) {
        if self.already(options.into_iter().map(|o| &o.body)) {
            return;
        }
        let Some(open) = open else { return };
        // In an empty body, comments after `{` belong inside it, after the new statement.
        let at = if empty {
            self.tokens[open].end
        } else {
            self.after_line_of(open)
        };
        self.insert_first(at, OPTION);
    }

    /// `[deprecated = true]` on a field or enum value whose number ends at `number_end`.
    fn deprecate_entry(&mut self, number_end: u32, options: Option<&OptionList<'_>>) {
        let Some(list) = options else {
            self.edits.push(Edit {
                start: number_end,
                end: number_end,
                insert: format!(" [{ENTRY}]"),
            });
            return;
        };
        if self.already(&list.options) {
            return;
        }
        let open = self.token_at(list.span.start);
        let at = self.after_line_of(open);
        self.insert_first(at, &format!("{ENTRY},"));
    }

    fn file(&mut self, file: &File<'_>) {
        let package = file.items.iter().find_map(|item| match item {
            FileItem::Package(p) => Some(p.name.name.as_ref()),
            _ => None,
        });
        let package = package.unwrap_or("");
        if !package.is_empty() && self.by_prefix(package) {
            self.deprecate_file(file);
        }
        for item in &file.items {
            match item {
                FileItem::Message(m) => self.message(package, m),
                FileItem::Enum(e) => self.enumeration(package, e),
                FileItem::Service(s) => self.service(package, s),
                FileItem::Extend(x) => self.fields(package, &x.fields),
                FileItem::Package(_) | FileItem::Import(_) | FileItem::Option(_) => {}
            }
        }
    }

    /// `option deprecated = true;` after the leading syntax, package, imports and options (the
    /// formatter sorts it among the options).
    fn deprecate_file(&mut self, file: &File<'_>) {
        let options = file.items.iter().filter_map(|item| match item {
            FileItem::Option(o) => Some(&o.body),
            _ => None,
        });
        if self.already(options) {
            return;
        }
        let mut last = file.syntax.as_ref().map(|s| s.meta.trailing_after);
        for item in &file.items {
            match item {
                FileItem::Package(p) => last = Some(p.meta.trailing_after),
                FileItem::Import(i) => last = Some(i.meta.trailing_after),
                FileItem::Option(o) => last = Some(o.meta.trailing_after),
                _ => break,
            }
        }
        let (at, insert) = match last {
            Some(t) => (self.after_line_of(t as usize), format!("\n{OPTION}\n")),
            None => (0, format!("{OPTION}\n")),
        };
        self.edits.push(Edit {
            start: at,
            end: at,
            insert,
        });
    }

    fn message(&mut self, scope: &str, m: &Message<'_>) {
        let name = join(scope, m.name.name);
        let options = m.body.iter().filter_map(|i| match i {
            MessageItem::Option(o) => Some(o),
            _ => None,
        });
        self.type_body(&name, m.name.span.end, m.body.is_empty(), options);
        self.message_items(&name, &m.body);
    }

    fn message_items(&mut self, name: &str, items: &[MessageItem<'_>]) {
        for item in items {
            match item {
                MessageItem::Field(f) => self.field(name, f),
                MessageItem::Message(m) => self.message(name, m),
                MessageItem::Enum(e) => self.enumeration(name, e),
                MessageItem::Extend(x) => self.fields(name, &x.fields),
                MessageItem::Oneof(o) => {
                    for item in &o.items {
                        if let OneofItem::Field(f) = item {
                            self.field(name, f);
                        }
                    }
                }
                MessageItem::Option(_) | MessageItem::Reserved(_) | MessageItem::Extensions(_) => {}
            }
        }
    }

    fn fields(&mut self, scope: &str, fields: &[Field<'_>]) {
        for f in fields {
            self.field(scope, f);
        }
    }

    fn field(&mut self, scope: &str, f: &Field<'_>) {
        let name = join(scope, f.name.name);
        if self.exactly(&name) {
            self.deprecate_entry(f.number.span.end, f.options.as_ref());
        }
        if let FieldKind::Group { body, .. } = &f.kind {
            self.message_items(&name, body);
        }
    }

    fn enumeration(&mut self, scope: &str, e: &Enum<'_>) {
        let name = join(scope, e.name.name);
        let options = e.items.iter().filter_map(|i| match i {
            EnumItem::Option(o) => Some(o),
            _ => None,
        });
        self.type_body(&name, e.name.span.end, e.items.is_empty(), options);
        for item in &e.items {
            if let EnumItem::Value(v) = item {
                // Enum values are siblings of their enum.
                if self.exactly(&join(scope, v.name.name)) {
                    self.deprecate_entry(v.number.span.end, v.options.as_ref());
                }
            }
        }
    }

    fn service(&mut self, scope: &str, s: &Service<'_>) {
        let name = join(scope, s.name.name);
        let options = s.items.iter().filter_map(|i| match i {
            ServiceItem::Option(o) => Some(o),
            _ => None,
        });
        self.type_body(&name, s.name.span.end, s.items.is_empty(), options);
        for item in &s.items {
            let ServiceItem::Method(m) = item else {
                continue;
            };
            if !self.by_prefix(&join(&name, m.name.name)) {
                continue;
            }
            let Some(end) = self.next_open(m.output.span.end, true) else {
                continue;
            };
            if self.tokens[end].kind == Kind::Punct(b'{') {
                self.deprecate_body(Some(end), m.options.is_empty(), &m.options);
            } else {
                // `rpc M(A) returns (B);` gains a body; comments after the `;` follow its `}`.
                let semi = self.tokens[end];
                self.edits.push(Edit {
                    start: semi.start,
                    end: semi.end,
                    insert: format!(" {{\n{OPTION}\n}}"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, prefixes: &[&str]) -> (String, bool) {
        let prefixes: Vec<String> = prefixes.iter().map(|p| p.to_string()).collect();
        let (edited, matched) = deprecate(text, &prefixes).unwrap();
        (crate::format::format(&edited).unwrap(), matched)
    }

    #[test]
    fn prefixes_match_whole_name_parts() {
        assert!(has_prefix("foo.bar.Baz", "foo.bar"));
        assert!(has_prefix("foo.bar", "foo.bar"));
        assert!(has_prefix("foo.bar", ""));
        assert!(!has_prefix("foo.bart", "foo.bar"));
        assert!(!has_prefix("foo", "foo.bar"));
    }

    #[test]
    fn nothing_matched_is_reported_and_nothing_changes() {
        let text = "syntax = \"proto3\";\npackage foo.v1;\nmessage A {}\n";
        let (out, matched) = run(text, &["foo.v2", "foo.v1.A.x", "foo.v"]);
        assert!(!matched);
        assert_eq!(out, text);
    }

    #[test]
    fn fields_and_values_need_their_exact_name() {
        let text = "syntax = \"proto3\";\npackage p;\nmessage A {\n  int32 x = 1;\n}\nenum E {\n  E_A = 0;\n}\n";
        let (out, matched) = run(text, &["p.A.x", "p.E_A", "p.E.E_A"]);
        assert!(matched);
        assert!(out.contains("int32 x = 1 [deprecated = true];"), "{out}");
        assert!(out.contains("E_A = 0 [deprecated = true];"), "{out}");
        assert!(!out.contains("option deprecated"), "{out}");
    }

    #[test]
    fn false_becomes_true_instead_of_a_second_option() {
        let text = "syntax = \"proto3\";\npackage p;\noption deprecated = false;\nmessage A {\n  option deprecated = false;\n  int32 x = 1 [deprecated = false];\n}\n";
        let (out, _) = run(text, &["p", "p.A.x"]);
        assert_eq!(out.matches("deprecated = true").count(), 3, "{out}");
        assert!(!out.contains("false"), "{out}");
    }

    #[test]
    fn a_method_keeps_the_comment_after_its_semicolon() {
        let text = "syntax = \"proto3\";\npackage p;\nmessage A {}\nservice S {\n  rpc M(A) returns (A); // why\n}\n";
        let (out, _) = run(text, &["p.S.M"]);
        assert!(
            out.contains("rpc M(A) returns (A) {\n    option deprecated = true;\n  } // why\n"),
            "{out}"
        );
    }

    #[test]
    fn deprecating_twice_changes_nothing() {
        let text = "syntax = \"proto2\";\npackage p;\nmessage A { // c\n\n  optional int32 x = 1 [ /* d */ packed = false];\n  optional group G = 2 {}\n}\nservice S { rpc M(A) returns (A); }\n";
        let prefixes = ["p", "p.A.x", "p.A.G"];
        let (once, _) = run(text, &prefixes);
        let (twice, matched) = run(&once, &prefixes);
        assert!(matched);
        assert_eq!(once, twice);
    }
}
