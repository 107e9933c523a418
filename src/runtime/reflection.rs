//! gRPC server reflection, v1 and v1alpha, answered from the registered descriptor sets.
//!
//! tonic-reflection ends the whole stream at the first unknown symbol, has no v1alpha service
//! beside v1 on one index, and knows no extensions. Clients (grpcurl, buf curl, Postman, Python's
//! `grpc_reflection`) keep one stream open and expect a per-request `error_response`, so this
//! service answers every request in-stream, as grpc-go does:
//!
//! - a file is sent with the files it imports, transitively, minus those already sent on the
//!   stream (the requested file itself always comes back);
//! - symbols are every package-qualified element: messages, fields, oneofs, enums, enum values,
//!   services, methods and extensions;
//! - `file_containing_extension` and `all_extension_numbers_of_type` read the extensions declared
//!   in the registered files;
//! - `list_services` names what the server serves and can describe: the API, health and both
//!   reflection versions.
//!
//! The files are served as their registered bytes, so custom options and editions survive.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::pin::Pin;
use std::sync::Arc;

use prost::Message;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};
use tonic::{Code, Request, Response, Status, Streaming};
use tonic_reflection::pb::{v1, v1alpha};
use v1::server_reflection_request::MessageRequest;
use v1::server_reflection_response::MessageResponse;

/// A `FileDescriptorSet` read as raw file bytes, so nothing in a file is lost on the way out.
#[derive(Clone, PartialEq, Message)]
struct RawSet {
    #[prost(bytes = "vec", repeated, tag = "1")]
    file: Vec<Vec<u8>>,
}

/// What reflection knows: every registered file, and where each symbol and extension lives.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// File name to its bytes and the names of the files it imports.
    files: HashMap<String, (Arc<[u8]>, Vec<String>)>,
    /// Fully qualified symbol (no leading dot) to the file declaring it.
    symbols: HashMap<String, String>,
    /// Extended message (no leading dot) to its extension numbers and their files.
    extensions: HashMap<String, BTreeMap<i32, String>>,
    /// The services `list_services` names, sorted.
    services: Vec<String>,
}

/// The descriptor sets of the services the runtime adds itself.
pub(crate) const BUILT_IN_SETS: [&[u8]; 3] = [
    tonic_health::pb::FILE_DESCRIPTOR_SET,
    v1::FILE_DESCRIPTOR_SET,
    v1alpha::FILE_DESCRIPTOR_SET,
];

