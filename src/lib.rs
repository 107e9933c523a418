//! protoforge guards and builds gRPC APIs from their `.proto` files: it lints them (buf's rules
//! and IDs), checks field-number history, and generates tonic servers.
//!
//! Feature `build` (default): the build-time half (loading, lint, ledger, breaking, codegen,
//! the CLI and [`configure`] for build.rs). Feature `runtime`: what generated code calls at run
//! time. A service crate takes `protoforge` twice: as a build-dependency with `build` and as a
//! dependency with only `runtime`.
//!
//! This file is the public surface only.
//!
//! The modules marked `#[doc(hidden)]` are internals, public only so that the project's own
//! tests and benches reach them; they are not API and may change in any version.

#![deny(missing_docs)]

#[cfg(feature = "build")]
pub mod builder;
#[cfg(feature = "call")]
mod call;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod cli;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod codegen;
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
#[doc(hidden)]
pub mod format;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(any(feature = "build", feature = "runtime"))]
#[doc(hidden)]
pub mod http;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod ledger;
#[cfg(feature = "build")]
#[doc(hidden)]
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
pub use diagnostic::{Finding, Report, Severity};
#[cfg(feature = "build")]
pub use error::{Error, Result};
#[cfg(feature = "build")]
pub use source::LoadOptions;

/// Loads the files `options` names and lints them with the configuration found from
/// `options.cwd` (protoforge.toml, else buf.yaml, else defaults).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("protoforge-doc-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("acme/v1")).unwrap();
/// std::fs::write(
///     dir.join("acme/v1/order.proto"),
///     "syntax = \"proto3\";\npackage acme.v1;\nmessage Order {\n  string Item_ID = 1;\n}\n",
/// )
/// .unwrap();
///
/// let report = protoforge::lint(&protoforge::LoadOptions {
///     paths: vec![dir.clone()],
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
pub fn lint(options: &LoadOptions) -> Result<Report> {
    let config = config::Config::load(None, &options.cwd)?;
    cli::lint_report(options, &config)
}
