//! The request message of a gateway call: the JSON body (or one field of it), then the query
//! parameters, then the path variables, and the `update_mask` a PATCH implies.

use axum::body::Body;
use http_body_util::BodyExt;
use prost_reflect::{DynamicMessage, ReflectMessage};

use super::message::{self, BadInput};
use super::{CompiledRoute, Failure};

/// Builds the message a call to `route` sends, from what the HTTP request carries.
pub(super) async fn message(
    route: &CompiledRoute,
    matched: &crate::http::Match,
    query: Option<&str>,
    body: Body,
    max_body: usize,
    strict_query: bool,
) -> Result<DynamicMessage, Failure> {
    let mut message = DynamicMessage::new(route.input.clone());
    let mut body_json = None;
    if !route.route.body.is_empty() {
        let bytes = http_body_util::Limited::new(body, max_body)
            .collect()
            .await
            .map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    Failure::TooLarge
                } else {
                    Failure::BadInput(BadInput(format!("cannot read the request body: {e}")))
                }
            })?
            .to_bytes();
        let json: serde_json::Value = if bytes.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Object(Default::default())
        } else {
            serde_json::from_slice(&bytes)
                .map_err(|e| Failure::BadInput(BadInput(format!("malformed JSON body: {e}"))))?
        };
        let whole = match &route.body_field {
            None => json.clone(),
            Some(field) => {
                let mut object = serde_json::Map::new();
                object.insert(field.name().to_owned(), json.clone());
                serde_json::Value::Object(object)
            }
        };
        message = message::from_json(&route.input, whole).map_err(Failure::BadInput)?;
        body_json = Some(json);
    }
    if route.route.body != "*"
        && let Some(query) = query
    {
        message::apply_query(&mut message, query, strict_query).map_err(Failure::BadInput)?;
    }
    for (path, value) in &matched.bindings {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        message::set_path(&mut message, &path, value).map_err(|e| {
            Failure::BadInput(BadInput(format!("path variable `{}`: {e}", path.join("."))))
        })?;
    }
    if let (Some(mask), Some(field), Some(json)) =
        (&route.update_mask, &route.body_field, &body_json)
        && !message.has_field(mask)
        && let prost_reflect::Kind::Message(body_type) = field.kind()
    {
        let paths = message::field_mask_from_body(&body_type, json);
        let mut value = DynamicMessage::new(match mask.kind() {
            prost_reflect::Kind::Message(m) => m,
            _ => unreachable!("checked when the route was compiled"),
        });
        if let Some(paths_field) = value.descriptor().get_field_by_name("paths") {
            value.set_field(
                &paths_field,
                prost_reflect::Value::List(
                    paths
                        .into_iter()
                        .map(prost_reflect::Value::String)
                        .collect(),
                ),
            );
        }
        message.set_field(mask, prost_reflect::Value::Message(value));
    }
    Ok(message)
}
