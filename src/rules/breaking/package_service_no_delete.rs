use super::{BCx, BreakingRule, Side};
use crate::rules::declare_rule;

declare_rule! {
    /// Services are not deleted from a package.
    ///
    /// ## What it does
    /// Checks that no service is deleted from a package that still exists. Moving a service to another
    /// file of the same package is fine.
    ///
    /// ## Why
    /// Clients refer to a service by its full name; deleting it breaks them wherever the definition
    /// used to live.
    ///
    /// ## Example
    /// ```proto
    /// // previous: acme.shop.v1 has the service; current: acme.shop.v1 no longer does
    /// ```
    ///
    /// ## Fix
    /// Restore the service (any file of the package will do).
    pub struct PackageServiceNoDelete;
}

impl BreakingRule for PackageServiceNoDelete {
    fn check_sides(&self, cx: &mut BCx, previous: &Side, current: &Side) {
        super::helpers::package_deletions(
            cx,
            previous,
            current,
            "service",
            super::helpers::services_in,
        );
    }
}
