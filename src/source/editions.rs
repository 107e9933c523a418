//! Editions files in a pool that knows only proto2 and proto3.
//!
//! prost-reflect 0.16 links `syntax = "proto2"` and `"proto3"` only, and prost-types has no
//! field for a file's edition. So an editions file is linked in its proto2 form, which keeps
//! what the editions file means wherever proto2 can say it:
//! - `features.field_presence = LEGACY_REQUIRED` becomes `required`;
//! - `features.message_encoding = DELIMITED` makes the field a group (its wire form);
//! - packed repeated fields get `[packed = true]`, expanded ones stay as proto2 has them;
//! - the file's options gain every feature of `FeatureSet` it does not set, at the edition's
//!   default, so that the file's resolved features are in the descriptor (an editions file is
//!   recognised by its file options setting `features`, see `crate::source::resolved`).
//!
//! What proto2 cannot say (implicit presence, open enums, UTF-8 verification, the JSON format)
//! stays in the `features` options, which prost-reflect interprets like any option; rules read
//! resolved features through `source::resolved`, never through syntax. Edition 2024's own
//! features (`enforce_naming_style`, `default_symbol_visibility`) are checked by the front end
//! and left out of the linked form: prost-reflect's descriptor.proto predates them.
//!
//! The checks protoc makes on features that need no linking are made here, located by
//! SourceCodeInfo path.

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, FieldDescriptorProto, FieldOptions, FileDescriptorProto, FileOptions,
    SourceCodeInfo, UninterpretedOption, uninterpreted_option::NamePart,
};

use super::locate::path as tag;
use super::syntax::features::{self, Edition, FEATURES, FeatureSet};

const UNINTERPRETED: i32 = 999;

/// A problem with an editions file, at a SourceCodeInfo path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<i32>,
    pub message: String,
}

/// What [`to_linkable`] found, added and took out.
#[derive(Debug, Default)]
pub struct Linkable {
    pub problems: Vec<Problem>,
    /// The `FeatureSet` fields written into the file's options at the edition's default (the
    /// file does not set them) and edition 2024's features taken out:
    /// `crate::descriptor_set::to_editions` undoes both.
    pub form: crate::descriptor_set::EditionsForm,
}

/// Rewrites an editions file (as the front end lowered it) into its proto2 form, in place,
/// with its SourceCodeInfo kept in step.
pub fn to_linkable(proto: &mut FileDescriptorProto, edition: Edition) -> Linkable {
    let mut implied_file_features = Vec::new();
    let mut cx = Cx {
        problems: Vec::new(),
        file: FeatureSet::defaults(edition),
        info: proto.source_code_info.take(),
        source_features: Vec::new(),
    };
    let file_options = proto.options.get_or_insert_with(FileOptions::default);
    let explicit = features::explicit(&file_options.uninterpreted_option);
    if explicit.get(features::FIELD_PRESENCE) == Some(features::LEGACY_REQUIRED) {
        let at = feature_index(&file_options.uninterpreted_option, features::FIELD_PRESENCE);
        cx.problem(
            option_path(&[tag::FILE_OPTIONS], at),
            "`LEGACY_REQUIRED` cannot be a file's default presence; set it on the fields that need it",
        );
    }
    cx.file = cx.file.overlay(&explicit);
    cx.strip_newer_features(&[tag::FILE_OPTIONS], &mut file_options.uninterpreted_option);
    // The resolved file features that are not written, at the end (no locations shift).
    for (i, f) in FEATURES.iter().enumerate().take(features::JSON_FORMAT + 1) {
        if explicit.get(i).is_none() {
            let value = cx
                .file
                .get(i)
                .and_then(|v| f.value_name(v))
                .unwrap_or_default();
            file_options
                .uninterpreted_option
                .push(feature_option(f.name, value));
            implied_file_features.push(f.number as u32);
        }
    }
    let mut path = Vec::new();
    for (i, m) in proto.message_type.iter_mut().enumerate() {
        path.clear();
        path.extend([tag::FILE_MESSAGE, i as i32]);
        cx.message(&mut path, m);
    }
    for (i, f) in proto.extension.iter_mut().enumerate() {
        path.clear();
        path.extend([tag::FILE_EXTENSION, i as i32]);
        cx.field(&path, f, true, false);
    }
    for (i, e) in proto.enum_type.iter_mut().enumerate() {
        cx.enumeration(&[tag::FILE_ENUM, i as i32], e);
    }
    for (i, s) in proto.service.iter_mut().enumerate() {
        let at = [tag::FILE_SERVICE, i as i32];
        if let Some(o) = s.options.as_mut() {
            cx.strip_newer_features(
                &[at[0], at[1], tag::service::OPTIONS],
                &mut o.uninterpreted_option,
            );
        }
        for (j, m) in s.method.iter_mut().enumerate() {
            if let Some(o) = m.options.as_mut() {
                cx.strip_newer_features(
                    &[
                        at[0],
                        at[1],
                        tag::SERVICE_METHOD,
                        j as i32,
                        tag::METHOD_OPTIONS,
                    ],
                    &mut o.uninterpreted_option,
                );
            }
        }
    }
    proto.syntax = None;
    proto.source_code_info = cx.info;
    Linkable {
        problems: cx.problems,
        form: crate::descriptor_set::EditionsForm {
            implied_file_features,
            source_features: cx.source_features,
            ..Default::default()
        },
    }
}

