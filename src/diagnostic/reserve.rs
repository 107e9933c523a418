//! The fix that adds `reserved` numbers and names to a message or enum: merged into its first
//! `reserved` statement of that kind, else a new statement as its first line.

use super::{Edit, Fix};
use crate::source::locate::Locations;
use crate::source::text::SourceText;

/// What a message or enum must reserve.
pub struct Reserve<'a> {
    /// The message's or enum's SourceCodeInfo path.
    pub decl: &'a [i32],
    /// Field numbers of `reserved` ranges and names in the declaration (9/10 for messages, 4/5
    /// for enums).
    pub ranges_field: i32,
    pub names_field: i32,
    /// Inclusive ranges (`(3, 3)` is `3`, `(7, 9)` is `7 to 9`).
    pub numbers: Vec<(i64, i64)>,
    pub names: Vec<String>,
}

/// Ranges as `reserved` writes them: `3`, `3, 7 to 9`.
pub fn number_list(numbers: &[(i64, i64)]) -> String {
    numbers
        .iter()
        .map(|&range| number_range(range))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One inclusive range as `reserved` writes it: `3`, `7 to 9`.
pub fn number_range((first, last): (i64, i64)) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first} to {last}")
    }
}

/// Names as `reserved` writes them: `"note"`, `"a", "b"`.
pub fn name_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Names as an editions file reserves them: identifiers, `note`, `a, b`.
fn ident_list(names: &[String]) -> String {
    names.join(", ")
}

/// The fix, or None when the declaration has no location.
pub fn reserve_fix(text: &SourceText, locations: &Locations, r: &Reserve) -> Option<Fix> {
    let mut numbers = r.numbers.clone();
    numbers.sort_unstable();
    numbers.dedup();
    let mut names = r.names.clone();
    names.sort();
    names.dedup();
    let src = text.as_str();
    // Editions reserve names as identifiers; proto2 and proto3 as strings.
    let editions = locations
        .span(text, &[crate::source::locate::path::FILE_SYNTAX])
        .is_some_and(|s| src[s.start..s.end].starts_with("edition"));
    let mut edits = Vec::new();
    let mut parts = Vec::new();
    for (field, items) in [
        (
            r.ranges_field,
            (!numbers.is_empty()).then(|| number_list(&numbers)),
        ),
        (
            r.names_field,
            (!names.is_empty()).then(|| {
                if editions {
                    ident_list(&names)
                } else {
                    name_list(&names)
                }
            }),
        ),
    ] {
        let Some(items) = items else { continue };
        parts.push(format!("reserved {items};"));
        let mut stmt_path = r.decl.to_vec();
        stmt_path.push(field);
        match locations.span(text, &stmt_path) {
            // `reserved 2, 5 to 7;` -> insert before the `;`.
            Some(stmt) if src[stmt.start..stmt.end].ends_with(';') => edits.push(Edit {
                start: stmt.end - 1,
                end: stmt.end - 1,
                replacement: format!(", {items}"),
            }),
            _ => {
                let decl = locations.span(text, r.decl)?;
                let brace = decl.start + src[decl.start..decl.end].find('{')?;
                let line_start = src[..decl.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
                let indent: String = src[line_start..decl.start]
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .collect();
                let closes_here = src[brace + 1..]
                    .trim_start_matches([' ', '\t'])
                    .starts_with('}');
                let mut insert = format!("\n{indent}  reserved {items};");
                if closes_here {
                    insert.push('\n');
                    insert.push_str(&indent);
                }
                edits.push(Edit {
                    start: brace + 1,
                    end: brace + 1,
                    replacement: insert,
                });
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        description: format!("added `{}`", parts.join(" ")),
        edits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(src: &str, decl: &[i32], numbers: Vec<(i64, i64)>, names: Vec<String>) -> String {
        let proto = crate::source::syntax::parse("a.proto", src).unwrap();
        let text = SourceText::new(src);
        let locations = Locations::new(&proto);
        let r = Reserve {
            decl,
            ranges_field: 9,
            names_field: 10,
            numbers,
            names,
        };
        let f = reserve_fix(&text, &locations, &r).unwrap();
        super::super::fix::apply(src, &f.edits).0
    }

    #[test]
    fn merges_into_existing_statements_or_adds_lines() {
        let src = "syntax = \"proto3\";\nmessage M {\n  reserved 2;\n  reserved \"x\";\n  string a = 1;\n}\n";
        assert_eq!(
            fix(src, &[4, 0], vec![(3, 3), (4, 6)], vec!["note".into()]),
            "syntax = \"proto3\";\nmessage M {\n  reserved 2, 3, 4 to 6;\n  reserved \"x\", \"note\";\n  string a = 1;\n}\n"
        );
        let src = "syntax = \"proto3\";\nmessage M {\n  string a = 1; // keep\n}\n";
        assert_eq!(
            fix(src, &[4, 0], vec![(3, 3)], vec!["note".into()]),
            "syntax = \"proto3\";\nmessage M {\n  reserved 3;\n  reserved \"note\";\n  string a = 1; // keep\n}\n"
        );
        let src = "syntax = \"proto3\";\nmessage M {}\n";
        assert_eq!(
            fix(src, &[4, 0], vec![(1, 1)], vec![]),
            "syntax = \"proto3\";\nmessage M {\n  reserved 1;\n}\n"
        );
        // Editions reserve identifiers.
        let src = "edition = \"2023\";\nmessage M {\n  reserved old;\n  int32 a = 1;\n}\n";
        let fixed = fix(src, &[4, 0], vec![(2, 2)], vec!["note".into()]);
        assert_eq!(
            fixed,
            "edition = \"2023\";\nmessage M {\n  reserved 2;\n  reserved old, note;\n  int32 a = 1;\n}\n"
        );
        assert!(
            crate::source::syntax::parse("a.proto", &fixed).is_ok(),
            "{fixed}"
        );
    }
}
