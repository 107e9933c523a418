//! `example` values must satisfy the field's other rules.
//!
//! buf validates a message holding each example with protovalidate and reports each violation
//! on the field. protovalidate's standard rules are CEL expressions in validate.proto; here each
//! is evaluated natively, as its CEL defines it. A field whose rules need a CEL evaluator (its
//! own `cel` rules, predefined rule extensions) is not evaluated at all: buf reports nothing for
//! its examples when one of those does not compile, which only a CEL checker can tell. The
//! well-known string formats not written here are not evaluated either: an example is reported
//! only for a rule it certainly breaks.

use std::cmp::Ordering;

use prost_reflect::{DynamicMessage, Kind, ReflectMessage, Value};

use super::field::{IGNORE_ALWAYS, IGNORE_IF_ZERO_VALUE};
use super::numeric::{Bound, bound_of, duration_problem};
use super::{At, Subject, get, list};

/// Reports each example of `type_rules` (the `FieldRules` member `type_name`, at `type_number`)
/// that breaks one of the other rules; `rules` is the whole `FieldRules`.
pub(super) fn check(
    at: &mut At,
    rules: &DynamicMessage,
    type_name: &str,
    type_number: i32,
    type_rules: &DynamicMessage,
    subject: &Subject,
) {
    let Some(Value::List(examples)) = get(type_rules, "example") else {
        return;
    };
    let has_cel = get(rules, "cel")
        .and_then(|v| v.as_list().map(|l| !l.is_empty()))
        .unwrap_or(false);
    let has_rules = has_cel
        || type_rules.extensions().next().is_some()
        || type_rules.fields().any(|(f, _)| f.name() != "example");
    if !has_rules || has_cel || type_rules.extensions().next().is_some() {
        return;
    }
    let ignore = super::ignore_of(rules);
    if ignore.as_deref() == Some(IGNORE_ALWAYS) {
        return;
    }
    let example_number = super::number(&type_rules.descriptor(), "example");
    for (i, example) in examples.iter().enumerate() {
        if ignore.as_deref() == Some(IGNORE_IF_ZERO_VALUE) && is_zero(example) {
            continue;
        }
        for broken in violations(type_name, type_rules, example, subject) {
            let path = [type_number, example_number, i as i32];
            let message = format!(
                "{} is an example value of field `{}` but breaks its rule {type_name}.{broken}",
                shown(example),
                at.field
            );
            at.add(&path, message);
        }
    }
}

fn is_zero(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::I32(v) | Value::EnumNumber(v) => *v == 0,
        Value::I64(v) => *v == 0,
        Value::U32(v) => *v == 0,
        Value::U64(v) => *v == 0,
        Value::F32(v) => *v == 0.0,
        Value::F64(v) => *v == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::Message(m) => m.fields().next().is_none(),
        _ => false,
    }
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Bytes(b) => format!("{:?}", String::from_utf8_lossy(b)),
        Value::Message(m) => match seconds_nanos(m) {
            Some((s, 0)) => format!("{s}s"),
            Some((s, n)) => format!("{s}s {n}ns"),
            None => format!("{m:?}"),
        },
        Value::EnumNumber(n) | Value::I32(n) => n.to_string(),
        other => bound_of(other).map_or_else(|| format!("{other:?}"), |b| b.to_string()),
    }
}

fn seconds_nanos(m: &DynamicMessage) -> Option<(i64, i32)> {
    let seconds = m.get_field_by_name("seconds")?.as_i64()?;
    let nanos = m.get_field_by_name("nanos")?.as_i32()?;
    Some((seconds, nanos))
}

/// The names of the rules of `rules` that `value` breaks.
fn violations(
    type_name: &str,
    rules: &DynamicMessage,
    value: &Value,
    subject: &Subject,
) -> Vec<String> {
    match type_name {
        "bool" => constant(rules, value),
        "string" => value.as_str().map_or_else(Vec::new, |s| string(rules, s)),
        "bytes" => value.as_bytes().map_or_else(Vec::new, |b| bytes(rules, b)),
        "enum" => value
            .as_i32()
            .or_else(|| value.as_enum_number())
            .map_or_else(Vec::new, |n| enumeration(rules, n, subject)),
        "duration" | "timestamp" => match value.as_message().and_then(seconds_nanos) {
            Some((s, n)) => ordered(rules, Bound::Time(s, n), type_name == "timestamp"),
            None => Vec::new(),
        },
        "field_mask" => Vec::new(),
        _ => match bound_of(value) {
            Some(v) => {
                let mut out = ordered(rules, v, false);
                if get(rules, "finite").and_then(|f| f.as_bool()) == Some(true)
                    && matches!(v, Bound::Float(f) if !f.is_finite())
                {
                    out.push("finite".to_owned());
                }
                out
            }
            None => Vec::new(),
        },
    }
}

