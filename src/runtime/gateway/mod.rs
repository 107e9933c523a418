//! The HTTP/JSON gateway: routes from `google.api.http` (generated as `HTTP_ROUTES`), each call
//! turned into a gRPC call to the same in-process service, so auth, deadlines, error mapping and
//! logging are the gRPC path's own.

mod headers;
pub(crate) mod message;
mod output;
mod request;
pub(crate) mod status;

use std::sync::Arc;

use axum::body::Body;
use http::{HeaderValue, Method, Request, Response, StatusCode};
use prost_reflect::{DescriptorPool, FieldDescriptor, MessageDescriptor};

use super::call::{self, MethodKind, MethodSpec};
use super::codec::DynamicCodec;
use super::hop;
use crate::http::Template;
use headers::metadata;
use message::BadInput;
pub(crate) use message::from_json;
use output::{CompiledView, json_response};
pub use status::http_status;

/// One HTTP binding of a method, as generated from its `google.api.http` rule.
#[derive(Debug, Clone, Copy)]
pub struct HttpRoute {
    /// `GET`, `POST`, ... or a custom method.
    pub http_method: &'static str,
    /// The path template, such as `/v1/{name=shelves/*/books/*}`.
    pub pattern: &'static str,
    /// `*`, a request field, or empty.
    pub body: &'static str,
    /// A response field sent alone, or empty for the whole response.
    pub response_body: &'static str,
    /// The gRPC method the route calls.
    pub method: &'static MethodSpec,
    /// The request message's full name.
    pub input: &'static str,
    /// The response message's full name.
    pub output: &'static str,
}

/// The header with a plain number of seconds as the deadline (`X-Timeout-Seconds: 2.5`), for
/// clients that cannot write `grpc-timeout` values.
pub const TIMEOUT_SECONDS_HEADER: &str = "x-timeout-seconds";

/// Where [`Gateway::with_openapi`] serves its document.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// The largest request body the gateway reads, unless `Server::max_body_bytes` says otherwise.
pub const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;

struct CompiledRoute {
    route: HttpRoute,
    http_method: Method,
    template: Template,
    input: MessageDescriptor,
    output: MessageDescriptor,
    /// `body: "field"`.
    body_field: Option<FieldDescriptor>,
    /// PATCH with a body field and a `google.protobuf.FieldMask update_mask`.
    update_mask: Option<FieldDescriptor>,
}

/// Routes HTTP requests to gRPC methods.
pub struct Gateway {
    routes: Vec<CompiledRoute>,
    grpc: axum::Router,
    pool: DescriptorPool,
    max_body: usize,
    strict_query: bool,
    openapi: Option<&'static str>,
}

type HttpResponse = Response<Body>;

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
}

impl Gateway {
    /// Checks every route against the descriptors (a route that cannot work is an error here,
    /// at start-up, never a panic later).
    pub fn new(
        routes: &[HttpRoute],
        descriptor_sets: &[&[u8]],
        grpc: axum::Router,
        max_body: usize,
    ) -> std::io::Result<Gateway> {
        Gateway::with_pool(
            routes,
            hop::descriptor_pool(descriptor_sets)?,
            grpc,
            max_body,
        )
    }

    /// [`Gateway::new`] with the descriptor sets already linked.
    pub(crate) fn with_pool(
        routes: &[HttpRoute],
        pool: DescriptorPool,
        grpc: axum::Router,
        max_body: usize,
    ) -> std::io::Result<Gateway> {
        let mut compiled = Vec::new();
        for route in routes {
            let what = format!("HTTP route {} {}", route.http_method, route.pattern);
            let template =
                Template::parse(route.pattern).map_err(|e| invalid(format!("{what}: {e}")))?;
            let find = |name: &str| {
                pool.get_message_by_name(name).ok_or_else(|| {
                    invalid(format!(
                        "{what}: `{name}` is not in the descriptor sets (add its FILE_DESCRIPTOR_SET)"
                    ))
                })
            };
            let (input, output) = (find(route.input)?, find(route.output)?);
            for variable in &template.variables {
                let mut current = input.clone();
                for (i, name) in variable.field_path.iter().enumerate() {
                    let field = message::find_field(&current, name).ok_or_else(|| {
                        invalid(format!(
                            "{what}: `{}` has no field `{name}`",
                            current.full_name()
                        ))
                    })?;
                    if i + 1 < variable.field_path.len() {
                        match field.kind() {
                            prost_reflect::Kind::Message(inner) => current = inner,
                            _ => return Err(invalid(format!("{what}: `{name}` is not a message"))),
                        }
                    }
                }
            }
            let http_method = Method::from_bytes(route.http_method.as_bytes())
                .map_err(|e| invalid(format!("{what}: {e}")))?;
            let body_field = match route.body {
                "" | "*" => None,
                field => Some(input.get_field_by_name(field).ok_or_else(|| {
                    invalid(format!(
                        "{what}: body field `{field}` is not in `{}`",
                        input.full_name()
                    ))
                })?),
            };
            let update_mask = input.get_field_by_name("update_mask").filter(|f| {
                http_method == Method::PATCH
                    && body_field.is_some()
                    && matches!(f.kind(), prost_reflect::Kind::Message(m) if m.full_name() == "google.protobuf.FieldMask")
            });
            compiled.push(CompiledRoute {
                route: *route,
                http_method,
                template,
                input,
                output,
                body_field,
                update_mask,
            });
        }
        // The most specific template first (more literal segments), then declaration order.
        compiled.sort_by_key(|r| std::cmp::Reverse(r.template.literal_count()));
        Ok(Gateway {
            routes: compiled,
            grpc,
            pool,
            max_body,
            strict_query: false,
            openapi: None,
        })
    }

