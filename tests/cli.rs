//! CLI tests: run the built binary and check exit codes, formats and discovery.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{protoforge_cmd, write};
use predicates::prelude::*;

fn protoforge() -> Command {
    protoforge_cmd()
}

const GOOD: &str =
    "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string order_id = 1;\n}\n";

fn example() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/build-support/example-service/proto"
    ))
}

#[test]
fn version_and_help_exit_zero() {
    protoforge()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    protoforge()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("lint"));
    protoforge().args(["lint", "--help"]).assert().code(0);
}

/// Built from a git checkout (as tests always are, CI's clean clone included), `--version` names
/// the commit and its date; from a packaged crate, only the version.
#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = protoforge().arg("--version").output().unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_owned())
    };
    let packaged = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml.orig")).exists();
    match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) if !packaged => {
            let date = git(&["log", "-1", "--format=%cs", "HEAD"]).unwrap();
            let expected = format!(
                "protoforge {} ({commit} {date})\n",
                env!("CARGO_PKG_VERSION")
            );
            assert_eq!(printed, expected);
        }
        _ => assert_eq!(
            printed,
            format!("protoforge {}\n", env!("CARGO_PKG_VERSION"))
        ),
    }
}

#[test]
fn usage_errors_exit_two() {
    protoforge().arg("frobnicate").assert().code(2);
    protoforge()
        .args(["lint", "--format", "xml"])
        .assert()
        .code(2);
    protoforge()
        .args(["lint", "does/not/exist"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does/not/exist"));
    protoforge()
        .args(["explain", "NOT_A_RULE"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule"));
}

#[test]
fn clean_tree_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/order.proto", GOOD);
    protoforge()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings (1 file checked)"));
}

#[test]
fn quiet_prints_nothing_on_success_and_everything_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/order.proto", GOOD);
    for command in [
        &["lint", "-q"][..],
        &["--quiet", "check"],
        &["check", "--quiet", "--format", "json"],
    ] {
        protoforge()
            .current_dir(dir.path())
            .args(command)
            .assert()
            .code(0)
            .stdout("")
            .stderr("");
    }
    protoforge()
        .current_dir(dir.path())
        .args(["lock", "--quiet"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    assert!(dir.path().join("protoforge.lock").exists());
    // A failure is never quiet.
    write(
        dir.path(),
        "acme/v1/bad.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage bad {}\n",
    );
    protoforge()
        .current_dir(dir.path())
        .args(["check", "-q"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("MESSAGE_PASCAL_CASE"));
}

#[test]
fn example_has_findings_and_exits_one() {
    protoforge()
        .args(["lint"])
        .arg(example())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PACKAGE_VERSION_SUFFIX"))
        .stdout(predicate::str::contains(
            "10 findings in 1 file (3 files checked)",
        ))
        // The clean shop API has none.
        .stdout(predicate::str::contains("shop/v1/shop.proto:").not());
}

/// `protoforge lint --format json .` in `dir`, which must exit 1: its JSON report.
fn lint_json_failing(dir: &Path) -> serde_json::Value {
    let out = protoforge()
        .current_dir(dir)
        .args(["lint", "--format", "json", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn broken_file_does_not_hide_the_good_one() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "acme/v1/broken.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage Broken {\n",
    );
    write(
        dir.path(),
        "acme/v1/good.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage Good {\n  string badName = 1;\n}\n",
    );
    let doc = lint_json_failing(dir.path());
    let findings = doc["findings"].as_array().unwrap();
    let rules: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    assert!(
        rules.contains(&("acme/v1/broken.proto", "COMPILE")),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("acme/v1/good.proto", "FIELD_LOWER_SNAKE_CASE")),
        "{rules:?}"
    );
    assert_eq!(doc["summary"]["files_checked"], 2);
}

#[test]
fn every_syntax_error_of_a_file_is_a_located_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "acme/v1/broken.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage A {\n  int32 x = ;\n  string ok = 2;\n  bool y 3;\n}\nenum E { E_UNSPECIFIED = 0; E_X = ; }\n",
    );
    let doc = lint_json_failing(dir.path());
    let at: Vec<(u64, u64, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["rule"], "COMPILE");
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            (4, 13, "expected an integer, found `;`"),
            (6, 10, "expected `=`, found `3`"),
            (8, 35, "expected an integer, found `;`"),
        ]
    );
}

#[test]
fn json_format_schema() {
    let out = protoforge()
        .args(["lint", "--format", "json"])
        .arg(example())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let first = &doc["findings"][0];
    for key in [
        "rule",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    assert_eq!(first["line"], 4, "1-based line of `package inventory;`");
    assert_eq!(first["column"], 1);
    assert_eq!(doc["summary"]["findings"], 10);
    assert_eq!(doc["summary"]["errors"], 10);
}

#[test]
fn junit_format_is_a_test_case_per_file_and_a_failure_per_finding() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "acme/v1/good.proto", GOOD);
    write(
        tmp.path(),
        "acme/v1/bad.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage order_line {\n  string Item_ID = 1;\n}\n",
    );
    let run = |format: &str| {
        protoforge()
            .current_dir(tmp.path())
            .args(["lint", "--no-cache", "--format", format, "."])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone()
    };
    let json: serde_json::Value = serde_json::from_slice(&run("json")).unwrap();
    let xml = String::from_utf8(run("junit")).unwrap();
    // Served from the result cache, the report lists the same files.
    let cached = || {
        protoforge()
            .current_dir(tmp.path())
            .args(["lint", "--format", "junit", "."])
            .output()
            .unwrap()
            .stdout
    };
    let first = cached();
    assert_eq!(String::from_utf8(cached()).unwrap(), xml);
    assert_eq!(String::from_utf8(first).unwrap(), xml);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("2"), "{xml}");
    assert_eq!(root.attribute("failures"), Some("1"), "{xml}");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<_> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(names, ["acme/v1/bad.proto", "acme/v1/good.proto"]);
    let failures: Vec<_> = cases[0]
        .children()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(failures.len(), findings.len(), "{xml}");
    for (failure, finding) in failures.iter().zip(findings) {
        assert_eq!(failure.attribute("type"), finding["rule"].as_str());
        let message = failure.attribute("message").unwrap();
        assert!(
            message.starts_with(&format!(
                "acme/v1/bad.proto:{}:{}: error ",
                finding["line"], finding["column"]
            )),
            "{message}"
        );
        assert!(message.ends_with(finding["message"].as_str().unwrap()));
    }
    assert!(
        cases[1].children().all(|n| !n.has_tag_name("failure")),
        "the clean file has no failure"
    );
}

