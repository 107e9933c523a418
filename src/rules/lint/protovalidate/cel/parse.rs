//! A parser for CEL expressions (the Common Expression Language grammar, as cel-go accepts it).
//!
//! Only what a type checker needs is kept: the tree of calls, selections and literals. Macros
//! (`has`, `all`, `exists`, `exists_one`, `map`, `filter`) stay calls; the checker knows them.

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Int,
    Uint,
    Double,
    String(String),
    Bytes,
    Bool,
    Null,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Lit(Lit),
    /// An identifier; a leading `.` is kept (`.a.b` names from the root).
    Ident(String),
    /// `operand.field`
    Select(Box<Expr>, String),
    /// `target.function(args)` or `function(args)`; operators are calls too (`_+_`, `!_`,
    /// `_?_:_`, `_[_]`, `@in`), as cel-go names them.
    Call(Option<Box<Expr>>, String, Vec<Expr>),
    List(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
    /// `Type{field: value}`
    Struct(String, Vec<(String, Expr)>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Int,
    Uint,
    Double,
    Str(String),
    Bytes,
    Ident(String),
    Punct(&'static str),
    End,
}

const PUNCTS: &[&str] = &[
    "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ",",
    "[", "]", "(", ")", "{", "}",
];

/// Words CEL reserves: not identifiers.
const RESERVED: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// Tokens of `text`, or what is wrong.
fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if text[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        // String and bytes literals, with their `r`/`b` prefixes.
        let mut j = i;
        let (mut raw, mut is_bytes) = (false, false);
        while j < bytes.len() && j - i < 2 && matches!(bytes[j], b'r' | b'R' | b'b' | b'B') {
            match bytes[j] {
                b'r' | b'R' => raw = true,
                _ => is_bytes = true,
            }
            j += 1;
        }
        if j < bytes.len() && matches!(bytes[j], b'"' | b'\'') {
            let (value, end) = string(text, j, raw)?;
            out.push(if is_bytes {
                Tok::Bytes
            } else {
                Tok::Str(value)
            });
            i = end;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Ident(text[start..i].to_owned()));
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let (tok, end) = number(text, i)?;
            out.push(tok);
            i = end;
            continue;
        }
        match PUNCTS.iter().find(|p| text[i..].starts_with(**p)) {
            Some(p) => {
                out.push(Tok::Punct(p));
                i += p.len();
            }
            None => {
                let ch = text[i..].chars().next().unwrap_or('?');
                return Err(format!("Syntax error: token recognition error at: '{ch}'"));
            }
        }
    }
    out.push(Tok::End);
    Ok(out)
}

/// The string starting at the quote at `start`: its value and where it ends.
fn string(text: &str, start: usize, raw: bool) -> Result<(String, usize), String> {
    let quote = &text[start..start + 1];
    let triple = quote.repeat(3);
    let delimiter = if text[start..].starts_with(&triple) {
        triple
    } else {
        quote.to_owned()
    };
    let mut i = start + delimiter.len();
    let mut value = String::new();
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with(&delimiter) {
            return Ok((value, i + delimiter.len()));
        }
        let c = rest.chars().next().expect("not at the end");
        if c == '\n' && delimiter.len() == 1 {
            break;
        }
        if c == '\\' && !raw {
            let next = rest[1..]
                .chars()
                .next()
                .ok_or("Syntax error: unterminated string")?;
            value.push(match next {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                other => other,
            });
            i += 1 + next.len_utf8();
            continue;
        }
        value.push(c);
        i += c.len_utf8();
    }
    Err("Syntax error: unterminated string literal".to_owned())
}

/// The number starting at `start`.
fn number(text: &str, start: usize) -> Result<(Tok, usize), String> {
    let bytes = text.as_bytes();
    let mut i = start;
    if text[i..].starts_with("0x") || text[i..].starts_with("0X") {
        i += 2;
        while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
            i += 1;
        }
    } else {
        let mut float = false;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            float = true;
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
            float = true;
            i += 1;
            if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
                i += 1;
            }
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
        if float {
            return Ok((Tok::Double, i));
        }
    }
    if i < bytes.len() && matches!(bytes[i], b'u' | b'U') {
        return Ok((Tok::Uint, i + 1));
    }
    Ok((Tok::Int, i))
}

