//! Encoded `FileDescriptorSet`s that hold editions files, in both of their forms.
//!
//! An editions file has two descriptor forms here (see `crate::source::editions`):
//! - the **editions form**, what protoc writes (`syntax = "editions"`, `edition = EDITION_2023`,
//!   presence, packing and delimited encoding said only by `features`). Generated code embeds this
//!   one as `FILE_DESCRIPTOR_SET`, so server reflection describes the file as it was written
//!   and any client (buf curl, grpcurl, Python's reflection client) reads it as protoc's;
//! - the **proto2 form** prost-reflect 0.16 can link (`required` labels, groups, `packed`).
//!
//! [`to_editions`] turns the pool's proto2 form back into the editions form at build time;
//! [`to_linkable`] turns any editions-form set (ours or one protoc wrote) into the proto2 form
//! at run time, before the gateway builds its pool. Both work on `google.protobuf` messages
//! through prost-reflect's dynamic messages (prost-types 0.14 has no `edition` or `features`
//! fields), which keep unknown fields such as custom options byte for byte.

// A runtime-only build links sets (`to_linkable`); writing the editions form is the build
// side's, so without `build` those parts have no caller.
#![cfg_attr(not(feature = "build"), allow(dead_code))]

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, Value};

// `google.protobuf.FieldDescriptorProto` labels and types.
const LABEL_OPTIONAL: i32 = 1;
const LABEL_REQUIRED: i32 = 2;
const LABEL_REPEATED: i32 = 3;
const TYPE_STRING: i32 = 9;
const TYPE_GROUP: i32 = 10;
const TYPE_MESSAGE: i32 = 11;
const TYPE_BYTES: i32 = 12;

// `google.protobuf.FeatureSet` fields and the values these conversions read.
const FIELD_PRESENCE: u32 = 1;
const REPEATED_FIELD_ENCODING: u32 = 3;
const MESSAGE_ENCODING: u32 = 5;
const LEGACY_REQUIRED: i32 = 3;
const PACKED: i32 = 1;
const DELIMITED: i32 = 2;
const UTF8_VALIDATION: u32 = 4;
/// `NONE` in descriptor.proto (`Utf8Validation`); prost-reflect 0.16's copy of descriptor.proto
/// predates the final numbering and has `NONE = 1`, so the pool writes 1.
const UTF8_NONE: i32 = 3;
const UTF8_NONE_IN_POOL: i32 = 1;
/// The defaults of those three features in every edition so far (2023, 2024): explicit
/// presence, packed, length-prefixed.
const EDITION_DEFAULTS: [(u32, i32); 3] = [
    (FIELD_PRESENCE, 1),
    (REPEATED_FIELD_ENCODING, PACKED),
    (MESSAGE_ENCODING, 1),
];

/// What an editions file's descriptor has that its proto2 form does not: prost-reflect 0.16's
/// descriptor.proto predates it, so the front end keeps it aside for [`to_editions`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditionsForm {
    /// The `FeatureSet` fields the proto2 form added to the file's options at the edition's
    /// default (the file does not set them).
    pub implied_file_features: Vec<u32>,
    /// The options (by path) that set edition 2024's own features. Those have source
    /// retention, so protoc writes no value, only the options' (empty) `features`.
    pub source_features: Vec<Vec<i32>>,
    /// Which entries of `dependency` are `import option`s (`option_dependency`, field 15).
    pub option_imports: Vec<i32>,
    /// `export` and `local`: (path of the message or enum, its `visibility` field, value).
    pub visibility: Vec<(Vec<i32>, u32, i32)>,
}

/// An editions file of a set, by name: its `google.protobuf.Edition` number and what its proto2
/// form lacks.
pub struct EditionsFile<'a> {
    pub edition: i32,
    pub form: &'a EditionsForm,
}

// `google.protobuf.FileDescriptorProto` fields `to_editions` rewrites.
const FILE_DEPENDENCY: u32 = 3;
const FILE_PUBLIC_DEPENDENCY: u32 = 10;
const FILE_WEAK_DEPENDENCY: u32 = 11;
const FILE_SOURCE_CODE_INFO: u32 = 9;
const FILE_OPTION_DEPENDENCY: u32 = 15;

fn descriptor_set() -> MessageDescriptor {
    DescriptorPool::global()
        .get_message_by_name("google.protobuf.FileDescriptorSet")
        .expect("prost-reflect's global pool has descriptor.proto")
}

fn decode(set: &[u8]) -> Result<DynamicMessage, String> {
    DynamicMessage::decode(descriptor_set(), set)
        .map_err(|e| format!("not an encoded FileDescriptorSet: {e}"))
}

fn files(set: &mut DynamicMessage) -> &mut Vec<Value> {
    match set.get_field_by_name_mut("file") {
        Some(Value::List(files)) => files,
        _ => unreachable!("FileDescriptorSet.file is a repeated message"),
    }
}

