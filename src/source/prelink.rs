//! What protoc accepts and prost-reflect's linker rejects, made linkable before linking.
//!
//! **Colliding JSON names.** protoc rejects two fields of a message with the same JSON name,
//! except where the message's JSON format is `LEGACY_BEST_EFFORT` (every proto2 message, and
//! editions files or messages that set `features.json_format` to it): there a collision that
//! involves a default JSON name is only a warning (`_descriptor` and `Descriptor` both map to
//! `Descriptor`). Two custom `json_name`s that collide stay an error. prost-reflect's linker
//! rejects every collision, so [`relax_json_names`] gives each such field a `json_name` no other
//! field of the message has (its own name, with `_` appended until it is unique) and keeps the
//! JSON name protoc gives it aside: [`Renamed`] lists them, and `Compilation::descriptor_set`
//! writes them back, so a built descriptor set says what protoc's says.
//!
//! **`inf` and `nan` option values.** protoc takes the identifiers `inf` and `nan` as values of
//! float and double options (`[(buf.validate.field).float.const = nan]`); prost-reflect reads a
//! float only from `double_value`. [`float_identifiers`] sets that too, keeping the identifier,
//! so an enum option whose value is named `inf` or `nan` still resolves.

use std::collections::HashSet;

use prost_types::{DescriptorProto, FileDescriptorProto, UninterpretedOption};

use super::syntax::features::{self, Edition};

/// `FileDescriptorProto.message_type` and `DescriptorProto.nested_type`, `.field`.
const MESSAGE_TYPE: i32 = 4;
const NESTED_TYPE: i32 = 3;
const FIELD: i32 = 2;

pub use crate::descriptor_set::Renamed;

/// protoc's default JSON name: `_` dropped, the letter after it upper-cased.
pub fn default_json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Gives each field whose JSON name collides in a LEGACY_BEST_EFFORT message a unique stand-in,
/// and says which. `proto` is the linkable form (editions files already in their proto2 form,
/// features as uninterpreted options).
pub fn relax_json_names(proto: &mut FileDescriptorProto, edition: Edition) -> Vec<Renamed> {
    let file_legacy = match edition {
        Edition::Proto2 => true,
        Edition::Proto3 => false,
        Edition::E2023 | Edition::E2024 => proto
            .options
            .as_ref()
            .and_then(|o| legacy_json(&o.uninterpreted_option))
            .unwrap_or(false),
    };
    let editions = edition.is_edition();
    let mut renamed = Vec::new();
    for (i, message) in proto.message_type.iter_mut().enumerate() {
        let path = vec![MESSAGE_TYPE, i as i32];
        relax_message(message, path, file_legacy, editions, &mut renamed);
    }
    renamed
}

/// Gives every option whose value is the identifier `inf` or `nan` the double value too.
pub fn float_identifiers(proto: &mut FileDescriptorProto) {
    let fix = |options: &mut Vec<UninterpretedOption>| {
        for o in options {
            let value = match o.identifier_value.as_deref() {
                Some("inf") => f64::INFINITY,
                Some("nan") => f64::NAN,
                _ => continue,
            };
            o.double_value = Some(value);
        }
    };
    if let Some(o) = &mut proto.options {
        fix(&mut o.uninterpreted_option);
    }
    let field_options = |fields: &mut Vec<prost_types::FieldDescriptorProto>| {
        for f in fields {
            if let Some(o) = &mut f.options {
                fix(&mut o.uninterpreted_option);
            }
        }
    };
    field_options(&mut proto.extension);
    let mut messages: Vec<&mut DescriptorProto> = proto.message_type.iter_mut().collect();
    while let Some(m) = messages.pop() {
        if let Some(o) = &mut m.options {
            fix(&mut o.uninterpreted_option);
        }
        field_options(&mut m.field);
        field_options(&mut m.extension);
        for oneof in &mut m.oneof_decl {
            if let Some(o) = &mut oneof.options {
                fix(&mut o.uninterpreted_option);
            }
        }
        for e in &mut m.enum_type {
            enum_options(e, &fix);
        }
        messages.extend(m.nested_type.iter_mut());
    }
    for e in &mut proto.enum_type {
        enum_options(e, &fix);
    }
    for service in &mut proto.service {
        if let Some(o) = &mut service.options {
            fix(&mut o.uninterpreted_option);
        }
        for method in &mut service.method {
            if let Some(o) = &mut method.options {
                fix(&mut o.uninterpreted_option);
            }
        }
    }
}

