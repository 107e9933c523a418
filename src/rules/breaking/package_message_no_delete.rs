use super::{BCx, BreakingRule, Side};
use crate::rules::declare_rule;

declare_rule! {
    /// Messages are not deleted from a package.
    ///
    /// ## What it does
    /// Checks that no message is deleted from a package that still exists. Moving a message to another
    /// file of the same package is fine.
    ///
    /// ## Why
    /// Clients refer to a message by its full name; deleting it breaks them wherever the definition
    /// used to live.
    ///
    /// ## Example
    /// ```proto
    /// // previous: acme.shop.v1 has the message; current: acme.shop.v1 no longer does
    /// ```
    ///
    /// ## Fix
    /// Restore the message (any file of the package will do).
    pub struct PackageMessageNoDelete;
}

impl BreakingRule for PackageMessageNoDelete {
    fn check_sides(&self, cx: &mut BCx, previous: &Side, current: &Side) {
        super::helpers::package_deletions(
            cx,
            previous,
            current,
            "message",
            super::helpers::messages_in,
        );
    }
}