/// The services the runtime adds itself.
pub(crate) const BUILT_IN_SERVICES: [&str; 3] = [
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

impl Index {
    /// Indexes the built-in sets and `sets`; `served` names the services the server serves. A
    /// file registered twice keeps its first bytes. Returns the index and the served services it
    /// cannot describe.
    pub(crate) fn new(sets: &[&[u8]], served: &[&str]) -> Result<(Index, Vec<String>), String> {
        let mut index = Index::default();
        let mut declared = HashSet::new();
        for set in BUILT_IN_SETS.iter().chain(sets) {
            let raw = RawSet::decode(*set)
                .map_err(|e| format!("a registered descriptor set does not decode: {e}"))?;
            for bytes in raw.file {
                let file = FileDescriptorProto::decode(&bytes[..])
                    .map_err(|e| format!("a file of a descriptor set does not decode: {e}"))?;
                let name = file.name().to_owned();
                if index.files.contains_key(&name) {
                    continue;
                }
                index.add_symbols(&file, &mut declared);
                index
                    .files
                    .insert(name, (Arc::from(bytes), file.dependency.clone()));
            }
        }
        let mut missing = Vec::new();
        let mut services: Vec<String> = BUILT_IN_SERVICES.iter().map(|s| (*s).to_owned()).collect();
        for name in served {
            if declared.contains(*name) {
                services.push((*name).to_owned());
            } else if !BUILT_IN_SERVICES.contains(name) {
                missing.push((*name).to_owned());
            }
        }
        services.sort();
        services.dedup();
        index.services = services;
        Ok((index, missing))
    }

    fn add_symbols(&mut self, file: &FileDescriptorProto, services: &mut HashSet<String>) {
        let name = file.name();
        let scope = file.package();
        for message in &file.message_type {
            self.add_message(name, scope, message);
        }
        for enumeration in &file.enum_type {
            self.add_enum(name, scope, enumeration);
        }
        for extension in &file.extension {
            self.add_extension(name, scope, extension);
        }
        for service in &file.service {
            let service_name = qualify(scope, service.name());
            for method in &service.method {
                self.symbol(qualify(&service_name, method.name()), name);
            }
            services.insert(service_name.clone());
            self.symbol(service_name, name);
        }
    }

    fn add_message(&mut self, file: &str, scope: &str, message: &DescriptorProto) {
        let name = qualify(scope, message.name());
        for field in &message.field {
            self.symbol(qualify(&name, field.name()), file);
        }
        for oneof in &message.oneof_decl {
            self.symbol(qualify(&name, oneof.name()), file);
        }
        for nested in &message.nested_type {
            self.add_message(file, &name, nested);
        }
        for enumeration in &message.enum_type {
            self.add_enum(file, &name, enumeration);
        }
        for extension in &message.extension {
            self.add_extension(file, &name, extension);
        }
        self.symbol(name, file);
    }

    fn add_enum(&mut self, file: &str, scope: &str, enumeration: &EnumDescriptorProto) {
        // Enum values are scoped beside their enum, not inside it.
        for value in &enumeration.value {
            self.symbol(qualify(scope, value.name()), file);
        }
        self.symbol(qualify(scope, enumeration.name()), file);
    }

    fn add_extension(&mut self, file: &str, scope: &str, extension: &FieldDescriptorProto) {
        self.symbol(qualify(scope, extension.name()), file);
        // protoc writes extendees fully qualified (`.pkg.Message`); a relative one (a hand-written
        // set) resolves from the scope outwards, as protoc would have.
        let extendee = match extension.extendee().strip_prefix('.') {
            Some(qualified) => qualified.to_owned(),
            None => resolve(&self.symbols, scope, extension.extendee())
                .unwrap_or_else(|| extension.extendee().to_owned()),
        };
        self.extensions
            .entry(extendee)
            .or_default()
            .entry(extension.number())
            .or_insert_with(|| file.to_owned());
    }

    fn symbol(&mut self, symbol: String, file: &str) {
        self.symbols
            .entry(symbol)
            .or_insert_with(|| file.to_owned());
    }

    /// The file named `name`, then the files it imports (transitively) not in `sent`, each once.
    fn file_with_imports(&self, name: &str, sent: &mut HashSet<String>) -> Option<Vec<Vec<u8>>> {
        let (bytes, _) = self.files.get(name)?;
        let mut out = vec![bytes.to_vec()];
        sent.insert(name.to_owned());
        let mut queue = vec![name.to_owned()];
        while let Some(file) = queue.pop() {
            let Some((_, imports)) = self.files.get(&file) else {
                continue;
            };
            for import in imports {
                if sent.contains(import) {
                    continue;
                }
                if let Some((bytes, _)) = self.files.get(import) {
                    sent.insert(import.clone());
                    out.push(bytes.to_vec());
                    queue.push(import.clone());
                }
            }
        }
        Some(out)
    }

    /// The answer to one request; `sent` is the stream's record of files already sent.
    fn answer(&self, request: &MessageRequest, sent: &mut HashSet<String>) -> MessageResponse {
        let files = |names: Option<Vec<Vec<u8>>>, what: String| match names {
            Some(file_descriptor_proto) => {
                MessageResponse::FileDescriptorResponse(v1::FileDescriptorResponse {
                    file_descriptor_proto,
                })
            }
            None => error(Code::NotFound, what),
        };
        match request {
            MessageRequest::FileByFilename(name) => files(
                self.file_with_imports(name, sent),
                format!("file not found: {name}"),
            ),
            MessageRequest::FileContainingSymbol(symbol) => {
                let symbol = symbol.trim_start_matches('.');
                let file = self.symbols.get(symbol);
                files(
                    file.and_then(|file| self.file_with_imports(file, sent)),
                    format!("symbol not found: {symbol}"),
                )
            }
            MessageRequest::FileContainingExtension(request) => {
                let extendee = request.containing_type.trim_start_matches('.');
                let file = self
                    .extensions
                    .get(extendee)
                    .and_then(|numbers| numbers.get(&request.extension_number));
                files(
                    file.and_then(|file| self.file_with_imports(file, sent)),
                    format!(
                        "extension not found: {extendee} has no extension {}",
                        request.extension_number
                    ),
                )
            }
            MessageRequest::AllExtensionNumbersOfType(message) => {
                let message = message.trim_start_matches('.');
                if !self.symbols.contains_key(message) {
                    return error(Code::NotFound, format!("type not found: {message}"));
                }
                let extension_number = self
                    .extensions
                    .get(message)
                    .map(|numbers| numbers.keys().copied().collect())
                    .unwrap_or_default();
                MessageResponse::AllExtensionNumbersResponse(v1::ExtensionNumberResponse {
                    base_type_name: message.to_owned(),
                    extension_number,
                })
            }
            MessageRequest::ListServices(_) => {
                MessageResponse::ListServicesResponse(v1::ListServiceResponse {
                    service: self
                        .services
                        .iter()
                        .map(|name| v1::ServiceResponse { name: name.clone() })
                        .collect(),
                })
            }
        }
    }

    /// The response to `request`, errors included.
    fn respond(
        &self,
        request: v1::ServerReflectionRequest,
        sent: &mut HashSet<String>,
    ) -> v1::ServerReflectionResponse {
        let message_response = match &request.message_request {
            Some(message) => self.answer(message, sent),
            None => error(
                Code::InvalidArgument,
                "the request names no question".into(),
            ),
        };
        v1::ServerReflectionResponse {
            valid_host: request.host.clone(),
            original_request: Some(request),
            message_response: Some(message_response),
        }
    }
}

fn error(code: Code, error_message: String) -> MessageResponse {
    MessageResponse::ErrorResponse(v1::ErrorResponse {
        error_code: code as i32,
        error_message,
    })
}

fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

/// `name` looked up from `scope` outwards.
fn resolve(symbols: &HashMap<String, String>, scope: &str, name: &str) -> Option<String> {
    let mut scope = scope;
    loop {
        let candidate = qualify(scope, name);
        if symbols.contains_key(&candidate) {
            return Some(candidate);
        }
        if scope.is_empty() {
            return None;
        }
        scope = scope.rsplit_once('.').map_or("", |(outer, _)| outer);
    }
}

type ResponseStream<T> = Pin<Box<dyn futures_core::Stream<Item = Result<T, Status>> + Send>>;

/// Answers a stream of requests in order, keeping the stream open across errors.
fn answer_stream<Q, A>(index: Arc<Index>, requests: Streaming<Q>) -> ResponseStream<A>
where
    Q: Message + Default + Send + 'static,
    A: Message + Default + Send + 'static,
{
    let mut sent = HashSet::new();
    Box::pin(tokio_stream::StreamExt::map(requests, move |request| {
        let request = convert::<Q, v1::ServerReflectionRequest>(&request?)?;
        convert(&index.respond(request, &mut sent))
    }))
}

/// v1alpha and v1 are the same messages under two package names: one converts to the other
/// through the wire format.
fn convert<From: Message, To: Message + Default>(message: &From) -> Result<To, Status> {
    To::decode(&message.encode_to_vec()[..])
        .map_err(|e| Status::internal(format!("reflection message does not convert: {e}")))
}

/// The reflection service, one per version, sharing an index.
#[derive(Clone)]
pub(crate) struct Reflection(pub(crate) Arc<Index>);

#[tonic::async_trait]
impl v1::server_reflection_server::ServerReflection for Reflection {
    type ServerReflectionInfoStream = ResponseStream<v1::ServerReflectionResponse>;

    async fn server_reflection_info(
        &self,
        request: Request<Streaming<v1::ServerReflectionRequest>>,
    ) -> Result<Response<Self::ServerReflectionInfoStream>, Status> {
        Ok(Response::new(answer_stream(
            Arc::clone(&self.0),
            request.into_inner(),
        )))
    }
}

#[tonic::async_trait]
impl v1alpha::server_reflection_server::ServerReflection for Reflection {
    type ServerReflectionInfoStream = ResponseStream<v1alpha::ServerReflectionResponse>;

    async fn server_reflection_info(
        &self,
        request: Request<Streaming<v1alpha::ServerReflectionRequest>>,
    ) -> Result<Response<Self::ServerReflectionInfoStream>, Status> {
        Ok(Response::new(answer_stream(
            Arc::clone(&self.0),
            request.into_inner(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let file = FileDescriptorProto {
            name: Some("a/b.proto".into()),
            package: Some("a.b".into()),
            dependency: vec!["google/protobuf/empty.proto".into()],
            message_type: vec![DescriptorProto {
                name: Some("Outer".into()),
                field: vec![FieldDescriptorProto {
                    name: Some("id".into()),
                    number: Some(1),
                    ..Default::default()
                }],
                nested_type: vec![DescriptorProto {
                    name: Some("Inner".into()),
                    ..Default::default()
                }],
                enum_type: vec![EnumDescriptorProto {
                    name: Some("Kind".into()),
                    value: vec![prost_types::EnumValueDescriptorProto {
                        name: Some("KIND_UNSPECIFIED".into()),
                        number: Some(0),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                extension_range: vec![prost_types::descriptor_proto::ExtensionRange {
                    start: Some(100),
                    end: Some(200),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            extension: vec![FieldDescriptorProto {
                name: Some("tag".into()),
                number: Some(150),
                extendee: Some("Outer".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let empty = FileDescriptorProto {
            name: Some("google/protobuf/empty.proto".into()),
            package: Some("google.protobuf".into()),
            message_type: vec![DescriptorProto {
                name: Some("Empty".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let set = prost_types::FileDescriptorSet {
            file: vec![file, empty],
        }
        .encode_to_vec();
        let (index, missing) = Index::new(&[&set], &["a.b.Missing"]).unwrap();
        assert_eq!(missing, ["a.b.Missing"]);
        index
    }

    fn names(response: MessageResponse) -> Vec<String> {
        let MessageResponse::FileDescriptorResponse(files) = response else {
            panic!("expected files, got {response:?}");
        };
        files
            .file_descriptor_proto
            .iter()
            .map(|bytes| {
                FileDescriptorProto::decode(&bytes[..])
                    .unwrap()
                    .name()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn symbols_of_every_kind_find_their_file_and_imports_are_sent_once() {
        let index = index();
        let mut sent = HashSet::new();
        for symbol in [
            "a.b.Outer",
            ".a.b.Outer.id",
            "a.b.Outer.Inner",
            "a.b.Outer.Kind",
            "a.b.Outer.KIND_UNSPECIFIED",
            "a.b.tag",
        ] {
            let response = index.answer(
                &MessageRequest::FileContainingSymbol(symbol.into()),
                &mut sent,
            );
            let names = names(response);
            assert_eq!(names[0], "a/b.proto", "{symbol}");
            // The import went out with the first answer only.
            assert_eq!(
                names.len(),
                usize::from(symbol == "a.b.Outer") + 1,
                "{symbol}"
            );
        }
    }

    #[test]
    fn unknown_names_are_errors_not_the_end() {
        let index = index();
        let mut sent = HashSet::new();
        for request in [
            MessageRequest::FileContainingSymbol("a.b.Nope".into()),
            MessageRequest::FileByFilename("nope.proto".into()),
            MessageRequest::AllExtensionNumbersOfType("a.b.Nope".into()),
            MessageRequest::FileContainingExtension(v1::ExtensionRequest {
                containing_type: "a.b.Outer".into(),
                extension_number: 151,
            }),
        ] {
            let MessageResponse::ErrorResponse(error) = index.answer(&request, &mut sent) else {
                panic!("{request:?} should be an error");
            };
            assert_eq!(error.error_code, Code::NotFound as i32, "{request:?}");
        }
    }

    #[test]
    fn extensions_resolve_relative_extendees() {
        let index = index();
        let mut sent = HashSet::new();
        let numbers = index.answer(
            &MessageRequest::AllExtensionNumbersOfType(".a.b.Outer".into()),
            &mut sent,
        );
        assert_eq!(
            numbers,
            MessageResponse::AllExtensionNumbersResponse(v1::ExtensionNumberResponse {
                base_type_name: "a.b.Outer".into(),
                extension_number: vec![150],
            })
        );
        let file = index.answer(
            &MessageRequest::FileContainingExtension(v1::ExtensionRequest {
                containing_type: "a.b.Outer".into(),
                extension_number: 150,
            }),
            &mut sent,
        );
        // The first file of the stream comes with its import.
        assert_eq!(names(file), ["a/b.proto", "google/protobuf/empty.proto"]);
    }

    #[test]
    fn services_are_the_built_in_ones_and_those_served() {
        let index = index();
        let MessageResponse::ListServicesResponse(list) = index.answer(
            &MessageRequest::ListServices(String::new()),
            &mut HashSet::new(),
        ) else {
            panic!("expected a list");
        };
        let names: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, BUILT_IN_SERVICES);
    }
}
