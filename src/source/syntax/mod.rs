//! protoforge's own `.proto` front end: a lossless lexer (`lex`), a parser that recovers from
//! errors (`parse`) into a syntax tree (`ast`), comment attribution (`comments`), and the
//! lowering of the tree to a `FileDescriptorProto` with SourceCodeInfo (`lower`).
//!
//! It reads proto2, proto3 and editions (`edition = "2023";`, 2024's `export`/`local` and
//! `import option`) into the tree. Lowering covers proto2 and proto3 and gives the same
//! descriptors as protox-parse (tested on every file of testdata and on mutations of them);
//! lowering editions files (feature resolution) is the next step and is refused with a located
//! error until it lands.

pub mod ast;
pub mod comments;
pub mod lex;
pub mod lower;
pub mod parse;

use prost_types::FileDescriptorProto;

pub use ast::Span;
pub use parse::SyntaxError;

/// A parsed file: its tokens (trivia included), its tree and every problem found.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub tokens: Vec<lex::Token>,
    pub file: ast::File<'a>,
    pub errors: Vec<SyntaxError>,
}

/// Files past this size are refused (offsets are 32-bit).
pub const MAX_LEN: usize = i32::MAX as usize;

/// Lexes and parses `text` into its tree, collecting every syntax error.
pub fn parse_tree(text: &str) -> Parsed<'_> {
    let (tokens, lex_errors) = lex::lex(text);
    let mut errors: Vec<SyntaxError> = lex_errors
        .into_iter()
        .map(|e| SyntaxError {
            span: Span::new(e.start, e.end),
            message: e.message,
        })
        .collect();
    let mut parser = parse::Parser::new(text, &tokens);
    let file = parser.file();
    errors.append(&mut parser.errors);
    // `#` comments are text format's: only inside `{ ... }` option values.
    let mut aggregates = parser.aggregates.iter().peekable();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != lex::Kind::HashComment {
            continue;
        }
        while aggregates
            .peek()
            .is_some_and(|(_, end)| (*end as usize) < i)
        {
            aggregates.next();
        }
        let inside = aggregates
            .peek()
            .is_some_and(|(start, end)| (*start as usize) < i && i < *end as usize);
        if !inside {
            errors.push(SyntaxError {
                span: Span::new(t.start, t.start + 1),
                message: "`#` starts a comment only inside text-format values; use `//`".into(),
            });
        }
    }
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    errors.dedup();
    Parsed {
        tokens,
        file,
        errors,
    }
}

/// Parses one file into its descriptor (options uninterpreted, SourceCodeInfo included), or
/// every error found in it.
pub fn parse(name: &str, text: &str) -> Result<FileDescriptorProto, Vec<SyntaxError>> {
    if text.len() > MAX_LEN {
        return Err(vec![SyntaxError {
            span: Span::default(),
            message: format!("the file is larger than {MAX_LEN} bytes"),
        }]);
    }
    let parsed = parse_tree(text);
    let mut errors = parsed.errors;
    if let Some(decl) = parsed.file.syntax.as_ref().filter(|d| d.is_edition) {
        errors.push(SyntaxError {
            span: decl.meta.span,
            message: "editions files are parsed but not compiled yet".into(),
        });
        return Err(errors);
    }
    let mut lowering = lower::Lowering::new(text, &parsed.tokens);
    let mut proto = lowering.file(name, &parsed.file);
    let (info, mut lower_errors) = lowering.source_code_info();
    errors.append(&mut lower_errors);
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        return Err(errors);
    }
    proto.source_code_info = Some(info);
    Ok(proto)
}
