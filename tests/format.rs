//! `protoforge format`: the fixtures in testdata/format/ (each `.golden` is what `buf format`
//! 1.75 writes for its `.proto`, see build-support/format/; with a `.prefixes` file, what `buf
//! source edit deprecate` with those prefixes then `buf format` write), idempotence on every file of
//! testdata, and formatted files compiling to the same descriptors as their sources.

mod common;

use std::path::{Path, PathBuf};

use protoforge::format::{deprecate, format};
use protoforge::internals::source::LoadOptions;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn protos(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "proto") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_format_as_buf_does_and_stay_formatted() {
    let dir = testdata().join("format");
    let fixtures = protos(&dir);
    assert!(fixtures.len() >= 6, "fixtures missing: {fixtures:?}");
    let mut failures = Vec::new();
    for input in &fixtures {
        let golden_path = input.with_extension("golden");
        let golden = std::fs::read_to_string(&golden_path)
            .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
        let text = std::fs::read_to_string(input).unwrap();
        assert_ne!(
            text,
            golden,
            "{}: the input is already formatted",
            input.display()
        );
        // A `.prefixes` file beside the input holds `--deprecate` prefixes, one per line.
        let prefixes: Vec<String> = std::fs::read_to_string(input.with_extension("prefixes"))
            .map(|t| t.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        let edited = if prefixes.is_empty() {
            text.clone()
        } else {
            let (edited, matched) = deprecate(&text, &prefixes).unwrap();
            assert!(matched, "{}: no prefix matched", input.display());
            edited
        };
        let got = format(&edited).unwrap_or_else(|e| panic!("{}: {e:?}", input.display()));
        if got != golden {
            failures.push(format!(
                "{}:\n--- expected\n{golden}\n--- got\n{got}",
                input.display()
            ));
        }
        assert_eq!(
            format(&golden).unwrap(),
            golden,
            "{}: formatting the golden changes it",
            golden_path.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_fuzz_property_holds_on_every_file_of_testdata() {
    for path in protos(&testdata()) {
        protoforge::fuzzing::format_is_safe(&std::fs::read(&path).unwrap());
    }
}

#[test]
fn the_fuzz_property_holds_on_the_inputs_fuzzing_found() {
    // Each once failed the `format` fuzz target: a file of one empty statement and a comment,
    // which formats to a file of comments only (that buf formats again differently).
    for input in [
        "; // mmmmmmmmmmmm/*mm",
        "; // c\n",
        "syntax = \"proto3\"; // c",
    ] {
        protoforge::fuzzing::format_is_safe(input.as_bytes());
    }
}

#[test]
fn formatting_is_idempotent_on_every_file_of_testdata() {
    let mut checked = 0;
    for path in protos(&testdata()) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // not UTF-8, on purpose
        };
        let Ok(once) = format(&text) else {
            continue; // a syntax error, on purpose
        };
        let twice = format(&once).unwrap_or_else(|e| {
            panic!(
                "{}: the formatted text does not parse: {e:?}\n{once}",
                path.display()
            )
        });
        assert_eq!(once, twice, "{}: not idempotent", path.display());
        checked += 1;
    }
    assert!(checked > 300, "only {checked} files checked");
}

/// The roots of testdata that compile alone: every lint and codegen case, both sides of every
/// breaking case, and the format fixtures.
fn roots() -> Vec<PathBuf> {
    let td = testdata();
    let mut roots = vec![td.join("format")];
    for kind in ["lint", "codegen", "breaking"] {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(td.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        cases.sort();
        for case in cases {
            if kind == "breaking" {
                roots.extend(["current", "previous"].map(|side| case.join(side)));
            } else {
                roots.push(case);
            }
        }
    }
    roots.into_iter().filter(|r| r.is_dir()).collect()
}

/// The descriptors of `root` without SourceCodeInfo, imports in a canonical order (formatting
/// sorts them), or `None` when it does not compile.
fn descriptors(root: &Path) -> Option<Vec<prost_types::FileDescriptorProto>> {
    let options = LoadOptions {
        paths: vec![root.to_path_buf()],
        roots: vec![root.to_path_buf()],
        cwd: root.to_path_buf(),
    };
    let compilation = protoforge::internals::source::load(&options).ok()?;
    let clean = compilation
        .findings
        .iter()
        .all(|f| f.rule != protoforge::internals::source::COMPILE);
    if !clean {
        return None;
    }
    use prost::Message;
    let set = compilation.descriptor_set(false, false);
    let mut files = prost_types::FileDescriptorSet::decode(&set[..])
        .unwrap()
        .file;
    for file in &mut files {
        let named = |indexes: &[i32], deps: &[String]| -> Vec<String> {
            indexes.iter().map(|&i| deps[i as usize].clone()).collect()
        };
        let public = named(&file.public_dependency, &file.dependency);
        let weak = named(&file.weak_dependency, &file.dependency);
        file.dependency.sort();
        let index_of =
            |name: &String, deps: &[String]| deps.iter().position(|d| d == name).unwrap() as i32;
        file.public_dependency = public
            .iter()
            .map(|n| index_of(n, &file.dependency))
            .collect();
        file.weak_dependency = weak.iter().map(|n| index_of(n, &file.dependency)).collect();
    }
    Some(files)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn formatted_files_compile_to_the_same_descriptors() {
    let mut compared = 0;
    for root in roots() {
        let Some(before) = descriptors(&root) else {
            continue;
        };
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&root, tmp.path());
        for path in protos(tmp.path()) {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, format(&text).unwrap()).unwrap();
        }
        let after = descriptors(tmp.path())
            .unwrap_or_else(|| panic!("{}: no longer compiles once formatted", root.display()));
        let changed: Vec<String> = before
            .iter()
            .zip(&after)
            .filter(|(x, y)| x != y)
            .map(|(x, y)| format!("{x:#?}\n--- formatted:\n{y:#?}"))
            .collect();
        assert!(
            changed.is_empty() && before.len() == after.len(),
            "{}: the descriptors changed when formatted:\n{}",
            root.display(),
            changed.join("\n")
        );
        compared += 1;
    }
    assert!(compared > 100, "only {compared} roots compared");
}

/// `protoforge format ARGS` run in `dir`.
fn format_in(dir: &Path, args: &[&str]) -> std::process::Output {
    common::protoforge_cmd()
        .current_dir(dir)
        .arg("format")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_cli_writes_diffs_and_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let messy = "syntax = \"proto3\";\npackage a.v1;\nmessage  M{int32 x=1;}\n";
    let tidy = "syntax = \"proto3\";\npackage a.v1;\nmessage M {\n  int32 x = 1;\n}\n";
    common::write(tmp.path(), "a/v1/m.proto", messy);
    common::write(tmp.path(), "a/v1/tidy.proto", tidy);
    let run = |args: &[&str]| format_in(tmp.path(), args);

    // Printing: every file, formatted, nothing written.
    let out = run(&["a/v1/m.proto"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(common::text(&out), tidy);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("a/v1/m.proto")).unwrap(),
        messy
    );

    // Checking: exit 1 and the file named; the formatted one passes.
    let out = run(&["--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("m.proto: not formatted"), "{stderr}");
    assert!(!stderr.contains("tidy.proto: not formatted"), "{stderr}");
    assert_eq!(
        run(&["--exit-code", "a/v1/tidy.proto"]).status.code(),
        Some(0)
    );

    // A unified diff.
    let out = run(&["-d", "a/v1/m.proto"]);
    let diff = common::text(&out);
    assert!(
        diff.contains("-message  M{int32 x=1;}\n+message M {\n+  int32 x = 1;\n+}"),
        "{diff}"
    );

    // Writing, then nothing left to do.
    assert_eq!(run(&["-w", "."]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("a/v1/m.proto")).unwrap(),
        tidy
    );
    assert_eq!(run(&["--check", "."]).status.code(), Some(0));

    // Standard input, for editors.
    let out = common::protoforge_cmd()
        .current_dir(tmp.path())
        .args(["format", "-"])
        .write_stdin(messy)
        .output()
        .unwrap();
    assert_eq!(common::text(&out), tidy);
}

#[test]
fn the_cli_deprecates_by_name_and_refuses_names_that_match_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let source = "syntax = \"proto3\";\npackage a.v1;\nmessage M {\n  int32 x = 1;\n}\n";
    common::write(tmp.path(), "a/v1/m.proto", source);
    common::write(
        tmp.path(),
        "b/v1/n.proto",
        "syntax = \"proto3\";\npackage b.v1;\n",
    );
    let run = |args: &[&str]| format_in(tmp.path(), args);
    let read = || std::fs::read_to_string(tmp.path().join("a/v1/m.proto")).unwrap();

    // A typo matches nothing: exit 2, the reason, and no file touched.
    let out = run(&["-w", "--deprecate", "a.v1.N", "--deprecate", "a.v", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no declaration matched --deprecate a.v1.N, a.v"),
        "{stderr}"
    );
    assert_eq!(read(), source);

    // The message by prefix, the field by its exact name, written in place; b/ is untouched.
    let out = run(&[
        "-w",
        "--deprecate",
        "a.v1.M",
        "--deprecate",
        ".a.v1.M.x",
        ".",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = "syntax = \"proto3\";\npackage a.v1;\nmessage M {\n  option deprecated = true;\n  int32 x = 1 [deprecated = true];\n}\n";
    assert_eq!(read(), want);

    // Again: matched, already deprecated, nothing changes.
    let out = run(&["--check", "--deprecate", "a.v1.M", "a/v1/m.proto"]);
    assert_eq!(out.status.code(), Some(0));

    // Standard input too.
    let out = common::protoforge_cmd()
        .current_dir(tmp.path())
        .args(["format", "--deprecate", "a.v1", "-"])
        .write_stdin(source)
        .output()
        .unwrap();
    assert!(
        common::text(&out).starts_with(
            "syntax = \"proto3\";\npackage a.v1;\n\noption deprecated = true;\n\nmessage M {\n  option deprecated = true;\n"
        ),
        "{}",
        common::text(&out)
    );
}

#[test]
fn a_value_that_is_not_text_format_is_not_rewritten() {
    // The front end keeps `{...}` values as tokens; protoc rejects these when it interprets the
    // option. Formatting one would change what it says, so the file is refused.
    for value in [
        "{a b: 1}",
        "{a: 1 2}",
        "{a: }",
        "{a: -b c}",
        "{[x]: 1 :}",
        "{a: [1 2]}",
    ] {
        let text = format!("syntax = \"proto3\";\nmessage M {{\n  option (x) = {value};\n}}\n");
        assert!(format(&text).is_err(), "{text}");
    }
    let fine = "syntax = \"proto3\";\nmessage M {\n  option (x) = {a: [1, 2] b {c: -1}};\n}\n";
    assert!(format(fine).is_ok());
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_never_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = "syntax = \"proto3\";\nmessage M {\n  int32 x = 1\n}\n";
    common::write(tmp.path(), "broken.proto", broken);
    common::write(tmp.path(), "fine.proto", "syntax  = \"proto3\";\n");
    let out = common::protoforge_cmd()
        .current_dir(tmp.path())
        .args(["format", "-w", "--color", "never", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("COMPILE"), "{stderr}");
    assert!(stderr.contains("broken.proto:4:1"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("broken.proto")).unwrap(),
        broken
    );
    // The other file is still formatted.
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("fine.proto")).unwrap(),
        "syntax = \"proto3\";\n"
    );
}

#[test]
fn check_reports_the_layout_when_asked_and_fix_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let messy = "syntax = \"proto3\";\npackage acme.v1;\n\nmessage  Order{\n  string id=1;\n}\n";
    let tidy = "syntax = \"proto3\";\npackage acme.v1;\n\nmessage Order {\n  string id = 1;\n}\n";
    common::write(tmp.path(), "acme/v1/order.proto", messy);
    let check = |args: &[&str]| {
        common::protoforge_cmd()
            .current_dir(tmp.path())
            .args(["check", "--color", "never", "--no-cache"])
            .args(args)
            .output()
            .unwrap()
    };
    // Off by default.
    assert_eq!(
        check(&[]).status.code(),
        Some(0),
        "{}",
        common::text(&check(&[]))
    );

    common::write(tmp.path(), "protoforge.toml", "[format]\ncheck = true\n");
    let out = check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out));
    let text = common::text(&out);
    assert!(text.contains("FORMAT"), "{text}");
    assert!(
        text.contains("acme/v1/order.proto:4:1"),
        "at the first changed line: {text}"
    );
    assert_eq!(
        text.matches("FORMAT\n").count(),
        1,
        "one finding per file: {text}"
    );

    let out = check(&["--fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("acme/v1/order.proto")).unwrap(),
        tidy
    );
    assert_eq!(check(&[]).status.code(), Some(0));
}
