//! protoforge guards and builds gRPC APIs from their `.proto` files: it lints them (buf's rules
//! and IDs), checks field-number history, and generates tonic servers.
//!
//! This file is the public surface only.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod ledger;
pub mod render;
pub mod rules;
pub mod source;

pub use diagnostic::{Finding, Report, Severity};
pub use error::{Error, Result};
pub use source::LoadOptions;

/// Loads the files `options` names and lints them with the configuration found from
/// `options.cwd` (protoforge.toml, else buf.yaml, else defaults).
pub fn lint(options: &LoadOptions) -> Result<Report> {
    let config = config::Config::load(None, &options.cwd)?;
    cli::lint_report(options, &config)
}
