//! `protoforge format`: one canonical layout for `.proto` files, the layout `buf format` writes.
//!
//! The file is read with protoforge's own front end (`source::syntax`): its lossless tokens give
//! every comment and blank line, its tree the declarations. Comments are attributed to tokens
//! (`trivia`), and the printer (`printer`) writes the header sorted (syntax, package, imports,
//! options), then every definition in source order (`decl`), option values last (`value`).
//! Whitespace is rewritten; comments, blank-line groups (one blank line at most) and the
//! spelling of every token are kept, except that text-format messages drop their optional
//! separators, gain `:` before values, and use `{}` for `<>`.

mod decl;
mod printer;
mod trivia;
mod value;

use crate::source::syntax::{self, SyntaxError};

/// Formats one file's text, or returns its syntax errors (a file that does not parse is never
/// rewritten).
pub fn format(text: &str) -> Result<String, Vec<SyntaxError>> {
    let parsed = syntax::parse_tree(text);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    let trivia = trivia::attribute(text, &parsed.tokens);
    let mut p = printer::Printer::new(text, trivia);
    p.file(&parsed.file);
    Ok(p.out)
}
