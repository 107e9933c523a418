//! Which message compressions a generated server accepts and sends.

use tonic::codec::CompressionEncoding;

/// The compressions a generated server accepts from clients and may answer with.
///
/// A server reads a compressed request when its `grpc-encoding` is accepted (an unaccepted one
/// is UNIMPLEMENTED, naming the encodings the server accepts), and compresses its responses with
/// the first sent encoding that the client lists in `grpc-accept-encoding`; a client that lists
/// none gets them uncompressed. The message size limit applies to the decompressed message, so a
/// small frame that inflates past it is RESOURCE_EXHAUSTED.
///
/// The default accepts and sends gzip and zstd. [`Compression::accept_only`] keeps accepting
/// both and never compresses a response (compression costs CPU that small messages on a fast
/// network do not repay); [`Compression::none`] turns both off.
///
/// ```
/// use protoforge::runtime::Compression;
/// use protoforge::runtime::tonic::codec::CompressionEncoding;
///
/// let gzip_only = Compression::none()
///     .accept(CompressionEncoding::Gzip)
///     .send(CompressionEncoding::Gzip);
/// assert_eq!(gzip_only.accepted(), [CompressionEncoding::Gzip]);
/// assert!(Compression::accept_only().sent().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compression {
    accept: Vec<CompressionEncoding>,
    send: Vec<CompressionEncoding>,
}

/// What the runtime supports, in order of preference.
const ALL: [CompressionEncoding; 2] = [CompressionEncoding::Gzip, CompressionEncoding::Zstd];

impl Default for Compression {
    fn default() -> Self {
        Compression {
            accept: ALL.to_vec(),
            send: ALL.to_vec(),
        }
    }
}

impl Compression {
    /// Neither accepts nor sends compressed messages.
    pub fn none() -> Self {
        Compression {
            accept: Vec::new(),
            send: Vec::new(),
        }
    }

    /// Accepts gzip and zstd, answers uncompressed.
    pub fn accept_only() -> Self {
        Compression {
            accept: ALL.to_vec(),
            send: Vec::new(),
        }
    }

    /// Also accepts `encoding`.
    #[must_use]
    pub fn accept(mut self, encoding: CompressionEncoding) -> Self {
        if !self.accept.contains(&encoding) {
            self.accept.push(encoding);
        }
        self
    }

    /// Also answers with `encoding` when the client accepts it.
    #[must_use]
    pub fn send(mut self, encoding: CompressionEncoding) -> Self {
        if !self.send.contains(&encoding) {
            self.send.push(encoding);
        }
        self
    }

    /// The encodings accepted, in order.
    pub fn accepted(&self) -> &[CompressionEncoding] {
        &self.accept
    }

    /// The encodings responses may use, in order of preference.
    pub fn sent(&self) -> &[CompressionEncoding] {
        &self.send
    }
}
