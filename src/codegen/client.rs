//! Emits a client whose calls carry the method's declared timeout as their default deadline.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident::{ident, message_type, spec_const, tonic_snake};
use super::model::{Kind, Service};

pub fn emit(
    prost: &prost_build::Service,
    service: &Service,
    default_timeout: Option<std::time::Duration>,
) -> TokenStream {
    let client_mod = format_ident!("{}_client", tonic_snake(&prost.name));
    let client_struct = format_ident!("{}Client", prost.name);
    let inner = quote!(super::#client_mod::#client_struct<T>);
    let default_timeout = match default_timeout {
        Some(t) => {
            let (secs, nanos) = (t.as_secs(), t.subsec_nanos());
            quote!(::core::option::Option::Some(::core::time::Duration::new(#secs, #nanos)))
        }
        None => quote!(::core::option::Option::None),
    };
    let methods = prost.methods.iter().zip(&service.methods).map(|(m, model)| {
        let name = ident(&m.name);
        let input = message_type(&m.input_type);
        let output = message_type(&m.output_type);
        let spec = spec_const(&model.name);
        let doc = format!(
            " Calls `{}`; unless the request has a deadline, the method's timeout (or the client's default) becomes one.",
            model.name
        );
        let (param, into) = match model.kind {
            Kind::Unary | Kind::ServerStreaming => (
                quote!(request: impl ::tonic::IntoRequest<#input>),
                quote!(request.into_request()),
            ),
            Kind::ClientStreaming | Kind::Bidirectional => (
                quote!(request: impl ::tonic::IntoStreamingRequest<Message = #input>),
                quote!(request.into_streaming_request()),
            ),
        };
        let ok = match model.kind {
            Kind::Unary | Kind::ClientStreaming => quote!(#output),
            Kind::ServerStreaming | Kind::Bidirectional => quote!(::tonic::codec::Streaming<#output>),
        };
        quote! {
            #[doc = #doc]
            pub async fn #name(
                &mut self,
                #param,
            ) -> ::core::result::Result<::tonic::Response<#ok>, ::tonic::Status> {
                let request = ::protoforge::runtime::with_default_timeout(
                    #into,
                    spec::#spec.client_timeout(self.default_timeout),
                );
                ::protoforge::runtime::client_result(self.inner.#name(request).await)
            }
        }
    });
    quote! {
        /// A client for the service. Every call gets a deadline: the one on the request, else
        /// the method's declared timeout, else the client's default (bidirectional streams get
        /// only the first two).
        #[derive(Debug, Clone)]
        pub struct Client<T = ::tonic::transport::Channel> {
            inner: #inner,
            default_timeout: ::core::option::Option<::core::time::Duration>,
        }

        impl Client<::tonic::transport::Channel> {
            /// Connects to `dst` (such as `"http://127.0.0.1:50051"`).
            pub async fn connect<D>(dst: D) -> ::core::result::Result<Self, ::tonic::transport::Error>
            where
                D: ::core::convert::TryInto<::tonic::transport::Endpoint>,
                D::Error: ::core::convert::Into<::tonic::codegen::StdError>,
            {
                ::core::result::Result::Ok(Self::new(super::#client_mod::#client_struct::connect(dst).await?))
            }
        }

        impl<T> Client<T>
        where
            T: ::tonic::client::GrpcService<::tonic::body::Body>,
            T::Error: ::core::convert::Into<::tonic::codegen::StdError>,
            T::ResponseBody: ::tonic::codegen::Body<Data = ::tonic::codegen::Bytes> + ::core::marker::Send + 'static,
            <T::ResponseBody as ::tonic::codegen::Body>::Error:
                ::core::convert::Into<::tonic::codegen::StdError> + ::core::marker::Send,
        {
            /// Wraps tonic's client.
            pub fn new(inner: #inner) -> Self {
                Client { inner, default_timeout: #default_timeout }
            }

            /// The deadline for methods that declare no timeout (`None`: no deadline).
            #[must_use]
            pub fn with_default_timeout(
                mut self,
                timeout: ::core::option::Option<::core::time::Duration>,
            ) -> Self {
                self.default_timeout = timeout;
                self
            }

            /// tonic's client, for its settings (compression, message sizes).
            pub fn inner_mut(&mut self) -> &mut #inner {
                &mut self.inner
            }

            #(#methods)*
        }
    }
}
