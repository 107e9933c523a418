//! The example service end to end: the real server on a loopback port, the generated client
//! over TCP.

mod common;

use std::time::{Duration, Instant};

use common::start;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::shop::v1::*;
use example_service::{Catalog, Faults};
use tonic::transport::Channel;
use tonic::{Code, Request};
use tonic_types::StatusExt;

async fn client(addr: std::net::SocketAddr) -> Client<Channel> {
    Client::connect(format!("http://{addr}")).await.unwrap()
}

/// A plain channel to the server, for the health and reflection clients.
async fn channel(addr: std::net::SocketAddr) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

fn with_key<T>(message: T, key: &str) -> Request<T> {
    let mut request = Request::new(message);
    request
        .metadata_mut()
        .insert("x-api-key", key.parse().unwrap());
    request
}

fn product(name: &str, price: i64) -> Product {
    Product {
        name: name.into(),
        price_cents: price,
        availability: Availability::InStock as i32,
        ..Product::default()
    }
}

async fn create(client: &mut Client<Channel>, name: &str, price: i64) -> Product {
    let request = CreateProductRequest {
        product: Some(product(name, price)),
        ..Default::default()
    };
    client
        .create_product(with_key(request, "admin-key"))
        .await
        .unwrap()
        .into_inner()
        .product
        .unwrap()
}

