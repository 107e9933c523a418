use super::{BCx, BreakingRule, Side};
use crate::rules::declare_rule;

declare_rule! {
    /// Files are not deleted.
    ///
    /// ## What it does
    /// Checks that no file of the previous version is missing from the current one.
    ///
    /// ## Why
    /// Imports name files: a deleted file breaks every schema that imports it, and generated code per
    /// file disappears.
    ///
    /// ## Example
    /// ```proto
    /// // previous: acme/shop/v1/legacy.proto existed; current: it is gone
    /// ```
    ///
    /// ## Fix
    /// Restore the file, or exclude this rule (FILE category only) if the move is intended.
    pub struct FileNoDelete;
}

impl BreakingRule for FileNoDelete {
    fn check_sides(&self, cx: &mut BCx, previous: &Side, current: &Side) {
        for file in &previous.files {
            if current.file(file.name()).is_none() {
                cx.in_file(file.name()).report(
                    &[],
                    format!("file `{}` was deleted", file.name()),
                    Some("restore it; every file that imports it breaks".into()),
                );
            }
        }
    }
}
