//! The codegen IR: services, their methods and each method's policy (auth and timeout). The only
//! codegen file that reads descriptors.

use std::collections::HashMap;
use std::time::Duration;

use prost_reflect::{DescriptorPool, MethodDescriptor};

use crate::config::codegen::CodegenConfig;
use crate::source::method_options::{Declared, METHOD_OPTION, SERVICE_OPTION, read_declared};

/// The shape of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unary,
    ServerStreaming,
    ClientStreaming,
    Bidirectional,
}

/// A method's resolved policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub public: bool,
    pub scopes: Vec<String>,
    pub timeout: Option<Duration>,
    /// Safe to repeat: generated clients retry it on UNAVAILABLE.
    pub retry: bool,
}

#[derive(Debug, Clone)]
pub struct Method {
    /// `GetProduct`
    pub name: String,
    pub kind: Kind,
    pub policy: Policy,
    /// Request and response message full names.
    pub input: String,
    pub output: String,
    /// HTTP bindings from `google.api.http` (none for client-streaming methods, which the
    /// gateway does not serve).
    pub http: Vec<HttpBinding>,
}

/// One HTTP route of a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpBinding {
    pub method: String,
    pub pattern: String,
    pub body: String,
    pub response_body: String,
}

#[derive(Debug, Clone)]
pub struct Service {
    /// `shop.v1.CatalogService`
    pub full_name: String,
    pub methods: Vec<Method>,
}

/// Every service of a compilation, by full name.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub services: HashMap<String, Service>,
    /// The default deadline of generated clients for methods without a timeout.
    pub client_timeout: Option<Duration>,
}

/// The method's `google.api.http` bindings (invalid ones are left out: lint reports them, and
/// the gateway would refuse them at start-up); with none and `default_binding`, `POST
/// /package.Service/Method` with the whole request as the body.
fn http_bindings(method: &MethodDescriptor, default_binding: bool) -> Vec<HttpBinding> {
    if method.is_client_streaming() {
        return Vec::new();
    }
    let declared = crate::http::rule::bindings(method);
    if declared.is_empty() && default_binding {
        return vec![HttpBinding {
            method: "POST".to_owned(),
            pattern: format!("/{}/{}", method.parent_service().full_name(), method.name()),
            body: "*".to_owned(),
            response_body: String::new(),
        }];
    }
    declared
        .into_iter()
        .filter(|b| {
            !b.method.is_empty()
                && crate::http::Template::parse(&b.pattern).is_ok()
                && !b.nested_bindings
        })
        .map(|b| HttpBinding {
            method: b.method,
            pattern: b.pattern,
            body: b.body,
            response_body: b.response_body,
        })
        .collect()
}

/// `idempotency_level` NO_SIDE_EFFECTS or IDEMPOTENT.
fn safe_to_repeat(method: &MethodDescriptor) -> bool {
    use prost_types::method_options::IdempotencyLevel;
    matches!(
        method
            .method_descriptor_proto()
            .options
            .as_ref()
            .map(|o| o.idempotency_level()),
        Some(IdempotencyLevel::NoSideEffects | IdempotencyLevel::Idempotent)
    )
}

fn kind(method: &MethodDescriptor) -> Kind {
    match (method.is_client_streaming(), method.is_server_streaming()) {
        (false, false) => Kind::Unary,
        (false, true) => Kind::ServerStreaming,
        (true, false) => Kind::ClientStreaming,
        (true, true) => Kind::Bidirectional,
    }
}

/// Resolves a method's policy: the method's own option (and config override) first, then the
/// service's, then the default (protected, no scopes, no timeout). A method that declares
/// `auth` is protected even in a public service (and even if it also says `public`, which lint
/// reports). Bidirectional streams take a timeout only from the method itself: they are
/// long-lived by design.
fn resolve(method: &Declared, service: &Declared, kind: Kind, idempotent: bool) -> Policy {
    let (public, scopes) = if let Some(scopes) = &method.scopes {
        (false, scopes.clone())
    } else if method.public == Some(true) {
        (true, Vec::new())
    } else if method.public == Some(false) {
        (false, service.scopes.clone().unwrap_or_default())
    } else if service.public == Some(true) {
        (true, Vec::new())
    } else {
        (false, service.scopes.clone().unwrap_or_default())
    };
    let timeout = match kind {
        Kind::Bidirectional => method.timeout,
        _ => method.timeout.or(service.timeout),
    };
    // The method's own word, then what its idempotency level says, then the service's.
    let retry = method
        .retry
        .or(idempotent.then_some(true))
        .or(service.retry)
        .unwrap_or(false);
    Policy {
        public,
        scopes: if public { Vec::new() } else { scopes },
        timeout,
        retry,
    }
}

