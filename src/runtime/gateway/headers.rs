//! Which headers of an HTTP request become the gRPC call's metadata.

use http::{HeaderMap, HeaderName, HeaderValue};

use super::message::BadInput;
use super::{Failure, TIMEOUT_SECONDS_HEADER};
use crate::runtime::deadline::format_grpc_timeout;

/// Headers that become gRPC metadata: credentials, the request id, the W3C trace context,
/// `Grpc-Metadata-*` (without the prefix) and the deadline (`grpc-timeout`, or
/// `X-Timeout-Seconds`).
pub(super) fn metadata(headers: &HeaderMap) -> Result<HeaderMap, Failure> {
    let mut out = HeaderMap::new();
    for name in [
        "authorization",
        "x-api-key",
        "x-request-id",
        "grpc-timeout",
        "traceparent",
        "tracestate",
    ] {
        for value in headers.get_all(name) {
            out.append(HeaderName::from_static(name), value.clone());
        }
    }
    for (name, value) in headers {
        let Some(key) = name.as_str().strip_prefix("grpc-metadata-") else {
            continue;
        };
        // Reserved names stay the transport's own.
        if key.is_empty()
            || key.starts_with("grpc-")
            || matches!(
                key,
                "te" | "content-type" | "user-agent" | "host" | "connection"
            )
        {
            continue;
        }
        if let Ok(key) = HeaderName::from_bytes(key.as_bytes()) {
            out.append(key, value.clone());
        }
    }
    if !out.contains_key("grpc-timeout")
        && let Some(value) = headers.get(TIMEOUT_SECONDS_HEADER)
    {
        let seconds = value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .ok_or_else(|| {
                Failure::BadInput(BadInput(format!(
                    "`{TIMEOUT_SECONDS_HEADER}` must be a number of seconds, such as 2.5"
                )))
            })?;
        let timeout =
            std::time::Duration::try_from_secs_f64(seconds).unwrap_or(std::time::Duration::MAX);
        if let Ok(value) = HeaderValue::from_str(&format_grpc_timeout(timeout)) {
            out.insert("grpc-timeout", value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_become_metadata() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer t"));
        headers.insert("grpc-metadata-tenant", HeaderValue::from_static("acme"));
        headers.insert("grpc-metadata-grpc-status", HeaderValue::from_static("0"));
        headers.insert("grpc-metadata-content-type", HeaderValue::from_static("x"));
        headers.insert("cookie", HeaderValue::from_static("secret"));
        headers.insert(TIMEOUT_SECONDS_HEADER, HeaderValue::from_static("2.5"));
        let Ok(metadata) = metadata(&headers) else {
            panic!()
        };
        assert_eq!(metadata.get("authorization").unwrap(), "Bearer t");
        assert_eq!(metadata.get("tenant").unwrap(), "acme");
        assert_eq!(metadata.get("grpc-timeout").unwrap(), "2500000u");
        assert!(metadata.get("grpc-status").is_none() && metadata.get("cookie").is_none());
        assert!(metadata.get("content-type").is_none());
        headers.insert(TIMEOUT_SECONDS_HEADER, HeaderValue::from_static("soon"));
        assert!(super::metadata(&headers).is_err());
    }
}
