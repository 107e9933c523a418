//! Rules with bounds: numbers, durations and timestamps (`const`, `lt`, `lte`, `gt`, `gte`).

use prost_reflect::{DynamicMessage, ReflectMessage, Value};

use super::{At, get};

/// A bound's value, compared as protovalidate compares it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Bound {
    Int(i128),
    Float(f64),
    /// Seconds and nanoseconds (durations and timestamps).
    Time(i64, i32),
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Int(v) => write!(f, "{v}"),
            Bound::Float(v) => write!(f, "{v}"),
            Bound::Time(s, 0) => write!(f, "{s}s"),
            Bound::Time(s, n) => write!(f, "{s}s {n}ns"),
        }
    }
}

/// A number rule's value as a bound.
pub(super) fn bound_of(value: &Value) -> Option<Bound> {
    Some(match value {
        Value::I32(v) => Bound::Int(i128::from(*v)),
        Value::I64(v) => Bound::Int(i128::from(*v)),
        Value::U32(v) => Bound::Int(i128::from(*v)),
        Value::U64(v) => Bound::Int(i128::from(*v)),
        Value::F32(v) => Bound::Float(f64::from(*v)),
        Value::F64(v) => Bound::Float(*v),
        _ => return None,
    })
}

/// `seconds` and `nanos` of a Duration or Timestamp value.
fn seconds_nanos(value: &Value) -> Option<(i64, i32)> {
    let m = value.as_message()?;
    let seconds = m.get_field_by_name("seconds")?.as_i64()?;
    let nanos = m.get_field_by_name("nanos")?.as_i32()?;
    Some((seconds, nanos))
}

/// Durations protovalidate can hold: within about ±292 years (nanoseconds in an i64, less what
/// protovalidate's own arithmetic needs), nanos below a second and of the seconds' sign.
pub(super) fn duration_problem(seconds: i64, nanos: i32) -> Option<String> {
    const LIMIT: i128 = 9_223_372_036_854_775_428;
    if nanos <= -1_000_000_000 || nanos >= 1_000_000_000 {
        return Some(format!(
            "duration ({seconds}s {nanos}ns) must have nanos in the range 0 to 999999999"
        ));
    }
    if (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0) {
        return Some(format!(
            "duration ({seconds}s {nanos}ns) has seconds and nanos with different signs"
        ));
    }
    let total = i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
    if !(-LIMIT..=LIMIT).contains(&total) {
        return Some(format!(
            "duration ({seconds}s {nanos}ns) must be in the range -9223372036.854775428s to \
             9223372036.854775428s"
        ));
    }
    None
}

/// Timestamps protobuf can hold: 0001-01-01 to 9999-12-31, nanos within a second.
fn timestamp_problem(seconds: i64, nanos: i32) -> Option<String> {
    const MIN: i64 = -62_135_596_800;
    const MAX: i64 = 253_402_300_799;
    if !(MIN..=MAX).contains(&seconds) {
        return Some(format!(
            "timestamp ({seconds}s) is outside 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
        ));
    }
    if !(0..1_000_000_000).contains(&nanos) {
        return Some(format!(
            "timestamp has nanos ({nanos}) outside 0 to 999999999"
        ));
    }
    None
}

pub(super) fn check_numbers(at: &mut At, number: i32, rules: &DynamicMessage) {
    check_bounds(at, number, rules, |v| Ok(bound_of(v)));
}

pub(super) fn check_durations(at: &mut At, number: i32, rules: &DynamicMessage) {
    check_bounds(at, number, rules, |v| {
        let Some((s, n)) = seconds_nanos(v) else {
            return Ok(None);
        };
        match duration_problem(s, n) {
            Some(problem) => Err(problem),
            None => Ok(Some(Bound::Time(s, n))),
        }
    });
}

