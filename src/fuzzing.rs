//! Entry points for fuzzing and property tests (build-support/fuzz, tests/properties.rs). Each
//! takes arbitrary input and panics only when protoforge misbehaves: a crash inside, a fix that
//! breaks a file that compiled, or a fix that is not idempotent. Not a stable API.

use std::path::{Path, PathBuf};

use crate::rules::{RULES, RuleInfo, RuleKind, RuleOptions};
use crate::source::COMPILE;
use crate::source::Compilation;
use crate::source::compile::compile_with;
use crate::source::fs::MemFs;

fn lint_rules() -> Vec<&'static RuleInfo> {
    RULES
        .iter()
        .filter(|r| r.kind == RuleKind::Lint && r.lint.is_some())
        .collect()
}

fn compile(files: &[(String, Vec<u8>)]) -> Compilation {
    let root = PathBuf::from("/fuzz");
    let mut fs = MemFs::default();
    let mut targets = Vec::new();
    for (name, bytes) in files {
        let path = root.join(name);
        fs.files.insert(path.clone(), bytes.clone());
        targets.push((path, name.clone()));
    }
    compile_with(std::slice::from_ref(&root), targets, &root, &fs)
}

/// Loads files (import name, bytes) and runs every lint rule.
pub fn load_and_lint(files: &[(String, Vec<u8>)]) -> usize {
    let compilation = compile(files);
    let options = RuleOptions::default();
    let findings = crate::rules::run_lint(&compilation, &lint_rules(), &options, &|_| {
        RuleOptions::default()
    });
    compilation.findings.len() + findings.len()
}

/// Splits fuzz bytes into up to three files at `\0\0` markers: `a.proto`, `b.proto` (which `a`
/// may import) and `c.proto`.
pub fn split_files(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = data;
    for name in ["a.proto", "b.proto", "c.proto"] {
        let end = rest
            .windows(2)
            .position(|w| w == b"\0\0")
            .unwrap_or(rest.len());
        out.push((name.to_owned(), rest[..end].to_vec()));
        rest = rest.get(end + 2..).unwrap_or_default();
        if rest.is_empty() {
            break;
        }
    }
    out
}

fn fixed_text(text: &[u8]) -> Option<(String, bool)> {
    let files = vec![("a.proto".to_owned(), text.to_vec())];
    let compilation = compile(&files);
    let compiled = !compilation.findings.iter().any(|f| f.rule == COMPILE);
    let options = RuleOptions::default();
    let findings = crate::rules::run_lint(&compilation, &lint_rules(), &options, &|_| {
        RuleOptions::default()
    });
    let source = compilation
        .files
        .iter()
        .find(|f| f.name == "a.proto")?
        .text
        .as_ref()?;
    let edits: Vec<_> = findings
        .iter()
        .flat_map(|f| f.fix.iter().flat_map(|fix| fix.edits.iter().cloned()))
        .collect();
    let (new_text, _) = crate::diagnostic::fix::apply(source.as_str(), &edits);
    Some((new_text, compiled))
}

/// Applies every lint fix to one file: a file that compiled must still compile, and fixing
/// the result again must change nothing. Returns whether the fixes changed the file.
pub fn fix_is_safe_and_idempotent(text: &[u8]) -> bool {
    let Some((once, compiled)) = fixed_text(text) else {
        return false;
    };
    let Some((twice, still_compiles)) = fixed_text(once.as_bytes()) else {
        panic!("the fixed text cannot be read back");
    };
    if compiled {
        assert!(still_compiles, "a fix broke a file that compiled:\n{once}");
        assert_eq!(once, twice, "fixing twice changed the text again");
    }
    once.as_bytes() != text
}

