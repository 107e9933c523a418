//! Case conversions with buf's semantics, so that verdicts match `buf lint`.

fn is_delimiter(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ' ' | '\t' | '\n' | '\r')
}

/// PascalCase as buf computes it: delimiters dropped, the first letter and every letter after a
/// delimiter upper-cased, upper-case letters kept, everything else lower-cased.
pub fn to_pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous: Option<char> = None;
    for (i, c) in s.trim().char_indices() {
        if !is_delimiter(c) {
            if i == 0 || previous.is_some_and(is_delimiter) || c.is_uppercase() {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
        previous = Some(c);
    }
    out
}

fn is_new_word(c: char, on_digits: bool) -> bool {
    c.is_uppercase() || (on_digits && c.is_ascii_digit())
}

/// snake_case as buf computes it (before lower- or upper-casing).
fn to_snake_case(s: &str, new_word_on_digits: bool) -> String {
    let s = s.trim_matches(is_delimiter);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let c = if is_delimiter(c) { '_' } else { c };
        if i == 0 {
            out.push(c);
            continue;
        }
        let last_is_underscore = out.ends_with('_');
        let next = chars.get(i + 1).copied();
        if is_new_word(c, new_word_on_digits)
            && !last_is_underscore
            && (next.is_some_and(|n| !is_new_word(n, true) && !is_delimiter(n))
                || (new_word_on_digits && c.is_ascii_digit())
                || chars[i - 1].is_lowercase())
        {
            out.push('_');
            out.push(c);
        } else if !(c == '_' && last_is_underscore) {
            out.push(c);
        }
    }
    out
}

pub fn to_lower_snake_case(s: &str) -> String {
    to_snake_case(s, false).to_lowercase()
}

pub fn to_upper_snake_case(s: &str) -> String {
    to_snake_case(s, false).to_uppercase()
}

/// Whether `s` is lower_snake_case as buf checks it (`foo_1` and `foo1` both pass).
pub fn is_lower_snake_case(s: &str) -> bool {
    s == to_lower_snake_case(s)
}

/// Whether `s` is UPPER_SNAKE_CASE as buf checks it.
pub fn is_upper_snake_case(s: &str) -> bool {
    s == to_upper_snake_case(s)
}

pub fn is_pascal_case(s: &str) -> bool {
    s == to_pascal_case(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal() {
        for ok in ["Foo", "FooBar", "HTTPServer", "Foo1", "V1Beta"] {
            assert!(is_pascal_case(ok), "{ok}");
        }
        for bad in ["foo", "fooBar", "Foo_Bar", "FOO_BAR", "_Foo"] {
            assert!(!is_pascal_case(bad), "{bad}");
        }
        assert_eq!(to_pascal_case("foo_bar"), "FooBar");
        assert_eq!(to_pascal_case("get_product"), "GetProduct");
    }

    #[test]
    fn snake() {
        for ok in ["foo", "foo_bar", "foo1", "foo_1", "v1beta1", "a_b_c"] {
            assert!(is_lower_snake_case(ok), "{ok}");
        }
        for bad in ["Foo", "fooBar", "foo__bar", "_foo", "foo_", "FOO"] {
            assert!(!is_lower_snake_case(bad), "{bad}");
        }
        assert_eq!(to_lower_snake_case("fooBar"), "foo_bar");
        assert_eq!(to_lower_snake_case("HTTPServer"), "http_server");
        assert_eq!(to_upper_snake_case("fooBar"), "FOO_BAR");
        assert_eq!(to_lower_snake_case("foo__bar"), "foo_bar");
    }
}
