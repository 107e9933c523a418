//! Abuse over gRPC and HTTP: bad credentials, wrong scopes, header tricks, oversized and
//! malformed messages, truncated streams, clients that vanish mid-stream, deadlines of zero and
//! of years. Nothing reaches a handler without passing auth; no internal text escapes.

mod common;

use std::time::Duration;

use common::start;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::shop::v1::*;
use example_service::{Catalog, Faults};
use reqwest::StatusCode;
use tonic::{Code, Request};

fn create_request(name: &str) -> CreateProductRequest {
    CreateProductRequest {
        product: Some(Product {
            name: name.into(),
            price_cents: 1,
            ..Product::default()
        }),
        ..CreateProductRequest::default()
    }
}

/// The credential headers to try, and whether each must be refused as UNAUTHENTICATED.
const CREDENTIALS: &[(&str, &str)] = &[
    ("x-api-key", ""),
    ("x-api-key", " admin-key"),
    ("x-api-key", "ADMIN-KEY"),
    ("x-api-key", "admin-key\u{7f}"),
    ("x-api-key", "admin-ke"),
    ("authorization", "Bearer"),
    ("authorization", "Bearer "),
    ("authorization", "Bearer ADMIN-KEY"),
    ("authorization", "Basic YWRtaW46YWRtaW4tY2V5"),
    ("authorization", "admin-key"),
    ("x-api-key", "reader-key, admin-key"),
];

