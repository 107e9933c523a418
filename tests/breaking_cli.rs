//! `protoforge breaking` against directories, descriptor sets and git revisions, its fixes, and
//! the protoforge.lock ledger over several versions; through the real binary.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::{git, protoforge_cmd, write};
use predicates::prelude::*;

fn protoforge(dir: &Path) -> Command {
    let mut cmd = protoforge_cmd();
    cmd.current_dir(dir).env("SOURCE_DATE_EPOCH", "1763683200"); // 2025-11-21
    cmd
}

fn rules_of(out: &[u8]) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(out).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// The rules `breaking --against AGAINST --format json` reports in `dir` (it must find some).
fn breaking_rules(dir: &Path, against: &str) -> Vec<String> {
    let out = protoforge(dir)
        .args(["breaking", "--against", against, "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    rules_of(&out)
}

const V1: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string id = 1;\n  int32 note = 3;\n}\n";
const V2: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string id = 1;\n}\n";
const V3: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string id = 1;\n  string comment = 3;\n}\n";

/// A protoforge.toml that sets nothing: protoforge's own default, WIRE_JSON.
const WIRE_JSON_CONFIG: &str = "# breaking: protoforge's default (WIRE_JSON)\n";

/// The default rules follow the configuration file: protoforge.toml means WIRE_JSON (a reserved
/// deletion is fine); a buf.yaml without `breaking.use`, of any version, and no configuration at
/// all mean buf's FILE (every deletion is reported), so a buf user's tree gives buf's findings.
#[test]
fn the_default_breaking_rules_follow_the_configuration_file() {
    // (case, the configuration file and its text, the rules reported)
    type Case<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [&'a str]);
    let cases: [Case; 5] = [
        ("none", None, &["FIELD_NO_DELETE"]),
        (
            "toml",
            Some(("protoforge.toml", WIRE_JSON_CONFIG)),
            &[
                "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
            ],
        ),
        (
            "v2",
            Some(("buf.yaml", "version: v2\n")),
            &["FIELD_NO_DELETE"],
        ),
        (
            "v1",
            Some(("buf.yaml", "version: v1\n")),
            &["FIELD_NO_DELETE"],
        ),
        (
            "v2-lint-only",
            Some(("buf.yaml", "version: v2\nlint:\n  use: [MINIMAL]\n")),
            &["FIELD_NO_DELETE"],
        ),
    ];
    for (name, config, want) in cases {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        write(dir, "old/acme/v1/order.proto", V1);
        write(dir, "new/acme/v1/order.proto", V2);
        if let Some((file, text)) = config {
            write(dir, &format!("new/{file}"), text);
        }
        let rules = breaking_rules(&dir.join("new"), "../old");
        assert_eq!(rules, want, "{name}");
    }
}

#[test]
fn against_a_directory_and_fix_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(dir, "old/acme/v1/order.proto", V1);
    write(dir, "new/acme/v1/order.proto", V2);
    write(dir, "new/protoforge.toml", WIRE_JSON_CONFIG);
    let rules = breaking_rules(&dir.join("new"), "../old");
    assert_eq!(
        rules,
        vec![
            "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
            "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"
        ]
    );
    protoforge(&dir.join("new"))
        .args(["breaking", "--against", "../old", "--fix"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Applied 2 fixes in 1 file."));
    let fixed = std::fs::read_to_string(dir.join("new/acme/v1/order.proto")).unwrap();
    assert_eq!(
        fixed,
        "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  reserved \"note\";\n  reserved 3;\n  string id = 1;\n}\n"
    );
    // Twice changes nothing, and the fixed tree passes.
    protoforge(&dir.join("new"))
        .args(["breaking", "--against", "../old", "--fix"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("fixed:").not());
    assert_eq!(
        std::fs::read_to_string(dir.join("new/acme/v1/order.proto")).unwrap(),
        fixed
    );
}

#[test]
fn new_files_new_packages_and_an_empty_baseline_are_not_breaking() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    write(dir, "new/acme/v1/order.proto", V2);
    write(
        dir,
        "new/acme/v2/order.proto",
        "syntax = \"proto3\";\npackage acme.v2;\nmessage Order {}\n",
    );
    protoforge(&dir.join("new"))
        .args(["breaking", "--against", "../empty"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No findings"));
}

#[test]
fn against_descriptor_sets_with_and_without_imports() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(
        dir,
        "old/acme/v1/order.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nimport \"google/protobuf/timestamp.proto\";\nmessage Order {\n  string id = 1;\n  int32 note = 3;\n  google.protobuf.Timestamp at = 4;\n}\n",
    );
    write(
        dir,
        "new/acme/v1/order.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nimport \"google/protobuf/timestamp.proto\";\nmessage Order {\n  string id = 1;\n  google.protobuf.Timestamp at = 4;\n}\n",
    );
    write(dir, "new/protoforge.toml", WIRE_JSON_CONFIG);
    for with_imports in [true, false] {
        let set = protox::Compiler::new([dir.join("old")])
            .unwrap()
            .include_imports(with_imports)
            .open_file("acme/v1/order.proto")
            .unwrap()
            .encode_file_descriptor_set();
        std::fs::write(dir.join("old.binpb"), set).unwrap();
        let rules = breaking_rules(&dir.join("new"), "../old.binpb");
        assert_eq!(
            rules,
            vec![
                "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"
            ],
            "with imports: {with_imports}"
        );
    }
    std::fs::write(dir.join("junk.binpb"), b"\xff\xff\xff not a descriptor set").unwrap();
    protoforge(&dir.join("new"))
        .args(["breaking", "--against", "../junk.binpb"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a descriptor set"));
}

#[test]
fn against_git_revisions_without_touching_the_work_tree() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(dir, "protoforge.toml", "[proto]\nroots = [\"proto\"]\n");
    write(dir, "proto/acme/v1/order.proto", V1);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "v1"]);
    write(dir, "proto/acme/v1/order.proto", V2);
    // Uncommitted work tree against HEAD, HEAD~0 and the branch name.
    for rev in ["HEAD", "main"] {
        let rules = breaking_rules(dir, rev);
        assert_eq!(rules.len(), 2, "{rev}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("proto/acme/v1/order.proto")).unwrap(),
        V2,
        "work tree untouched"
    );
    git(dir, &["commit", "-q", "-am", "v2"]);
    protoforge(dir)
        .args(["breaking", "--against", "HEAD~1"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("note"))
        .stdout(predicate::str::contains(
            "note: compared against git revision HEAD~1",
        ));
    // The config can name the baseline for `check`.
    write(
        dir,
        "protoforge.toml",
        "[proto]\nroots = [\"proto\"]\n[breaking]\nagainst = \"HEAD~1\"\n",
    );
    protoforge(dir)
        .args(["check", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        ));
    // `lint` and `check --no-breaking` do not compare, whatever the config says.
    for args in [&["lint"][..], &["check", "--no-breaking"]] {
        protoforge(dir)
            .args(args)
            .assert()
            .stdout(predicate::str::contains("FIELD_NO_DELETE").not());
    }
    // A revision that is not in the clone says how to fetch it.
    protoforge(dir)
        .args(["breaking", "--against", "origin/main"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not in this clone"))
        .stderr(predicate::str::contains("git fetch origin main"));
}

#[test]
fn shallow_clone_works_when_the_revision_is_present() {
    let d = tempfile::tempdir().unwrap();
    let origin = d.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    write(&origin, "acme/v1/order.proto", V1);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-q", "-m", "v1"]);
    write(&origin, "acme/v1/order.proto", V2);
    git(&origin, &["commit", "-q", "-am", "v2"]);
    let url = format!("file://{}", origin.display());
    git(d.path(), &["clone", "-q", "--depth=1", &url, "shallow"]);
    let shallow = d.path().join("shallow");
    protoforge(&shallow)
        .args(["breaking", "--against", "HEAD~1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shallow clone"))
        .stderr(predicate::str::contains(
            "git fetch --depth=1 origin HEAD~1",
        ));
    git(&shallow, &["fetch", "-q", "--deepen=1"]);
    // No configuration: buf's FILE.
    protoforge(&shallow)
        .args(["breaking", "--against", "HEAD~1"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FIELD_NO_DELETE"));
}

#[test]
fn ledger_catches_reuse_two_versions_after_deletion() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    // v1: note = 3. Lock it.
    write(dir, "acme/v1/order.proto", V1);
    protoforge(dir)
        .arg("lock")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Wrote"))
        .stderr(predicate::str::contains("merge=union"));
    let lock = std::fs::read_to_string(dir.join("protoforge.lock")).unwrap();
    assert!(
        lock.contains("field acme.v1.Order 3 live note int32\n"),
        "{lock}"
    );
    protoforge(dir).args(["lock", "--check"]).assert().code(0);
    // v2: note deleted without reservation. The ledger reports the gap; lock records it retired.
    write(dir, "acme/v1/order.proto", V2);
    protoforge(dir)
        .args(["lock", "--check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("stale"));
    protoforge(dir)
        .args(["lint", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FIELD_NUMBER_NOT_RESERVED"));
    protoforge(dir).arg("lock").assert().code(0);
    let lock = std::fs::read_to_string(dir.join("protoforge.lock")).unwrap();
    assert!(
        lock.contains("field acme.v1.Order 3 retired note int32 retired=2025-11-21\n"),
        "{lock}"
    );
    // v3: number 3 reused for another field. Caught by lint and by check, refused by lock.
    write(dir, "acme/v1/order.proto", V3);
    protoforge(dir)
        .args(["check", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FIELD_NUMBER_REUSED"))
        .stdout(predicate::str::contains(
            "reuses number 3, which was `note` (int32), retired 2025-11-21",
        ));
    protoforge(dir)
        .arg("lock")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "FIELD_NUMBER_REUSED:acme.v1.Order.3 (note int32 -> comment string)",
        ))
        .stderr(predicate::str::contains(
            "--accept FIELD_NUMBER_REUSED:acme.v1.Order.3",
        ));
    assert_eq!(
        std::fs::read_to_string(dir.join("protoforge.lock")).unwrap(),
        lock,
        "refused: unchanged"
    );
    // Accepting records why; then the tree passes.
    protoforge(dir)
        .args([
            "lock",
            "--accept",
            "FIELD_NUMBER_REUSED:acme.v1.Order.3",
            "--reason",
            "note never shipped",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("accepted:"));
    let lock = std::fs::read_to_string(dir.join("protoforge.lock")).unwrap();
    assert!(
        lock.contains("field acme.v1.Order 3 live comment string retired=2025-11-21 was=note:int32 accepted=\"note never shipped\"\n"),
        "{lock}"
    );
    protoforge(dir).arg("check").assert().code(0);
}

#[test]
fn reservation_removed_then_reused_is_caught_by_the_ledger() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(dir, "acme/v1/order.proto", V1);
    protoforge(dir).arg("lock").assert().code(0);
    write(
        dir,
        "acme/v1/order.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  reserved 3;\n  string id = 1;\n}\n",
    );
    protoforge(dir).arg("lint").assert().code(0);
    protoforge(dir).arg("lock").assert().code(0);
    assert!(
        std::fs::read_to_string(dir.join("protoforge.lock"))
            .unwrap()
            .contains("field acme.v1.Order 3 reserved note int32")
    );
    // The reservation is dropped and the number reused in one step: a one-version diff sees only
    // a removed reservation; the ledger still knows what 3 was.
    write(dir, "acme/v1/order.proto", V3);
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FIELD_NUMBER_REUSED"));
}

#[test]
fn lock_from_git_rebuilds_history() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    git(dir, &["init", "-q", "-b", "main"]);
    write(dir, "acme/v1/order.proto", V1);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "v1"]);
    write(dir, "acme/v1/order.proto", V2);
    git(dir, &["commit", "-q", "-am", "v2: drop note"]);
    protoforge(dir)
        .args(["lock", "--from-git"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Replayed 2 commits."));
    let lock = std::fs::read_to_string(dir.join("protoforge.lock")).unwrap();
    assert!(
        lock.contains("field acme.v1.Order 3 retired note int32 retired=2025-01-01@"),
        "{lock}"
    );
    // History alone catches the reuse: no lock was ever written by hand.
    write(dir, "acme/v1/order.proto", V3);
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FIELD_NUMBER_REUSED"));
}

#[test]
fn a_lock_edited_into_nonsense_is_a_located_error() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(dir, "acme/v1/order.proto", V1);
    write(
        dir,
        "protoforge.lock",
        "# header\nfield acme.v1.Order three live note int32\n",
    );
    protoforge(dir)
        .arg("lint")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 2: `three` is not a number"));
}

#[test]
fn breaking_needs_a_baseline_and_honours_inline_ignores() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    write(dir, "new/acme/v1/order.proto", V2);
    write(dir, "new/protoforge.toml", WIRE_JSON_CONFIG);
    protoforge(&dir.join("new"))
        .arg("breaking")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a baseline"));
    write(dir, "old/acme/v1/order.proto", V1);
    write(
        dir,
        "new/acme/v1/order.proto",
        "syntax = \"proto3\";\npackage acme.v1;\n// protoforge:ignore FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED note never shipped\n// protoforge:ignore FIELD_NO_DELETE_UNLESS_NAME_RESERVED note never shipped\nmessage Order {\n  string id = 1;\n}\n",
    );
    protoforge(&dir.join("new"))
        .args(["breaking", "--against", "../old"])
        .assert()
        .code(0);
    protoforge(&dir.join("new"))
        .args(["breaking", "--against", "../old", "--no-inline-ignores"])
        .assert()
        .code(1);
}

/// A buf.yaml from before v1, as a buf user has it: v1beta1 `build.roots` in the baseline (its
/// own layout), deprecated rule IDs (`FIELD_SAME_LABEL`), and `ignore` applying to a deleted file.
#[test]
fn old_buf_yaml_versions_and_a_baseline_with_its_own_roots() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    const PROTO: &str =
        "syntax = \"proto2\";\npackage a;\nmessage M {\n  optional string x = 1;\n}\n";
    // The previous version kept its protos under root/; the current one at the top.
    write(
        dir,
        "prev/buf.yaml",
        "version: v1beta1\nbuild:\n  roots:\n    - root\n",
    );
    write(dir, "prev/root/a/kept.proto", PROTO);
    write(
        dir,
        "prev/root/a/gone.proto",
        "syntax = \"proto2\";\npackage a;\n",
    );
    write(
        dir,
        "prev/root/vendor/old.proto",
        "syntax = \"proto2\";\npackage v;\n",
    );
    write(
        dir,
        "cur/buf.yaml",
        "version: v1\nbreaking:\n  use:\n    - FILE_NO_DELETE\n    - FIELD_SAME_LABEL\n    - MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT\n  ignore:\n    - vendor\n",
    );
    write(
        dir,
        "cur/a/kept.proto",
        &PROTO.replace("optional string x", "repeated string x"),
    );
    let out = protoforge(&dir.join("cur"))
        .args(["breaking", ".", "--against", "../prev", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let mut found: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    // kept.proto is matched through root/ (not reported deleted), vendor/ is ignored, and
    // FIELD_SAME_LABEL stands for buf's three cardinality rules.
    assert_eq!(
        found,
        [
            (
                "FIELD_SAME_CARDINALITY".to_owned(),
                "a/kept.proto".to_owned()
            ),
            (
                "FIELD_WIRE_COMPATIBLE_CARDINALITY".to_owned(),
                "a/kept.proto".to_owned()
            ),
            (
                "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY".to_owned(),
                "a/kept.proto".to_owned()
            ),
            ("FILE_NO_DELETE".to_owned(), "a/gone.proto".to_owned()),
        ],
        "{doc}"
    );
}

/// protoforge.lock is checked whenever it exists, whatever the configuration's `use` list says
/// (no buf.yaml names the ledger's rules): protoforge.toml with `use`, and buf.yaml's versions.
#[test]
fn the_ledger_is_on_whatever_use_says() {
    for (file, config) in [
        ("protoforge.toml", "[lint]\nuse = [\"STANDARD\"]\n"),
        ("buf.yaml", "version: v2\nlint:\n  use: [MINIMAL]\n"),
        ("buf.yaml", "version: v1\n"),
        (
            "buf.yaml",
            "version: v1beta1\nlint:\n  use: [STYLE_BASIC]\n",
        ),
    ] {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        write(dir, file, config);
        write(dir, "acme/v1/order.proto", V1);
        protoforge(dir).args(["lock", "-q"]).assert().code(0);
        write(dir, "acme/v1/order.proto", V2);
        let out = protoforge(dir)
            .args(["check", ".", "--no-breaking", "--format", "json"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        assert!(
            rules_of(&out).contains(&"FIELD_NUMBER_NOT_RESERVED".to_owned()),
            "{file}: {config}"
        );
    }
}

/// `ignore_unstable_packages` (buf's option, in protoforge.toml and buf.yaml): nothing in an
/// alpha, beta or test package is reported, deleted files included; stable packages still are.
#[test]
fn ignore_unstable_packages() {
    for (file, config) in [
        (
            "protoforge.toml",
            "[breaking]\nuse = [\"FILE\"]\nignore_unstable_packages = true\n",
        ),
        (
            "buf.yaml",
            "version: v2\nbreaking:\n  use: [FILE]\n  ignore_unstable_packages: true\n",
        ),
    ] {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        for side in ["prev", "cur"] {
            write(&dir.join(side), file, config);
        }
        let with_enum = |package: &str| {
            format!(
                "syntax = \"proto3\";\npackage {package};\nenum E {{\n  E_UNSPECIFIED = 0;\n}}\n"
            )
        };
        let without = |package: &str| format!("syntax = \"proto3\";\npackage {package};\n");
        write(dir, "prev/a/v1/a.proto", &with_enum("a.v1"));
        write(dir, "prev/a/v1beta1/a.proto", &with_enum("a.v1beta1"));
        write(dir, "prev/a/v1alpha1/gone.proto", &without("a.v1alpha1"));
        write(dir, "cur/a/v1/a.proto", &without("a.v1"));
        write(dir, "cur/a/v1beta1/a.proto", &without("a.v1beta1"));
        let out = protoforge(&dir.join("cur"))
            .args(["breaking", ".", "--against", "../prev", "--format", "json"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let files: Vec<&str> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap())
            .collect();
        assert!(!files.is_empty(), "{file}: {doc}");
        assert!(files.iter().all(|f| *f == "a/v1/a.proto"), "{file}: {doc}");
    }
}

/// A descriptor-set baseline links as its source compiled: proto2 fields whose default JSON
/// names collide (protoc writes a `json_name` for each, so all collide), and an import of
/// buf/validate/validate.proto that the set does not hold (the embedded copy stands in, with
/// the imports it has itself).
#[test]
fn descriptor_set_baselines_with_colliding_json_names_and_embedded_imports() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let legacy = |note_type: &str| {
        format!(
            "syntax = \"proto2\";\npackage acme.v1;\nimport \"buf/validate/validate.proto\";\nmessage Legacy {{\n  optional string foo_bar = 1 [(buf.validate.field).string.min_len = 1];\n  optional {note_type} fooBar = 2;\n}}\n"
        )
    };
    write(dir, "old/acme/v1/legacy.proto", &legacy("string"));
    write(dir, "new/acme/v1/legacy.proto", &legacy("int32"));
    write(dir, "new/protoforge.toml", WIRE_JSON_CONFIG);
    protoforge(&dir.join("old"))
        .args(["build", "acme/v1/legacy.proto", "-o", "../old.binpb"])
        .assert()
        .success();
    let out = protoforge(&dir.join("new"))
        .args(["breaking", "--against", "../old.binpb", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_eq!(
        rules_of(&out.stdout),
        vec!["FIELD_WIRE_JSON_COMPATIBLE_TYPE"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !doc.to_string().contains("did not compile"),
        "the baseline file linked: {doc}"
    );
}
