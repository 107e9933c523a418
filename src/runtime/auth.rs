//! Authentication: who is calling, and with which scopes.

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use subtle::ConstantTimeEq;
use tonic::metadata::MetadataMap;

use super::error::ServiceError;

/// A boxed future, as [`Authenticator::authenticate`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The authenticated caller of a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Principal {
    /// Who it is (a user, a service account, the name of an API key).
    pub id: String,
    /// What it may do, such as `catalog.write`.
    pub scopes: BTreeSet<String>,
}

impl Principal {
    /// A principal named `id` with `scopes`.
    ///
    /// ```
    /// use protoforge::runtime::Principal;
    ///
    /// let admin = Principal::new("admin", ["catalog.write", "catalog.read"]);
    /// assert!(admin.has_scope("catalog.write"));
    /// assert!(!admin.has_scope("billing.read"));
    /// ```
    pub fn new<I, S>(id: impl Into<String>, scopes: I) -> Principal
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Principal {
            id: id.into(),
            scopes: scopes.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether the principal was granted `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Principal")
            .field("id", &self.id)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// Turns a request's credentials into a [`Principal`].
///
/// Return `Ok(None)` when the request carries no credentials this authenticator understands,
/// `Err` (normally [`ServiceError::unauthenticated`]) when it carries bad ones.
///
/// ```
/// use protoforge::runtime::{Authenticator, Principal, ServiceError};
/// use protoforge::runtime::tonic::metadata::MetadataMap;
///
/// /// Trusts the mesh: the sidecar has already checked the caller and names it in a header.
/// struct FromSidecar;
///
/// impl Authenticator for FromSidecar {
///     fn authenticate<'a>(
///         &'a self,
///         metadata: &'a MetadataMap,
///     ) -> std::pin::Pin<Box<dyn Future<Output = Result<Option<Principal>, ServiceError>> + Send + 'a>>
///     {
///         Box::pin(async move {
///             let Some(id) = metadata.get("x-caller").and_then(|v| v.to_str().ok()) else {
///                 return Ok(None);
///             };
///             Ok(Some(Principal::new(id, ["catalog.read"])))
///         })
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync + 'static {
    /// The principal the request's credentials name, `None` without credentials.
    fn authenticate<'a>(
        &'a self,
        metadata: &'a MetadataMap,
    ) -> BoxFuture<'a, Result<Option<Principal>, ServiceError>>;
}

/// One authenticator shared by several services: `Arc::new(auth)`, then a clone per adapter.
impl<A: Authenticator + ?Sized> Authenticator for std::sync::Arc<A> {
    fn authenticate<'a>(
        &'a self,
        metadata: &'a MetadataMap,
    ) -> BoxFuture<'a, Result<Option<Principal>, ServiceError>> {
        (**self).authenticate(metadata)
    }
}

/// Knows nobody: every protected method answers UNAUTHENTICATED. The default, so that forgetting
/// to configure authentication closes the service instead of opening it.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuthenticator;

impl Authenticator for NoAuthenticator {
    fn authenticate<'a>(
        &'a self,
        _metadata: &'a MetadataMap,
    ) -> BoxFuture<'a, Result<Option<Principal>, ServiceError>> {
        Box::pin(async { Ok(None) })
    }
}

/// Secrets and whom they belong to. Lookups compare every stored secret in constant time, so
/// the time taken says nothing about which secret came close. Secrets are never printed.
#[derive(Clone, Default)]
pub struct KeyStore {
    entries: Vec<(Vec<u8>, Principal)>,
}

impl KeyStore {
    /// An empty store; fill it with [`KeyStore::insert`], or read one with [`KeyStore::parse`].
    ///
    /// ```
    /// use protoforge::runtime::{KeyStore, Principal};
    ///
    /// let mut keys = KeyStore::new();
    /// keys.insert("s3cret", Principal::new("deploy-bot", ["catalog.write"]));
    /// assert_eq!(keys.len(), 1);
    ///
    /// let parsed = KeyStore::parse("admin:k1:catalog.write,catalog.read;reader:k2").unwrap();
    /// assert_eq!(parsed.len(), 2);
    /// ```
    pub fn new() -> KeyStore {
        KeyStore::default()
    }

