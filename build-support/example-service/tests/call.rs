//! `protoforge call` against the example service: list, describe and every call kind through
//! server reflection, local schemas, errors and their exit codes, and a stream whose input
//! goes bad half way.

mod common;
mod protoforge_call;

use std::net::SocketAddr;

use common::start;
use example_service::Catalog;
use protoforge_call::call;

fn method(addr: SocketAddr, name: &str) -> String {
    format!("http://{addr}/shop.v1.CatalogService/{name}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_describes_and_calls_every_kind_through_reflection() {
    let addr = start(Catalog::new()).await;
    let a = addr.to_string();

    let listed = call(&[&a, "list"]).await;
    assert_eq!(listed.code, 0, "{}", listed.err);
    assert_eq!(
        listed.out.lines().collect::<Vec<_>>(),
        [
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "ledger.v1.LedgerService",
            "shop.v1.CatalogService",
        ]
    );
    let methods = call(&[&a, "list", "shop.v1.CatalogService", "--format", "json"]).await;
    let methods: Vec<String> = serde_json::from_str(&methods.out).unwrap();
    assert_eq!(methods.len(), 8);
    assert_eq!(methods[0], "shop.v1.CatalogService/GetProduct");

    let service = call(&[&a, "describe", "shop.v1.CatalogService"]).await;
    assert!(
        service.out.contains(
            "  rpc WatchPrices(stream shop.v1.WatchPricesRequest) returns (stream \
             shop.v1.WatchPricesResponse);\n"
        ),
        "{}",
        service.out
    );
    let product = call(&[&a, "describe", "shop.v1.Product", "--format", "json"]).await;
    let product: serde_json::Value = serde_json::from_str(&product.out).unwrap();
    assert_eq!(product["name"], "Product");
    assert_eq!(product["field"][5]["label"], "LABEL_REPEATED");
    let field = call(&[&a, "describe", "shop.v1.Product.tags"]).await;
    assert_eq!(field.out, "repeated string tags = 6;\n");
    let rpc = call(&[&a, "describe", "shop.v1.CatalogService/ListProducts"]).await;
    assert_eq!(
        rpc.out,
        "rpc ListProducts(shop.v1.ListProductsRequest) returns (stream \
         shop.v1.ListProductsResponse);\n"
    );

    // Unary, with metadata.
    let created = call(&[
        &a,
        "shop.v1.CatalogService/CreateProduct",
        "-H",
        "x-api-key: admin-key",
        "-d",
        r#"{"product": {"name": "lamp", "priceCents": "1999"}}"#,
    ])
    .await;
    assert_eq!(created.code, 0, "{}", created.err);
    let created = &created.json_lines()[0];
    assert_eq!(created["product"]["name"], "lamp");
    assert_eq!(created["product"]["priceCents"], "1999");
    let id = created["product"]["id"].as_str().unwrap().to_owned();

    // Client streaming: several messages in one -d.
    let batch = call(&[
        &method(addr, "BatchCreateProducts"),
        "-H",
        "x-api-key: admin-key",
        "-d",
        r#"{"product": {"name": "chair"}} {"product": {"name": "desk"}}"#,
    ])
    .await;
    assert_eq!(
        (batch.code, batch.out.as_str()),
        (0, "{}\n"),
        "{}",
        batch.err
    );

    // Server streaming, in text format.
    let listed = call(&[&method(addr, "ListProducts"), "--format", "text"]).await;
    assert_eq!(listed.code, 0, "{}", listed.err);
    let names: Vec<&str> = listed
        .out
        .lines()
        .map(|line| {
            line.split("name:\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(names, ["lamp", "chair", "desk"], "{}", listed.out);

    // Bidirectional: each price change answered in order.
    let data = format!(
        r#"{{"productId": "{id}", "priceCents": "2100"}}
           {{"productId": "{id}", "priceCents": "2200"}}"#
    );
    let watched = call(&[
        &a,
        "shop.v1.CatalogService.WatchPrices",
        "-H",
        "x-api-key: admin-key",
        "-d",
        &data,
    ])
    .await;
    assert_eq!(watched.code, 0, "{}", watched.err);
    let prices: Vec<serde_json::Value> = watched
        .json_lines()
        .iter()
        .map(|m| m["priceCents"].clone())
        .collect();
    assert_eq!(prices, ["2100", "2200"]);

    // Defaults shown on request; headers and trailers with -v.
    let got = call(&[
        &method(addr, "GetProduct"),
        "-d",
        &format!(r#"{{"id": "{id}"}}"#),
        "--emit-defaults",
        "-v",
    ])
    .await;
    assert_eq!(got.code, 0, "{}", got.err);
    assert_eq!(got.json_lines()[0]["product"]["shelf"], "");
    assert!(got.err.contains("Response headers:\n"), "{}", got.err);
    assert!(got.err.contains("x-request-id: "), "{}", got.err);
    assert!(
        got.err.contains("Response trailers:\n  grpc-status: 0"),
        "{}",
        got.err
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_exit_64_plus_their_code_and_print_as_the_gateway_does() {
    let addr = start(Catalog::new()).await;
    let missing = call(&[&method(addr, "GetProduct"), "-d", r#"{"id": "p-404"}"#]).await;
    assert_eq!(missing.code, 64 + 5, "{}", missing.err);
    assert_eq!(missing.out, "");
    let status: serde_json::Value = serde_json::from_str(&missing.err).unwrap();
    assert_eq!(status["code"], 5);
    assert_eq!(status["message"], "product `p-404` does not exist");

    let denied = call(&[
        &method(addr, "CreateProduct"),
        "-d",
        r#"{"product": {"name": "x"}}"#,
        "--format",
        "text",
    ])
    .await;
    assert_eq!(denied.code, 64 + 16);
    assert!(
        denied
            .err
            .starts_with("ERROR:\n  Code: UNAUTHENTICATED\n  Message: "),
        "{}",
        denied.err
    );

    // A negative price is refused with a BadRequest detail, printed in JSON with its type.
    let bad = call(&[
        &method(addr, "CreateProduct"),
        "-H",
        "x-api-key: admin-key",
        "-d",
        r#"{"product": {"name": "x", "priceCents": "-1"}}"#,
    ])
    .await;
    assert_eq!(bad.code, 64 + 3, "{}", bad.err);
    let status: serde_json::Value = serde_json::from_str(&bad.err).unwrap();
    assert_eq!(
        status["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest",
        "{status}"
    );

    let refused = call(&["127.0.0.1:1", "list"]).await;
    assert_eq!(refused.code, 64 + 14);
    assert!(
        refused.err.contains("cannot connect to 127.0.0.1:1"),
        "{}",
        refused.err
    );

    // A server that accepts and then never answers: --timeout ends the wait.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let started = std::time::Instant::now();
    let late = call(&[&silent_addr, "list", "--timeout", "300ms"]).await;
    assert_eq!(late.code, 64 + 4, "{}", late.err);
    assert!(late.err.contains("--timeout 300ms passed"), "{}", late.err);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mistakes_are_usage_errors_that_say_what_to_do() {
    let addr = start(Catalog::new()).await;
    let a = addr.to_string();
    let cases: &[(&[&str], &str)] = &[
        (
            &["shop.v1.CatalogService/GetProdct"],
            "has no method `GetProdct`: did you mean `GetProduct`?",
        ),
        (
            &["shop.v1.CatalogServce/GetProduct"],
            "did you mean `shop.v1.CatalogService`?",
        ),
        (&["GetProduct"], "does not name a method"),
        (
            &[
                "shop.v1.CatalogService/GetProduct",
                "-d",
                r#"{"id": "a"} {"id": "b"}"#,
            ],
            "takes one request message; -d has 2",
        ),
        (
            &["shop.v1.CatalogService/GetProduct", "-d", r#"{"idd": "a"}"#],
            "-d: message 1: invalid JSON for `shop.v1.GetProductRequest`: unrecognized field name 'idd'",
        ),
        (
            &["shop.v1.CatalogService/GetProduct", "-H", "novalue"],
            "bad header `novalue`",
        ),
        (&["describe"], "`describe` needs a symbol"),
        (
            &["describe", "shop.v1.Nope"],
            "the server does not know `shop.v1.Nope`",
        ),
    ];
    for (args, expected) in cases {
        let mut argv = vec![a.as_str()];
        argv.extend_from_slice(args);
        let outcome = call(&argv).await;
        assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.err);
        assert!(outcome.err.contains(expected), "{args:?}: {}", outcome.err);
    }
    let https_and_plain = call(&[&format!("http://{a}"), "list", "--tls"]).await;
    assert!(https_and_plain.err.contains("use https:// or drop --tls"));
    let no_port = call(&["localhost", "list"]).await;
    assert!(no_port.err.contains("has no port"), "{}", no_port.err);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_schemas_describe_offline_and_call_without_reflection() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("shop.binpb");
    std::fs::write(&set, example_service::shop::v1::FILE_DESCRIPTOR_SET).unwrap();
    let set = set.to_str().unwrap();
    // Port 1 has no server: listing and describing from files do not connect.
    let listed = call(&["127.0.0.1:1", "list", "--schema", "proto/shop"]).await;
    assert_eq!(listed.code, 0, "{}", listed.err);
    assert_eq!(listed.out, "shop.v1.CatalogService\n");
    let described = call(&[
        "127.0.0.1:1",
        "describe",
        "shop.v1.WatchPricesRequest",
        "--schema",
        set,
    ])
    .await;
    assert_eq!(
        described.out,
        "message shop.v1.WatchPricesRequest {\n  string product_id = 1;\n  int64 price_cents = 2;\n}\n"
    );

    let addr = start(Catalog::new()).await;
    let got = call(&[
        &method(addr, "CreateProduct"),
        "--schema",
        set,
        "-H",
        "x-api-key: admin-key",
        "-d",
        r#"{"product": {"name": "lamp"}}"#,
    ])
    .await;
    assert_eq!(got.code, 0, "{}", got.err);
    assert_eq!(got.json_lines()[0]["product"]["name"], "lamp");
    let missing = call(&["127.0.0.1:1", "describe", "shop.v1.Nope", "--schema", set]).await;
    assert!(
        missing.err.contains("`shop.v1.Nope` is not defined"),
        "{}",
        missing.err
    );
    let bad = call(&["127.0.0.1:1", "list", "--schema", "Cargo.toml"]).await;
    assert!(bad.err.contains("Cargo.toml: "), "{}", bad.err);
}

/// Writes `lines` into the FIFO at `fifo`, pausing between them, while `protoforge call`
/// streams them to BatchCreateProducts from `-d @FIFO`.
async fn upload_through_fifo(
    addr: SocketAddr,
    fifo: &std::path::Path,
    lines: Vec<String>,
    pause: std::time::Duration,
) -> protoforge_call::Outcome {
    use std::io::Write as _;

    let writer = {
        let fifo = fifo.to_owned();
        std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            for line in lines {
                // The reader goes away when the call ends; the outcome says why.
                if writeln!(pipe, "{line}").is_err() {
                    return;
                }
                std::thread::sleep(pause);
            }
        })
    };
    let outcome = call(&[
        &method(addr, "BatchCreateProducts"),
        "-H",
        "x-api-key: admin-key",
        "-d",
        &format!("@{}", fifo.display()),
    ])
    .await;
    writer.join().unwrap();
    outcome
}

/// A message that does not parse half way through a streamed input resets the stream: the
/// server never sees a clean end, so nothing of the half-sent batch is created.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_message_in_a_streamed_input_cancels_the_upload() {
    let addr = start(Catalog::new()).await;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("requests");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Two good messages reach the server before the bad one is read.
    let lines = [
        r#"{"product": {"name": "a"}}"#,
        r#"{"product": {"name": "b"}}"#,
        r#"{"product": {"nam": "c"}}"#,
    ];
    let pause = std::time::Duration::from_millis(50);
    let outcome = upload_through_fifo(addr, &fifo, lines.map(str::to_owned).to_vec(), pause).await;
    assert_eq!(outcome.code, 2, "{}", outcome.err);
    assert!(
        outcome
            .err
            .contains("message 3: invalid value for field `product`"),
        "{}",
        outcome.err
    );
    let listed = call(&[&method(addr, "ListProducts")]).await;
    assert_eq!(
        (listed.code, listed.out.as_str()),
        (0, ""),
        "{}",
        listed.err
    );

    // The same input, all good, streams through. A FIFO of its own: the last one's reader may
    // not be closed yet, and a writer that opened it would then write into a closed pipe.
    let fifo = dir.path().join("good-requests");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let lines = (0..100)
        .map(|n| format!(r#"{{"product": {{"name": "item {n}"}}}}"#))
        .collect();
    let outcome = upload_through_fifo(addr, &fifo, lines, std::time::Duration::ZERO).await;
    assert_eq!(outcome.code, 0, "{}", outcome.err);
    let listed = call(&[&method(addr, "ListProducts")]).await;
    assert_eq!(listed.out.lines().count(), 100);
}