fn enum_options(
    e: &mut prost_types::EnumDescriptorProto,
    fix: &impl Fn(&mut Vec<UninterpretedOption>),
) {
    if let Some(o) = &mut e.options {
        fix(&mut o.uninterpreted_option);
    }
    for v in &mut e.value {
        if let Some(o) = &mut v.options {
            fix(&mut o.uninterpreted_option);
        }
    }
}

fn relax_message(
    message: &mut DescriptorProto,
    path: Vec<i32>,
    inherited: bool,
    editions: bool,
    renamed: &mut Vec<Renamed>,
) {
    let legacy = if editions {
        message
            .options
            .as_ref()
            .and_then(|o| legacy_json(&o.uninterpreted_option))
            .unwrap_or(inherited)
    } else {
        inherited
    };
    if legacy {
        relax_fields(message, &path, renamed);
    }
    for (i, nested) in message.nested_type.iter_mut().enumerate() {
        let nested_path = [path.as_slice(), &[NESTED_TYPE, i as i32]].concat();
        relax_message(nested, nested_path, legacy, editions, renamed);
    }
}

/// Whether options set `features.json_format`, and to LEGACY_BEST_EFFORT.
fn legacy_json(options: &[UninterpretedOption]) -> Option<bool> {
    let at = super::editions::feature_index(options, features::JSON_FORMAT)?;
    Some(options[at].identifier_value.as_deref() == Some("LEGACY_BEST_EFFORT"))
}

