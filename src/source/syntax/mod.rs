//! protoforge's own `.proto` front end: a lossless lexer (`lex`), a parser that recovers from
//! errors (`parse`) into a syntax tree (`ast`), comment attribution (`comments`), and the
//! lowering of the tree to a `FileDescriptorProto` with SourceCodeInfo (`lower`).
//!
//! It reads proto2, proto3 and editions (`edition = "2023";`, 2024's `export`/`local` and
//! `import option`). Lowering gives the descriptors protoc gives: for proto2 and proto3 the same
//! as protox-parse (tested on every file of testdata and on mutations of them), for editions
//! protoc's shape (`syntax = "editions"`, no labels but `repeated`, features as options), with
//! every `features.*` option checked (`features`).

pub mod ast;
pub mod comments;
pub mod features;
pub mod lex;
pub mod lower;
mod naming;
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
    /// Token ranges (first and last index into `tokens`) of the `{ ... }` option values.
    pub aggregates: Vec<(u32, u32)>,
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
    let aggregates = parser.aggregates;
    Parsed {
        tokens,
        file,
        errors,
        aggregates,
    }
}

/// Parses one file into its descriptor (options uninterpreted, SourceCodeInfo included), or
/// every error found in it.
pub fn parse(name: &str, text: &str) -> Result<FileDescriptorProto, Vec<SyntaxError>> {
    parse_file(name, text).map(|lowered| lowered.proto)
}

/// A file lowered to its descriptor, which has no field for the edition.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    /// As protoc writes it: `syntax = "editions"` for an editions file, its `features.*`
    /// options uninterpreted.
    pub proto: FileDescriptorProto,
    pub edition: features::Edition,
    /// Problems protoc finds when linking, not parsing (so protox-parse, the reference, has
    /// them in neither): `features.*` options in a proto2 or proto3 file.
    pub link_errors: Vec<SyntaxError>,
    /// Which `dependency` entries are `import option`s.
    pub option_imports: Vec<i32>,
    /// `export` and `local`: (message or enum path, its `visibility` field, value).
    pub visibility: Vec<(Vec<i32>, u32, i32)>,
}

/// `parse`, with the file's edition.
pub fn parse_file(name: &str, text: &str) -> Result<Lowered, Vec<SyntaxError>> {
    if text.len() > MAX_LEN {
        return Err(vec![SyntaxError {
            span: Span::default(),
            message: format!("the file is larger than {MAX_LEN} bytes"),
        }]);
    }
    let parsed = parse_tree(text);
    let mut errors = parsed.errors;
    let mut lowering = lower::Lowering::new(text, &parsed.tokens);
    let mut proto = lowering.file(name, &parsed.file);
    let edition = lowering.edition;
    let option_imports = std::mem::take(&mut lowering.option_imports);
    let visibility = std::mem::take(&mut lowering.visibility);
    let (info, mut lower_errors) = lowering.source_code_info();
    errors.append(&mut lower_errors);
    let mut link_errors = Vec::new();
    features::check(
        &parsed.file,
        edition,
        if edition.is_edition() {
            &mut errors
        } else {
            &mut link_errors
        },
    );
    // Names break no descriptor: the file is still lowered and checked.
    naming::check(&parsed.file, edition, &mut link_errors);
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        errors.dedup();
        return Err(errors);
    }
    proto.source_code_info = Some(info);
    Ok(Lowered {
        proto,
        edition,
        link_errors,
        option_imports,
        visibility,
    })
}
