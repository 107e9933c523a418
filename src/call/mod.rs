//! The dynamic gRPC client behind `protoforge call`: a channel (plaintext HTTP/2 or TLS), a
//! schema (server reflection, v1 then v1alpha, or local files) and calls of every kind with
//! messages known only at run time. The command line and its output live in `cli/call.rs`.

mod describe;
mod reflect;
mod tls;

use std::future::Future as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use prost_reflect::{DescriptorPool, DynamicMessage, MethodDescriptor};
use tokio::sync::{mpsc, oneshot};
use tokio_stream::wrappers::ReceiverStream;
use tonic::codec::CompressionEncoding;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::metadata::MetadataMap;
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Response, Status, Streaming};

pub(crate) use describe::{containing, describe, describe_json};
pub(crate) use reflect::Reflection;
pub(crate) use tls::TlsOptions;

/// Where to call: the address the connection goes to, and whether it is TLS.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// `host:port`.
    pub authority: String,
    pub host: String,
    pub tls: bool,
    /// A method named in the address itself (`http://host:port/pkg.Service/Method`, as buf
    /// curl takes it).
    pub method: Option<String>,
}

/// Reads `host:port`, `http://host[:port][/pkg.Service/Method]` or `https://…` (TLS).
pub(crate) fn parse_address(text: &str, tls: bool) -> Result<Target, String> {
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
        None => (None, text),
    };
    let tls = match scheme.as_deref() {
        None => tls,
        Some("https") => true,
        Some("http") if tls => {
            return Err(format!(
                "`{text}` says plaintext (http://) but --tls asks for TLS: use https:// or drop \
                 --tls"
            ));
        }
        Some("http") => false,
        Some(other) => {
            return Err(format!(
                "`{other}://` is not an address scheme here: use host:port, http:// or https://"
            ));
        }
    };
    let (authority, path) = match rest.split_once('/') {
        Some((authority, path)) => (authority, path.trim_matches('/')),
        None => (rest, ""),
    };
    let uri: http::uri::Authority = authority
        .parse()
        .map_err(|e| format!("`{text}` is not an address: {e}"))?;
    let port = match (uri.port_u16(), scheme.is_some()) {
        (Some(port), _) => port,
        (None, true) => {
            if tls {
                443
            } else {
                80
            }
        }
        (None, false) => {
            return Err(format!(
                "`{text}` has no port: write host:port (or an http:// or https:// URL)"
            ));
        }
    };
    let host = uri.host().trim_start_matches('[').trim_end_matches(']');
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    Ok(Target {
        authority,
        host: host.to_owned(),
        tls,
        method: (!path.is_empty()).then(|| path.to_owned()),
    })
}

/// Why there is no connection.
pub(crate) enum ConnectError {
    /// The settings cannot work (a CA file, a server name, the address): a usage error.
    Setup(String),
    /// The server could not be reached (or its TLS refused): UNAVAILABLE.
    Unreachable(String),
}

impl From<String> for ConnectError {
    fn from(why: String) -> ConnectError {
        ConnectError::Setup(why)
    }
}

/// Connects to `target` (HTTP/2 with prior knowledge, or TLS with ALPN `h2`).
pub(crate) async fn connect(
    target: &Target,
    tls: &TlsOptions,
    connect_timeout: Duration,
) -> Result<Channel, ConnectError> {
    let plain = format!("http://{}", target.authority);
    let endpoint = Endpoint::from_shared(plain)
        .map_err(|e| e.to_string())?
        .connect_timeout(connect_timeout)
        .tcp_nodelay(true);
    let connected = if target.tls {
        let config = tls::client_config(tls)?;
        let name = tls
            .server_name
            .clone()
            .unwrap_or_else(|| target.host.clone());
        let server_name = rustls::pki_types::ServerName::try_from(name.clone())
            .map_err(|e| format!("`{name}` is not a server name: {e}"))?;
        // The connection is TLS; the requests say so in `:scheme`.
        let origin: http::Uri = format!("https://{}", target.authority)
            .parse()
            .map_err(|e: http::uri::InvalidUri| e.to_string())?;
        endpoint
            .origin(origin)
            .connect_with_connector(tls::connector(config, server_name))
            .await
    } else {
        endpoint.connect().await
    };
    connected.map_err(|e| {
        ConnectError::Unreachable(format!(
            "cannot connect to {}: {}",
            target.authority,
            crate::runtime::error_chain(&e)
        ))
    })
}

/// Links encoded descriptor sets in order (editions files in their linkable form), with
/// google.rpc's error details beside them (files a set already has are skipped); `Err` has the
/// index of the set that does not link.
pub(crate) fn link<'a>(
    sets: impl IntoIterator<Item = &'a [u8]>,
) -> Result<DescriptorPool, (usize, String)> {
    let mut pool = DescriptorPool::new();
    for (n, set) in sets.into_iter().enumerate() {
        crate::descriptor_set::to_linkable(set)
            .and_then(|set| {
                pool.decode_file_descriptor_set(set.as_ref())
                    .map_err(|e| format!("the schema does not link: {e}"))
            })
            .map_err(|e| (n, e))?;
    }
    // Compiled into tonic-types: it links.
    let _ = pool.decode_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET);
    Ok(pool)
}

