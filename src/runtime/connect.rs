//! The Connect protocol (connectrpc.com/docs/protocol) for every kind of method, in protobuf
//! and JSON, on the gRPC port: what `@connectrpc/connect-web` and `buf curl
//! --protocol connect` speak. Each call takes the in-process gRPC hop, so auth, deadlines,
//! limits, error mapping and logs are the gRPC path's.
//!
//! No Rust crate serves Connect in front of tonic services (the `connectrpc` crate brings its
//! own code generator and message types), so this follows the specification:
//! - unary: `POST /pkg.Service/Method`, `Content-Type: application/proto` or `application/json`,
//!   the message as the body; an error is a JSON body `{"code", "message", "details"}` under the
//!   HTTP status of its code; trailers come back as `trailer-*` headers;
//! - streams (server, client and bidirectional): `application/connect+proto` or `+json`,
//!   messages in envelopes (a flags byte and a 32-bit length) both ways, the last response
//!   envelope (flags 2) a JSON end-of-stream message with the error, if any, and the trailers.
//!   Protobuf envelopes are gRPC frames already and pass through; JSON ones are converted one by
//!   one as they arrive;
//! - `Connect-Timeout-Ms` is the deadline; other headers are metadata.
//!
//! Not served: GET requests and compressed Connect bodies (answered `unimplemented`, naming
//! `identity`).

use std::collections::HashMap;

use axum::body::Body;
use base64::Engine as _;
use bytes::{BufMut, Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};
use serde_json::{Value, json};
use tonic::Code;

use super::call;
use super::gateway::{from_json, http_status};
use super::hop::{self, Frames};

/// A method Connect can call.
struct Callable {
    input: MessageDescriptor,
    output: MessageDescriptor,
    streaming: bool,
}

/// How messages are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    Proto,
    Json,
}

/// Serves the Connect protocol for the unary and server-streaming methods of some services.
pub(crate) struct Connect {
    grpc: axum::Router,
    methods: HashMap<String, Callable>,
    max_body: usize,
}

impl Connect {
    /// Connect for the methods of `services` found in `pool`.
    pub(crate) fn new(
        grpc: axum::Router,
        pool: &DescriptorPool,
        services: &[&str],
        max_body: usize,
    ) -> Connect {
        let mut methods = HashMap::new();
        let built_in = super::reflection::BUILT_IN_SERVICES.iter();
        let served = services.iter().chain(built_in);
        for service in served.filter_map(|s| pool.get_service_by_name(s)) {
            for method in service.methods() {
                methods.insert(
                    format!("/{}/{}", service.full_name(), method.name()),
                    Callable {
                        input: method.input(),
                        output: method.output(),
                        streaming: method.is_server_streaming() || method.is_client_streaming(),
                    },
                );
            }
        }
        Connect {
            grpc,
            methods,
            max_body,
        }
    }

    /// Whether `request` is a Connect call: a POST to a method this serves, with Connect's
    /// header or a content type only Connect uses. A JSON POST without the header may be the
    /// gateway's (`default_http_bindings` routes share the path): `json_is_connect` decides.
    pub(crate) fn accepts(&self, request: &Request<Body>, json_is_connect: bool) -> bool {
        if request.method() != Method::POST || !self.methods.contains_key(request.uri().path()) {
            return false;
        }
        if request.headers().contains_key("connect-protocol-version") {
            return true;
        }
        match content_type(request.headers()).as_str() {
            "application/proto" | "application/connect+proto" | "application/connect+json" => true,
            "application/json" => json_is_connect,
            _ => false,
        }
    }

    /// Answers one Connect call. Every answer carries `x-request-id`, as the gateway's do.
    pub(crate) async fn handle(&self, mut request: Request<Body>) -> Response<Body> {
        let id = call::settle_request_id(request.headers_mut());
        let mut response = self.answer(request).await;
        response.headers_mut().insert("x-request-id", id);
        response
    }

