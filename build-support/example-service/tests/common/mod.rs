//! What the end-to-end tests share: the server on a loopback port.

use std::net::SocketAddr;

use example_service::Catalog;

/// Keys of the test server: `admin-key` may write, `reader-key` may only read.
pub const KEYS: &str = "admin:admin-key:catalog.write;reader:reader-key:catalog.read";

/// Starts the example server (gRPC and HTTP on one port) on 127.0.0.1:0; it runs until the
/// test's runtime ends.
#[allow(dead_code)] // tests/layers.rs starts its own server, with a layer.
pub async fn start(catalog: Catalog) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = example_service::server(catalog, example_service::authenticator(KEYS).unwrap());
    tokio::spawn(async move {
        server
            .serve_with_listener(listener, std::future::pending())
            .await
            .unwrap();
    });
    addr
}

/// `message` with the admin's key.
#[allow(dead_code)]
pub fn with_key<T>(message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("x-api-key", "admin-key".parse().unwrap());
    request
}

/// Creates a product called `name` as the admin; returns it with its id.
#[allow(dead_code)]
pub async fn create_product(
    client: &mut example_service::shop::v1::catalog_service_forge::Client<
        tonic::transport::Channel,
    >,
    name: &str,
) -> example_service::shop::v1::Product {
    use example_service::shop::v1::{CreateProductRequest, Product};
    client
        .create_product(with_key(CreateProductRequest {
            product: Some(Product {
                name: name.into(),
                ..Product::default()
            }),
            ..CreateProductRequest::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .product
        .unwrap()
}

/// The client's trace and span in the tracing tests.
#[allow(dead_code)]
pub const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
#[allow(dead_code)]
pub const PARENT: &str = "00f067aa0ba902b7";

/// GetProduct `id`, in the trace `TRACE` under span `PARENT`, with `request_id`.
#[allow(dead_code)]
pub fn traced_get(
    id: &str,
    request_id: &str,
) -> tonic::Request<example_service::shop::v1::GetProductRequest> {
    let mut request = tonic::Request::new(example_service::shop::v1::GetProductRequest {
        id: id.into(),
        ..Default::default()
    });
    request.metadata_mut().insert(
        "traceparent",
        format!("00-{TRACE}-{PARENT}-01").parse().unwrap(),
    );
    request
        .metadata_mut()
        .insert("x-request-id", request_id.parse().unwrap());
    request
}

/// Everything a `tracing` subscriber writes, kept for the test to read.
#[allow(dead_code)]
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[allow(dead_code)]
impl Captured {
    /// The lines written so far that contain `needle`.
    pub fn lines_with(&self, needle: &str) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .filter(|line| line.contains(needle))
            .map(str::to_owned)
            .collect()
    }
}
