//! Edition 2024's naming style (`features.enforce_naming_style = STYLE2024`, its default): the
//! names protoc rejects in such a file. The rules below were taken from protoc 35.1's verdicts
//! on a grid of names (build-support/oracle): TitleCase for messages, enums, services and
//! methods; lower_snake_case for fields, oneofs and the package; UPPER_SNAKE_CASE for enum
//! values. An underscore must be followed by a letter of the name's case (`foo_2`, `foo__bar`
//! and `foo_` are rejected). `STYLE_LEGACY` at any scope turns the check off below it.

use super::ast::*;
use super::features::Edition;
use super::parse::SyntaxError;

/// `STYLE_LEGACY` (`FeatureSet.EnforceNamingStyle`).
const LEGACY: &str = "STYLE_LEGACY";

#[derive(Clone, Copy)]
enum Style {
    Title,
    LowerSnake,
    UpperSnake,
}

/// What is wrong with `name` in `style`, if anything.
fn violation(name: &str, style: Style) -> Option<&'static str> {
    let first = name.chars().next()?;
    let underscores_ok = |letter: fn(&char) -> bool| {
        let chars: Vec<char> = name.chars().collect();
        chars
            .iter()
            .enumerate()
            .all(|(i, c)| *c != '_' || chars.get(i + 1).is_some_and(letter))
    };
    match style {
        Style::Title if name.contains('_') => Some("should be TitleCase"),
        Style::Title if !first.is_ascii_uppercase() => Some("should begin with a capital letter"),
        Style::Title => None,
        Style::LowerSnake if name.chars().any(|c| c.is_ascii_uppercase()) => {
            Some("should be lower_snake_case")
        }
        Style::LowerSnake if !first.is_ascii_lowercase() => {
            Some("should begin with a lower case letter")
        }
        Style::LowerSnake if !underscores_ok(char::is_ascii_lowercase) => {
            Some("contains style violating underscores")
        }
        Style::UpperSnake if name.chars().any(|c| c.is_ascii_lowercase()) => {
            Some("should be UPPER_SNAKE_CASE")
        }
        Style::UpperSnake if !first.is_ascii_uppercase() => {
            Some("should begin with an upper case letter")
        }
        Style::UpperSnake if !underscores_ok(char::is_ascii_uppercase) => {
            Some("contains style violating underscores")
        }
        _ => None,
    }
}

/// Whether `options` turn the style on (`Some(true)`) or off at this scope.
fn style_set<'o>(options: impl IntoIterator<Item = &'o OptionBody<'o>>) -> Option<bool> {
    let mut set = None;
    for o in options {
        let is_feature = matches!(o.name.as_slice(),
            [OptionNamePart::Ident(f), OptionNamePart::Ident(n)]
                if f.name == "features" && n.name == "enforce_naming_style");
        if let (true, OptionValue::Ident { name, .. }) = (is_feature, &o.value) {
            set = Some(*name != LEGACY);
        }
    }
    set
}

/// Reports every name of `file` that edition 2024's naming style rejects.
pub fn check(file: &File<'_>, edition: Edition, errors: &mut Vec<SyntaxError>) {
    if edition < Edition::E2024 {
        return;
    }
    let on = style_set(file.items.iter().filter_map(|i| match i {
        FileItem::Option(o) => Some(&o.body),
        _ => None,
    }))
    .unwrap_or(true);
    let mut cx = Names { errors };
    for item in &file.items {
        match item {
            // The whole name, dots and all: protoc accepts `a._b.v1` but not `a.b__c.v1`.
            FileItem::Package(p) if on => {
                if let Some(why) = violation(&p.name.name, Style::LowerSnake) {
                    cx.report(p.name.span, "Package", &p.name.name, why);
                }
            }
            FileItem::Message(m) => cx.message(m, on),
            FileItem::Enum(e) => cx.enumeration(e, on),
            FileItem::Service(s) => cx.service(s, on),
            FileItem::Extend(e) => cx.fields(&e.fields, on),
            _ => {}
        }
    }
}

struct Names<'e> {
    errors: &'e mut Vec<SyntaxError>,
}

fn list_options<'a>(list: &'a Option<OptionList<'a>>) -> impl Iterator<Item = &'a OptionBody<'a>> {
    list.iter().flat_map(|l| &l.options)
}