#[test]
fn github_format() {
    protoforge()
        .args(["lint", "--format", "github"])
        .arg(example())
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(
            r"(?m)^::error file=[^,]*inventory\.proto,line=4,col=1,endLine=4,endColumn=19,title=PACKAGE_VERSION_SUFFIX::package `inventory` does not end",
        )
        .unwrap());
}

#[test]
fn sarif_format() {
    let out = protoforge()
        .args(["lint", "--format", "sarif"])
        .arg(example())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "protoforge");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"IMPORT_USED"), "{ids:?}");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn human_output_has_no_colour_off_a_terminal() {
    protoforge()
        .args(["lint"])
        .arg(example())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\u{1b}[").not())
        .stdout(predicate::str::contains(
            "help: use `package inventory.v1;`",
        ));
    protoforge()
        .args(["lint", "--color", "always"])
        .arg(example())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn discovery_honours_gitignore_and_skips_build_dirs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/order.proto", GOOD);
    let bad = "syntax = \"proto3\";\nmessage bad {}\n";
    write(dir.path(), "generated/x.proto", bad);
    write(dir.path(), ".gitignore", "generated/\n");
    write(dir.path(), "target/y.proto", bad);
    write(dir.path(), "node_modules/pkg/z.proto", bad);
    write(dir.path(), ".hidden/w.proto", bad);
    protoforge()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("(1 file checked)"));
    // A file named explicitly is linted even when ignored.
    protoforge()
        .current_dir(dir.path())
        .args(["lint", "-I", ".", "generated/x.proto"])
        .assert()
        .code(1);
}

