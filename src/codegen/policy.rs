//! Emits each method's policy (auth and deadline) as a `MethodSpec` constant.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident::spec_const;
use super::model::{Kind, Method, Service};

fn kind(kind: Kind) -> TokenStream {
    match kind {
        Kind::Unary => quote!(::protoforge::runtime::MethodKind::Unary),
        Kind::ServerStreaming => quote!(::protoforge::runtime::MethodKind::ServerStreaming),
        Kind::ClientStreaming => quote!(::protoforge::runtime::MethodKind::ClientStreaming),
        Kind::Bidirectional => quote!(::protoforge::runtime::MethodKind::Bidirectional),
    }
}

fn spec(service: &Service, method: &Method) -> TokenStream {
    let name = spec_const(&method.name);
    let service_name = &service.full_name;
    let method_name = &method.name;
    let path = format!("/{}/{}", service.full_name, method.name);
    let kind = kind(method.kind);
    let public = method.policy.public;
    let retryable = method.policy.retry;
    let scopes = &method.policy.scopes;
    let timeout = match method.policy.timeout {
        Some(t) => {
            let (secs, nanos) = (t.as_secs(), t.subsec_nanos());
            quote!(::core::option::Option::Some(::core::time::Duration::new(#secs, #nanos)))
        }
        None => quote!(::core::option::Option::None),
    };
    let doc = format!(
        " `{path}`: {}{}.",
        if public {
            "public".to_owned()
        } else if scopes.is_empty() {
            "needs credentials".to_owned()
        } else {
            format!(
                "needs {}",
                scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        match method.policy.timeout {
            Some(t) => format!(", at most {t:?}"),
            None => String::new(),
        }
    ) + if retryable {
        " Safe to repeat: clients retry it."
    } else {
        ""
    };
    quote! {
        #[doc = #doc]
        pub const #name: ::protoforge::runtime::MethodSpec = ::protoforge::runtime::MethodSpec {
            service: #service_name,
            method: #method_name,
            path: #path,
            kind: #kind,
            public: #public,
            scopes: &[#(#scopes),*],
            timeout: #timeout,
            retryable: #retryable,
        };
    }
}

/// `HTTP_ROUTES`: every HTTP binding, for the gateway.
fn http_routes(service: &Service) -> TokenStream {
    let routes = service.methods.iter().flat_map(|m| {
        let spec = spec_const(&m.name);
        let (input, output) = (&m.input, &m.output);
        m.http.iter().map(move |b| {
            let (method, pattern, body, response_body) =
                (&b.method, &b.pattern, &b.body, &b.response_body);
            quote! {
                ::protoforge::runtime::HttpRoute {
                    http_method: #method,
                    pattern: #pattern,
                    body: #body,
                    response_body: #response_body,
                    method: &spec::#spec,
                    input: #input,
                    output: #output,
                }
            }
        })
    });
    quote! {
        /// The HTTP/JSON routes of the service's `google.api.http` rules, for
        /// `protoforge::runtime::Server::http_routes`.
        pub const HTTP_ROUTES: &[::protoforge::runtime::HttpRoute] = &[#(#routes),*];
    }
}

/// `pub mod spec { pub const GET_PRODUCT: MethodSpec = ...; }`, `METHODS` and `HTTP_ROUTES`.
pub fn emit(service: &Service) -> TokenStream {
    let specs = service.methods.iter().map(|m| spec(service, m));
    let names = service.methods.iter().map(|m| spec_const(&m.name));
    let routes = http_routes(service);
    quote! {
        #routes
        /// Each method's policy: who may call it and how long it may run.
        pub mod spec {
            #(#specs)*
        }
        /// Every method's policy, in declaration order.
        pub const METHODS: &[::protoforge::runtime::MethodSpec] = &[#(spec::#names),*];
    }
}