/// Lint and breaking checks on a (previous, current) pair of one file, through the core's
/// run (a directory baseline on disk under `dir`).
pub fn lint_and_breaking(dir: &Path, previous: &[u8], current: &[u8]) {
    let (prev_dir, cur_dir) = (dir.join("previous"), dir.join("current"));
    for (d, bytes) in [(&prev_dir, previous), (&cur_dir, current)] {
        let _ = std::fs::create_dir_all(d);
        if std::fs::write(d.join("a.proto"), bytes).is_err() {
            return;
        }
    }
    let options = crate::source::LoadOptions {
        paths: vec![cur_dir.clone()],
        roots: vec![cur_dir.clone()],
        cwd: dir.to_path_buf(),
    };
    let session = crate::check::Session::with_config(crate::config::Config::defaults(dir), options);
    let checks = crate::check::Checks {
        lint: true,
        ledger: false,
        against: Some(prev_dir.display().to_string()),
        format: false,
    };
    let _ = session.run(&checks, &Default::default());
}

/// The ledger reader.
pub fn ledger(text: &str) {
    let _ = crate::ledger::Ledger::parse(text);
}

/// protoforge.toml and buf.yaml readers.
pub fn config(text: &str) {
    let _ = crate::config::Config::parse(text, Path::new("/fuzz/protoforge.toml"));
    let _ = crate::config::buf::parse(text, Path::new("/fuzz/buf.yaml"));
}

/// The HTTP path template parser and matcher: whatever parses must match without panicking.
pub fn http_template(template: &str, path: &str) {
    if let Ok(parsed) = crate::http::Template::parse(template) {
        let _ = parsed.matches(path);
    }
}

/// The CEL parser and type checker of PROTOVALIDATE: any text, never a panic or a hang.
pub fn cel(text: &str) {
    crate::rules::lint::fuzz_cel(text);
}

/// The `grpc-timeout` parser: anything it accepts formats back to a value it accepts.
pub fn grpc_timeout(text: &str) {
    if let Some(timeout) = crate::http::timeout::parse_grpc_timeout(text) {
        let again = crate::http::timeout::format_grpc_timeout(timeout);
        assert!(
            crate::http::timeout::parse_grpc_timeout(&again).is_some(),
            "{text:?} -> {again:?} does not parse"
        );
    }
}

/// `protoforge format` on arbitrary text: a file it formats must still parse, lower to the same
/// descriptor (source locations aside; imports and file options compared as sets, since the
/// header is sorted; text-format values without the separators formatting drops) and keep every
/// word of every comment.
pub fn format_is_safe(data: &[u8]) {
    use crate::source::syntax;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(out) = crate::format::format(text) else {
        return;
    };
    if let Err(errors) = crate::format::format(&out) {
        panic!("the formatted text does not parse: {errors:?}\n{out}");
    }
    assert_eq!(
        comment_words(text),
        comment_words(&out),
        "comments changed:\n{out}"
    );
    if let Ok(before) = syntax::parse("f.proto", text) {
        let after = syntax::parse("f.proto", &out)
            .unwrap_or_else(|e| panic!("the formatted text does not lower: {e:?}\n{out}"));
        // `--deprecate`: everything by the empty prefix, and every other field and enum value
        // by its exact name.
        let mut prefixes = vec![String::new()];
        names(&before, &mut prefixes);
        let prefixes: Vec<String> = prefixes.into_iter().step_by(2).collect();
        assert_eq!(
            comparable(before),
            comparable(after),
            "the descriptor changed:\n{out}"
        );
        deprecate_is_safe(text, &prefixes);
    }
}

