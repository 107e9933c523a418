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
//! This file is the public surface only. The modules marked `#[doc(hidden)]` are internals,
//! public only so that the project's own binary, tests and benches reach them; they are not API
//! and may change in any version. docs/ARCHITECTURE.md describes them.

#![deny(missing_docs)]

#[cfg(feature = "build")]
pub mod builder;
#[cfg(feature = "call")]
mod call;
#[cfg(feature = "build")]
pub mod check;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod cli;
#[cfg(feature = "build")]
pub(crate) mod codegen;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod config;
#[cfg(any(feature = "build", feature = "runtime"))]
#[doc(hidden)]
pub mod descriptor_set;
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
#[doc(hidden)]
pub mod http;
#[cfg(feature = "build")]
pub(crate) mod ledger;
#[cfg(feature = "build")]
pub mod render;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod rules;
#[cfg(feature = "runtime")]
pub mod runtime;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod source;

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
