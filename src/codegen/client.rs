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
        let call = match model.kind {
            // Repeatable: a clone of tonic's client per attempt (a handle on one channel).
            Kind::Unary | Kind::ServerStreaming => quote! {
                let inner = &self.inner;
                ::protoforge::runtime::retrying(&self.retry, &spec::#spec, request, |request| {
                    let mut inner = inner.clone();
                    async move { inner.#name(request).await }
                })
                .await
            },
            Kind::ClientStreaming | Kind::Bidirectional => quote! {
                ::protoforge::runtime::client_result(self.inner.#name(request).await)
            },
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
                #call
            }
        }
    });
    quote! {
        /// A client for the service. Every call gets a deadline: the one on the request, else
        /// the method's declared timeout, else the client's default (bidirectional streams get
        /// only the first two).
        ///
        /// Unary and server-streaming calls of methods that are safe to repeat
        /// (`idempotency_level`, or a `retry` policy) are retried when the server is
        /// UNAVAILABLE, within the deadline and a retry budget ([`Client::with_retry`]).
        #[derive(Debug, Clone)]
        pub struct Client<T = ::tonic::transport::Channel> {
            inner: #inner,
            default_timeout: ::core::option::Option<::core::time::Duration>,
            retry: ::protoforge::runtime::Retry,
        }

        impl Client<::tonic::transport::Channel> {
            /// Connects to `dst` (such as `"http://127.0.0.1:50051"`).
            pub async fn connect<D>(dst: D) -> ::core::result::Result<Self, ::tonic::transport::Error>
            where
                D: ::core::convert::TryInto<::tonic::transport::Endpoint>,
                D::Error: ::core::convert::Into<::tonic::codegen::StdError>,
            {
                let endpoint = ::protoforge::runtime::client_endpoint(
                    ::tonic::transport::Endpoint::new(dst)?,
                );
                ::core::result::Result::Ok(Self::new(super::#client_mod::#client_struct::new(
                    endpoint.connect().await?,
                )))
            }

            /// A client that spreads its calls over `endpoints` (tonic's balancing channel,
            /// which picks the less loaded of two at random and stops using an endpoint while
            /// it is down). It connects lazily: an endpoint that is down fails calls with
            /// UNAVAILABLE, which retries take to another.
            pub fn balance<I>(endpoints: I) -> Self
            where
                I: ::core::iter::IntoIterator<Item = ::tonic::transport::Endpoint>,
            {
                let channel = ::tonic::transport::Channel::balance_list(
                    endpoints.into_iter().map(::protoforge::runtime::client_endpoint),
                );
                Self::new(super::#client_mod::#client_struct::new(channel))
            }
        }

        impl<T> Client<T>
        where
            T: ::tonic::client::GrpcService<::tonic::body::Body> + ::core::clone::Clone,
            T::Error: ::core::convert::Into<::tonic::codegen::StdError>,
            T::ResponseBody: ::tonic::codegen::Body<Data = ::tonic::codegen::Bytes> + ::core::marker::Send + 'static,
            <T::ResponseBody as ::tonic::codegen::Body>::Error:
                ::core::convert::Into<::tonic::codegen::StdError> + ::core::marker::Send,
        {
            /// Wraps tonic's client.
            pub fn new(inner: #inner) -> Self {
                Client {
                    inner,
                    default_timeout: #default_timeout,
                    retry: ::protoforge::runtime::Retry::default(),
                }
            }

            /// How calls that are safe to repeat are retried (default
            /// [`RetryPolicy::default`](::protoforge::runtime::RetryPolicy::default);
            /// `RetryPolicy::none()` turns retries off).
            #[must_use]
            pub fn with_retry(mut self, policy: ::protoforge::runtime::RetryPolicy) -> Self {
                self.retry = ::protoforge::runtime::Retry::new(policy);
                self
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
