//! Runs the example catalogue: `SHOP_API_KEYS='admin:secret:catalog.write' cargo run -p
//! example-service` (address from SHOP_ADDR, default 127.0.0.1:50051).

use std::net::SocketAddr;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let keys = std::env::var("SHOP_API_KEYS").unwrap_or_default();
    if keys.is_empty() {
        tracing::warn!("SHOP_API_KEYS is empty: every write will answer UNAUTHENTICATED");
    }
    let auth = example_service::authenticator(&keys)?;
    let addr: SocketAddr = std::env::var("SHOP_ADDR")
        .unwrap_or_else(|_| "127.0.0.1:50051".into())
        .parse()?;
    example_service::server(example_service::Catalog::new(), auth)
        .serve(addr)
        .await?;
    Ok(())
}
