//! The in-process gRPC hop the HTTP/JSON gateway and the Connect protocol take: a request
//! framed as gRPC, handed to the server's own router, so auth, deadlines, limits, error mapping
//! and logging are the gRPC path's.

use axum::body::Body;
use bytes::{Buf, Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, Method, Request, Response};
use prost_reflect::DescriptorPool;
use tower::ServiceExt;

/// The registered descriptor sets, google.rpc's (for error details), health's and reflection's,
/// linked.
pub(crate) fn descriptor_pool(sets: &[&[u8]]) -> std::io::Result<DescriptorPool> {
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let mut pool = DescriptorPool::global();
    pool.decode_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
        .map_err(|e| invalid(format!("google.rpc descriptors: {e}")))?;
    // Health and reflection, which Connect clients call too.
    for set in super::reflection::BUILT_IN_SETS {
        pool.decode_file_descriptor_set(set)
            .map_err(|e| invalid(format!("built-in descriptors: {e}")))?;
    }
    for set in sets {
        // Editions files are linked in their proto2 form (see `descriptor_set`).
        let set = crate::descriptor_set::to_linkable(set)
            .map_err(|e| invalid(format!("descriptor set: {e}")))?;
        pool.decode_file_descriptor_set(set.as_ref())
            .map_err(|e| invalid(format!("descriptor set: {e}")))?;
    }
    Ok(pool)
}

/// Calls `path` (`/pkg.Service/Method`) on `router` with one message, `metadata` and the
/// original request's `extensions`.
pub(crate) async fn call(
    router: &axum::Router,
    path: &str,
    metadata: HeaderMap,
    extensions: http::Extensions,
    message: &[u8],
) -> Response<Body> {
    let mut frame = BytesMut::with_capacity(message.len() + 5);
    frame.extend_from_slice(&[0]);
    frame.extend_from_slice(
        &u32::try_from(message.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    frame.extend_from_slice(message);
    call_with_body(
        router,
        path,
        metadata,
        extensions,
        Body::from(frame.freeze()),
    )
    .await
}

/// Calls `path` on `router` with `body`, a stream of gRPC frames.
pub(crate) async fn call_with_body(
    router: &axum::Router,
    path: &str,
    metadata: HeaderMap,
    extensions: http::Extensions,
    body: Body,
) -> Response<Body> {
    let mut request = Request::new(body);
    // The HTTP request's (the peer's address among them) reach the handler's CallContext.
    *request.extensions_mut() = extensions;
    *request.method_mut() = Method::POST;
    *request.version_mut() = http::Version::HTTP_2;
    match path.parse() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(_) => {
            let status = tonic::Status::unimplemented(format!("{path:?} is not a method path"));
            return status.into_http();
        }
    }
    let headers = request.headers_mut();
    headers.extend(metadata);
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/grpc"),
    );
    headers.insert(http::header::TE, HeaderValue::from_static("trailers"));
    match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Forwards a gRPC response stream, each message as `render` makes it, until it ends. Returns
/// how it ended (`Ok` when it ended well or the client went away: dropping `body` then cancels
/// the call; `Err` with the status that ended it) and its trailers.
pub(crate) async fn pump(
    body: &mut Body,
    tx: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    render: impl Fn(&[u8]) -> Result<Bytes, tonic::Status>,
) -> (Result<(), tonic::Status>, HeaderMap) {
    use http_body_util::BodyExt;
    let mut frames = Frames::default();
    loop {
        let frame = match body.frame().await {
            None => {
                let status = tonic::Status::internal("the stream ended without a status");
                return (Err(status), HeaderMap::new());
            }
            Some(Err(e)) => {
                let status = tonic::Status::internal(format!("reading the stream: {e}"));
                return (Err(status), HeaderMap::new());
            }
            Some(Ok(frame)) => frame,
        };
        let frame = match frame.into_data() {
            Ok(data) => {
                frames.push(data);
                loop {
                    let rendered = match frames.next_message() {
                        Ok(None) => break,
                        Ok(Some(bytes)) => render(&bytes),
                        Err(e) => Err(tonic::Status::internal(e)),
                    };
                    match rendered {
                        Err(status) => return (Err(status), HeaderMap::new()),
                        Ok(bytes) => {
                            if tx.send(Ok(bytes)).await.is_err() {
                                return (Ok(()), HeaderMap::new());
                            }
                        }
                    }
                }
                continue;
            }
            Err(frame) => frame,
        };
        if let Ok(trailers) = frame.into_trailers() {
            let ended = match tonic::Status::from_header_map(&trailers) {
                Some(status) if status.code() != tonic::Code::Ok => Err(status),
                _ => Ok(()),
            };
            return (ended, trailers);
        }
    }
}

/// Length-prefixed messages (gRPC's frames, Connect's envelopes) from a byte stream.
#[derive(Default)]
pub(crate) struct Frames {
    buffer: BytesMut,
}

impl Frames {
    pub(crate) fn push(&mut self, bytes: Bytes) {
        self.buffer.extend_from_slice(&bytes);
    }

    /// The next whole message with its flags byte, if it has arrived.
    pub(crate) fn next_envelope(&mut self) -> Option<(u8, Bytes)> {
        if self.buffer.len() < 5 {
            return None;
        }
        let len = u32::from_be_bytes([
            self.buffer[1],
            self.buffer[2],
            self.buffer[3],
            self.buffer[4],
        ]) as usize;
        if self.buffer.len() < 5 + len {
            return None;
        }
        let flags = self.buffer[0];
        self.buffer.advance(5);
        Some((flags, self.buffer.split_to(len).freeze()))
    }

    /// The next whole uncompressed gRPC message, if it has arrived.
    pub(crate) fn next_message(&mut self) -> Result<Option<Bytes>, String> {
        if self.buffer.first().is_some_and(|flags| *flags != 0) {
            return Err("the response is compressed, which was not asked for".into());
        }
        Ok(self.next_envelope().map(|(_, bytes)| bytes))
    }

    /// The declared length of the message being received, once its prefix has arrived.
    pub(crate) fn pending_len(&self) -> Option<usize> {
        let prefix = self.buffer.get(1..5)?;
        Some(u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize)
    }

    /// Bytes that arrived after the last whole message.
    pub(crate) fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_across_chunks() {
        let mut frames = Frames::default();
        frames.push(Bytes::from_static(&[0, 0, 0, 0, 3, 1]));
        assert_eq!(frames.next_message(), Ok(None));
        frames.push(Bytes::from_static(&[2, 3, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1]));
        assert_eq!(
            frames.next_message(),
            Ok(Some(Bytes::from_static(&[1, 2, 3])))
        );
        assert_eq!(frames.next_message(), Ok(Some(Bytes::new())));
        assert!(
            frames.next_message().is_err(),
            "flags 2 is not a plain message"
        );
        assert_eq!(frames.next_envelope(), None);
        frames.push(Bytes::from_static(b"x"));
        assert_eq!(frames.next_envelope(), Some((2, Bytes::from_static(b"x"))));
        assert!(frames.is_empty());
    }
}
