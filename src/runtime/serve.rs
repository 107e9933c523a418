//! The serve helper: services, health, reflection and graceful shutdown in one call.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tonic::body::Body;
use tonic::server::NamedService;
use tonic::service::RoutesBuilder;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

use tonic_reflection::pb::v1::server_reflection_server::ServerReflectionServer as ReflectionV1Server;
use tonic_reflection::pb::v1alpha::server_reflection_server::ServerReflectionServer as ReflectionV1AlphaServer;

use super::compression::Compression;
use super::connect::Connect;
use super::cors::Cors;
use super::gateway::{DEFAULT_MAX_BODY, Gateway, HttpRoute};
use super::metrics::{METRICS_PATH, MetricsEndpoint};
use super::reflection::{Index, Reflection};
use metrics_exporter_prometheus::PrometheusHandle;

/// A tonic generated server (whose compression settings are inherent methods, not a trait) with
/// `compression` applied.
macro_rules! compressed {
    ($server:expr, $compression:expr) => {{
        let mut server = $server;
        for encoding in $compression.accepted() {
            server = server.accept_compressed(*encoding);
        }
        for encoding in $compression.sent() {
            server = server.send_compressed(*encoding);
        }
        server
    }};
}

/// Builds the server for one or more generated services.
///
/// ```ignore
/// protoforge::runtime::Server::new()
///     .add_service(catalog_service_forge::Adapter::new(store).with_authenticator(auth).into_server())
///     .file_descriptor_set(shop::v1::FILE_DESCRIPTOR_SET)
///     .serve("0.0.0.0:50051".parse()?)
///     .await?;
/// ```
///
/// Every service is reported SERVING on `grpc.health.v1.Health`; gRPC reflection (v1 and
/// v1alpha) lists and describes the services whose descriptor sets are registered, health and
/// itself. Connections speak HTTP/2 (and HTTP/1.1);
/// `serve` stops accepting on SIGTERM or Ctrl-C and lets calls in flight finish, for at most
/// the shutdown grace period ([`Server::shutdown_grace`], 25 s by default, under Kubernetes'
/// 30 s before it kills the pod), so that a client that stops reading cannot hold the process.
///
/// Deadlines are enforced by the generated adapters. tonic's own `transport::Server` also applies
/// the client's `grpc-timeout` and answers it with CANCELLED; this helper does not, so an expired
/// deadline is always DEADLINE_EXCEEDED.
pub struct Server {
    routes: RoutesBuilder,
    http_routes: Vec<HttpRoute>,
    max_body: usize,
    strict_query: bool,
    openapi: Option<&'static str>,
    names: Vec<&'static str>,
    descriptor_sets: Vec<&'static [u8]>,
    health: HealthReporter,
    /// Adds the health service (created with the reporter) to the routes.
    add_health: Option<AddHealth>,
    grace: Duration,
    /// For health and reflection; each adapter has its own.
    compression: Compression,
    cors: Option<Cors>,
    /// Policies of single services, over `cors`.
    service_cors: Vec<(String, Cors)>,
    metrics: MetricsEndpoint,
    /// Tower layers around the services, innermost first.
    layers: Vec<Layering>,
}

type Layering = Box<dyn FnOnce(axum::Router) -> axum::Router + Send>;

/// How long calls in flight may take after shutdown begins, unless [`Server::shutdown_grace`]
/// says otherwise.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(25);

type AddHealth = Box<dyn FnOnce(&mut RoutesBuilder, &Compression) + Send>;

impl Default for Server {
    fn default() -> Self {
        Server::new()
    }
}

