//! Resolved features of linked descriptors, the same questions for proto2, proto3 and editions
//! files: does a field have presence, is an enum closed, are a string field's bytes verified as
//! UTF-8, does a message or enum have the full JSON mapping. Rules ask here, never the syntax.
//!
//! An editions file is linked in its proto2 form with its resolved file features written into
//! its file options (`source::editions`); elements carry the features they set themselves.

use prost_reflect::{
    Cardinality, DynamicMessage, EnumDescriptor, FieldDescriptor, FileDescriptor,
    MessageDescriptor, Syntax,
};

use crate::source::syntax::features::{self, ALLOW, CLOSED, Edition, FEATURES, IMPLICIT, VERIFY};

/// The value `options` sets for feature `feature` (an index into `FEATURES`), if it sets one.
fn set(options: &DynamicMessage, feature: usize) -> Option<i32> {
    if !options.has_field_by_name("features") {
        return None;
    }
    let value = options.get_field_by_name("features")?;
    let set = value.as_message()?;
    let name = FEATURES[feature].name;
    if !set.has_field_by_name(name) {
        return None;
    }
    set.get_field_by_name(name)?.as_enum_number()
}

/// The `features` field of each options message, and where options sit in their element
/// (SourceCodeInfo numbers).
pub mod path {
    pub const MESSAGE_OPTIONS: i32 = 7;
    pub const ENUM_OPTIONS: i32 = 3;
    pub const MESSAGE_FEATURES: i32 = 12;
    pub const ENUM_FEATURES: i32 = 7;
}

/// Where a finding about `feature` of an element belongs, as buf places it: the option that
/// sets it on the element (`[element.., options, features, feature]`), else the element's name.
fn feature_path(
    element: &[i32],
    options: &DynamicMessage,
    [options_tag, features_tag]: [i32; 2],
    feature: usize,
) -> Vec<i32> {
    let tail = if set(options, feature).is_some() {
        vec![options_tag, features_tag, FEATURES[feature].number]
    } else {
        vec![crate::source::locate::path::NAME]
    };
    [element, &tail].concat()
}

/// `feature_path` for a message.
pub fn message_feature_path(m: &MessageDescriptor, feature: usize) -> Vec<i32> {
    feature_path(
        m.path(),
        &m.options(),
        [path::MESSAGE_OPTIONS, path::MESSAGE_FEATURES],
        feature,
    )
}

/// `feature_path` for an enum.
pub fn enum_feature_path(e: &EnumDescriptor, feature: usize) -> Vec<i32> {
    feature_path(
        e.path(),
        &e.options(),
        [path::ENUM_OPTIONS, path::ENUM_FEATURES],
        feature,
    )
}

/// Whether the file is an editions file (its linked form sets features on the file).
pub fn is_editions(file: &FileDescriptor) -> bool {
    file.options().has_field_by_name("features")
}

/// `proto2`, `proto3` or `editions`.
pub fn syntax_name(file: &FileDescriptor) -> &'static str {
    if is_editions(file) {
        return "editions";
    }
    match file.syntax() {
        Syntax::Proto2 => "proto2",
        Syntax::Proto3 => "proto3",
    }
}

/// The file's value of a feature: what it sets, else its syntax's default.
fn file_feature(file: &FileDescriptor, feature: usize) -> i32 {
    set(&file.options(), feature).unwrap_or_else(|| {
        let edition = match file.syntax() {
            Syntax::Proto2 => Edition::Proto2,
            Syntax::Proto3 => Edition::Proto3,
        };
        FEATURES[feature].default_for(edition)
    })
}

/// Where a field's features come from: its options and its file (the message between them
/// cannot set field features).
fn field_feature(options: &DynamicMessage, file: &FileDescriptor, feature: usize) -> i32 {
    set(options, feature).unwrap_or_else(|| file_feature(file, feature))
}

/// Whether the field tracks whether it was set (explicit presence).
pub fn has_presence(field: &FieldDescriptor) -> bool {
    let file = field.parent_file();
    if !is_editions(&file) {
        return field.supports_presence();
    }
    field.cardinality() != Cardinality::Repeated
        && (field.containing_oneof().is_some()
            || field.kind().as_message().is_some()
            || field_feature(&field.options(), &file, features::FIELD_PRESENCE) != IMPLICIT)
}

/// Whether unknown values of the enum are kept as unknown fields (closed) rather than stored.
pub fn enum_is_closed(e: &EnumDescriptor) -> bool {
    set(&e.options(), features::ENUM_TYPE)
        .unwrap_or_else(|| file_feature(&e.parent_file(), features::ENUM_TYPE))
        == CLOSED
}

/// Whether a string field's (or extension's) bytes are verified as UTF-8 when parsed, from
/// its options and file.
pub fn utf8_verified(options: &DynamicMessage, file: &FileDescriptor) -> bool {
    field_feature(options, file, features::UTF8_VALIDATION) == VERIFY
}