    /// Adds `secret` for `principal`.
    pub fn insert(&mut self, secret: impl Into<String>, principal: Principal) {
        self.entries.push((secret.into().into_bytes(), principal));
    }

    /// Reads `id:secret:scope,scope;id2:secret2:scope` (entries separated by `;` or newlines,
    /// scopes optional). Errors name the entry by position, never by content.
    pub fn parse(spec: &str) -> Result<KeyStore, String> {
        let mut store = KeyStore::new();
        for (index, entry) in spec
            .split([';', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let mut parts = entry.splitn(3, ':');
            let id = parts.next().unwrap_or_default().trim();
            let secret = parts.next().unwrap_or_default().trim();
            let scopes = parts.next().unwrap_or_default();
            if id.is_empty() || secret.is_empty() {
                return Err(format!(
                    "credential entry {} is not `id:secret[:scope,scope]`",
                    index + 1
                ));
            }
            let scopes = scopes
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty());
            store.insert(secret, Principal::new(id, scopes));
        }
        Ok(store)
    }

    /// Reads [`KeyStore::parse`]'s format from the environment variable `var`.
    pub fn from_env(var: &str) -> Result<KeyStore, String> {
        let spec =
            std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))?;
        KeyStore::parse(&spec).map_err(|e| format!("{var}: {e}"))
    }

    /// How many secrets the store holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the store holds no secret (every protected call is then refused).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The principal whose secret equals `presented`.
    pub fn find(&self, presented: &[u8]) -> Option<&Principal> {
        let mut found = None;
        for (secret, principal) in &self.entries {
            // No early return: every entry is compared.
            let equal: bool = secret.as_slice().ct_eq(presented).into();
            if equal && found.is_none() {
                found = Some(principal);
            }
        }
        found
    }
}

impl fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyStore")
            .field(
                "principals",
                &self.entries.iter().map(|(_, p)| &p.id).collect::<Vec<_>>(),
            )
            .field("secrets", &"<redacted>")
            .finish()
    }
}

/// API keys in the `x-api-key` header.
#[derive(Debug, Clone)]
pub struct ApiKeyAuthenticator {
    keys: KeyStore,
    header: &'static str,
}

impl ApiKeyAuthenticator {
    /// Accepts the secrets of `keys` in the `x-api-key` header.
    pub fn new(keys: KeyStore) -> ApiKeyAuthenticator {
        ApiKeyAuthenticator {
            keys,
            header: "x-api-key",
        }
    }

    /// Reads the keys from an environment variable (see [`KeyStore::parse`]).
    pub fn from_env(var: &str) -> Result<ApiKeyAuthenticator, String> {
        KeyStore::from_env(var).map(ApiKeyAuthenticator::new)
    }

    /// Reads the key from another header (lower case).
    pub fn header(mut self, header: &'static str) -> Self {
        self.header = header;
        self
    }
}

impl Authenticator for ApiKeyAuthenticator {
    fn authenticate<'a>(
        &'a self,
        metadata: &'a MetadataMap,
    ) -> BoxFuture<'a, Result<Option<Principal>, ServiceError>> {
        Box::pin(async move {
            let Some(value) = metadata.get(self.header) else {
                return Ok(None);
            };
            match self.keys.find(value.as_bytes()) {
                Some(principal) => Ok(Some(principal.clone())),
                None => Err(ServiceError::unauthenticated("invalid API key")),
            }
        })
    }
}

/// Bearer tokens in `authorization: Bearer <token>` (the scheme in any case, as RFC 7235 says).
#[derive(Debug, Clone)]
pub struct BearerAuthenticator {
    tokens: KeyStore,
}

impl BearerAuthenticator {
    /// Accepts the secrets of `tokens` as `authorization: Bearer <token>`.
    pub fn new(tokens: KeyStore) -> BearerAuthenticator {
        BearerAuthenticator { tokens }
    }

    /// Reads the tokens from an environment variable (see [`KeyStore::parse`]).
    pub fn from_env(var: &str) -> Result<BearerAuthenticator, String> {
        KeyStore::from_env(var).map(BearerAuthenticator::new)
    }
}