#[tokio::test]
async fn all_four_call_kinds_work() {
    let addr = start(Catalog::new()).await;
    let mut client = client(addr).await;

    // Unary.
    let lamp = create(&mut client, "lamp", 1999).await;
    assert_eq!(lamp.id, "p-1");
    let got = client
        .get_product(GetProductRequest {
            id: lamp.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(got.metadata().get("x-request-id").is_some());
    assert_eq!(got.into_inner().product.unwrap().name, "lamp");

    // Client streaming.
    let batch = tokio_stream::iter(
        ["desk lamp", "chair"].map(|name| BatchCreateProductsRequest {
            product: Some(product(name, 500)),
        }),
    );
    let mut request = Request::new(batch);
    request
        .metadata_mut()
        .insert("authorization", "Bearer admin-key".parse().unwrap());
    client.batch_create_products(request).await.unwrap();

    // Server streaming.
    let mut stream = client
        .list_products(ListProductsRequest {
            name_contains: "lamp".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut names = Vec::new();
    while let Some(item) = stream.message().await.unwrap() {
        names.push(item.product.unwrap().name);
    }
    assert_eq!(names, ["lamp", "desk lamp"]);

    // Bidirectional.
    let changes = tokio_stream::iter([
        WatchPricesRequest {
            product_id: lamp.id.clone(),
            price_cents: 2499,
        },
        WatchPricesRequest {
            product_id: lamp.id.clone(),
            price_cents: 2599,
        },
    ]);
    let mut echoes = client
        .watch_prices(with_key(changes, "admin-key"))
        .await
        .unwrap()
        .into_inner();
    let mut prices = Vec::new();
    while let Some(echo) = echoes.message().await.unwrap() {
        prices.push(echo.price_cents);
    }
    assert_eq!(prices, [2499, 2599]);

    // Unary with google.protobuf.Empty.
    client
        .delete_product(with_key(
            DeleteProductRequest {
                id: lamp.id.clone(),
            },
            "admin-key",
        ))
        .await
        .unwrap();
    let gone = client
        .get_product(GetProductRequest {
            id: lamp.id,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Code::NotFound);
}

#[tokio::test]
async fn errors_map_to_their_status_codes() {
    let addr = start(Catalog::new()).await;
    let mut client = client(addr).await;

    let missing = client
        .get_product(GetProductRequest {
            id: "p-404".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    assert_eq!(missing.message(), "product `p-404` does not exist");

    let bad = CreateProductRequest {
        product: Some(product("  ", -5)),
        ..Default::default()
    };
    let status = client
        .create_product(with_key(bad, "admin-key"))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let details = status.get_error_details();
    let violations: Vec<(&str, &str)> = details
        .bad_request()
        .expect("google.rpc.BadRequest details")
        .field_violations
        .iter()
        .map(|v| (v.field.as_str(), v.description.as_str()))
        .collect();
    assert_eq!(
        violations,
        [
            ("product.name", "must not be empty"),
            ("product.price_cents", "must not be negative")
        ]
    );

    let mut duplicate = product("lamp", 1);
    duplicate.id = "p-7".into();
    let request = || CreateProductRequest {
        product: Some(duplicate.clone()),
        ..Default::default()
    };
    client
        .create_product(with_key(request(), "admin-key"))
        .await
        .unwrap();
    let again = client
        .create_product(with_key(request(), "admin-key"))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::AlreadyExists);
}

#[tokio::test]
async fn internal_errors_do_not_leak_their_cause() {
    let faults = Faults {
        corrupt_reads: true,
        ..Faults::default()
    };
    let addr = start(Catalog::new().with_faults(faults)).await;
    let mut client = client(addr).await;
    let mut request = Request::new(GetProductRequest {
        id: "p-1".into(),
        ..Default::default()
    });
    request
        .metadata_mut()
        .insert("x-request-id", "trace-42".parse().unwrap());
    let status = client.get_product(request).await.unwrap_err();
    assert_eq!(status.code(), Code::Internal);
    assert_eq!(status.message(), "internal error (request id trace-42)");
    let everything = format!("{status:?}");
    for secret in ["checksum", "segment-7", "hunter2", "/var/lib"] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked: {everything}"
        );
    }
    // Mid-stream setup failures too.
    let status = client
        .list_products(ListProductsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Internal);
    assert!(!status.message().contains("hunter2"));
}

#[tokio::test]
async fn auth_protects_writes_and_leaves_reads_public() {
    let addr = start(Catalog::new()).await;
    let mut client = client(addr).await;
    let request = || CreateProductRequest {
        product: Some(product("lamp", 1)),
        ..Default::default()
    };

    let none = client.create_product(request()).await.unwrap_err();
    assert_eq!(none.code(), Code::Unauthenticated);

    let wrong = client
        .create_product(with_key(request(), "no-such-key"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Code::Unauthenticated);
    assert!(!wrong.message().contains("no-such-key"));

    let reader = client
        .create_product(with_key(request(), "reader-key"))
        .await
        .unwrap_err();
    assert_eq!(reader.code(), Code::PermissionDenied);
    assert!(
        reader.message().contains("catalog.write"),
        "{}",
        reader.message()
    );

    // Nothing reached the handler: the store is still empty.
    let listed = client
        .list_products(ListProductsRequest::default())
        .await
        .unwrap()
        .into_inner()
        .message()
        .await
        .unwrap();
    assert!(listed.is_none());

    // Streams are protected the same way.
    let batch = tokio_stream::iter(Vec::<BatchCreateProductsRequest>::new());
    let status = client.batch_create_products(batch).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);

    // The principal reaches the handler: the admin key may write.
    create(&mut client, "lamp", 1).await;
}

#[tokio::test]
async fn a_slow_handler_ends_in_deadline_exceeded() {
    let faults = Faults {
        read_delay: Duration::from_secs(30),
        ..Faults::default()
    };
    let addr = start(Catalog::new().with_faults(faults)).await;
    let mut client = client(addr).await;

    // The client's deadline shorter than the method's (2s), then the method's shorter.
    for (client_deadline, at_least, below) in [(300, 250, 1500), (20_000, 1900, 4000)] {
        let mut request = Request::new(GetProductRequest {
            id: "p-1".into(),
            ..Default::default()
        });
        request.set_timeout(Duration::from_millis(client_deadline));
        let started = Instant::now();
        let status = client.get_product(request).await.unwrap_err();
        let took = started.elapsed().as_millis();
        assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
        assert!(
            (at_least..below).contains(&took),
            "{client_deadline} ms: took {took} ms"
        );
    }
}

#[tokio::test]
async fn a_stream_past_its_deadline_ends_in_deadline_exceeded() {
    let faults = Faults {
        stream_interval: Duration::from_millis(200),
        ..Faults::default()
    };
    let addr = start(Catalog::new().with_faults(faults)).await;
    let mut client = client(addr).await;
    for i in 0..20 {
        create(&mut client, &format!("item {i}"), i).await;
    }
    let mut request = Request::new(ListProductsRequest::default());
    request.set_timeout(Duration::from_millis(1100));
    let started = Instant::now();
    let mut stream = client.list_products(request).await.unwrap().into_inner();
    let mut received = 0;
    let status = loop {
        match stream.message().await {
            Ok(Some(_)) => received += 1,
            Ok(None) => panic!("the stream ended normally after {received} messages"),
            Err(status) => break status,
        }
    };
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    assert!(
        (2..20).contains(&received),
        "{received} messages before the deadline"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn health_answers_serving_and_reflection_lists_every_service() {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let addr = start(Catalog::new()).await;
    let channel = channel(addr).await;

    let mut health = HealthClient::new(channel.clone());
    for service in ["", "shop.v1.CatalogService"] {
        let status = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner()
            .status;
        assert_eq!(status, ServingStatus::Serving as i32, "{service:?}");
    }

    let mut reflection = ServerReflectionClient::new(channel);
    let ask = |request| ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    };
    let mut responses = reflection
        .server_reflection_info(tokio_stream::iter([
            ask(MessageRequest::ListServices(String::new())),
            ask(MessageRequest::FileContainingSymbol(
                "shop.v1.CatalogService".into(),
            )),
        ]))
        .await
        .unwrap()
        .into_inner();
    let Some(MessageResponse::ListServicesResponse(list)) =
        responses.message().await.unwrap().unwrap().message_response
    else {
        panic!("expected a service list");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "ledger.v1.LedgerService",
            "shop.v1.CatalogService",
        ]
    );
    let Some(MessageResponse::FileDescriptorResponse(files)) =
        responses.message().await.unwrap().unwrap().message_response
    else {
        panic!("expected file descriptors");
    };
    // The custom options survive: the method option's extension number is in the bytes.
    let (bytes, shop) = files
        .file_descriptor_proto
        .iter()
        .map(|bytes| {
            let file = <prost_types::FileDescriptorProto as prost::Message>::decode(&bytes[..]);
            (bytes, file.unwrap())
        })
        .find(|(_, f)| f.name() == "shop/v1/shop.proto")
        .expect("shop.proto");
    assert_eq!(shop.service[0].name(), "CatalogService");
    // Field 51234, length-delimited: the tag's varint.
    let tag = [0x92, 0x82, 0x19];
    assert!(
        bytes.windows(3).any(|w| w == tag),
        "the protoforge.v1 options were dropped from the reflected descriptor"
    );
}

#[tokio::test]
async fn the_generated_client_gives_calls_a_deadline() {
    use example_service::shop::v1::catalog_service_forge::spec;
    assert_eq!(spec::GET_PRODUCT.timeout, Some(Duration::from_secs(2)));
    assert_eq!(
        spec::WATCH_PRICES.timeout,
        None,
        "bidi streams get no service default"
    );
    assert_eq!(
        (spec::GET_PRODUCT.public, spec::DELETE_PRODUCT.public),
        (true, false)
    );
    assert_eq!(spec::DELETE_PRODUCT.scopes, ["catalog.write"]);

    // What the generated client puts on the wire: a tower service in place of the channel
    // records each call's grpc-timeout and answers UNIMPLEMENTED.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorder = {
        let seen = std::sync::Arc::clone(&seen);
        tower::service_fn(move |request: http::Request<tonic::body::Body>| {
            let timeout = request
                .headers()
                .get("grpc-timeout")
                .map(|v| protoforge::runtime::parse_grpc_timeout(v.to_str().unwrap()).unwrap());
            seen.lock().unwrap().push(timeout);
            async move {
                let (parts, ()) = tonic::Status::unimplemented("recorded")
                    .into_http::<()>()
                    .into_parts();
                Ok::<_, std::convert::Infallible>(http::Response::from_parts(
                    parts,
                    tonic::body::Body::empty(),
                ))
            }
        })
    };
    let inner =
        example_service::shop::v1::catalog_service_client::CatalogServiceClient::new(recorder);
    let mut client = Client::new(inner);
    let get = || GetProductRequest {
        id: "x".into(),
        ..Default::default()
    };
    let _ = client.get_product(get()).await;
    let _ = client.create_product(CreateProductRequest::default()).await;
    let mut own = Request::new(get());
    own.set_timeout(Duration::from_millis(300));
    let _ = client.get_product(own).await;
    let _ = client.watch_prices(tokio_stream::iter(Vec::new())).await;
    let mut client = client.with_default_timeout(Some(Duration::from_secs(7)));
    let _ = client.watch_prices(tokio_stream::iter(Vec::new())).await;
    let seen = seen.lock().unwrap().clone();
    let s = |secs: u64| Some(Duration::from_secs(secs));
    assert_eq!(
        seen,
        [
            s(2),                             // GetProduct's own timeout
            s(5),                             // CreateProduct: the service's default
            Some(Duration::from_millis(300)), // the caller's deadline is kept
            None,                             // bidi: no declared timeout, no default
            None,                             // not even with a client default
        ]
    );
}

// Multi-threaded: the server goes on while this thread waits for the client's thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_within_the_grace_period_when_a_client_stops_reading() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(common::KEYS).unwrap(),
    )
    .shutdown_grace(Duration::from_millis(300));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_with_listener(listener, async {
        let _ = stopped.await;
    }));

    // A client on a runtime of its own makes a call, then that runtime is no longer driven:
    // its connection stays open and never answers the server's goodbye.
    let (called, stalled) = std::sync::mpsc::channel();
    let (release, hold) = std::sync::mpsc::channel::<()>();
    let frozen = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let reply = runtime.block_on(async {
            let mut client = client(addr).await;
            client
                .list_products(ListProductsRequest::default())
                .await
                .map(|_| ())
        });
        called.send(reply.is_ok()).unwrap();
        let _ = hold.recv();
        drop(runtime);
    });
    assert!(stalled.recv().unwrap(), "the call before shutdown failed");

    let started = Instant::now();
    stop.send(()).unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), serving).await;
    let took = started.elapsed();
    release.send(()).unwrap();
    frozen.join().unwrap();
    ended
        .expect("shutdown waited on the stalled client past its grace period")
        .unwrap()
        .unwrap();
    assert!(
        took >= Duration::from_millis(250),
        "the server stopped before the grace period ({took:?})"
    );
}

