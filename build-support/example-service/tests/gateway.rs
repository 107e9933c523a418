//! The HTTP/JSON gateway end to end: the real server on a loopback port, a real HTTP client.

mod common;

use std::time::{Duration, Instant};

use common::{KEYS, start};
use example_service::{Catalog, Faults};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

struct Http {
    base: String,
    client: Client,
}

impl Http {
    async fn new(catalog: Catalog) -> Http {
        let addr = start(catalog).await;
        Http {
            base: format!("http://{addr}"),
            client: Client::new(),
        }
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// Sends and returns status, headers and the JSON body.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        (status, headers, json)
    }

    async fn create(&self, body: Value) -> Value {
        let request = self
            .request(Method::POST, "/v1/products")
            .header("x-api-key", "admin-key")
            .body(body.to_string());
        let (status, _, json) = self.send(request).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json
    }
}

#[tokio::test]
async fn routes_and_the_proto3_json_forms() {
    let http = Http::new(Catalog::new()).await;

    // body: "product", response_body: "product": the product alone; int64 as a string, enum by
    // name, timestamp in RFC 3339 ending in Z.
    let lamp = http
        .create(json!({"name": "lamp", "priceCents": "1999", "availability": "AVAILABILITY_IN_STOCK", "tags": ["garden", "light"]}))
        .await;
    assert_eq!(lamp["id"], "p-1");
    assert_eq!(lamp["priceCents"], "1999");
    assert_eq!(lamp["availability"], "AVAILABILITY_IN_STOCK");
    let created = lamp["createTime"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.contains('T'), "{created}");
    // Original field names are accepted too, and enums by number.
    let chair = http
        .create(json!({"name": "chair", "price_cents": 500, "availability": 2}))
        .await;
    assert_eq!(chair["availability"], "AVAILABILITY_DISCONTINUED");

    // Path variable.
    let (status, headers, got) = http
        .send(http.request(Method::GET, "/v1/products/p-1"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.contains_key("x-request-id"));
    assert_eq!(got["product"]["name"], "lamp");
    // Additional binding with a multi-segment variable.
    let (status, _, got) = http
        .send(http.request(Method::GET, "/v1/shelves/garden/products/p-1"))
        .await;
    assert_eq!(
        (status, &got["product"]["id"]),
        (StatusCode::OK, &json!("p-1"))
    );

    // body: "product" plus a query parameter: validate_only stores nothing.
    let request = http
        .request(Method::POST, "/v1/products?validate_only=true")
        .header("x-api-key", "admin-key")
        .body(json!({"name": "ghost", "priceCents": "1"}).to_string());
    let (status, _, _) = http.send(request).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = http
        .send(http.request(Method::GET, "/v1/products/p-3"))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "validate_only created a product"
    );

    // PATCH without a mask: the mask comes from the body's keys (only the price changes).
    let request = http
        .request(Method::PATCH, "/v1/products/p-1")
        .header("x-api-key", "admin-key")
        .body(json!({"priceCents": "2500", }).to_string());
    let (status, _, got) = http.send(request).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["product"]["priceCents"], "2500");
    assert_eq!(got["product"]["name"], "lamp");
    // PATCH with a mask in the query: the body's other fields are ignored.
    let request = http
        .request(Method::PATCH, "/v1/products/p-1?update_mask=name")
        .header("x-api-key", "admin-key")
        .body(json!({"name": "desk lamp", "priceCents": "1"}).to_string());
    let (status, _, got) = http.send(request).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        (&got["product"]["name"], &got["product"]["priceCents"]),
        (&json!("desk lamp"), &json!("2500"))
    );

    // Custom verb, body "*".
    let request = http
        .request(Method::POST, "/v1/products/p-1:archive")
        .header("authorization", "Bearer admin-key")
        .body(json!({"reason": "old"}).to_string());
    let (status, _, got) = http.send(request).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["product"]["availability"], "AVAILABILITY_DISCONTINUED");

    // Query parameters: repeated, nested, enum by name and by number.
    let http = &http;
    let list = |query: &'static str| async move {
        let response = http
            .request(Method::GET, &format!("/v1/products{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/x-ndjson");
        let text = response.text().await.unwrap();
        text.lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["result"]["product"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(list("").await, ["p-1", "p-2"]);
    assert_eq!(list("?tags=garden&tags=light").await, ["p-1"]);
    assert_eq!(list("?tags=garden&tags=nope").await, Vec::<String>::new());
    assert_eq!(
        list("?filter.availability=AVAILABILITY_DISCONTINUED&filter.min_price_cents=1000").await,
        ["p-1"]
    );
    assert_eq!(
        list("?filter.availability=2&nameContains=cha").await,
        ["p-2"]
    );

    // DELETE answers google.protobuf.Empty as {}.
    let request = http
        .request(Method::DELETE, "/v1/products/p-2")
        .header("x-api-key", "admin-key");
    let (status, _, got) = http.send(request).await;
    assert_eq!((status, got), (StatusCode::OK, json!({})));
}

#[tokio::test]
async fn statuses_map_to_http_like_grpc_gateway() {
    let http = Http::new(Catalog::new()).await;
    http.create(json!({"id": "p-7", "name": "lamp", "priceCents": "1"}))
        .await;

    let cases: Vec<(reqwest::RequestBuilder, StatusCode, i64)> = vec![
        (
            http.request(Method::GET, "/v1/products/p-404"),
            StatusCode::NOT_FOUND,
            5,
        ),
        (
            http.request(Method::POST, "/v1/products")
                .header("x-api-key", "admin-key")
                .body(r#"{"id":"p-7","name":"x"}"#),
            StatusCode::CONFLICT,
            6,
        ),
        (
            http.request(Method::POST, "/v1/products")
                .body(r#"{"name":"x"}"#),
            StatusCode::UNAUTHORIZED,
            16,
        ),
        (
            http.request(Method::POST, "/v1/products")
                .header("x-api-key", "reader-key")
                .body(r#"{"name":"x"}"#),
            StatusCode::FORBIDDEN,
            7,
        ),
        (
            http.request(Method::GET, "/v1/shelves/a/b/c"),
            StatusCode::NOT_FOUND,
            5,
        ),
    ];
    for (request, status, code) in cases {
        let (got_status, headers, body) = http.send(request).await;
        assert_eq!(
            (got_status, body["code"].as_i64().unwrap()),
            (status, code),
            "{body}"
        );
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(body["details"].is_array());
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(headers["www-authenticate"], "Bearer");
        }
    }

    // FAILED_PRECONDITION: archiving twice.
    for expected in [StatusCode::OK, StatusCode::BAD_REQUEST] {
        let request = http
            .request(Method::POST, "/v1/products/p-7:archive")
            .header("x-api-key", "admin-key");
        let (status, _, body) = http.send(request).await;
        assert_eq!(status, expected, "{body}");
    }

    // INVALID_ARGUMENT with google.rpc.BadRequest details, rendered with @type.
    let request = http
        .request(Method::POST, "/v1/products")
        .header("x-api-key", "admin-key")
        .body(r#"{"name":" ","priceCents":"-5"}"#);
    let (status, _, body) = http.send(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["details"][0]["@type"],
        "type.googleapis.com/google.rpc.BadRequest"
    );
    assert_eq!(
        body["details"][0]["fieldViolations"][0]["field"],
        "product.name"
    );
    assert_eq!(
        body["details"][0]["fieldViolations"][1]["field"],
        "product.price_cents"
    );

    // Unknown route 404, wrong method 405 with Allow.
    let (status, _, _) = http.send(http.request(Method::GET, "/v2/everything")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, headers, _) = http
        .send(http.request(Method::PUT, "/v1/products/p-7"))
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(headers["allow"], "DELETE, GET, HEAD, OPTIONS, PATCH");
}

#[tokio::test]
async fn internal_errors_and_deadlines_over_http() {
    let http = Http::new(Catalog::new().with_faults(Faults {
        corrupt_reads: true,
        ..Faults::default()
    }))
    .await;
    let request = http
        .request(Method::GET, "/v1/products/p-1")
        .header("x-request-id", "trace-7");
    let (status, headers, body) = http.send(request).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(headers["x-request-id"], "trace-7");
    assert_eq!(body["message"], "internal error (request id trace-7)");
    assert!(!body.to_string().contains("hunter2"));

    let slow = Http::new(Catalog::new().with_faults(Faults {
        read_delay: Duration::from_secs(30),
        ..Faults::default()
    }))
    .await;
    // The documented seconds header, then grpc-timeout, then the method's own 2s.
    for (header, value, at_least, at_most) in [
        ("x-timeout-seconds", "0.3", 250, 1500),
        ("grpc-timeout", "300m", 250, 1500),
        ("x-unrelated", "1", 1900, 4000),
    ] {
        let started = Instant::now();
        let request = slow
            .request(Method::GET, "/v1/products/p-1")
            .header(header, value);
        let (status, _, body) = slow.send(request).await;
        let took = started.elapsed().as_millis();
        assert_eq!(
            (status, body["code"].as_i64()),
            (StatusCode::GATEWAY_TIMEOUT, Some(4)),
            "{header}"
        );
        assert!((at_least..at_most).contains(&took), "{header}: {took} ms");
    }
}

#[tokio::test]
async fn bad_input_is_a_4xx_that_names_the_problem() {
    let http = Http::new(Catalog::new()).await;
    let post = |body: String| {
        http.request(Method::POST, "/v1/products")
            .header("x-api-key", "admin-key")
            .body(body)
    };
    let cases = [
        (
            post("{\"name\": ".into()),
            StatusCode::BAD_REQUEST,
            "malformed JSON",
        ),
        (
            post(r#"{"name": 7}"#.into()),
            StatusCode::BAD_REQUEST,
            "`product.name`",
        ),
        (
            post(r#"{"priceCents": "lots"}"#.into()),
            StatusCode::BAD_REQUEST,
            "`product.priceCents`",
        ),
        (
            post(r#"{"colour": "red"}"#.into()),
            StatusCode::BAD_REQUEST,
            "colour",
        ),
        (
            post(r#"{"availability": "SOLD_OUT"}"#.into()),
            StatusCode::BAD_REQUEST,
            "`product.availability`",
        ),
        (post(r#"[1, 2]"#.into()), StatusCode::BAD_REQUEST, "invalid"),
        (
            http.request(Method::GET, "/v1/products?filter.min_price_cents=cheap"),
            StatusCode::BAD_REQUEST,
            "min_price_cents",
        ),
        (
            http.request(Method::GET, "/v1/products?filter.availability=SOLD_OUT"),
            StatusCode::BAD_REQUEST,
            "SOLD_OUT",
        ),
        (
            http.request(Method::GET, "/v1/products/p-1")
                .header("x-timeout-seconds", "soon"),
            StatusCode::BAD_REQUEST,
            "x-timeout-seconds",
        ),
        (
            http.request(Method::GET, "/v1/products/p-1")
                .header("grpc-timeout", "forever"),
            StatusCode::BAD_REQUEST,
            "grpc-timeout",
        ),
        (
            post("x".repeat(5 * 1024 * 1024)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than",
        ),
    ];
    for (request, status, needle) in cases {
        let (got, headers, body) = http.send(request).await;
        assert_eq!(got, status, "{body}");
        // Refused by the gateway itself, and still traceable.
        assert!(headers.contains_key("x-request-id"), "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains(needle),
            "{message:?} should mention {needle}"
        );
    }
}

/// grpc-gateway ignores query parameters that name no field (a cache-buster must not break a
/// GET); `strict_query_parameters` makes them a 400. Field masks come in either name form.
#[tokio::test]
async fn query_parameters_as_grpc_gateway_reads_them() {
    let http = Http::new(Catalog::new()).await;
    http.create(json!({"name": "lamp", "priceCents": "1999"}))
        .await;
    let (status, headers, body) = http
        .send(http.request(Method::GET, "/v1/products/p-1?_=1712345&colour=red"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["product"]["name"], "lamp");
    assert!(headers.contains_key("x-request-id"));
    // Unknown below a known message too; a known field with a bad value is still a 400.
    let response = http
        .client
        .get(format!("{}/v1/products?filter.colour=red", http.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // The path's value wins over the query's.
    let (status, _, body) = http
        .send(http.request(Method::GET, "/v1/products/p-1?id=p-9&createTime=soon"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    for (n, mask) in [
        "update_mask=price_cents",
        "updateMask=priceCents",
        "update_mask=price_cents,name",
    ]
    .into_iter()
    .enumerate()
    {
        let price = format!("{}", 100 + n);
        let request = http
            .request(Method::PATCH, &format!("/v1/products/p-1?{mask}"))
            .header("x-api-key", "admin-key")
            .body(json!({"name": format!("lamp {n}"), "priceCents": price}).to_string());
        let (status, _, got) = http.send(request).await;
        assert_eq!(status, StatusCode::OK, "{mask}: {got}");
        assert_eq!(got["product"]["priceCents"], price, "{mask}");
        let renamed = mask.ends_with(",name");
        assert_eq!(
            got["product"]["name"] == format!("lamp {n}"),
            renamed,
            "{mask}: {got}"
        );
    }
    let request = http
        .request(Method::PATCH, "/v1/products/p-1?update_mask=price-cents")
        .header("x-api-key", "admin-key")
        .body("{}");
    let (status, _, got) = http.send(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");

    // Strict: a parameter that names no field is refused, naming it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(KEYS).unwrap(),
    )
    .strict_query_parameters(true);
    tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
    let response = http
        .client
        .get(format!("http://{addr}/v1/products/p-1?_=1712345"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("query parameter `_`"),
        "{body}"
    );
}

#[tokio::test]
async fn server_streams_are_ndjson_and_end_with_an_error_line() {
    let http = Http::new(Catalog::new().with_faults(Faults {
        stream_interval: Duration::from_millis(150),
        ..Faults::default()
    }))
    .await;
    for i in 0..10 {
        http.create(json!({"name": format!("item {i}"), "priceCents": "1"}))
            .await;
    }
    let response = http
        .request(Method::GET, "/v1/products")
        .header("x-timeout-seconds", "0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (last, results) = lines.split_last().unwrap();
    assert!(results.len() >= 2 && results.len() < 10, "{text}");
    assert!(
        results
            .iter()
            .all(|l| l["result"]["product"]["name"].is_string())
    );
    assert_eq!(last["error"]["code"], 4, "{text}");
}

/// Product p-1's name, asked over gRPC.
async fn grpc_product_name(base: &str) -> String {
    use example_service::shop::v1::GetProductRequest;
    use example_service::shop::v1::catalog_service_forge::Client as GrpcClient;

    let mut grpc = GrpcClient::connect(base.to_owned()).await.unwrap();
    let request = GetProductRequest {
        id: "p-1".into(),
        ..Default::default()
    };
    let response = grpc.get_product(request).await.unwrap().into_inner();
    response.product.unwrap().name
}

#[tokio::test]
async fn grpc_and_http_share_a_port_or_use_two() {
    // One port: the gRPC client and HTTP reach the same store.
    let http = Http::new(Catalog::new()).await;
    http.create(json!({"name": "lamp"})).await;
    assert_eq!(grpc_product_name(&http.base).await, "lamp");

    // Two ports.
    let grpc_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (grpc_addr, http_addr) = (
        grpc_listener.local_addr().unwrap(),
        http_listener.local_addr().unwrap(),
    );
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(KEYS).unwrap(),
    );
    tokio::spawn(server.serve_split(grpc_listener, http_listener, std::future::pending()));
    let split = Http {
        base: format!("http://{http_addr}"),
        client: Client::new(),
    };
    split.create(json!({"name": "chair"})).await;
    assert_eq!(
        grpc_product_name(&format!("http://{grpc_addr}")).await,
        "chair"
    );
    // The gRPC port does not serve HTTP routes: only gRPC's UNIMPLEMENTED.
    let response = Client::new()
        .get(format!("http://{grpc_addr}/v1/products/p-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["grpc-status"], "12");
}