fn string(message: &DynamicMessage, name: &str) -> String {
    message
        .get_field_by_name(name)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn int(message: &DynamicMessage, name: &str) -> i32 {
    message
        .get_field_by_name(name)
        .and_then(|v| v.as_enum_number().or_else(|| v.as_i32()))
        .unwrap_or_default()
}

fn message_mut<'a>(message: &'a mut DynamicMessage, name: &str) -> Option<&'a mut DynamicMessage> {
    if !message.has_field_by_name(name) {
        return None;
    }
    message
        .get_field_by_name_mut(name)
        .and_then(Value::as_message_mut)
}

fn list_mut<'a>(message: &'a mut DynamicMessage, name: &str) -> &'a mut Vec<Value> {
    match message.get_field_by_name_mut(name) {
        Some(Value::List(items)) => items,
        _ => unreachable!("`{name}` is a repeated field"),
    }
}

/// Clears `name` when it holds a message with nothing set.
fn drop_if_empty(message: &mut DynamicMessage, name: &str) {
    let empty = message
        .get_field_by_name(name)
        .and_then(|v| {
            v.as_message()
                .map(|m| m.fields().next().is_none() && m.unknown_fields().next().is_none())
        })
        .unwrap_or(false);
    if empty {
        message.clear_field_by_name(name);
    }
}

/// Calls `f` on every field and extension of the file, nested messages' too, saying whether
/// the field belongs to a map entry.
fn for_each_field(file: &mut DynamicMessage, f: &mut impl FnMut(&mut DynamicMessage, bool)) {
    fn message(m: &mut DynamicMessage, f: &mut impl FnMut(&mut DynamicMessage, bool)) {
        let entry = is_map_entry(m);
        for list in ["field", "extension"] {
            for field in list_mut(m, list) {
                if let Some(field) = field.as_message_mut() {
                    f(field, entry);
                }
            }
        }
        for nested in list_mut(m, "nested_type") {
            if let Some(nested) = nested.as_message_mut() {
                message(nested, f);
            }
        }
    }
    for field in list_mut(file, "extension") {
        if let Some(field) = field.as_message_mut() {
            f(field, false);
        }
    }
    for m in list_mut(file, "message_type") {
        if let Some(m) = m.as_message_mut() {
            message(m, f);
        }
    }
}

/// The proto2 form of the editions files named in `editions`, back in their editions form;
/// other files unchanged.
pub fn to_editions(set: &[u8], editions: &HashMap<&str, EditionsFile<'_>>) -> Vec<u8> {
    if editions.is_empty() {
        return set.to_vec();
    }
    let Ok(mut decoded) = decode(set) else {
        return set.to_vec();
    };
    for file in files(&mut decoded) {
        let Some(file) = file.as_message_mut() else {
            continue;
        };
        let Some(info) = editions.get(string(file, "name").as_str()) else {
            continue;
        };
        file.set_field_by_name("syntax", Value::String("editions".into()));
        file.set_field_by_name("edition", Value::EnumNumber(info.edition));
        if let Some(options) = message_mut(file, "options") {
            if let Some(features) = message_mut(options, "features") {
                for &number in &info.form.implied_file_features {
                    features.clear_field_by_number(number);
                }
                renumber_utf8_none(features);
            }
            drop_if_empty(options, "features");
        }
        drop_if_empty(file, "options");
        for_each_field(file, &mut |field, _| {
            // The features that made these proto2 constructs stay in the field's options.
            if int(field, "label") == LABEL_REQUIRED {
                field.set_field_by_name("label", Value::EnumNumber(LABEL_OPTIONAL));
            }
            if int(field, "type") == TYPE_GROUP {
                field.set_field_by_name("type", Value::EnumNumber(TYPE_MESSAGE));
            }
            if let Some(options) = message_mut(field, "options") {
                options.clear_field_by_name("packed");
                if let Some(features) = message_mut(options, "features") {
                    renumber_utf8_none(features);
                }
            }
            drop_if_empty(field, "options");
        });
        // Last: the empty `features` it may add are not to be dropped as empty.
        add_newer(file, info.form);
    }
    decoded.encode_to_vec()
}

