//! The ledger check: numbers history gave to another name or an incompatible type, and retired
//! numbers that are neither used nor reserved.

use super::walk::{compatible, elements, field_type, value_names};
use super::{EntryKind, Ledger};
use crate::diagnostic::reserve::{Reserve, reserve_fix};
use crate::diagnostic::{Finding, Severity};
use crate::source::Compilation;
use crate::source::locate::{Locations, path};
use crate::source::text::SourceText;

/// The one next step for a retired number that is not reserved, in the order that works: the fix
/// reserves it, then the lock records the reservation (locking first would leave the lint
/// finding, and fixing after the lock would make the lock stale again).
pub const NEXT_STEP: &str = "protoforge check --fix && protoforge lock";

/// The rules whose findings `NEXT_STEP` resolves.
pub const NOT_RESERVED: [&str; 2] = [
    "FIELD_NUMBER_NOT_RESERVED",
    "ENUM_VALUE_NUMBER_NOT_RESERVED",
];

/// Findings for every checked file of `compilation`.
pub fn check(ledger: &Ledger, compilation: &Compilation) -> Vec<Finding> {
    let mut out = Vec::new();
    for loaded in compilation.lintable_targets() {
        let (Some(file), Some(text)) = (
            compilation.pool.get_file_by_name(&loaded.name),
            &loaded.text,
        ) else {
            continue;
        };
        let Some(locations) = loaded.locations() else {
            continue;
        };
        let mut report = |rule: &'static str, at: &[i32], message: String, help: String, fix| {
            out.push(Finding {
                rule,
                severity: Severity::Error,
                file: loaded.display().to_owned(),
                span: locations.span_or_parent(text, at),
                message,
                label: None,
                help: Some(help),
                related: Vec::new(),
                fix,
            });
        };
        let (messages, enums) = elements(&file);
        for m in &messages {
            for f in m.fields() {
                let Some(e) = ledger.get(EntryKind::Field, m.full_name(), f.number() as i64) else {
                    continue;
                };
                let ty = field_type(&f);
                if e.name == f.name() && compatible(&e.ty, &ty) {
                    continue;
                }
                let mut at = f.path().to_vec();
                at.push(path::FIELD_NUMBER);
                report(
                    "FIELD_NUMBER_REUSED",
                    &at,
                    format!(
                        "field {} `{}` ({ty}) of `{}` reuses number {}, which was `{}` ({}){}",
                        f.number(),
                        f.name(),
                        m.full_name(),
                        f.number(),
                        e.name,
                        e.ty,
                        when(e)
                    ),
                    format!(
                        "give `{}` a new number and reserve {}; if this is intended, record it with `protoforge lock --accept FIELD_NUMBER_REUSED:{}.{} --reason \"why\"`",
                        f.name(),
                        f.number(),
                        m.full_name(),
                        f.number()
                    ),
                    None,
                );
            }
            let unreserved: Vec<_> = ledger
                .of(EntryKind::Field, m.full_name())
                .filter(|e| {
                    let n = e.number as u32;
                    m.get_field(n).is_none() && !m.reserved_ranges().any(|r| r.contains(&n))
                })
                .collect();
            for e in &unreserved {
                let fix = fix_for(
                    text,
                    &locations,
                    m.path(),
                    9,
                    10,
                    unreserved.iter().map(|e| e.number).collect(),
                );
                report(
                    "FIELD_NUMBER_NOT_RESERVED",
                    &name_path(m.path()),
                    format!(
                        "number {} of `{}` was used by `{}` ({}){} and is neither used nor reserved",
                        e.number,
                        m.full_name(),
                        e.name,
                        e.ty,
                        when(e)
                    ),
                    format!(
                        "add `reserved {};` to message `{}`: `{}` adds it and records it",
                        e.number,
                        m.name(),
                        NEXT_STEP
                    ),
                    fix,
                );
            }
        }
        for en in &enums {
            for v in en.values() {
                let Some(e) = ledger.get(EntryKind::Value, en.full_name(), v.number() as i64)
                else {
                    continue;
                };
                let known: Vec<&str> = e
                    .name
                    .split('|')
                    .chain(
                        e.was
                            .iter()
                            .filter(|_| e.accepted.is_some())
                            .map(|(n, _)| n.as_str()),
                    )
                    .collect();
                if known.contains(&v.name()) {
                    continue;
                }
                let mut at = v.path().to_vec();
                at.push(path::ENUM_VALUE_NUMBER);
                report(
                    "ENUM_VALUE_NUMBER_REUSED",
                    &at,
                    format!(
                        "value {} `{}` of enum `{}` reuses number {}, which was `{}`{}",
                        v.number(),
                        v.name(),
                        en.full_name(),
                        v.number(),
                        e.name,
                        when(e)
                    ),
                    format!(
                        "give `{}` a new number and reserve {}; if this is intended, record it with `protoforge lock --accept ENUM_VALUE_NUMBER_REUSED:{}.{} --reason \"why\"`",
                        v.name(),
                        v.number(),
                        en.full_name(),
                        v.number()
                    ),
                    None,
                );
            }
            let _ = value_names;
            let unreserved: Vec<_> = ledger
                .of(EntryKind::Value, en.full_name())
                .filter(|e| {
                    let n = e.number as i32;
                    en.get_value(n).is_none() && !en.reserved_ranges().any(|r| r.contains(&n))
                })
                .collect();
            for e in &unreserved {
                let fix = fix_for(
                    text,
                    &locations,
                    en.path(),
                    4,
                    5,
                    unreserved.iter().map(|e| e.number).collect(),
                );
                report(
                    "ENUM_VALUE_NUMBER_NOT_RESERVED",
                    &name_path(en.path()),
                    format!(
                        "number {} of enum `{}` was used by `{}`{} and is neither used nor reserved",
                        e.number,
                        en.full_name(),
                        e.name,
                        when(e)
                    ),
                    format!(
                        "add `reserved {};` to enum `{}`: `{}` adds it and records it",
                        e.number,
                        en.name(),
                        NEXT_STEP
                    ),
                    fix,
                );
            }
        }
    }
    out
}

fn name_path(p: &[i32]) -> Vec<i32> {
    let mut v = p.to_vec();
    v.push(path::NAME);
    v
}

fn when(e: &super::Entry) -> String {
    match (&e.retired, e.state) {
        (Some(r), _) => format!(", retired {r}"),
        (None, super::State::Live) => ", in protoforge.lock".to_owned(),
        (None, _) => String::new(),
    }
}

fn fix_for(
    text: &SourceText,
    locations: &Locations,
    decl: &[i32],
    ranges_field: i32,
    names_field: i32,
    numbers: Vec<i64>,
) -> Option<crate::diagnostic::Fix> {
    reserve_fix(
        text,
        locations,
        &Reserve {
            decl,
            ranges_field,
            names_field,
            numbers: numbers.into_iter().map(|n| (n, n)).collect(),
            names: Vec::new(),
        },
    )
}