/// Parses a CEL expression.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, at: 0 };
    let expr = p.expr()?;
    match p.peek() {
        Tok::End => Ok(expr),
        other => Err(format!(
            "Syntax error: extraneous input {} expecting <EOF>",
            shown(other)
        )),
    }
}

fn shown(tok: &Tok) -> String {
    match tok {
        Tok::End => "<EOF>".to_owned(),
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Punct(p) => format!("'{p}'"),
        Tok::Str(s) => format!("'{s:?}'"),
        other => format!("{other:?}").to_lowercase(),
    }
}

struct Parser {
    tokens: Vec<Tok>,
    at: usize,
}

/// Nesting deeper than this is refused (cel-go refuses deep recursion too), so a hostile
/// expression cannot overflow the stack.
const MAX_DEPTH: usize = 100;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
        tok
    }

    fn eat(&mut self, punct: &str) -> bool {
        if matches!(self.peek(), Tok::Punct(p) if *p == punct) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, punct: &str) -> Result<(), String> {
        if self.eat(punct) {
            Ok(())
        } else {
            Err(format!(
                "Syntax error: mismatched input {} expecting '{punct}'",
                shown(self.peek())
            ))
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.expr_at(0)
    }

    fn expr_at(&mut self, depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err("Syntax error: expression nests too deeply".to_owned());
        }
        let condition = self.binary(0, depth)?;
        if self.eat("?") {
            let then = self.binary(0, depth + 1)?;
            self.expect(":")?;
            let otherwise = self.expr_at(depth + 1)?;
            return Ok(Expr::Call(
                None,
                "_?_:_".to_owned(),
                vec![condition, then, otherwise],
            ));
        }
        Ok(condition)
    }

    /// The binary operators by precedence, loosest first.
    fn binary(&mut self, level: usize, depth: usize) -> Result<Expr, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["<", "<=", ">", ">=", "==", "!=", "in"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.unary(depth);
        }
        let mut left = self.binary(level + 1, depth)?;
        loop {
            let op = match self.peek() {
                Tok::Punct(p) if LEVELS[level].contains(p) => *p,
                Tok::Ident(w) if w == "in" && level == 2 => "in",
                _ => break,
            };
            self.at += 1;
            let right = self.binary(level + 1, depth + 1)?;
            let name = if op == "in" {
                "@in".to_owned()
            } else {
                format!("_{op}_")
            };
            left = Expr::Call(None, name, vec![left, right]);
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err("Syntax error: expression nests too deeply".to_owned());
        }
        if self.eat("!") {
            let operand = self.unary(depth + 1)?;
            return Ok(Expr::Call(None, "!_".to_owned(), vec![operand]));
        }
        if self.eat("-") {
            let operand = self.unary(depth + 1)?;
            return Ok(match operand {
                Expr::Lit(lit @ (Lit::Int | Lit::Double)) => Expr::Lit(lit),
                other => Expr::Call(None, "-_".to_owned(), vec![other]),
            });
        }
        self.member(depth)
    }

    fn member(&mut self, depth: usize) -> Result<Expr, String> {
        let mut expr = self.primary(depth)?;
        loop {
            if self.eat(".") {
                let name = self.ident()?;
                if self.eat("(") {
                    let args = self.args(")", depth)?;
                    expr = Expr::Call(Some(Box::new(expr)), name, args);
                } else {
                    expr = Expr::Select(Box::new(expr), name);
                }
            } else if self.eat("[") {
                let index = self.expr_at(depth + 1)?;
                self.expect("]")?;
                expr = Expr::Call(None, "_[_]".to_owned(), vec![expr, index]);
            } else {
                return Ok(expr);
            }
        }
    }

    fn ident(&mut self) -> Result<String, String> {
        match self.next() {
            Tok::Ident(name) if !RESERVED.contains(&name.as_str()) => Ok(name),
            other => Err(format!(
                "Syntax error: mismatched input {} expecting IDENTIFIER",
                shown(&other)
            )),
        }
    }

    /// Comma-separated expressions up to `close` (a trailing comma allowed).
    fn args(&mut self, close: &str, depth: usize) -> Result<Vec<Expr>, String> {
        let mut out = Vec::new();
        while !self.eat(close) {
            out.push(self.expr_at(depth + 1)?);
            if !self.eat(",") {
                self.expect(close)?;
                break;
            }
        }
        Ok(out)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, String> {
        match self.next() {
            Tok::Int => Ok(Expr::Lit(Lit::Int)),
            Tok::Uint => Ok(Expr::Lit(Lit::Uint)),
            Tok::Double => Ok(Expr::Lit(Lit::Double)),
            Tok::Str(s) => Ok(Expr::Lit(Lit::String(s))),
            Tok::Bytes => Ok(Expr::Lit(Lit::Bytes)),
            Tok::Punct("(") => {
                let inner = self.expr_at(depth + 1)?;
                self.expect(")")?;
                Ok(inner)
            }
            Tok::Punct("[") => Ok(Expr::List(self.args("]", depth)?)),
            Tok::Punct("{") => {
                let mut entries = Vec::new();
                while !self.eat("}") {
                    let key = self.expr_at(depth + 1)?;
                    self.expect(":")?;
                    let value = self.expr_at(depth + 1)?;
                    entries.push((key, value));
                    if !self.eat(",") {
                        self.expect("}")?;
                        break;
                    }
                }
                Ok(Expr::Map(entries))
            }
            Tok::Punct(".") => {
                let name = self.ident()?;
                self.after_ident(format!(".{name}"), depth)
            }
            Tok::Ident(word) => match word.as_str() {
                "true" | "false" => Ok(Expr::Lit(Lit::Bool)),
                "null" => Ok(Expr::Lit(Lit::Null)),
                _ if RESERVED.contains(&word.as_str()) => {
                    Err(format!("Syntax error: reserved identifier: {word}"))
                }
                _ => self.after_ident(word, depth),
            },
            other => Err(format!(
                "Syntax error: mismatched input {} expecting {{'[', '{{', '(', '.', '-', '!', \
                 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, \
                 IDENTIFIER}}",
                shown(&other)
            )),
        }
    }

    /// After an identifier: a global call, a message literal, or the identifier itself.
    fn after_ident(&mut self, name: String, depth: usize) -> Result<Expr, String> {
        if self.eat("(") {
            let args = self.args(")", depth)?;
            return Ok(Expr::Call(
                None,
                name.trim_start_matches('.').to_owned(),
                args,
            ));
        }
        // `a.b.C{...}`: a message literal of a qualified type.
        let start = self.at;
        let mut qualified = name.clone();
        while matches!(self.peek(), Tok::Punct(".")) {
            match self.tokens.get(self.at + 1) {
                Some(Tok::Ident(part)) => {
                    qualified = format!("{qualified}.{part}");
                    self.at += 2;
                }
                _ => break,
            }
        }
        if self.eat("{") {
            let mut fields = Vec::new();
            while !self.eat("}") {
                let field = self.ident()?;
                self.expect(":")?;
                let value = self.expr_at(depth + 1)?;
                fields.push((field, value));
                if !self.eat(",") {
                    self.expect("}")?;
                    break;
                }
            }
            return Ok(Expr::Struct(qualified, fields));
        }
        self.at = start;
        Ok(Expr::Ident(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_protovalidate_rules_use() {
        for text in [
            "this > 5 && this < 10",
            "size(this) > 0 && this.all(x, x >= 2)",
            "this.startsWith('foo') && this.endsWith(\"bar\")",
            "!this.endsWith(rule + '_') ? 'no `%s`'.format([rule + '_']) : ''",
            "this <= duration('23h59m59s')",
            "this.isIpPrefix(4, true)",
            "has(this.a) ? this.a.b[0] in [1u, 2u] : -1.5e3 == .5",
            "{'a': 1, 'b': 2}['a'] == 1",
            "google.protobuf.Duration{seconds: 5} == this",
            "r'raw\\d' + b\"bytes\" == '''triple ' quote'''",
            "this.map(x, x * 2).filter(y, y > 3).size() == 0",
        ] {
            assert!(parse(text).is_ok(), "{text}: {:?}", parse(text));
        }
    }

    #[test]
    fn rejects_what_cel_go_rejects() {
        for text in ["this +", "a b", "(a", "'open", "a.if", "1 ? 2", "@x", ""] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "(".repeat(5000) + "1" + &")".repeat(5000);
        assert!(parse(&deep).is_err());
        let long = vec!["1"; 5000].join(" + ");
        assert!(parse(&long).is_ok());
    }
}
