//! Configuration, suppression, baseline and fixes, through the real binary.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{protoforge_cmd, write};
use predicates::prelude::*;

fn protoforge(dir: &Path) -> Command {
    let mut cmd = protoforge_cmd();
    cmd.current_dir(dir);
    cmd
}

fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = protoforge(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, doc)
}

/// (file, rule) of every finding.
fn found(doc: &serde_json::Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const CLEAN: &str =
    "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string order_id = 1;\n}\n";

#[test]
fn ignore_ignore_only_and_exclude_globs() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "protoforge.toml",
        "[proto]\nroots = [\"proto\"]\nexclude = [\"proto/gen\"]\n\n[lint]\nignore = [\"proto/vendor/**\"]\n\n[lint.ignore_only]\nFIELD_LOWER_SNAKE_CASE = [\"proto/legacy/**\"]\n",
    );
    write(dir, "proto/acme/v1/order.proto", CLEAN);
    write(
        dir,
        "proto/vendor/x/v1/x.proto",
        "syntax = \"proto3\";\npackage vendor_x;\nmessage bad { string badName = 1; }\n",
    );
    write(
        dir,
        "proto/legacy/v1/l.proto",
        "syntax = \"proto3\";\npackage legacy.v1;\nmessage old_one { string badName = 1; }\n",
    );
    write(
        dir,
        "proto/gen/v1/g.proto",
        "syntax = \"proto3\";\npackage gen.v1;\nmessage bad {}\n",
    );
    let (code, doc) = json(dir, &["lint"]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&doc),
        vec![(
            "proto/legacy/v1/l.proto".into(),
            "MESSAGE_PASCAL_CASE".into()
        )]
    );
    assert_eq!(doc["summary"]["files_checked"], 3, "proto/gen is excluded");
}

#[test]
fn severity_warning_and_deny_warnings() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "protoforge.toml",
        "[lint.severity]\nFIELD_LOWER_SNAKE_CASE = \"warning\"\nENUM_ZERO_VALUE_SUFFIX = \"off\"\n",
    );
    write(
        dir,
        "acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage A { string badName = 1; }\nenum E { E_NONE = 0; }\n",
    );
    let (code, doc) = json(dir, &["lint"]);
    assert_eq!(code, 0, "warnings alone exit 0");
    assert_eq!(
        found(&doc),
        vec![("acme/v1/a.proto".into(), "FIELD_LOWER_SNAKE_CASE".into())]
    );
    assert_eq!(doc["findings"][0]["severity"], "warning");
    protoforge(dir)
        .args(["lint", "--deny-warnings"])
        .assert()
        .code(1);
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("FIELD_LOWER_SNAKE_CASE"));
}

#[test]
fn unknown_rule_in_config_points_at_the_line() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "protoforge.toml",
        "[lint]\nuse = [\"STANDARD\"]\nexcept = [\n  \"FIELD_LOWER_SNAKE\",\n]\n",
    );
    write(dir, "acme/v1/a.proto", CLEAN);
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule or category `FIELD_LOWER_SNAKE`",
        ))
        .stderr(predicate::str::contains("protoforge.toml:4:3"))
        .stderr(predicate::str::contains("FIELD_LOWER_SNAKE_CASE"));
}

#[test]
fn buf_yaml_v1_is_read_when_there_is_no_protoforge_toml() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "buf.yaml",
        "version: v1\nlint:\n  use:\n    - DEFAULT\n  except:\n    - FIELD_LOWER_SNAKE_CASE\n  allow_comment_ignores: true\n",
    );
    write(
        dir,
        "acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage A { string badName = 1; }\n// buf:lint:ignore MESSAGE_PASCAL_CASE\nmessage b_c {}\nmessage d_e {}\n",
    );
    let (code, doc) = json(dir, &["lint"]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&doc),
        vec![("acme/v1/a.proto".into(), "MESSAGE_PASCAL_CASE".into())]
    );
}

