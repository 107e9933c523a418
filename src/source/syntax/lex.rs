//! The lexer: the whole text as tokens, trivia included (whitespace, newlines, comments), each
//! with its byte span. Concatenating the tokens' texts gives back the file byte for byte.
//!
//! Values (the number an integer spells, the bytes a string holds, a comment's text) are not
//! computed here: the parser asks for them only for the tokens it uses.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `[A-Za-z_][A-Za-z0-9_]*`
    Ident,
    /// Decimal, octal (`017`) or hexadecimal (`0x1F`) integer.
    Int,
    /// A floating-point literal (`1.5`, `1e3`, `.5`, `2f`).
    Float,
    /// A quoted string, `'...'` or `"..."`, escapes undecoded.
    Str,
    /// One punctuation character: `. - + ( ) { } [ ] < > , = : ; /`.
    Punct(u8),
    /// `// ...` up to and including its newline.
    LineComment,
    /// `# ...` up to and including its newline: a comment only inside text-format option values.
    HashComment,
    /// `/* ... */` and the blanks after it on its line.
    BlockComment,
    /// One `\n`.
    Newline,
    /// Spaces, tabs, `\r`, `\v`, `\f`.
    Whitespace,
    /// A character no token starts with.
    Error,
}

impl Kind {
    /// Whitespace, newlines and comments: what the grammar does not see.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            Kind::LineComment
                | Kind::HashComment
                | Kind::BlockComment
                | Kind::Newline
                | Kind::Whitespace
        )
    }
}

/// A token: its kind and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
}

/// A problem the lexer found, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub start: u32,
    pub end: u32,
    pub message: String,
}

/// Splits `text` into tokens (trivia included) and the problems found on the way. Every byte of
/// the text is in exactly one token. Linear in the text's length.
pub fn lex(text: &str) -> (Vec<Token>, Vec<LexError>) {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len() / 4 + 1);
    let mut errors = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = match b {
            b'\n' => {
                i += 1;
                Kind::Newline
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | 0x0b | 0x0c) {
                    i += 1;
                }
                Kind::Whitespace
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                while i < bytes.len() && is_ident_byte(bytes[i]) {
                    i += 1;
                }
                Kind::Ident
            }
            b'0'..=b'9' => number(bytes, &mut i, &mut errors),
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                number(bytes, &mut i, &mut errors)
            }
            b'"' | b'\'' => {
                string(bytes, &mut i, &mut errors);
                Kind::Str
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                line_end(bytes, &mut i);
                Kind::LineComment
            }
            b'#' => {
                line_end(bytes, &mut i);
                Kind::HashComment
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                block_comment(bytes, &mut i, &mut errors);
                Kind::BlockComment
            }
            b'.' | b'-' | b'+' | b'(' | b')' | b'{' | b'}' | b'[' | b']' | b'<' | b'>' | b','
            | b'=' | b':' | b';' | b'/' => {
                i += 1;
                Kind::Punct(b)
            }
            _ => {
                // One whole character, so that spans stay on character boundaries.
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                i += len;
                let shown = &text[start..i];
                errors.push(LexError {
                    start: start as u32,
                    end: i as u32,
                    message: if shown.chars().all(|c| c.is_control()) {
                        format!("invalid character {:?}", shown)
                    } else {
                        format!("invalid character `{shown}`")
                    },
                });
                Kind::Error
            }
        };
        tokens.push(Token {
            kind,
            start: start as u32,
            end: i as u32,
        });
    }
    (tokens, errors)
}

