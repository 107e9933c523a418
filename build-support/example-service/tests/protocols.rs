//! The browser protocols on the service port, from a plain HTTP client: Connect (unary and
//! streams, JSON and protobuf, its error format and status mapping), gRPC-Web over HTTP/1.1
//! (binary and text), CORS, and HEAD/OPTIONS on the gateway.

mod common;

use std::time::Duration;

use base64::Engine as _;
use common::{KEYS, start};
use example_service::shop::v1::{GetProductRequest, GetProductResponse, ListProductsRequest};
use example_service::{Catalog, Faults};
use prost::Message;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

fn envelope(flags: u8, message: &[u8]) -> Vec<u8> {
    let mut out = vec![flags];
    out.extend_from_slice(&u32::try_from(message.len()).unwrap().to_be_bytes());
    out.extend_from_slice(message);
    out
}

/// Splits a body into its envelopes.
fn envelopes(mut body: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !body.is_empty() {
        assert!(body.len() >= 5, "a cut envelope: {body:?}");
        let len = u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize;
        out.push((body[0], body[5..5 + len].to_vec()));
        body = &body[5 + len..];
    }
    out
}

fn connect(
    client: &Client,
    base: &str,
    method: &str,
    content_type: &str,
) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}/shop.v1.CatalogService/{method}"))
        .header("content-type", content_type)
        .header("connect-protocol-version", "1")
}

