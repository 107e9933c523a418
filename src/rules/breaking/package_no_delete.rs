use super::{BCx, BreakingRule, Side};
use crate::rules::declare_rule;

declare_rule! {
    /// Packages are not deleted.
    ///
    /// ## What it does
    /// Checks that every package of the previous version still has at least one file.
    ///
    /// ## Why
    /// Everything in a deleted package is gone for its clients at once.
    ///
    /// ## Example
    /// ```proto
    /// // previous: files in package acme.billing.v1; current: none
    /// ```
    ///
    /// ## Fix
    /// Restore the package's files.
    pub struct PackageNoDelete;
}

impl BreakingRule for PackageNoDelete {
    fn check_sides(&self, cx: &mut BCx, previous: &Side, current: &Side) {
        let now = current.packages();
        for package in previous.packages() {
            if now.contains(&package) {
                continue;
            }
            let Some(file) = previous.files.iter().find(|f| f.package_name() == package) else {
                continue;
            };
            cx.in_file(file.name()).report(
                &[],
                format!("package `{package}` was deleted"),
                Some(format!("restore the files of `{package}`")),
            );
        }
    }
}
