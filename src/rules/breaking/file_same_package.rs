use prost_reflect::FileDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Files keep the same package.
    ///
    /// ## What it does
    /// Checks that a file's package does not change.
    ///
    /// ## Why
    /// The package is part of every type's full name and every RPC's path: changing it renames
    /// everything on the wire and in JSON (`@type` URLs).
    ///
    /// ## Example
    /// ```proto
    /// package acme.shop.v2; // was acme.shop.v1
    /// ```
    ///
    /// ## Fix
    /// Restore the package; put new versions in new files of a new package.
    pub struct FileSamePackage;
}

impl BreakingRule for FileSamePackage {
    fn check_file_pair(&self, cx: &mut BCx, previous: &FileDescriptor, current: &FileDescriptor) {
        super::helpers::same_file_value(
            cx,
            previous,
            current,
            "package",
            &[crate::source::locate::path::FILE_PACKAGE],
            previous.package_name().to_owned(),
            current.package_name().to_owned(),
        );
    }
}