pub fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn line_end(bytes: &[u8], i: &mut usize) {
    match memchr(b'\n', &bytes[*i..]) {
        Some(n) => *i += n + 1,
        None => *i = bytes.len(),
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// A number: an integer or a float. protoc's rules: a leading `0` means octal, `0x` hex; a `.`,
/// an exponent or an `f` suffix makes a float; a letter right after a number is an error.
fn number(bytes: &[u8], i: &mut usize, errors: &mut Vec<LexError>) -> Kind {
    let start = *i;
    let mut kind = Kind::Int;
    let digits = |i: &mut usize, ok: fn(u8) -> bool| {
        while *i < bytes.len() && ok(bytes[*i]) {
            *i += 1;
        }
    };
    if bytes[*i] == b'0' && matches!(bytes.get(*i + 1), Some(b'x' | b'X')) {
        *i += 2;
        let digits_start = *i;
        digits(i, |b| b.is_ascii_hexdigit());
        if *i == digits_start {
            errors.push(LexError {
                start: start as u32,
                end: *i as u32,
                message: "\"0x\" must be followed by hex digits".into(),
            });
        }
    } else {
        digits(i, |b| b.is_ascii_digit());
        if bytes.get(*i) == Some(&b'.') {
            kind = Kind::Float;
            *i += 1;
            digits(i, |b| b.is_ascii_digit());
        }
        if matches!(bytes.get(*i), Some(b'e' | b'E')) {
            let mut j = *i + 1;
            if matches!(bytes.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if bytes.get(j).is_some_and(u8::is_ascii_digit) {
                kind = Kind::Float;
                *i = j;
                digits(i, |b| b.is_ascii_digit());
            }
        }
        if matches!(bytes.get(*i), Some(b'f' | b'F')) {
            kind = Kind::Float;
            *i += 1;
        }
        if kind == Kind::Int
            && bytes[start] == b'0'
            && *i - start > 1
            && !bytes[start + 1..*i]
                .iter()
                .all(|b| (b'0'..=b'7').contains(b))
        {
            errors.push(LexError {
                start: start as u32,
                end: *i as u32,
                message: "numbers starting with a leading zero must be in octal".into(),
            });
        }
    }
    if *i < bytes.len() && is_ident_byte(bytes[*i]) {
        let at = *i;
        while *i < bytes.len() && is_ident_byte(bytes[*i]) {
            *i += 1;
        }
        errors.push(LexError {
            start: at as u32,
            end: *i as u32,
            message: "a number must be followed by a space before an identifier".into(),
        });
    }
    kind
}

/// A quoted string up to its closing quote; at a newline or the end of the file it is
/// unterminated (an error; the token ends there). Escapes are checked by `decode_string`.
fn string(bytes: &[u8], i: &mut usize, errors: &mut Vec<LexError>) {
    let start = *i;
    let quote = bytes[*i];
    *i += 1;
    while *i < bytes.len() {
        match bytes[*i] {
            b if b == quote => {
                *i += 1;
                return;
            }
            b'\\' if *i + 1 < bytes.len() && bytes[*i + 1] != b'\n' => *i += 2,
            b'\n' => break,
            _ => *i += 1,
        }
    }
    errors.push(LexError {
        start: start as u32,
        end: *i as u32,
        message: "unterminated string".into(),
    });
}

fn block_comment(bytes: &[u8], i: &mut usize, errors: &mut Vec<LexError>) {
    let start = *i;
    *i += 2;
    while *i < bytes.len() {
        if bytes[*i] == b'*' && bytes.get(*i + 1) == Some(&b'/') {
            *i += 2;
            while *i < bytes.len() && matches!(bytes[*i], b' ' | b'\t' | b'\r' | 0x0b | 0x0c) {
                *i += 1;
            }
            return;
        }
        if bytes[*i] == b'/' && bytes.get(*i + 1) == Some(&b'*') {
            errors.push(LexError {
                start: *i as u32,
                end: *i as u32 + 2,
                message: "`/*` inside a block comment: block comments cannot be nested".into(),
            });
        }
        *i += 1;
    }
    errors.push(LexError {
        start: start as u32,
        end: start as u32 + 2,
        message: "unterminated block comment".into(),
    });
}

/// The bytes a string token holds (quotes removed, escapes decoded), or the span and message of
/// its first bad escape or character.
pub fn decode_string(text: &str, token: Token) -> Result<Vec<u8>, LexError> {
    let raw = &text.as_bytes()[token.start as usize..token.end as usize];
    let quote = raw[0];
    let body = match raw.last() {
        Some(&b) if raw.len() > 1 && b == quote => &raw[1..raw.len() - 1],
        _ => &raw[1..],
    };
    let at = |offset: usize, len: usize, message: &str| LexError {
        start: token.start + 1 + offset as u32,
        end: token.start + 1 + (offset + len) as u32,
        message: message.to_owned(),
    };
    let mut out = Vec::with_capacity(body.len());
    let mut j = 0;
    while j < body.len() {
        let b = body[j];
        if b == 0 {
            return Err(at(j, 1, "a string cannot hold a NUL byte; write `\\0`"));
        }
        if b != b'\\' {
            out.push(b);
            j += 1;
            continue;
        }
        let Some(&e) = body.get(j + 1) else {
            return Err(at(j, 1, "invalid escape"));
        };
        let simple = match e {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'?' | b'\\' | b'\'' | b'"' => Some(e),
            _ => None,
        };
        if let Some(v) = simple {
            out.push(v);
            j += 2;
            continue;
        }
        match e {
            b'x' | b'X' => {
                let n = hex_run(&body[j + 2..], 2);
                if n == 0 {
                    return Err(at(j, 2, "`\\x` must be followed by a hex digit"));
                }
                let v = parse_radix(&body[j + 2..j + 2 + n], 16);
                out.push(v as u8);
                j += 2 + n;
            }
            b'0'..=b'7' => {
                let n = body[j + 1..]
                    .iter()
                    .take(3)
                    .take_while(|b| (b'0'..=b'7').contains(b))
                    .count();
                let v = parse_radix(&body[j + 1..j + 1 + n], 8);
                if v > 255 {
                    return Err(at(j, 1 + n, "octal escape out of range (over \\377)"));
                }
                out.push(v as u8);
                j += 1 + n;
            }
            b'u' | b'U' => {
                let want = if e == b'u' { 4 } else { 8 };
                let n = hex_run(&body[j + 2..], want);
                let c = (n == want)
                    .then(|| char::from_u32(parse_radix(&body[j + 2..j + 2 + n], 16)))
                    .flatten();
                let Some(c) = c else {
                    return Err(at(j, 2 + n, "invalid unicode escape"));
                };
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                j += 2 + n;
            }
            _ => return Err(at(j, 2, "invalid escape")),
        }
    }
    Ok(out)
}

fn hex_run(bytes: &[u8], max: usize) -> usize {
    bytes
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count()
}

fn parse_radix(digits: &[u8], radix: u32) -> u32 {
    digits.iter().fold(0u32, |acc, &d| {
        acc.wrapping_mul(radix)
            .wrapping_add((d as char).to_digit(radix).unwrap_or(0))
    })
}

/// The value of an integer token, or `None` when it does not fit in 64 bits.
pub fn int_value(text: &str) -> Option<u64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        u64::from_str_radix(&text[1..], 8).ok()
    } else {
        text.parse().ok()
    }
}

/// The value of a float token (an `f` suffix dropped).
pub fn float_value(text: &str) -> f64 {
    let t = text.trim_end_matches(['f', 'F']);
    t.parse().unwrap_or(f64::INFINITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        let (tokens, errors) = lex(text);
        assert!(errors.is_empty(), "{errors:?}");
        tokens
            .iter()
            .map(|t| (t.kind, &text[t.start as usize..t.end as usize]))
            .collect()
    }

    #[test]
    fn tokens_cover_the_text() {
        let text = "syntax = \"proto3\"; // c\n/* b */  message M{int32 a=0x1F;}\r\n.5 1e3 07 #h\n";
        let (tokens, _) = lex(text);
        let joined: String = tokens
            .iter()
            .map(|t| &text[t.start as usize..t.end as usize])
            .collect();
        assert_eq!(joined, text);
        assert_eq!(
            kinds("a.b 1.5 .5 1e3 0x1F 017 'x'"),
            vec![
                (Kind::Ident, "a"),
                (Kind::Punct(b'.'), "."),
                (Kind::Ident, "b"),
                (Kind::Whitespace, " "),
                (Kind::Float, "1.5"),
                (Kind::Whitespace, " "),
                (Kind::Float, ".5"),
                (Kind::Whitespace, " "),
                (Kind::Float, "1e3"),
                (Kind::Whitespace, " "),
                (Kind::Int, "0x1F"),
                (Kind::Whitespace, " "),
                (Kind::Int, "017"),
                (Kind::Whitespace, " "),
                (Kind::Str, "'x'"),
            ]
        );
    }

    #[test]
    fn bad_input_is_located() {
        let (_, errors) = lex("\"abc\nx 09 1x /* /* */ \u{1}");
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unterminated string",
                "numbers starting with a leading zero must be in octal",
                "a number must be followed by a space before an identifier",
                "`/*` inside a block comment: block comments cannot be nested",
                "invalid character \"\\u{1}\"",
            ]
        );
        assert_eq!((errors[0].start, errors[0].end), (0, 4));
        let (tokens, errors) = lex("/* never closed");
        assert_eq!(tokens.len(), 1);
        assert_eq!(errors[0].message, "unterminated block comment");
    }

    #[test]
    fn strings_decode_every_escape() {
        let decode = |s: &str| {
            let (tokens, _) = lex(s);
            decode_string(s, tokens[0])
        };
        assert_eq!(
            decode(r#""a\n\t\x41\101\u00e9\U0001F600\?\'\"""#).unwrap(),
            "a\n\tAA\u{e9}\u{1F600}?'\"".as_bytes()
        );
        assert_eq!(
            decode(r"'\xZ'").unwrap_err().message,
            "`\\x` must be followed by a hex digit"
        );
        assert_eq!(
            decode(r"'\477'").unwrap_err().message,
            "octal escape out of range (over \\377)"
        );
        assert_eq!(decode(r"'\q'").unwrap_err().message, "invalid escape");
        assert_eq!(
            decode(r"'\uD800'").unwrap_err().message,
            "invalid unicode escape"
        );
        assert_eq!(decode("'\\1234'").unwrap(), b"S4");
    }

    #[test]
    fn integer_values() {
        assert_eq!(int_value("0x1F"), Some(31));
        assert_eq!(int_value("017"), Some(15));
        assert_eq!(int_value("0"), Some(0));
        assert_eq!(int_value("18446744073709551615"), Some(u64::MAX));
        assert_eq!(int_value("18446744073709551616"), None);
        assert_eq!(float_value("1.5f"), 1.5);
    }
}