impl Server {
    /// A server with health (every added service SERVING) and nothing else yet.
    pub fn new() -> Server {
        let (health, health_service) = tonic_health::server::health_reporter();
        Server {
            routes: RoutesBuilder::default(),
            http_routes: Vec::new(),
            max_body: DEFAULT_MAX_BODY,
            strict_query: false,
            openapi: None,
            names: Vec::new(),
            descriptor_sets: Vec::new(),
            health,
            add_health: Some(Box::new(
                move |routes: &mut RoutesBuilder, compression: &Compression| {
                    routes.add_service(compressed!(health_service, compression));
                },
            )),
            compression: Compression::default(),
            cors: None,
            service_cors: Vec::new(),
            grace: DEFAULT_SHUTDOWN_GRACE,
            metrics: MetricsEndpoint::default(),
            layers: Vec::new(),
        }
    }

    /// Adds a tonic service (a generated adapter's `into_server()`, or any other).
    pub fn add_service<S>(mut self, service: S) -> Self
    where
        S: tower::Service<http::Request<Body>, Error = Infallible>
            + NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Response: axum::response::IntoResponse,
        S::Future: Send + 'static,
    {
        self.names.push(S::NAME);
        self.routes.add_service(TooLarge(service));
        self
    }

    /// Registers an encoded `FileDescriptorSet` (the generated `FILE_DESCRIPTOR_SET`) for
    /// reflection.
    pub fn file_descriptor_set(mut self, set: &'static [u8]) -> Self {
        self.descriptor_sets.push(set);
        self
    }

    /// Serves these HTTP/JSON routes (a generated `HTTP_ROUTES`) through the gateway, which calls
    /// the same services. Their descriptor sets must be registered too.
    pub fn http_routes(mut self, routes: &'static [HttpRoute]) -> Self {
        self.http_routes.extend_from_slice(routes);
        self
    }

    /// The largest HTTP request body the gateway reads (default 4 MiB); larger ones get 413.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }

    /// Serves `document` at `GET /openapi.json` beside the gateway's routes: the OpenAPI
    /// document `protoforge openapi -o openapi.json` writes, embedded with `include_str!`.
    pub fn openapi_json(mut self, document: &'static str) -> Self {
        self.openapi = Some(document);
        self
    }

    /// Makes a gateway query parameter that names no field a 400. By default such parameters
    /// are ignored, as grpc-gateway ignores them (a cache-buster must not break a GET).
    pub fn strict_query_parameters(mut self, strict: bool) -> Self {
        self.strict_query = strict;
        self
    }

