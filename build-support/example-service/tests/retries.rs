//! Generated clients against servers that fail for real: a layer that answers the first calls
//! UNAVAILABLE (or overloaded, with a pushback), a proxy that drops the first connections, a
//! server that is down. Reads (`idempotency_level = NO_SIDE_EFFECTS`) are retried; writes
//! never; attempts, the deadline and the budget bound the retries; a balanced client goes
//! round a dead endpoint.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::with_key;
use example_service::Catalog;
use example_service::shop::v1::catalog_service_client::CatalogServiceClient;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::shop::v1::*;
use protoforge::runtime::RetryPolicy;
use tonic::Code;
use tonic::transport::{Channel, Endpoint};

const GET: &str = "/shop.v1.CatalogService/GetProduct";
const CREATE: &str = "/shop.v1.CatalogService/CreateProduct";
const LIST: &str = "/shop.v1.CatalogService/ListProducts";

/// Fast retries, so the tests take milliseconds.
fn quick() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

/// The example server behind a layer that answers the first `fail` calls of `path` with
/// `status()`; returns its address and the count of calls of `path` it saw.
async fn flaky(
    path: &'static str,
    fail: usize,
    status: fn() -> tonic::Status,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let layer = axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let counter = counter.clone();
            async move {
                if request.uri().path() == path && counter.fetch_add(1, Ordering::SeqCst) < fail {
                    return status().into_http::<axum::body::Body>();
                }
                next.run(request).await
            }
        },
    );
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(common::KEYS).unwrap(),
    )
    .layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
    (addr, calls)
}

async fn client(addr: SocketAddr) -> Client<Channel> {
    Client::connect(format!("http://{addr}"))
        .await
        .unwrap()
        .with_retry(quick())
}

fn unavailable() -> tonic::Status {
    tonic::Status::unavailable("warming up")
}