/// `utf8_verified` for a field; the key and value of a map take the map field's features.
pub fn field_utf8_verified(field: &FieldDescriptor) -> bool {
    utf8_verified(&feature_options(field), &field.parent_file())
}

/// The options a field's features come from: its own, or for a map entry's key and value, the
/// map field's.
fn feature_options(field: &FieldDescriptor) -> DynamicMessage {
    let entry = field.parent_message();
    if entry.is_map_entry()
        && let Some(outer) = entry.parent_message()
        && let Some(map) = outer
            .fields()
            .find(|f| f.kind().as_message() == Some(entry))
    {
        return map.options();
    }
    field.options()
}

/// Whether the message has the full proto3 JSON mapping (`json_format = ALLOW`), set on it,
/// on a message around it or on its file.
pub fn message_json_allowed(message: &MessageDescriptor) -> bool {
    let mut at = Some(message.clone());
    while let Some(m) = at {
        if let Some(v) = set(&m.options(), features::JSON_FORMAT) {
            return v == ALLOW;
        }
        at = m.parent_message();
    }
    file_feature(&message.parent_file(), features::JSON_FORMAT) == ALLOW
}

/// `message_json_allowed` for an enum.
pub fn enum_json_allowed(e: &EnumDescriptor) -> bool {
    if let Some(v) = set(&e.options(), features::JSON_FORMAT) {
        return v == ALLOW;
    }
    match e.parent_message() {
        Some(m) => message_json_allowed(&m),
        None => file_feature(&e.parent_file(), features::JSON_FORMAT) == ALLOW,
    }
}

/// `(pb.cpp).string_type` values (google/protobuf/cpp_features.proto).
pub mod cpp_string {
    pub const VIEW: i32 = 1;
    pub const CORD: i32 = 2;
    pub const STRING: i32 = 3;
}

/// A language feature (`features.(pb.cpp).string_type`: extension `pb.cpp`, field
/// `string_type`) as `options.features` sets it, if it does.
fn language_feature_set(options: &DynamicMessage, extension: &str, name: &str) -> Option<i32> {
    if !options.has_field_by_name("features") {
        return None;
    }
    let features = options.get_field_by_name("features")?;
    let features = features.as_message()?;
    let extension = prost_reflect::ReflectMessage::descriptor(features)
        .parent_pool()
        .get_extension_by_name(extension)?;
    if !features.has_extension(&extension) {
        return None;
    }
    let value = features.get_extension(&extension);
    let value = value.as_message()?;
    if !value.has_field_by_name(name) {
        return None;
    }
    value.get_field_by_name(name)?.as_enum_number()
}

/// A language feature of a field: from the first of `scopes` (its options, its oneof's, its
/// messages' outward, its file's) that sets it.
pub fn language_feature(scopes: &[DynamicMessage], extension: &str, name: &str) -> Option<i32> {
    scopes
        .iter()
        .find_map(|options| language_feature_set(options, extension, name))
}

/// C++'s string type of a string or bytes field, as buf resolves it: `ctype` where it is set
/// (`STRING_PIECE` is STRING, and says so in the second value), else `(pb.cpp).string_type`
/// from the field's `scopes` (see [`language_feature`]), else STRING (edition 2024's default is
/// VIEW, but the linked form does not say which edition a file is: see `source::editions`).
pub fn cpp_string_type(ctype: Option<i32>, scopes: &[DynamicMessage]) -> (i32, bool) {
    use prost_types::field_options::CType;
    match ctype.and_then(|c| CType::try_from(c).ok()) {
        Some(CType::Cord) => (cpp_string::CORD, false),
        Some(CType::StringPiece) => (cpp_string::STRING, true),
        Some(CType::String) => (cpp_string::STRING, false),
        None => (
            language_feature(scopes, "pb.cpp", "string_type").unwrap_or(cpp_string::STRING),
            false,
        ),
    }
}

/// Whether Java verifies a string field's UTF-8, as buf resolves it: `java_string_check_utf8`
/// where the file sets it or is no editions file, else `(pb.java).utf8_validation = VERIFY`
/// from the field's `scopes`; either way at least the field's own UTF-8 validation.
pub fn java_utf8_verified(
    field_verified: bool,
    file: &FileDescriptor,
    scopes: &[DynamicMessage],
) -> bool {
    let check = file
        .file_descriptor_proto()
        .options
        .as_ref()
        .and_then(|o| o.java_string_check_utf8);
    if !is_editions(file) || check.is_some() {
        return check.unwrap_or(false) || field_verified;
    }
    // JavaFeatures.Utf8Validation: VERIFY = 2.
    language_feature(scopes, "pb.java", "utf8_validation") == Some(2) || field_verified
}
