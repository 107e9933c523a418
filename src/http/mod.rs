//! `google.api.http` path templates: parsed at build time (lint, codegen) and at run time (the
//! gateway's router). Pure Rust without dependencies, so both halves of the crate can use it.

#[cfg(feature = "build")]
pub mod rule;
pub mod template;
pub mod timeout;

#[cfg(feature = "runtime")]
pub use template::Match;
pub use template::Template;
