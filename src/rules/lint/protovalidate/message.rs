//! The rules of a message (`MessageRules`): `oneof` entries name existing fields, once.

use std::collections::BTreeMap;

use prost_reflect::{DynamicMessage, MessageDescriptor, ReflectMessage, Value};

use super::{get, number};
use crate::rules::Cx;

/// `base`: the message's path, `options` and the extension's number.
pub(super) fn check(
    cx: &mut Cx,
    base: &[i32],
    message: &MessageDescriptor,
    rules: &DynamicMessage,
) {
    check_oneofs(cx, base, message, rules);
    check_cel(cx, base, message, rules);
}

/// `(buf.validate.message).cel` and `cel_expression`, with `this` the message.
fn check_cel(cx: &mut Cx, base: &[i32], message: &MessageDescriptor, rules: &DynamicMessage) {
    let pool = message.parent_pool().clone();
    for (name, bare, list) in super::cel::lists_of(rules) {
        let env = super::cel::Env {
            variables: vec![
                ("this", super::cel::Ty::Message(message.clone())),
                ("now", super::cel::Ty::Timestamp),
            ],
            pool: &pool,
            owner: format!("message `{}`", message.name()),
            option: format!("(buf.validate.message).{name}"),
        };
        let number = number(&rules.descriptor(), name);
        super::cel::check_rules(&env, &list, bare, &mut |i, text| {
            let path = [base, &[number, i as i32]].concat();
            let span = cx.option_span(&path, base.len());
            cx.report_span(span, text, None);
        });
    }
}

fn check_oneofs(cx: &mut Cx, base: &[i32], message: &MessageDescriptor, rules: &DynamicMessage) {
    let Some(Value::List(entries)) = get(rules, "oneof") else {
        return;
    };
    let oneof = number(&rules.descriptor(), "oneof");
    let option_len = base.len();
    let at = |path: &[i32]| [base, path].concat();
    let name = message.name();
    let mut entries_of: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(entry) = entry.as_message() else {
            continue;
        };
        let entry_path = [oneof, i as i32];
        let fields_number = number(&entry.descriptor(), "fields");
        let fields: Vec<String> = entry
            .get_field_by_name("fields")
            .and_then(|v| {
                v.as_list().map(|l| {
                    l.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
            })
            .unwrap_or_default();
        if fields.is_empty() {
            let span = cx.option_span(&at(&entry_path), option_len);
            cx.report_span(
                span,
                format!(
                    "message `{name}` has a (buf.validate.message).oneof entry with no fields; \
                     each entry names at least one"
                ),
                None,
            );
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for (j, field) in fields.iter().enumerate() {
            let path = at(&[oneof, i as i32, fields_number, j as i32]);
            let problem = if seen.contains(&field.as_str()) {
                Some(format!(
                    "message `{name}` has a (buf.validate.message).oneof entry that names field \
                     `{field}` more than once"
                ))
            } else if message.get_field_by_name(field).is_none() {
                Some(format!(
                    "message `{name}` has a (buf.validate.message).oneof entry that names field \
                     `{field}`, which the message does not have"
                ))
            } else {
                None
            };
            seen.push(field);
            match problem {
                Some(problem) => {
                    let span = cx.option_span(&path, option_len);
                    cx.report_span(span, problem, None);
                }
                None => entries_of.entry(field.clone()).or_default().push(i),
            }
        }
    }
    for (field, entries) in entries_of.iter().filter(|(_, e)| e.len() > 1) {
        let mut spans = Vec::new();
        for &i in entries {
            let span = cx.option_span(&at(&[oneof, i as i32]), option_len);
            if !spans.contains(&span) {
                spans.push(span);
            }
        }
        for span in spans {
            cx.report_span(
                span,
                format!(
                    "message `{name}` names field `{field}` in more than one \
                     (buf.validate.message).oneof entry; a field may be in one only"
                ),
                None,
            );
        }
    }
}
