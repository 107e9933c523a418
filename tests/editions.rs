//! Editions files (`edition = "2023";`, `"2024"`): lowered as protoc lowers them, every
//! editions error located, and linked so that every command checks them.

mod common;

use std::path::Path;

use common::{protoforge_cmd, write};
use prost_types::field_descriptor_proto::{Label, Type};
use protoforge::source::syntax::{self, features::Edition};

/// `protoforge lint --format json .` in `dir`: (exit code, [(rule, line, message, help)]).
fn lint(dir: &Path) -> (i32, Vec<(String, u64, String, String)>) {
    let out = protoforge_cmd()
        .current_dir(dir)
        .args(["lint", "--format", "json", "."])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let findings = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
                f["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (out.status.code().unwrap(), findings)
}

/// The COMPILE findings of one file: (line, message).
fn compile_errors(text: &str) -> Vec<(u64, String)> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/e.proto", text);
    lint(dir.path())
        .1
        .into_iter()
        .filter(|f| f.0 == "COMPILE")
        .map(|f| (f.1, f.2))
        .collect()
}

fn assert_errors(text: &str, expected: &[(u64, &str)]) {
    let errors = compile_errors(text);
    let found: Vec<(u64, &str)> = errors.iter().map(|(l, m)| (*l, m.as_str())).collect();
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((line, message), (want_line, want)) in found.iter().zip(expected) {
        assert_eq!(line, want_line, "{found:#?}");
        assert!(message.contains(want), "`{message}` lacks `{want}`");
    }
}

const GOOD: &str = r#"edition = "2023";
package acme.v1;
option features.field_presence = IMPLICIT;
// An order.
message Order {
  int32 quantity = 1;
  int32 discount = 2 [features.field_presence = EXPLICIT, default = 5];
  Order parent = 3 [features.message_encoding = DELIMITED];
  int32 legacy = 4 [features.field_presence = LEGACY_REQUIRED];
  repeated int32 packed = 5;
  repeated int32 expanded = 6 [features.repeated_field_encoding = EXPANDED];
  string note = 7 [features.utf8_validation = NONE];
  map<string, string> labels = 9 [features.utf8_validation = NONE];
  reserved old_name, other_name;
  oneof choice {
    int32 a = 8;
  }
}
enum Status {
  option features.enum_type = CLOSED;
  STATUS_ACTIVE = 1;
}
"#;

/// The shape protoc (libprotoc 35, grpcio-tools 1.85) gives the same file: labels `optional`
/// but for `repeated`, delimited fields still `TYPE_MESSAGE`, required presence still a
/// feature, reserved identifiers as names, `syntax = "editions"`.
#[test]
fn an_editions_file_lowers_as_protoc_lowers_it() {
    let lowered = syntax::parse_file("e.proto", GOOD).unwrap();
    assert_eq!(lowered.edition, Edition::E2023);
    let proto = lowered.proto;
    assert_eq!(proto.syntax(), "editions");
    let m = &proto.message_type[0];
    let field = |name: &str| m.field.iter().find(|f| f.name() == name).unwrap();
    assert_eq!(field("quantity").label(), Label::Optional);
    assert!(field("quantity").proto3_optional.is_none());
    assert_eq!(
        field("parent").r#type,
        None,
        "a named type: linking resolves it"
    );
    assert_eq!(field("parent").type_name(), "Order");
    assert_eq!(field("legacy").label(), Label::Optional);
    assert_eq!(field("packed").label(), Label::Repeated);
    assert_eq!(field("discount").default_value(), "5");
    assert_eq!(field("a").oneof_index, Some(0));
    assert_eq!(m.oneof_decl.len(), 1, "no synthetic oneofs in editions");
    assert_eq!(m.reserved_name, ["old_name", "other_name"]);
    let uninterpreted = &field("legacy")
        .options
        .as_ref()
        .unwrap()
        .uninterpreted_option;
    assert_eq!(uninterpreted[0].identifier_value(), "LEGACY_REQUIRED");
}

