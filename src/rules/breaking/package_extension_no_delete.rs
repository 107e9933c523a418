use super::{BCx, BreakingRule, Side};
use crate::rules::declare_rule;

declare_rule! {
    /// Extensions are not deleted from a package.
    ///
    /// ## What it does
    /// Checks that no extension is deleted from a package that still exists. Moving a extension to
    /// another file of the same package is fine.
    ///
    /// ## Why
    /// Clients refer to a extension by its full name; deleting it breaks them wherever the definition
    /// used to live.
    ///
    /// ## Example
    /// ```proto
    /// // previous: acme.shop.v1 has the extension; current: acme.shop.v1 no longer does
    /// ```
    ///
    /// ## Fix
    /// Restore the extension (any file of the package will do).
    pub struct PackageExtensionNoDelete;
}

impl BreakingRule for PackageExtensionNoDelete {
    fn check_sides(&self, cx: &mut BCx, previous: &Side, current: &Side) {
        super::helpers::package_deletions(
            cx,
            previous,
            current,
            "extension",
            super::helpers::extensions_in,
        );
    }
}
