//! The rules of one field (`FieldRules`): the flags, the type rules and their consistency.

use prost_reflect::{DynamicMessage, Kind, ReflectMessage, Value};

use super::{At, Subject, get, number, set_count};

/// The `type` oneof of `FieldRules`: each rules message with the field kinds (and the message
/// types, wrappers and well-known types) it applies to.
const TYPE_RULES: &[(&str, &[Kind], &[&str])] = &[
    ("float", &[Kind::Float], &["google.protobuf.FloatValue"]),
    ("double", &[Kind::Double], &["google.protobuf.DoubleValue"]),
    ("int32", &[Kind::Int32], &["google.protobuf.Int32Value"]),
    ("int64", &[Kind::Int64], &["google.protobuf.Int64Value"]),
    ("uint32", &[Kind::Uint32], &["google.protobuf.UInt32Value"]),
    ("uint64", &[Kind::Uint64], &["google.protobuf.UInt64Value"]),
    ("sint32", &[Kind::Sint32], &[]),
    ("sint64", &[Kind::Sint64], &[]),
    ("fixed32", &[Kind::Fixed32], &[]),
    ("fixed64", &[Kind::Fixed64], &[]),
    ("sfixed32", &[Kind::Sfixed32], &[]),
    ("sfixed64", &[Kind::Sfixed64], &[]),
    ("bool", &[Kind::Bool], &["google.protobuf.BoolValue"]),
    ("string", &[Kind::String], &["google.protobuf.StringValue"]),
    ("bytes", &[Kind::Bytes], &["google.protobuf.BytesValue"]),
    ("enum", &[], &[]),
    ("any", &[], &["google.protobuf.Any"]),
    ("duration", &[], &["google.protobuf.Duration"]),
    ("timestamp", &[], &["google.protobuf.Timestamp"]),
    ("field_mask", &[], &["google.protobuf.FieldMask"]),
];

/// The wrapper types (`repeated.unique` allows them besides scalars).
const WRAPPERS: &[&str] = &[
    "google.protobuf.FloatValue",
    "google.protobuf.DoubleValue",
    "google.protobuf.Int32Value",
    "google.protobuf.Int64Value",
    "google.protobuf.UInt32Value",
    "google.protobuf.UInt64Value",
    "google.protobuf.BoolValue",
    "google.protobuf.StringValue",
    "google.protobuf.BytesValue",
];

/// `Ignore` values, by name.
pub(super) const IGNORE_IF_ZERO_VALUE: &str = "IGNORE_IF_ZERO_VALUE";
pub(super) const IGNORE_ALWAYS: &str = "IGNORE_ALWAYS";

