//! Property tests: the readers and parsers never panic on arbitrary input, round trips hold,
//! and `--fix` is safe and idempotent on mutated fixtures. The same entry points are fuzzed for
//! longer under build-support/fuzz (see docs/performance.md).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use protoforge::fuzzing;

/// Every .proto under testdata/, as seeds.
fn seeds() -> Vec<Vec<u8>> {
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
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"),
        &mut paths,
    );
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// A seed with a few random edits: bytes replaced, removed or inserted.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds();
    let n = seeds.len();
    (
        0..n,
        prop::collection::vec((any::<u16>(), 0u8..3, any::<u8>()), 0..6),
    )
        .prop_map(move |(i, edits)| {
            let mut bytes = seeds[i].clone();
            for (at, kind, byte) in edits {
                let at = usize::from(at) % (bytes.len() + 1);
                match kind {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, byte),
                }
            }
            bytes
        })
}

#[test]
fn fixes_are_safe_and_idempotent_on_every_fixture() {
    let changed = seeds()
        .iter()
        .filter(|seed| fuzzing::fix_is_safe_and_idempotent(seed))
        .count();
    // The fixtures of the fixable rules (IMPORT_USED, SYNTAX_SPECIFIED, ...) have something to fix.
    assert!(changed >= 3, "only {changed} fixtures changed");
}

#[test]
fn fixing_a_proto2_file_without_syntax_keeps_it_compiling() {
    // Found by the `fix` fuzz target: SYNTAX_SPECIFIED's fix once added `syntax = "proto3";` to a
    // file that uses `required`.
    let input = b"\npackage acme.v1;\nmessage Order {\n  required string id = 1; // expect: FIELD_NOT_REQUIR: FIELD_NOT_REQUIRED\n  optional string note = 2;\n  repeated string tags = 3;\n}\n";
    assert!(fuzzing::fix_is_safe_and_idempotent(input));
}

#[test]
fn the_syntax_fix_goes_before_an_empty_statement() {
    // Found by the `fix` fuzz target: the line went after a leading `;`, where protoc rejects it.
    assert!(fuzzing::fix_is_safe_and_idempotent(
        b"// A file.\n;\nservice S {}\nmessage M {}\n"
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn loading_mutated_files_never_panics(bytes in mutated(), other in mutated()) {
        let mut joined = bytes;
        joined.extend_from_slice(b"\0\0");
        joined.extend_from_slice(&other);
        fuzzing::load_and_lint(&fuzzing::split_files(&joined));
    }

    #[test]
    fn fixes_on_mutated_files(bytes in mutated()) {
        fuzzing::fix_is_safe_and_idempotent(&bytes);
    }

    #[test]
    fn breaking_on_mutated_pairs(previous in mutated(), current in mutated()) {
        let dir = tempfile::tempdir().unwrap();
        fuzzing::lint_and_breaking(dir.path(), &previous, &current);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn readers_never_panic(text in "\\PC{0,200}") {
        fuzzing::ledger(&text);
        fuzzing::config(&text);
    }

    #[test]
    fn ledger_like_lines_never_panic(text in "([a-z.]{1,8} [0-9 a-z-]{0,12}\n){0,6}") {
        fuzzing::ledger(&text);
    }

    #[test]
    fn cel_never_panics(text in "\\PC{0,80}", words in "(this|size|x|1|2u|'s'|\\.|\\(|\\)|\\[|\\]|\\{|\\}|,|:|\\+|<=|&&|!|\\?|all|has|in| ){0,40}") {
        fuzzing::cel(&text);
        fuzzing::cel(&words);
    }

    #[test]
    fn templates_never_panic(template in "[/{}=*a-z.:%0-9]{0,24}", path in "[/a-z.:%0-9]{0,24}") {
        fuzzing::http_template(&template, &path);
    }

    /// A template built from the grammar matches the path it describes, binding each variable
    /// to its segment.
    #[test]
    fn generated_templates_match_their_paths(
        parts in prop::collection::vec(("[a-z]{1,6}", any::<bool>()), 1..6),
        verb in proptest::option::of("[a-z]{1,6}"),
    ) {
        let mut template = String::new();
        let mut path = String::new();
        let mut expected = Vec::new();
        for (i, (text, variable)) in parts.iter().enumerate() {
            if *variable {
                template.push_str(&format!("/{{f{i}}}"));
                expected.push((format!("f{i}"), text.clone()));
            } else {
                template.push_str(&format!("/{text}"));
            }
            path.push_str(&format!("/{text}"));
        }
        if let Some(verb) = &verb {
            template.push_str(&format!(":{verb}"));
            path.push_str(&format!(":{verb}"));
        }
        let parsed = protoforge::internals::http::Template::parse(&template).unwrap();
        let matched = parsed.matches(&path).expect("the template matches its own path");
        let got: Vec<(String, String)> =
            matched.bindings.into_iter().map(|(f, v)| (f.join("."), v)).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn durations_never_panic(text in "[0-9.]{0,6}(ns|us|ms|s|m|h|x|){0,3}") {
        let _ = protoforge::internals::source::method_options::parse_duration(&text);
    }
}

proptest! {
    #[test]
    fn grpc_timeouts_round_trip(nanos in any::<u64>(), junk in "\\PC{0,12}") {
        use protoforge::internals::http::timeout::{format_grpc_timeout, parse_grpc_timeout};
        fuzzing::grpc_timeout(&junk);
        let d = std::time::Duration::from_nanos(nanos);
        let back = parse_grpc_timeout(&format_grpc_timeout(d)).unwrap();
        prop_assert!(back >= d, "{:?} came back as {:?}", d, back);
    }
}
