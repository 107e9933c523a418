//! What the end-to-end tests share: the server on a loopback port.

use std::net::SocketAddr;

use example_service::Catalog;

/// Keys of the test server: `admin-key` may write, `reader-key` may only read.
pub const KEYS: &str = "admin:admin-key:catalog.write;reader:reader-key:catalog.read";

/// Starts the example server (gRPC and HTTP on one port) on 127.0.0.1:0; it runs until the
/// test's runtime ends.
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