impl Authenticator for BearerAuthenticator {
    fn authenticate<'a>(
        &'a self,
        metadata: &'a MetadataMap,
    ) -> BoxFuture<'a, Result<Option<Principal>, ServiceError>> {
        Box::pin(async move {
            let Some(value) = metadata.get("authorization") else {
                return Ok(None);
            };
            let value = value.as_bytes();
            let token = match value.iter().position(|b| *b == b' ') {
                Some(space) if value[..space].eq_ignore_ascii_case(b"bearer") => {
                    value[space + 1..].trim_ascii()
                }
                _ => return Ok(None),
            };
            if token.is_empty() {
                return Err(ServiceError::unauthenticated("empty bearer token"));
            }
            match self.tokens.find(token) {
                Some(principal) => Ok(Some(principal.clone())),
                None => Err(ServiceError::unauthenticated("invalid bearer token")),
            }
        })
    }
}

/// Tries authenticators in order; the first that recognises credentials decides.
#[derive(Default)]
pub struct AnyOf {
    authenticators: Vec<Box<dyn Authenticator>>,
}

impl AnyOf {
    /// No authenticator yet: add them with [`AnyOf::or`], tried in that order.
    ///
    /// ```
    /// use protoforge::runtime::{AnyOf, ApiKeyAuthenticator, BearerAuthenticator, KeyStore};
    ///
    /// let keys = KeyStore::parse("ci:k1:catalog.write").unwrap();
    /// let tokens = KeyStore::parse("web:t1:catalog.read").unwrap();
    /// let auth = AnyOf::new()
    ///     .or(ApiKeyAuthenticator::new(keys))
    ///     .or(BearerAuthenticator::new(tokens));
    /// # drop(auth);
    /// ```
    pub fn new() -> AnyOf {
        AnyOf::default()
    }

    /// Also tries `authenticator`, after those added before.
    pub fn or(mut self, authenticator: impl Authenticator) -> Self {
        self.authenticators.push(Box::new(authenticator));
        self
    }
}

impl Authenticator for AnyOf {
    fn authenticate<'a>(
        &'a self,
        metadata: &'a MetadataMap,
    ) -> BoxFuture<'a, Result<Option<Principal>, ServiceError>> {
        Box::pin(async move {
            for authenticator in &self.authenticators {
                if let Some(principal) = authenticator.authenticate(metadata).await? {
                    return Ok(Some(principal));
                }
            }
            Ok(None)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(pairs: &[(&'static str, &str)]) -> MetadataMap {
        let mut map = MetadataMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    fn block<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn key_store_parses_and_never_prints_secrets() {
        let store =
            KeyStore::parse("alice:s3cret:catalog.read,catalog.write; bob:hunter2").unwrap();
        assert_eq!(store.len(), 2);
        let alice = store.find(b"s3cret").unwrap();
        assert_eq!(alice.id, "alice");
        assert!(alice.has_scope("catalog.write"));
        assert!(store.find(b"s3cre").is_none());
        assert!(store.find(b"").is_none());
        let debug = format!("{store:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("hunter2"),
            "{debug}"
        );
        let error = KeyStore::parse("alice:s3cret;nocolon").unwrap_err();
        assert!(
            error.contains("entry 2") && !error.contains("s3cret"),
            "{error}"
        );
    }

    #[test]
    fn api_keys_and_bearer_tokens() {
        let store = KeyStore::parse("svc:k1:a").unwrap();
        let api = ApiKeyAuthenticator::new(store.clone());
        assert_eq!(block(api.authenticate(&metadata(&[]))).unwrap(), None);
        let p = block(api.authenticate(&metadata(&[("x-api-key", "k1")]))).unwrap();
        assert_eq!(p.unwrap().id, "svc");
        assert!(block(api.authenticate(&metadata(&[("x-api-key", "K1")]))).is_err());

        let bearer = BearerAuthenticator::new(store);
        for header in ["Bearer k1", "bearer k1", "BEARER  k1"] {
            let p = block(bearer.authenticate(&metadata(&[("authorization", header)])));
            assert_eq!(p.unwrap().unwrap().id, "svc", "{header}");
        }
        assert_eq!(
            block(bearer.authenticate(&metadata(&[("authorization", "Basic k1")]))).unwrap(),
            None
        );
        assert!(block(bearer.authenticate(&metadata(&[("authorization", "Bearer ")]))).is_err());
        assert!(block(bearer.authenticate(&metadata(&[("authorization", "Bearer k2")]))).is_err());
    }
}