fn relax_fields(message: &mut DescriptorProto, path: &[i32], renamed: &mut Vec<Renamed>) {
    let json = |f: &prost_types::FieldDescriptorProto| {
        f.json_name
            .clone()
            .unwrap_or_else(|| default_json_name(f.name()))
    };
    let names: Vec<String> = message.field.iter().map(json).collect();
    let mut seen: HashSet<&str> = HashSet::with_capacity(names.len());
    // The fields to rename: a later field whose name is taken, unless its name is custom and
    // the first holder's default (then the default one yields). Two custom names stay as they
    // are: protoc rejects those too.
    let mut rename = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if seen.insert(name) {
            continue;
        }
        let first = names.iter().position(|n| n == name).expect("seen");
        // A `json_name` equal to the default counts as the default: protoc writes one for
        // every field into descriptor sets, so a set's baseline links as its source did.
        let custom = |k: usize| {
            let f = &message.field[k];
            f.json_name
                .as_deref()
                .is_some_and(|j| j != default_json_name(f.name()))
        };
        match (custom(first), custom(i)) {
            (true, true) => {}
            (false, true) if !rename.contains(&first) => rename.push(first),
            (false, true) => {}
            (_, false) => rename.push(i),
        }
    }
    if rename.is_empty() {
        return;
    }
    let mut taken: HashSet<String> = names.iter().cloned().collect();
    for i in rename {
        let field = &mut message.field[i];
        let mut stand_in = field.name().to_owned();
        while taken.contains(&stand_in) {
            stand_in.push('_');
        }
        taken.insert(stand_in.clone());
        renamed.push(Renamed {
            path: [path, &[FIELD, i as i32]].concat(),
            json_name: names[i].clone(),
        });
        field.json_name = Some(stand_in);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (FileDescriptorProto, Edition) {
        let lowered = crate::source::syntax::parse_file("a.proto", text).expect("parses");
        let mut proto = lowered.proto;
        if lowered.edition.is_edition() {
            crate::source::editions::to_linkable(&mut proto, lowered.edition);
        }
        (proto, lowered.edition)
    }

    #[test]
    fn inf_and_nan_identifiers_get_their_double_value() {
        let (mut proto, _) = parse(
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FieldOptions { optional float f = 5000; optional Kind k = 5001; }\nenum Kind { nan = 0; }\nmessage M {\n  optional int32 a = 1 [(f) = nan, (k) = nan];\n  optional int32 b = 2 [(f) = inf];\n  optional int32 c = 3 [(f) = -inf];\n}\n",
        );
        float_identifiers(&mut proto);
        let values = |i: usize| -> Vec<(Option<String>, Option<f64>)> {
            proto.message_type[0].field[i]
                .options
                .as_ref()
                .unwrap()
                .uninterpreted_option
                .iter()
                .map(|o| (o.identifier_value.clone(), o.double_value))
                .collect()
        };
        let a = values(0);
        assert!(
            a.iter()
                .all(|(id, v)| id.as_deref() == Some("nan") && v.is_some_and(f64::is_nan))
        );
        assert_eq!(values(1), [(Some("inf".to_owned()), Some(f64::INFINITY))]);
        assert_eq!(values(2), [(None, Some(f64::NEG_INFINITY))]);
    }

    #[test]
    fn default_json_names_are_protocs() {
        assert_eq!(default_json_name("foo_bar"), "fooBar");
        assert_eq!(default_json_name("_descriptor"), "Descriptor");
        assert_eq!(default_json_name("__descriptor__"), "Descriptor");
        assert_eq!(default_json_name("descriptor_"), "descriptor");
        assert_eq!(default_json_name("Foo_bar2_x"), "FooBar2X");
    }

    #[test]
    fn proto2_collisions_get_unique_stand_ins() {
        let (mut proto, edition) = parse(
            "syntax = \"proto2\";\nmessage M {\n  optional string foo_bar = 1;\n  optional string fooBar = 2;\n  optional string foo__bar = 3;\n  message N { optional string a_b = 1; optional string aB = 2; }\n}\n",
        );
        let renamed = relax_json_names(&mut proto, edition);
        let m = &proto.message_type[0];
        let got: Vec<_> = m.field.iter().map(|f| f.json_name.clone()).collect();
        // fooBar is taken by foo_bar's default: the second becomes `fooBar_`; foo__bar keeps
        // its own name, which no default name can be.
        assert_eq!(
            got,
            [
                None,
                Some("fooBar_".to_owned()),
                Some("foo__bar".to_owned())
            ]
        );
        assert_eq!(
            renamed,
            [
                Renamed {
                    path: vec![4, 0, 2, 1],
                    json_name: "fooBar".into()
                },
                Renamed {
                    path: vec![4, 0, 2, 2],
                    json_name: "fooBar".into()
                },
                Renamed {
                    path: vec![4, 0, 3, 0, 2, 1],
                    json_name: "aB".into()
                },
            ]
        );
    }

    #[test]
    fn a_custom_name_wins_over_a_default_one() {
        let (mut proto, edition) = parse(
            "syntax = \"proto2\";\nmessage M {\n  optional string foo_bar = 1;\n  optional string x = 2 [json_name = \"fooBar\"];\n}\n",
        );
        let renamed = relax_json_names(&mut proto, edition);
        assert_eq!(renamed.len(), 1);
        assert_eq!(renamed[0].path, [4, 0, 2, 0]);
        assert_eq!(
            proto.message_type[0].field[0].json_name.as_deref(),
            Some("foo_bar")
        );
    }

    #[test]
    fn proto3_custom_pairs_and_allow_are_left_for_the_linker_to_reject() {
        for text in [
            "syntax = \"proto3\";\nmessage M {\n  string foo_bar = 1;\n  string fooBar = 2;\n}\n",
            "syntax = \"proto2\";\nmessage M {\n  optional string a = 1 [json_name = \"x\"];\n  optional string b = 2 [json_name = \"x\"];\n}\n",
            "edition = \"2023\";\nmessage M {\n  string foo_bar = 1;\n  string fooBar = 2;\n}\n",
        ] {
            let (mut proto, edition) = parse(text);
            assert!(relax_json_names(&mut proto, edition).is_empty(), "{text}");
        }
    }

    #[test]
    fn editions_follow_json_format_on_the_file_or_the_message() {
        let file = "edition = \"2023\";\noption features.json_format = LEGACY_BEST_EFFORT;\nmessage M {\n  string foo_bar = 1;\n  string fooBar = 2;\n  message N {\n    option features.json_format = ALLOW;\n    string a_b = 1;\n    string aB = 2;\n  }\n}\n";
        let (mut proto, edition) = parse(file);
        let renamed = relax_json_names(&mut proto, edition);
        assert_eq!(renamed.len(), 1, "{renamed:?}");
        assert_eq!(renamed[0].path, [4, 0, 2, 1]);
        let message = "edition = \"2023\";\nmessage M {\n  option features.json_format = LEGACY_BEST_EFFORT;\n  string foo_bar = 1;\n  string fooBar = 2;\n}\n";
        let (mut proto, edition) = parse(message);
        assert_eq!(relax_json_names(&mut proto, edition).len(), 1);
    }
}