/// The ledger service is written in edition 2023: generated, served and called end to end, its
/// explicit-presence field an `Option` and its implicit ones plain values.
#[tokio::test]
async fn an_edition_2023_service_is_served_end_to_end() {
    use example_service::ledger::v1::ledger_service_forge::Client as LedgerClient;
    use example_service::ledger::v1::{Entry, RecordRequest, Site};

    let addr = start(Catalog::new()).await;
    let mut ledger = LedgerClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    let record = |delta: i64, note: Option<&str>| RecordRequest {
        entry: Some(Entry {
            product_id: "p-1".into(),
            delta,
            note: note.map(str::to_owned),
            site: Some(Site::Warehouse as i32),
        }),
    };
    let first = ledger
        .record(with_key(record(5, None), "admin-key"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((first.balance, first.history), (5, vec![5]));
    let second = ledger
        .record(with_key(record(-2, Some("sold")), "admin-key"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!((second.balance, second.history), (3, vec![5, -2]));

    // Presence reaches the handler: an empty note is not a missing one.
    let empty = ledger
        .record(with_key(record(1, Some("")), "admin-key"))
        .await
        .unwrap_err();
    assert_eq!(empty.code(), Code::InvalidArgument, "{empty:?}");
    // The service's policy (from the proto): writers only.
    let anonymous = ledger.record(record(1, None)).await.unwrap_err();
    assert_eq!(anonymous.code(), Code::Unauthenticated, "{anonymous:?}");
    let reader = ledger
        .record(with_key(record(1, None), "reader-key"))
        .await
        .unwrap_err();
    assert_eq!(reader.code(), Code::PermissionDenied, "{reader:?}");

    // And over HTTP/JSON, from its `google.api.http` rule.
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/v1/ledger:record"))
        .header("x-api-key", "admin-key")
        .body(r#"{"entry": {"productId": "p-1", "delta": "4", "site": "SITE_SHOP"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"balance": "7", "history": ["5", "-2", "4"]})
    );
}

/// Older clients (Python's grpc_reflection, Postman, older grpcurl) speak v1alpha only; every
/// client keeps one stream open and expects an unknown name to be an answer, not the end.
#[tokio::test]
async fn reflection_v1alpha_answers_errors_in_stream_and_describes_health_and_extensions() {
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1alpha::{ExtensionRequest, ServerReflectionRequest};

    let addr = start(Catalog::new()).await;
    let mut reflection = ServerReflectionClient::new(channel(addr).await);
    let ask = |request| ServerReflectionRequest {
        host: "localhost".into(),
        message_request: Some(request),
    };
    let requests = [
        MessageRequest::FileContainingSymbol("shop.v1.NoSuchThing".into()),
        MessageRequest::FileContainingSymbol("grpc.health.v1.Health".into()),
        MessageRequest::FileContainingSymbol("shop.v1.CatalogService.GetProduct".into()),
        // protoforge.v1's method option extends MethodOptions with 51234.
        MessageRequest::AllExtensionNumbersOfType("google.protobuf.MethodOptions".into()),
        MessageRequest::FileContainingExtension(ExtensionRequest {
            containing_type: "google.protobuf.MethodOptions".into(),
            extension_number: 51234,
        }),
        MessageRequest::FileByFilename("nope.proto".into()),
        MessageRequest::ListServices(String::new()),
    ];
    let mut responses = reflection
        .server_reflection_info(tokio_stream::iter(requests.map(ask)))
        .await
        .unwrap()
        .into_inner();
    let mut answers = Vec::new();
    while let Some(response) = responses.message().await.unwrap() {
        assert_eq!(response.valid_host, "localhost");
        answers.push(response.message_response.unwrap());
    }
    let file_names = |answer: &MessageResponse| match answer {
        MessageResponse::FileDescriptorResponse(files) => files
            .file_descriptor_proto
            .iter()
            .map(|bytes| {
                <prost_types::FileDescriptorProto as prost::Message>::decode(&bytes[..])
                    .unwrap()
                    .name()
                    .to_owned()
            })
            .collect::<Vec<_>>(),
        other => panic!("expected files, got {other:?}"),
    };
    assert_eq!(answers.len(), 7, "{answers:#?}");
    let MessageResponse::ErrorResponse(error) = &answers[0] else {
        panic!("{:?}", answers[0]);
    };
    assert_eq!(error.error_code, tonic::Code::NotFound as i32);
    assert_eq!(error.error_message, "symbol not found: shop.v1.NoSuchThing");
    // tonic-health registers the file under this name.
    assert_eq!(file_names(&answers[1]), ["health.proto"]);
    let shop = file_names(&answers[2]);
    assert_eq!(shop[0], "shop/v1/shop.proto");
    assert!(
        shop.contains(&"protoforge/v1/options.proto".to_owned()),
        "imports come with the file: {shop:?}"
    );
    let MessageResponse::AllExtensionNumbersResponse(numbers) = &answers[3] else {
        panic!("{:?}", answers[3]);
    };
    assert_eq!(numbers.base_type_name, "google.protobuf.MethodOptions");
    assert!(numbers.extension_number.contains(&51234), "{numbers:?}");
    // Already sent on this stream: the file alone.
    assert_eq!(file_names(&answers[4]), ["protoforge/v1/options.proto"]);
    assert!(matches!(&answers[5], MessageResponse::ErrorResponse(e) if e.error_code == 5));
    let MessageResponse::ListServicesResponse(list) = &answers[6] else {
        panic!("{:?}", answers[6]);
    };
    assert!(
        list.service
            .iter()
            .any(|s| s.name == "grpc.health.v1.Health")
    );
}

/// What a dynamic client (buf curl, grpcurl) does with the ledger: ask reflection for the file,
/// link what it gets and encode a request from JSON. The edition 2023 file comes back as protoc
/// writes it, and the runtime's `to_linkable` links it with explicit presence kept.
#[tokio::test]
async fn reflection_serves_the_edition_2023_file_a_dynamic_client_can_use() {
    use example_service::ledger::v1::RecordRequest;
    use example_service::ledger::v1::ledger_service_forge::Client as LedgerClient;
    use prost::Message;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let addr = start(Catalog::new()).await;
    let channel = channel(addr).await;
    let mut reflection = ServerReflectionClient::new(channel.clone());
    let mut ask = async |request| {
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(request),
        };
        let mut responses = reflection
            .server_reflection_info(tokio_stream::iter([request]))
            .await
            .unwrap()
            .into_inner();
        let Some(MessageResponse::FileDescriptorResponse(files)) =
            responses.message().await.unwrap().unwrap().message_response
        else {
            panic!("expected file descriptors");
        };
        files.file_descriptor_proto
    };
    // prost-types has no `edition` field: read the files through descriptor.proto's own
    // description, which keeps every field.
    let file_proto = prost_reflect::DescriptorPool::global()
        .get_message_by_name("google.protobuf.FileDescriptorProto")
        .unwrap();
    let field = |file: &prost_reflect::DynamicMessage, name: &str| {
        file.get_field_by_name(name).unwrap().into_owned()
    };
    // As buf curl does: the file with the symbol, then every import it lacks, by name.
    let mut served: Vec<(Vec<u8>, prost_reflect::DynamicMessage)> = Vec::new();
    let mut next = ask(MessageRequest::FileContainingSymbol(
        "ledger.v1.LedgerService".into(),
    ))
    .await;
    while !next.is_empty() {
        for bytes in std::mem::take(&mut next) {
            let file =
                prost_reflect::DynamicMessage::decode(file_proto.clone(), &bytes[..]).unwrap();
            let name = field(&file, "name").as_str().unwrap().to_owned();
            if !served
                .iter()
                .any(|(_, f)| field(f, "name").as_str() == Some(&name))
            {
                served.push((bytes, file));
            }
        }
        let known: Vec<String> = served
            .iter()
            .map(|(_, f)| field(f, "name").as_str().unwrap().to_owned())
            .collect();
        let missing: Vec<String> = served
            .iter()
            .flat_map(|(_, f)| field(f, "dependency").as_list().unwrap().to_vec())
            .filter_map(|d| d.as_str().map(str::to_owned))
            .filter(|d| !known.contains(d))
            .collect();
        for name in missing {
            next.extend(ask(MessageRequest::FileByFilename(name)).await);
        }
    }
    let (_, ledger) = served
        .iter()
        .find(|(_, f)| field(f, "name").as_str() == Some("ledger/v1/ledger.proto"))
        .expect("ledger.proto is served");
    assert_eq!(
        (
            field(ledger, "syntax").as_str(),
            field(ledger, "edition").as_enum_number()
        ),
        (Some("editions"), Some(1000)),
        "served as protoc writes an edition 2023 file (EDITION_2023 = 1000)"
    );

    // FileDescriptorSet is `repeated FileDescriptorProto file = 1;`: the served bytes, framed.
    let mut bytes = Vec::new();
    for (file, _) in &served {
        prost::encoding::bytes::encode(1, file, &mut bytes);
    }
    let linkable = protoforge::internals::descriptor_set::to_linkable(&bytes).unwrap();
    let pool = prost_reflect::DescriptorPool::decode(&*linkable).unwrap();
    let entry = pool.get_message_by_name("ledger.v1.Entry").unwrap();
    let presence = |name: &str| entry.get_field_by_name(name).unwrap().supports_presence();
    // Explicit presence survives linking. Implicit presence does not: prost-reflect 0.16 links
    // the proto2 form, where every singular field has presence (see `descriptor_set`).
    assert!(presence("note") && presence("site"), "explicit presence");

    // A request written as JSON against the reflected pool is what the server's own types read.
    let input = pool.get_message_by_name("ledger.v1.RecordRequest").unwrap();
    let json = r#"{"entry": {"productId": "p-9", "delta": "3", "note": "", "site": "SITE_SHOP"}}"#;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let dynamic = prost_reflect::DynamicMessage::deserialize(input, &mut deserializer).unwrap();
    let typed = RecordRequest::decode(dynamic.encode_to_vec().as_slice()).unwrap();
    let entry = typed.entry.as_ref().unwrap();
    assert_eq!(
        entry.note.as_deref(),
        Some(""),
        "an empty note keeps its presence"
    );
    let mut client = LedgerClient::new(
        example_service::ledger::v1::ledger_service_client::LedgerServiceClient::new(channel),
    );
    let empty_note = client
        .record(with_key(typed, "admin-key"))
        .await
        .unwrap_err();
    assert_eq!(empty_note.code(), Code::InvalidArgument, "{empty_note:?}");
}
