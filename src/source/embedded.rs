//! Files that resolve with nothing on disk: protoforge's own options, the google/api HTTP
//! annotations, protovalidate's `buf/validate/validate.proto`, the language features of editions
//! (`google/protobuf/{cpp,java,go}_features.proto`) and the well-known types
//! (`google/protobuf/*.proto`, from prost-reflect's pool).

use prost_types::FileDescriptorProto;

const EMBEDDED: &[(&str, &str)] = &[
    (
        "buf/validate/validate.proto",
        include_str!("proto/buf/validate/validate.proto"),
    ),
    (
        "google/api/annotations.proto",
        include_str!("proto/google/api/annotations.proto"),
    ),
    (
        "google/api/http.proto",
        include_str!("proto/google/api/http.proto"),
    ),
    (
        "google/protobuf/cpp_features.proto",
        include_str!("proto/google/protobuf/cpp_features.proto"),
    ),
    (
        "google/protobuf/go_features.proto",
        include_str!("proto/google/protobuf/go_features.proto"),
    ),
    (
        "google/protobuf/java_features.proto",
        include_str!("proto/google/protobuf/java_features.proto"),
    ),
    (
        "protoforge/v1/options.proto",
        include_str!("proto/protoforge/v1/options.proto"),
    ),
];

/// The source of an embedded file.
pub fn source(name: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Names of the embedded source files.
pub fn names() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(name, _)| *name)
}

/// A well-known type file (`google/protobuf/timestamp.proto`, ...) as a descriptor.
pub fn well_known(name: &str) -> Option<FileDescriptorProto> {
    if !name.starts_with("google/protobuf/") {
        return None;
    }
    let mut file = prost_reflect::DescriptorPool::global()
        .get_file_by_name(name)
        .map(|file| file.file_descriptor_proto().clone())?;
    if name == "google/protobuf/descriptor.proto" {
        newer_descriptor_proto(&mut file);
    }
    Some(file)
}

/// prost-reflect's descriptor.proto predates what feature definition files use (protoc's own
/// `cpp_features.proto` and the copies vendored in users' trees): the editions after 2023,
/// `feature_support`, and Go's extension number of FeatureSet. Added here as protoc's
/// descriptor.proto numbers them, so that such files link.
fn newer_descriptor_proto(file: &mut FileDescriptorProto) {
    use prost_types::descriptor_proto::ExtensionRange;
    use prost_types::field_descriptor_proto::{Label, Type};
    use prost_types::{DescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto};
    if let Some(edition) = file.enum_type.iter_mut().find(|e| e.name() == "Edition") {
        let newer = [
            ("EDITION_LEGACY", 900),
            ("EDITION_2024", 1001),
            ("EDITION_2026", 1002),
            ("EDITION_UNSTABLE", 9999),
            ("EDITION_MAX", i32::MAX),
        ];
        for (name, number) in newer {
            if !edition.value.iter().any(|v| v.number() == number) {
                edition.value.push(EnumValueDescriptorProto {
                    name: Some(name.to_owned()),
                    number: Some(number),
                    options: None,
                });
            }
        }
    }
    let field = |name: &str, number: i32, ty: Type, type_name: Option<&str>| FieldDescriptorProto {
        name: Some(name.to_owned()),
        number: Some(number),
        label: Some(Label::Optional as i32),
        r#type: Some(ty as i32),
        type_name: type_name.map(str::to_owned),
        json_name: Some(heck::ToLowerCamelCase::to_lower_camel_case(name)),
        ..FieldDescriptorProto::default()
    };
    let edition = Some(".google.protobuf.Edition");
    let feature_support = DescriptorProto {
        name: Some("FeatureSupport".to_owned()),
        field: vec![
            field("edition_introduced", 1, Type::Enum, edition),
            field("edition_deprecated", 2, Type::Enum, edition),
            field("deprecation_warning", 3, Type::String, None),
            field("edition_removed", 4, Type::Enum, edition),
            field("removal_error", 5, Type::String, None),
        ],
        ..DescriptorProto::default()
    };
    let support = Some(".google.protobuf.FieldOptions.FeatureSupport");
    for message in &mut file.message_type {
        let number = match message.name() {
            "FieldOptions" => 22,
            "EnumValueOptions" => 4,
            "FeatureSet" => {
                // Go's features (go_features.proto's `pb.go`).
                let has = |r: &ExtensionRange| r.start() <= 1002 && 1002 < r.end();
                if !message.extension_range.iter().any(has) {
                    let at = message
                        .extension_range
                        .partition_point(|r| r.start() < 1002);
                    let go = ExtensionRange {
                        start: Some(1002),
                        end: Some(1003),
                        options: None,
                    };
                    message.extension_range.insert(at, go);
                }
                continue;
            }
            _ => continue,
        };
        if message.field.iter().any(|f| f.name() == "feature_support") {
            continue;
        }
        if message.name() == "FieldOptions" {
            message.nested_type.push(feature_support.clone());
        }
        let feature_support = field("feature_support", number, Type::Message, support);
        message.field.push(feature_support);
    }
}

/// Every well-known file name, for hints about missing imports.
pub fn well_known_files() -> Vec<FileDescriptorProto> {
    prost_reflect::DescriptorPool::global()
        .files()
        .filter(|f| f.name().starts_with("google/protobuf/"))
        .map(|f| f.file_descriptor_proto().clone())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_files_parse() {
        for name in super::names() {
            let text = super::source(name).unwrap();
            crate::source::syntax::parse(name, text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
        assert!(super::well_known("google/protobuf/timestamp.proto").is_some());
        assert!(super::well_known("google/protobuf/nope.proto").is_none());
    }
}