/// `const`: the value must equal it.
fn constant(rules: &DynamicMessage, value: &Value) -> Vec<String> {
    match get(rules, "const") {
        Some(c) if &c != value => vec!["const".to_owned()],
        _ => Vec::new(),
    }
}

fn compare(a: Bound, b: Bound) -> Option<Ordering> {
    match (a, b) {
        (Bound::Int(x), Bound::Int(y)) => Some(x.cmp(&y)),
        (Bound::Float(x), Bound::Float(y)) => x.partial_cmp(&y),
        (Bound::Time(s, n), Bound::Time(t, m)) => Some((s, n).cmp(&(t, m))),
        _ => None,
    }
}

fn read_bound(value: &Value) -> Option<Bound> {
    bound_of(value).or_else(|| {
        let (s, n) = value.as_message().and_then(seconds_nanos)?;
        Some(Bound::Time(s, n))
    })
}

/// Numbers, durations and timestamps: `const`, the bounds (`lt` below `gt` meaning outside the
/// range, as protovalidate reads it), `in` and `not_in`; for timestamps also `lt_now`, `gt_now`
/// and `within`, against the time of the check.
fn ordered(rules: &DynamicMessage, value: Bound, timestamp: bool) -> Vec<String> {
    let mut out = Vec::new();
    let rule = |name: &str| get(rules, name).and_then(|v| read_bound(&v));
    if let Some(c) = rule("const")
        && compare(value, c) != Some(Ordering::Equal)
    {
        out.push("const".to_owned());
    }
    let lower = rule("gt")
        .map(|b| (b, false))
        .or(rule("gte").map(|b| (b, true)));
    let upper = rule("lt")
        .map(|b| (b, false))
        .or(rule("lte").map(|b| (b, true)));
    let above = |(b, inclusive): (Bound, bool)| match compare(value, b) {
        Some(Ordering::Greater) => true,
        Some(Ordering::Equal) => inclusive,
        _ => false,
    };
    let below = |(b, inclusive): (Bound, bool)| match compare(value, b) {
        Some(Ordering::Less) => true,
        Some(Ordering::Equal) => inclusive,
        _ => false,
    };
    let name = |bound: Option<(Bound, bool)>, strict: &str, loose: &str| match bound {
        Some((_, true)) => loose.to_owned(),
        _ => strict.to_owned(),
    };
    match (lower, upper) {
        (Some(lo), Some(hi)) => {
            let range = compare(hi.0, lo.0) == Some(Ordering::Greater);
            let ok = if range {
                above(lo) && below(hi)
            } else {
                above(lo) || below(hi)
            };
            if !ok {
                out.push(format!(
                    "{}_{}",
                    name(lower, "gt", "gte"),
                    name(upper, "lt", "lte")
                ));
            }
        }
        (Some(lo), None) if !above(lo) => out.push(name(lower, "gt", "gte")),
        (None, Some(hi)) if !below(hi) => out.push(name(upper, "lt", "lte")),
        _ => {}
    }
    let list = |name: &str| list(rules, name, read_bound);
    let within = |items: &[Bound]| {
        items
            .iter()
            .any(|b| compare(value, *b) == Some(Ordering::Equal))
    };
    let allowed = list("in");
    if !allowed.is_empty() && !within(&allowed) {
        out.push("in".to_owned());
    }
    if within(&list("not_in")) {
        out.push("not_in".to_owned());
    }
    if timestamp && let Bound::Time(s, n) = value {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let flag = |name: &str| get(rules, name).and_then(|v| v.as_bool()) == Some(true);
        if flag("lt_now") && (s, n) >= (now, 0) {
            out.push("lt_now".to_owned());
        }
        if flag("gt_now") && (s, n) <= (now, 0) {
            out.push("gt_now".to_owned());
        }
        if let Some(Bound::Time(ws, wn)) = rule("within")
            && duration_problem(ws, wn).is_none()
        {
            let distance = (i128::from(s) - i128::from(now)).abs() * 1_000_000_000 + i128::from(n);
            if distance > i128::from(ws) * 1_000_000_000 + i128::from(wn) {
                out.push("within".to_owned());
            }
        }
    }
    out
}

fn enumeration(rules: &DynamicMessage, number: i32, subject: &Subject) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = get(rules, "const").and_then(|v| v.as_i32())
        && c != number
    {
        out.push("const".to_owned());
    }
    if get(rules, "defined_only").and_then(|v| v.as_bool()) == Some(true)
        && let Kind::Enum(e) = &subject.kind
        && e.get_value(number).is_none()
    {
        out.push("defined_only".to_owned());
    }
    let list = |name: &str| list(rules, name, Value::as_i32);
    let allowed = list("in");
    if !allowed.is_empty() && !allowed.contains(&number) {
        out.push("in".to_owned());
    }
    if list("not_in").contains(&number) {
        out.push("not_in".to_owned());
    }
    out
}

fn u64_rule(rules: &DynamicMessage, name: &str) -> Option<u64> {
    get(rules, name).and_then(|v| v.as_u64())
}

