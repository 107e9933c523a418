//! An OpenAPI 3.1 document of the HTTP/JSON gateway, from the same `google.api.http` rules and
//! auth policy the generated routes use: paths and methods, path, query and body parameters,
//! proto3 JSON schemas (64-bit integers as strings, enums by name, the well-known types in their
//! JSON forms), proto comments as descriptions, security from the auth policy, and errors in the
//! gateway's `google.rpc.Status` shape.

use std::collections::{BTreeMap, BTreeSet};

use prost_reflect::{
    DescriptorPool, EnumDescriptor, FieldDescriptor, Kind as FieldKind, MessageDescriptor,
};
use serde_json::{Map, Value, json};

use super::model::{HttpBinding, Kind, Method, Model, Service};

/// Looks up the leading comment of a descriptor, by file name and SourceCodeInfo path.
pub type Comments<'a> = dyn Fn(&str, &[i32]) -> Option<String> + 'a;

/// The component holding the gateway's error body.
const STATUS: &str = "google.rpc.Status";

/// How deep nested messages expand into dotted query parameters (`filter.kind`).
const QUERY_DEPTH: usize = 4;

/// The document for `services` (full names, in the order given) of `model`.
pub fn document(
    pool: &DescriptorPool,
    model: &Model,
    services: &[String],
    title: &str,
    comments: &Comments<'_>,
) -> Value {
    let mut doc = Document {
        pool,
        comments,
        schemas: BTreeMap::new(),
        pending: Vec::new(),
    };
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut tags = Vec::new();
    let mut secured = false;
    for service in services.iter().filter_map(|name| model.services.get(name)) {
        let Some(descriptor) = pool.get_service_by_name(&service.full_name) else {
            continue;
        };
        let mut tag = json!({ "name": descriptor.name() });
        if let Some(text) = comments(descriptor.parent_file().name(), descriptor.path()) {
            tag["description"] = json!(text);
        }
        tags.push(tag);
        for method in &service.methods {
            for (n, binding) in method.http.iter().enumerate() {
                let Some(operation) = doc.operation(service, method, binding, n) else {
                    continue;
                };
                secured |= !method.policy.public;
                paths
                    .entry(openapi_path(&binding.pattern))
                    .or_default()
                    .insert(binding.method.to_ascii_lowercase(), operation);
            }
        }
    }
    doc.schemas.insert(STATUS.to_owned(), status_schema());
    doc.drain();
    let mut components = json!({ "schemas": doc.schemas });
    if secured {
        components["securitySchemes"] = json!({
            "apiKey": {
                "type": "apiKey",
                "in": "header",
                "name": "x-api-key",
                "description": "A key from the server's key store."
            },
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "The same keys, as `Authorization: Bearer <key>`."
            }
        });
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": title, "version": version_of(services) },
        "tags": tags,
        "paths": paths,
        "components": components,
    })
}