/// Deprecating writes text that formats, lowers and keeps its comments, and a second pass
/// changes nothing that formatting again would not.
fn deprecate_is_safe(text: &str, prefixes: &[String]) {
    let (edited, _) = crate::format::deprecate(text, prefixes).expect("the text parsed before");
    let once = crate::format::format(&edited)
        .unwrap_or_else(|e| panic!("deprecating wrote text that does not parse: {e:?}\n{edited}"));
    if let Err(e) = crate::source::syntax::parse("f.proto", &once) {
        panic!("the deprecated text does not lower: {e:?}\n{once}");
    }
    assert_eq!(
        comment_words(text),
        comment_words(&once),
        "deprecating changed comments:\n{once}"
    );
    // Compared with formatting alone a second time: formatting is idempotent except where buf
    // is not (a file of comments only, for one), and those are not deprecation's to fix.
    let (again, _) = crate::format::deprecate(&once, prefixes).expect("it formatted");
    let twice = crate::format::format(&again).expect("it parsed once");
    let reformatted = crate::format::format(&once).expect("it parsed once");
    assert_eq!(reformatted, twice, "deprecating twice changed the text");
}

/// The full names of the file's fields, extensions and enum values (these match exactly).
fn names(file: &prost_types::FileDescriptorProto, out: &mut Vec<String>) {
    use prost_types::{DescriptorProto, EnumDescriptorProto};
    fn values(scope: &str, enums: &[EnumDescriptorProto], out: &mut Vec<String>) {
        for e in enums {
            out.extend(e.value.iter().map(|v| format!("{scope}{}", v.name())));
        }
    }
    fn message(scope: &str, m: &DescriptorProto, out: &mut Vec<String>) {
        let name = format!("{scope}{}.", m.name());
        out.extend(m.field.iter().map(|f| format!("{name}{}", f.name())));
        out.extend(m.extension.iter().map(|f| format!("{name}{}", f.name())));
        values(&name, &m.enum_type, out);
        for n in &m.nested_type {
            message(&name, n, out);
        }
    }
    let scope = match file.package() {
        "" => String::new(),
        p => format!("{p}."),
    };
    out.extend(
        file.extension
            .iter()
            .map(|f| format!("{scope}{}", f.name())),
    );
    values(&scope, &file.enum_type, out);
    for m in &file.message_type {
        message(&scope, m, out);
    }
}

/// The words of every comment, sorted, with comment markers (`//`, `/*`, `*/`, `*`) dropped.
fn comment_words(text: &str) -> Vec<String> {
    use crate::source::syntax::lex::{self, Kind};
    let (tokens, _) = lex::lex(text);
    let mut words: Vec<String> = tokens
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                Kind::LineComment | Kind::BlockComment | Kind::HashComment
            )
        })
        .flat_map(|t| text[t.start as usize..t.end as usize].split_whitespace())
        .map(|w| w.replace(['*', '/', '#'], ""))
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words
}

/// A lowered file without what formatting may change: locations, import and file option order,
/// and the optional separators of text-format values.
fn comparable(mut file: prost_types::FileDescriptorProto) -> prost_types::FileDescriptorProto {
    file.source_code_info = None;
    let names = |indexes: &[i32], deps: &[String]| -> Vec<String> {
        let mut v: Vec<String> = indexes.iter().map(|&i| deps[i as usize].clone()).collect();
        v.sort();
        v
    };
    let public = names(&file.public_dependency, &file.dependency);
    let weak = names(&file.weak_dependency, &file.dependency);
    file.dependency.sort();
    file.public_dependency = Vec::new();
    file.weak_dependency = Vec::new();
    file.dependency
        .extend(public.into_iter().map(|p| format!("public {p}")));
    file.dependency
        .extend(weak.into_iter().map(|w| format!("weak {w}")));
    if let Some(options) = &mut file.options {
        options
            .uninterpreted_option
            .sort_by_key(|o| format!("{o:?}"));
    }
    let mut text = format!("{file:?}");
    // Text-format values (`aggregate_value`, tokens joined by spaces) without the separators
    // and with `{}` for `<>`; applied to both sides alike.
    for (from, to) in [
        (" , ", " "),
        (" ; ", " "),
        (" : ", " "),
        ("< ", "{ "),
        (" >", " }"),
    ] {
        text = text.replace(from, to);
    }
    prost_types::FileDescriptorProto {
        name: Some(text),
        ..Default::default()
    }
}
