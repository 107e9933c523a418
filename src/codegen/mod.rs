//! Code generation: prost messages and tonic services (through tonic-prost-build), then
//! protoforge's per-service code appended to the same package module.
//!
//! model.rs is the IR and the only file that reads descriptors; policy.rs emits method policies
//! (auth and deadline), server.rs the handler trait and adapter, client.rs the client with
//! default deadlines; emit.rs runs the generators and writes files. Errors, auth and deadlines
//! at run time live in `crate::runtime`, so generated code stays small.

pub mod client;
pub mod emit;
pub mod ident;
pub mod model;
pub mod openapi;
pub mod policy;
pub mod server;

pub use emit::{DescriptorPath, Generated, Input, generate};
pub use model::Model;
