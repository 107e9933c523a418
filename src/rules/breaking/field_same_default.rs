use prost_reflect::{Kind, Value};

use super::{BCx, BreakingRule, FieldView};
use crate::rules::declare_rule;

declare_rule! {
    /// Fields keep their default values.
    ///
    /// ## What it does
    /// Checks that a field's default value (`[default = ...]`, or the zero value where none is
    /// written) does not change. As buf compares them: strings and bytes by their bytes, numbers,
    /// bools and enums by value (so `int32` 5 to `int64` 5 is not a change), and a string-like
    /// default against a number always differs. Lists, maps and messages have no default.
    ///
    /// ## Why
    /// Readers fill absent fields with the default they were built with: two versions then disagree
    /// about the same bytes.
    ///
    /// ## Example
    /// ```proto
    /// optional int32 retries = 1 [default = 5]; // was 3
    /// ```
    ///
    /// ## Fix
    /// Restore the previous default.
    pub struct FieldSameDefault;
}

impl BreakingRule for FieldSameDefault {
    fn check_field_pair(&self, cx: &mut BCx, previous: &FieldView, current: &FieldView) {
        if current.in_map_entry || !can_have_default(previous) || !can_have_default(current) {
            return;
        }
        let (before, after) = (
            Default::of(&previous.default_value()),
            Default::of(&current.default_value()),
        );
        if (before.is_zero() && after.is_zero()) || before.same_as(&after) {
            return;
        }
        cx.in_file(current.file.name()).report(
            &super::sub(
                &current.path,
                &[crate::source::locate::path::FIELD_DEFAULT_VALUE],
            ),
            format!(
                "{} changed its default from {} to {}",
                current.describe(),
                shown(previous, &previous.default_value()),
                shown(current, &current.default_value())
            ),
            Some("restore the previous default".into()),
        );
    }
}

fn can_have_default(f: &FieldView) -> bool {
    !f.is_list && !f.is_map && !matches!(f.kind, Kind::Message(_))
}

/// A default as buf compares it.
enum Default {
    /// A string's or bytes' bytes.
    Text(Vec<u8>),
    /// A bool (0 or 1), an enum number or an integer.
    Int(i128),
    F32(f32),
    F64(f64),
}

impl Default {
    fn of(value: &Value) -> Default {
        match value {
            Value::String(s) => Default::Text(s.as_bytes().to_vec()),
            Value::Bytes(b) => Default::Text(b.to_vec()),
            Value::Bool(b) => Default::Int(i128::from(*b)),
            Value::EnumNumber(n) | Value::I32(n) => Default::Int(i128::from(*n)),
            Value::I64(n) => Default::Int(i128::from(*n)),
            Value::U32(n) => Default::Int(i128::from(*n)),
            Value::U64(n) => Default::Int(i128::from(*n)),
            Value::F32(f) => Default::F32(*f),
            Value::F64(f) => Default::F64(*f),
            // Lists, maps and messages were excluded.
            _ => Default::Int(0),
        }
    }

    /// The zero value (an empty string, 0, false, `+0.0`, the first enum number 0).
    fn is_zero(&self) -> bool {
        match self {
            Default::Text(t) => t.is_empty(),
            Default::Int(n) => *n == 0,
            Default::F32(f) => f.to_bits() == 0,
            Default::F64(f) => f.to_bits() == 0,
        }
    }

    fn same_as(&self, other: &Default) -> bool {
        use Default::*;
        match (self, other) {
            (Text(a), Text(b)) => a == b,
            (Text(_), _) | (_, Text(_)) => false,
            (Int(a), Int(b)) => a == b,
            // float and double: compared as float, so widening is no change.
            (F32(a), F64(b)) | (F64(b), F32(a)) => (a.is_nan() && b.is_nan()) || *a == *b as f32,
            (F32(a), F32(b)) => (a.is_nan() && b.is_nan()) || a == b,
            (F64(a), F64(b)) => (a.is_nan() && b.is_nan()) || a == b,
            (Int(n), F32(f)) | (F32(f), Int(n)) => int_is_float(*n, f64::from(*f)),
            (Int(n), F64(f)) | (F64(f), Int(n)) => int_is_float(*n, *f),
        }
    }
}

/// Whether integer `n` and float `f` are exactly the same number.
fn int_is_float(n: i128, f: f64) -> bool {
    f.is_finite() && f.fract() == 0.0 && f.abs() < 2f64.powi(100) && f as i128 == n
}

/// A default as a user writes it: `"abc"`, `b"\x01"`, `5`, `true`, an enum value's name.
fn shown(field: &FieldView, value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Bytes(b) => format!("b\"{}\"", b.escape_ascii()),
        Value::EnumNumber(n) => match &field.kind {
            Kind::Enum(e) => e
                .get_value(*n)
                .map_or_else(|| n.to_string(), |v| v.name().to_owned()),
            _ => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        Value::I32(n) => n.to_string(),
        Value::I64(n) => n.to_string(),
        Value::U32(n) => n.to_string(),
        Value::U64(n) => n.to_string(),
        Value::F32(f) => f.to_string(),
        Value::F64(f) => f.to_string(),
        other => format!("{other:?}"),
    }
}