#[tokio::test]
async fn connect_unary_in_json_and_protobuf_with_connects_errors() {
    let addr = start(Catalog::new()).await;
    let (base, client) = (format!("http://{addr}"), Client::new());

    let created = connect(&client, &base, "CreateProduct", "application/json")
        .header("x-api-key", "admin-key")
        .header("x-request-id", "connect-1")
        .body(json!({"product": {"name": "lamp", "priceCents": "1999"}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    assert_eq!(created.headers()["content-type"], "application/json");
    assert_eq!(created.headers()["x-request-id"], "connect-1");
    let created: Value = serde_json::from_str(&created.text().await.unwrap()).unwrap();
    assert_eq!(created["product"]["priceCents"], "1999");
    let id = created["product"]["id"].as_str().unwrap().to_owned();

    // Protobuf both ways; the method is public.
    let request = GetProductRequest {
        id: id.clone(),
        ..Default::default()
    };
    let response = connect(&client, &base, "GetProduct", "application/proto")
        .body(request.encode_to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/proto");
    let got = GetProductResponse::decode(response.bytes().await.unwrap()).unwrap();
    assert_eq!(got.product.unwrap().name, "lamp");

    // Errors: Connect's code names, the HTTP status of the code, details as type and value.
    let cases = [
        (
            "GetProduct",
            json!({"id": "p-404"}),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "CreateProduct",
            json!({"product": {"name": "x"}}),
            None,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        ),
        (
            "CreateProduct",
            json!({"product": {"name": "x"}}),
            Some("reader-key"),
            StatusCode::FORBIDDEN,
            "permission_denied",
        ),
        (
            "CreateProduct",
            json!({"product": {"name": ""}}),
            Some("admin-key"),
            StatusCode::BAD_REQUEST,
            "invalid_argument",
        ),
        (
            "CreateProduct",
            json!({"product": {"colour": "red"}}),
            Some("admin-key"),
            StatusCode::BAD_REQUEST,
            "invalid_argument",
        ),
    ];
    for (method, body, key, http, code) in cases {
        let mut request =
            connect(&client, &base, method, "application/json").body(body.to_string());
        if let Some(key) = key {
            request = request.header("x-api-key", key);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), http, "{method} {body}");
        assert_eq!(response.headers()["content-type"], "application/json");
        assert!(response.headers().contains_key("x-request-id"));
        let error: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(error["code"], code, "{error}");
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{error}"
        );
    }
    let response = connect(&client, &base, "CreateProduct", "application/json")
        .header("x-api-key", "admin-key")
        .body(json!({"product": {"name": ""}}).to_string())
        .send()
        .await
        .unwrap();
    let error: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(error["details"][0]["type"], "google.rpc.BadRequest");
    let value = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(error["details"][0]["value"].as_str().unwrap())
        .unwrap();
    let bad = tonic_types::pb::BadRequest::decode(&value[..]).unwrap();
    assert_eq!(bad.field_violations[0].field, "product.name");

    // The deadline from Connect-Timeout-Ms: DEADLINE_EXCEEDED, 504.
    let slow = start(Catalog::new().with_faults(Faults {
        read_delay: Duration::from_secs(5),
        ..Faults::default()
    }))
    .await;
    let response = client
        .post(format!("http://{slow}/shop.v1.CatalogService/GetProduct"))
        .header("content-type", "application/json")
        .header("connect-timeout-ms", "100")
        .body(r#"{"id":"p-1"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
    let error: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(error["code"], "deadline_exceeded");

    // A content type Connect does not know for the method.
    let response = connect(&client, &base, "GetProduct", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Compressed bodies are refused, naming what works.
    let response = connect(&client, &base, "GetProduct", "application/json")
        .header("content-encoding", "gzip")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_IMPLEMENTED);
}

#[tokio::test]
async fn connect_streams_in_envelopes_with_an_end_of_stream_message() {
    let addr = start(Catalog::new()).await;
    let (base, client) = (format!("http://{addr}"), Client::new());
    // BatchCreateProducts in JSON envelopes, with or without the writer's key.
    let batch = |body: Vec<u8>, key: Option<&'static str>| {
        let request = connect(
            &client,
            &base,
            "BatchCreateProducts",
            "application/connect+json",
        );
        let request = match key {
            Some(key) => request.header("x-api-key", key),
            None => request,
        };
        request.body(body).send()
    };
    // Client streaming in JSON over HTTP/1.1: three products in three envelopes.
    let mut body = Vec::new();
    for name in ["a", "b", "c"] {
        let message = json!({"product": {"name": name, "priceCents": "5"}}).to_string();
        body.extend(envelope(0, message.as_bytes()));
    }
    let response = batch(body, Some("admin-key")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/connect+json"
    );
    let got = envelopes(&response.bytes().await.unwrap());
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].0, &got[0].1[..]), (0, &b"{}"[..]));
    assert_eq!(got[1].0, 2);
    assert_eq!(
        serde_json::from_slice::<Value>(&got[1].1).unwrap(),
        json!({})
    );

    // Server streaming in protobuf.
    let request = ListProductsRequest::default().encode_to_vec();
    let response = connect(&client, &base, "ListProducts", "application/connect+proto")
        .body(envelope(0, &request))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let got = envelopes(&response.bytes().await.unwrap());
    let names: Vec<String> = got[..got.len() - 1]
        .iter()
        .map(|(flags, bytes)| {
            assert_eq!(*flags, 0);
            let message =
                example_service::shop::v1::ListProductsResponse::decode(&bytes[..]).unwrap();
            message.product.unwrap().name
        })
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(got.last().unwrap().0, 2);

    // An error is the end-of-stream message's, under HTTP 200.
    let response = batch(envelope(0, br#"{"product":{"name":"d"}}"#), None)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let got = envelopes(&response.bytes().await.unwrap());
    assert_eq!(got.len(), 1);
    let end: Value = serde_json::from_slice(&got[0].1).unwrap();
    assert_eq!(end["error"]["code"], "unauthenticated", "{end}");

    // A JSON envelope that is not the message, and a stream cut inside an envelope.
    for body in [
        envelope(0, br#"{"product":{"colour":"red"}}"#),
        vec![0, 0, 0, 0, 9, b'{'],
    ] {
        let response = batch(body, Some("admin-key")).await.unwrap();
        let got = envelopes(&response.bytes().await.unwrap());
        let end: Value = serde_json::from_slice(&got.last().unwrap().1).unwrap();
        assert!(end["error"]["code"].is_string(), "{end}");
    }
}

/// A gRPC-Web frame for GetProduct, and the grpc-status its answer carries (in headers for a
/// trailers-only answer, else in the body's trailer frame).
#[tokio::test]
async fn grpc_web_over_http1_binary_and_text() {
    let addr = start(Catalog::new()).await;
    let client = Client::builder().http1_only().build().unwrap();
    let request = GetProductRequest {
        id: "p-404".into(),
        ..Default::default()
    };
    let frame = envelope(0, &request.encode_to_vec());
    let text = base64::engine::general_purpose::STANDARD.encode(&frame);
    for (content_type, body) in [
        ("application/grpc-web+proto", frame.clone()),
        ("application/grpc-web-text", text.into_bytes()),
    ] {
        let response = client
            .post(format!("http://{addr}/shop.v1.CatalogService/GetProduct"))
            .header("content-type", content_type)
            .header("x-grpc-web", "1")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{content_type}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/grpc-web"),
            "{content_type}"
        );
        let status = response.headers().get("grpc-status").cloned();
        let body = response.bytes().await.unwrap();
        let status = status.map(|s| s.to_str().unwrap().to_owned()).or_else(|| {
            let body = if content_type.ends_with("text") {
                base64::engine::general_purpose::STANDARD
                    .decode(&body)
                    .unwrap()
            } else {
                body.to_vec()
            };
            let trailers = envelopes(&body)
                .into_iter()
                .find(|(flags, _)| flags & 0x80 != 0)?;
            let trailers = String::from_utf8(trailers.1).unwrap();
            trailers
                .lines()
                .find_map(|l| l.strip_prefix("grpc-status:"))
                .map(|s| s.trim().to_owned())
        });
        assert_eq!(status.as_deref(), Some("5"), "{content_type}: NOT_FOUND");
    }
}

#[tokio::test]
async fn cors_preflight_and_headers_only_when_configured() {
    let client = Client::new();
    // Off by default: no CORS headers, and a preflight is the gateway's plain OPTIONS.
    let addr = start(Catalog::new()).await;
    let response = client
        .request(
            reqwest::Method::OPTIONS,
            format!("http://{addr}/v1/products"),
        )
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        !response
            .headers()
            .contains_key("access-control-allow-origin")
    );
    assert_eq!(response.headers()["allow"], "GET, HEAD, OPTIONS, POST");
    // HEAD is GET without the body.
    let response = client
        .head(format!("http://{addr}/v1/products/p-404"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.bytes().await.unwrap().is_empty());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let cors = protoforge::runtime::Cors::allow_origins(["https://shop.example"]).unwrap();
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(KEYS).unwrap(),
    )
    .cors(cors);
    tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
    for path in ["/v1/products", "/shop.v1.CatalogService/CreateProduct"] {
        let response = client
            .request(reqwest::Method::OPTIONS, format!("http://{addr}{path}"))
            .header("origin", "https://shop.example")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,x-grpc-web,x-api-key",
            )
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{path}");
        let headers = response.headers();
        assert_eq!(
            headers["access-control-allow-origin"],
            "https://shop.example"
        );
        let allowed = headers["access-control-allow-headers"].to_str().unwrap();
        for header in [
            "content-type",
            "x-grpc-web",
            "x-api-key",
            "connect-protocol-version",
        ] {
            assert!(allowed.contains(header), "{allowed}");
        }
    }
    // The answer itself names the origin and exposes what clients read.
    let response = client
        .post(format!("http://{addr}/shop.v1.CatalogService/GetProduct"))
        .header("origin", "https://shop.example")
        .header("content-type", "application/json")
        .body(r#"{"id":"p-404"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let headers = response.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://shop.example"
    );
    let exposed = headers["access-control-expose-headers"].to_str().unwrap();
    assert!(
        exposed.contains("grpc-status") && exposed.contains("x-request-id"),
        "{exposed}"
    );
    // Another origin gets no grant.
    let response = client
        .request(
            reqwest::Method::OPTIONS,
            format!("http://{addr}/v1/products"),
        )
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        !response
            .headers()
            .contains_key("access-control-allow-origin")
    );
}