    async fn answer(&self, request: Request<Body>) -> Response<Body> {
        let path = request.uri().path().to_owned();
        let Some(method) = self.methods.get(&path) else {
            return unary_error(
                &unimplemented(format!("no method {path}")),
                HeaderMap::new(),
            );
        };
        let kind = content_type(request.headers());
        let codec = match (method.streaming, kind.as_str()) {
            (false, "application/proto") | (true, "application/connect+proto") => Codec::Proto,
            (false, "application/json") | (true, "application/connect+json") => Codec::Json,
            _ => {
                let wanted = if method.streaming {
                    "application/connect+proto or application/connect+json"
                } else {
                    "application/proto or application/json"
                };
                let mut response =
                    Response::new(Body::from(format!("{path} takes {wanted}, not {kind:?}")));
                *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
                response.headers_mut().insert(
                    HeaderName::from_static("accept-post"),
                    HeaderValue::from_static(if method.streaming {
                        "application/connect+proto, application/connect+json"
                    } else {
                        "application/proto, application/json"
                    }),
                );
                return response;
            }
        };
        let answer = Answer {
            codec,
            streaming: method.streaming,
        };
        let (parts, body) = request.into_parts();
        let encoding = if method.streaming {
            "connect-content-encoding"
        } else {
            "content-encoding"
        };
        if parts
            .headers
            .get(encoding)
            .is_some_and(|e| e.as_bytes() != b"identity")
        {
            return answer.error(
                &unimplemented(format!(
                    "compressed Connect requests are not supported; send identity ({encoding})"
                )),
                HeaderMap::new(),
            );
        }
        let metadata = match metadata(&parts.headers) {
            Ok(metadata) => metadata,
            Err(status) => return answer.error(&status, HeaderMap::new()),
        };
        if method.streaming {
            let requests = answer.request_stream(&method.input, body, self.max_body);
            let response =
                hop::call_with_body(&self.grpc, &path, metadata, parts.extensions, requests).await;
            return answer.stream(response, method.output.clone());
        }
        let bytes = match http_body_util::Limited::new(body, self.max_body)
            .collect()
            .await
        {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                let status = tonic::Status::resource_exhausted(format!(
                    "the request is larger than {} bytes",
                    self.max_body
                ));
                return answer.error(&status, HeaderMap::new());
            }
            Err(e) => {
                let status = tonic::Status::invalid_argument(format!("reading the request: {e}"));
                return answer.error(&status, HeaderMap::new());
            }
        };
        let message = match answer.message(&method.input, &bytes) {
            Ok(message) => message,
            Err(status) => return answer.error(&status, HeaderMap::new()),
        };
        let response = hop::call(&self.grpc, &path, metadata, parts.extensions, &message).await;
        answer.unary(response, &method.output).await
    }
}

/// How one call is answered.
#[derive(Clone, Copy)]
struct Answer {
    codec: Codec,
    streaming: bool,
}