struct Cx {
    problems: Vec<Problem>,
    /// The file's resolved features.
    file: FeatureSet,
    info: Option<SourceCodeInfo>,
    /// The options (by path) whose edition 2024 features were taken out.
    source_features: Vec<Vec<i32>>,
}

impl Cx {
    fn problem(&mut self, path: Vec<i32>, message: impl Into<String>) {
        self.problems.push(Problem {
            path,
            message: message.into(),
        });
    }

    fn message(&mut self, path: &mut Vec<i32>, m: &mut DescriptorProto) {
        if let Some(o) = m.options.as_mut() {
            let at = [path.as_slice(), &[tag::MESSAGE_OPTIONS]].concat();
            self.strip_newer_features(&at, &mut o.uninterpreted_option);
        }
        let n = path.len();
        let entries: Vec<String> = m
            .nested_type
            .iter()
            .filter(|d| d.options.as_ref().and_then(|o| o.map_entry) == Some(true))
            .map(|d| d.name().to_owned())
            .collect();
        // A map entry's own fields are length-prefixed whatever the file says, as are map
        // fields (protoc resolves them so).
        let entry = m.options.as_ref().and_then(|o| o.map_entry) == Some(true);
        for (i, f) in m.field.iter_mut().enumerate() {
            path.extend([tag::MESSAGE_FIELD, i as i32]);
            let map = entry
                || f.type_name()
                    .rsplit('.')
                    .next()
                    .is_some_and(|last| entries.iter().any(|e| e == last));
            self.field(path, f, false, map);
            path.truncate(n);
        }
        for (i, f) in m.extension.iter_mut().enumerate() {
            path.extend([tag::MESSAGE_EXTENSION, i as i32]);
            self.field(path, f, true, false);
            path.truncate(n);
        }
        for (i, nested) in m.nested_type.iter_mut().enumerate() {
            path.extend([tag::MESSAGE_NESTED, i as i32]);
            self.message(path, nested);
            path.truncate(n);
        }
        for (i, e) in m.enum_type.iter_mut().enumerate() {
            path.extend([tag::MESSAGE_ENUM, i as i32]);
            self.enumeration(path, e);
            path.truncate(n);
        }
        for (i, o) in m.oneof_decl.iter_mut().enumerate() {
            if let Some(options) = o.options.as_mut() {
                path.extend([tag::MESSAGE_ONEOF, i as i32, tag::oneof::OPTIONS]);
                self.strip_newer_features(path, &mut options.uninterpreted_option);
                path.truncate(n);
            }
        }
        for (i, r) in m.extension_range.iter_mut().enumerate() {
            if let Some(options) = r.options.as_mut() {
                path.extend([
                    tag::MESSAGE_EXTENSION_RANGE,
                    i as i32,
                    tag::message::EXTENSION_RANGE_OPTIONS,
                ]);
                self.strip_newer_features(path, &mut options.uninterpreted_option);
                path.truncate(n);
            }
        }
    }

