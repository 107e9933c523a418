//! The example shop's product catalogue: an in-memory store served through protoforge's
//! generated scaffolding (auth, deadlines, error mapping, health, reflection).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use protoforge::runtime::{
    AnyOf, ApiKeyAuthenticator, BearerAuthenticator, CallContext, KeyStore, RequestStream,
    ResponseStream, ServiceError, Stream,
};

/// The generated code for `shop.v1`.
pub mod shop {
    pub mod v1 {
        tonic::include_proto!("shop.v1");
    }
}

/// The generated code for `ledger.v1` (an edition 2023 file).
pub mod ledger {
    pub mod v1 {
        tonic::include_proto!("ledger.v1");
    }
}

/// Generated from names chosen to collide; compiled to prove they do.
pub mod awkward {
    pub mod v1 {
        tonic::include_proto!("awkward.v1");
    }
}

use shop::v1::catalog_service_forge::Handler;
use shop::v1::*;

/// Faults to inject, so the tests can show how failures reach clients.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Every read sleeps this long first.
    pub read_delay: Duration,
    /// Streams pause this long between messages.
    pub stream_interval: Duration,
    /// Reads fail with an internal error (a storage failure whose text must not leak).
    pub corrupt_reads: bool,
}

/// The catalogue: products by id, in memory.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    products: Arc<Mutex<BTreeMap<String, Product>>>,
    next_id: Arc<Mutex<u64>>,
    faults: Faults,
    /// Response streams still producing (to show cancelled calls release their work).
    active_streams: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts a producing stream while it lives.
struct StreamGuard(Arc<std::sync::atomic::AtomicUsize>);