impl Answer {
    /// A request message's protobuf bytes.
    fn message(&self, input: &MessageDescriptor, bytes: &[u8]) -> Result<Vec<u8>, tonic::Status> {
        match self.codec {
            Codec::Proto => Ok(bytes.to_vec()),
            Codec::Json => {
                let json: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
                    Value::Object(Default::default())
                } else {
                    serde_json::from_slice(bytes).map_err(|e| {
                        tonic::Status::invalid_argument(format!("malformed JSON: {e}"))
                    })?
                };
                let message =
                    from_json(input, json).map_err(|e| tonic::Status::invalid_argument(e.0))?;
                Ok(message.encode_to_vec())
            }
        }
    }

    /// The request envelopes as gRPC frames. Protobuf ones are gRPC frames already; JSON ones
    /// are converted as each arrives whole (an envelope over `max` bytes is refused before it is
    /// buffered). A bad envelope ends the request stream with an error, which the call sees.
    fn request_stream(&self, input: &MessageDescriptor, body: Body, max: usize) -> Body {
        if self.codec == Codec::Proto {
            return body;
        }
        let (this, input) = (*self, input.clone());
        let frames = std::sync::Arc::new(std::sync::Mutex::new(Frames::default()));
        let at_end = std::sync::Arc::clone(&frames);
        let converted = tokio_stream::StreamExt::map(body.into_data_stream(), move |chunk| {
            let chunk = chunk.map_err(|e| std::io::Error::other(e.to_string()))?;
            let mut frames = frames.lock().unwrap_or_else(|e| e.into_inner());
            frames.push(chunk);
            let mut out = BytesMut::new();
            if frames.pending_len().is_some_and(|len| len > max) {
                return Err(std::io::Error::other(format!(
                    "a request message is larger than {max} bytes"
                )));
            }
            while let Some((flags, json)) = frames.next_envelope() {
                if flags != 0 {
                    return Err(std::io::Error::other(format!(
                        "unexpected envelope flags {flags:#04x}"
                    )));
                }
                let message = this
                    .message(&input, &json)
                    .map_err(|status| std::io::Error::other(status.message().to_owned()))?;
                out.put_slice(&envelope(0, &message));
            }
            Ok::<Bytes, std::io::Error>(out.freeze())
        });
        // Checked once the client's stream has ended: nothing may be left half-sent.
        let end = std::iter::once_with(move || {
            let frames = at_end.lock().unwrap_or_else(|e| e.into_inner());
            if frames.is_empty() {
                Ok(Bytes::new())
            } else {
                Err(std::io::Error::other(
                    "the request stream ends inside a message",
                ))
            }
        });
        Body::from_stream(tokio_stream::StreamExt::chain(
            converted,
            tokio_stream::iter(end),
        ))
    }

    /// One response message in the codec.
    fn render(&self, output: &MessageDescriptor, bytes: &[u8]) -> Result<Bytes, tonic::Status> {
        match self.codec {
            Codec::Proto => Ok(Bytes::copy_from_slice(bytes)),
            Codec::Json => {
                let message = DynamicMessage::decode(output.clone(), bytes)
                    .map_err(|e| tonic::Status::internal(format!("decoding the response: {e}")))?;
                serde_json::to_vec(&message)
                    .map(Bytes::from)
                    .map_err(|e| tonic::Status::internal(format!("encoding the response: {e}")))
            }
        }
    }

    fn content_type(&self) -> HeaderValue {
        HeaderValue::from_static(match (self.streaming, self.codec) {
            (false, Codec::Proto) => "application/proto",
            (false, Codec::Json) => "application/json",
            (true, Codec::Proto) => "application/connect+proto",
            (true, Codec::Json) => "application/connect+json",
        })
    }

    /// An error before any response message.
    fn error(&self, status: &tonic::Status, headers: HeaderMap) -> Response<Body> {
        if !self.streaming {
            return unary_error(status, headers);
        }
        let mut response = Response::new(Body::from(end_of_stream(Some(status), &headers)));
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, self.content_type());
        response
    }

    async fn unary(&self, response: Response<Body>, output: &MessageDescriptor) -> Response<Body> {
        let (parts, body) = response.into_parts();
        let mut headers = leading_metadata(&parts.headers);
        if let Some(status) = tonic::Status::from_header_map(&parts.headers) {
            return unary_error(&status, headers);
        }
        let collected = match body.collect().await {
            Ok(collected) => collected,
            Err(e) => {
                let status = tonic::Status::internal(format!("reading the response: {e}"));
                return unary_error(&status, headers);
            }
        };
        let trailers = collected.trailers().cloned().unwrap_or_default();
        for (name, value) in leading_metadata(&trailers).iter() {
            if let Ok(name) = HeaderName::from_bytes(format!("trailer-{name}").as_bytes()) {
                headers.append(name, value.clone());
            }
        }
        let status = tonic::Status::from_header_map(&trailers)
            .unwrap_or_else(|| tonic::Status::internal("the response has no grpc-status"));
        if status.code() != Code::Ok {
            return unary_error(&status, headers);
        }
        let mut frames = Frames::default();
        frames.push(collected.to_bytes());
        let rendered = match frames.next_message() {
            Ok(Some(bytes)) => self.render(output, &bytes),
            Ok(None) => Err(tonic::Status::internal("the response has no message")),
            Err(e) => Err(tonic::Status::internal(e)),
        };
        match rendered {
            Ok(bytes) => {
                let mut response = Response::new(Body::from(bytes));
                *response.headers_mut() = headers;
                response
                    .headers_mut()
                    .insert(http::header::CONTENT_TYPE, self.content_type());
                response
            }
            Err(status) => unary_error(&status, headers),
        }
    }

    fn stream(self, response: Response<Body>, output: MessageDescriptor) -> Response<Body> {
        let (parts, mut body) = response.into_parts();
        let headers = leading_metadata(&parts.headers);
        if let Some(status) = tonic::Status::from_header_map(&parts.headers) {
            return self.error(&status, headers);
        }
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
        let content_type = self.content_type();
        tokio::spawn(async move {
            let envelope = |bytes: &[u8]| Ok(envelope(0, &self.render(&output, bytes)?));
            let (ended, trailers) = hop::pump(&mut body, &tx, envelope).await;
            let _ = tx
                .send(Ok(end_of_stream(ended.err().as_ref(), &trailers)))
                .await;
        });
        let mut response = Response::new(Body::from_stream(
            tokio_stream::wrappers::ReceiverStream::new(rx),
        ));
        *response.headers_mut() = headers;
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, content_type);
        response
    }
}

