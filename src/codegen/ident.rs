//! Rust names for generated items, matching the names tonic-build gives its own.

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// tonic-build's module naming: lower case, `_` before each upper-case letter
/// (`CatalogService` -> `catalog_service`).
pub fn tonic_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c.to_ascii_lowercase());
        if chars.peek().is_some_and(|n| n.is_uppercase()) {
            out.push('_');
        }
    }
    out
}

/// An identifier from a name prost already made safe (`get_product`, `r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The constant naming a method's spec (`GetProduct` -> `GET_PRODUCT`). `SELF` and `SUPER`
/// (from methods called `Self`, `Super`) are fine as constants; `_` prefixes keep digits out of
/// the first position.
pub fn spec_const(method: &str) -> Ident {
    let name = method.to_shouty_snake_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format_ident!("M_{}", name)
    } else {
        format_ident!("{}", name)
    }
}

/// The module protoforge's code for a service lives in (`catalog_service_forge`).
pub fn forge_module(service_rust_name: &str) -> Ident {
    format_ident!("{}_forge", tonic_snake(service_rust_name))
}

/// A message type as seen from inside a service module: prost's path (relative to the package
/// module) one level up; `()` and absolute paths unchanged.
pub fn message_type(rust_path: &str) -> TokenStream {
    let path =
        if rust_path == "()" || rust_path.starts_with("::") || rust_path.starts_with("crate::") {
            rust_path.to_owned()
        } else {
            format!("super::{rust_path}")
        };
    match syn::parse_str::<syn::Type>(&path) {
        Ok(ty) => quote!(#ty),
        // prost produced the path, so it parses; keep the build going with a clear compile error
        // if it ever does not.
        Err(_) => quote!(::core::compile_error!(#path)),
    }
}

/// `#[doc]` attributes from proto comment lines.
pub fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        let line = if l.starts_with(' ') || l.is_empty() {
            l.clone()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(tonic_snake("CatalogService"), "catalog_service");
        assert_eq!(spec_const("GetProduct").to_string(), "GET_PRODUCT");
        assert_eq!(spec_const("Type").to_string(), "TYPE");
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(message_type("Product").to_string(), "super :: Product");
        assert_eq!(message_type("()").to_string(), "()");
        assert_eq!(
            message_type("::prost_types::Timestamp").to_string(),
            ":: prost_types :: Timestamp"
        );
    }
}