/// Splits `pkg.Service/Method` or `pkg.Service.Method` into service and method.
pub(crate) fn split_method(name: &str) -> Option<(&str, &str)> {
    let name = name.trim_start_matches('/');
    let split = name.split_once('/').or_else(|| name.rsplit_once('.'))?;
    (!split.0.is_empty() && !split.1.is_empty() && !split.1.contains('/')).then_some(split)
}

/// `name` in `pool`, or why not (with the names it could have meant).
pub(crate) fn find_method(pool: &DescriptorPool, name: &str) -> Result<MethodDescriptor, String> {
    let Some((service_name, method_name)) = split_method(name) else {
        return Err(format!(
            "`{name}` does not name a method: write package.Service/Method"
        ));
    };
    let Some(service) = pool.get_service_by_name(service_name) else {
        let known: Vec<String> = pool.services().map(|s| s.full_name().to_owned()).collect();
        return Err(format!(
            "no service `{service_name}`{}",
            did_you_mean(service_name, known.iter().map(String::as_str))
        ));
    };
    service
        .methods()
        .find(|m| m.name() == method_name)
        .ok_or_else(|| {
            let known: Vec<String> = service.methods().map(|m| m.name().to_owned()).collect();
            format!(
                "`{service_name}` has no method `{method_name}`{}",
                did_you_mean(method_name, known.iter().map(String::as_str))
            )
        })
}

/// `: did you mean `x`?` for the closest of `known` (by edit distance), else the list.
pub(crate) fn did_you_mean<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    let close = known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &k.to_lowercase()),
                *k,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match close {
        Some((_, k)) => format!(": did you mean `{k}`?"),
        None if known.is_empty() => String::new(),
        None if known.len() <= 12 => format!(" (there are: {})", known.join(", ")),
        None => String::new(),
    }
}

/// Starts `method` with the messages `requests` yields (every call kind goes out as a stream;
/// on the wire they are the same). Gzip and zstd answers are accepted. A message on `aborted`
/// cancels the request stream: the server sees a reset stream, never a clean end, so a
/// half-sent upload is not taken for a whole one.
pub(crate) async fn start(
    channel: Channel,
    method: &MethodDescriptor,
    requests: mpsc::Receiver<DynamicMessage>,
    metadata: MetadataMap,
    timeout: Option<Duration>,
    max_message: usize,
    aborted: oneshot::Receiver<()>,
) -> Result<Response<Streaming<DynamicMessage>>, Status> {
    let service = Abortable {
        inner: channel,
        aborted: Arc::new(Mutex::new(Some(aborted))),
    };
    let mut grpc = tonic::client::Grpc::new(service)
        .accept_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Zstd)
        .max_decoding_message_size(max_message)
        .max_encoding_message_size(max_message);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let path: PathAndQuery = format!("/{}/{}", method.parent_service().full_name(), method.name())
        .parse()
        .map_err(|e| Status::invalid_argument(format!("{e}")))?;
    let mut request = Request::new(ReceiverStream::new(requests));
    *request.metadata_mut() = metadata;
    if let Some(timeout) = timeout {
        request.set_timeout(timeout);
    }
    let codec = crate::runtime::codec::DynamicCodec::new(method.output());
    grpc.streaming(request, path, codec).await
}

/// The channel, with a request body that fails (resetting the stream) when aborted.
#[derive(Clone)]
struct Abortable {
    inner: Channel,
    aborted: Arc<Mutex<Option<oneshot::Receiver<()>>>>,
}

impl tower::Service<http::Request<tonic::body::Body>> for Abortable {
    type Response = <Channel as tower::Service<http::Request<tonic::body::Body>>>::Response;
    type Error = <Channel as tower::Service<http::Request<tonic::body::Body>>>::Error;
    type Future = <Channel as tower::Service<http::Request<tonic::body::Body>>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        let aborted = self.aborted.lock().ok().and_then(|mut a| a.take());
        let request = request.map(|body| {
            tonic::body::Body::new(AbortableBody {
                inner: body,
                aborted,
            })
        });
        self.inner.call(request)
    }
}

struct AbortableBody {
    inner: tonic::body::Body,
    aborted: Option<oneshot::Receiver<()>>,
}

impl http_body::Body for AbortableBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Status>>> {
        if let Some(aborted) = &mut self.aborted {
            match Pin::new(aborted).poll(cx) {
                Poll::Ready(Ok(())) => {
                    return Poll::Ready(Some(Err(Status::cancelled("the input was invalid"))));
                }
                // The call finished without an abort.
                Poll::Ready(Err(_)) => self.aborted = None,
                Poll::Pending => {}
            }
        }
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.aborted.is_none() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