/// Checks `rules` (a `FieldRules`) for `subject`; `expect_repeated`: the subject is a repeated
/// field and these are its top-level rules (so only `repeated` or `map` rules fit).
pub(super) fn check(at: &mut At, rules: &DynamicMessage, subject: &Subject, expect_repeated: bool) {
    let desc = rules.descriptor();
    let required = number(&desc, "required");
    let ignore = number(&desc, "ignore");
    let is_required = get(rules, "required").and_then(|v| v.as_bool()) == Some(true);
    let ignore_value = super::ignore_of(rules);
    if subject.is_extension {
        if is_required {
            let message = format!(
                "field `{}` is an extension, which cannot have {}",
                at.field,
                at.name(&[required])
            );
            at.add(&[required], message);
        }
        if ignore_value.as_deref() == Some(IGNORE_IF_ZERO_VALUE) {
            let message = format!(
                "field `{}` is an extension, which cannot have {} = IGNORE_IF_ZERO_VALUE",
                at.field,
                at.name(&[ignore])
            );
            at.add(&[ignore], message);
        }
    }
    if let Some(oneof) = &subject.oneof
        && is_required
    {
        let message = format!(
            "field `{}` is in oneof `{oneof}`, so it cannot have {}: a oneof field is set only \
             when the others are not",
            at.field,
            at.name(&[required])
        );
        at.add(&[required], message);
    }
    // The flags.
    if ignore_value.as_deref() == Some(IGNORE_ALWAYS) && set_count(rules) > 1 {
        let message = format!(
            "field `{}` has {} = IGNORE_ALWAYS, so its other rules in {} never apply; remove them",
            at.field,
            at.name(&[ignore]),
            at.name(&[])
        );
        at.add(&[ignore], message);
    }
    if is_required && ignore_value.as_deref() == Some(IGNORE_IF_ZERO_VALUE) {
        let message = format!(
            "field `{}` has both {} and {} = IGNORE_IF_ZERO_VALUE: a required field cannot be empty",
            at.field,
            at.name(&[required]),
            at.name(&[ignore])
        );
        at.add_all(&[&[required], &[ignore]], message);
    }
    if ignore_value.as_deref() == Some(IGNORE_IF_ZERO_VALUE)
        && subject.has_presence
        && !subject.is_extension
    {
        let message = format!(
            "field `{}` tracks presence, so {} = IGNORE_IF_ZERO_VALUE is what it does anyway; \
             remove it",
            at.field,
            at.name(&[ignore])
        );
        at.add(&[ignore], message);
    }
    check_cel(at, rules, subject, expect_repeated);
    // The type rules: the member of the `type` oneof that is set.
    let Some((type_field, type_value)) = rules
        .fields()
        .find(|(f, _)| f.containing_oneof().is_some_and(|o| o.name() == "type"))
    else {
        return;
    };
    let type_number = type_field.number() as i32;
    let Value::Message(type_rules) = type_value else {
        return;
    };
    match type_field.name() {
        "map" => return check_map(at, type_number, type_rules, subject),
        "repeated" => return check_repeated(at, type_number, type_rules, subject),
        _ => {}
    }
    if !types_match(at, subject, type_field.name(), type_number, expect_repeated) {
        return;
    }
    super::examples::check(
        at,
        rules,
        type_field.name(),
        type_number,
        type_rules,
        subject,
    );
    match type_field.name() {
        "float" | "double" => {
            super::numeric::check_numbers(at, type_number, type_rules);
            super::numeric::check_nan(at, type_number, type_rules);
        }
        "int32" | "int64" | "uint32" | "uint64" | "sint32" | "sint64" | "fixed32" | "fixed64"
        | "sfixed32" | "sfixed64" => super::numeric::check_numbers(at, type_number, type_rules),
        "string" => check_string(at, type_number, type_rules),
        "bytes" => check_bytes(at, type_number, type_rules),
        "enum" | "any" => check_const(at, type_number, type_rules),
        "duration" => super::numeric::check_durations(at, type_number, type_rules),
        "timestamp" => super::numeric::check_timestamps(at, type_number, type_rules),
        "field_mask" => check_field_mask(at, type_number, type_rules),
        _ => {}
    }
}

/// Whether the type rules named `rules` fit the subject; reports when not.
fn types_match(
    at: &mut At,
    subject: &Subject,
    rules: &str,
    number: i32,
    expect_repeated: bool,
) -> bool {
    if expect_repeated {
        let message = format!(
            "field `{}` is repeated {}, but has {} rules (use `repeated.items` for its items)",
            at.field,
            at.pretty,
            at.name(&[number])
        );
        at.add(&[number], message);
        return false;
    }
    let (kinds, messages) = TYPE_RULES
        .iter()
        .find(|(name, _, _)| *name == rules)
        .map_or((&[][..], &[][..]), |(_, k, m)| (*k, *m));
    let fits = match &subject.kind {
        Kind::Enum(_) => rules == "enum",
        Kind::Message(m) => messages.contains(&m.full_name()),
        kind => kinds.contains(kind),
    };
    if !fits {
        let message = format!(
            "field `{}` is of type {}, but has {} rules",
            at.field,
            at.pretty,
            at.name(&[number])
        );
        at.add(&[number], message);
    }
    fits
}