fn str_rule(rules: &DynamicMessage, name: &str) -> Option<String> {
    get(rules, name).and_then(|v| v.as_str().map(str::to_owned))
}

fn string(rules: &DynamicMessage, s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |name: &str, ok: bool| {
        if !ok {
            out.push(name.to_owned());
        }
    };
    let chars = s.chars().count() as u64;
    let bytes = s.len() as u64;
    if let Some(c) = str_rule(rules, "const") {
        check("const", s == c);
    }
    if let Some(n) = u64_rule(rules, "len") {
        check("len", chars == n);
    }
    if let Some(n) = u64_rule(rules, "min_len") {
        check("min_len", chars >= n);
    }
    if let Some(n) = u64_rule(rules, "max_len") {
        check("max_len", chars <= n);
    }
    if let Some(n) = u64_rule(rules, "len_bytes") {
        check("len_bytes", bytes == n);
    }
    if let Some(n) = u64_rule(rules, "min_bytes") {
        check("min_bytes", bytes >= n);
    }
    if let Some(n) = u64_rule(rules, "max_bytes") {
        check("max_bytes", bytes <= n);
    }
    if let Some(p) = str_rule(rules, "pattern")
        && let Ok(re) = regex::Regex::new(&p)
    {
        check("pattern", re.is_match(s));
    }
    if let Some(p) = str_rule(rules, "prefix") {
        check("prefix", s.starts_with(p.as_str()));
    }
    if let Some(p) = str_rule(rules, "suffix") {
        check("suffix", s.ends_with(p.as_str()));
    }
    if let Some(p) = str_rule(rules, "contains") {
        check("contains", s.contains(p.as_str()));
    }
    if let Some(p) = str_rule(rules, "not_contains") {
        check("not_contains", !s.contains(p.as_str()));
    }
    let list = |name: &str| list(rules, name, |v| v.as_str().map(str::to_owned));
    let allowed = list("in");
    if !allowed.is_empty() {
        check("in", allowed.iter().any(|a| a == s));
    }
    check("not_in", !list("not_in").iter().any(|a| a == s));
    // The well-known formats that have a plain definition.
    let flag = |name: &str| get(rules, name).and_then(|v| v.as_bool()) == Some(true);
    let formats: [(&str, Format); 5] = [
        ("ip", |s| s.parse::<std::net::IpAddr>().is_ok()),
        ("ipv4", |s| s.parse::<std::net::Ipv4Addr>().is_ok()),
        ("ipv6", |s| s.parse::<std::net::Ipv6Addr>().is_ok()),
        ("uuid", is_uuid),
        ("tuuid", |s| {
            s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
        }),
    ];
    for (name, valid) in formats {
        if flag(name) {
            check(name, valid(s));
        }
    }
    out
}

/// A well-known string format's test.
type Format = fn(&str) -> bool;

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn bytes(rules: &DynamicMessage, b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |name: &str, ok: bool| {
        if !ok {
            out.push(name.to_owned());
        }
    };
    let rule = |name: &str| get(rules, name).and_then(|v| v.as_bytes().map(|b| b.to_vec()));
    let len = b.len() as u64;
    if let Some(c) = rule("const") {
        check("const", b == c.as_slice());
    }
    if let Some(n) = u64_rule(rules, "len") {
        check("len", len == n);
    }
    if let Some(n) = u64_rule(rules, "min_len") {
        check("min_len", len >= n);
    }
    if let Some(n) = u64_rule(rules, "max_len") {
        check("max_len", len <= n);
    }
    if let Some(p) = str_rule(rules, "pattern")
        && let Ok(re) = regex::Regex::new(&p)
    {
        check(
            "pattern",
            std::str::from_utf8(b).is_ok_and(|s| re.is_match(s)),
        );
    }
    if let Some(p) = rule("prefix") {
        check("prefix", b.starts_with(&p));
    }
    if let Some(p) = rule("suffix") {
        check("suffix", b.ends_with(&p));
    }
    if let Some(p) = rule("contains") {
        check(
            "contains",
            p.is_empty() || b.windows(p.len()).any(|w| w == p.as_slice()),
        );
    }
    let list = |name: &str| list(rules, name, |v| v.as_bytes().map(|b| b.to_vec()));
    let allowed = list("in");
    if !allowed.is_empty() {
        check("in", allowed.iter().any(|a| a == b));
    }
    check("not_in", !list("not_in").iter().any(|a| a == b));
    let flag = |name: &str| get(rules, name).and_then(|v| v.as_bool()) == Some(true);
    for (name, sizes) in [("ip", &[4, 16][..]), ("ipv4", &[4]), ("ipv6", &[16])] {
        if flag(name) {
            check(name, sizes.contains(&b.len()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_formats() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
        assert!(!is_uuid("123e4567-e89b-12d3-a456-42661417400g"));
    }
}