impl StreamGuard {
    fn new(counter: &Arc<std::sync::atomic::AtomicUsize>) -> StreamGuard {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        StreamGuard(Arc::clone(counter))
    }
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Catalog {
    pub fn new() -> Catalog {
        Catalog::default()
    }

    pub fn with_faults(mut self, faults: Faults) -> Catalog {
        self.faults = faults;
        self
    }

    /// How many response streams are still producing messages.
    pub fn active_streams(&self) -> usize {
        self.active_streams
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many products there are.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Product>> {
        // A panic while holding the lock cannot leave a product half-written: every write is
        // one insert or remove.
        self.products.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn read_faults(&self) -> Result<(), ServiceError> {
        if !self.faults.read_delay.is_zero() {
            tokio::time::sleep(self.faults.read_delay).await;
        }
        if self.faults.corrupt_reads {
            return Err(ServiceError::internal(std::io::Error::other(
                "checksum mismatch in /var/lib/shop/segment-7 (db password hunter2)",
            )));
        }
        Ok(())
    }

    /// Checks a new product and gives it an id.
    fn prepare(&self, product: Option<Product>) -> Result<Product, ServiceError> {
        let Some(mut product) = product else {
            return Err(ServiceError::invalid_argument("a product is required")
                .field("product", "must be set"));
        };
        let mut error = ServiceError::invalid_argument("the product is not valid");
        let mut invalid = false;
        if product.name.trim().is_empty() {
            error = error.field("product.name", "must not be empty");
            invalid = true;
        }
        if product.price_cents < 0 {
            error = error.field("product.price_cents", "must not be negative");
            invalid = true;
        }
        if invalid {
            return Err(error);
        }
        if product.id.is_empty() {
            let mut next = self.next_id.lock().unwrap_or_else(|e| e.into_inner());
            *next += 1;
            product.id = format!("p-{next}");
        }
        if product.create_time.is_none() {
            product.create_time = Some(prost_types::Timestamp::from(std::time::SystemTime::now()));
        }
        Ok(product)
    }
}

impl Handler for Catalog {
    type Error = ServiceError;

    async fn get_product(
        &self,
        _ctx: CallContext,
        request: GetProductRequest,
    ) -> Result<GetProductResponse, ServiceError> {
        self.read_faults().await?;
        // By resource name: "shelves/{shelf}/products/{id}".
        let id = if request.name.is_empty() {
            request.id
        } else {
            match request.name.split('/').collect::<Vec<_>>()[..] {
                ["shelves", _, "products", id] => id.to_owned(),
                _ => {
                    return Err(ServiceError::invalid_argument("not a product name")
                        .field("name", "must look like shelves/{shelf}/products/{id}"));
                }
            }
        };
        match self.lock().get(&id) {
            Some(product) => Ok(GetProductResponse {
                product: Some(product.clone()),
            }),
            None => Err(ServiceError::not_found(format!(
                "product `{id}` does not exist"
            ))),
        }
    }

    async fn create_product(
        &self,
        ctx: CallContext,
        request: CreateProductRequest,
    ) -> Result<CreateProductResponse, ServiceError> {
        let product = self.prepare(request.product)?;
        if request.validate_only {
            return Ok(CreateProductResponse {
                product: Some(product),
            });
        }
        let mut products = self.lock();
        if products.contains_key(&product.id) {
            return Err(ServiceError::already_exists(format!(
                "product `{}` already exists",
                product.id
            )));
        }
        products.insert(product.id.clone(), product.clone());
        tracing::info!(
            product = %product.id,
            by = ctx.principal().map(|p| p.id.as_str()).unwrap_or("?"),
            "created"
        );
        Ok(CreateProductResponse {
            product: Some(product),
        })
    }

    async fn update_product(
        &self,
        _ctx: CallContext,
        request: UpdateProductRequest,
    ) -> Result<UpdateProductResponse, ServiceError> {
        let Some(change) = request.product else {
            return Err(ServiceError::invalid_argument("a product is required")
                .field("product", "must be set"));
        };
        let paths = request.update_mask.map(|m| m.paths).unwrap_or_default();
        let mut products = self.lock();
        let Some(product) = products.get_mut(&change.id) else {
            return Err(ServiceError::not_found(format!(
                "product `{}` does not exist",
                change.id
            )));
        };
        let mut updated = product.clone();
        for path in &paths {
            match path.as_str() {
                "name" => updated.name = change.name.clone(),
                "price_cents" => updated.price_cents = change.price_cents,
                "availability" => updated.availability = change.availability,
                "tags" => updated.tags = change.tags.clone(),
                "shelf" => updated.shelf = change.shelf.clone(),
                "id" => {}
                other => {
                    return Err(ServiceError::invalid_argument("cannot update that field")
                        .field("update_mask", format!("`{other}` cannot be updated")));
                }
            }
        }
        if updated.name.trim().is_empty() || updated.price_cents < 0 {
            return Err(ServiceError::invalid_argument("the product is not valid")
                .field("product", "name must not be empty and price not negative"));
        }
        *product = updated.clone();
        Ok(UpdateProductResponse {
            product: Some(updated),
        })
    }

    async fn archive_product(
        &self,
        _ctx: CallContext,
        request: ArchiveProductRequest,
    ) -> Result<ArchiveProductResponse, ServiceError> {
        let mut products = self.lock();
        let Some(product) = products.get_mut(&request.id) else {
            return Err(ServiceError::not_found(format!(
                "product `{}` does not exist",
                request.id
            )));
        };
        if product.availability == Availability::Discontinued as i32 {
            return Err(ServiceError::failed_precondition(format!(
                "product `{}` is already archived",
                request.id
            )));
        }
        product.availability = Availability::Discontinued as i32;
        if !request.reason.is_empty() {
            product.tags.push(format!("archived: {}", request.reason));
        }
        Ok(ArchiveProductResponse {
            product: Some(product.clone()),
        })
    }

    async fn delete_product(
        &self,
        _ctx: CallContext,
        request: DeleteProductRequest,
    ) -> Result<(), ServiceError> {
        match self.lock().remove(&request.id) {
            Some(_) => Ok(()),
            None => Err(ServiceError::not_found(format!(
                "product `{}` does not exist",
                request.id
            ))),
        }
    }

    async fn list_products(
        &self,
        _ctx: CallContext,
        request: ListProductsRequest,
    ) -> Result<ResponseStream<ListProductsResponse, ServiceError>, ServiceError> {
        self.read_faults().await?;
        let filter = request.filter.unwrap_or_default();
        let matching: Vec<Product> = self
            .lock()
            .values()
            .filter(|p| p.name.contains(&request.name_contains))
            .filter(|p| request.tags.iter().all(|t| p.tags.contains(t)))
            .filter(|p| filter.availability == 0 || p.availability == filter.availability)
            .filter(|p| p.price_cents >= filter.min_price_cents)
            .cloned()
            .collect();
        let interval = self.faults.stream_interval;
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let guard = StreamGuard::new(&self.active_streams);
        tokio::spawn(async move {
            let _guard = guard;
            for product in matching {
                if !interval.is_zero() {
                    tokio::time::sleep(interval).await;
                }
                let message = ListProductsResponse {
                    product: Some(product),
                };
                if tx.send(Ok(message)).await.is_err() {
                    // The call ended (client gone or deadline passed): stop producing.
                    return;
                }
            }
        });
        Ok(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx)))
    }

    async fn batch_create_products(
        &self,
        _ctx: CallContext,
        mut requests: RequestStream<BatchCreateProductsRequest>,
    ) -> Result<(), ServiceError> {
        let mut batch = Vec::new();
        while let Some(request) = requests.message().await? {
            batch.push(self.prepare(request.product)?);
        }
        let mut products = self.lock();
        if let Some(existing) = batch.iter().find(|p| products.contains_key(&p.id)) {
            return Err(ServiceError::already_exists(format!(
                "product `{}` already exists",
                existing.id
            )));
        }
        for product in batch {
            products.insert(product.id.clone(), product);
        }
        Ok(())
    }

    async fn watch_prices(
        &self,
        _ctx: CallContext,
        requests: RequestStream<WatchPricesRequest>,
    ) -> Result<ResponseStream<WatchPricesResponse, ServiceError>, ServiceError> {
        let catalog = self.clone();
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        tokio::spawn(async move {
            let mut requests = requests;
            loop {
                let next =
                    std::future::poll_fn(|cx| std::pin::Pin::new(&mut requests).poll_next(cx))
                        .await;
                let reply = match next {
                    None => return,
                    Some(Err(error)) => Err(error),
                    Some(Ok(change)) => catalog.set_price(change),
                };
                let failed = reply.is_err();
                if tx.send(reply).await.is_err() || failed {
                    return;
                }
            }
        });
        Ok(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx)))
    }
}