    /// How long calls in flight may go on once shutdown begins (default
    /// [`DEFAULT_SHUTDOWN_GRACE`]); then the server stops and their connections are closed.
    ///
    /// ```
    /// let server = protoforge::runtime::Server::new()
    ///     .shutdown_grace(std::time::Duration::from_secs(10));
    /// # drop(server);
    /// ```
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Which compressions health and reflection accept and answer with (default: gzip and zstd
    /// both ways). A generated service takes its own through `Adapter::with_compression`.
    pub fn compression(mut self, compression: Compression) -> Self {
        self.compression = compression;
        self
    }

    /// Lets browsers on other origins call the server (gRPC-Web, Connect and the HTTP/JSON
    /// gateway) under `cors`, preflight requests included. Off by default: a browser on another
    /// origin is refused.
    pub fn cors(mut self, cors: Cors) -> Self {
        self.cors = Some(cors);
        self
    }

    /// The CORS policy of one service (`shop.v1.CatalogService`), over [`Server::cors`]: its
    /// methods' paths and its gateway routes answer under `cors`.
    ///
    /// ```
    /// use protoforge::runtime::{Cors, Server};
    ///
    /// let server = Server::new()
    ///     .cors(Cors::allow_origins(["https://shop.example"]).unwrap())
    ///     .cors_for("shop.v1.AdminService", Cors::allow_origins(["https://admin.example"]).unwrap());
    /// # drop(server);
    /// ```
    pub fn cors_for(mut self, service: &str, cors: Cors) -> Self {
        self.service_cors.push((service.to_owned(), cors));
        self
    }

    /// Wraps every service in a tower `layer` (the last one added is the outermost). Layers see
    /// each call as an HTTP request before anything else does (request id, trace, auth,
    /// interceptors, deadline, handler: see `Interceptor`), for every protocol: gRPC, gRPC-Web,
    /// Connect and the gateway's calls. Values they insert into the request's extensions reach
    /// the handler's `CallContext::extensions`.
    ///
    /// ```
    /// use protoforge::runtime::Server;
    ///
    /// #[derive(Clone)]
    /// struct Tenant(&'static str);
    ///
    /// let server = Server::new().layer(tower::util::MapRequestLayer::new(
    ///     |mut request: http::Request<axum::body::Body>| {
    ///         request.extensions_mut().insert(Tenant("acme"));
    ///         request
    ///     },
    /// ));
    /// # drop(server);
    /// ```
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<http::Request<axum::body::Body>> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<http::Request<axum::body::Body>>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<http::Request<axum::body::Body>>>::Error:
            Into<Infallible> + 'static,
        <L::Service as tower::Service<http::Request<axum::body::Body>>>::Future: Send + 'static,
    {
        self.layers
            .push(Box::new(move |router: axum::Router| router.layer(layer)));
        self
    }

    /// Who may read `GET /metrics` on the service port (default: loopback clients only).
    /// Per-method metrics are recorded either way, through the `metrics` facade: when the
    /// application has installed a recorder of its own (any `metrics` exporter) before the server
    /// starts, they go there and `/metrics` answers 404; otherwise the server installs a
    /// Prometheus recorder and serves it here.
    ///
    /// ```
    /// use protoforge::runtime::{MetricsEndpoint, Server};
    ///
    /// let server = Server::new().metrics_endpoint(MetricsEndpoint::Public);
    /// # drop(server);
    /// ```
    pub fn metrics_endpoint(mut self, endpoint: MetricsEndpoint) -> Self {
        self.metrics = endpoint;
        self
    }

    /// The health reporter, to mark services NOT_SERVING while they drain or recover.
    pub fn health_reporter(&self) -> HealthReporter {
        self.health.clone()
    }

    /// gRPC, gRPC-Web, Connect and HTTP/JSON on one router: requests with a gRPC content type
    /// (`application/grpc*`, gRPC-Web's included) go to the services, Connect calls to the
    /// Connect translation (when descriptor sets are registered), the rest to the gateway (when
    /// there are HTTP routes).
    pub async fn into_router(self) -> io::Result<axum::Router> {
        let cors = self.cors_policies()?;
        let parts = self.build_routers().await?;
        Ok(
            axum::Router::new().fallback(move |request: http::Request<axum::body::Body>| {
                let (parts, cors) = (parts.clone(), cors.clone());
                async move { parts.serve(request, Side::All, &cors).await }
            }),
        )
    }

    /// The router for services (gRPC, gRPC-Web and Connect) and, when there are HTTP routes,
    /// the gateway's router (to serve on two ports, or mount beside other routes).
    pub async fn into_routers(self) -> io::Result<(axum::Router, Option<axum::Router>)> {
        let cors = self.cors_policies()?;
        let parts = self.build_routers().await?;
        let router = |side: Side| {
            let (parts, cors) = (parts.clone(), cors.clone());
            axum::Router::new().fallback(move |request: http::Request<axum::body::Body>| {
                let (parts, cors) = (parts.clone(), cors.clone());
                async move { parts.serve(request, side, &cors).await }
            })
        };
        let http = parts.gateway.is_some().then(|| router(Side::Gateway));
        Ok((router(Side::Services), http))
    }

    /// The CORS layers, checked now so that a policy that cannot work stops the start.
    fn cors_policies(&self) -> io::Result<CorsPolicies> {
        let layer = |cors: &Cors| {
            cors.layer()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
        };
        let mut services = std::collections::HashMap::new();
        for (service, cors) in &self.service_cors {
            services.insert(service.clone(), layer(cors)?);
        }
        Ok(CorsPolicies {
            default: self.cors.as_ref().map(layer).transpose()?,
            services: Arc::new(services),
        })
    }

    async fn build_routers(self) -> io::Result<Routers> {
        let http_routes = self.http_routes.clone();
        let descriptor_sets = self.descriptor_sets.clone();
        let metrics = match self.metrics.clone() {
            MetricsEndpoint::Off => None,
            endpoint => Some(Arc::new((endpoint, super::metrics::prometheus()))),
        };
        let names = self.names.clone();
        let (max_body, strict_query, openapi) = (self.max_body, self.strict_query, self.openapi);
        let grpc = self.grpc_router().await?;
        // Linked once, for Connect and the gateway. A set the linker refuses costs Connect, not
        // the server (gRPC and reflection serve it as it is); the gateway cannot do without it.
        let pool =
            (!descriptor_sets.is_empty()).then(|| super::hop::descriptor_pool(&descriptor_sets));
        let connect = match &pool {
            None => None,
            Some(Ok(pool)) => Some(Arc::new(Connect::new(grpc.clone(), pool, &names, max_body))),
            Some(Err(e)) => {
                tracing::warn!(error = %e, "Connect is off: the descriptor sets do not link");
                None
            }
        };
        let gateway = if http_routes.is_empty() {
            None
        } else {
            let pool = match pool {
                Some(pool) => pool?,
                None => super::hop::descriptor_pool(&[])?,
            };
            Some(Arc::new(
                openapi.into_iter().fold(
                    Gateway::with_pool(&http_routes, pool, grpc.clone(), max_body)?
                        .strict_query(strict_query),
                    Gateway::with_openapi,
                ),
            ))
        };
        Ok(Routers {
            grpc_web: grpc.clone().layer(tonic_web::GrpcWebLayer::new()),
            grpc,
            connect,
            gateway,
            metrics,
        })
    }

    async fn grpc_router(mut self) -> io::Result<axum::Router> {
        for name in &self.names {
            self.health
                .set_service_status(name, ServingStatus::Serving)
                .await;
        }
        if let Some(add_health) = self.add_health.take() {
            add_health(&mut self.routes, &self.compression);
        }
        let (index, undescribed) = Index::new(&self.descriptor_sets, &self.names)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        for service in undescribed {
            tracing::warn!(
                service,
                "reflection cannot describe this service: register its FILE_DESCRIPTOR_SET"
            );
        }
        let reflection = Reflection(std::sync::Arc::new(index));
        let v1 = compressed!(
            ReflectionV1Server::new(reflection.clone()),
            self.compression
        );
        let v1alpha = compressed!(ReflectionV1AlphaServer::new(reflection), self.compression);
        self.routes.add_service(v1).add_service(v1alpha);
        let router = self.routes.routes().prepare().into_axum_router().layer(
            tower::util::MapRequestLayer::new(|request: http::Request<axum::body::Body>| {
                request.map(|body| axum::body::Body::new(CancelIsAnError(body)))
            }),
        );
        Ok(self
            .layers
            .into_iter()
            .fold(router, |router, layer| layer(router)))
    }

    /// Binds `addr` and serves until SIGTERM or Ctrl-C.
    pub async fn serve(self, addr: SocketAddr) -> io::Result<()> {
        let listener = TcpListener::bind(addr).await?;
        tracing::info!(address = %listener.local_addr()?, "serving");
        self.serve_with_listener(listener, shutdown_signal()).await
    }

    /// Serves gRPC on one listener and HTTP/JSON on another until `shutdown` completes.
    pub async fn serve_split(
        self,
        grpc: TcpListener,
        http: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let grace = self.grace;
        let (grpc_router, http_router) = self.into_routers().await?;
        let http_router = http_router.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "serve_split needs HTTP routes")
        })?;
        let (stop, stopping) = tokio::sync::watch::channel(());
        let stopped = |stop: &tokio::sync::watch::Sender<()>| {
            let mut rx = stop.subscribe();
            async move {
                let _ = rx.changed().await;
            }
        };
        let grpc = axum::serve(
            grpc.tap_io(no_delay),
            grpc_router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped(&stop));
        let http = axum::serve(
            http.tap_io(no_delay),
            http_router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stopped(&stop));
        let signal = async move {
            shutdown.await;
            let _ = stop.send(());
        };
        let both = async {
            let (grpc, http) = tokio::join!(grpc, http);
            grpc.and(http)
        };
        let (result, ()) = tokio::join!(within_grace(both, stopping, grace), signal);
        result
    }

    /// Serves on `listener` until `shutdown` completes, then lets calls in flight finish.
    pub async fn serve_with_listener(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let grace = self.grace;
        let router = self.into_router().await?;
        let (stop, stopping) = tokio::sync::watch::channel(());
        // With each request's peer address (CallContext::peer, the /metrics policy).
        let serve = axum::serve(
            listener.tap_io(no_delay),
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(());
        })
        .into_future();
        within_grace(serve, stopping, grace).await
    }
}