/// A buf v1 workspace: each directory is a root the others import from, and each is linted
/// with its own buf.yaml, whether protoforge runs in a module, names one, or runs at the top.
#[test]
fn buf_work_yaml_workspaces() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "buf.work.yaml",
        "version: v1\ndirectories:\n  - proto\n  - vendor/money\n",
    );
    write(
        dir,
        "proto/buf.yaml",
        "version: v1\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\n  ignore: [acme/v1/legacy.proto]\n",
    );
    write(
        dir,
        "proto/acme/v1/order.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nimport \"money/v1/money.proto\";\nmessage Order {\n  money.v1.Money totalPrice = 1;\n}\n",
    );
    write(
        dir,
        "proto/acme/v1/legacy.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage Legacy {\n  string badName = 1;\n}\n",
    );
    // No buf.yaml here: buf's v1 defaults (DEFAULT), which want a versioned package.
    write(
        dir,
        "vendor/money/money/v1/money.proto",
        "syntax = \"proto3\";\npackage money.v1;\nmessage Money {\n  int64 units = 1;\n}\n",
    );
    let order = vec![(
        "proto/acme/v1/order.proto".into(),
        "FIELD_LOWER_SNAKE_CASE".into(),
    )];
    // In the module, naming it, and naming one file: the import resolves from the other
    // directory, the module's rules and ignores apply, the vendored files are not linted.
    let (code, doc) = json(&dir.join("proto"), &["lint"]);
    assert_eq!(code, 1, "{doc}");
    assert_eq!(
        found(&doc),
        vec![(
            "acme/v1/order.proto".into(),
            "FIELD_LOWER_SNAKE_CASE".into()
        )]
    );
    let (_, doc) = json(dir, &["lint", "proto"]);
    assert_eq!(found(&doc), order);
    let (_, doc) = json(dir, &["lint", "proto/acme/v1/order.proto"]);
    assert_eq!(found(&doc), order);
    // At the top, every directory is linted with its own settings: the vendored module has
    // buf's defaults, under which `money.v1` is fine.
    let (_, doc) = json(dir, &["lint"]);
    assert_eq!(found(&doc), order);
    // A directory the workspace names must exist.
    write(
        dir,
        "buf.work.yaml",
        "version: v1\ndirectories:\n  - proto\n  - vendor/gone\n",
    );
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("directory `vendor/gone`"));
}

#[test]
fn buf_yaml_v2_modules_and_init_from_buf() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "buf.yaml",
        "version: v2\nmodules:\n  - path: proto\n    excludes:\n      - proto/vendor\nlint:\n  use:\n    - STANDARD\n  ignore_only:\n    ENUM_ZERO_VALUE_SUFFIX:\n      - proto/acme/v1/legacy.proto\n  service_suffix: API\n",
    );
    write(
        dir,
        "proto/acme/v1/order.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nservice OrderAPI {}\nservice OrderService {}\n",
    );
    write(
        dir,
        "proto/acme/v1/legacy.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nenum E { E_NONE = 0; }\n",
    );
    write(
        dir,
        "proto/vendor/v1/v.proto",
        "syntax = \"proto3\";\npackage x;\n",
    );
    let (code, with_buf) = json(dir, &["lint"]);
    assert_eq!(code, 1);
    assert_eq!(
        found(&with_buf),
        vec![("proto/acme/v1/order.proto".into(), "SERVICE_SUFFIX".into())],
        "roots from modules, excludes, ignore_only and options all apply"
    );
    protoforge(dir)
        .args(["init", "--from-buf"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("protoforge.toml"));
    let toml = std::fs::read_to_string(dir.join("protoforge.toml")).unwrap();
    assert!(toml.contains("service_suffix = \"API\""), "{toml}");
    let (_, with_toml) = json(dir, &["lint"]);
    assert_eq!(
        found(&with_toml),
        found(&with_buf),
        "protoforge.toml reproduces buf.yaml's verdicts"
    );
    protoforge(dir)
        .args(["init", "--from-buf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
}

#[test]
fn inline_ignores_cascade_and_can_be_disabled() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\n// protoforge:ignore FIELD_LOWER_SNAKE_CASE generated by an old tool\nmessage A {\n  string badName = 1;\n  message B {\n    string alsoBad = 1;\n  }\n}\nmessage C {\n  string stillBad = 1;\n}\n",
    );
    let (_, doc) = json(dir, &["lint"]);
    let lines: Vec<u64> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![11],
        "only C.stillBad: A and its nested B are suppressed"
    );
    let (_, doc) = json(dir, &["lint", "--no-inline-ignores"]);
    assert_eq!(doc["summary"]["findings"], 3);
}

