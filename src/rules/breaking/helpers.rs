//! Shared pieces of the breaking rules: element inventories, reservations, cardinality and type
//! compatibility groups (buf's, from the protobuf "updating a message type" rules).

use std::collections::BTreeMap;
use std::ops::Range;

use prost_reflect::{Cardinality, EnumDescriptor, FileDescriptor, Kind, MessageDescriptor};

use super::{BCx, FieldView, Side};
use crate::source::locate::path;

/// Messages of a file by full name (nested ones included, map entries left out).
pub fn messages_in(file: &FileDescriptor) -> BTreeMap<String, ()> {
    fn walk(out: &mut BTreeMap<String, ()>, m: MessageDescriptor) {
        if m.is_map_entry() {
            return;
        }
        for n in m.child_messages() {
            walk(out, n);
        }
        out.insert(m.full_name().to_owned(), ());
    }
    let mut out = BTreeMap::new();
    for m in file.messages() {
        walk(&mut out, m);
    }
    out
}

fn all_messages(file: &FileDescriptor) -> Vec<MessageDescriptor> {
    fn walk(out: &mut Vec<MessageDescriptor>, m: MessageDescriptor) {
        for n in m.child_messages() {
            walk(out, n);
        }
        out.push(m);
    }
    let mut out = Vec::new();
    for m in file.messages() {
        walk(&mut out, m);
    }
    out
}

/// Enums of a file by full name (nested ones included).
pub fn enums_in(file: &FileDescriptor) -> BTreeMap<String, ()> {
    let mut out: BTreeMap<String, ()> = file
        .enums()
        .map(|e| (e.full_name().to_owned(), ()))
        .collect();
    for m in all_messages(file) {
        for e in m.child_enums() {
            out.insert(e.full_name().to_owned(), ());
        }
    }
    out
}

/// Extensions declared in a file by full name (nested ones included).
pub fn extensions_in(file: &FileDescriptor) -> BTreeMap<String, ()> {
    let mut out: BTreeMap<String, ()> = file
        .extensions()
        .map(|e| (e.full_name().to_owned(), ()))
        .collect();
    for m in all_messages(file) {
        for e in m.child_extensions() {
            out.insert(e.full_name().to_owned(), ());
        }
    }
    out
}

/// Services of a file by full name.
pub fn services_in(file: &FileDescriptor) -> BTreeMap<String, ()> {
    file.services()
        .map(|s| (s.full_name().to_owned(), ()))
        .collect()
}

/// Where to report the deletion of `full_name` from `file`: the innermost message of `file` that
/// still encloses it, else the file itself (an empty path: line 1, as buf reports it).
pub fn enclosing_path(file: &FileDescriptor, full_name: &str) -> Vec<i32> {
    let messages = all_messages(file);
    let mut name = full_name;
    while let Some((parent, _)) = name.rsplit_once('.') {
        if let Some(m) = messages.iter().find(|m| m.full_name() == parent) {
            return super::name_of(m.path());
        }
        name = parent;
    }
    Vec::new()
}

/// proto2, proto3 or editions.
pub fn syntax_name(file: &FileDescriptor) -> &'static str {
    crate::source::resolved::syntax_name(file)
}

/// Reports a file-level value that changed.
pub fn same_file_value(
    cx: &mut BCx,
    _previous: &FileDescriptor,
    current: &FileDescriptor,
    what: &str,
    at: &[i32],
    before: String,
    now: String,
) {
    if before == now {
        return;
    }
    let at = if cx.has_location(current.name(), at) {
        at.to_vec()
    } else {
        vec![path::FILE_PACKAGE]
    };
    let show = |v: &str| {
        if v.is_empty() {
            "(unset)".to_owned()
        } else {
            format!("`{v}`")
        }
    };
    cx.in_file(current.name()).report(
        &at,
        format!(
            "{what} of `{}` changed from {} to {}",
            current.name(),
            show(&before),
            show(&now)
        ),
        Some(format!("restore the previous {what} ({})", show(&before))),
    );
}