pub(super) fn check_timestamps(at: &mut At, number: i32, rules: &DynamicMessage) {
    check_bounds(at, number, rules, |v| {
        let Some((s, n)) = seconds_nanos(v) else {
            return Ok(None);
        };
        match timestamp_problem(s, n) {
            Some(problem) => Err(problem),
            None => Ok(Some(Bound::Time(s, n))),
        }
    });
    let desc = rules.descriptor();
    let n = |name: &str| super::number(&desc, name);
    let flag = |name: &str| get(rules, name).and_then(|v| v.as_bool()) == Some(true);
    if flag("lt_now") && flag("gt_now") {
        let message = format!(
            "field `{}` has both {} and {}: no timestamp is both before and after the time of \
             validation",
            at.field,
            at.name(&[number, n("gt_now")]),
            at.name(&[number, n("lt_now")])
        );
        at.add_all(&[&[number, n("gt_now")], &[number, n("lt_now")]], message);
    }
    if let Some(within) = get(rules, "within")
        && let Some((s, ns)) = seconds_nanos(&within)
    {
        let path = [number, n("within")];
        let name = at.name(&path);
        let message = match duration_problem(s, ns) {
            Some(problem) => Some(format!(
                "field `{}` has an invalid {name}: {problem}",
                at.field
            )),
            None if s <= 0 && ns <= 0 => Some(format!(
                "field `{}` must have a positive {name} ({})",
                at.field,
                Bound::Time(s, ns)
            )),
            None => None,
        };
        if let Some(message) = message {
            at.add(&path, message);
        }
    }
}

/// `const` beside other rules; invalid bounds; equal lower and upper bounds.
fn check_bounds(
    at: &mut At,
    number: i32,
    rules: &DynamicMessage,
    read: impl Fn(&Value) -> Result<Option<Bound>, String>,
) {
    let mut constant = None;
    let mut lower: Option<(Bound, i32, bool)> = None;
    let mut upper: Option<(Bound, i32, bool)> = None;
    for (field, value) in rules.fields() {
        let field_number = field.number() as i32;
        let which = field.name();
        if !matches!(which, "const" | "lt" | "lte" | "gt" | "gte") {
            continue;
        }
        let bound = match read(value) {
            Ok(Some(bound)) => bound,
            Ok(None) => continue,
            Err(problem) => {
                let message = format!(
                    "field `{}` has an invalid {}: {problem}",
                    at.field,
                    at.name(&[number, field_number])
                );
                at.add(&[number, field_number], message);
                continue;
            }
        };
        match which {
            "const" => constant = Some(bound),
            "gt" => lower = Some((bound, field_number, false)),
            "gte" => lower = Some((bound, field_number, true)),
            "lt" => upper = Some((bound, field_number, false)),
            _ => upper = Some((bound, field_number, true)),
        }
    }
    // An invalid `const` is reported as such, not as redundant too.
    if constant.is_some() {
        super::field::check_const(at, number, rules);
    }
    // protovalidate reads lt < gt as "outside the range", so only equal bounds are wrong.
    let (Some((lo, lo_n, lo_inclusive)), Some((hi, hi_n, hi_inclusive))) = (lower, upper) else {
        return;
    };
    if lo != hi {
        return;
    }
    let (lo_name, hi_name) = (at.name(&[number, lo_n]), at.name(&[number, hi_n]));
    let message = if lo_inclusive && hi_inclusive {
        format!(
            "field `{}` has {lo_name} equal to {hi_name} ({lo}); use {}.const",
            at.field,
            at.name(&[number])
        )
    } else {
        format!(
            "field `{}` has {lo_name} equal to {hi_name} ({lo}), which no value satisfies",
            at.field
        )
    };
    at.add_all(&[&[number, lo_n], &[number, hi_n]], message);
}

/// NaN in a float or double bound: every comparison with NaN is false.
pub(super) fn check_nan(at: &mut At, number: i32, rules: &DynamicMessage) {
    let is_nan = |v: &Value| match v {
        Value::F32(f) => f.is_nan(),
        Value::F64(f) => f.is_nan(),
        _ => false,
    };
    let mut found = Vec::new();
    for (field, value) in rules.fields() {
        let field_number = field.number() as i32;
        match field.name() {
            "const" | "lt" | "lte" | "gt" | "gte" if is_nan(value) => {
                let message = format!(
                    "field `{}` has {} = nan: every comparison with NaN is false, so no value \
                     satisfies it",
                    at.field,
                    at.name(&[number, field_number])
                );
                found.push((vec![number, field_number], message));
            }
            name @ ("in" | "not_in") => {
                let effect = if name == "in" {
                    "can never match"
                } else {
                    "has no effect"
                };
                for (i, item) in value.as_list().unwrap_or_default().iter().enumerate() {
                    if is_nan(item) {
                        let message = format!(
                            "field `{}` has nan in {}: every comparison with NaN is false, so \
                             this entry {effect}",
                            at.field,
                            at.name(&[number, field_number])
                        );
                        found.push((vec![number, field_number, i as i32], message));
                    }
                }
            }
            _ => {}
        }
    }
    for (path, message) in found {
        at.add(&path, message);
    }
}
