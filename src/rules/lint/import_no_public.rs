use prost_reflect::FileDescriptor;

use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// No import is `public`.
    ///
    /// ## What it does
    /// Checks that no import is `public`.
    ///
    /// ## Why
    /// A public import re-exports another file's definitions, so moving a type becomes a hidden breaking change for whoever relied on the re-export; several languages do not support it at all.
    ///
    /// ## Example
    /// ```proto
    /// import public "acme/common/v1/money.proto";
    /// ```
    ///
    /// ## Fix
    /// Use a plain `import`, and import the file each user needs directly.
    pub struct ImportNoPublic;
}

impl LintRule for ImportNoPublic {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let proto = file.file_descriptor_proto();
        for &index in &proto.public_dependency {
            let Some(name) = proto.dependency.get(index as usize) else {
                continue;
            };
            cx.report(
                &[path::FILE_DEPENDENCY, index],
                format!("import `{name}` is public"),
                format!("use `import \"{name}\";`"),
            );
        }
    }
}
