//! The server reflection client: `grpc.reflection.v1`, falling back to `v1alpha` when the
//! server has only that one (both versions' messages are the same bytes, so one set of types
//! serves both), and the descriptor pool built from what it answers.

use std::collections::BTreeMap;

use prost::Message as _;
use prost_reflect::DescriptorPool;
use prost_types::{FileDescriptorProto, FileDescriptorSet};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::metadata::MetadataMap;
use tonic::transport::Channel;
use tonic::{Code, Request, Status, Streaming};
use tonic_prost::ProstCodec;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
use tonic_reflection::pb::v1::{ServerReflectionRequest, ServerReflectionResponse};

const V1: &str = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
const V1ALPHA: &str = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

/// One reflection stream, opened on first use, and the files it has sent so far.
pub(crate) struct Reflection {
    channel: Channel,
    metadata: MetadataMap,
    stream: Option<(
        mpsc::Sender<ServerReflectionRequest>,
        Streaming<ServerReflectionResponse>,
    )>,
    /// `None` until the first answer says which version the server speaks.
    alpha: Option<bool>,
    files: BTreeMap<String, FileDescriptorProto>,
}

impl Reflection {
    /// `metadata` goes with the stream (servers may protect reflection too).
    pub(crate) fn new(channel: Channel, metadata: MetadataMap) -> Reflection {
        Reflection {
            channel,
            metadata,
            stream: None,
            alpha: None,
            files: BTreeMap::new(),
        }
    }

    /// Which version answered: `grpc.reflection.v1` or `v1alpha`.
    pub(crate) fn version(&self) -> &'static str {
        if self.alpha == Some(true) {
            "grpc.reflection.v1alpha"
        } else {
            "grpc.reflection.v1"
        }
    }

    async fn open(
        &mut self,
        alpha: bool,
        first: ServerReflectionRequest,
    ) -> Result<ServerReflectionResponse, Status> {
        let (sender, receiver) = mpsc::channel(4);
        // Sent before the call starts: some servers answer headers only with the first message.
        let _ = sender.send(first).await;
        let mut grpc = tonic::client::Grpc::new(self.channel.clone());
        grpc.ready()
            .await
            .map_err(|e| Status::unavailable(e.to_string()))?;
        let mut request = Request::new(ReceiverStream::new(receiver));
        *request.metadata_mut() = self.metadata.clone();
        let path = PathAndQuery::from_static(if alpha { V1ALPHA } else { V1 });
        let codec = ProstCodec::<ServerReflectionRequest, ServerReflectionResponse>::default();
        let mut stream = grpc.streaming(request, path, codec).await?.into_inner();
        let answer = next(&mut stream).await?;
        self.stream = Some((sender, stream));
        Ok(answer)
    }

    async fn ask(&mut self, request: MessageRequest) -> Result<MessageResponse, Status> {
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(request),
        };
        let answer = match (&mut self.stream, self.alpha) {
            (Some((sender, stream)), _) => {
                sender
                    .send(request)
                    .await
                    .map_err(|_| Status::unavailable("the reflection stream closed"))?;
                next(stream).await?
            }
            (None, Some(alpha)) => self.open(alpha, request).await?,
            (None, None) => match self.open(false, request.clone()).await {
                Ok(answer) => {
                    self.alpha = Some(false);
                    answer
                }
                Err(status) if status.code() == Code::Unimplemented => {
                    let answer = self.open(true, request).await.map_err(|e| {
                        if e.code() == Code::Unimplemented {
                            Status::unimplemented(
                                "the server has no reflection service (v1 or v1alpha); \
                                 give its schema with --schema",
                            )
                        } else {
                            e
                        }
                    })?;
                    self.alpha = Some(true);
                    answer
                }
                Err(status) => return Err(status),
            },
        };
        match answer.message_response {
            Some(MessageResponse::ErrorResponse(error)) => Err(Status::new(
                Code::from(error.error_code),
                error.error_message,
            )),
            Some(answer) => Ok(answer),
            None => Err(Status::internal("an empty reflection answer")),
        }
    }

    /// The names of the services the server lists, sorted.
    pub(crate) async fn services(&mut self) -> Result<Vec<String>, Status> {
        match self
            .ask(MessageRequest::ListServices(String::new()))
            .await?
        {
            MessageResponse::ListServicesResponse(list) => {
                let mut names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
                names.sort();
                Ok(names)
            }
            _ => Err(Status::internal(
                "the answer to list_services is not a list",
            )),
        }
    }

    /// Loads the file defining `symbol` and everything it imports.
    pub(crate) async fn load_symbol(&mut self, symbol: &str) -> Result<(), Status> {
        let answer = self
            .ask(MessageRequest::FileContainingSymbol(symbol.to_owned()))
            .await?;
        self.keep(answer)?;
        // Imports the answers did not include, asked for by name until none is missing.
        loop {
            let missing: Vec<String> = self
                .files
                .values()
                .flat_map(|f| f.dependency.iter())
                .filter(|d| !self.files.contains_key(*d))
                .cloned()
                .collect();
            if missing.is_empty() {
                return Ok(());
            }
            for name in missing {
                if self.files.contains_key(&name) {
                    continue;
                }
                let answer = self.ask(MessageRequest::FileByFilename(name)).await?;
                self.keep(answer)?;
            }
        }
    }

    fn keep(&mut self, answer: MessageResponse) -> Result<(), Status> {
        let MessageResponse::FileDescriptorResponse(files) = answer else {
            return Err(Status::internal("the answer carries no file descriptors"));
        };
        for bytes in files.file_descriptor_proto {
            let file = FileDescriptorProto::decode(bytes.as_slice()).map_err(|e| {
                Status::internal(format!("a file descriptor that does not decode: {e}"))
            })?;
            self.files.entry(file.name().to_owned()).or_insert(file);
        }
        Ok(())
    }

    /// The files loaded so far, linked, with google.rpc's error details beside them.
    pub(crate) fn pool(&self) -> Result<DescriptorPool, String> {
        let set = FileDescriptorSet {
            file: self.files.values().cloned().collect(),
        };
        super::link([set.encode_to_vec().as_slice()]).map_err(|(_, e)| e)
    }
}

async fn next(
    stream: &mut Streaming<ServerReflectionResponse>,
) -> Result<ServerReflectionResponse, Status> {
    stream
        .message()
        .await?
        .ok_or_else(|| Status::unavailable("the server closed the reflection stream"))
}