#[tokio::test]
async fn bad_credentials_never_reach_a_handler() {
    let catalog = Catalog::new();
    let addr = start(catalog.clone()).await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    let http = reqwest::Client::new();

    // Missing.
    let status = grpc.create_product(create_request("x")).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    let mut checked_over_http = 0;
    for (header, value) in CREDENTIALS {
        let mut request = Request::new(create_request("x"));
        if let Ok(value) = value.parse() {
            request.metadata_mut().insert(*header, value);
        }
        let status = grpc.create_product(request).await.unwrap_err();
        assert_eq!(
            status.code(),
            Code::Unauthenticated,
            "gRPC {header}: {value:?}"
        );
        assert!(
            !status.message().contains("admin-key"),
            "{}",
            status.message()
        );

        if value.trim() == "admin-key" {
            // HTTP strips whitespace around header values: that is the right key over HTTP.
            continue;
        }
        let response = http
            .post(format!("http://{addr}/v1/products"))
            .header(*header, *value)
            .body(r#"{"name":"x"}"#)
            .send()
            .await;
        // reqwest refuses some of these values itself; the rest must be a 401.
        if let Ok(response) = response {
            checked_over_http += 1;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "HTTP {header}: {value:?}"
            );
            assert!(response.headers().contains_key("www-authenticate"));
        }
    }
    assert!(
        checked_over_http >= 8,
        "only {checked_over_http} credentials reached the server over HTTP"
    );
    // The right key with the wrong scope.
    let mut request = Request::new(create_request("x"));
    request
        .metadata_mut()
        .insert("x-api-key", "reader-key".parse().unwrap());
    assert_eq!(
        grpc.create_product(request).await.unwrap_err().code(),
        Code::PermissionDenied
    );
    let response = http
        .post(format!("http://{addr}/v1/products"))
        .header("x-api-key", "reader-key")
        .body(r#"{"name":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Case-insensitive scheme, exact key: accepted (RFC 7235).
    let mut request = Request::new(create_request("ok"));
    request
        .metadata_mut()
        .insert("authorization", "bEaReR admin-key".parse().unwrap());
    grpc.create_product(request).await.unwrap();

    assert_eq!(catalog.len(), 1, "a refused call reached the handler");
}

#[tokio::test]
async fn header_tricks_are_neutralised() {
    let catalog = Catalog::new();
    let addr = start(catalog.clone()).await;
    let http = reqwest::Client::new();
    // A request id that is not plain is replaced, never echoed.
    for id in [
        "a b;c=d",
        "id\twith\ttabs",
        &"x".repeat(300),
        "<script>",
        "\"quoted\"",
    ] {
        let response = http
            .get(format!("http://{addr}/v1/products/p-1"))
            .header("x-request-id", id)
            .send()
            .await
            .unwrap();
        let echoed = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_ne!(echoed, id);
        assert_eq!(echoed.len(), 36, "{echoed}");
    }
    // Transport headers cannot be smuggled in as metadata; credentials in metadata still need to
    // be valid.
    let response = http
        .post(format!("http://{addr}/v1/products"))
        .header("grpc-metadata-content-type", "application/grpc+evil")
        .header("grpc-metadata-grpc-status", "0")
        .header("grpc-metadata-x-api-key", "forged")
        .body(r#"{"name":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(catalog.is_empty());
}

#[tokio::test]
async fn oversized_malformed_and_truncated_messages() {
    let catalog = Catalog::new();
    let addr = start(catalog.clone()).await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();

    // Beyond the 4 MiB default limit.
    let mut request = Request::new(create_request(&"x".repeat(5 * 1024 * 1024)));
    request
        .metadata_mut()
        .insert("x-api-key", "admin-key".parse().unwrap());
    let status = grpc.create_product(request).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/v1/products"))
        .header("x-api-key", "admin-key")
        .body(format!(r#"{{"name":"{}"}}"#, "x".repeat(5 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Raw gRPC frames over HTTP/2: bytes that are not the message, and a frame cut short.
    let h2 = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .http2_only(true)
        .build_http::<axum::body::Body>();
    let cases: [(&str, Vec<u8>); 3] = [
        ("malformed", vec![0, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff]),
        ("truncated", vec![0, 0, 0, 0, 100, 10, 2]),
        ("compressed flag without compression", vec![1, 0, 0, 0, 0]),
    ];
    for (name, body) in cases {
        let request = http::Request::post(format!(
            "http://{addr}/shop.v1.CatalogService/CreateProduct"
        ))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .header("x-api-key", "admin-key")
        .body(axum::body::Body::from(body))
        .unwrap();
        let response = h2.request(request).await.unwrap();
        let headers = response.headers().clone();
        let collected = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap();
        let trailers = collected.trailers().cloned().unwrap_or_default();
        let status = headers
            .get("grpc-status")
            .or_else(|| trailers.get("grpc-status"))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<i32>().ok());
        // A decode failure: INTERNAL (what gRPC servers answer) or INVALID_ARGUMENT, never OK.
        assert!(
            matches!(status, Some(3 | 13)),
            "{name}: grpc-status {status:?}"
        );
    }
    // The server is fine afterwards.
    let response = grpc
        .get_product(GetProductRequest {
            id: "p-1".into(),
            ..GetProductRequest::default()
        })
        .await
        .unwrap_err();
    assert_eq!(response.code(), Code::NotFound);
    assert!(catalog.is_empty());
}

/// gzip and zstd both ways, negotiated as grpcio and grpc-go negotiate them, and the size limit
/// applied to what a frame inflates to: a few KiB that inflate past 4 MiB are refused.
#[tokio::test]
async fn compressed_messages_both_ways_and_a_zip_bomb() {
    use example_service::shop::v1::catalog_service_client::CatalogServiceClient;
    use tonic::codec::CompressionEncoding::{Gzip, Zstd};

    let catalog = Catalog::new();
    let addr = start(catalog.clone()).await;
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let with_key = |request: CreateProductRequest| {
        let mut request = Request::new(request);
        request
            .metadata_mut()
            .insert("x-api-key", "admin-key".parse().unwrap());
        request
    };
    for (n, encoding) in [Gzip, Zstd].into_iter().enumerate() {
        let mut client = CatalogServiceClient::new(channel.clone())
            .send_compressed(encoding)
            .accept_compressed(encoding);
        let response = client
            .create_product(with_key(create_request(&format!("lamp {n}"))))
            .await
            .unwrap();
        assert_eq!(
            response.metadata().get("grpc-encoding").unwrap(),
            encoding.to_string().as_str(),
            "the answer is compressed as the client accepts"
        );
        assert_eq!(
            response.into_inner().product.unwrap().name,
            format!("lamp {n}")
        );
    }
    // A client that accepts nothing gets plain answers.
    let response = CatalogServiceClient::new(channel.clone())
        .send_compressed(Gzip)
        .create_product(with_key(create_request("plain")))
        .await
        .unwrap();
    assert!(response.metadata().get("grpc-encoding").is_none());

    // 8 MiB of one byte compress to a few KiB, under every frame limit; inflated, they are twice
    // the 4 MiB message limit.
    let mut client = CatalogServiceClient::new(channel).send_compressed(Gzip);
    let status = client
        .create_product(with_key(create_request(&"x".repeat(8 << 20))))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert_eq!(catalog.len(), 3);
}

#[tokio::test]
async fn a_request_stream_cut_off_mid_way_commits_nothing() {
    let catalog = Catalog::new();
    let addr = start(catalog.clone()).await;
    let h2 = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .http2_only(true)
        .build_http::<axum::body::Body>();
    // A client-streaming batch: one whole message, half of the next, then the client's body
    // fails, so hyper resets the HTTP/2 stream.
    let message = prost::Message::encode_to_vec(&BatchCreateProductsRequest {
        product: Some(Product {
            name: "first".into(),
            ..Product::default()
        }),
    });
    let mut first = vec![0u8];
    first.extend_from_slice(&(message.len() as u32).to_be_bytes());
    first.extend_from_slice(&message);
    let half = first[..first.len() / 2].to_vec();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(first),
        Ok(half),
        Err(std::io::Error::other("client went away")),
    ];
    let request = http::Request::post(format!(
        "http://{addr}/shop.v1.CatalogService/BatchCreateProducts"
    ))
    .header("content-type", "application/grpc")
    .header("te", "trailers")
    .header("x-api-key", "admin-key")
    .body(axum::body::Body::from_stream(tokio_stream::iter(chunks)))
    .unwrap();
    let outcome = h2.request(request).await;
    if let Ok(response) = outcome {
        let headers = response.headers().clone();
        let trailers = http_body_util::BodyExt::collect(response.into_body())
            .await
            .ok()
            .and_then(|c| c.trailers().cloned())
            .unwrap_or_default();
        let status = headers
            .get("grpc-status")
            .or_else(|| trailers.get("grpc-status"));
        assert_ne!(
            status.map(|s| s.as_bytes()),
            Some(&b"0"[..]),
            "a cut-off batch succeeded"
        );
    }
    // All or none: the whole first message was not committed on its own.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(catalog.is_empty(), "a partial batch was stored");
    // And the server still serves.
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    let mut request = Request::new(create_request("after"));
    request
        .metadata_mut()
        .insert("x-api-key", "admin-key".parse().unwrap());
    grpc.create_product(request).await.unwrap();
}

#[tokio::test]
async fn a_client_that_leaves_mid_stream_cancels_the_work() {
    let catalog = Catalog::new().with_faults(Faults {
        stream_interval: Duration::from_millis(50),
        ..Faults::default()
    });
    let addr = start(catalog.clone()).await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    for i in 0..40 {
        let mut request = Request::new(create_request(&format!("item {i}")));
        request
            .metadata_mut()
            .insert("x-api-key", "admin-key".parse().unwrap());
        grpc.create_product(request).await.unwrap();
    }
    // gRPC: read two messages, then drop the stream.
    let mut stream = grpc
        .list_products(ListProductsRequest::default())
        .await
        .unwrap()
        .into_inner();
    stream.message().await.unwrap().unwrap();
    stream.message().await.unwrap().unwrap();
    assert_eq!(catalog.active_streams(), 1);
    drop(stream);
    // HTTP: read a little of the NDJSON, then drop the response.
    let mut response = reqwest::get(format!("http://{addr}/v1/products"))
        .await
        .unwrap();
    response.chunk().await.unwrap();
    drop(response);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    while catalog.active_streams() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} streams still producing",
            catalog.active_streams()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn deadlines_of_zero_and_of_years() {
    let catalog = Catalog::new();
    let addr = start(catalog.clone()).await;
    let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
    let http = reqwest::Client::new();

    for (timeout, ok) in [("0n", false), ("0S", false), ("99999999H", true)] {
        let mut request = Request::new(create_request("x"));
        request
            .metadata_mut()
            .insert("x-api-key", "admin-key".parse().unwrap());
        request
            .metadata_mut()
            .insert("grpc-timeout", timeout.parse().unwrap());
        let result = grpc.create_product(request).await;
        match ok {
            true => assert!(result.is_ok(), "{timeout}: {result:?}"),
            false => assert_eq!(
                result.unwrap_err().code(),
                Code::DeadlineExceeded,
                "{timeout}"
            ),
        }
        let response = http
            .post(format!("http://{addr}/v1/products"))
            .header("x-api-key", "admin-key")
            .header("grpc-timeout", timeout)
            .body(r#"{"name":"y"}"#)
            .send()
            .await
            .unwrap();
        let expected = if ok {
            StatusCode::OK
        } else {
            StatusCode::GATEWAY_TIMEOUT
        };
        assert_eq!(response.status(), expected, "HTTP {timeout}");
    }
    for (seconds, expected) in [("0", StatusCode::GATEWAY_TIMEOUT), ("1e12", StatusCode::OK)] {
        let response = http
            .post(format!("http://{addr}/v1/products"))
            .header("x-api-key", "admin-key")
            .header("x-timeout-seconds", seconds)
            .body(r#"{"name":"z"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "x-timeout-seconds {seconds}");
    }
    // Only the calls with a live deadline created anything.
    assert_eq!(catalog.len(), 3);
}