/// PACKAGE_*_NO_DELETE: elements of a package (still present) that no file of it has any more.
pub fn package_deletions(
    cx: &mut BCx,
    previous: &Side,
    current: &Side,
    kind: &str,
    collect: fn(&FileDescriptor) -> BTreeMap<String, ()>,
) {
    let by_package = |side: &Side| {
        let mut m: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for f in &side.files {
            for name in collect(f).into_keys() {
                m.entry(f.package_name().to_owned())
                    .or_default()
                    .insert(name, f.name().to_owned());
            }
        }
        m
    };
    let (before, now) = (by_package(previous), by_package(current));
    let current_packages = current.packages();
    for (package, elements) in &before {
        if !current_packages.contains(package) {
            continue;
        }
        let empty = BTreeMap::new();
        let present = now.get(package).unwrap_or(&empty);
        for (name, old_file) in elements {
            if present.contains_key(name) {
                continue;
            }
            // Where buf reports it: in the file it was in, if that still exists, at the innermost
            // message there that encloses it (for a message, at that message in whichever file of
            // the package it lives now); else in any file of the package.
            let old = current.file(old_file);
            let moved_parent = || {
                current
                    .files
                    .iter()
                    .filter(|f| f.package_name() == package)
                    .map(|f| (f, enclosing_path(f, name)))
                    .find(|(_, at)| !at.is_empty())
            };
            let (file, at) = match old {
                Some(file) => match enclosing_path(file, name) {
                    at if at.is_empty() && kind == "message" => {
                        moved_parent().unwrap_or((file, at))
                    }
                    at => (file, at),
                },
                None => {
                    let any = current.files.iter().find(|f| f.package_name() == package);
                    let Some(file) = any else { continue };
                    (file, enclosing_path(file, name))
                }
            };
            cx.in_file(file.name()).report(
                &at,
                format!("{kind} `{name}` was deleted from package `{package}`"),
                Some(format!("restore `{name}` in any file of `{package}`")),
            );
        }
    }
}

/// Fields of `previous` whose number `current` no longer has.
pub fn deleted_fields(
    previous: &MessageDescriptor,
    current: &MessageDescriptor,
) -> Vec<prost_reflect::FieldDescriptor> {
    previous
        .fields()
        .filter(|f| current.get_field(f.number()).is_none())
        .collect()
}

/// Values of `previous` whose number `current` no longer has: (number, names).
pub fn deleted_enum_values(
    previous: &EnumDescriptor,
    current: &EnumDescriptor,
) -> Vec<(i32, Vec<String>)> {
    let mut out: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for v in previous.values() {
        if current.get_value(v.number()).is_none() {
            out.entry(v.number()).or_default().push(v.name().to_owned());
        }
    }
    out.into_iter().collect()
}

pub fn enum_number_reserved(e: &EnumDescriptor, n: i32) -> bool {
    e.reserved_ranges().any(|r| r.contains(&n))
}

pub fn enum_name_reserved(e: &EnumDescriptor, name: &str) -> bool {
    e.reserved_names().any(|r| r == name)
}

pub fn message_number_reserved(m: &MessageDescriptor, n: u32) -> bool {
    m.reserved_ranges().any(|r| r.contains(&n))
}

pub fn message_name_reserved(m: &MessageDescriptor, name: &str) -> bool {
    m.reserved_names().any(|r| r == name)
}

/// A set of numbers given as half-open ranges, merged into sorted disjoint ranges so that
/// asking whether a range is inside costs a binary search: linear in the number of ranges,
/// never in their width (`reserved 1000 to max;` in an enum spans two billion numbers).
pub struct Coverage(Vec<Range<i64>>);