/// One service under its own policy, the rest under the server's: by method path, and by the
/// gateway route a path (and a preflight's method) belongs to.
#[tokio::test]
async fn cors_per_service() {
    use protoforge::runtime::Cors;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(KEYS).unwrap(),
    )
    .cors(Cors::allow_origins(["https://shop.example"]).unwrap())
    .cors_for(
        "ledger.v1.LedgerService",
        Cors::allow_origins(["https://stock.example"]).unwrap(),
    );
    tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
    let client = Client::new();
    let cases = [
        (
            "/shop.v1.CatalogService/GetProduct",
            "https://shop.example",
            true,
        ),
        (
            "/shop.v1.CatalogService/GetProduct",
            "https://stock.example",
            false,
        ),
        (
            "/ledger.v1.LedgerService/Record",
            "https://stock.example",
            true,
        ),
        (
            "/ledger.v1.LedgerService/Record",
            "https://shop.example",
            false,
        ),
        ("/v1/ledger:record", "https://stock.example", true),
        ("/v1/ledger:record", "https://shop.example", false),
        ("/v1/products", "https://shop.example", true),
        ("/v1/products", "https://stock.example", false),
    ];
    for (path, origin, allowed) in cases {
        let response = client
            .request(reqwest::Method::OPTIONS, format!("http://{addr}{path}"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        let granted = response
            .headers()
            .get("access-control-allow-origin")
            .is_some_and(|v| v == origin);
        assert_eq!(granted, allowed, "{path} from {origin}");
    }
}