    fn enumeration(&mut self, path: &[i32], e: &mut prost_types::EnumDescriptorProto) {
        let mut open = self.file.get(features::ENUM_TYPE) == Some(features::OPEN);
        if let Some(o) = e.options.as_mut() {
            if let Some(t) = features::explicit(&o.uninterpreted_option).get(features::ENUM_TYPE) {
                open = t == features::OPEN;
            }
            self.strip_newer_features(
                &[path, &[tag::ENUM_OPTIONS]].concat(),
                &mut o.uninterpreted_option,
            );
        }
        if open && e.value.first().is_some_and(|v| v.number() != 0) {
            self.problem(
                [path, &[tag::ENUM_VALUE, 0, tag::ENUM_VALUE_NUMBER]].concat(),
                format!("the first value of open enum `{}` must be zero", e.name()),
            );
        }
        for (i, v) in e.value.iter_mut().enumerate() {
            if let Some(o) = v.options.as_mut() {
                self.strip_newer_features(
                    &[path, &[tag::ENUM_VALUE, i as i32, tag::ENUM_VALUE_OPTIONS]].concat(),
                    &mut o.uninterpreted_option,
                );
            }
        }
    }

    /// `map`: a map field or a field of a map entry (its key or value may be a string; it is
    /// never delimited).
    fn field(&mut self, path: &[i32], f: &mut FieldDescriptorProto, extension: bool, map: bool) {
        let mut options = f.options.take().unwrap_or_default();
        let explicit = features::explicit(&options.uninterpreted_option);
        let at = |feature: usize| {
            let i = feature_index(&options.uninterpreted_option, feature);
            option_path(&[path, &[tag::FIELD_OPTIONS]].concat(), i)
        };
        let resolved = self.file.overlay(&explicit);
        let repeated = f.label() == Label::Repeated;
        // Named types are messages or enums: only linking tells which.
        let ty = f.r#type.map(|_| f.r#type());
        let mut problems = Vec::new();
        if explicit.get(features::FIELD_PRESENCE).is_some() {
            let why = if repeated {
                Some("repeated fields")
            } else if f.oneof_index.is_some() {
                Some("fields of a oneof")
            } else if extension {
                Some("extensions")
            } else {
                None
            };
            if let Some(why) = why {
                problems.push((
                    at(features::FIELD_PRESENCE),
                    format!("{why} cannot set `features.field_presence`"),
                ));
            }
        }
        let presence = resolved.get(features::FIELD_PRESENCE);
        let single = !repeated && f.oneof_index.is_none() && !extension;
        if single && presence == Some(features::IMPLICIT) {
            if f.default_value.is_some() {
                problems.push((
                    [path, &[tag::FIELD_DEFAULT_VALUE]].concat(),
                    format!(
                        "field `{}` has implicit presence, so it cannot have a default value",
                        f.name()
                    ),
                ));
            }
            if matches!(ty, Some(Type::Message | Type::Group)) {
                problems.push((
                    at(features::FIELD_PRESENCE),
                    "message fields cannot have implicit presence".into(),
                ));
            }
        }
        if explicit.get(features::UTF8_VALIDATION).is_some() && !map && ty != Some(Type::String) {
            problems.push((
                at(features::UTF8_VALIDATION),
                "only string fields can set `features.utf8_validation`".into(),
            ));
        }
        let packable = |t: Option<Type>| {
            !matches!(
                t,
                Some(Type::String | Type::Bytes | Type::Message | Type::Group)
            )
        };
        if explicit.get(features::REPEATED_FIELD_ENCODING).is_some() && !(repeated && packable(ty))
        {
            problems.push((
                at(features::REPEATED_FIELD_ENCODING),
                "only repeated fields of numbers, bools and enums can set `features.repeated_field_encoding`".into(),
            ));
        }
        let delimited = resolved.get(features::MESSAGE_ENCODING) == Some(features::DELIMITED);
        if explicit.get(features::MESSAGE_ENCODING).is_some() && ty.is_some() {
            problems.push((
                at(features::MESSAGE_ENCODING),
                "only message fields can set `features.message_encoding`".into(),
            ));
        }
        // The proto2 form.
        if !repeated && presence == Some(features::LEGACY_REQUIRED) && single {
            f.label = Some(Label::Required as i32);
        }
        if delimited && ty.is_none() && !map {
            f.r#type = Some(Type::Group as i32);
        }
        if repeated
            && packable(ty)
            && resolved.get(features::REPEATED_FIELD_ENCODING) == Some(features::PACKED)
        {
            options.packed = Some(true);
        }
        let options_path = [path, &[tag::FIELD_OPTIONS]].concat();
        let mut uninterpreted = std::mem::take(&mut options.uninterpreted_option);
        self.strip_newer_features(&options_path, &mut uninterpreted);
        options.uninterpreted_option = uninterpreted;
        f.options = (options != FieldOptions::default()).then_some(options);
        for (path, message) in problems {
            self.problem(path, message);
        }
    }

