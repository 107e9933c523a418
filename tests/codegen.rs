//! Code generation: snapshots of what testdata/codegen/<case>/ generates, and the build.rs API's
//! gate, outputs and errors.

mod common;

use std::path::{Path, PathBuf};

use common::{protoforge_cmd, write};

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/codegen")
        .join(case)
}

fn generate(dir: &Path) -> protoforge::builder::Output {
    protoforge::configure()
        .base_dir(dir)
        .includes(["."])
        .lint(false)
        .emit_rerun_if_changed(false)
        .generate(["."])
        .unwrap()
}

#[test]
fn generated_code_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/codegen");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 2, "testdata/codegen has no cases");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let output = generate(&case);
        assert!(
            !output.generated.files.is_empty(),
            "{name}: nothing generated"
        );
        for (file, code) in &output.generated.files {
            insta::assert_snapshot!(format!("{name}__{file}"), code);
        }
    }
}

#[test]
fn config_policy_overrides_the_proto() {
    let output = generate(&case_dir("config_policy"));
    let (_, code) = &output.generated.files[0];
    let spec = |method: &str| {
        let start = code.find(&format!("pub const {method}:")).unwrap();
        code[start..start + code[start..].find("};").unwrap()].to_owned()
    };
    let get = spec("GET_ORDER");
    assert!(
        get.contains("public: true") && get.contains("Duration::new(3u64, 0u32)"),
        "{get}"
    );
    let cancel = spec("CANCEL_ORDER");
    assert!(cancel.contains("public: false"), "{cancel}");
    assert!(cancel.contains(r#"scopes: &["orders.write"]"#), "{cancel}");
    assert!(
        cancel.contains("Duration::new(0u64, 500000000u32)"),
        "{cancel}"
    );
    assert!(
        code.contains("Duration::new(10u64, 0u32)"),
        "client default timeout"
    );
}

fn project(proto: &str, config: &str) -> tempfile::TempDir {
    // An unversioned package lives in proto/acme/, so that only its version suffix is wrong.
    let path = if proto.contains("package acme;") {
        "proto/acme/a.proto"
    } else {
        "proto/acme/v1/a.proto"
    };
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), path, proto);
    write(dir.path(), "protoforge.toml", config);
    dir
}

const CLEAN: &str = r#"syntax = "proto3";
package acme.v1;
import "google/protobuf/timestamp.proto";
message PingRequest { google.protobuf.Timestamp at = 1; }
message PingResponse {}
service PingService {
  rpc Ping(PingRequest) returns (PingResponse);
}
"#;

#[test]
fn the_lint_gate_fails_the_build_and_can_be_turned_off() {
    let unversioned = CLEAN.replace("package acme.v1;", "package acme;");
    let dir = project(&unversioned, "[proto]\nroots = [\"proto\"]\n");
    let build = || {
        protoforge::configure()
            .base_dir(dir.path())
            .emit_rerun_if_changed(false)
    };
    let err = build().generate(["proto"]).unwrap_err();
    assert!(err.is_findings());
    let text = format!("{err:?}");
    assert!(text.contains("1 error(s) in the proto files"), "{text}");
    assert!(text.contains(".lint(false)"), "{text}");
    assert!(build().lint(false).generate(["proto"]).is_ok());

    // Compile errors fail even without lint.
    let broken = CLEAN.replace("PingResponse {}", "PingResponse { Missing m = 1; }");
    let dir = project(&broken, "[proto]\nroots = [\"proto\"]\n");
    let err = protoforge::configure()
        .base_dir(dir.path())
        .lint(false)
        .generate(["proto"])
        .unwrap_err();
    assert!(format!("{err:?}").contains("compile errors"), "{err:?}");
}