/// Puts back what the proto2 form lacks: the `features` of options that set only
/// source-retention features, visibilities (a field prost-reflect's descriptor.proto does not
/// know, so merged in encoded, as an unknown field it keeps and writes in field order) and
/// `import option`s as `option_dependency`.
fn add_newer(file: &mut DynamicMessage, form: &EditionsForm) {
    let varint = |number: u32, value: i32| {
        let mut bytes = Vec::new();
        prost::encoding::int32::encode(number, &value, &mut bytes);
        bytes
    };
    for options_path in &form.source_features {
        let Some((&options, at)) = options_path.split_last() else {
            continue;
        };
        // Getting a message field for mutation sets it (empty) when it is not.
        let _ = descend(file, at)
            .and_then(|m| m.get_field_by_number_mut(options as u32))
            .and_then(Value::as_message_mut)
            .and_then(|options| options.get_field_by_name_mut("features"));
    }
    for (path, number, value) in &form.visibility {
        if let Some(m) = descend(file, path) {
            let _ = m.merge(varint(*number, *value).as_slice());
        }
    }
    if form.option_imports.is_empty() {
        return;
    }
    let is_option = |i: i32| form.option_imports.contains(&i);
    // An old index of `dependency` -> its index in `dependency` or in `option_dependency`.
    let moved = |i: i32| {
        let before = form.option_imports.iter().filter(|&&o| o < i).count() as i32;
        if is_option(i) { before } else { i - before }
    };
    let Some(Value::List(deps)) = file.get_field_by_number_mut(FILE_DEPENDENCY) else {
        return;
    };
    let mut option_deps = Vec::new();
    let mut i = 0;
    deps.retain(|d| {
        let keep = !is_option(i);
        if !keep && let Some(name) = d.as_str() {
            prost::encoding::string::encode(
                FILE_OPTION_DEPENDENCY,
                &name.to_owned(),
                &mut option_deps,
            );
        }
        i += 1;
        keep
    });
    let _ = file.merge(option_deps.as_slice());
    for list in [FILE_PUBLIC_DEPENDENCY, FILE_WEAK_DEPENDENCY] {
        if let Some(Value::List(indices)) = file.get_field_by_number_mut(list) {
            for index in indices.iter_mut() {
                if let Value::I32(i) = index {
                    *i = moved(*i);
                }
            }
        }
    }
    if !file.has_field_by_number(FILE_SOURCE_CODE_INFO) {
        return;
    }
    let locations = file
        .get_field_by_number_mut(FILE_SOURCE_CODE_INFO)
        .and_then(Value::as_message_mut)
        .and_then(|info| info.get_field_by_name_mut("location"));
    let Some(Value::List(locations)) = locations else {
        return;
    };
    for location in locations.iter_mut().filter_map(Value::as_message_mut) {
        let Some(Value::List(path)) = location.get_field_by_name_mut("path") else {
            continue;
        };
        if let [Value::I32(tag), Value::I32(index), ..] = path.as_mut_slice()
            && *tag == FILE_DEPENDENCY as i32
        {
            if is_option(*index) {
                *tag = FILE_OPTION_DEPENDENCY as i32;
            }
            *index = moved(*index);
        }
    }
}

/// A field given a stand-in `json_name` for linking: its descriptor path and the JSON name
/// protoc gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub path: Vec<i32>,
    pub json_name: String,
}

/// Writes back the JSON names protoc gives fields that were linked with a stand-in
/// (`crate::source::prelink`): `renamed` maps a file name to its fields' descriptor paths and
/// JSON names.
pub fn restore_json_names(set: Vec<u8>, renamed: &HashMap<&str, &[Renamed]>) -> Vec<u8> {
    if renamed.is_empty() {
        return set;
    }
    let Ok(mut decoded) = decode(&set) else {
        return set;
    };
    for file in files(&mut decoded) {
        let Some(file) = file.as_message_mut() else {
            continue;
        };
        let Some(fields) = renamed.get(string(file, "name").as_str()) else {
            continue;
        };
        for field in fields.iter() {
            if let Some(at) = descend(file, &field.path) {
                at.set_field_by_name("json_name", Value::String(field.json_name.clone()));
            }
        }
    }
    decoded.encode_to_vec()
}

/// The message at a descriptor path (`[4, 0, 3, 1]`: the second message nested in the first).
fn descend<'a>(message: &'a mut DynamicMessage, path: &[i32]) -> Option<&'a mut DynamicMessage> {
    let mut at = message;
    for pair in path.chunks(2) {
        let [field, index] = pair else { return None };
        at = match at.get_field_by_number_mut(*field as u32)? {
            Value::List(items) => items
                .get_mut(usize::try_from(*index).ok()?)?
                .as_message_mut()?,
            _ => return None,
        };
    }
    Some(at)
}

/// `utf8_validation = NONE` as descriptor.proto numbers it (fields and files are the only
/// places it can be set).
fn renumber_utf8_none(features: &mut DynamicMessage) {
    let none_in_pool = features.has_field_by_number(UTF8_VALIDATION)
        && features
            .get_field_by_number(UTF8_VALIDATION)
            .and_then(|v| v.as_enum_number())
            == Some(UTF8_NONE_IN_POOL);
    if none_in_pool {
        features.set_field_by_number(UTF8_VALIDATION, Value::EnumNumber(UTF8_NONE));
    }
}