    /// Drops edition 2024's own `features.*` options (checked by the front end) and their
    /// locations, renumbering the locations of the options after them.
    fn strip_newer_features(
        &mut self,
        options_path: &[i32],
        options: &mut Vec<UninterpretedOption>,
    ) {
        let newer = |o: &UninterpretedOption| {
            matches!(o.name.as_slice(), [first, name] if first.name_part == "features"
                && !first.is_extension
                && features::feature(&name.name_part)
                    .is_some_and(|i| i > features::JSON_FORMAT))
        };
        let removed: Vec<i32> = (0..options.len())
            .filter(|&i| newer(&options[i]))
            .map(|i| i as i32)
            .collect();
        if removed.is_empty() {
            return;
        }
        self.source_features.push(options_path.to_vec());
        options.retain(|o| !newer(o));
        let Some(info) = self.info.as_mut() else {
            return;
        };
        let depth = options_path.len();
        info.location.retain_mut(|l| {
            if l.path.len() <= depth + 1
                || l.path[..depth] != *options_path
                || l.path[depth] != UNINTERPRETED
            {
                return true;
            }
            let index = l.path[depth + 1];
            if removed.contains(&index) {
                return false;
            }
            l.path[depth + 1] -= removed.iter().filter(|&&r| r < index).count() as i32;
            true
        });
    }
}

/// Which uninterpreted option sets `feature` (the last one, as the last setting wins).
pub(super) fn feature_index(options: &[UninterpretedOption], feature: usize) -> Option<usize> {
    options.iter().rposition(|o| {
        matches!(o.name.as_slice(), [first, name] if first.name_part == "features"
            && name.name_part == FEATURES[feature].name)
    })
}

fn option_path(options_path: &[i32], index: Option<usize>) -> Vec<i32> {
    match index {
        Some(i) => [options_path, &[UNINTERPRETED, i as i32]].concat(),
        None => options_path.to_vec(),
    }
}

fn feature_option(name: &str, value: &str) -> UninterpretedOption {
    let part = |p: &str| NamePart {
        name_part: p.to_owned(),
        is_extension: false,
    };
    UninterpretedOption {
        name: vec![part("features"), part(name)],
        identifier_value: Some(value.to_owned()),
        ..UninterpretedOption::default()
    }
}

