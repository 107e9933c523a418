//! protoforge.toml's `[codegen]` section: settings for generated code and per-service and
//! per-method policy that wins over the proto's own options.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::source::method_options::{Declared, check_scope, parse_duration};

/// `[codegen]`: settings for generated code, and policy for files you cannot edit. What it says
/// wins over the proto's own options.
#[derive(Debug, Clone, Default)]
pub struct CodegenConfig {
    /// Keyed by service full name.
    pub services: BTreeMap<String, Declared>,
    /// Keyed by `package.Service.Method`.
    pub methods: BTreeMap<String, Declared>,
    /// The default deadline of generated clients for methods that declare no timeout.
    pub client_timeout: Option<Duration>,
    /// Methods without `google.api.http` get `POST /package.Service/Method` (body `*`).
    pub default_http_bindings: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct CodegenSection {
    services: BTreeMap<String, PolicySection>,
    methods: BTreeMap<String, PolicySection>,
    client_timeout: Option<Spanned<String>>,
    default_http_bindings: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PolicySection {
    public: Option<bool>,
    scopes: Option<Vec<Spanned<String>>>,
    timeout: Option<Spanned<String>>,
    retry: Option<bool>,
}

/// A problem in `[codegen]`, with the span of the value at fault.
pub(super) struct SectionError {
    pub message: String,
    pub span: std::ops::Range<usize>,
}

fn duration(value: &Spanned<String>) -> Result<Duration, SectionError> {
    parse_duration(value.get_ref()).map_err(|message| SectionError {
        message,
        span: value.span(),
    })
}

impl PolicySection {
    fn resolve(self) -> Result<Declared, SectionError> {
        let scopes = match self.scopes {
            None => None,
            Some(scopes) => {
                let mut out = Vec::new();
                for scope in scopes {
                    check_scope(scope.get_ref()).map_err(|message| SectionError {
                        message,
                        span: scope.span(),
                    })?;
                    out.push(scope.into_inner());
                }
                Some(out)
            }
        };
        Ok(Declared {
            public: self.public,
            scopes,
            timeout: self.timeout.as_ref().map(duration).transpose()?,
            retry: self.retry,
        })
    }
}

impl CodegenSection {
    pub(super) fn resolve(self) -> Result<CodegenConfig, SectionError> {
        let mut out = CodegenConfig {
            client_timeout: self.client_timeout.as_ref().map(duration).transpose()?,
            default_http_bindings: self.default_http_bindings,
            ..CodegenConfig::default()
        };
        for (name, section) in self.services {
            out.services.insert(name, section.resolve()?);
        }
        for (name, section) in self.methods {
            out.methods.insert(name, section.resolve()?);
        }
        Ok(out)
    }
}