fn check_map(at: &mut At, number: i32, rules: &DynamicMessage, subject: &Subject) {
    let desc = rules.descriptor();
    if !subject.is_map {
        let message = format!(
            "field `{}` is not a map, but has {} rules",
            at.field,
            at.name(&[number])
        );
        at.add(&[number], message);
        return;
    }
    min_max(
        at,
        number,
        rules,
        ("min_pairs", "max_pairs"),
        "a map has at most as many pairs as it has at least",
    );
    let Kind::Message(entry) = &subject.kind else {
        return;
    };
    let required = number_of_required(at);
    for (side, entry_field, what) in [
        ("keys", entry.map_entry_key_field(), "map keys"),
        ("values", entry.map_entry_value_field(), "map values"),
    ] {
        let Some(Value::Message(side_rules)) = get(rules, side) else {
            continue;
        };
        let prefix = [number, super::number(&desc, side)];
        let sub = Subject::of_field(&entry_field);
        at.nested(&prefix, sub.pretty.clone(), |inner| {
            if get(&side_rules, "required").and_then(|v| v.as_bool()) == Some(true) {
                let message = format!(
                    "field `{}` has {} on {what}, which cannot hold: {what} are never absent",
                    inner.field,
                    inner.name(&[required])
                );
                inner.add(&[required], message);
            }
            check(inner, &side_rules, &sub, false);
        });
    }
}

fn check_repeated(at: &mut At, number: i32, rules: &DynamicMessage, subject: &Subject) {
    let desc = rules.descriptor();
    if !subject.is_list() {
        let message = format!(
            "field `{}` is not repeated, but has {} rules",
            at.field,
            at.name(&[number])
        );
        at.add(&[number], message);
        return;
    }
    let unique = super::number(&desc, "unique");
    if get(rules, "unique").and_then(|v| v.as_bool()) == Some(true)
        && let Some(m) = subject.message()
        && !WRAPPERS.contains(&m.full_name())
    {
        let message = format!(
            "field `{}` is of type {}, but has {} = true, which only scalars and wrapper types \
             allow",
            at.field,
            at.pretty,
            at.name(&[number, unique])
        );
        at.add(&[number, unique], message);
    }
    min_max(
        at,
        number,
        rules,
        ("min_items", "max_items"),
        "no list has more items than it may have",
    );
    let Some(Value::Message(items)) = get(rules, "items") else {
        return;
    };
    let required = number_of_required(at);
    let prefix = [number, super::number(&desc, "items")];
    at.nested(&prefix, at.pretty.clone(), |inner| {
        if get(&items, "required").and_then(|v| v.as_bool()) == Some(true) {
            let message = format!(
                "field `{}` has {} on its items, which cannot hold: an item of a repeated field \
                 is never absent",
                inner.field,
                inner.name(&[required])
            );
            inner.add(&[required], message);
        }
        check(inner, &items, subject, false);
    });
}

fn number_of_required(at: &At) -> i32 {
    number(&at.rules, "required")
}

/// `min` above `max` (each of `names`, when both are set): both reported.
fn min_max(at: &mut At, number: i32, rules: &DynamicMessage, names: (&str, &str), why: &str) {
    let desc = rules.descriptor();
    let (Some(min), Some(max)) = (
        get(rules, names.0).and_then(|v| v.as_u64()),
        get(rules, names.1).and_then(|v| v.as_u64()),
    ) else {
        return;
    };
    if min <= max {
        return;
    }
    let (min_n, max_n) = (super::number(&desc, names.0), super::number(&desc, names.1));
    let (min_name, max_name) = (at.name(&[number, min_n]), at.name(&[number, max_n]));
    let message = format!(
        "field `{}` has {min_name} = {min} above {max_name} = {max}, which no value satisfies \
         ({why})",
        at.field
    );
    at.add(&[number, min_n], message.clone());
    at.add(&[number, max_n], message);
}

/// `const` with other rules beside it: they never apply.
pub(super) fn check_const(at: &mut At, number: i32, rules: &DynamicMessage) {
    if rules.has_field_by_name("const") && set_count(rules) > 1 {
        let c = super::number(&rules.descriptor(), "const");
        let message = format!(
            "field `{}` has {}, so the other rules in {} add nothing; remove them",
            at.field,
            at.name(&[number, c]),
            at.name(&[number])
        );
        at.add(&[number, c], message);
    }
}

