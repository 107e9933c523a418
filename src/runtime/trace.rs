//! W3C trace context (`traceparent`, `tracestate`): each call continues the client's trace, or
//! starts one, with a span id of its own. The ids go on the call's `tracing` span and log line,
//! so every log line of a call carries its trace id.

use std::fmt::Write as _;

use tonic::metadata::MetadataMap;

/// A call's place in a distributed trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceContext {
    trace_id: String,
    span_id: String,
    parent_span_id: Option<String>,
    flags: u8,
    tracestate: Option<String>,
}

/// `traceparent`'s "sampled" flag.
const SAMPLED: u8 = 0x01;

/// `bytes` random bytes in hex. Trace and span ids need to be unique, not secret: a fast
/// generator (no system call per id) will do.
fn random_hex(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes * 2);
    for _ in 0..bytes {
        let _ = write!(out, "{:02x}", fastrand::u8(..));
    }
    out
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `(trace id, parent span id, flags)` of a valid `traceparent`, per the W3C rules: lowercase
/// hex, ids not all zeros, version `ff` invalid, later versions read by their first four parts.
pub(crate) fn parse_traceparent(text: &str) -> Option<(&str, &str, u8)> {
    let mut parts = text.trim().split('-');
    let version = parts.next()?;
    let trace_id = parts.next()?;
    let parent = parts.next()?;
    let flags = parts.next()?;
    let rest = parts.next();
    if !is_hex(version, 2) || version == "ff" || (version == "00" && rest.is_some()) {
        return None;
    }
    if !is_hex(trace_id, 32) || trace_id.bytes().all(|b| b == b'0') {
        return None;
    }
    if !is_hex(parent, 16) || parent.bytes().all(|b| b == b'0') || !is_hex(flags, 2) {
        return None;
    }
    let flags = u8::from_str_radix(flags, 16).ok()?;
    Some((trace_id, parent, flags))
}

impl TraceContext {
    /// The client's trace continued (a valid `traceparent`), else a new sampled trace.
    pub(crate) fn from_metadata(metadata: &MetadataMap) -> TraceContext {
        let parent = metadata
            .get("traceparent")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_traceparent);
        match parent {
            Some((trace_id, parent, flags)) => TraceContext {
                trace_id: trace_id.to_owned(),
                span_id: random_hex(8),
                parent_span_id: Some(parent.to_owned()),
                flags,
                // Passed on only with a valid parent, and only when it is text of sane size.
                tracestate: metadata
                    .get("tracestate")
                    .and_then(|v| v.to_str().ok())
                    .filter(|s| s.len() <= 512)
                    .map(str::to_owned),
            },
            None => TraceContext {
                trace_id: random_hex(16),
                span_id: random_hex(8),
                parent_span_id: None,
                flags: SAMPLED,
                tracestate: None,
            },
        }
    }

    /// Takes the ids a tracing backend gave the call's span.
    #[cfg(feature = "otlp")]
    pub(crate) fn adopt(&mut self, trace_id: String, span_id: String) {
        self.trace_id = trace_id;
        self.span_id = span_id;
    }

    /// 32 hex digits, shared by every span of the trace.
    pub fn trace_id(&self) -> &str {
        &self.trace_id
    }

    /// This call's span: 16 hex digits.
    pub fn span_id(&self) -> &str {
        &self.span_id
    }

    /// The client's span, when the call continued a trace.
    pub fn parent_span_id(&self) -> Option<&str> {
        self.parent_span_id.as_deref()
    }

    /// Whether the trace is being recorded upstream (the `sampled` flag).
    pub fn sampled(&self) -> bool {
        self.flags & SAMPLED != 0
    }

    /// The client's `tracestate`, passed on unchanged.
    pub fn tracestate(&self) -> Option<&str> {
        self.tracestate.as_deref()
    }

    /// The `traceparent` for a call this one makes: same trace, this call's span as parent.
    pub fn traceparent(&self) -> String {
        format!("00-{}-{}-{:02x}", self.trace_id, self.span_id, self.flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIVEN: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn valid_traceparents_are_read_and_invalid_ones_refused() {
        assert_eq!(
            parse_traceparent(GIVEN),
            Some(("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1))
        );
        // A later version may carry more parts.
        assert!(parse_traceparent(&format!("01{}-later", &GIVEN[2..])).is_some());
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
        ] {
            assert_eq!(parse_traceparent(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_call_continues_the_clients_trace_or_starts_one() {
        let mut metadata = MetadataMap::new();
        metadata.insert("traceparent", GIVEN.parse().unwrap());
        metadata.insert("tracestate", "vendor=abc".parse().unwrap());
        let trace = TraceContext::from_metadata(&metadata);
        assert_eq!(trace.trace_id(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(trace.parent_span_id(), Some("00f067aa0ba902b7"));
        assert_ne!(trace.span_id(), "00f067aa0ba902b7");
        assert!(is_hex(trace.span_id(), 16));
        assert!(trace.sampled());
        assert_eq!(trace.tracestate(), Some("vendor=abc"));
        assert_eq!(
            trace.traceparent(),
            format!("00-4bf92f3577b34da6a3ce929d0e0e4736-{}-01", trace.span_id())
        );

        let mut bad = MetadataMap::new();
        bad.insert("traceparent", "00-zz-00f067aa0ba902b7-01".parse().unwrap());
        bad.insert("tracestate", "vendor=abc".parse().unwrap());
        let started = TraceContext::from_metadata(&bad);
        assert!(is_hex(started.trace_id(), 32));
        assert_eq!(started.parent_span_id(), None);
        assert_eq!(started.tracestate(), None);
        let other = TraceContext::from_metadata(&MetadataMap::new());
        assert_ne!(started.trace_id(), other.trace_id());
    }
}