impl Model {
    /// Reads every service in `pool`, with `config`'s overrides.
    pub fn new(pool: &DescriptorPool, config: &CodegenConfig) -> Result<Model, String> {
        let mut services = HashMap::new();
        for service in pool.services() {
            let full = service.full_name().to_owned();
            let service_declared = read_declared(&service.options(), SERVICE_OPTION)
                .map_err(|e| format!("service `{full}`: {e}"))?
                .overlay(config.services.get(&full));
            let mut methods = Vec::new();
            for method in service.methods() {
                let method_full = method.full_name().to_owned();
                let method_declared = read_declared(&method.options(), METHOD_OPTION)
                    .map_err(|e| format!("method `{method_full}`: {e}"))?
                    .overlay(config.methods.get(&method_full));
                let kind = kind(&method);
                methods.push(Method {
                    name: method.name().to_owned(),
                    kind,
                    policy: resolve(
                        &method_declared,
                        &service_declared,
                        kind,
                        safe_to_repeat(&method),
                    ),
                    input: method.input().full_name().to_owned(),
                    output: method.output().full_name().to_owned(),
                    http: http_bindings(&method, config.default_http_bindings),
                });
            }
            services.insert(
                full.clone(),
                Service {
                    full_name: full,
                    methods,
                },
            );
        }
        Ok(Model {
            services,
            client_timeout: config.client_timeout,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(public: Option<bool>, scopes: Option<&[&str]>, timeout: Option<u64>) -> Declared {
        Declared {
            public,
            scopes: scopes.map(|s| s.iter().map(|s| s.to_string()).collect()),
            timeout: timeout.map(Duration::from_secs),
            retry: None,
        }
    }

    #[test]
    fn method_policy_wins_over_service_policy() {
        let read = d(None, Some(&["catalog.read"]), Some(5));
        let p = resolve(&d(None, None, None), &read, Kind::Unary, false);
        assert_eq!(
            (p.public, p.scopes.len(), p.timeout),
            (false, 1, Some(Duration::from_secs(5)))
        );
        let p = resolve(&d(Some(true), None, Some(1)), &read, Kind::Unary, false);
        assert_eq!((p.public, p.timeout), (true, Some(Duration::from_secs(1))));
        let public_service = d(Some(true), None, None);
        let p = resolve(
            &d(None, Some(&["w"]), None),
            &public_service,
            Kind::Unary,
            false,
        );
        assert_eq!((p.public, p.scopes), (false, vec!["w".to_owned()]));
        let p = resolve(
            &d(None, None, None),
            &d(None, None, None),
            Kind::Unary,
            false,
        );
        assert!(!p.public, "no policy at all means protected");
    }

    #[test]
    fn retry_follows_the_method_then_its_idempotency_then_the_service() {
        let retry = |method: Option<bool>, idempotent: bool, service: Option<bool>| {
            let mut m = d(None, None, None);
            m.retry = method;
            let mut s = d(None, None, None);
            s.retry = service;
            resolve(&m, &s, Kind::Unary, idempotent).retry
        };
        assert!(
            !retry(None, false, None),
            "nothing said: not safe to repeat"
        );
        assert!(retry(None, true, None), "NO_SIDE_EFFECTS or IDEMPOTENT");
        assert!(retry(None, false, Some(true)));
        assert!(
            !retry(Some(false), true, Some(true)),
            "the method's own word wins"
        );
        assert!(retry(Some(true), false, Some(false)));
        assert!(
            retry(None, true, Some(false)),
            "idempotency is the method's word"
        );
    }

    #[test]
    fn bidirectional_streams_ignore_the_service_timeout() {
        let service = d(None, None, Some(5));
        assert_eq!(
            resolve(&d(None, None, None), &service, Kind::Bidirectional, false).timeout,
            None
        );
        assert_eq!(
            resolve(
                &d(None, None, Some(9)),
                &service,
                Kind::Bidirectional,
                false
            )
            .timeout,
            Some(Duration::from_secs(9))
        );
        assert_eq!(
            resolve(&d(None, None, None), &service, Kind::ServerStreaming, false).timeout,
            Some(Duration::from_secs(5))
        );
    }
}