/// `len` with `min`/`max` beside it, `min` above `max`, or equal (use `len`).
fn check_lengths(at: &mut At, number: i32, rules: &DynamicMessage, names: [&str; 3]) {
    let desc = rules.descriptor();
    let [len, min, max] = names;
    let value = |name: &str| get(rules, name).and_then(|v| v.as_u64());
    let n = |name: &str| super::number(&desc, name);
    if value(len).is_some() {
        for bound in [min, max] {
            if value(bound).is_some() {
                let message = format!(
                    "field `{}` has {}, so {} adds nothing; remove it",
                    at.field,
                    at.name(&[number, n(len)]),
                    at.name(&[number, n(bound)])
                );
                at.add(&[number, n(bound)], message);
            }
        }
    }
    let (Some(lo), Some(hi)) = (value(min), value(max)) else {
        return;
    };
    let (lo_name, hi_name) = (at.name(&[number, n(min)]), at.name(&[number, n(max)]));
    if lo > hi {
        let message = format!(
            "field `{}` has {lo_name} = {lo} above {hi_name} = {hi}, which no value satisfies",
            at.field
        );
        at.add(&[number, n(min)], message.clone());
        at.add(&[number, n(max)], message);
    } else if lo == hi {
        let message = format!(
            "field `{}` has {lo_name} equal to {hi_name}; use {}.{len} = {lo}",
            at.field,
            at.name(&[number])
        );
        at.add_all(&[&[number, n(min)], &[number, n(max)]], message);
    }
}

fn check_string(at: &mut At, number: i32, rules: &DynamicMessage) {
    check_const(at, number, rules);
    check_lengths(at, number, rules, ["len", "min_len", "max_len"]);
    check_lengths(at, number, rules, ["len_bytes", "min_bytes", "max_bytes"]);
    let desc = rules.descriptor();
    let n = |name: &str| super::number(&desc, name);
    let value = |name: &str| get(rules, name).and_then(|v| v.as_u64());
    if let (Some(min_len), Some(max_bytes)) = (value("min_len"), value("max_bytes"))
        && max_bytes < min_len
    {
        let message = format!(
            "field `{}` has {} = {min_len} above {} = {max_bytes}: {min_len} characters take at \
             least {min_len} bytes",
            at.field,
            at.name(&[number, n("min_len")]),
            at.name(&[number, n("max_bytes")])
        );
        at.add(&[number, n("min_len")], message.clone());
        at.add(&[number, n("max_bytes")], message);
    }
    if let (Some(max_len), Some(min_bytes)) = (value("max_len"), value("min_bytes"))
        && max_len.saturating_mul(4) < min_bytes
    {
        let message = format!(
            "field `{}` has {} = {min_bytes} but {} = {max_len}: {max_len} characters take at \
             most {} bytes",
            at.field,
            at.name(&[number, n("min_bytes")]),
            at.name(&[number, n("max_len")]),
            max_len.saturating_mul(4)
        );
        at.add(&[number, n("min_bytes")], message.clone());
        at.add(&[number, n("max_len")], message);
    }
    let not_contains = get(rules, "not_contains").and_then(|v| v.as_str().map(str::to_owned));
    for part in ["prefix", "suffix", "contains"] {
        let Some(text) = get(rules, part).and_then(|v| v.as_str().map(str::to_owned)) else {
            continue;
        };
        let path = [number, n(part)];
        let name = at.name(&path);
        let chars = text.chars().count() as u64;
        if let Some(max_len) = value("max_len")
            && chars > max_len
        {
            let message = format!(
                "field `{}` has a {name} of {chars} characters, more than its max_len ({max_len}): \
                 no string of at most {max_len} characters contains {text:?}",
                at.field
            );
            at.add(&path, message);
        }
        if let Some(max_bytes) = value("max_bytes")
            && text.len() as u64 > max_bytes
        {
            let message = format!(
                "field `{}` has a {name} of {} bytes, more than its max_bytes ({max_bytes}): no \
                 string of at most {max_bytes} bytes contains {text:?}",
                at.field,
                text.len()
            );
            at.add(&path, message);
        }
        if let Some(not) = &not_contains
            && text.contains(not.as_str())
        {
            let message = format!(
                "field `{}` has a {name} ({text:?}) that contains its not_contains ({not:?}): no \
                 string can have both",
                at.field
            );
            at.add(&path, message);
        }
    }
    check_pattern(at, number, rules);
    let strict = get(rules, "strict").and_then(|v| v.as_bool());
    let well_known_regex = get(rules, "well_known_regex")
        .and_then(|v| v.as_enum_number())
        .unwrap_or(0);
    if strict == Some(false) && well_known_regex == 0 {
        let message = format!(
            "field `{}` has {} without {}, which is all it applies to",
            at.field,
            at.name(&[number, n("strict")]),
            at.name(&[number, n("well_known_regex")])
        );
        at.add(&[number, n("strict")], message);
    }
}

