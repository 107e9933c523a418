//! Places inside a message literal: `lt: 10` in `(buf.validate.field).fixed32 = { lt: 10 }`.
//!
//! protoc's SourceCodeInfo ends at the option; buf's compiler also locates each field set inside
//! a message literal, and its lint points there. This finds such a field in the option's text.

use crate::source::syntax::lex::{self, Kind, Token};

/// The byte range (within `text`) of the field `names[0]` of the message literal that `text`'s
/// option assigns, then of `names[1]` inside that field's own literal, and so on: from the
/// field's name to the end of its value.
pub(super) fn field_range(text: &str, names: &[&str]) -> Option<(usize, usize)> {
    let (tokens, _) = lex::lex(text);
    let tokens: Vec<Token> = tokens.into_iter().filter(|t| !t.kind.is_trivia()).collect();
    let at = |i: usize| {
        tokens
            .get(i)
            .map(|t| &text[t.start as usize..t.end as usize])
    };
    // The value after the option's `=`: skip the name, whose `(...)` holds no `=`.
    let eq = tokens.iter().position(|t| t.kind == Kind::Punct(b'='))?;
    let mut open = eq + 1;
    let mut range = None;
    for name in names {
        if !matches!(at(open), Some("{" | "<")) {
            return None;
        }
        let (start, value_end) = find_field(text, &tokens, open, name)?;
        range = Some((tokens[start].start as usize, tokens[value_end].end as usize));
        // The next name is inside this field's value: `name { ... }` or `name: { ... }`.
        open = if at(start + 1) == Some(":") {
            start + 2
        } else {
            start + 1
        };
    }
    range
}

/// In the literal opened at token `open`, the field `name`: the index of its name token and of
/// its value's last token.
fn find_field(text: &str, tokens: &[Token], open: usize, name: &str) -> Option<(usize, usize)> {
    let s = |t: &Token| &text[t.start as usize..t.end as usize];
    let mut i = open + 1;
    while i < tokens.len() {
        let token = &tokens[i];
        match s(token) {
            "}" | ">" => return None,
            "," | ";" => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // A field: a name (or `[extension.name]`), an optional `:`, a value.
        let name_start = i;
        let is_name = token.kind == Kind::Ident && s(token) == name;
        if s(token) == "[" {
            i = skip_group(text, tokens, i)?;
        }
        i += 1;
        if tokens.get(i).map(s) == Some(":") {
            i += 1;
        }
        let value_end = skip_value(text, tokens, i)?;
        if is_name {
            return Some((name_start, value_end));
        }
        i = value_end + 1;
    }
    None
}

/// The last token of the value starting at `i`: a scalar (a `-` sign included), a list, or a
/// message literal.
fn skip_value(text: &str, tokens: &[Token], i: usize) -> Option<usize> {
    let s = |i: usize| {
        tokens
            .get(i)
            .map(|t| &text[t.start as usize..t.end as usize])
    };
    match s(i)? {
        "{" | "<" | "[" => skip_group(text, tokens, i),
        "-" => Some(i + 1),
        _ => {
            // Adjacent strings concatenate.
            let mut end = i;
            while tokens[end].kind == Kind::Str
                && tokens.get(end + 1).is_some_and(|t| t.kind == Kind::Str)
            {
                end += 1;
            }
            Some(end)
        }
    }
}

/// The token that closes the bracket opened at `i`.
fn skip_group(text: &str, tokens: &[Token], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, t) in tokens.iter().enumerate().skip(i) {
        match &text[t.start as usize..t.end as usize] {
            "{" | "<" | "[" => depth += 1,
            "}" | ">" | "]" => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::field_range;

    fn found<'a>(text: &'a str, names: &[&str]) -> Option<&'a str> {
        field_range(text, names).map(|(a, b)| &text[a..b])
    }

    #[test]
    fn fields_of_a_message_literal() {
        let text = "(buf.validate.field).fixed32 = {\n    lt: 10 // a comment\n    gte: 10\n  }";
        assert_eq!(found(text, &["lt"]), Some("lt: 10"));
        assert_eq!(found(text, &["gte"]), Some("gte: 10"));
        assert_eq!(found(text, &["gt"]), None);
    }

    #[test]
    fn nested_literals_lists_signs_and_separators() {
        let text = "(a.b) = { in: [1, 2], [ext.name]: 3; lt: -5, c <x: \"a\" \"b\"> d: { e: 1 } }";
        assert_eq!(found(text, &["lt"]), Some("lt: -5"));
        assert_eq!(found(text, &["in"]), Some("in: [1, 2]"));
        assert_eq!(found(text, &["c"]), Some("c <x: \"a\" \"b\">"));
        assert_eq!(found(text, &["c", "x"]), Some("x: \"a\" \"b\""));
        assert_eq!(found(text, &["d", "e"]), Some("e: 1"));
        // Not a literal: nothing inside to find.
        assert_eq!(found("(a.b).c = 5", &["c"]), None);
    }
}