#[test]
fn include_roots_from_flag_and_config() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "proto/acme/v1/order.proto", GOOD);
    write(
        dir.path(),
        "proto/acme/v1/shop.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nimport \"acme/v1/order.proto\";\nmessage Cart {\n  Order order = 1;\n}\n",
    );
    // Without a root, the directory argument is the root.
    protoforge()
        .current_dir(dir.path())
        .args(["lint", "proto"])
        .assert()
        .code(0);
    // A file argument with -I.
    protoforge()
        .current_dir(dir.path())
        .args(["lint", "-I", "proto", "proto/acme/v1/shop.proto"])
        .assert()
        .code(0);
    // Roots from protoforge.toml, found from a subdirectory.
    write(
        dir.path(),
        "protoforge.toml",
        "[proto]\nroots = [\"proto\"]\n",
    );
    protoforge()
        .current_dir(dir.path().join("proto/acme"))
        .args(["lint", "v1/shop.proto"])
        .assert()
        .code(0);
    // A wrong root: the file is not under it.
    protoforge()
        .current_dir(dir.path())
        .args([
            "lint",
            "-I",
            "proto/acme",
            "proto/acme/../../protoforge.toml",
        ])
        .assert()
        .code(2);
}

#[test]
fn config_errors_point_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/order.proto", GOOD);
    write(
        dir.path(),
        "protoforge.toml",
        "[proto]\nroots = [\".\"]\nrots = 1\n",
    );
    protoforge()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field `rots`"))
        .stderr(predicate::str::contains("protoforge.toml:3:1"));
}

#[test]
fn missing_import_names_the_import() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage A {\n  google.protobuf.Timestamp at = 1;\n}\n",
    );
    protoforge()
        .current_dir(dir.path())
        .env("COLUMNS", "200") // the hint on one line
        .arg("lint")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "add `import \"google/protobuf/timestamp.proto\";`",
        ));
}

#[test]
fn embedded_imports_resolve_without_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "acme/v1/api.proto",
        r#"syntax = "proto3";
package acme.v1;
import "google/api/annotations.proto";
import "protoforge/v1/options.proto";
message GetThingRequest {
  string id = 1;
}
message GetThingResponse {
  string name = 1;
}
service ThingService {
  rpc GetThing(GetThingRequest) returns (GetThingResponse) {
    option (google.api.http) = { get: "/v1/things/{id}" };
    option (protoforge.v1.method) = { auth: { scopes: ["things.read"] } timeout: "2s" };
  }
}
"#,
    );
    protoforge()
        .current_dir(dir.path())
        .arg("lint")
        .assert()
        .code(0);
}