fn check_bytes(at: &mut At, number: i32, rules: &DynamicMessage) {
    check_const(at, number, rules);
    check_lengths(at, number, rules, ["len", "min_len", "max_len"]);
    let desc = rules.descriptor();
    let max_len = get(rules, "max_len").and_then(|v| v.as_u64());
    for part in ["prefix", "suffix", "contains"] {
        let length = get(rules, part)
            .and_then(|v| v.as_bytes().map(|b| b.len()))
            .unwrap_or(0) as u64;
        if let Some(max) = max_len
            && length > max
        {
            let path = [number, super::number(&desc, part)];
            let message = format!(
                "field `{}` has a {} of {length} bytes, more than its max_len ({max}): no value of \
                 at most {max} bytes contains it",
                at.field,
                at.name(&path)
            );
            at.add(&path, message);
        }
    }
    check_pattern(at, number, rules);
}

/// A `pattern` must compile (RE2 syntax, which the `regex` crate follows).
fn check_pattern(at: &mut At, number: i32, rules: &DynamicMessage) {
    let Some(pattern) = get(rules, "pattern").and_then(|v| v.as_str().map(str::to_owned)) else {
        return;
    };
    if let Err(err) = regex::Regex::new(&pattern) {
        let path = [number, super::number(&rules.descriptor(), "pattern")];
        let reason = match err {
            regex::Error::Syntax(text) => text.lines().last().unwrap_or_default().to_owned(),
            other => other.to_string(),
        };
        let message = format!(
            "field `{}` has a {} that does not compile: {reason}",
            at.field,
            at.name(&path)
        );
        at.add(&path, message);
    }
}

fn check_field_mask(at: &mut At, number: i32, rules: &DynamicMessage) {
    check_const(at, number, rules);
    let strings = |name: &str| super::list(rules, name, |v| v.as_str().map(str::to_owned));
    let (within, without) = (strings("in"), strings("not_in"));
    let path = [number, super::number(&rules.descriptor(), "in")];
    for mask in within.iter().filter(|m| without.contains(m)) {
        let message = format!(
            "field `{}` has path {mask:?} both in `in` and in `not_in`",
            at.field
        );
        at.add(&path, message);
    }
}

/// The field's own CEL rules (`cel`, `cel_expression`): `this` is the whole value of a repeated
/// field at the top, one item below `repeated.items`, a key or value below `map`.
fn check_cel(at: &mut At, rules: &DynamicMessage, subject: &Subject, whole: bool) {
    let desc = rules.descriptor();
    let this = if whole {
        subject.cel_whole.clone()
    } else {
        subject.cel_item.clone()
    };
    let pool = desc.parent_pool().clone();
    for (name, bare, list) in super::cel::lists_of(rules) {
        let number = super::number(&desc, name);
        let env = super::cel::Env {
            variables: vec![("this", this.clone()), ("now", super::cel::Ty::Timestamp)],
            pool: &pool,
            owner: format!("field `{}`", at.field),
            option: at.name(&[number]),
        };
        super::cel::check_rules(&env, &list, bare, &mut |i, message| {
            at.add(&[number, i as i32], message);
        });
    }
}
