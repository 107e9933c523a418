//! protoforge's own parser (`source::syntax`) against protox-parse: equal descriptors,
//! SourceCodeInfo included, on every fixture and on mutations of them; several errors of one
//! file all reported.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use prost_types::FileDescriptorProto;
use protoforge::internals::source::syntax;

fn fixtures() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "proto") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("testdata"), &mut paths);
    walk(&root.join("src/source/proto"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).unwrap()).ok()?;
            Some((p.strip_prefix(root).unwrap().display().to_string(), text))
        })
        .collect()
}

/// Locations in one order (protox sorts them by path, protoforge keeps source order), and
/// the two places where protox-parse differs from protoc left out (protoforge follows protoc;
/// `methods_follow_protoc_where_protox_differs` holds those): a method with a body has options
/// even when it sets none, and its trailing comment is the one after the body's `{`. Methods
/// ending in `;` are compared whole.
fn normalized(mut proto: FileDescriptorProto, text: &str) -> FileDescriptorProto {
    for service in &mut proto.service {
        for method in &mut service.method {
            if method.options == Some(Default::default()) {
                method.options = None;
            }
        }
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let ends_with_body = |span: &[i32]| {
        // [line, start column, end column] or [start line, start column, end line, end column].
        let line = if span.len() == 3 { span[0] } else { span[2] };
        let column = span[span.len() - 1];
        let line = lines.get(line as usize).copied().unwrap_or_default();
        line.get(..column as usize)
            .is_some_and(|l| l.ends_with('}'))
    };
    if let Some(info) = &mut proto.source_code_info {
        for l in &mut info.location {
            if matches!(l.path.as_slice(), [6, _, 2, _]) && ends_with_body(&l.span) {
                l.trailing_comments = None;
            }
        }
        info.location.sort_by(|a, b| {
            let key = |l: &prost_types::source_code_info::Location| {
                (
                    l.path.clone(),
                    l.span.clone(),
                    l.leading_comments.clone(),
                    l.trailing_comments.clone(),
                    l.leading_detached_comments.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
    }
    proto
}

/// protox accepts it => protoforge gives the same descriptor.
fn check_same(name: &str, text: &str) -> Result<(), String> {
    let Ok(theirs) = protox_parse::parse(name, text) else {
        return Ok(());
    };
    match syntax::parse(name, text) {
        Ok(ours) if normalized(ours.clone(), text) == normalized(theirs.clone(), text) => Ok(()),
        Ok(ours) => Err(format!(
            "{name}: descriptors differ\nours: {:#?}\nprotox: {:#?}",
            normalized(ours, text),
            normalized(theirs, text)
        )),
        Err(errors) => Err(format!("{name}: only protoforge rejects it: {errors:?}")),
    }
}

/// Fixtures protox-parse rejects and protoc accepts (grpcio-tools 1.85's protoc, checked by
/// hand), so protoforge must accept them too: (file, what protox-parse gets wrong).
const PROTOX_REJECTS_WRONGLY: &[(&str, &str)] = &[(
    "testdata/lint/COMPILE/acme/v1/float_identifiers.proto",
    "`-inf` as an option value (\"identifiers may not be negative\")",
)];

#[test]
fn every_fixture_parses_to_the_descriptor_protox_gives() {
    let files = fixtures();
    assert!(files.len() > 300, "{} fixtures", files.len());
    let mut compared = 0;
    for (name, text) in &files {
        if protox_parse::parse(name, text).is_ok() {
            compared += 1;
        } else if PROTOX_REJECTS_WRONGLY.iter().any(|(file, _)| file == name) {
            assert!(
                syntax::parse(name, text).is_ok(),
                "{name}: protoc accepts it"
            );
        } else if !syntax::parse_file(name, text).is_ok_and(|l| l.edition.is_edition()) {
            // protox-parse reads no editions; tests/editions.rs holds those to protoc's facts.
            assert!(
                syntax::parse(name, text).is_err(),
                "{name}: protox rejects it, protoforge accepts it"
            );
        }
        check_same(name, text).unwrap();
    }
    assert!(compared > 290, "{compared} compared");
}

/// protoc's facts (libprotoc 35.1), where protox-parse differs.
#[test]
fn methods_follow_protoc_where_protox_differs() {
    let text = "syntax = \"proto3\";\npackage a.v1;\nmessage M {}\nservice S {\n  rpc A(M) returns (M); // trails A\n  rpc B(M) returns (M) {} // after B's body: nobody's\n  rpc C(M) returns (M) { // trails C\n  }\n}\n";
    let proto = syntax::parse("m.proto", text).unwrap();
    let methods = &proto.service[0].method;
    assert_eq!(methods[0].options, None);
    assert_eq!(methods[1].options, Some(Default::default()));
    assert_eq!(methods[2].options, Some(Default::default()));
    let locations = proto.source_code_info.unwrap().location;
    let trailing = |i: i32| {
        locations
            .iter()
            .find(|l| l.path == [6, 0, 2, i])
            .unwrap()
            .trailing_comments
            .clone()
    };
    assert_eq!(trailing(0).as_deref(), Some(" trails A\n"));
    assert_eq!(trailing(1), None);
    assert_eq!(trailing(2).as_deref(), Some(" trails C\n"));
}

#[test]
fn comments_land_where_protoc_puts_them() {
    let text = "// detached\n\n// syntax\nsyntax = \"proto3\"; // after syntax\npackage a.v1;\n\n/* block\n * lead */\nmessage M { // trails M\n  // leads f\n  int32 f = 1; // trails f\n  // trails f too? no: leads g\n\n  // leads g\n  string g = 2;\n  // trails g\n}\n";
    check_same("c.proto", text).unwrap();
    let proto = syntax::parse("c.proto", text).unwrap();
    let locations = proto.source_code_info.unwrap().location;
    let at = |path: &[i32]| locations.iter().find(|l| l.path == path).unwrap();
    assert_eq!(at(&[12]).leading_comments.as_deref(), Some(" syntax\n"));
    assert_eq!(at(&[12]).leading_detached_comments, vec![" detached\n"]);
    assert_eq!(
        at(&[4, 0]).leading_comments.as_deref(),
        Some(" block\n lead ")
    );
    assert_eq!(
        at(&[4, 0]).trailing_comments.as_deref(),
        Some(" trails M\n")
    );
    assert_eq!(
        at(&[4, 0, 2, 1]).leading_comments.as_deref(),
        Some(" leads g\n")
    );
    assert_eq!(
        at(&[4, 0, 2, 1]).trailing_comments.as_deref(),
        Some(" trails g\n")
    );
}

#[test]
fn every_syntax_error_of_a_file_is_reported_and_located() {
    let text = "syntax = \"proto3\";\npackage a.v1;\nmessage A {\n  int32 x = ;\n  string ok = 2;\n  bool y 3;\n}\nenum E { E_UNSPECIFIED = 0; E_X = ; }\nservice S { rpc Get(A) returns A; }\nmessage B { int32 z = 1; }\n";
    let errors = syntax::parse("e.proto", text).unwrap_err();
    let lines: Vec<usize> = errors
        .iter()
        .map(|e| text[..e.span.start as usize].matches('\n').count() + 1)
        .collect();
    assert_eq!(lines, vec![4, 6, 8, 9], "{errors:?}");
    assert_eq!(errors[0].message, "expected an integer, found `;`");
    // The rest of the file is still read.
    let tree = syntax::parse_tree(text);
    assert_eq!(tree.file.items.len(), 5);
}

#[test]
fn editions_files_parse_into_the_tree() {
    let text = "edition = \"2024\";\npackage a.v1;\nimport option \"o.proto\";\noption features.field_presence = IMPLICIT;\nexport message M {\n  reserved old, older;\n  int32 f = 1 [features.field_presence = EXPLICIT];\n  local enum E { E_UNSPECIFIED = 0; }\n}\n";
    let parsed = syntax::parse_tree(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let decl = parsed.file.syntax.unwrap();
    assert_eq!(decl.syntax, syntax::ast::Syntax::Edition("2024"));
    let tokens: String = parsed
        .tokens
        .iter()
        .map(|t| &text[t.start as usize..t.end as usize])
        .collect();
    assert_eq!(tokens, text, "lossless");
    let lowered = syntax::parse_file("e.proto", text).unwrap();
    assert_eq!(lowered.edition, syntax::features::Edition::E2024);
    assert_eq!(lowered.proto.syntax(), "editions");
    assert_eq!(
        lowered.proto.message_type[0].reserved_name,
        ["old", "older"]
    );
}

fn mutated() -> impl Strategy<Value = (String, String)> {
    let seeds = fixtures();
    let n = seeds.len();
    (
        0..n,
        prop::collection::vec(
            (
                any::<u16>(),
                0u8..4,
                prop::sample::select(b";{}=[]\"/ \n*01a-.".to_vec()),
            ),
            0..5,
        ),
    )
        .prop_map(move |(i, edits)| {
            let (name, text) = &seeds[i];
            let mut bytes = text.clone().into_bytes();
            for (at, kind, byte) in edits {
                let at = usize::from(at) % (bytes.len() + 1);
                match kind {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    2 if at < bytes.len() => {
                        // Drop a line.
                        let end = bytes[at..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(bytes.len(), |p| at + p + 1);
                        bytes.drain(at..end);
                    }
                    _ => bytes.insert(at, byte),
                }
            }
            (name.clone(), String::from_utf8_lossy(&bytes).into_owned())
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_parse_as_protox_parses_them((name, text) in mutated()) {
        if let Err(e) = check_same(&name, &text) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Features in a proto2 or proto3 file are protoc's link error, not a parse error: parsed as
/// protox parses them, reported by the loader (tests/editions.rs).
#[test]
fn features_outside_editions_parse_as_protox_parses_them() {
    let text = "package acme.v1;\nenum Open {\n  option features.enum_type = CLOSED;\n  OPEN_UNSPECIFIED = 0;\n}\n";
    check_same("p.proto", text).unwrap();
    let lowered = syntax::parse_file("p.proto", text).unwrap();
    assert_eq!(lowered.link_errors.len(), 1, "{:?}", lowered.link_errors);
}