/// A request body whose cancellation by the client (RST_STREAM CANCEL) reaches the handler as
/// an error. tonic's decoder takes a cancelled request stream for a clean end, so a handler
/// that commits at the end of a client stream would commit half an upload.
struct CancelIsAnError(axum::body::Body);

impl http_body::Body for CancelIsAnError {
    type Data = bytes::Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, tonic::Status>>> {
        let polled = std::pin::Pin::new(&mut self.0).poll_frame(cx);
        polled.map(|frame| {
            frame.map(|frame| {
                frame.map_err(|e| {
                    let status = tonic::Status::from_error(e.into_inner());
                    if status.code() == tonic::Code::Cancelled {
                        tonic::Status::aborted(format!(
                            "the client cancelled the request stream ({})",
                            status.message()
                        ))
                    } else {
                        status
                    }
                })
            })
        })
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.0.size_hint()
    }
}

/// What serves a request, by its protocol.
#[derive(Clone)]
struct Routers {
    grpc: axum::Router,
    /// The same services behind tonic-web's translation.
    grpc_web: axum::Router,
    connect: Option<Arc<Connect>>,
    gateway: Option<Arc<Gateway>>,
    /// Who may scrape, and the Prometheus recorder to render (`None`: the application's own
    /// recorder has the metrics).
    metrics: Option<Arc<(MetricsEndpoint, Option<&'static PrometheusHandle>)>>,
}

/// Which protocols a router serves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Everything (one port).
    All,
    /// gRPC, gRPC-Web and Connect.
    Services,
    /// The HTTP/JSON gateway.
    Gateway,
}

