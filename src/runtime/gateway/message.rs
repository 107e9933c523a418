//! Builds a request message from an HTTP request: the JSON body (proto3 JSON, through
//! prost-reflect), path variables and query parameters.

use base64::Engine as _;
use prost_reflect::{
    DeserializeOptions, DynamicMessage, FieldDescriptor, Kind, MessageDescriptor, ReflectMessage,
    Value,
};

/// A problem with the request's content: a 400 whose message names the field.
#[derive(Debug)]
pub struct BadInput(pub String);

/// A field by its proto name or its JSON name.
pub fn find_field(message: &MessageDescriptor, name: &str) -> Option<FieldDescriptor> {
    message
        .get_field_by_name(name)
        .or_else(|| message.get_field_by_json_name(name))
}

/// Deserializes `json` (already parsed) into `desc`, naming the field at fault on error.
pub fn from_json(
    desc: &MessageDescriptor,
    json: serde_json::Value,
) -> Result<DynamicMessage, BadInput> {
    let mut track = serde_path_to_error::Track::new();
    let options = DeserializeOptions::new().deny_unknown_fields(true);
    let deserializer = serde_path_to_error::Deserializer::new(json, &mut track);
    DynamicMessage::deserialize_with_options(desc.clone(), deserializer, &options).map_err(|e| {
        let path = track.path().to_string();
        if path.is_empty() || path == "." {
            BadInput(format!("invalid JSON for `{}`: {e}", desc.full_name()))
        } else {
            BadInput(format!("invalid value for field `{path}`: {e}"))
        }
    })
}

fn is_wrapper(desc: &MessageDescriptor) -> bool {
    matches!(
        desc.full_name(),
        "google.protobuf.DoubleValue"
            | "google.protobuf.FloatValue"
            | "google.protobuf.Int64Value"
            | "google.protobuf.UInt64Value"
            | "google.protobuf.Int32Value"
            | "google.protobuf.UInt32Value"
            | "google.protobuf.BoolValue"
            | "google.protobuf.StringValue"
            | "google.protobuf.BytesValue"
    )
}

/// Parses one path or query value for `field` (repeated fields take one element).
pub fn parse_value(field: &FieldDescriptor, text: &str) -> Result<Value, String> {
    let bad = |what: &str| format!("`{text}` is not {what}");
    Ok(match field.kind() {
        Kind::String => Value::String(text.to_owned()),
        Kind::Bytes => {
            let engine = &base64::engine::general_purpose::STANDARD;
            let url = &base64::engine::general_purpose::URL_SAFE;
            let decoded = engine
                .decode(text)
                .or_else(|_| url.decode(text))
                .map_err(|_| bad("base64"))?;
            Value::Bytes(decoded.into())
        }
        Kind::Bool => match text {
            "true" | "True" | "TRUE" | "t" | "T" | "1" => Value::Bool(true),
            "false" | "False" | "FALSE" | "f" | "F" | "0" => Value::Bool(false),
            _ => return Err(bad("a boolean")),
        },
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => {
            Value::I32(text.parse().map_err(|_| bad("a 32-bit integer"))?)
        }
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
            Value::I64(text.parse().map_err(|_| bad("a 64-bit integer"))?)
        }
        Kind::Uint32 | Kind::Fixed32 => Value::U32(
            text.parse()
                .map_err(|_| bad("an unsigned 32-bit integer"))?,
        ),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(
            text.parse()
                .map_err(|_| bad("an unsigned 64-bit integer"))?,
        ),
        Kind::Float => Value::F32(text.parse().map_err(|_| bad("a number"))?),
        Kind::Double => Value::F64(text.parse().map_err(|_| bad("a number"))?),
        Kind::Enum(e) => match e.get_value_by_name(text) {
            Some(v) => Value::EnumNumber(v.number()),
            None => {
                let n: i32 = text.parse().map_err(|_| {
                    let names: Vec<_> = e.values().map(|v| v.name().to_owned()).collect();
                    format!(
                        "`{text}` is not a value of `{}` ({})",
                        e.full_name(),
                        names.join(", ")
                    )
                })?;
                Value::EnumNumber(n)
            }
        },
        Kind::Message(m) if is_wrapper(&m) => {
            let inner = m.get_field_by_name("value").ok_or_else(|| bad("a value"))?;
            let mut message = DynamicMessage::new(m);
            message.set_field(&inner, parse_value(&inner, text)?);
            Value::Message(message)
        }
        Kind::Message(m) if m.full_name() == "google.protobuf.FieldMask" => {
            Value::Message(field_mask(m, text)?)
        }
        Kind::Message(m)
            if matches!(
                m.full_name(),
                "google.protobuf.Timestamp" | "google.protobuf.Duration"
            ) =>
        {
            let json = serde_json::Value::String(text.to_owned());
            let message = DynamicMessage::deserialize(m.clone(), json)
                .map_err(|e| format!("`{text}` is not a valid {}: {e}", m.name()))?;
            Value::Message(message)
        }
        Kind::Message(m) => {
            return Err(format!(
                "a `{}` cannot be given as a single value; set its fields (`{}.<field>`)",
                m.full_name(),
                field.name()
            ));
        }
    })
}