#[test]
fn rules_and_explain() {
    protoforge()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PACKAGE_VERSION_SUFFIX"))
        .stdout(predicate::str::contains("PROTOVALIDATE"));
    protoforge()
        .args(["explain", "package_version_suffix"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## What it does"))
        .stdout(predicate::str::contains("## Fix"));
}

/// Changed-files mode, as a pre-commit hook runs it: only the named files are reported, their
/// imports still resolve from the project root, and unrelated files are not read.
#[test]
fn named_files_report_only_themselves_with_imports_resolved_from_the_root() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "proto/acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nimport \"acme/v1/b.proto\";\nmessage A {\n  B b = 1;\n}\n",
    );
    // b has a finding of its own; it is imported, not named, so it is not reported.
    write(
        dir.path(),
        "proto/acme/v1/b.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage B {\n  int32 Bad_Name = 1;\n}\n",
    );
    // Neither named nor imported: never parsed, so its syntax error is not reported.
    write(
        dir.path(),
        "proto/acme/v1/broken.proto",
        "syntax = \"proto3\";\nmessage {\n",
    );
    write(
        dir.path(),
        "protoforge.toml",
        "[proto]\nroots = [\"proto\"]\n",
    );
    protoforge()
        .current_dir(dir.path())
        .args(["check", "proto/acme/v1/a.proto"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings (1 file checked)"));
    protoforge()
        .current_dir(dir.path())
        .args(["check", "proto/acme/v1/a.proto", "proto/acme/v1/b.proto"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Bad_Name"))
        .stdout(predicate::str::contains(
            "1 finding in 1 file (2 files checked)",
        ));

    // Without `[proto] roots`, named files resolve imports from the directory of the config (here
    // there is none: the working directory), not from their own directory.
    std::fs::remove_file(dir.path().join("protoforge.toml")).unwrap();
    protoforge()
        .current_dir(dir.path().join("proto"))
        .args(["check", "acme/v1/a.proto"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings (1 file checked)"));
}

/// A tree checked twice (a copy under another directory of the same root): one finding per
/// top-level name of the copy, naming the file that defines it first.
#[test]
fn a_copied_tree_reports_each_name_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string order_id = 1;\n  message Line {\n    int32 qty = 1;\n  }\n}\nenum Kind {\n  KIND_UNSPECIFIED = 0;\n}\n";
    write(dir.path(), "acme/v1/order.proto", text);
    write(dir.path(), "vendor/acme/v1/order.proto", text);
    let out = protoforge()
        .current_dir(dir.path())
        .env("COLUMNS", "200")
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dups: Vec<(String, String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("already defined"))
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let file = "vendor/acme/v1/order.proto".to_owned();
    assert_eq!(
        dups,
        [
            (
                file.clone(),
                "name 'acme.v1.Order' is already defined in file 'acme/v1/order.proto'".to_owned(),
                3
            ),
            (
                file,
                "name 'acme.v1.Kind' is already defined in file 'acme/v1/order.proto'".to_owned(),
                9
            ),
        ]
    );
}

#[test]
fn build_writes_descriptor_sets_as_protoc_does() {
    use prost::Message;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::write(
        dir,
        "acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage A {}\n",
    );
    common::write(
        dir,
        "acme/v1/b.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nimport \"acme/v1/a.proto\";\n// B.\nmessage B { A a = 1; }\n",
    );
    let build = |args: &[&str]| {
        common::protoforge_cmd()
            .current_dir(dir)
            .arg("build")
            .args(args)
            .output()
            .unwrap()
    };
    let read = |name: &str| {
        prost_types::FileDescriptorSet::decode(std::fs::read(dir.join(name)).unwrap().as_slice())
            .unwrap()
    };
    let out = build(&["acme/v1/b.proto", "-o", "plain.binpb"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plain = read("plain.binpb");
    let names: Vec<&str> = plain.file.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["acme/v1/b.proto"]);
    assert!(plain.file[0].source_code_info.is_none());

    let out = build(&[
        "acme/v1/b.proto",
        "-o",
        "all.binpb",
        "--include-imports",
        "--include-source-info",
    ]);
    assert!(out.status.success());
    let all = read("all.binpb");
    let names: Vec<&str> = all.file.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        ["acme/v1/a.proto", "acme/v1/b.proto"],
        "dependencies first"
    );
    let info = all.file[1].source_code_info.as_ref().unwrap();
    assert!(
        info.location
            .iter()
            .any(|l| l.leading_comments.as_deref() == Some(" B.\n"))
    );

    // No -o: only a check. Compile errors: findings and exit 1, nothing written.
    let out = build(&[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 file(s) compile"));
    common::write(
        dir,
        "acme/v1/c.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage C { Missing m = 1; }\n",
    );
    let out = build(&["-o", "broken.binpb"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("COMPILE"));
    assert!(!dir.join("broken.binpb").exists());
}

/// Option locations carry the paths protoc gives them (checked against protoc 35.1): a repeated
/// option's element index follows its field numbers, counted per field, and `999` as an index (the
/// thousandth message) is not taken for an uninterpreted option.
#[test]
fn build_gives_option_locations_protoc_paths() {
    use prost::Message;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let mut text = String::from(
        "syntax = \"proto2\";\npackage x;\nimport \"google/protobuf/descriptor.proto\";\n\
         message Inner { repeated int32 list = 1; optional int32 one = 2; }\n\
         extend google.protobuf.FieldOptions {\n  repeated int32 rep = 5001;\n  \
         optional Inner inner = 5002;\n  repeated Inner inners = 5003;\n}\n\
         message M {\n  optional int32 a = 1 [(rep) = 1, (inner).list = 3, (rep) = 2, \
         (inner).one = 7, (inners) = {one: 1}, (inner).list = 4, (inners) = {one: 2}];\n  \
         optional int32 b = 2 [(rep) = 9, targets = TARGET_TYPE_FILE, targets = TARGET_TYPE_FIELD];\n}\n",
    );
    for i in 2..=1000 {
        text.push_str(&format!(
            "message N{i} {{ optional int32 f = 1 [(rep) = {i}]; }}\n"
        ));
    }
    common::write(dir, "x.proto", &text);
    let bytes = common::built_set(dir, &["x.proto", "--include-source-info"]);
    let set = prost_types::FileDescriptorSet::decode(bytes.as_slice()).unwrap();
    let paths: Vec<Vec<i32>> = set.file[0]
        .source_code_info
        .as_ref()
        .unwrap()
        .location
        .iter()
        .map(|l| l.path.clone())
        .filter(|p| p.len() > 5 && p[4] == 8 && p[..2] != [4, 0])
        .collect();
    let a = |rest: &[i32]| [&[4, 1, 2, 0, 8][..], rest].concat();
    let b = |rest: &[i32]| [&[4, 1, 2, 1, 8][..], rest].concat();
    let message = |m: i32| vec![4, m, 2, 0, 8, 5001, 0];
    let expected: Vec<Vec<i32>> = [
        a(&[5001, 0]),
        a(&[5002, 1, 0]),
        a(&[5001, 1]),
        a(&[5002, 2]),
        a(&[5003, 0]),
        a(&[5002, 1, 1]),
        a(&[5003, 1]),
        b(&[5001, 0]),
        b(&[19, 0]),
        b(&[19, 1]),
    ]
    .into_iter()
    .chain((2..=1000).map(message))
    .collect();
    assert_eq!(paths, expected);
    assert!(
        !paths.iter().any(|p| p[4..].contains(&999)),
        "no uninterpreted option path is left"
    );
}

/// proto2 fields whose default JSON names collide compile (protoc only warns), and the built set
/// gives each the JSON name protoc gives it, not the stand-in the linker needed.
#[test]
fn build_keeps_protocs_json_names_where_proto2_names_collide() {
    use prost::Message;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::write(
        dir,
        "acme/v1/legacy.proto",
        "syntax = \"proto2\";\npackage acme.v1;\nmessage Legacy {\n  optional string foo_bar = 1;\n  optional string fooBar = 2;\n  message Inner {\n    optional int32 _x = 1;\n    optional int32 X = 2 [json_name = \"X\"];\n  }\n}\n",
    );
    let out = common::protoforge_cmd()
        .current_dir(dir)
        .args(["build", "acme/v1/legacy.proto", "-o", "legacy.binpb"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let set = prost_types::FileDescriptorSet::decode(
        std::fs::read(dir.join("legacy.binpb")).unwrap().as_slice(),
    )
    .unwrap();
    let legacy = &set.file[0].message_type[0];
    let json = |m: &prost_types::DescriptorProto| -> Vec<String> {
        m.field.iter().map(|f| f.json_name().to_owned()).collect()
    };
    assert_eq!(json(legacy), ["fooBar", "fooBar"]);
    assert_eq!(json(&legacy.nested_type[0]), ["X", "X"]);
}
