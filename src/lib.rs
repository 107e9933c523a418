//! protoforge guards and builds gRPC APIs from their `.proto` files: it lints them (buf's rules
//! and IDs), checks field-number history, formats them, and generates tonic servers.
//!
//! Feature `build` (default): the build-time half. Feature `runtime`: what generated code calls
//! at run time. A service crate takes `protoforge` twice: as a build-dependency with `build` and
//! as a dependency with only `runtime`.
//!
//! The API, for build scripts and for programs that embed protoforge:
//! - [`configure`] and [`builder`]: the build.rs API (check, then generate into OUT_DIR);
//! - [`lint`], [`breaking`] and [`check()`]: what the commands of the same names run, returning a
//!   [`Report`]; a [`Session`] (module [`check`](mod@check)) for finer control;
//! - [`diagnostic`]: findings and reports; [`render`]: a report as text in every output format;
//! - [`format`](mod@format): `buf format`'s layout;
//! - [`runtime`]: what generated servers and clients call;
//! - [`Error`]: the tool's own errors (problems in the files are findings, not errors).
//!
//! This file is the public surface only. Every other module is `pub(crate)`; the project's own
//! binary, tests and benches reach the few items they need through `internals`, and the fuzz
//! targets through `fuzzing` (both `#[doc(hidden)]`: not API, and they may change in any
//! version). docs/ARCHITECTURE.md describes the modules.

#![deny(missing_docs)]

#[cfg(feature = "build")]
pub mod builder;
#[cfg(feature = "call")]
mod call;
#[cfg(feature = "build")]
pub mod check;
#[cfg(feature = "build")]
#[allow(
    missing_docs,
    reason = "internal; the binary and tests reach it through `internals`"
)]
pub(crate) mod cli;
#[cfg(feature = "build")]
pub(crate) mod codegen;
#[cfg(feature = "build")]
#[allow(
    missing_docs,
    reason = "internal; the project's tests reach a few items through `internals`"
)]
pub(crate) mod config;
#[cfg(any(feature = "build", feature = "runtime"))]
pub(crate) mod descriptor_set;
#[cfg(feature = "build")]
pub mod diagnostic;
#[cfg(feature = "build")]
pub mod error;
#[cfg(feature = "build")]
pub mod format;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(any(feature = "build", feature = "runtime"))]
#[allow(
    missing_docs,
    reason = "internal; the project's tests reach a few items through `internals`"
)]
pub(crate) mod http;
#[cfg(feature = "build")]
pub(crate) mod ledger;
#[cfg(feature = "build")]
pub mod render;
#[cfg(feature = "build")]
#[allow(
    missing_docs,
    reason = "internal; the project's tests reach a few items through `internals`"
)]
pub(crate) mod rules;
#[cfg(feature = "runtime")]
pub mod runtime;
#[cfg(feature = "build")]
#[allow(
    missing_docs,
    reason = "internal; the project's tests reach a few items through `internals`"
)]
pub(crate) mod source;

/// What the project's own tests, benches and fuzz targets reach inside the crate, item by item.
/// Not API: it may change in any version.
#[cfg(any(feature = "build", feature = "runtime"))]
#[doc(hidden)]
pub mod internals {
    /// The command line, for the binary and for tests that run it in process.
    #[cfg(feature = "build")]
    pub mod cli {
        pub use crate::cli::{Cli, Command, EXIT_CLEAN, EXIT_ERROR, RulesFormat, rules_table, run};
        /// `protoforge call`.
        #[cfg(feature = "call")]
        pub mod call {
            pub use crate::cli::call::execute;
        }
    }
    /// Configuration.
    #[cfg(feature = "build")]
    pub mod config {
        pub use crate::config::{Config, LintSpec, Named};
        /// buf.yaml.
        pub mod buf {
            pub use crate::config::buf::read;
        }
    }
    /// Loading.
    #[cfg(feature = "build")]
    pub mod source {
        pub use crate::source::{COMPILE, LoadOptions, load, syntax};
        /// Editions files in their proto2 form.
        pub mod editions {
            pub use crate::source::editions::to_linkable;
        }
        /// Method policy values.
        pub mod method_options {
            pub use crate::source::method_options::parse_duration;
        }
    }
    /// The rule table.
    #[cfg(feature = "build")]
    pub mod rules {
        pub use crate::rules::{RULES, RuleKind};
    }
    /// HTTP rule templates and `grpc-timeout`.
    pub mod http {
        pub use crate::http::{Template, timeout};
    }
    /// Encoded descriptor sets.
    pub mod descriptor_set {
        pub use crate::descriptor_set::to_linkable;
    }
}