/// Linked in its proto2 form: presence, packing and delimited encoding as the features say.
#[test]
fn an_editions_file_links_in_its_proto2_form() {
    let mut proto = syntax::parse_file("e.proto", GOOD).unwrap().proto;
    let linkable = protoforge::source::editions::to_linkable(&mut proto, Edition::E2023);
    assert_eq!(linkable.problems, []);
    assert_eq!(proto.syntax, None);
    let m = &proto.message_type[0];
    let field = |name: &str| m.field.iter().find(|f| f.name() == name).unwrap();
    assert_eq!(field("legacy").label(), Label::Required);
    assert_eq!(field("parent").r#type(), Type::Group);
    let packed = |name: &str| field(name).options.as_ref().and_then(|o| o.packed);
    assert_eq!(packed("packed"), Some(true));
    assert_eq!(packed("expanded"), None);
    // The file's resolved features are written down: what it sets, then the defaults.
    let file_features: Vec<(String, String)> = proto
        .options
        .as_ref()
        .unwrap()
        .uninterpreted_option
        .iter()
        .map(|o| (o.name[1].name_part.clone(), o.identifier_value().to_owned()))
        .collect();
    assert_eq!(
        file_features,
        [
            ("field_presence", "IMPLICIT"),
            ("enum_type", "OPEN"),
            ("repeated_field_encoding", "PACKED"),
            ("utf8_validation", "VERIFY"),
            ("message_encoding", "LENGTH_PREFIXED"),
            ("json_format", "ALLOW"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[test]
fn editions_files_are_linted_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/e.proto", GOOD);
    let (code, findings) = lint(dir.path());
    let rules: Vec<&str> = findings.iter().map(|f| f.0.as_str()).collect();
    assert!(!rules.contains(&"COMPILE"), "{findings:#?}");
    // Lint rules see the file: a closed enum without a zero value is still found.
    assert!(rules.contains(&"ENUM_FIRST_VALUE_ZERO"), "{findings:#?}");
    // ... and a required field, with editions' own way out.
    let required = findings
        .iter()
        .find(|f| f.0 == "FIELD_NOT_REQUIRED")
        .unwrap();
    assert!(
        required.3.contains("features.field_presence"),
        "{required:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn editions_grammar_errors_are_located() {
    assert_errors(
        "edition = \"2023\";\npackage acme.v1;\nmessage M {\n  optional int32 a = 1;\n  required int32 b = 2;\n  group G = 3 {}\n  reserved \"old\";\n  repeated int32 r = 4 [packed = true];\n}\n",
        &[
            (4, "`optional` is not a label in editions"),
            (5, "`required` is not a label in editions"),
            (6, "groups are not allowed in editions"),
            (7, "reserved names are identifiers in editions: write old"),
            (8, "`packed` is not an option in editions"),
        ],
    );
    assert_errors(
        "edition = \"2022\";\npackage acme.v1;\n",
        &[(1, "unknown edition \"2022\"")],
    );
    assert_errors(
        "syntax = \"proto3\";\npackage acme.v1;\nmessage M {\n  reserved old;\n}\n",
        &[(4, "reserved names are strings before editions")],
    );
}

#[test]
fn feature_errors_are_located() {
    assert_errors(
        "edition = \"2023\";\npackage acme.v1;\noption features.field_presense = EXPLICIT;\noption features.enum_type = SHUT;\noption features.enforce_naming_style = STYLE2024;\nmessage M {\n  option features.field_presence = IMPLICIT;\n}\n",
        &[
            (3, "unknown feature `field_presense`"),
            (
                4,
                "`SHUT` is not a value of feature `enum_type`: expected `OPEN` or `CLOSED`",
            ),
            (5, "feature `enforce_naming_style` needs edition 2024"),
            (
                7,
                "feature `field_presence` cannot be set on a message, only on a field or a file",
            ),
        ],
    );
    assert_errors(
        "syntax = \"proto3\";\npackage acme.v1;\noption features.field_presence = EXPLICIT;\n",
        &[(3, "features are options of editions files")],
    );
}

#[test]
fn feature_misuse_is_located() {
    assert_errors(
        "edition = \"2023\";\npackage acme.v1;\nmessage M {\n  int32 a = 1 [features.field_presence = IMPLICIT, default = 1];\n  repeated int32 b = 2 [features.field_presence = EXPLICIT];\n  int32 c = 3 [features.utf8_validation = NONE];\n  string d = 4 [features.repeated_field_encoding = PACKED];\n  int32 e = 5 [features.message_encoding = DELIMITED];\n  M f = 6 [features.field_presence = IMPLICIT];\n}\nenum E {\n  E_ONE = 1;\n}\n",
        &[
            (4, "cannot have a default value"),
            (5, "repeated fields cannot set `features.field_presence`"),
            (6, "only string fields can set `features.utf8_validation`"),
            (7, "only repeated fields of numbers, bools and enums"),
            (8, "only message fields can set `features.message_encoding`"),
            (12, "the first value of open enum `E` must be zero"),
        ],
    );
    assert_errors(
        "edition = \"2023\";\npackage acme.v1;\noption features.field_presence = LEGACY_REQUIRED;\n",
        &[(3, "`LEGACY_REQUIRED` cannot be a file's default presence")],
    );
}

/// Edition 2024: `export`/`local`, `import option` and its own features.
#[test]
fn edition_2024_has_its_own_grammar_and_features() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "acme/v1/e.proto",
        "edition = \"2024\";\npackage acme.v1;\noption features.enforce_naming_style = STYLE_LEGACY;\nexport message Order {\n  local enum Kind {\n    KIND_UNSPECIFIED = 0;\n  }\n  Kind kind = 1;\n}\n",
    );
    let (_, findings) = lint(dir.path());
    assert!(!findings.iter().any(|f| f.0 == "COMPILE"), "{findings:#?}");
    assert_errors(
        "edition = \"2023\";\npackage acme.v1;\nexport message Order {}\n",
        &[(3, "`export` and `local` need edition 2024")],
    );
}