/// The API version from the first package's version component (`shop.v1` -> `v1`).
fn version_of(services: &[String]) -> String {
    services
        .iter()
        .flat_map(|s| s.split('.'))
        .find(|part| {
            part.strip_prefix('v')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .unwrap_or("0")
        .to_owned()
}

/// `/v1/{name=shelves/*}:archive` -> `/v1/{name}:archive`.
fn openapi_path(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_variable = false;
    let mut skipping = false;
    for c in pattern.chars() {
        match c {
            '{' => {
                in_variable = true;
                out.push(c);
            }
            '=' if in_variable => skipping = true,
            '}' => {
                in_variable = false;
                skipping = false;
                out.push(c);
            }
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

/// The variables of a pattern with their sub-patterns (`name`, `shelves/*`).
fn variables(pattern: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let inner = &rest[start + 1..start + end];
        match inner.split_once('=') {
            Some((name, sub)) => out.push((name.to_owned(), Some(sub.to_owned()))),
            None => out.push((inner.to_owned(), None)),
        }
        rest = &rest[start + end + 1..];
    }
    out
}

struct Document<'a> {
    pool: &'a DescriptorPool,
    comments: &'a Comments<'a>,
    schemas: BTreeMap<String, Value>,
    /// Messages and enums referenced but not yet written.
    pending: Vec<String>,
}

impl Document<'_> {
    fn operation(
        &mut self,
        service: &Service,
        method: &Method,
        binding: &HttpBinding,
        n: usize,
    ) -> Option<Value> {
        let input = self.pool.get_message_by_name(&method.input)?;
        let output = self.pool.get_message_by_name(&method.output)?;
        let descriptor = input
            .parent_pool()
            .get_service_by_name(&service.full_name)?
            .methods()
            .find(|m| m.name() == method.name)?;
        let short = service.full_name.rsplit('.').next().unwrap_or_default();
        let mut operation = Map::new();
        let id = match n {
            0 => format!("{short}_{}", method.name),
            n => format!("{short}_{}{}", method.name, n + 1),
        };
        operation.insert("operationId".into(), json!(id));
        operation.insert("tags".into(), json!([short]));
        if let Some(text) = (self.comments)(descriptor.parent_file().name(), descriptor.path()) {
            let summary = text.lines().next().unwrap_or_default().trim().to_owned();
            operation.insert("summary".into(), json!(summary));
            operation.insert("description".into(), json!(text.trim()));
        }

        let mut parameters = Vec::new();
        let mut in_path = BTreeSet::new();
        for (name, sub) in variables(&binding.pattern) {
            let field = field_at(&input, &name);
            let mut schema = field
                .as_ref()
                .map_or(json!({"type": "string"}), |f| self.scalar_schema(f));
            let mut description = field
                .as_ref()
                .and_then(|f| self.field_comment(f))
                .unwrap_or_default();
            if let Some(sub) = &sub {
                if !description.is_empty() {
                    description.push_str("\n\n");
                }
                description.push_str(&format!("Matches `{sub}`."));
                schema = json!({"type": "string"});
            }
            let mut parameter = json!({
                "name": name,
                "in": "path",
                "required": true,
                "schema": schema,
            });
            if !description.is_empty() {
                parameter["description"] = json!(description);
            }
            parameters.push(parameter);
            in_path.insert(name);
        }
        if binding.body != "*" {
            let skip: BTreeSet<String> = in_path
                .iter()
                .cloned()
                .chain((!binding.body.is_empty()).then(|| binding.body.clone()))
                .collect();
            self.query_parameters(&input, ("", ""), &skip, 0, &mut parameters);
        }
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        let body_schema = match binding.body.as_str() {
            "" => None,
            "*" => Some(self.reference(input.full_name())),
            field => input
                .get_field_by_name(field)
                .map(|f| self.field_schema(&f)),
        };
        if let Some(schema) = body_schema {
            operation.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "content": { "application/json": { "schema": schema } },
                }),
            );
        }

        let response_schema = match output.get_field_by_name(&binding.response_body) {
            Some(field) if !binding.response_body.is_empty() => self.field_schema(&field),
            _ => self.reference(output.full_name()),
        };
        let success = if method.kind == Kind::ServerStreaming {
            json!({
                "description": "One JSON object per line: `{\"result\": ...}` per message, and `{\"error\": ...}` if the stream fails.",
                "content": { "application/x-ndjson": { "schema": {
                    "type": "object",
                    "properties": {
                        "result": response_schema,
                        "error": { "$ref": format!("#/components/schemas/{STATUS}") },
                    },
                } } },
            })
        } else {
            json!({
                "description": "OK",
                "content": { "application/json": { "schema": response_schema } },
            })
        };
        let error = json!({
            "description": "An error: the gRPC status as JSON, under grpc-gateway's HTTP status for its code.",
            "content": { "application/json": { "schema": {
                "$ref": format!("#/components/schemas/{STATUS}")
            } } },
        });
        operation.insert(
            "responses".into(),
            json!({ "200": success, "default": error }),
        );
        let security = if method.policy.public {
            json!([])
        } else {
            json!([
                { "apiKey": [] },
                { "bearer": method.policy.scopes },
            ])
        };
        operation.insert("security".into(), security);
        if !method.policy.public && !method.policy.scopes.is_empty() {
            let scopes = method.policy.scopes.join(", ");
            let note = format!("Needs scopes: {scopes}.");
            let description = match operation.get("description").and_then(Value::as_str) {
                Some(text) => format!("{text}\n\n{note}"),
                None => note,
            };
            operation.insert("description".into(), json!(description));
        }
        Some(Value::Object(operation))
    }

    /// Query parameters for the fields of `message` not in `skip`: scalars, enums and repeated
    /// scalars by name, nested messages (not well-known ones) as dotted names.
    fn query_parameters(
        &mut self,
        message: &MessageDescriptor,
        (proto_prefix, json_prefix): (&str, &str),
        skip: &BTreeSet<String>,
        depth: usize,
        out: &mut Vec<Value>,
    ) {
        for field in message.fields() {
            // The path names proto fields; the query uses JSON names, as the bodies do (the
            // gateway takes either).
            let proto_name = format!("{proto_prefix}{}", field.name());
            if skip.contains(&proto_name) || field.is_map() {
                continue;
            }
            let name = format!("{json_prefix}{}", field.json_name());
            match field.kind() {
                FieldKind::Message(inner) if well_known(&inner).is_none() => {
                    if !field.is_list() && depth < QUERY_DEPTH {
                        let prefixes = (&*format!("{proto_name}."), &*format!("{name}."));
                        self.query_parameters(&inner, prefixes, skip, depth + 1, out);
                    }
                }
                _ => {
                    let mut parameter = json!({
                        "name": name,
                        "in": "query",
                        "schema": self.field_schema(&field),
                    });
                    if field.is_list() {
                        parameter["explode"] = json!(true);
                    }
                    if let Some(text) = self.field_comment(&field) {
                        parameter["description"] = json!(text);
                    }
                    out.push(parameter);
                }
            }
        }
    }

    fn field_comment(&self, field: &FieldDescriptor) -> Option<String> {
        (self.comments)(field.parent_file().name(), field.path()).map(|t| t.trim().to_owned())
    }

    fn reference(&mut self, full_name: &str) -> Value {
        if !self.schemas.contains_key(full_name) && !self.pending.iter().any(|p| p == full_name) {
            self.pending.push(full_name.to_owned());
        }
        json!({ "$ref": format!("#/components/schemas/{full_name}") })
    }

    /// A field's schema, lists and maps included.
    fn field_schema(&mut self, field: &FieldDescriptor) -> Value {
        if field.is_map() {
            let value = match field.kind() {
                FieldKind::Message(entry) => entry.map_entry_value_field(),
                _ => return json!({"type": "object"}),
            };
            return json!({
                "type": "object",
                "additionalProperties": self.scalar_schema(&value),
            });
        }
        let item = self.scalar_schema(field);
        if field.is_list() {
            json!({ "type": "array", "items": item })
        } else {
            item
        }
    }

    /// The schema of one value of the field.
    fn scalar_schema(&mut self, field: &FieldDescriptor) -> Value {
        match field.kind() {
            FieldKind::Double => json!({"type": "number", "format": "double"}),
            FieldKind::Float => json!({"type": "number", "format": "float"}),
            FieldKind::Int32 | FieldKind::Sint32 | FieldKind::Sfixed32 => {
                json!({"type": "integer", "format": "int32"})
            }
            FieldKind::Uint32 | FieldKind::Fixed32 => {
                json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": u32::MAX})
            }
            FieldKind::Int64 | FieldKind::Sint64 | FieldKind::Sfixed64 => {
                json!({"type": "string", "format": "int64", "pattern": "^-?[0-9]+$"})
            }
            FieldKind::Uint64 | FieldKind::Fixed64 => {
                json!({"type": "string", "format": "uint64", "pattern": "^[0-9]+$"})
            }
            FieldKind::Bool => json!({"type": "boolean"}),
            FieldKind::String => json!({"type": "string"}),
            FieldKind::Bytes => json!({"type": "string", "contentEncoding": "base64"}),
            FieldKind::Enum(e) => self.reference(e.full_name()),
            FieldKind::Message(m) => match well_known(&m) {
                Some(schema) => schema,
                None => self.reference(m.full_name()),
            },
        }
    }

    /// Writes every pending schema (which may reference more).
    fn drain(&mut self) {
        while let Some(name) = self.pending.pop() {
            if self.schemas.contains_key(&name) {
                continue;
            }
            let schema = if let Some(message) = self.pool.get_message_by_name(&name) {
                self.message_schema(&message)
            } else if let Some(e) = self.pool.get_enum_by_name(&name) {
                self.enum_schema(&e)
            } else {
                json!({})
            };
            self.schemas.insert(name, schema);
        }
    }

    fn message_schema(&mut self, message: &MessageDescriptor) -> Value {
        let mut properties = Map::new();
        for field in message.fields() {
            let mut schema = self.field_schema(&field);
            if let Some(text) = self.field_comment(&field) {
                // Beside a $ref, 3.1 allows a description.
                schema["description"] = json!(text);
            }
            properties.insert(field.json_name().to_owned(), schema);
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if let Some(text) = (self.comments)(message.parent_file().name(), message.path()) {
            schema["description"] = json!(text.trim());
        }
        schema
    }

    fn enum_schema(&self, e: &EnumDescriptor) -> Value {
        let names: Vec<String> = e.values().map(|v| v.name().to_owned()).collect();
        let mut schema = json!({ "type": "string", "enum": names });
        if let Some(text) = (self.comments)(e.parent_file().name(), e.path()) {
            schema["description"] = json!(text.trim());
        }
        schema
    }
}