#[test]
fn baseline_grandfathers_old_findings_only() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "protoforge.toml",
        "[lint]\nbaseline = \"baseline.json\"\n",
    );
    write(
        dir,
        "acme/v1/a.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage A { string badName = 1; }\n",
    );
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("baseline.json"));
    protoforge(dir)
        .args(["lint", "--write-baseline", "baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Wrote 1 findings"));
    protoforge(dir).arg("lint").assert().code(0);
    // Lines move and a new finding appears: only the new one fails.
    write(
        dir,
        "acme/v1/a.proto",
        "syntax = \"proto3\";\n\npackage acme.v1;\n\nmessage A { string badName = 1; }\nmessage B { string newBad = 1; }\n",
    );
    let (code, doc) = json(dir, &["lint"]);
    assert_eq!(code, 1);
    assert_eq!(doc["summary"]["findings"], 1);
    assert!(
        doc["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("newBad")
    );
    write(dir, "baseline.json", "{ not json");
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a protoforge baseline"));
}

#[test]
fn fix_removes_unused_imports_and_adds_syntax_idempotently() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    // No syntax line: compiled as proto2, so fields carry labels; `optional` is valid proto3 too.
    let before = "// Orders.\n\n// The package of orders.\npackage acme.v1;\n\nimport \"google/protobuf/duration.proto\";\nimport \"google/protobuf/timestamp.proto\"; // when it happened\n  import \"google/protobuf/empty.proto\";\n\nmessage Order {\n  // The id.\n  optional string id = 1;\n  optional google.protobuf.Timestamp at = 2;\n}\n";
    write(dir, "acme/v1/a.proto", before);
    protoforge(dir)
        .args(["lint", "--fix"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("fixed: acme/v1/a.proto:6: IMPORT_USED removed `import \"google/protobuf/duration.proto\";`"))
        .stderr(predicate::str::contains("SYNTAX_SPECIFIED added `syntax = \"proto3\";`"))
        .stderr(predicate::str::contains("Applied 3 fixes in 1 file."))
        .stdout(predicate::str::contains("No findings"));
    let after = std::fs::read_to_string(dir.join("acme/v1/a.proto")).unwrap();
    assert_eq!(
        after,
        "// Orders.\n\nsyntax = \"proto3\";\n\n// The package of orders.\npackage acme.v1;\n\nimport \"google/protobuf/timestamp.proto\"; // when it happened\n\nmessage Order {\n  // The id.\n  optional string id = 1;\n  optional google.protobuf.Timestamp at = 2;\n}\n"
    );
    // Idempotent: nothing left to fix.
    protoforge(dir)
        .args(["lint", "--fix"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("fixed:").not());
    assert_eq!(
        std::fs::read_to_string(dir.join("acme/v1/a.proto")).unwrap(),
        after
    );
}

#[test]
fn fix_keeps_proto2_semantics_as_proto2() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    // proto2 without a syntax line: proto3 would make `required` a compile error, and the enum
    // open and the repeated int packed; the fix names the syntax the file already compiles as.
    let before = "package acme.v1;\nmessage Order {\n  required string id = 1;\n  repeated int32 n = 2;\n}\n";
    write(dir, "acme/v1/a.proto", before);
    protoforge(dir)
        .args(["lint", "--fix"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fixed: acme/v1/a.proto:1: SYNTAX_SPECIFIED added `syntax = \"proto2\";`",
        ))
        .stdout(predicate::str::contains("FIELD_NOT_REQUIRED"))
        .stdout(predicate::str::contains("SYNTAX_SPECIFIED").not());
    assert_eq!(
        std::fs::read_to_string(dir.join("acme/v1/a.proto")).unwrap(),
        format!("syntax = \"proto2\";\n\n{before}")
    );
    // Without the required field the repeated int alone still keeps proto2 (packing differs).
    let unpacked = "package acme.v1;\nmessage Order {\n  repeated int32 n = 2;\n}\n";
    write(dir, "acme/v1/a.proto", unpacked);
    protoforge(dir)
        .args(["lint", "--fix"])
        .assert()
        .stderr(predicate::str::contains("added `syntax = \"proto2\";`"));
}
