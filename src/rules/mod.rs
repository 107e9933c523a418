//! Rules: pure functions from descriptors to findings. `registry` is the one table of rules,
//! `context` walks the descriptors and dispatches elements to the enabled rules.

pub mod breaking;
pub mod context;
pub mod ledger;
pub mod lint;
pub mod naming;
pub mod options;
pub mod registry;

use prost_reflect::{
    EnumDescriptor, EnumValueDescriptor, FieldDescriptor, FileDescriptor, MessageDescriptor,
    MethodDescriptor, OneofDescriptor, ServiceDescriptor,
};

pub use context::{Cx, ModuleCx, run_lint};
pub use options::RuleOptions;
pub use registry::{RULES, RuleInfo, RuleKind};

/// Declares a rule struct whose doc comment (What it does / Why / Example / Fix) becomes
/// `protoforge explain RULE` and the rule table in docs/rules.md.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])+ pub struct $name:ident;) => {
        $(#[doc = $doc])+
        pub struct $name;
        impl $name {
            /// The rule's documentation, from its doc comment.
            pub const DOC: &'static str = concat!($($doc, "\n"),+);
        }
    };
}
pub(crate) use declare_rule;

/// A lint rule. The context calls the hooks for every element of every checked file; a rule
/// implements the ones it needs and reports through the context. No IO, no printing.
pub trait LintRule: Sync {
    fn check_file(&self, _cx: &mut Cx, _file: &FileDescriptor) {}
    fn check_message(&self, _cx: &mut Cx, _message: &MessageDescriptor) {}
    fn check_field(&self, _cx: &mut Cx, _field: &FieldDescriptor) {}
    /// An `extend` field (buf's field rules see extensions too).
    fn check_extension(&self, _cx: &mut Cx, _extension: &prost_reflect::ExtensionDescriptor) {}
    fn check_oneof(&self, _cx: &mut Cx, _oneof: &OneofDescriptor) {}
    fn check_enum(&self, _cx: &mut Cx, _enum: &EnumDescriptor) {}
    fn check_enum_value(&self, _cx: &mut Cx, _value: &EnumValueDescriptor) {}
    fn check_service(&self, _cx: &mut Cx, _service: &ServiceDescriptor) {}
    fn check_method(&self, _cx: &mut Cx, _method: &MethodDescriptor) {}
    /// Rules about how files relate to each other (packages and directories); called once per run.
    fn check_module(&self, _cx: &mut ModuleCx) {}
}

/// A rule's doc comment as text: one leading space per line removed.
pub fn doc_text(doc: &str) -> String {
    let mut out = String::new();
    for line in doc.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out.trim().to_owned() + "\n"
}