impl Coverage {
    pub fn new(ranges: impl IntoIterator<Item = Range<i64>>) -> Coverage {
        let mut sorted: Vec<Range<i64>> = ranges.into_iter().filter(|r| r.start < r.end).collect();
        sorted.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<i64>> = Vec::with_capacity(sorted.len());
        for r in sorted {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Coverage(merged)
    }

    /// Whether every number of the half-open `range` is in the set.
    pub fn covers(&self, range: &Range<i64>) -> bool {
        if range.start >= range.end {
            return true;
        }
        let i = self.0.partition_point(|r| r.end <= range.start);
        self.0
            .get(i)
            .is_some_and(|r| r.start <= range.start && range.end <= r.end)
    }
}

fn message_ranges(m: &MessageDescriptor) -> Vec<Range<i64>> {
    m.reserved_ranges()
        .map(|r| r.start as i64..r.end as i64)
        .collect()
}

fn enum_ranges(e: &EnumDescriptor) -> Vec<Range<i64>> {
    e.reserved_ranges()
        .map(|r| *r.start() as i64..*r.end() as i64 + 1)
        .collect()
}

/// Reports each reservation the current `what` (`message` or `enum`) `full_name` lost
/// (RESERVED_MESSAGE_NO_DELETE, RESERVED_ENUM_NO_DELETE), each with the fix that restores
/// them all.
pub fn report_lost_reservations(cx: &mut BCx, what: &str, full_name: &str, lost: super::Reserve) {
    if lost.numbers.is_empty() && lost.names.is_empty() {
        return;
    }
    let fix = super::reserve_fix(cx, &lost);
    let items = lost
        .numbers
        .iter()
        .map(|&range| crate::diagnostic::reserve::number_range(range))
        .chain(lost.names.iter().map(|n| format!("\"{n}\"")));
    let mut reporter = cx.in_file(lost.file);
    for item in items {
        reporter.report_with_fix(
            &super::name_of(lost.decl),
            format!("{what} `{full_name}` no longer reserves {item}"),
            Some(format!("restore `reserved {item};`")),
            fix.clone(),
        );
    }
}

/// Previous reservations of a message that the current one drops: (inclusive ranges, names).
pub fn lost_message_reservations(
    previous: &MessageDescriptor,
    current: &MessageDescriptor,
) -> (Vec<(i64, i64)>, Vec<String>) {
    let now = Coverage::new(message_ranges(current));
    let numbers = message_ranges(previous)
        .into_iter()
        .filter(|r| !now.covers(r))
        .map(|r| (r.start, r.end - 1))
        .collect();
    let names = previous
        .reserved_names()
        .filter(|n| !message_name_reserved(current, n))
        .map(str::to_owned)
        .collect();
    (numbers, names)
}

/// Previous reservations of an enum that the current one drops: (inclusive ranges, names).
pub fn lost_enum_reservations(
    previous: &EnumDescriptor,
    current: &EnumDescriptor,
) -> (Vec<(i64, i64)>, Vec<String>) {
    let now = Coverage::new(enum_ranges(current));
    let numbers = enum_ranges(previous)
        .into_iter()
        .filter(|r| !now.covers(r))
        .map(|r| (r.start, r.end - 1))
        .collect();
    let names = previous
        .reserved_names()
        .filter(|n| !enum_name_reserved(current, n))
        .map(str::to_owned)
        .collect();
    (numbers, names)
}

/// buf's cardinalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    ExplicitPresence,
    ImplicitPresence,
    Required,
    Repeated,
    Map,
}

impl Card {
    pub fn describe(self) -> &'static str {
        match self {
            Card::ExplicitPresence => "optional with explicit presence",
            Card::ImplicitPresence => "optional with implicit presence",
            Card::Required => "required",
            Card::Repeated => "repeated",
            Card::Map => "map",
        }
    }
}

pub fn cardinality(f: &FieldView) -> Card {
    if f.is_map {
        Card::Map
    } else if f.is_list {
        Card::Repeated
    } else if f.cardinality == Cardinality::Required {
        Card::Required
    } else if f.has_presence {
        Card::ExplicitPresence
    } else {
        Card::ImplicitPresence
    }
}

pub fn same_cardinality(c: Card) -> u8 {
    c as u8
}

pub fn wire_cardinality(c: Card) -> u8 {
    match c {
        Card::ExplicitPresence | Card::ImplicitPresence => 1,
        Card::Required => 2,
        Card::Repeated | Card::Map => 3,
    }
}

pub fn wire_json_cardinality(c: Card) -> u8 {
    match c {
        Card::ExplicitPresence | Card::ImplicitPresence => 1,
        Card::Required => 2,
        Card::Repeated => 3,
        Card::Map => 4,
    }
}

/// Reports a field whose cardinality moved to another group of `group` (the three cardinality
/// rules differ only in which cardinalities they group together).
pub fn check_cardinality(
    cx: &mut BCx,
    previous: &FieldView,
    current: &FieldView,
    group: fn(Card) -> u8,
) {
    if previous.in_map_entry && current.in_map_entry {
        return;
    }
    let (before, now) = (cardinality(previous), cardinality(current));
    if group(before) == group(now) {
        return;
    }
    let at = label_path(cx, current);
    cx.in_file(current.file.name()).report(
        &at,
        format!(
            "{} changed cardinality from {} to {}",
            current.describe(),
            before.describe(),
            now.describe()
        ),
        Some("restore the previous cardinality, or add a new field".into()),
    );
}

