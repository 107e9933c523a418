//! gRPC status -> HTTP status and the JSON error body (`google.rpc.Status` in proto3 JSON).

use base64::Engine as _;
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage};
use serde_json::{Value, json};
use tonic::Code;

/// grpc-gateway's mapping of status codes to HTTP.
pub fn http_status(code: Code) -> http::StatusCode {
    use http::StatusCode as S;
    match code {
        Code::Ok => S::OK,
        Code::Cancelled => S::from_u16(499).unwrap_or(S::BAD_REQUEST),
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => S::BAD_REQUEST,
        Code::Unauthenticated => S::UNAUTHORIZED,
        Code::PermissionDenied => S::FORBIDDEN,
        Code::NotFound => S::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => S::CONFLICT,
        Code::ResourceExhausted => S::TOO_MANY_REQUESTS,
        Code::Unimplemented => S::NOT_IMPLEMENTED,
        Code::Unavailable => S::SERVICE_UNAVAILABLE,
        Code::DeadlineExceeded => S::GATEWAY_TIMEOUT,
        Code::Unknown | Code::Internal | Code::DataLoss => S::INTERNAL_SERVER_ERROR,
    }
}

/// `{"code", "message", "details"}`; details in proto3 JSON with `@type` when the pool knows
/// their type, else `{"@type", "value": base64}`.
pub fn error_body(status: &tonic::Status, pool: &DescriptorPool) -> Value {
    let mut details = Vec::new();
    if !status.details().is_empty()
        && let Ok(decoded) = tonic_types::pb::Status::decode(status.details())
    {
        for any in decoded.details {
            details.push(any_json(&any, pool));
        }
    }
    json!({
        "code": status.code() as i32,
        "message": status.message(),
        "details": details,
    })
}

fn any_json(any: &prost_types::Any, pool: &DescriptorPool) -> Value {
    let name = any.type_url.rsplit('/').next().unwrap_or_default();
    let rendered = pool.get_message_by_name(name).and_then(|desc| {
        let message = DynamicMessage::decode(desc, any.value.as_slice()).ok()?;
        match serde_json::to_value(&message).ok()? {
            Value::Object(mut fields) => {
                let mut out = serde_json::Map::new();
                out.insert("@type".into(), Value::String(any.type_url.clone()));
                out.append(&mut fields);
                Some(Value::Object(out))
            }
            _ => None,
        }
    });
    rendered.unwrap_or_else(|| {
        json!({
            "@type": any.type_url,
            "value": base64::engine::general_purpose::STANDARD.encode(&any.value),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_grpc_gateways_http_status() {
        let table = [
            (Code::Ok, 200),
            (Code::Cancelled, 499),
            (Code::Unknown, 500),
            (Code::InvalidArgument, 400),
            (Code::DeadlineExceeded, 504),
            (Code::NotFound, 404),
            (Code::AlreadyExists, 409),
            (Code::PermissionDenied, 403),
            (Code::ResourceExhausted, 429),
            (Code::FailedPrecondition, 400),
            (Code::Aborted, 409),
            (Code::OutOfRange, 400),
            (Code::Unimplemented, 501),
            (Code::Internal, 500),
            (Code::Unavailable, 503),
            (Code::DataLoss, 500),
            (Code::Unauthenticated, 401),
        ];
        for (code, http) in table {
            assert_eq!(http_status(code).as_u16(), http, "{code:?}");
        }
    }
}