#[cfg(feature = "build")]
pub use builder::{Builder, configure};
#[cfg(feature = "build")]
pub use check::{DefaultRoots, Inputs, Session};
#[cfg(feature = "build")]
pub use diagnostic::{Finding, Report, Severity};
#[cfg(feature = "build")]
pub use error::{Error, Result};

/// Lints the files `inputs` names, as `protoforge lint` does: the configuration found from them
/// (protoforge.toml, else buf.yaml, else defaults), the lint rules and the protoforge.lock
/// ledger, inline ignores and the lint baseline. Findings are in the report; `Err` is for
/// problems with the inputs themselves (a missing path, a bad configuration).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("protoforge-doc-lint-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("acme/v1")).unwrap();
/// std::fs::write(
///     dir.join("acme/v1/order.proto"),
///     "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string Item_ID = 1;\n}\n",
/// )
/// .unwrap();
///
/// let report = protoforge::lint(&protoforge::Inputs {
///     cwd: dir.clone(),
///     ..Default::default()
/// })
/// .unwrap();
/// let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
/// assert!(rules.contains(&"FIELD_LOWER_SNAKE_CASE"), "{rules:?}");
/// assert_eq!(report.summary().files_checked, 1);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[cfg(feature = "build")]
pub fn lint(inputs: &Inputs) -> Result<Report> {
    Session::open(inputs)?.report(&check::Checks::lint(), &check::Flags::default())
}

/// Compares the files `inputs` names with the baseline `against` (a directory, a descriptor
/// set, or a git revision such as `origin/main`), as `protoforge breaking` does.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("protoforge-doc-breaking-{}", std::process::id()));
/// for (version, field) in [("previous", "string note = 2;"), ("current", "")] {
///     std::fs::create_dir_all(dir.join(version).join("acme/v1")).unwrap();
///     std::fs::write(
///         dir.join(version).join("acme/v1/order.proto"),
///         format!("syntax = \"proto3\";\npackage acme.v1;\nmessage Order {{\n  string id = 1;\n  {field}\n}}\n"),
///     )
///     .unwrap();
/// }
///
/// let report = protoforge::breaking(
///     &protoforge::Inputs {
///         cwd: dir.join("current"),
///         ..Default::default()
///     },
///     "../previous",
/// )
/// .unwrap();
/// let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
/// assert_eq!(rules, ["FIELD_NO_DELETE"]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[cfg(feature = "build")]
pub fn breaking(inputs: &Inputs, against: &str) -> Result<Report> {
    Session::open(inputs)?.report(&check::Checks::breaking(against), &check::Flags::default())
}

/// Everything `protoforge check` runs: lint, the ledger, the layout when the configuration asks
/// for it (`[format] check`), and the breaking rules against `against`, else against the
/// configuration's `[breaking] against` when it names one.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("protoforge-doc-check-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("acme/v1")).unwrap();
/// std::fs::write(dir.join("protoforge.toml"), "[lint]\nuse = [\"MINIMAL\"]\n").unwrap();
/// std::fs::write(
///     dir.join("acme/v1/order.proto"),
///     "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string Item_ID = 1;\n}\n",
/// )
/// .unwrap();
///
/// let inputs = protoforge::Inputs { cwd: dir.clone(), ..Default::default() };
/// // MINIMAL does not check field names.
/// assert!(protoforge::check(&inputs, None).unwrap().findings.is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[cfg(feature = "build")]
pub fn check(inputs: &Inputs, against: Option<&str>) -> Result<Report> {
    let session = Session::open(inputs)?;
    let against = against.or(session.default_against()).map(str::to_owned);
    session.report(&check::Checks::all(against), &check::Flags::default())
}
