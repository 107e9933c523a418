use super::{BCx, BreakingRule, Side};
use crate::rules::declare_rule;

declare_rule! {
    /// Enums are not deleted from a package.
    ///
    /// ## What it does
    /// Checks that no enum is deleted from a package that still exists. Moving a enum to another file
    /// of the same package is fine.
    ///
    /// ## Why
    /// Clients refer to a enum by its full name; deleting it breaks them wherever the definition used
    /// to live.
    ///
    /// ## Example
    /// ```proto
    /// // previous: acme.shop.v1 has the enum; current: acme.shop.v1 no longer does
    /// ```
    ///
    /// ## Fix
    /// Restore the enum (any file of the package will do).
    pub struct PackageEnumNoDelete;
}

impl BreakingRule for PackageEnumNoDelete {
    fn check_sides(&self, cx: &mut BCx, previous: &Side, current: &Side) {
        super::helpers::package_deletions(cx, previous, current, "enum", super::helpers::enums_in);
    }
}
