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

/// [`message_json_allowed`] for an enum.
pub fn enum_json_allowed(e: &EnumDescriptor) -> bool {
    if let Some(v) = set(&e.options(), features::JSON_FORMAT) {
        return v == ALLOW;
    }
    match e.parent_message() {
        Some(m) => message_json_allowed(&m),
        None => file_feature(&e.parent_file(), features::JSON_FORMAT) == ALLOW,
    }
}
