//! Files that resolve with nothing on disk: protoforge's own options, the google/api HTTP
//! annotations, the language features of editions (`google/protobuf/{cpp,java,go}_features.proto`)
//! and the well-known types (`google/protobuf/*.proto`, from prost-reflect's pool).

use prost_types::FileDescriptorProto;

const EMBEDDED: &[(&str, &str)] = &[
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
        // prost-reflect's copy predates Go's features: FeatureSet reserves 1000 (C++) and 1001
        // (Java) for languages, protoc's also 1002 (go_features.proto's `pb.go`).
        let feature_set = file
            .message_type
            .iter_mut()
            .find(|m| m.name() == "FeatureSet");
        if let Some(m) = feature_set
            && !m
                .extension_range
                .iter()
                .any(|r| r.start() <= 1002 && 1002 < r.end())
        {
            let at = m.extension_range.partition_point(|r| r.start() < 1002);
            m.extension_range.insert(
                at,
                prost_types::descriptor_proto::ExtensionRange {
                    start: Some(1002),
                    end: Some(1003),
                    options: None,
                },
            );
        }
    }
    Some(file)
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
