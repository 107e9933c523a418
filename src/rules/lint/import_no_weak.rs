use prost_reflect::FileDescriptor;

use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// No import is `weak`.
    ///
    /// ## What it does
    /// Checks that no import is `weak`.
    ///
    /// ## Why
    /// Weak imports are a Google-internal feature that most code generators ignore or reject.
    ///
    /// ## Example
    /// ```proto
    /// import weak "acme/common/v1/money.proto";
    /// ```
    ///
    /// ## Fix
    /// Use a plain `import`, and import the file each user needs directly.
    pub struct ImportNoWeak;
}

impl LintRule for ImportNoWeak {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let proto = file.file_descriptor_proto();
        for &index in &proto.weak_dependency {
            let Some(name) = proto.dependency.get(index as usize) else {
                continue;
            };
            cx.report(
                &[path::FILE_DEPENDENCY, index],
                format!("import `{name}` is weak"),
                format!("use `import \"{name}\";`"),
            );
        }
    }
}
