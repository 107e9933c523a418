//! What the ledger records about the current files: every message's field numbers and every
//! enum's value numbers, with names and types.

use prost_reflect::{EnumDescriptor, FieldDescriptor, FileDescriptor, Kind, MessageDescriptor};

use crate::source::names::kind_name;

/// Every message (nested ones included, map entries left out) and enum of a file.
pub fn elements(file: &FileDescriptor) -> (Vec<MessageDescriptor>, Vec<EnumDescriptor>) {
    fn walk(m: MessageDescriptor, ms: &mut Vec<MessageDescriptor>, es: &mut Vec<EnumDescriptor>) {
        if m.is_map_entry() {
            return;
        }
        es.extend(m.child_enums());
        for n in m.child_messages() {
            walk(n, ms, es);
        }
        ms.push(m);
    }
    let mut ms = Vec::new();
    let mut es: Vec<EnumDescriptor> = file.enums().collect();
    for m in file.messages() {
        walk(m, &mut ms, &mut es);
    }
    (ms, es)
}

/// A field's type as the ledger writes it: `string`, `acme.v1.Money[]`, `map<string,int32>`.
pub fn field_type(f: &FieldDescriptor) -> String {
    if f.is_map()
        && let Kind::Message(entry) = f.kind()
    {
        let k = entry.map_entry_key_field().kind();
        let v = entry.map_entry_value_field().kind();
        return format!("map<{},{}>", kind_name(&k), kind_name(&v));
    }
    let base = kind_name(&f.kind());
    if f.is_list() {
        format!("{base}[]")
    } else {
        base
    }
}

/// Whether data written as `old` reads correctly as `new` (wire and JSON): the same type, or
/// int32/uint32, int64/uint64, fixed32/sfixed32, fixed64/sfixed64.
pub fn compatible(old: &str, new: &str) -> bool {
    fn group(t: &str) -> String {
        let (base, list) = match t.strip_suffix("[]") {
            Some(b) => (b, "[]"),
            None => (t, ""),
        };
        let g = match base {
            "int32" | "uint32" => "32",
            "int64" | "uint64" => "64",
            "fixed32" | "sfixed32" => "f32",
            "fixed64" | "sfixed64" => "f64",
            other => other,
        };
        format!("{g}{list}")
    }
    old == new || group(old) == group(new)
}

/// The names of an enum's values with a number (several with `allow_alias`), joined by `|`.
pub fn value_names(e: &EnumDescriptor, number: i32) -> String {
    let names: Vec<String> = e
        .values()
        .filter(|v| v.number() == number)
        .map(|v| v.name().to_owned())
        .collect();
    names.join("|")
}