/// The CORS layer of each service, and the server's.
#[derive(Clone, Default)]
struct CorsPolicies {
    default: Option<tower_http::cors::CorsLayer>,
    services: Arc<std::collections::HashMap<String, tower_http::cors::CorsLayer>>,
}

impl Routers {
    /// Answers `request` under its service's CORS policy, if any.
    async fn serve(
        self,
        request: http::Request<axum::body::Body>,
        side: Side,
        cors: &CorsPolicies,
    ) -> axum::response::Response {
        if side != Side::Gateway
            && request.uri().path() == METRICS_PATH
            && request.method() == http::Method::GET
            && let Some(metrics) = &self.metrics
        {
            return scrape(metrics, request).await;
        }
        let policy = if cors.services.is_empty() {
            cors.default.as_ref()
        } else {
            self.service_of(&request)
                .and_then(|service| cors.services.get(&service))
                .or(cors.default.as_ref())
        };
        let Some(policy) = policy else {
            return self.dispatch(request, side).await;
        };
        let inner = tower::service_fn(move |request| {
            let parts = self.clone();
            async move { Ok::<_, Infallible>(parts.dispatch(request, side).await) }
        });
        let service = tower::Layer::layer(policy, inner);
        match tower::ServiceExt::oneshot(service, request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }

    /// The service a request is for: the first segment of a method path
    /// (`/shop.v1.CatalogService/GetProduct`), else the service of the gateway route that takes
    /// the path (for a preflight, with the method it asks about).
    fn service_of(&self, request: &http::Request<axum::body::Body>) -> Option<String> {
        let path = request.uri().path();
        if let Some((service, method)) = path.trim_start_matches('/').split_once('/')
            && service.contains('.')
            && !method.is_empty()
            && !method.contains('/')
        {
            return Some(service.to_owned());
        }
        let asked = request
            .headers()
            .get(http::header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|m| http::Method::from_bytes(m.as_bytes()).ok());
        let method = asked.as_ref().unwrap_or(request.method());
        self.gateway.as_ref()?.service_at(method, path)
    }

    /// gRPC and gRPC-Web (through tonic-web) by content type, then Connect, then (on the
    /// gateway's side) the gateway; the rest to the gRPC router, which answers it as gRPC would.
    async fn dispatch(
        self,
        request: http::Request<axum::body::Body>,
        side: Side,
    ) -> axum::response::Response {
        if side == Side::Gateway
            && let Some(gateway) = self.gateway
        {
            return gateway.handle(request).await;
        }
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let is_grpc = content_type.starts_with("application/grpc");
        let router = if content_type.starts_with("application/grpc-web") {
            self.grpc_web
        } else {
            self.grpc
        };
        let gateway = self.gateway.filter(|_| side == Side::All);
        if !is_grpc {
            if let Some(connect) = &self.connect {
                // A JSON POST to a method path is the gateway's when it has that route.
                let json_is_connect = gateway
                    .as_ref()
                    .is_none_or(|g| !g.serves(request.method(), request.uri().path()));
                if connect.accepts(&request, json_is_connect) {
                    return connect.handle(request).await;
                }
            }
            if let Some(gateway) = gateway {
                return gateway.handle(request).await;
            }
        }
        match tower::ServiceExt::oneshot(router, request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}

/// `GET /metrics`: the Prometheus text, to those the endpoint admits.
async fn scrape(
    metrics: &(MetricsEndpoint, Option<&'static PrometheusHandle>),
    request: http::Request<axum::body::Body>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    let (parts, _) = request.into_parts();
    let (endpoint, handle) = metrics;
    if let Err(refused) = super::metrics::admit(endpoint, peer, &parts.headers).await {
        return refused.into_response();
    }
    match handle {
        Some(handle) => (
            [(
                http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            handle.render(),
        )
            .into_response(),
        None => (
            http::StatusCode::NOT_FOUND,
            "the application's own metrics recorder has the metrics\n",
        )
            .into_response(),
    }
}

/// Runs `serve` to its end, or until `grace` after `stopping` fires, whichever comes first.
async fn within_grace(
    serve: impl Future<Output = io::Result<()>>,
    mut stopping: tokio::sync::watch::Receiver<()>,
    grace: Duration,
) -> io::Result<()> {
    let deadline = async move {
        if stopping.changed().await.is_err() {
            // The sender is gone without a shutdown: only `serve` ends this.
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = serve => result,
        () = deadline => {
            tracing::warn!(
                grace_seconds = grace.as_secs_f64(),
                "calls still open after the shutdown grace period; closing them"
            );
            Ok(())
        }
    }
}

/// tonic answers a request message over the size limit with OUT_OF_RANGE; the gRPC spec says
/// RESOURCE_EXHAUSTED, which is what clients retry or report on. This wrapper fixes the code,
/// in the headers (trailers-only responses) or in the trailers.
#[derive(Clone)]
struct TooLarge<S>(S);

impl<S: NamedService> NamedService for TooLarge<S> {
    const NAME: &'static str = S::NAME;
}

impl<S> tower::Service<http::Request<Body>> for TooLarge<S>
where
    S: tower::Service<http::Request<Body>, Error = Infallible>,
    S::Future: Send + 'static,
    S::Response: axum::response::IntoResponse,
{
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let future = self.0.call(request);
        Box::pin(async move {
            let mut response = axum::response::IntoResponse::into_response(future.await?);
            fix_too_large(response.headers_mut());
            let (parts, body) = response.into_parts();
            let body =
                http_body_util::BodyExt::map_frame(body, |frame| match frame.into_trailers() {
                    Ok(mut trailers) => {
                        fix_too_large(&mut trailers);
                        http_body::Frame::trailers(trailers)
                    }
                    Err(frame) => frame,
                });
            Ok(axum::response::Response::from_parts(
                parts,
                axum::body::Body::new(body),
            ))
        })
    }
}

/// tonic's server decoder refuses a message over the limit with OUT_OF_RANGE; gRPC's code for
/// it is RESOURCE_EXHAUSTED. The wire carries no typed cause, only tonic's message, so this
/// matches its text; `tonic_says_too_large_in_the_words_fix_too_large_knows` fails when tonic
/// words it differently.
fn fix_too_large(headers: &mut http::HeaderMap) {
    let too_large = headers.get("grpc-status").is_some_and(|v| v == "11")
        && headers.get("grpc-message").is_some_and(|m| {
            // grpc-message is percent-encoded on the wire.
            let m = m.as_bytes();
            m.starts_with(b"Error, decoded message length too large")
                || m.starts_with(b"Error,%20decoded%20message%20length%20too%20large")
        });
    if too_large {
        headers.insert("grpc-status", http::HeaderValue::from_static("8"));
    }
}

/// Small gRPC frames must not wait for Nagle's algorithm.
fn no_delay(stream: &mut tokio::net::TcpStream) {
    let _ = stream.set_nodelay(true);
}

/// Completes on Ctrl-C, or on SIGTERM where there are signals.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use prost::Message;
    use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto};

    use super::*;

    #[tokio::test]
    async fn tonic_says_too_large_in_the_words_fix_too_large_knows() {
        use tower::ServiceExt;
        let (_, health) = tonic_health::server::health_reporter();
        let service = health.max_decoding_message_size(16);
        // One uncompressed 64-byte message, over the 16-byte limit.
        let mut frame = vec![0u8];
        frame.extend_from_slice(&64u32.to_be_bytes());
        frame.extend([0u8; 64]);
        let request = http::Request::builder()
            .method("POST")
            .uri("/grpc.health.v1.Health/Check")
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .body(http_body_util::Full::new(bytes::Bytes::from(frame)))
            .unwrap();
        let response = service.oneshot(request).await.unwrap();
        let (mut parts, body) = response.into_parts();
        let collected = http_body_util::BodyExt::collect(body).await.unwrap();
        let mut trailers = collected.trailers().cloned().unwrap_or_default();
        // A trailers-only answer has the status in its headers.
        let status = if parts.headers.contains_key("grpc-status") {
            &mut parts.headers
        } else {
            &mut trailers
        };
        assert_eq!(status["grpc-status"], "11", "{status:?}");
        fix_too_large(status);
        assert_eq!(status["grpc-status"], "8", "{status:?}");
    }

    /// protoc accepts proto2 fields whose JSON names collide; prost-reflect's linker does not.
    /// Such a set must not stop the server: Connect goes off, reflection and gRPC stay.
    #[tokio::test]
    async fn a_set_the_linker_refuses_costs_connect_not_the_server() {
        let field = |name: &str, number| FieldDescriptorProto {
            name: Some(name.into()),
            number: Some(number),
            r#type: Some(9),
            label: Some(1),
            ..Default::default()
        };
        let file = FileDescriptorProto {
            name: Some("legacy.proto".into()),
            package: Some("legacy".into()),
            syntax: Some("proto2".into()),
            message_type: vec![DescriptorProto {
                name: Some("Old".into()),
                field: vec![field("foo_bar", 1), field("fooBar", 2)],
                ..Default::default()
            }],
            ..Default::default()
        };
        let set = prost_types::FileDescriptorSet { file: vec![file] }.encode_to_vec();
        assert!(
            super::super::hop::descriptor_pool(&[&set]).is_err(),
            "the premise"
        );
        let set: &'static [u8] = Box::leak(set.into_boxed_slice());
        let routers = Server::new()
            .file_descriptor_set(set)
            .build_routers()
            .await
            .unwrap();
        assert!(routers.connect.is_none());
    }
}
