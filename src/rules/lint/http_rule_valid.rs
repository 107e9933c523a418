use prost_reflect::{Cardinality, Kind, MessageDescriptor, MethodDescriptor};

use crate::http::Template;
use crate::http::rule::{Binding, HTTP_OPTION_NUMBER, bindings};
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate;

declare_rule! {
    /// `google.api.http` rules have valid templates, fields and bodies.
    ///
    /// ## What it does
    /// Checks every `google.api.http` rule the HTTP/JSON gateway is generated from: the path
    /// template parses (`/v1/{name=shelves/*/books/*}:archive`), each variable names a singular
    /// scalar field of the request (`{book.name}` through singular messages), `body` is empty, `*`
    /// or a request field (and GET has none), `response_body` is a response field, a pattern is
    /// set, and additional bindings do not nest.
    ///
    /// ## Why
    /// The gateway would otherwise fail when the server starts, or route requests to the wrong
    /// place. A bad template is cheapest to fix where it is written.
    ///
    /// ## Example
    /// ```proto
    /// rpc GetBook(GetBookRequest) returns (Book) {
    ///   option (google.api.http) = { get: "/v1/{nme=shelves/*/books/*}" body: "*" };
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name an existing field, write the template by the grammar in `google/api/http.proto`, and
    /// drop `body` from GET rules.
    pub struct HttpRuleValid;
}

/// Resolves `path` in `message`: every step but the last a singular message field, the last a
/// singular scalar or enum.
pub(crate) fn check_field_path(message: &MessageDescriptor, path: &[String]) -> Result<(), String> {
    let mut current = message.clone();
    for (i, name) in path.iter().enumerate() {
        let Some(field) = current.get_field_by_name(name) else {
            return Err(format!("`{}` has no field `{name}`", current.full_name()));
        };
        let last = i + 1 == path.len();
        if field.cardinality() == Cardinality::Repeated {
            return Err(format!("field `{}` is repeated", field.full_name()));
        }
        match field.kind() {
            Kind::Message(inner) if !last => current = inner,
            Kind::Message(_) => {
                return Err(format!(
                    "field `{}` is a message; bind one of its scalar fields (`{}.<field>`)",
                    field.full_name(),
                    path.join(".")
                ));
            }
            _ if !last => {
                return Err(format!(
                    "field `{}` is not a message, so `{}` goes nowhere",
                    field.full_name(),
                    path.join(".")
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

fn problems(method: &MethodDescriptor, binding: &Binding) -> Vec<String> {
    let mut out = Vec::new();
    if binding.nested_bindings {
        out.push("an additional binding has additional bindings of its own".to_owned());
    }
    if binding.method.is_empty() || binding.pattern.is_empty() {
        out.push("the rule sets no HTTP method and path (`get: \"/v1/...\"`, ...)".to_owned());
        return out;
    }
    match Template::parse(&binding.pattern) {
        Err(error) => out.push(format!("path template `{}`: {error}", binding.pattern)),
        Ok(template) => {
            for variable in &template.variables {
                if let Err(problem) = check_field_path(&method.input(), &variable.field_path) {
                    out.push(format!("path template `{}`: {problem}", binding.pattern));
                }
            }
        }
    }
    match binding.body.as_str() {
        "" => {}
        _ if binding.method == "GET" => out.push("a GET rule cannot have a `body`".to_owned()),
        "*" => {}
        field => {
            if method.input().get_field_by_name(field).is_none() {
                out.push(format!(
                    "`body: \"{field}\"`: `{}` has no field `{field}`",
                    method.input().full_name()
                ));
            }
        }
    }
    if !binding.response_body.is_empty()
        && method
            .output()
            .get_field_by_name(&binding.response_body)
            .is_none()
    {
        out.push(format!(
            "`response_body: \"{}\"`: `{}` has no such field",
            binding.response_body,
            method.output().full_name()
        ));
    }
    out
}

impl LintRule for HttpRuleValid {
    fn check_method(&self, cx: &mut Cx, method: &MethodDescriptor) {
        let mut path = method.path().to_vec();
        path.extend([locate::path::METHOD_OPTIONS, HTTP_OPTION_NUMBER]);
        for binding in bindings(method) {
            for problem in problems(method, &binding) {
                let which = match binding.additional {
                    None => String::new(),
                    Some(i) => format!(" (additional binding {})", i + 1),
                };
                cx.report(
                    &path,
                    format!("`google.api.http` of `{}`{which}: {problem}", method.full_name()),
                    "see the grammar in google/api/http.proto; the gateway is generated from this rule"
                        .to_owned(),
                );
            }
        }
    }
}