/// The field at a dotted path of `message`.
fn field_at(message: &MessageDescriptor, path: &str) -> Option<FieldDescriptor> {
    let mut current = message.clone();
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let field = current.get_field_by_name(part)?;
        if parts.peek().is_none() {
            return Some(field);
        }
        match field.kind() {
            FieldKind::Message(inner) => current = inner,
            _ => return None,
        }
    }
    None
}

/// The JSON form of a well-known type, or `None` for other messages.
fn well_known(message: &MessageDescriptor) -> Option<Value> {
    let wrapper = |schema: Value| Some(json!({ "oneOf": [schema, {"type": "null"}] }));
    match message.full_name() {
        "google.protobuf.Timestamp" => Some(json!({"type": "string", "format": "date-time"})),
        "google.protobuf.Duration" => Some(json!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?s$",
            "description": "Seconds with up to nine fractional digits and an `s`, such as `1.5s`.",
        })),
        "google.protobuf.FieldMask" => Some(json!({
            "type": "string",
            "description": "Comma-separated field paths, such as `name,priceCents`.",
        })),
        "google.protobuf.Empty" => Some(json!({"type": "object"})),
        "google.protobuf.Struct" => Some(json!({"type": "object", "additionalProperties": true})),
        "google.protobuf.Value" => Some(json!({})),
        "google.protobuf.ListValue" => Some(json!({"type": "array", "items": {}})),
        "google.protobuf.Any" => Some(json!({
            "type": "object",
            "properties": { "@type": {"type": "string"} },
            "required": ["@type"],
            "additionalProperties": true,
        })),
        "google.protobuf.DoubleValue" | "google.protobuf.FloatValue" => {
            wrapper(json!({"type": "number"}))
        }
        "google.protobuf.Int32Value" | "google.protobuf.UInt32Value" => {
            wrapper(json!({"type": "integer"}))
        }
        "google.protobuf.Int64Value" | "google.protobuf.UInt64Value" => {
            wrapper(json!({"type": "string", "pattern": "^-?[0-9]+$"}))
        }
        "google.protobuf.BoolValue" => wrapper(json!({"type": "boolean"})),
        "google.protobuf.StringValue" => wrapper(json!({"type": "string"})),
        "google.protobuf.BytesValue" => {
            wrapper(json!({"type": "string", "contentEncoding": "base64"}))
        }
        _ => None,
    }
}

/// The gateway's error body.
fn status_schema() -> Value {
    json!({
        "type": "object",
        "description": "The gRPC status of a failed call (google.rpc.Status in proto3 JSON).",
        "properties": {
            "code": {"type": "integer", "format": "int32", "description": "The gRPC status code."},
            "message": {"type": "string"},
            "details": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": { "@type": {"type": "string"} },
                    "additionalProperties": true,
                },
            },
        },
        "required": ["code", "message"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_their_variables() {
        assert_eq!(openapi_path("/v1/{name=shelves/*/books/*}"), "/v1/{name}");
        assert_eq!(
            openapi_path("/v1/products/{id}:archive"),
            "/v1/products/{id}:archive"
        );
        assert_eq!(
            variables("/v1/{book.name=shelves/*}/x/{id}"),
            [
                ("book.name".to_owned(), Some("shelves/*".to_owned())),
                ("id".to_owned(), None)
            ]
        );
        assert_eq!(version_of(&["shop.v1beta1.S".into()]), "v1beta1");
        assert_eq!(version_of(&["shop.S".into()]), "0");
    }
}
