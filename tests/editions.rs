//! Editions files (`edition = "2023";`, `"2024"`): lowered as protoc lowers them, every
//! editions error located, and linked so that every command checks them.

mod common;

use std::path::Path;

use common::{protoforge_cmd, write};
use prost_types::field_descriptor_proto::{Label, Type};
use protoforge::internals::source::syntax::{self, features::Edition};

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
    let linkable = protoforge::internals::source::editions::to_linkable(&mut proto, Edition::E2023);
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

const DELIMITED_FILE: &str = r#"edition = "2023";
package acme.v1;
option features.message_encoding = DELIMITED;
option java_package = "x";
message Order {
  int32 legacy = 1 [features.field_presence = LEGACY_REQUIRED];
  Order parent = 2;
  Order inline = 3 [features.message_encoding = LENGTH_PREFIXED];
  repeated int32 packed = 4;
  repeated int32 expanded = 5 [features.repeated_field_encoding = EXPANDED];
  map<string, Order> children = 6;
  string note = 7 [features.utf8_validation = NONE];
}
"#;

/// `protoforge build` writes an editions file as protoc does (libprotoc 35.1's facts for this
/// file), and the runtime reads that form back into the proto2 form it links, maps included.
#[test]
fn descriptor_sets_carry_editions_files_as_protoc_writes_them() {
    use prost::Message;
    use prost_reflect::{DescriptorPool, DynamicMessage};
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/d.proto", DELIMITED_FILE);
    let bytes = common::built_set(dir.path(), &["-q", "."]);

    // The editions form.
    let set = prost_types::FileDescriptorSet::decode(bytes.as_slice()).unwrap();
    assert_eq!(
        set.file.len(),
        1,
        "only the named file without --include-imports"
    );
    let file = &set.file[0];
    assert_eq!(file.syntax(), "editions");
    let m = &file.message_type[0];
    let field = |name: &str| m.field.iter().find(|f| f.name() == name).unwrap();
    assert_eq!(field("legacy").label(), Label::Optional);
    assert_eq!(field("parent").r#type(), Type::Message);
    assert_eq!(field("children").r#type(), Type::Message);
    assert_eq!(field("packed").options, None);
    assert_eq!(field("parent").options, None);
    let global = DescriptorPool::global();
    // prost-types has no `edition` field: read the bytes as they are.
    let set_message = global
        .get_message_by_name("google.protobuf.FileDescriptorSet")
        .unwrap();
    let raw = DynamicMessage::decode(set_message, bytes.as_slice()).unwrap();
    let raw = raw.get_field_by_name("file").unwrap().as_list().unwrap()[0]
        .as_message()
        .unwrap()
        .clone();
    assert_eq!(
        raw.get_field_by_name("edition").unwrap().as_enum_number(),
        Some(1000)
    );
    // What the file sets, and nothing the edition implies: FileOptions.features holds only
    // message_encoding (5) = DELIMITED (2).
    let file_features = raw.get_field_by_name("options").unwrap();
    let file_features = file_features
        .as_message()
        .unwrap()
        .get_field_by_name("features")
        .unwrap();
    let set: Vec<(u32, i32)> = file_features
        .as_message()
        .unwrap()
        .fields()
        .map(|(f, v)| (f.number(), v.as_enum_number().unwrap()))
        .collect();
    assert_eq!(set, [(5, 2)]);
    assert_eq!(
        file.options.as_ref().unwrap().java_package(),
        "x",
        "other options kept"
    );
    // features (21) { field_presence (1) = LEGACY_REQUIRED (3) } stays on the field.
    // (prost-types has no `features` either: read the options from the bytes too.)
    let raw_options = |index: usize| {
        let messages = raw.get_field_by_name("message_type").unwrap();
        let fields = messages.as_list().unwrap()[0]
            .as_message()
            .unwrap()
            .get_field_by_name("field")
            .unwrap();
        let field = fields.as_list().unwrap()[index]
            .as_message()
            .unwrap()
            .clone();
        field
            .get_field_by_name("options")
            .unwrap()
            .as_message()
            .unwrap()
            .encode_to_vec()
    };
    assert_eq!(raw_options(0), [0xaa, 0x01, 0x02, 0x08, 0x03]);
    // features (21) { utf8_validation (4) = NONE (3) }, as descriptor.proto numbers it.
    assert_eq!(raw_options(6), [0xaa, 0x01, 0x02, 0x20, 0x03]);

    // Back to the proto2 form, which links.
    let linkable = protoforge::internals::descriptor_set::to_linkable(&bytes).unwrap();
    let pool = DescriptorPool::decode(linkable.as_ref()).unwrap();
    let order = pool.get_message_by_name("acme.v1.Order").unwrap();
    let proto = |name: &str| {
        order
            .get_field_by_name(name)
            .unwrap()
            .field_descriptor_proto()
            .clone()
    };
    assert_eq!(proto("legacy").label(), Label::Required);
    assert_eq!(proto("parent").r#type(), Type::Group);
    assert_eq!(proto("inline").r#type(), Type::Message);
    assert_eq!(
        proto("children").r#type(),
        Type::Message,
        "maps are never delimited"
    );
    let entry = order.get_field_by_name("children").unwrap().kind();
    let value = entry.as_message().unwrap().map_entry_value_field();
    assert_eq!(value.field_descriptor_proto().r#type(), Type::Message);
    assert!(order.get_field_by_name("packed").unwrap().is_packed());
    assert!(!order.get_field_by_name("expanded").unwrap().is_packed());
    // A set without editions files is left as it is.
    let plain = b"\x0a\x0b\x0a\x09p/a.proto";
    assert!(matches!(
        protoforge::internals::descriptor_set::to_linkable(plain).unwrap(),
        std::borrow::Cow::Borrowed(_)
    ));
}

/// The fields of descriptor.proto (as protoc 35 numbers them) that edition 2024 added and
/// prost-types lacks, for reading what `build` writes.
mod newer_descriptor {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Set {
        #[prost(message, repeated, tag = "1")]
        pub file: Vec<File>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct File {
        #[prost(string, optional, tag = "1")]
        pub name: Option<String>,
        #[prost(string, repeated, tag = "3")]
        pub dependency: Vec<String>,
        #[prost(message, repeated, tag = "4")]
        pub message_type: Vec<Message>,
        #[prost(message, repeated, tag = "5")]
        pub enum_type: Vec<Enum>,
        /// FileOptions.features is field 50.
        #[prost(message, optional, tag = "8")]
        pub options: Option<Options<50>>,
        #[prost(message, optional, tag = "9")]
        pub source_code_info: Option<prost_types::SourceCodeInfo>,
        #[prost(string, repeated, tag = "15")]
        pub option_dependency: Vec<String>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Message {
        #[prost(message, repeated, tag = "3")]
        pub nested_type: Vec<Message>,
        /// MessageOptions.features is field 12.
        #[prost(message, optional, tag = "7")]
        pub options: Option<Options<12>>,
        #[prost(int32, optional, tag = "11")]
        pub visibility: Option<i32>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Enum {
        #[prost(int32, optional, tag = "6")]
        pub visibility: Option<i32>,
    }
    /// An options message's `features`, as bytes.
    #[derive(Clone, PartialEq)]
    pub struct Options<const FEATURES: u32> {
        pub features: Option<Vec<u8>>,
    }
    impl<const FEATURES: u32> Default for Options<FEATURES> {
        fn default() -> Self {
            Options { features: None }
        }
    }
    impl<const FEATURES: u32> std::fmt::Debug for Options<FEATURES> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "features {:?}", self.features)
        }
    }
    impl<const FEATURES: u32> prost::Message for Options<FEATURES> {
        fn encode_raw(&self, buf: &mut impl prost::bytes::BufMut) {
            if let Some(f) = &self.features {
                prost::encoding::bytes::encode(FEATURES, f, buf);
            }
        }
        fn merge_field(
            &mut self,
            tag: u32,
            wire_type: prost::encoding::WireType,
            buf: &mut impl prost::bytes::Buf,
            ctx: prost::encoding::DecodeContext,
        ) -> Result<(), prost::DecodeError> {
            if tag == FEATURES {
                let f = self.features.get_or_insert_with(Vec::new);
                prost::encoding::bytes::merge(wire_type, f, buf, ctx)
            } else {
                prost::encoding::skip_field(wire_type, tag, buf, ctx)
            }
        }
        fn encoded_len(&self) -> usize {
            self.features
                .as_ref()
                .map_or(0, |f| prost::encoding::bytes::encoded_len(FEATURES, f))
        }
        fn clear(&mut self) {
            self.features = None;
        }
    }
}

/// Edition 2024 as protoc 35.1 writes it (checked with build-support/oracle): `import option`s
/// in `option_dependency`, `export`/`local` as `visibility`, and the source-retention features
/// (`enforce_naming_style`, `default_symbol_visibility`) left out, their options' `features`
/// kept empty. The message's location starts at `message`, after `export`.
#[test]
fn edition_2024_descriptors_are_written_as_protoc_writes_them() {
    use prost::Message;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/codegen/editions");
    let dir = tempfile::tempdir().unwrap();
    for name in ["editions/v1/audit.proto", "editions/v1/ledger.proto"] {
        write(
            dir.path(),
            name,
            &std::fs::read_to_string(fixture.join(name)).unwrap(),
        );
    }
    let bytes = common::built_set(
        dir.path(),
        &["editions/v1/audit.proto", "--include-source-info"],
    );
    let set = newer_descriptor::Set::decode(bytes.as_slice()).unwrap();
    let [file] = set.file.as_slice() else {
        panic!("one file");
    };
    assert_eq!(file.dependency, ["editions/v1/ledger.proto"]);
    assert_eq!(file.option_dependency, ["google/protobuf/descriptor.proto"]);
    // SymbolVisibility: LOCAL = 1, EXPORT = 2; nested messages are local without a keyword
    // under EXPORT_TOP_LEVEL, but only what is written is in the descriptor.
    let entry = &file.message_type[0];
    assert_eq!(entry.visibility, Some(2));
    assert_eq!(entry.nested_type[0].visibility, Some(1));
    assert_eq!(file.enum_type[0].visibility, Some(1));
    let empty = Some(Vec::new());
    assert_eq!(file.options.as_ref().unwrap().features, empty);
    assert_eq!(entry.options.as_ref().unwrap().features, empty);

    let info = file.source_code_info.as_ref().unwrap();
    let span = |path: &[i32]| {
        info.location
            .iter()
            .find(|l| l.path == path)
            .map(|l| l.span.clone())
    };
    // `import option "google/protobuf/descriptor.proto";` on line 8 (0-based 7).
    assert_eq!(span(&[15, 0]), Some(vec![7, 0, 49]));
    assert_eq!(span(&[3, 1]), None);
    // `export message AuditEntry {` on line 13: from `message`, column 7.
    assert_eq!(span(&[4, 0]).map(|s| s[..2].to_vec()), Some(vec![12, 7]));

    // And the runtime links that form (the gateway's pool).
    let all = common::built_set(
        dir.path(),
        &["editions/v1/audit.proto", "--include-imports"],
    );
    let linkable = protoforge::internals::descriptor_set::to_linkable(&all).unwrap();
    let pool = prost_reflect::DescriptorPool::decode(&*linkable).unwrap();
    let detail = pool.get_message_by_name("editions.v1.AuditEntry.Detail");
    assert!(detail.is_some_and(|d| d.get_field_by_name("note").is_some()));
}

/// protoc's rule for 2024: plain imports first, so the file round-trips.
#[test]
fn plain_imports_come_before_option_imports() {
    let errors = compile_errors(
        "edition = \"2024\";\npackage acme.v1;\nimport option \"google/protobuf/descriptor.proto\";\n\
         import \"google/protobuf/empty.proto\";\nmessage M {}\n",
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 4);
    assert!(
        errors[0].1.contains("before every `import option`"),
        "{errors:?}"
    );
}

/// protoc: "Implicit presence enum fields must always be open."
#[test]
fn an_implicit_presence_field_of_a_closed_enum_is_an_error() {
    let errors = compile_errors(
        "edition = \"2023\";\npackage acme.v1;\noption features.field_presence = IMPLICIT;\n\
         enum Closed {\n  option features.enum_type = CLOSED;\n  CLOSED_ZERO = 0;\n}\n\
         enum Open {\n  OPEN_ZERO = 0;\n}\n\
         message M {\n  Closed implicit = 1;\n  Closed explicit = 2 [features.field_presence = EXPLICIT];\n  \
         repeated Closed many = 3;\n  Open open = 4;\n}\n",
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 12);
    assert!(
        errors[0].1.contains("enum `acme.v1.Closed` is closed"),
        "{errors:?}"
    );
}

/// C++, Java and Go features resolve with no file on disk (protoforge embeds the three
/// `google/protobuf/*_features.proto`), at every scope they target; a name they lack is still
/// a located error.
#[test]
fn language_features_resolve_from_the_embedded_files() {
    let text = "edition = \"2023\";\npackage acme.v1;\n\
        import \"google/protobuf/cpp_features.proto\";\n\
        import \"google/protobuf/java_features.proto\";\n\
        import \"google/protobuf/go_features.proto\";\n\
        option features.(pb.cpp).string_type = VIEW;\n\
        option features.(pb.go).api_level = API_OPEN;\n\
        message M {\n  option features.(pb.go).api_level = API_HYBRID;\n  \
        string s = 1 [features.(pb.cpp).string_type = CORD, features.(pb.java).utf8_validation = VERIFY];\n  \
        enum E {\n    option features.(pb.go).legacy_unmarshal_json_enum = true;\n    E_ZERO = 0;\n  }\n  \
        E e = 2 [features.(pb.java).legacy_closed_enum = true];\n}\n";
    assert_eq!(compile_errors(text), []);
    let wrong = text.replace("string_type = CORD", "string_kind = CORD");
    let errors = compile_errors(&wrong);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 10);
}

/// A feature definition file as protoc's own are written (`feature_support`, editions after
/// 2023 in `edition_defaults`) links: protoforge's descriptor.proto has what protoc's has there.
#[test]
fn feature_definitions_with_feature_support_link() {
    let text = "syntax = \"proto2\";\npackage acme.v1;\nimport \"google/protobuf/descriptor.proto\";\n\
        extend google.protobuf.FeatureSet {\n  optional Mine mine = 9995;\n}\n\
        message Mine {\n  optional bool fast = 1 [\n    retention = RETENTION_RUNTIME,\n    \
        targets = TARGET_TYPE_FIELD,\n    feature_support = {\n      edition_introduced: EDITION_2023,\n      \
        edition_deprecated: EDITION_2024,\n      deprecation_warning: \"slow is fine\"\n    },\n    \
        edition_defaults = { edition: EDITION_LEGACY, value: \"false\" },\n    \
        edition_defaults = { edition: EDITION_2024, value: \"true\" }\n  ];\n  \
        enum Level {\n    LEVEL_UNKNOWN = 0;\n    LEVEL_NEW = 1 [feature_support = { edition_introduced: EDITION_2024 }];\n  }\n}\n";
    assert_eq!(compile_errors(text), []);
}

/// Edition 2024 enforces its naming style by default (protoc's verdicts); STYLE_LEGACY opts out
/// at any scope, STYLE2024 opts back in.
#[test]
fn edition_2024_rejects_names_outside_its_style() {
    let errors = compile_errors(
        "edition = \"2024\";\npackage acme.v1;\n\
         message order_item {\n  int32 itemCount = 1;\n  oneof Choice {\n    int32 x = 2;\n  }\n}\n\
         enum Kind {\n  KIND_UNSPECIFIED = 0;\n  Kind_One = 1;\n}\n\
         service order_service {\n  rpc get_item(order_item) returns (order_item);\n}\n\
         message Legacy {\n  option features.enforce_naming_style = STYLE_LEGACY;\n  int32 OldName = 1;\n  \
         int32 NewName = 2 [features.enforce_naming_style = STYLE2024];\n}\n",
    );
    let lines: Vec<u64> = errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, [3, 4, 5, 11, 13, 14, 19], "{errors:?}");
    assert!(
        errors[0].1.contains("`order_item` should be TitleCase"),
        "{errors:?}"
    );
    assert!(
        errors[6].1.contains("`NewName` should be lower_snake_case"),
        "{errors:?}"
    );
    // Edition 2023 has no naming style.
    let errors = compile_errors("edition = \"2023\";\npackage acme.v1;\nmessage order_item {}\n");
    assert_eq!(errors, []);
}

/// Edition 2024's visibility: nested types are local unless exported (EXPORT_TOP_LEVEL, the
/// default), `local` top-level ones too; no other file may use them, in any syntax. Positions
/// are protoc's.
#[test]
fn edition_2024_local_types_stay_in_their_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "acme/v1/def.proto",
        "edition = \"2024\";\npackage acme.v1;\n\
         message Outer {\n  message Nested {}\n  export message Shared {}\n  Nested own = 1;\n}\n\
         local message Hidden {}\n",
    );
    write(
        dir.path(),
        "acme/v1/use.proto",
        "edition = \"2024\";\npackage acme.v1;\nimport \"acme/v1/def.proto\";\n\
         message User {\n  Outer.Nested nested = 1;\n  Outer.Shared shared = 2;\n  Hidden hidden = 3;\n}\n",
    );
    write(
        dir.path(),
        "acme/v1/old.proto",
        "edition = \"2023\";\npackage acme.v1;\nimport \"acme/v1/def.proto\";\n\
         message Old {\n  Outer.Nested nested = 1;\n}\n",
    );
    let (_, findings) = lint(dir.path());
    let compile: Vec<(u64, &str)> = findings
        .iter()
        .filter(|f| f.0 == "COMPILE")
        .map(|f| (f.1, f.2.as_str()))
        .collect();
    assert_eq!(compile.len(), 3, "{compile:?}");
    assert!(compile.contains(&(5, "`acme.v1.Outer.Nested` is local to `acme/v1/def.proto`, so `acme/v1/use.proto` cannot use it")), "{compile:?}");
    assert!(
        compile
            .iter()
            .any(|(line, m)| *line == 7 && m.starts_with("`acme.v1.Hidden`")),
        "{compile:?}"
    );
    assert!(
        compile
            .iter()
            .any(|(line, m)| *line == 5 && m.contains("acme/v1/old.proto")),
        "{compile:?}"
    );
}