#[test]
fn warnings_pass_and_inputs_are_every_file_read() {
    let unversioned = CLEAN.replace("package acme.v1;", "package acme;");
    let config =
        "[proto]\nroots = [\"proto\"]\n[lint.severity]\nPACKAGE_VERSION_SUFFIX = \"warning\"\n";
    let dir = project(&unversioned, config);
    // Not imported: not read, not an input.
    write(
        dir.path(),
        "proto/acme/b.proto",
        "syntax = \"proto3\";\npackage acme;\nmessage B {}\n",
    );
    let output = protoforge::configure()
        .base_dir(dir.path())
        .generate(["proto/acme/a.proto"])
        .unwrap();
    let rules: Vec<&str> = output.warnings.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["PACKAGE_VERSION_SUFFIX"]);
    let inputs: Vec<String> = output
        .inputs
        .iter()
        .map(|p| {
            p.strip_prefix(dir.path().canonicalize().unwrap())
                .unwrap_or(p)
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        inputs,
        ["proto/acme/a.proto", "protoforge.toml"],
        "{inputs:?}"
    );
}

#[test]
fn compile_protos_writes_out_dir_and_leaves_unchanged_files_alone() {
    let dir = project(CLEAN, "[proto]\nroots = [\"proto\"]\n");
    let out = dir.path().join("out");
    let build = || {
        protoforge::configure()
            .base_dir(dir.path())
            .out_dir(&out)
            .emit_rerun_if_changed(false)
            .compile_protos(["proto"])
            .unwrap()
    };
    build();
    let code = out.join("acme.v1.rs");
    let text = std::fs::read_to_string(&code).unwrap();
    assert!(text.contains("pub mod ping_service_forge"));
    assert!(text.contains("pub mod ping_service_server"));
    assert!(out.join("acme.v1.protoforge.bin").is_file());
    let before = std::fs::metadata(&code).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    build();
    assert_eq!(
        std::fs::metadata(&code).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn generate_command_writes_the_same_code() {
    let dir = project(CLEAN, "[proto]\nroots = [\"proto\"]\n");
    protoforge_cmd()
        .current_dir(dir.path())
        .args(["generate", "--out", "gen", "proto"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("gen/acme.v1.rs")).unwrap();
    assert!(text.contains(r#"include_bytes!("acme.v1.protoforge.bin")"#));

    let unversioned = CLEAN.replace("package acme.v1;", "package acme;");
    let dir = project(&unversioned, "[proto]\nroots = [\"proto\"]\n");
    let out = protoforge_cmd()
        .current_dir(dir.path())
        .args(["generate", "--out", "gen", "proto"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("PACKAGE_VERSION_SUFFIX"), "{stderr}");
    assert!(!dir.path().join("gen").exists());
    protoforge_cmd()
        .current_dir(dir.path())
        .args(["generate", "--no-lint", "--out", "gen", "proto"])
        .assert()
        .success();
}

/// An editions file whose fields need proto3 code (implicit presence) and proto2 code (a
/// default) at once has no form prost can build: a located error naming both fields.
#[test]
fn editions_features_without_a_prost_form_stop_the_build_at_their_place() {
    let dir = project(
        "edition = \"2023\";\npackage acme.v1;\noption features.field_presence = IMPLICIT;\nmessage Mixed {\n  int32 quantity = 1;\n  int32 discount = 2 [features.field_presence = EXPLICIT, default = 3];\n}\n",
        "[proto]\nroots = [\"proto\"]\n",
    );
    let err = protoforge::configure()
        .base_dir(dir.path())
        .lint(false)
        .emit_rerun_if_changed(false)
        .generate(["proto"])
        .unwrap_err();
    let text = format!("{err:?}");
    assert!(text.contains("1 error(s) in the proto files"), "{text}");
    let out = protoforge_cmd()
        .current_dir(dir.path())
        .args([
            "generate",
            "--no-lint",
            "--color",
            "never",
            "--out",
            "out",
            "proto",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // The message as one line (the renderer wraps it).
    let flat = stderr
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("field `acme.v1.Mixed.discount` has a default value")
            && flat.contains("`acme.v1.Mixed.quantity` has implicit presence")
            && flat.contains("a.proto:6:3"),
        "{stderr}"
    );
}