/// A feature's value set in `options.features`, if any.
fn feature(options: Option<&DynamicMessage>, number: u32) -> Option<i32> {
    let options = options?;
    if !options.has_field_by_name("features") {
        return None;
    }
    let features = options.get_field_by_name("features")?;
    let features = features.as_message()?;
    if !features.has_field_by_number(number) {
        return None;
    }
    features.get_field_by_number(number)?.as_enum_number()
}

fn options(message: &DynamicMessage) -> Option<&DynamicMessage> {
    if !message.has_field_by_name("options") {
        return None;
    }
    match message.get_field_by_name("options")? {
        Cow::Borrowed(Value::Message(m)) => Some(m),
        _ => None,
    }
}

fn is_map_entry(message: &DynamicMessage) -> bool {
    options(message)
        .and_then(|o| o.get_field_by_name("map_entry").and_then(|v| v.as_bool()))
        .unwrap_or(false)
}

/// Map entries of the set, by full name with a leading dot (as type names are written).
fn map_entries(set: &DynamicMessage) -> HashSet<String> {
    fn walk(m: &DynamicMessage, scope: &str, out: &mut HashSet<String>) {
        let name = format!("{scope}.{}", string(m, "name"));
        if is_map_entry(m) {
            out.insert(name.clone());
        }
        if let Some(Cow::Borrowed(Value::List(nested))) = m.get_field_by_name("nested_type") {
            for n in nested.iter().filter_map(Value::as_message) {
                walk(n, &name, out);
            }
        }
    }
    let mut out = HashSet::new();
    if let Some(Cow::Borrowed(Value::List(files))) = set.get_field_by_name("file") {
        for file in files.iter().filter_map(Value::as_message) {
            let package = string(file, "package");
            let scope = if package.is_empty() {
                String::new()
            } else {
                format!(".{package}")
            };
            if let Some(Cow::Borrowed(Value::List(messages))) =
                file.get_field_by_name("message_type")
            {
                for m in messages.iter().filter_map(Value::as_message) {
                    walk(m, &scope, &mut out);
                }
            }
        }
    }
    out
}

/// Any editions file of the set in its proto2 form, which prost-reflect links; a set without
/// editions files is returned as it is.
pub fn to_linkable(set: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    // Cheap test first: an editions file's syntax string is in the bytes.
    if !set.windows(8).any(|w| w == b"editions") {
        return Ok(Cow::Borrowed(set));
    }
    let mut decoded = decode(set)?;
    let entries = map_entries(&decoded);
    let mut changed = false;
    for file in files(&mut decoded) {
        let Some(file) = file.as_message_mut() else {
            continue;
        };
        if string(file, "syntax") != "editions" {
            continue;
        }
        changed = true;
        // The file's value of each feature: what it sets, else the edition's default.
        let defaults =
            EDITION_DEFAULTS.map(|(n, default)| (n, feature(options(file), n).unwrap_or(default)));
        file.clear_field_by_name("syntax");
        file.clear_field_by_name("edition");
        for_each_field(file, &mut |field, in_entry| {
            // These three features apply to fields and files only, so a field's value is its
            // own or the file's.
            let resolved = |number: u32| {
                let file = defaults.iter().find(|d| d.0 == number).map(|d| d.1);
                feature(options(field), number).or(file).unwrap_or_default()
            };
            let (label, ty) = (int(field, "label"), int(field, "type"));
            let in_oneof = field.has_field_by_name("oneof_index");
            let presence = resolved(FIELD_PRESENCE);
            let encoding = resolved(REPEATED_FIELD_ENCODING);
            // Map fields and map entries' own fields are always length-prefixed.
            let delimited = resolved(MESSAGE_ENCODING) == DELIMITED
                && ty == TYPE_MESSAGE
                && !in_entry
                && !entries.contains(&string(field, "type_name"));
            if label == LABEL_OPTIONAL && presence == LEGACY_REQUIRED && !in_oneof {
                field.set_field_by_name("label", Value::EnumNumber(LABEL_REQUIRED));
            }
            if delimited {
                field.set_field_by_name("type", Value::EnumNumber(TYPE_GROUP));
            }
            let packable = !matches!(ty, TYPE_STRING | TYPE_GROUP | TYPE_MESSAGE | TYPE_BYTES);
            if label == LABEL_REPEATED && packable && encoding == PACKED {
                let options = field
                    .get_field_by_name_mut("options")
                    .and_then(Value::as_message_mut);
                if let Some(options) = options {
                    options.set_field_by_name("packed", Value::Bool(true));
                }
            }
        });
    }
    if !changed {
        return Ok(Cow::Borrowed(set));
    }
    Ok(Cow::Owned(decoded.encode_to_vec()))
}
