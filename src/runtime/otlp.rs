//! Feature `otlp`: each call's span exported to an OpenTelemetry collector over OTLP/gRPC, in
//! the trace the client's `traceparent` names, with the ids the call's log lines carry.

use opentelemetry::trace::{
    SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState, TracerProvider,
};
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use super::trace::TraceContext;

/// An OTLP span exporter and the tracer provider around it.
///
/// ```no_run
/// use tracing_subscriber::layer::SubscriberExt;
///
/// # async fn run() -> Result<(), String> {
/// let otlp = protoforge::runtime::Otlp::install("http://localhost:4317", "catalog")?;
/// let subscriber = tracing_subscriber::registry().with(otlp.layer());
/// tracing::subscriber::set_global_default(subscriber).map_err(|e| e.to_string())?;
/// // ... serve ...
/// otlp.shutdown()?; // sends what is still buffered
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Otlp {
    provider: SdkTracerProvider,
}

impl Otlp {
    /// Exports to the collector at `endpoint` (`http://host:4317`) as service `service_name`,
    /// in batches. Call it inside a tokio runtime (the exporter is a tonic client).
    pub fn install(endpoint: &str, service_name: &str) -> Result<Otlp, String> {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_endpoint(endpoint)
            .build()
            .map_err(|e| format!("OTLP exporter for {endpoint}: {e}"))?;
        let resource = opentelemetry_sdk::Resource::builder()
            .with_service_name(service_name.to_owned())
            .build();
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource)
            .build();
        Ok(Otlp { provider })
    }

    /// The `tracing` layer that turns spans (each call's `grpc` span among them) into
    /// OpenTelemetry spans for the exporter; add it to the application's subscriber.
    pub fn layer<S>(&self) -> impl tracing_subscriber::Layer<S> + use<S>
    where
        S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
    {
        tracing_opentelemetry::layer().with_tracer(self.provider.tracer("protoforge"))
    }

    /// Exports what is buffered now.
    pub fn flush(&self) -> Result<(), String> {
        self.provider.force_flush().map_err(|e| e.to_string())
    }

    /// Exports what is buffered and stops.
    pub fn shutdown(self) -> Result<(), String> {
        self.provider.shutdown().map_err(|e| e.to_string())
    }
}

/// Makes `span` a child of the client's span when the call continued a trace, and returns
/// the ids OpenTelemetry gave it (`None` when no OpenTelemetry layer records the span).
pub(crate) fn link(span: &tracing::Span, trace: &TraceContext) -> Option<(String, String)> {
    if let Some(parent) = trace.parent_span_id()
        && let (Ok(trace_id), Ok(parent)) = (
            TraceId::from_hex(trace.trace_id()),
            SpanId::from_hex(parent),
        )
    {
        let flags = if trace.sampled() {
            TraceFlags::SAMPLED
        } else {
            TraceFlags::default()
        };
        let state = trace
            .tracestate()
            .and_then(|s| s.parse::<TraceState>().ok())
            .unwrap_or_default();
        let remote = SpanContext::new(trace_id, parent, flags, true, state);
        let _ = span.set_parent(opentelemetry::Context::new().with_remote_span_context(remote));
    }
    let context = span.context();
    let otel = context.span();
    let ids = otel.span_context();
    ids.is_valid()
        .then(|| (ids.trace_id().to_string(), ids.span_id().to_string()))
}
