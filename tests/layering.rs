//! The crate's modules form layers, and every arrow (`crate::module` in code) points down.
//!
//! docs/ARCHITECTURE.md explains the layers; this test keeps them true. It reads every file of
//! `src/` without comments and string literals, finds each `crate::module` path (including the
//! names inside `use crate::{...}` groups) and fails on a path to a module in the same or a higher
//! layer, and on a top-level module that no layer lists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom first. A module may use modules of lower layers only.
const LAYERS: &[(&str, &[&str])] = &[
    ("leaves", &["error", "http", "descriptor_set"]),
    ("loading; the runtime", &["source", "runtime"]),
    ("findings", &["diagnostic"]),
    ("rules", &["rules"]),
    ("configuration", &["config"]),
    (
        "what the rules feed",
        &["ledger", "codegen", "render", "format"],
    ),
    ("the core; the client", &["check", "call"]),
    ("edges", &["builder", "cli", "fuzzing"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The text of Rust source with comments, string and character literals blanked out (lengths
/// and line breaks kept, so positions still match).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &str| {
        out.extend(s.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
    };
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with("/*") {
            let mut depth = 0;
            let mut j = 0;
            while j < rest.len() {
                if rest[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += rest[j..].chars().next().map_or(1, char::len_utf8);
                }
            }
            blank(&mut out, &rest[..j]);
            i += j;
        } else if let Some(len) = raw_string_len(rest) {
            blank(&mut out, &rest[..len]);
            i += len;
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() {
                match rest.as_bytes()[j] {
                    b'\\' => j += 2,
                    b'"' => {
                        j += 1;
                        break;
                    }
                    _ => j += 1,
                }
            }
            let j = j.min(rest.len());
            blank(&mut out, &rest[..j]);
            i += j;
        } else if let Some(len) = char_literal_len(rest) {
            blank(&mut out, &rest[..len]);
            i += len;
        } else {
            let c = rest.chars().next().expect("not at the end");
            // An identifier is copied whole, so that `br` or `r` inside one is not a literal.
            if c.is_alphanumeric() || c == '_' {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                i += end;
            } else {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// `r"..."`, `r#"..."#`, `br"..."`: the literal's length.
fn raw_string_len(rest: &str) -> Option<usize> {
    let after_prefix = rest.strip_prefix("br").or_else(|| rest.strip_prefix('r'))?;
    let hashes = after_prefix.len() - after_prefix.trim_start_matches('#').len();
    let body = after_prefix[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)?;
    Some(rest.len() - body.len() + end + close.len())
}

/// `'x'`, `'\n'`, `'\u{1F600}'`: the literal's length; None for a lifetime.
fn char_literal_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('\'')?;
    if let Some(escaped) = body.strip_prefix('\\') {
        let close = escaped.find('\'')?;
        return Some(2 + close + 1);
    }
    let c = body.chars().next()?;
    body[c.len_utf8()..]
        .starts_with('\'')
        .then(|| 1 + c.len_utf8() + 1)
}

/// The modules each `crate::` path in `code` starts with, with the line it is on.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let ident_end = |s: &str| {
        s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        // `$crate::` belongs to a macro's caller; `foo_crate::` is another path.
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let line = code[..start].matches('\n').count() + 1;
        let rest = code[from..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::X, b}`: the first name of each item at depth one.
            let mut depth = 1;
            let mut item_start = true;
            let mut j = 0;
            while j < group.len() && depth > 0 {
                let c = group[j..].chars().next().expect("in bounds");
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => item_start = true,
                    c if item_start && (c.is_alphabetic() || c == '_') && depth == 1 => {
                        let len = ident_end(&group[j..]);
                        found.push((line, group[j..j + len].to_owned()));
                        item_start = false;
                        j += len;
                        continue;
                    }
                    _ => {}
                }
                j += c.len_utf8();
            }
        } else {
            let len = ident_end(rest);
            if len > 0 {
                found.push((line, rest[..len].to_owned()));
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to; None for lib.rs and main.rs.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).expect("under src/");
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" => None,
        name => Some(name.trim_end_matches(".rs").to_owned()),
    }
}

#[test]
fn every_arrow_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut unlisted = BTreeSet::new();
    let mut upward = Vec::new();
    let mut arrows = 0;
    for file in &files {
        let Some(module) = top_module(&src, file) else {
            continue;
        };
        let Some(layer) = layer_of(&module) else {
            unlisted.insert(module);
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        for (line, target) in crate_paths(&code_only(&text)) {
            if target == module || target == "self" {
                continue;
            }
            arrows += 1;
            let shown = file.strip_prefix(&src).expect("under src/").display();
            match layer_of(&target) {
                Some(to) if to < layer => {}
                Some(to) => upward.push(format!(
                    "src/{shown}:{line}: `{module}` ({}) uses `{target}` ({})",
                    LAYERS[layer].0, LAYERS[to].0
                )),
                // A re-export at the crate root (`crate::LoadOptions`) names no layer; the
                // module it comes from is what counts.
                None if target.starts_with(char::is_uppercase) => {}
                None => upward.push(format!(
                    "src/{shown}:{line}: `{module}` uses `crate::{target}`, which no layer lists"
                )),
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "modules missing from LAYERS in tests/layering.rs (add each to the layer it belongs to \
         and to docs/ARCHITECTURE.md): {unlisted:?}"
    );
    assert!(
        upward.is_empty(),
        "arrows that do not point to a lower layer (see docs/ARCHITECTURE.md):\n{}",
        upward.join("\n")
    );
    // The scan found the crate's imports at all (a broken scanner would pass vacuously).
    assert!(arrows > 200, "only {arrows} crate paths found");
}

#[test]
fn the_scanner_reads_paths_and_skips_comments_and_strings() {
    let code = code_only(
        "use crate::source::X;\n// crate::cli in a comment\nlet s = \"crate::cli\";\n\
         let r = r#\"crate::cli \"quoted\"\"#;\nuse crate::{rules::Y, config};\nlet c = '\"';\n\
         fn f<'a>(x: &'a str) -> crate::ledger::Z { $crate::cli::f(); my_crate::cli::g() }\n\
         /* crate::cli /* nested */ crate::cli */ let t = crate::render::T;",
    );
    let found: Vec<(usize, String)> = crate_paths(&code);
    let names: Vec<(usize, &str)> = found.iter().map(|(l, n)| (*l, n.as_str())).collect();
    assert_eq!(
        names,
        [
            (1, "source"),
            (5, "rules"),
            (5, "config"),
            (7, "ledger"),
            (8, "render")
        ]
    );
}

#[test]
fn every_layer_is_listed_in_the_architecture_notes() {
    let notes =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md"))
            .expect("docs/ARCHITECTURE.md exists");
    for (_, modules) in LAYERS {
        for module in *modules {
            assert!(
                notes.contains(&format!("`{module}`")),
                "docs/ARCHITECTURE.md does not mention `{module}`"
            );
        }
    }
}
