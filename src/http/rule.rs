//! Reads `google.api.http` options from descriptors (build time: lint and codegen).

use prost_reflect::{DynamicMessage, MethodDescriptor, ReflectMessage, Value};

/// The `google.api.http` extension's name and number.
pub const HTTP_OPTION: &str = "google.api.http";
pub const HTTP_OPTION_NUMBER: i32 = 72295728;

/// One binding of a method: its primary rule or one of its `additional_bindings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// `GET`, `POST`, ..., or a custom pattern's kind; empty when the rule sets no pattern.
    pub method: String,
    pub pattern: String,
    pub body: String,
    pub response_body: String,
    /// Index in `additional_bindings` (`None` for the primary rule).
    pub additional: Option<usize>,
    /// An additional binding that has additional bindings of its own (not allowed).
    pub nested_bindings: bool,
}

fn string(message: &DynamicMessage, field: &str) -> String {
    message
        .get_field_by_name(field)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn binding(rule: &DynamicMessage, additional: Option<usize>) -> Binding {
    let mut method = String::new();
    let mut pattern = String::new();
    for verb in ["get", "put", "post", "delete", "patch"] {
        if rule.has_field_by_name(verb) {
            method = verb.to_ascii_uppercase();
            pattern = string(rule, verb);
        }
    }
    if rule.has_field_by_name("custom")
        && let Some(custom) = rule.get_field_by_name("custom")
        && let Some(custom) = custom.as_message()
    {
        method = string(custom, "kind");
        pattern = string(custom, "path");
    }
    let nested_bindings = additional.is_some()
        && rule
            .get_field_by_name("additional_bindings")
            .and_then(|v| v.as_list().map(|l| !l.is_empty()))
            .unwrap_or(false);
    Binding {
        method,
        pattern,
        body: string(rule, "body"),
        response_body: string(rule, "response_body"),
        additional,
        nested_bindings,
    }
}

/// The method's bindings, primary first; empty when it has no `google.api.http` option.
pub fn bindings(method: &MethodDescriptor) -> Vec<Binding> {
    let options = method.options();
    let pool = options.descriptor().parent_pool().clone();
    let Some(extension) = pool.get_extension_by_name(HTTP_OPTION) else {
        return Vec::new();
    };
    if !options.has_extension(&extension) {
        return Vec::new();
    }
    let value = options.get_extension(&extension);
    let Value::Message(rule) = value.as_ref() else {
        return Vec::new();
    };
    let mut out = vec![binding(rule, None)];
    if let Some(list) = rule
        .get_field_by_name("additional_bindings")
        .and_then(|v| v.as_list().map(<[Value]>::to_vec))
    {
        for (i, extra) in list.iter().enumerate() {
            if let Some(extra) = extra.as_message() {
                out.push(binding(extra, Some(i)));
            }
        }
    }
    out
}
