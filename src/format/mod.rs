//! `protoforge format`: one canonical layout for `.proto` files, the layout `buf format` writes.
//!
//! The file is read with protoforge's own front end (`source::syntax`): its lossless tokens give
//! every comment and blank line, its tree the declarations. Comments are attributed to tokens
//! (`trivia`), and the printer (`printer`) writes the header sorted (syntax, package, imports,
//! options), then every definition in source order (`decl`), option values last (`value`).
//! Whitespace is rewritten; comments, blank-line groups (one blank line at most) and the
//! spelling of every token are kept, except that text-format messages drop their optional
//! separators, gain `:` before values, and use `{}` for `<>`.
//!
//! `deprecate` (`--deprecate PREFIX`) edits the text first, as `buf source edit deprecate` does.

mod decl;
mod deprecate;
mod printer;
mod trivia;
mod value;

use crate::source::syntax;
pub use crate::source::syntax::SyntaxError;

pub use deprecate::deprecate;

/// Formats one file's text, or returns its syntax errors (a file that does not parse is never
/// rewritten).
pub fn format(text: &str) -> Result<String, Vec<SyntaxError>> {
    let parsed = syntax::parse_tree(text);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    let trivia = trivia::attribute(text, &parsed.tokens);
    let mut p = printer::Printer::new(text, trivia);
    // Every `{ ... }` value is read as text format first: one that is not is never rewritten.
    for &(first, last) in &parsed.aggregates {
        let open = p.tok_at(parsed.tokens[first as usize].start);
        let close = p.tok_at(parsed.tokens[last as usize].start);
        p.check_message(open, close);
    }
    if p.unreadable.is_none() {
        p.file(&parsed.file);
    }
    if let Some((t, why)) = p.unreadable {
        let tok = p.sig[t];
        return Err(vec![SyntaxError {
            span: syntax::Span::new(tok.start, tok.end),
            message: why.to_owned(),
        }]);
    }
    Ok(p.out)
}
