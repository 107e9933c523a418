//! Cross-origin access for browsers: which origins may call, and what they may send and read.

use std::time::Duration;

use http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Which web origins may call the server from a browser (gRPC-Web, Connect and the HTTP/JSON
/// gateway), answered by [`Server::cors`](super::Server::cors). Off unless set.
///
/// Preflight requests (`OPTIONS` with `Access-Control-Request-Method`) are answered for the
/// allowed origins. The request headers the protocols and the runtime use are allowed
/// (`content-type`, `authorization`, `x-api-key`, `x-request-id`, `x-timeout-seconds`,
/// gRPC-Web's `x-grpc-web`, `x-user-agent` and `grpc-timeout`, Connect's
/// `connect-protocol-version` and `connect-timeout-ms`, `grpc-metadata-*` can be added with
/// [`Cors::allow_header`]); the response headers a client reads are exposed (`grpc-status`,
/// `grpc-message`, `grpc-status-details-bin`, `grpc-encoding`, `x-request-id`).
///
/// ```
/// use protoforge::runtime::Cors;
///
/// let cors = Cors::allow_origins(["https://shop.example", "http://localhost:5173"])
///     .unwrap()
///     .allow_header("x-tenant")
///     .unwrap();
/// # drop(cors);
/// assert!(Cors::allow_origins(["not an origin\n"]).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Cors {
    origins: Origins,
    headers: Vec<HeaderName>,
    expose: Vec<HeaderName>,
    credentials: bool,
    max_age: Duration,
}

#[derive(Debug, Clone)]
enum Origins {
    Any,
    List(Vec<HeaderValue>),
}

/// Request headers every policy allows.
const ALLOWED: [&str; 12] = [
    "content-type",
    "authorization",
    "x-api-key",
    "x-request-id",
    "x-timeout-seconds",
    "x-grpc-web",
    "x-user-agent",
    "grpc-timeout",
    "connect-protocol-version",
    "connect-timeout-ms",
    "connect-accept-encoding",
    "connect-content-encoding",
];

/// Response headers every policy exposes.
const EXPOSED: [&str; 5] = [
    "grpc-status",
    "grpc-message",
    "grpc-status-details-bin",
    "grpc-encoding",
    "x-request-id",
];

/// What a policy cannot be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCors(String);

impl std::fmt::Display for InvalidCors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidCors {}

impl Cors {
    /// Allows exactly these origins (`scheme://host[:port]`, as browsers send `Origin`).
    pub fn allow_origins<I, S>(origins: I) -> Result<Cors, InvalidCors>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut list = Vec::new();
        for origin in origins {
            let origin = origin.as_ref();
            let well_formed = origin.split_once("://").is_some_and(|(scheme, rest)| {
                !scheme.is_empty() && !rest.is_empty() && !rest.contains('/')
            });
            let value = HeaderValue::from_str(origin).ok().filter(|_| well_formed);
            list.push(value.ok_or_else(|| {
                InvalidCors(format!(
                    "{origin:?} is not an origin (scheme://host[:port], no path)"
                ))
            })?);
        }
        if list.is_empty() {
            return Err(InvalidCors("no origin given".into()));
        }
        Ok(Cors::with(Origins::List(list)))
    }

    /// Allows every origin (without credentials: see [`Cors::allow_credentials`]).
    pub fn any_origin() -> Cors {
        Cors::with(Origins::Any)
    }

    fn with(origins: Origins) -> Cors {
        let names =
            |names: &[&'static str]| names.iter().map(|n| HeaderName::from_static(n)).collect();
        Cors {
            origins,
            headers: names(&ALLOWED),
            expose: names(&EXPOSED),
            credentials: false,
            max_age: Duration::from_secs(3600),
        }
    }

    /// Also allows request header `name` (a `grpc-metadata-*` header, a tenant header...).
    pub fn allow_header(mut self, name: &str) -> Result<Cors, InvalidCors> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| InvalidCors(format!("{name:?} is not a header name")))?;
        self.headers.push(name);
        Ok(self)
    }

    /// Also exposes response header `name` to scripts.
    pub fn expose_header(mut self, name: &str) -> Result<Cors, InvalidCors> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| InvalidCors(format!("{name:?} is not a header name")))?;
        self.expose.push(name);
        Ok(self)
    }

    /// Lets browsers send cookies and HTTP authentication. Only with a list of origins: a
    /// browser refuses credentials for any origin, so [`Cors::any_origin`] with credentials is
    /// an error when the server starts.
    pub fn allow_credentials(mut self, allow: bool) -> Cors {
        self.credentials = allow;
        self
    }

    /// How long a browser may cache a preflight answer (default one hour).
    pub fn max_age(mut self, max_age: Duration) -> Cors {
        self.max_age = max_age;
        self
    }

    /// The tower-http layer, or why this policy cannot work.
    pub(crate) fn layer(&self) -> Result<CorsLayer, InvalidCors> {
        let origin = match &self.origins {
            Origins::Any if self.credentials => {
                return Err(InvalidCors(
                    "credentials cannot be allowed for any origin; list the origins".into(),
                ));
            }
            Origins::Any => AllowOrigin::any(),
            Origins::List(list) => AllowOrigin::list(list.iter().cloned()),
        };
        Ok(CorsLayer::new()
            .allow_origin(origin)
            .allow_methods([
                Method::GET,
                Method::HEAD,
                Method::POST,
                Method::PUT,
                Method::PATCH,
                Method::DELETE,
            ])
            .allow_headers(self.headers.clone())
            .expose_headers(self.expose.clone())
            .allow_credentials(self.credentials)
            .max_age(self.max_age))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_must_be_origins_and_credentials_need_a_list() {
        for bad in [
            "",
            "shop.example",
            "https://",
            "https://shop.example/app",
            "a\nb://c",
        ] {
            assert!(Cors::allow_origins([bad]).is_err(), "{bad:?}");
        }
        assert!(Cors::allow_origins(Vec::<String>::new()).is_err());
        assert!(Cors::any_origin().allow_credentials(true).layer().is_err());
        assert!(Cors::any_origin().layer().is_ok());
        let listed = Cors::allow_origins(["https://shop.example"]).unwrap();
        assert!(listed.allow_credentials(true).layer().is_ok());
        assert!(Cors::any_origin().allow_header("bad header").is_err());
    }
}
