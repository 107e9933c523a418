//! A client-streaming upload of 1 GiB in small messages through the whole server stack (auth,
//! the interceptor, metrics, the trace span, the deadline) into a handler that counts what it
//! receives and keeps nothing. What it shows is the stack's memory: the process's peak resident
//! set must not grow with the upload. Client and server share the process, over loopback.
//!
//! `cargo bench -p example-service --bench upload` (`UPLOAD_MIB`, default 1024, and
//! `UPLOAD_MESSAGE_BYTES`, default 4096, change it). Exits 1 when the peak grew by more than
//! 64 MiB, or when bytes went missing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use example_service::shop::v1::catalog_service_forge::{Adapter, Client, Handler};
use example_service::shop::v1::*;
use protoforge::runtime::{CallContext, RequestStream, ResponseStream, Server, ServiceError};

/// Counts the upload and drops it.
#[derive(Default)]
struct Sink {
    bytes: Arc<AtomicU64>,
    messages: Arc<AtomicU64>,
}

fn unused<T>() -> Result<T, ServiceError> {
    Err(ServiceError::unimplemented(
        "the upload bench serves BatchCreateProducts only",
    ))
}

impl Handler for Sink {
    type Error = ServiceError;

    async fn get_product(
        &self,
        _: CallContext,
        _: GetProductRequest,
    ) -> Result<GetProductResponse, ServiceError> {
        unused()
    }
    async fn create_product(
        &self,
        _: CallContext,
        _: CreateProductRequest,
    ) -> Result<CreateProductResponse, ServiceError> {
        unused()
    }
    async fn update_product(
        &self,
        _: CallContext,
        _: UpdateProductRequest,
    ) -> Result<UpdateProductResponse, ServiceError> {
        unused()
    }
    async fn archive_product(
        &self,
        _: CallContext,
        _: ArchiveProductRequest,
    ) -> Result<ArchiveProductResponse, ServiceError> {
        unused()
    }
    async fn delete_product(
        &self,
        _: CallContext,
        _: DeleteProductRequest,
    ) -> Result<(), ServiceError> {
        unused()
    }
    async fn list_products(
        &self,
        _: CallContext,
        _: ListProductsRequest,
    ) -> Result<ResponseStream<ListProductsResponse, ServiceError>, ServiceError> {
        unused()
    }
    async fn batch_create_products(
        &self,
        _: CallContext,
        mut requests: RequestStream<BatchCreateProductsRequest>,
    ) -> Result<(), ServiceError> {
        while let Some(request) = requests.message().await? {
            let size = request.product.map_or(0, |p| p.name.len());
            self.bytes.fetch_add(size as u64, Ordering::Relaxed);
            self.messages.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
    async fn watch_prices(
        &self,
        _: CallContext,
        _: RequestStream<WatchPricesRequest>,
    ) -> Result<ResponseStream<WatchPricesResponse, ServiceError>, ServiceError> {
        unused()
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `VmHWM` (peak resident set) or `VmRSS` of this process, in KiB.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    // `cargo bench` passes `--bench`; this is not a criterion bench.
    let total = env("UPLOAD_MIB", 1024) * 1024 * 1024;
    let size = env("UPLOAD_MESSAGE_BYTES", 4096).max(1);
    let count = total / size;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ok = runtime.block_on(async move {
        let sink = Sink::default();
        let (bytes, messages) = (sink.bytes.clone(), sink.messages.clone());
        let adapter = Adapter::new(sink)
            .with_authenticator(example_service::authenticator("up:k:catalog.write").unwrap())
            .with_interceptor(example_service::api_version);
        let server = Server::new().add_service(adapter.into_server());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(server.serve_with_listener(listener, std::future::pending()));
        let mut client = Client::connect(format!("http://{addr}")).await.unwrap();

        let name = "x".repeat(size as usize);
        let uploads = tokio_stream::iter((0..count).map(move |_| BatchCreateProductsRequest {
            product: Some(Product {
                name: name.clone(),
                ..Product::default()
            }),
        }));
        let mut request = tonic::Request::new(uploads);
        request.metadata_mut().insert("x-api-key", "k".parse().unwrap());
        // No deadline but the method's (5 s): the upload must fit in it.
        let before_peak = status_kib("VmHWM:");
        let started = Instant::now();
        let outcome = client.batch_create_products(request).await;
        let took = started.elapsed();
        let (peak, rss) = (status_kib("VmHWM:"), status_kib("VmRSS:"));
        let received = bytes.load(Ordering::Relaxed);
        println!(
            "upload: {} MiB in {} messages of {size} bytes: {:.2?} ({:.0} MiB/s); {:?}",
            total / (1024 * 1024),
            messages.load(Ordering::Relaxed),
            took,
            (received as f64 / (1024.0 * 1024.0)) / took.as_secs_f64(),
            outcome.as_ref().map(|_| "OK").map_err(|s| s.code()),
        );
        println!(
            "memory: peak resident {} MiB before the upload, {} MiB after (+{} MiB); resident now {} MiB",
            before_peak / 1024,
            peak / 1024,
            (peak - before_peak) / 1024,
            rss / 1024
        );
        outcome.is_ok() && received == count * size && peak - before_peak <= 64 * 1024
    });
    if !ok {
        eprintln!("upload: FAILED (missing bytes, an error, or the peak grew over 64 MiB)");
        std::process::exit(1);
    }
}