/// What prost-build is given for a linked editions file (`proto`, its proto2 form, `file`, the
/// pool's view of it). prost generates proto2 or proto3 code, so:
/// - no singular field with implicit presence: the proto2 form, as linked;
/// - some: the proto3 form, where explicit singular fields become proto3 `optional` (with
///   protoc's synthetic oneofs) and expanded repeated fields say `packed = false`;
/// - some, and also required fields, defaults or delimited fields, which proto3 code cannot
///   have: no form fits, and each such field is a problem naming its feature.
pub fn for_prost(
    proto: &mut FileDescriptorProto,
    file: &prost_reflect::FileDescriptor,
) -> Result<(), Vec<Problem>> {
    use prost_reflect::Cardinality;
    let singular = |f: &prost_reflect::FieldDescriptor| {
        f.cardinality() != Cardinality::Repeated
            && f.containing_oneof().is_none()
            && f.kind().as_message().is_none()
    };
    let messages = all_messages(file);
    let fields: Vec<prost_reflect::FieldDescriptor> = messages
        .iter()
        .flat_map(|m| m.fields().collect::<Vec<_>>())
        .collect();
    let implicit: Vec<&prost_reflect::FieldDescriptor> = fields
        .iter()
        .filter(|f| singular(f) && !super::resolved::has_presence(f))
        .collect();
    let Some(first_implicit) = implicit.first() else {
        return Ok(());
    };
    let mut problems = Vec::new();
    for f in &fields {
        let raw = f.field_descriptor_proto();
        let feature = if f.cardinality() == Cardinality::Required {
            "`features.field_presence = LEGACY_REQUIRED`"
        } else if raw.r#type() == Type::Group {
            "`features.message_encoding = DELIMITED`"
        } else if raw.default_value.is_some() {
            "a default value"
        } else {
            continue;
        };
        problems.push(Problem {
            path: f.path().to_vec(),
            message: format!(
                "cannot generate Rust code for `{}`: field `{}` has {feature}, which only proto2 code has, while `{}` has implicit presence, which only proto3 code has",
                file.name(),
                f.full_name(),
                first_implicit.full_name()
            ),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    proto.syntax = Some("proto3".into());
    for m in &messages {
        let d = message_at(proto, m.path());
        for f in m.fields() {
            let index = f.path().last().copied().unwrap_or_default();
            let raw = &mut d.field[index as usize];
            if singular(&f) && super::resolved::has_presence(&f) {
                raw.proto3_optional = Some(true);
            }
            let packable = !matches!(
                f.kind(),
                prost_reflect::Kind::Message(_)
                    | prost_reflect::Kind::String
                    | prost_reflect::Kind::Bytes
            );
            if f.cardinality() == Cardinality::Repeated && !f.is_packed() && packable {
                raw.options.get_or_insert_with(FieldOptions::default).packed = Some(false);
            }
        }
        super::syntax::lower::synthetic_oneofs(d);
    }
    Ok(())
}

/// Every message of the file but map entries, nested ones included.
fn all_messages(file: &prost_reflect::FileDescriptor) -> Vec<prost_reflect::MessageDescriptor> {
    let mut out = Vec::new();
    let mut stack: Vec<prost_reflect::MessageDescriptor> = file.messages().collect();
    while let Some(m) = stack.pop() {
        stack.extend(m.child_messages());
        if !m.is_map_entry() {
            out.push(m);
        }
    }
    out
}

/// The message at a SourceCodeInfo path (`[4, i]`, `[4, i, 3, j]`, ...).
fn message_at<'a>(proto: &'a mut FileDescriptorProto, path: &[i32]) -> &'a mut DescriptorProto {
    let mut d = &mut proto.message_type[path[1] as usize];
    for pair in path[2..].chunks(2) {
        d = &mut d.nested_type[pair[1] as usize];
    }
    d
}