/// The field's label if written, else the field.
pub fn label_path(cx: &BCx, f: &FieldView) -> Vec<i32> {
    let label = super::sub(&f.path, &[crate::source::locate::path::field::LABEL]);
    if cx.has_location(f.file.name(), &label) {
        label
    } else {
        super::name_of(&f.path)
    }
}

/// The field's type as written.
pub fn type_path(f: &FieldView) -> Vec<i32> {
    if f.map_field.is_some() {
        return super::sub(&f.path, &[path::FIELD_TYPE_NAME]);
    }
    match f.kind {
        Kind::Message(_) | Kind::Enum(_) => super::sub(&f.path, &[path::FIELD_TYPE_NAME]),
        _ => super::sub(&f.path, &[crate::source::locate::path::field::TYPE]),
    }
}

/// The same scalar kind, or the same message or enum.
/// The same kind, encoded the same way: a message field and a group (or a delimited message
/// field) of the same type differ on the wire.
pub fn same_encoded_kind(previous: &super::FieldView, current: &super::FieldView) -> bool {
    same_kind(&previous.kind, &current.kind) && previous.is_group == current.is_group
}

pub fn same_kind(a: &Kind, b: &Kind) -> bool {
    match (a, b) {
        (Kind::Message(x), Kind::Message(y)) => x.full_name() == y.full_name(),
        (Kind::Enum(x), Kind::Enum(y)) => x.full_name() == y.full_name(),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// For message and enum kinds in the same group: the same message; an enum with the same short
/// name whose values include every previous value.
pub fn same_referenced_type(previous: &Kind, current: &Kind) -> bool {
    match (previous, current) {
        (Kind::Message(x), Kind::Message(y)) => x.full_name() == y.full_name(),
        (Kind::Enum(x), Kind::Enum(y)) => {
            x.name() == y.name()
                && x.values().all(|v| {
                    y.get_value(v.number())
                        .is_some_and(|w| w.name() == v.name())
                })
        }
        _ => true,
    }
}

/// Wire compatibility groups.
pub fn wire_group(k: &Kind) -> u8 {
    match k {
        Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64 | Kind::Bool => 1,
        Kind::Sint32 | Kind::Sint64 => 2,
        Kind::String => 3,
        Kind::Bytes => 4,
        Kind::Fixed32 | Kind::Sfixed32 => 5,
        Kind::Fixed64 | Kind::Sfixed64 => 6,
        Kind::Double => 7,
        Kind::Float => 8,
        Kind::Message(m) if m.is_map_entry() => 10,
        Kind::Message(_) => 10,
        Kind::Enum(_) => 11,
    }
}

/// Wire and JSON compatibility groups.
pub fn wire_json_group(k: &Kind) -> u8 {
    match k {
        Kind::Int32 | Kind::Uint32 => 1,
        Kind::Int64 | Kind::Uint64 => 2,
        Kind::Fixed32 | Kind::Sfixed32 => 3,
        Kind::Fixed64 | Kind::Sfixed64 => 4,
        Kind::Bool => 5,
        Kind::Sint32 => 6,
        Kind::Sint64 => 7,
        Kind::String => 8,
        Kind::Bytes => 9,
        Kind::Double => 10,
        Kind::Float => 11,
        Kind::Message(_) => 13,
        Kind::Enum(_) => 14,
    }
}

#[cfg(test)]
mod tests {
    use super::Coverage;

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // one range is the point of those cases
    fn coverage_answers_for_ranges_not_numbers() {
        let max = i32::MAX as i64 + 1;
        let covered = |range: std::ops::Range<i64>, ranges: Vec<std::ops::Range<i64>>| {
            Coverage::new(ranges).covers(&range)
        };
        assert!(covered(1000..max, vec![1000..max]));
        assert!(covered(1000..max, vec![2000..max, 1000..2000]));
        assert!(covered(5..10, vec![1..7, 6..12]));
        assert!(covered(5..10, vec![8..12, 1..3, 2..8]));
        assert!(!covered(1000..max, vec![1000..max - 1]));
        assert!(!covered(1..10, vec![1..4, 5..10]));
        assert!(!covered(0..2, vec![1..4]));
        assert!(!covered(1..2, vec![]));
        assert!(covered(3..3, vec![]));
        // Thousands of one-number ranges across the whole enum space stay instant.
        let many: Vec<_> = (0..10_000).map(|i| i * 200_000..i * 200_000 + 1).collect();
        let set = Coverage::new(many.clone());
        assert!(!set.covers(&(0..max)));
        assert!(many.iter().all(|r| set.covers(r)));
    }
}