impl Names<'_> {
    fn report(&mut self, span: Span, what: &str, name: &str, why: &str) {
        self.errors.push(SyntaxError {
            span,
            message: format!(
                "{what} name `{name}` {why} (edition 2024's naming style; \
                 `features.enforce_naming_style = STYLE_LEGACY` opts out)"
            ),
        });
    }

    fn name(&mut self, on: bool, ident: &Ident<'_>, what: &str, style: Style) {
        if let (true, Some(why)) = (on, violation(ident.name, style)) {
            self.report(ident.span, what, ident.name, why);
        }
    }

    fn message(&mut self, m: &Message<'_>, on: bool) {
        let on = style_set(m.body.iter().filter_map(|i| match i {
            MessageItem::Option(o) => Some(&o.body),
            _ => None,
        }))
        .unwrap_or(on);
        self.name(on, &m.name, "Message", Style::Title);
        for item in &m.body {
            match item {
                MessageItem::Field(f) => self.fields(std::slice::from_ref(f), on),
                MessageItem::Message(nested) => self.message(nested, on),
                MessageItem::Enum(e) => self.enumeration(e, on),
                MessageItem::Extend(e) => self.fields(&e.fields, on),
                MessageItem::Oneof(o) => {
                    let on = style_set(o.items.iter().filter_map(|i| match i {
                        OneofItem::Option(o) => Some(&o.body),
                        OneofItem::Field(_) => None,
                    }))
                    .unwrap_or(on);
                    self.name(on, &o.name, "Oneof", Style::LowerSnake);
                    for item in &o.items {
                        if let OneofItem::Field(f) = item {
                            self.fields(std::slice::from_ref(f), on);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn fields(&mut self, fields: &[Field<'_>], on: bool) {
        for f in fields {
            let on = style_set(list_options(&f.options)).unwrap_or(on);
            self.name(on, &f.name, "Field", Style::LowerSnake);
        }
    }

    fn enumeration(&mut self, e: &Enum<'_>, on: bool) {
        let on = style_set(e.items.iter().filter_map(|i| match i {
            EnumItem::Option(o) => Some(&o.body),
            _ => None,
        }))
        .unwrap_or(on);
        self.name(on, &e.name, "Enum", Style::Title);
        for item in &e.items {
            if let EnumItem::Value(v) = item {
                let on = style_set(list_options(&v.options)).unwrap_or(on);
                self.name(on, &v.name, "Enum value", Style::UpperSnake);
            }
        }
    }

    fn service(&mut self, s: &Service<'_>, on: bool) {
        let on = style_set(s.items.iter().filter_map(|i| match i {
            ServiceItem::Option(o) => Some(&o.body),
            ServiceItem::Method(_) => None,
        }))
        .unwrap_or(on);
        self.name(on, &s.name, "Service", Style::Title);
        for item in &s.items {
            if let ServiceItem::Method(m) = item {
                let on = style_set(m.options.iter().map(|o| &o.body)).unwrap_or(on);
                self.name(on, &m.name, "Method", Style::Title);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Style, violation};

    /// protoc 35.1's verdicts on edition 2024 names (build-support/oracle).
    #[test]
    fn names_get_protocs_verdicts() {
        let cases = [
            (Style::Title, "FooBar", None),
            (Style::Title, "FOO", None),
            (Style::Title, "Foo2Bar", None),
            (Style::Title, "Foo_Bar", Some("should be TitleCase")),
            (Style::Title, "kind_lower", Some("should be TitleCase")),
            (
                Style::Title,
                "fooBar",
                Some("should begin with a capital letter"),
            ),
            (Style::LowerSnake, "foo_bar2", None),
            (Style::LowerSnake, "foo2bar", None),
            (
                Style::LowerSnake,
                "fooBar",
                Some("should be lower_snake_case"),
            ),
            (
                Style::LowerSnake,
                "_foo",
                Some("should begin with a lower case letter"),
            ),
            (
                Style::LowerSnake,
                "foo_2",
                Some("contains style violating underscores"),
            ),
            (
                Style::LowerSnake,
                "foo__bar",
                Some("contains style violating underscores"),
            ),
            (
                Style::LowerSnake,
                "foo_",
                Some("contains style violating underscores"),
            ),
            (Style::UpperSnake, "FOO2BAR", None),
            (Style::UpperSnake, "FOO_BAR", None),
            (Style::UpperSnake, "fOO", Some("should be UPPER_SNAKE_CASE")),
            (
                Style::UpperSnake,
                "_FOO",
                Some("should begin with an upper case letter"),
            ),
            (
                Style::UpperSnake,
                "FOO_2BAR",
                Some("contains style violating underscores"),
            ),
        ];
        for (style, name, verdict) in cases {
            assert_eq!(violation(name, style), verdict, "{name}");
        }
    }
}
