//! A gRPC service scaffolded by `protoforge init`. Implement the handler's methods; protoforge's
//! adapter does authentication, deadlines and error mapping around them.

use protoforge::runtime::{ApiKeyAuthenticator, CallContext, KeyStore, Server, ServiceError};

/// The code generated from proto/hello/v1/greeter.proto.
pub mod hello {
    pub mod v1 {
        tonic::include_proto!("hello.v1");
    }
}

use hello::v1::greeter_service_forge::{Adapter, Handler};
use hello::v1::{SayHelloRequest, SayHelloResponse};

/// The service's state (a database pool, clients of other services, ...).
struct Greeter;

impl Handler for Greeter {
    type Error = ServiceError;

    async fn say_hello(
        &self,
        _ctx: CallContext,
        request: SayHelloRequest,
    ) -> Result<SayHelloResponse, ServiceError> {
        // Errors reach the caller as gRPC statuses; `field` adds a BadRequest detail.
        if request.name.trim().is_empty() {
            return Err(ServiceError::invalid_argument("say who to greet")
                .field("name", "must not be empty"));
        }
        Ok(SayHelloResponse {
            message: format!("Hello, {}!", request.name.trim()),
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // API keys as `id:key:scope,scope;...`, sent by clients in the `x-api-key` header.
    let keys = KeyStore::parse(&std::env::var("API_KEYS").unwrap_or_default())?;
    let addr = std::env::var("ADDR")
        .unwrap_or_else(|_| "127.0.0.1:50051".into())
        .parse()?;
    let greeter = Adapter::new(Greeter)
        .with_authenticator(ApiKeyAuthenticator::new(keys))
        .into_server();
    // Health, reflection and graceful shutdown on SIGTERM / Ctrl-C included.
    Server::new()
        .add_service(greeter)
        .file_descriptor_set(hello::v1::FILE_DESCRIPTOR_SET)
        .serve(addr)
        .await?;
    Ok(())
}