impl Catalog {
    fn set_price(&self, change: WatchPricesRequest) -> Result<WatchPricesResponse, ServiceError> {
        if change.price_cents < 0 {
            return Err(
                ServiceError::invalid_argument("a price must not be negative")
                    .field("price_cents", "must not be negative"),
            );
        }
        let mut products = self.lock();
        let Some(product) = products.get_mut(&change.product_id) else {
            return Err(ServiceError::not_found(format!(
                "product `{}` does not exist",
                change.product_id
            )));
        };
        product.price_cents = change.price_cents;
        Ok(WatchPricesResponse {
            product_id: change.product_id,
            price_cents: change.price_cents,
        })
    }
}

/// API keys (`x-api-key`) or bearer tokens, from `spec` (`id:secret:scope,scope;...`).
pub fn authenticator(spec: &str) -> Result<AnyOf, String> {
    let keys = KeyStore::parse(spec)?;
    Ok(AnyOf::new()
        .or(ApiKeyAuthenticator::new(keys.clone()))
        .or(BearerAuthenticator::new(keys)))
}

/// The stock ledger (`ledger.v1`, written in edition 2023): deltas by product, in memory.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    history: Arc<Mutex<BTreeMap<String, Vec<i64>>>>,
}

impl ledger::v1::ledger_service_forge::Handler for Ledger {
    type Error = ServiceError;

    async fn record(
        &self,
        _ctx: CallContext,
        request: ledger::v1::RecordRequest,
    ) -> Result<ledger::v1::RecordResponse, ServiceError> {
        let entry = request
            .entry
            .ok_or_else(|| ServiceError::invalid_argument("an entry is required"))?;
        if entry.product_id.is_empty() {
            return Err(ServiceError::invalid_argument("no product")
                .field("entry.product_id", "must name a product"));
        }
        // Explicit presence: an empty note is a note, a missing one is not.
        if entry.note.as_deref() == Some("") {
            return Err(ServiceError::invalid_argument("empty note")
                .field("entry.note", "leave it out, or say why"));
        }
        let mut all = self.history.lock().unwrap_or_else(|e| e.into_inner());
        let history = all.entry(entry.product_id).or_default();
        history.push(entry.delta);
        Ok(ledger::v1::RecordResponse {
            balance: history.iter().sum(),
            history: history.clone(),
        })
    }
}

/// The catalogue's API version, for handlers that care (put there by [`api_version`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiVersion(pub u32);

/// The interceptor that pins the catalogue's API version: a client may say which version it
/// speaks in `x-api-version`; this server speaks 1 and refuses others before any handler runs
/// (after authentication, so an unknown caller learns nothing about versions).
pub fn api_version(call: &mut protoforge::runtime::Intercepted<'_>) -> Result<(), ServiceError> {
    let version = match call.metadata().get("x-api-version") {
        None => 1,
        Some(value) => match value.to_str().ok().and_then(|v| v.parse().ok()) {
            Some(1) => 1,
            _ => {
                return Err(ServiceError::failed_precondition(
                    "this server speaks catalogue API version 1 (x-api-version: 1)",
                ));
            }
        },
    };
    call.extensions_mut().insert(ApiVersion(version));
    Ok(())
}

/// The whole server: the catalogue and the ledger over gRPC and HTTP/JSON, with health and
/// reflection.
pub fn server(catalog: Catalog, auth: AnyOf) -> protoforge::runtime::Server {
    let auth = Arc::new(auth);
    let ledger = ledger::v1::ledger_service_forge::Adapter::new(Ledger::default())
        .with_authenticator(auth.clone())
        .into_server();
    let catalog = shop::v1::catalog_service_forge::Adapter::new(catalog)
        .with_authenticator(auth)
        .with_interceptor(api_version)
        .into_server();
    protoforge::runtime::Server::new()
        .add_service(catalog)
        .add_service(ledger)
        .file_descriptor_set(shop::v1::FILE_DESCRIPTOR_SET)
        .file_descriptor_set(ledger::v1::FILE_DESCRIPTOR_SET)
        .http_routes(shop::v1::catalog_service_forge::HTTP_ROUTES)
        .http_routes(ledger::v1::ledger_service_forge::HTTP_ROUTES)
        // `protoforge openapi proto -o openapi.json` (tests/openapi.rs keeps it current).
        .openapi_json(include_str!("../openapi.json"))
}