fn get(id: &str) -> GetProductRequest {
    GetProductRequest {
        id: id.into(),
        ..GetProductRequest::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unavailable_reads_are_retried_until_they_succeed() {
    let (addr, calls) = flaky(GET, 2, unavailable).await;
    let mut grpc = client(addr).await;
    let product = common::create_product(&mut grpc, "lamp").await;
    let got = grpc.get_product(get(&product.id)).await.unwrap();
    assert_eq!(got.into_inner().product.unwrap().name, "lamp");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "two failures, then the answer"
    );
    // Without retries the first failure is the caller's.
    let (addr, calls) = flaky(GET, 1, unavailable).await;
    let mut plain = client(addr).await.with_retry(RetryPolicy::none());
    let status = plain.get_product(get("p-1")).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_are_never_retried() {
    let (addr, calls) = flaky(CREATE, 1, unavailable).await;
    let mut grpc = client(addr).await;
    let request = with_key(CreateProductRequest {
        product: Some(Product {
            name: "lamp".into(),
            ..Product::default()
        }),
        ..CreateProductRequest::default()
    });
    let status = grpc.create_product(request).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(calls.load(Ordering::SeqCst), 1, "a write was repeated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_stream_is_retried_until_it_starts() {
    let (addr, calls) = flaky(LIST, 2, unavailable).await;
    let mut grpc = client(addr).await;
    common::create_product(&mut grpc, "lamp").await;
    let mut stream = grpc
        .list_products(ListProductsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(stream.message().await.unwrap().is_some());
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_is_retried_only_when_the_server_says_when() {
    fn told() -> tonic::Status {
        let mut status = tonic::Status::resource_exhausted("busy");
        status
            .metadata_mut()
            .insert("grpc-retry-pushback-ms", "30".parse().unwrap());
        status
    }
    let (addr, calls) = flaky(GET, 1, told).await;
    let mut grpc = client(addr).await;
    let started = Instant::now();
    let status = grpc.get_product(get("p-404")).await.unwrap_err();
    assert_eq!(
        status.code(),
        Code::NotFound,
        "the retry reached the handler"
    );
    assert!(started.elapsed() >= Duration::from_millis(30));
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    fn untold() -> tonic::Status {
        tonic::Status::resource_exhausted("busy")
    }
    let (addr, calls) = flaky(GET, 1, untold).await;
    let mut grpc = client(addr).await;
    let status = grpc.get_product(get("p-404")).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempts_the_deadline_and_the_budget_bound_the_retries() {
    let (addr, calls) = flaky(GET, usize::MAX, unavailable).await;
    // Attempts: three in all.
    let mut grpc = client(addr).await;
    let status = grpc.get_product(get("p-1")).await.unwrap_err();
    assert_eq!(status.code(), Code::Unavailable);
    assert_eq!(calls.swap(0, Ordering::SeqCst), 3);

    // The deadline covers every attempt: 200 ms, however many attempts are allowed.
    let mut patient = client(addr).await.with_retry(RetryPolicy {
        max_attempts: 1000,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    });
    let mut request = tonic::Request::new(get("p-1"));
    request.set_timeout(Duration::from_millis(200));
    let started = Instant::now();
    let status = patient.get_product(request).await.unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(status.code(), Code::Unavailable | Code::DeadlineExceeded),
        "{status:?}"
    );
    assert!(took < Duration::from_millis(600), "{took:?}");
    let attempts = calls.swap(0, Ordering::SeqCst);
    assert!(
        (2..60).contains(&attempts),
        "{attempts} attempts in {took:?}"
    );

    // The budget: one retry per ten calls (and none for free), so 20 failing calls make at
    // most 22 attempts where five attempts each would make 100.
    let mut budgeted = client(addr).await.with_retry(RetryPolicy {
        max_attempts: 5,
        budget_percent: 0.1,
        min_retries_per_second: 0,
        ..quick()
    });
    for _ in 0..20 {
        let status = budgeted.get_product(get("p-1")).await.unwrap_err();
        assert_eq!(status.code(), Code::Unavailable);
    }
    let attempts = calls.load(Ordering::SeqCst);
    assert!((20..=22).contains(&attempts), "{attempts} attempts");
}

/// A proxy to `target` that closes the first `drop` connections as soon as it accepts them;
/// returns its address and how many connections it accepted.
async fn dropping_proxy(target: SocketAddr, drop: usize) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            if count.fetch_add(1, Ordering::SeqCst) < drop {
                continue; // dropped: the client sees the connection close
            }
            tokio::spawn(async move {
                let mut outbound = tokio::net::TcpStream::connect(target).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    (addr, accepted)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_are_retried_on_a_new_one() {
    let (server, calls) = flaky(GET, 0, unavailable).await;
    let (proxy, accepted) = dropping_proxy(server, 2).await;
    let channel = Endpoint::from_shared(format!("http://{proxy}"))
        .unwrap()
        .connect_lazy();
    let mut grpc = Client::new(CatalogServiceClient::new(channel)).with_retry(RetryPolicy {
        max_attempts: 5,
        ..quick()
    });
    let status = grpc.get_product(get("p-404")).await.unwrap_err();
    assert_eq!(
        status.code(),
        Code::NotFound,
        "the call got through: {status:?}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one call reached the server"
    );
    assert!(accepted.load(Ordering::SeqCst) >= 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_balanced_client_spreads_calls_and_goes_round_a_dead_endpoint() {
    let (one, one_calls) = flaky(GET, 0, unavailable).await;
    let (two, two_calls) = flaky(GET, 0, unavailable).await;
    let endpoint = |addr: SocketAddr| Endpoint::from_shared(format!("http://{addr}")).unwrap();
    let mut grpc = Client::balance([endpoint(one), endpoint(two)]);
    for _ in 0..40 {
        let status = grpc.get_product(get("p-404")).await.unwrap_err();
        assert_eq!(status.code(), Code::NotFound);
    }
    let (a, b) = (
        one_calls.load(Ordering::SeqCst),
        two_calls.load(Ordering::SeqCst),
    );
    assert_eq!(a + b, 40);
    assert!(a > 0 && b > 0, "{a} and {b}");

    // Nothing listens on the dead endpoint's port.
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let mut grpc = Client::balance([endpoint(dead), endpoint(one)]).with_retry(quick());
    for _ in 0..10 {
        let status = grpc.get_product(get("p-404")).await.unwrap_err();
        assert_eq!(status.code(), Code::NotFound, "{status:?}");
    }
}
