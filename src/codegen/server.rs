//! Emits the handler trait and the adapter that implements tonic's service trait for it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident::{docs, ident, message_type, spec_const, tonic_snake};
use super::model::{Kind, Service};

/// The handler trait.
pub fn handler(prost: &prost_build::Service, service: &Service) -> TokenStream {
    let service_docs = docs(&prost.comments.leading);
    let methods = prost
        .methods
        .iter()
        .zip(&service.methods)
        .map(|(m, model)| {
            let name = ident(&m.name);
            let input = message_type(&m.input_type);
            let output = message_type(&m.output_type);
            let method_docs = docs(&m.comments.leading);
            let request = match model.kind {
                Kind::Unary | Kind::ServerStreaming => quote!(request: #input),
                Kind::ClientStreaming | Kind::Bidirectional => {
                    quote!(requests: ::protoforge::runtime::RequestStream<#input>)
                }
            };
            let ok = match model.kind {
                Kind::Unary | Kind::ClientStreaming => quote!(#output),
                Kind::ServerStreaming | Kind::Bidirectional => {
                    quote!(::protoforge::runtime::ResponseStream<#output, Self::Error>)
                }
            };
            quote! {
                #method_docs
                fn #name(
                    &self,
                    ctx: ::protoforge::runtime::CallContext,
                    #request,
                ) -> impl ::core::future::Future<Output = ::core::result::Result<#ok, Self::Error>>
                       + ::core::marker::Send;
            }
        });
    let full = &service.full_name;
    let trait_doc =
        format!(" The handler of `{full}`: implement it, then serve it with [`Adapter`].");
    quote! {
        #service_docs
        #[doc = ""]
        #[doc = #trait_doc]
        pub trait Handler: ::core::marker::Send + ::core::marker::Sync + 'static {
            /// The error every method returns; it says which gRPC status it is.
            type Error: ::protoforge::runtime::IntoServiceError;
            #(#methods)*
        }
    }
}

/// The adapter: tonic's service trait for any handler, with auth, deadlines and error mapping.
pub fn adapter(prost: &prost_build::Service, service: &Service) -> TokenStream {
    let server_mod = format_ident!("{}_server", tonic_snake(&prost.name));
    let server_struct = format_ident!("{}Server", prost.name);
    let tonic_trait = format_ident!("{}", prost.name);
    let methods = prost
        .methods
        .iter()
        .zip(&service.methods)
        .map(|(m, model)| {
            let name = ident(&m.name);
            let input = message_type(&m.input_type);
            let output = message_type(&m.output_type);
            let spec = spec_const(&model.name);
            let stream = format_ident!("{}Stream", m.proto_name);
            let begin = quote! {
                let (ctx, message, call) =
                    ::protoforge::runtime::Call::begin_intercepted(
                        &spec::#spec,
                        &*self.authenticator,
                        &self.interceptors,
                        request,
                    )
                    .await?;
            };
            match model.kind {
                Kind::Unary => quote! {
                    async fn #name(
                        &self,
                        request: ::tonic::Request<#input>,
                    ) -> ::core::result::Result<::tonic::Response<#output>, ::tonic::Status> {
                        #begin
                        call.unary(self.handler.#name(ctx, message)).await
                    }
                },
                Kind::ClientStreaming => quote! {
                    async fn #name(
                        &self,
                        request: ::tonic::Request<::tonic::Streaming<#input>>,
                    ) -> ::core::result::Result<::tonic::Response<#output>, ::tonic::Status> {
                        #begin
                        let requests = call.requests(message);
                        call.unary(self.handler.#name(ctx, requests)).await
                    }
                },
                Kind::ServerStreaming => quote! {
                    type #stream = ::protoforge::runtime::StatusStream<#output>;
                    async fn #name(
                        &self,
                        request: ::tonic::Request<#input>,
                    ) -> ::core::result::Result<::tonic::Response<Self::#stream>, ::tonic::Status> {
                        #begin
                        call.streaming(self.handler.#name(ctx, message)).await
                    }
                },
                Kind::Bidirectional => quote! {
                    type #stream = ::protoforge::runtime::StatusStream<#output>;
                    async fn #name(
                        &self,
                        request: ::tonic::Request<::tonic::Streaming<#input>>,
                    ) -> ::core::result::Result<::tonic::Response<Self::#stream>, ::tonic::Status> {
                        #begin
                        let requests = call.requests(message);
                        call.streaming(self.handler.#name(ctx, requests)).await
                    }
                },
            }
        });
    quote! {
        /// Serves a [`Handler`] through tonic: authenticates callers (protected methods answer
        /// UNAUTHENTICATED without credentials and PERMISSION_DENIED without the scopes), bounds
        /// each call by the shorter of the client's and the method's deadline (then answers
        /// DEADLINE_EXCEEDED), and maps errors to statuses (internal causes are logged, not sent).
        ///
        /// Without [`Adapter::with_authenticator`] every protected method is refused.
        pub struct Adapter<H> {
            handler: ::std::sync::Arc<H>,
            authenticator: ::std::sync::Arc<dyn ::protoforge::runtime::Authenticator>,
            compression: ::protoforge::runtime::Compression,
            interceptors: ::protoforge::runtime::Interceptors,
        }

        impl<H: Handler> Adapter<H> {
            pub fn new(handler: H) -> Self {
                Self::from_arc(::std::sync::Arc::new(handler))
            }

            pub fn from_arc(handler: ::std::sync::Arc<H>) -> Self {
                Adapter {
                    handler,
                    authenticator: ::std::sync::Arc::new(::protoforge::runtime::NoAuthenticator),
                    compression: ::protoforge::runtime::Compression::default(),
                    interceptors: ::protoforge::runtime::Interceptors::default(),
                }
            }

            /// Who may call protected methods.
            #[must_use]
            pub fn with_authenticator(
                mut self,
                authenticator: impl ::protoforge::runtime::Authenticator,
            ) -> Self {
                self.authenticator = ::std::sync::Arc::new(authenticator);
                self
            }

            /// Like [`Adapter::with_authenticator`], sharing one authenticator among services.
            #[must_use]
            pub fn with_shared_authenticator(
                mut self,
                authenticator: ::std::sync::Arc<dyn ::protoforge::runtime::Authenticator>,
            ) -> Self {
                self.authenticator = authenticator;
                self
            }

            /// Which compressions the server accepts and answers with (default: gzip and
            /// zstd both ways, negotiated by the client's `grpc-accept-encoding`).
            #[must_use]
            pub fn with_compression(mut self, compression: ::protoforge::runtime::Compression) -> Self {
                self.compression = compression;
                self
            }

            /// Runs `interceptor` on every call once the caller is authenticated, before the
            /// handler (after the interceptors added before it).
            #[must_use]
            pub fn with_interceptor(
                mut self,
                interceptor: impl ::protoforge::runtime::Interceptor,
            ) -> Self {
                self.interceptors.push(interceptor);
                self
            }

            /// The tonic service, ready for `protoforge::runtime::Server::add_service`.
            pub fn into_server(self) -> super::#server_mod::#server_struct<Self> {
                let compression = self.compression.clone();
                let mut server = super::#server_mod::#server_struct::new(self);
                for encoding in compression.accepted() {
                    server = server.accept_compressed(*encoding);
                }
                for encoding in compression.sent() {
                    server = server.send_compressed(*encoding);
                }
                server
            }
        }

        impl<H> ::core::clone::Clone for Adapter<H> {
            fn clone(&self) -> Self {
                Adapter {
                    handler: ::std::sync::Arc::clone(&self.handler),
                    authenticator: ::std::sync::Arc::clone(&self.authenticator),
                    compression: self.compression.clone(),
                    interceptors: self.interceptors.clone(),
                }
            }
        }

        #[::tonic::async_trait]
        impl<H: Handler> super::#server_mod::#tonic_trait for Adapter<H> {
            #(#methods)*
        }
    }
}