    /// Makes unknown query parameters a 400 (by default they are ignored, as grpc-gateway
    /// ignores them, so that a cache-buster such as `?_=1712345` does no harm).
    #[must_use]
    pub fn strict_query(mut self, strict: bool) -> Gateway {
        self.strict_query = strict;
        self
    }

    /// Serves `document` (an OpenAPI document, as `protoforge openapi` writes it) at
    /// `GET /openapi.json`.
    #[must_use]
    pub fn with_openapi(mut self, document: &'static str) -> Gateway {
        self.openapi = Some(document);
        self
    }

    /// The service (`shop.v1.CatalogService`) of the route that takes this method and path, or
    /// of any route that takes the path.
    pub(crate) fn service_at(&self, method: &Method, path: &str) -> Option<String> {
        let matching = || {
            self.routes
                .iter()
                .filter(|r| r.template.matches(path).is_some())
        };
        let route = matching()
            .find(|r| r.http_method == method)
            .or_else(|| matching().next())?;
        let (service, _) = route
            .route
            .method
            .path
            .trim_start_matches('/')
            .split_once('/')?;
        Some(service.to_owned())
    }

    /// Whether a route takes this method and path.
    pub(crate) fn serves(&self, method: &Method, path: &str) -> bool {
        self.routes
            .iter()
            .any(|r| r.http_method == method && r.template.matches(path).is_some())
    }

    /// Answers one HTTP request. Every answer carries `x-request-id`: the client's when it is
    /// plain, else a fresh one, the same the gRPC call logs.
    pub async fn handle(self: Arc<Self>, mut request: Request<Body>) -> HttpResponse {
        let id = call::settle_request_id(request.headers_mut());
        let mut response = self.route(request).await;
        response.headers_mut().insert("x-request-id", id);
        response
    }