fn unimplemented(message: String) -> tonic::Status {
    tonic::Status::unimplemented(message)
}

/// The content type without parameters, lowercased.
fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// Request headers that become gRPC metadata: all but the protocols' own, and
/// `Connect-Timeout-Ms` as `grpc-timeout`.
fn metadata(headers: &HeaderMap) -> Result<HeaderMap, tonic::Status> {
    let mut out = HeaderMap::new();
    for (name, value) in headers {
        let name_str = name.as_str();
        let transport = matches!(
            name_str,
            "content-type"
                | "content-length"
                | "content-encoding"
                | "accept-encoding"
                | "accept"
                | "host"
                | "connection"
                | "te"
                | "user-agent"
                | "origin"
                | "referer"
                | "cookie"
        ) || name_str.starts_with("connect-")
            || name_str.starts_with("grpc-")
            || name_str.starts_with("sec-")
            || name_str.starts_with("access-control-");
        if !transport {
            out.append(name.clone(), value.clone());
        }
    }
    if let Some(timeout) = headers.get("connect-timeout-ms") {
        // At most 10 digits, as the specification allows.
        let millis = timeout
            .to_str()
            .ok()
            .filter(|t| !t.is_empty() && t.len() <= 10 && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u64>().ok())
            .ok_or_else(|| {
                tonic::Status::invalid_argument("connect-timeout-ms must be 1 to 10 digits")
            })?;
        // gRPC's timeout has 8 digits: the same instant in seconds when milliseconds overflow.
        let value = if millis < 100_000_000 {
            format!("{millis}m")
        } else {
            format!("{}S", millis / 1000)
        };
        if let Ok(value) = HeaderValue::from_str(&value) {
            out.insert("grpc-timeout", value);
        }
    }
    Ok(out)
}

/// Response metadata a Connect client sees: the gRPC headers or trailers, minus gRPC's own.
fn leading_metadata(headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    for (name, value) in headers {
        let name_str = name.as_str();
        if !(name_str.starts_with("grpc-")
            || matches!(name_str, "content-type" | "content-length" | "te" | "date"))
        {
            out.append(name.clone(), value.clone());
        }
    }
    out
}

/// Connect's name for a code.
fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "ok",
        Code::Cancelled => "canceled",
        Code::Unknown => "unknown",
        Code::InvalidArgument => "invalid_argument",
        Code::DeadlineExceeded => "deadline_exceeded",
        Code::NotFound => "not_found",
        Code::AlreadyExists => "already_exists",
        Code::PermissionDenied => "permission_denied",
        Code::ResourceExhausted => "resource_exhausted",
        Code::FailedPrecondition => "failed_precondition",
        Code::Aborted => "aborted",
        Code::OutOfRange => "out_of_range",
        Code::Unimplemented => "unimplemented",
        Code::Internal => "internal",
        Code::Unavailable => "unavailable",
        Code::DataLoss => "data_loss",
        Code::Unauthenticated => "unauthenticated",
    }
}

