//! `protoforge call ADDR describe SYMBOL`: a service, method, message, enum, field or extension
//! as proto source (text), or its descriptor proto as proto3 JSON.

use std::fmt::Write as _;

use crate::source::names::kind_name;
use prost_reflect::{
    Cardinality, DescriptorPool, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor,
    MethodDescriptor, ReflectMessage, ServiceDescriptor,
};

enum Symbol {
    Service(ServiceDescriptor),
    Method(MethodDescriptor),
    Message(MessageDescriptor),
    Enum(EnumDescriptor),
    Field(FieldDescriptor),
    Extension(prost_reflect::ExtensionDescriptor),
}

fn find(pool: &DescriptorPool, symbol: &str) -> Option<Symbol> {
    let symbol = symbol.trim_start_matches('.');
    if let Some(service) = pool.get_service_by_name(symbol) {
        return Some(Symbol::Service(service));
    }
    if let Some(message) = pool.get_message_by_name(symbol) {
        return Some(Symbol::Message(message));
    }
    if let Some(e) = pool.get_enum_by_name(symbol) {
        return Some(Symbol::Enum(e));
    }
    if let Some(extension) = pool.get_extension_by_name(symbol) {
        return Some(Symbol::Extension(extension));
    }
    let (parent, name) = super::split_method(symbol)?;
    if let Some(service) = pool.get_service_by_name(parent) {
        return service
            .methods()
            .find(|m| m.name() == name)
            .map(Symbol::Method);
    }
    pool.get_message_by_name(parent)?
        .get_field_by_name(name)
        .map(Symbol::Field)
}

/// The parent a symbol would be loaded through: a method's service, a field's message.
pub(crate) fn containing(symbol: &str) -> Option<&str> {
    super::split_method(symbol).map(|(parent, _)| parent)
}

/// `symbol` as proto source, or `None` when `pool` does not define it.
pub(crate) fn describe(pool: &DescriptorPool, symbol: &str) -> Option<String> {
    let mut out = String::new();
    match find(pool, symbol)? {
        Symbol::Service(service) => {
            let _ = writeln!(out, "service {} {{", service.full_name());
            for method in service.methods() {
                let _ = writeln!(out, "  {}", method_line(&method));
            }
            out.push_str("}\n");
        }
        Symbol::Method(method) => {
            let _ = writeln!(out, "{}", method_line(&method));
        }
        Symbol::Message(message) => message_block(&mut out, &message, 0, true),
        Symbol::Enum(e) => enum_block(&mut out, &e, 0, true),
        Symbol::Field(field) => {
            let _ = writeln!(out, "{}", field_line(&field));
        }
        Symbol::Extension(extension) => {
            let _ = writeln!(
                out,
                "extend {} {{\n  {}{} {} = {};\n}}",
                extension.containing_message().full_name(),
                label(
                    extension.cardinality(),
                    extension.is_list(),
                    extension.supports_presence(),
                    &extension.kind()
                ),
                kind_name(&extension.kind()),
                extension.name(),
                extension.number()
            );
        }
    }
    Some(out)
}

/// `symbol`'s descriptor proto in proto3 JSON.
pub(crate) fn describe_json(pool: &DescriptorPool, symbol: &str) -> Option<serde_json::Value> {
    let message = match find(pool, symbol)? {
        Symbol::Service(s) => s.service_descriptor_proto().transcode_to_dynamic(),
        Symbol::Method(m) => m.method_descriptor_proto().transcode_to_dynamic(),
        Symbol::Message(m) => m.descriptor_proto().transcode_to_dynamic(),
        Symbol::Enum(e) => e.enum_descriptor_proto().transcode_to_dynamic(),
        Symbol::Field(f) => f.field_descriptor_proto().transcode_to_dynamic(),
        Symbol::Extension(e) => e.field_descriptor_proto().transcode_to_dynamic(),
    };
    serde_json::to_value(&message).ok()
}

fn method_line(method: &MethodDescriptor) -> String {
    let stream = |yes: bool| if yes { "stream " } else { "" };
    format!(
        "rpc {}({}{}) returns ({}{});",
        method.name(),
        stream(method.is_client_streaming()),
        method.input().full_name(),
        stream(method.is_server_streaming()),
        method.output().full_name()
    )
}

fn label(cardinality: Cardinality, list: bool, presence: bool, kind: &Kind) -> &'static str {
    if list {
        "repeated "
    } else if cardinality == Cardinality::Required {
        "required "
    } else if presence && !matches!(kind, Kind::Message(_)) {
        "optional "
    } else {
        ""
    }
}

fn field_line(field: &FieldDescriptor) -> String {
    let kind = field.kind();
    let in_oneof = field.containing_oneof().is_some_and(|o| !o.is_synthetic());
    let prefix = if field.is_map() {
        let Kind::Message(entry) = &kind else {
            unreachable!("a map field's kind is its entry message")
        };
        let key = entry.map_entry_key_field().kind();
        let value = entry.map_entry_value_field().kind();
        return format!(
            "map<{}, {}> {} = {};",
            kind_name(&key),
            kind_name(&value),
            field.name(),
            field.number()
        );
    } else if in_oneof {
        ""
    } else {
        label(
            field.cardinality(),
            field.is_list(),
            field.supports_presence(),
            &kind,
        )
    };
    format!(
        "{prefix}{} {} = {};",
        kind_name(&kind),
        field.name(),
        field.number()
    )
}

fn message_block(out: &mut String, message: &MessageDescriptor, depth: usize, top: bool) {
    let pad = "  ".repeat(depth);
    let name = if top {
        message.full_name()
    } else {
        message.name()
    };
    let _ = writeln!(out, "{pad}message {name} {{");
    let mut oneofs_done = Vec::new();
    for field in message.fields() {
        match field.containing_oneof().filter(|o| !o.is_synthetic()) {
            Some(oneof) if oneofs_done.contains(&oneof.name().to_owned()) => {}
            Some(oneof) => {
                let _ = writeln!(out, "{pad}  oneof {} {{", oneof.name());
                for member in oneof.fields() {
                    let _ = writeln!(out, "{pad}    {}", field_line(&member));
                }
                let _ = writeln!(out, "{pad}  }}");
                oneofs_done.push(oneof.name().to_owned());
            }
            None => {
                let _ = writeln!(out, "{pad}  {}", field_line(&field));
            }
        }
    }
    for nested in message.child_messages().filter(|m| !m.is_map_entry()) {
        message_block(out, &nested, depth + 1, false);
    }
    for nested in message.child_enums() {
        enum_block(out, &nested, depth + 1, false);
    }
    let _ = writeln!(out, "{pad}}}");
}

fn enum_block(out: &mut String, e: &EnumDescriptor, depth: usize, top: bool) {
    let pad = "  ".repeat(depth);
    let name = if top { e.full_name() } else { e.name() };
    let _ = writeln!(out, "{pad}enum {name} {{");
    for value in e.values() {
        let _ = writeln!(out, "{pad}  {} = {};", value.name(), value.number());
    }
    let _ = writeln!(out, "{pad}}}");
}