    async fn route(&self, request: Request<Body>) -> HttpResponse {
        let path = request.uri().path().to_owned();
        // HEAD is GET without the body, as HTTP has it.
        let head = request.method() == Method::HEAD;
        let wanted = if head { &Method::GET } else { request.method() };
        if let Some(document) = self
            .openapi
            .filter(|_| wanted == Method::GET && path == OPENAPI_PATH)
        {
            let mut response = Response::new(if head {
                Body::empty()
            } else {
                Body::from(document)
            });
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            return response;
        }
        let mut allowed = Vec::new();
        let mut found = None;
        for route in &self.routes {
            if let Some(matched) = route.template.matches(&path) {
                if route.http_method == wanted {
                    found = Some((route, matched));
                    break;
                }
                allowed.push(route.http_method.clone());
            }
        }
        let Some((route, matched)) = found else {
            if allowed.is_empty() {
                return self.plain_error(
                    StatusCode::NOT_FOUND,
                    tonic::Code::NotFound,
                    format!("no route for {} {path}", request.method()),
                );
            }
            if allowed.contains(&Method::GET) {
                allowed.push(Method::HEAD);
            }
            allowed.push(Method::OPTIONS);
            let mut allowed: Vec<&str> = allowed.iter().map(Method::as_str).collect();
            allowed.sort_unstable();
            allowed.dedup();
            let allow = allowed.join(", ");
            let mut response = if request.method() == Method::OPTIONS {
                // A plain OPTIONS (a CORS preflight never gets here when CORS is on).
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::NO_CONTENT;
                response
            } else {
                self.plain_error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    tonic::Code::Unimplemented,
                    format!(
                        "{path} does not accept {}; it accepts {allow}",
                        request.method()
                    ),
                )
            };
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(http::header::ALLOW, value);
            }
            return response;
        };
        let start = tokio::time::Instant::now();
        let method = request.method().clone();
        let response = self.answer(route, matched, request).await;
        super::metrics::http_request(
            route.route.pattern,
            &method,
            response.status().as_u16(),
            start.elapsed(),
        );
        if head {
            return response.map(|_| Body::empty());
        }
        response
    }

    async fn answer(
        &self,
        route: &CompiledRoute,
        matched: crate::http::Match,
        request: Request<Body>,
    ) -> HttpResponse {
        match self.call(route, matched, request).await {
            Ok(response) => response,
            Err(Failure::BadInput(BadInput(message))) => self.plain_error(
                StatusCode::BAD_REQUEST,
                tonic::Code::InvalidArgument,
                message,
            ),
            Err(Failure::TooLarge) => self.plain_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                tonic::Code::ResourceExhausted,
                format!("the request body is larger than {} bytes", self.max_body),
            ),
            Err(Failure::Status(status)) => self.status_response(&status),
        }
    }

    fn plain_error(&self, http: StatusCode, code: tonic::Code, message: String) -> HttpResponse {
        json_response(
            http,
            &serde_json::json!({ "code": code as i32, "message": message, "details": [] }),
        )
    }

    fn status_response(&self, status: &tonic::Status) -> HttpResponse {
        let mut response = json_response(
            status::http_status(status.code()),
            &status::error_body(status, &self.pool),
        );
        if status.code() == tonic::Code::Unauthenticated {
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer"),
            );
        }
        response
    }

    async fn call(
        &self,
        route: &CompiledRoute,
        matched: crate::http::Match,
        request: Request<Body>,
    ) -> Result<HttpResponse, Failure> {
        let (parts, body) = request.into_parts();
        let metadata = metadata(&parts.headers)?;
        let message = request::message(
            route,
            &matched,
            parts.uri.query(),
            body,
            self.max_body,
            self.strict_query,
        )
        .await?;
        // The call goes to the server's own router through tonic's client, so auth, deadlines,
        // limits, error mapping and logging are the gRPC path's.
        let mut grpc = tonic::client::Grpc::new(self.grpc.clone())
            // The server enforces its own limits; the hop must not add smaller ones.
            .max_decoding_message_size(usize::MAX)
            .max_encoding_message_size(usize::MAX);
        let request = tonic::Request::from_parts(
            tonic::metadata::MetadataMap::from_headers(metadata),
            parts.extensions,
            message,
        );
        let path = http::uri::PathAndQuery::from_static(route.route.method.path);
        let codec = DynamicCodec::new(route.output.clone());
        let view = route.view();
        if route.route.method.kind == MethodKind::ServerStreaming {
            let stream = grpc
                .server_streaming(request, path, codec)
                .await
                .map_err(Failure::Status)?
                .into_inner();
            return Ok(output::ndjson_stream(view, stream, self.pool.clone()));
        }
        let response = grpc
            .unary(request, path, codec)
            .await
            .map_err(Failure::Status)?;
        let json = view.json(response.get_ref()).map_err(Failure::Status)?;
        Ok(json_response(StatusCode::OK, &json))
    }
}

impl CompiledRoute {
    fn view(&self) -> CompiledView {
        CompiledView {
            output: self.output.clone(),
            selected: self.route.response_body,
        }
    }
}

enum Failure {
    BadInput(BadInput),
    TooLarge,
    Status(tonic::Status),
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPEC: MethodSpec = crate::runtime::call::TEST_SPEC;

    fn route(pattern: &'static str, input: &'static str) -> HttpRoute {
        HttpRoute {
            http_method: "GET",
            pattern,
            body: "",
            response_body: "",
            method: &SPEC,
            input,
            output: "google.rpc.Status",
        }
    }

    #[test]
    fn routes_that_cannot_work_fail_at_start_up() {
        let grpc = axum::Router::new();
        let ok = Gateway::new(
            &[route("/v1/{message}", "google.rpc.Status")],
            &[],
            grpc.clone(),
            10,
        );
        assert!(ok.is_ok());
        for (bad, why) in [
            (
                route("/v1/{nope}", "google.rpc.Status"),
                "has no field `nope`",
            ),
            (
                route("/v1/{code.x}", "google.rpc.Status"),
                "is not a message",
            ),
            (route("v1", "google.rpc.Status"), "starts with `/`"),
            (
                route("/v1", "acme.v1.Missing"),
                "not in the descriptor sets",
            ),
        ] {
            let err = Gateway::new(&[bad], &[], grpc.clone(), 10).err().unwrap();
            assert!(err.to_string().contains(why), "{err}");
        }
    }
}
