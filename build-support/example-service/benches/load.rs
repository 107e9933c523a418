//! Load test: many concurrent clients mixing unary and streaming calls over gRPC and HTTP/JSON
//! against the example server on loopback, for a fixed number of requests. Reports requests per
//! second, p50/p99 latency, errors (any lost or wrong response) and resident memory after each of
//! three identical rounds (growth that does not level off would be a leak). Exits 1 on any error.
//!
//! `cargo bench -p example-service --bench load` (LOAD_REQUESTS, LOAD_CLIENTS, LOAD_ROUNDS to
//! change the size)

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use example_service::Catalog;
use example_service::shop::v1::catalog_service_forge::Client;
use example_service::shop::v1::*;
use tonic::Request;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

const FIXED: usize = 50;

struct Round {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
}

async fn round(addr: std::net::SocketAddr, requests: usize, clients: usize) -> Round {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (next, errors) = (Arc::clone(&next), Arc::clone(&errors));
        tasks.push(tokio::spawn(async move {
            // A connection per client: HTTP/2 for gRPC, HTTP/1.1 keep-alive for the gateway.
            let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
            let http = reqwest::Client::new();
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests {
                    break;
                }
                let id = format!("p-{}", (i * 7 + c) % FIXED + 1);
                let at = Instant::now();
                let ok = match i % 10 {
                    // Unary gRPC read.
                    0..=4 => grpc
                        .get_product(GetProductRequest {
                            id: id.clone(),
                            ..Default::default()
                        })
                        .await
                        .is_ok_and(|r| r.into_inner().product.is_some_and(|p| p.id == id)),
                    // Unary gRPC write (validate only, so the store does not grow).
                    5 | 6 => {
                        let name = format!("load {i}");
                        let mut request = Request::new(CreateProductRequest {
                            product: Some(Product {
                                name: name.clone(),
                                price_cents: 1,
                                ..Default::default()
                            }),
                            validate_only: true,
                        });
                        request
                            .metadata_mut()
                            .insert("x-api-key", "load-key".parse().unwrap());
                        grpc.create_product(request)
                            .await
                            .is_ok_and(|r| r.into_inner().product.is_some_and(|p| p.name == name))
                    }
                    // Server streaming over gRPC: every fixed product, in order.
                    7 => match grpc.list_products(ListProductsRequest::default()).await {
                        Ok(response) => {
                            let mut stream = response.into_inner();
                            let mut count = 0;
                            let mut ok = true;
                            loop {
                                match stream.message().await {
                                    Ok(Some(_)) => count += 1,
                                    Ok(None) => break,
                                    Err(_) => {
                                        ok = false;
                                        break;
                                    }
                                }
                            }
                            ok && count == FIXED
                        }
                        Err(_) => false,
                    },
                    // The same read over HTTP/JSON.
                    _ => match http
                        .get(format!("http://{addr}/v1/products/{id}"))
                        .send()
                        .await
                    {
                        Ok(response) if response.status().is_success() => response
                            .text()
                            .await
                            .is_ok_and(|t| t.contains(&format!("\"id\":\"{id}\""))),
                        _ => false,
                    },
                };
                latencies.push(at.elapsed());
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    Round {
        elapsed: started.elapsed(),
        errors: errors.load(Ordering::Relaxed),
        latencies,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn main() {
    let requests = env("LOAD_REQUESTS", 40_000);
    let clients = env("LOAD_CLIENTS", 64);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let failed = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let catalog = Catalog::new();
        let auth = example_service::authenticator("load:load-key:catalog.write").unwrap();
        let server = example_service::server(catalog.clone(), auth);
        tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
        let mut grpc = Client::connect(format!("http://{addr}")).await.unwrap();
        for i in 0..FIXED {
            let mut request = Request::new(CreateProductRequest {
                product: Some(Product { name: format!("fixed {i}"), price_cents: 100, ..Default::default() }),
                validate_only: false,
            });
            request.metadata_mut().insert("x-api-key", "load-key".parse().unwrap());
            grpc.create_product(request).await.unwrap();
        }
        println!(
            "load: {requests} requests per round from {clients} concurrent clients (50% unary gRPC reads, \
             20% unary gRPC writes, 10% gRPC server streams of {FIXED}, 20% HTTP/JSON reads), loopback, {} cores",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        let mut failed = false;
        let before = rss_kib();
        println!("load: resident memory before: {} MiB", before / 1024);
        for n in 1..=env("LOAD_ROUNDS", 3) {
            let mut r = round(addr, requests, clients).await;
            r.latencies.sort();
            let rps = r.latencies.len() as f64 / r.elapsed.as_secs_f64();
            println!(
                "load: round {n}: {} requests in {:.2} s = {rps:.0} req/s; p50 {:.2} ms, p99 {:.2} ms; errors {}; resident memory {} MiB",
                r.latencies.len(),
                r.elapsed.as_secs_f64(),
                percentile(&r.latencies, 0.50).as_secs_f64() * 1000.0,
                percentile(&r.latencies, 0.99).as_secs_f64() * 1000.0,
                r.errors,
                rss_kib() / 1024,
            );
            failed |= r.errors > 0 || r.latencies.len() != requests;
        }
        assert_eq!(catalog.active_streams(), 0, "streams still producing after the load");
        failed
    });
    if failed {
        eprintln!("load: lost or wrong responses");
        std::process::exit(1);
    }
}