/// Sets the field at `path` (names or JSON names, through singular messages) from `text`.
/// Repeated fields collect every value given.
pub fn set_path(message: &mut DynamicMessage, path: &[&str], text: &str) -> Result<(), String> {
    let desc = message.descriptor();
    let Some((first, rest)) = path.split_first() else {
        return Err("empty field path".to_owned());
    };
    let field = find_field(&desc, first)
        .ok_or_else(|| format!("`{}` has no field `{first}`", desc.full_name()))?;
    if !rest.is_empty() {
        if field.is_list() || field.is_map() {
            return Err(format!(
                "field `{}` is repeated; it has no sub-fields to set",
                field.name()
            ));
        }
        return match message.get_field_mut(&field) {
            Value::Message(inner) => set_path(inner, rest, text),
            _ => Err(format!("field `{}` is not a message", field.name())),
        };
    }
    if field.is_map() {
        return Err(format!(
            "map field `{}` cannot be set from a parameter",
            field.name()
        ));
    }
    let value = parse_value(&field, text).map_err(|e| format!("field `{}`: {e}", field.name()))?;
    if field.is_list() {
        if let Value::List(list) = message.get_field_mut(&field) {
            list.push(value);
        }
    } else {
        message.set_field(&field, value);
    }
    Ok(())
}

/// Fills fields from a query string (`tag=a&tag=b&filter.kind=x`). A parameter that names no
/// field is ignored, as grpc-gateway ignores it, unless `strict`; a value that does not fit its
/// field is an error either way.
pub fn apply_query(
    message: &mut DynamicMessage,
    query: &str,
    strict: bool,
) -> Result<(), BadInput> {
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let path: Vec<&str> = key.split('.').collect();
        if !strict && !names_a_field(&message.descriptor(), &path) {
            continue;
        }
        set_path(message, &path, &value)
            .map_err(|e| BadInput(format!("query parameter `{key}`: {e}")))?;
    }
    Ok(())
}

/// Whether `path` names a field, through singular or repeated messages.
fn names_a_field(desc: &MessageDescriptor, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    match (find_field(desc, first), rest.is_empty()) {
        (None, _) => false,
        (Some(_), true) => true,
        (Some(field), false) => match field.kind() {
            Kind::Message(inner) => names_a_field(&inner, rest),
            _ => false,
        },
    }
}

/// A `google.protobuf.FieldMask` from its text: comma-separated paths in either form, JSON's
/// (`priceCents`, `product.createTime`) or the proto names grpc-gateway passes through
/// (`price_cents`). Paths are stored in proto form, as the FieldMask's JSON mapping requires.
fn field_mask(desc: MessageDescriptor, text: &str) -> Result<DynamicMessage, String> {
    let paths_field = desc
        .get_field_by_name("paths")
        .ok_or("google.protobuf.FieldMask has no `paths`")?;
    let mut paths = Vec::new();
    for path in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut snake = String::with_capacity(path.len() + 4);
        for c in path.chars() {
            if c.is_ascii_uppercase() {
                snake.push('_');
                snake.push(c.to_ascii_lowercase());
            } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                snake.push(c);
            } else {
                return Err(format!("`{path}` is not a field path"));
            }
        }
        paths.push(Value::String(snake));
    }
    let mut mask = DynamicMessage::new(desc);
    mask.set_field(&paths_field, Value::List(paths));
    Ok(mask)
}

/// The update mask grpc-gateway derives for PATCH requests that send none: the paths of the
/// fields present in the JSON body (nested through singular messages that are not well-known
/// types).
pub fn field_mask_from_body(desc: &MessageDescriptor, body: &serde_json::Value) -> Vec<String> {
    let mut paths = Vec::new();
    collect_paths(desc, body, "", &mut paths);
    paths
}

fn collect_paths(
    desc: &MessageDescriptor,
    body: &serde_json::Value,
    prefix: &str,
    out: &mut Vec<String>,
) {
    let serde_json::Value::Object(fields) = body else {
        return;
    };
    for (key, value) in fields {
        let Some(field) = find_field(desc, key) else {
            continue;
        };
        let path = format!("{prefix}{}", field.name());
        match field.kind() {
            Kind::Message(inner)
                if !field.is_list()
                    && !field.is_map()
                    && !inner.full_name().starts_with("google.protobuf.")
                    && value.is_object() =>
            {
                collect_paths(&inner, value, &format!("{path}."), out);
            }
            _ => out.push(path),
        }
    }
}
