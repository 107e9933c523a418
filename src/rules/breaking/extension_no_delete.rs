use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Extensions are not deleted from a file.
    ///
    /// ## What it does
    /// Checks that no extension is deleted from a file (moving it to another file counts as a deletion
    /// here; PACKAGE_EXTENSION_NO_DELETE allows moves within the package).
    ///
    /// ## Why
    /// Generated code for some languages (C++ headers, Java outer classes) is per file, so moving or
    /// deleting a extension breaks code that includes the file.
    ///
    /// ## Example
    /// ```proto
    /// // previous: the extension is declared in a.proto; current: it is gone from a.proto
    /// ```
    ///
    /// ## Fix
    /// Restore the extension, or accept the break by excluding this rule (it is in the FILE category
    /// only).
    pub struct ExtensionNoDelete;
}

impl BreakingRule for ExtensionNoDelete {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        let before = super::helpers::extensions_in(previous);
        let now = super::helpers::extensions_in(current);
        for (name, _) in before.iter().filter(|(n, _)| !now.contains_key(*n)) {
            let at = super::helpers::enclosing_path(current, name);
            cx.in_file(current.name()).report(
                &at,
                format!("extension `{name}` was deleted from `{}`", current.name()),
                Some(format!("restore `{name}` in `{}`", current.name())),
            );
        }
    }
}