/// `{"code", "message", "details"}`, details as `{"type", "value"}` (unpadded base64).
fn error_json(status: &tonic::Status) -> Value {
    let mut error = serde_json::Map::new();
    error.insert("code".into(), json!(code_name(status.code())));
    if !status.message().is_empty() {
        error.insert("message".into(), json!(status.message()));
    }
    if let Ok(decoded) = tonic_types::pb::Status::decode(status.details())
        && !decoded.details.is_empty()
    {
        let engine = &base64::engine::general_purpose::STANDARD_NO_PAD;
        let details: Vec<Value> = decoded
            .details
            .iter()
            .map(|any| {
                json!({
                    "type": any.type_url.rsplit('/').next().unwrap_or_default(),
                    "value": engine.encode(&any.value),
                })
            })
            .collect();
        error.insert("details".into(), Value::Array(details));
    }
    Value::Object(error)
}

fn unary_error(status: &tonic::Status, mut headers: HeaderMap) -> Response<Body> {
    let mut response = Response::new(Body::from(error_json(status).to_string()));
    *response.status_mut() = http_status(status.code());
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    *response.headers_mut() = headers;
    response
}

fn envelope(flags: u8, message: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(message.len() + 5);
    out.put_u8(flags);
    out.put_u32(u32::try_from(message.len()).unwrap_or(u32::MAX));
    out.put_slice(message);
    out.freeze()
}

/// The last envelope of a stream: the error, if any, and the trailers.
fn end_of_stream(error: Option<&tonic::Status>, trailers: &HeaderMap) -> Bytes {
    let mut end = serde_json::Map::new();
    if let Some(status) = error {
        end.insert("error".into(), error_json(status));
    }
    let mut metadata = serde_json::Map::new();
    for (name, value) in leading_metadata(trailers).iter() {
        if let Ok(value) = value.to_str() {
            let values = metadata
                .entry(name.as_str().to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(values) = values {
                values.push(json!(value));
            }
        }
    }
    if !metadata.is_empty() {
        end.insert("metadata".into(), Value::Object(metadata));
    }
    envelope(2, Value::Object(end).to_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_connects_form() {
        let status = tonic::Status::not_found("no such product");
        assert_eq!(
            error_json(&status),
            json!({"code": "not_found", "message": "no such product"})
        );
        let end = end_of_stream(Some(&status), &HeaderMap::new());
        assert_eq!(end[0], 2);
        let body: Value = serde_json::from_slice(&end[5..]).unwrap();
        assert_eq!(body["error"]["code"], "not_found");
    }

    #[test]
    fn timeouts_and_metadata() {
        let mut headers = HeaderMap::new();
        headers.insert("connect-timeout-ms", HeaderValue::from_static("2500"));
        headers.insert("connect-protocol-version", HeaderValue::from_static("1"));
        headers.insert("x-api-key", HeaderValue::from_static("k"));
        headers.insert("grpc-status", HeaderValue::from_static("0"));
        let metadata = metadata(&headers).unwrap();
        assert_eq!(metadata["grpc-timeout"], "2500m");
        assert_eq!(metadata["x-api-key"], "k");
        assert!(!metadata.contains_key("grpc-status"));
        assert!(!metadata.contains_key("connect-protocol-version"));
        headers.insert("connect-timeout-ms", HeaderValue::from_static("9999999999"));
        assert_eq!(
            super::metadata(&headers).unwrap()["grpc-timeout"],
            "9999999S"
        );
        for bad in ["", "-1", "12345678901", "1.5"] {
            headers.insert("connect-timeout-ms", HeaderValue::from_str(bad).unwrap());
            assert!(super::metadata(&headers).is_err(), "{bad:?}");
        }
    }
}
