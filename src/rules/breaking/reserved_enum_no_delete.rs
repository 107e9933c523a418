use prost_reflect::EnumDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Reserved numbers and names of a enum are not deleted.
    ///
    /// ## What it does
    /// Checks that every number range and name reserved in a enum stays reserved.
    ///
    /// ## Why
    /// Reservations keep old numbers and names from being reused. Dropping one invites a new field that
    /// old data misreads.
    ///
    /// ## Example
    /// ```proto
    /// enum X {
    ///   // reserved 3; deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the reservation (`--fix` adds it back).
    pub struct ReservedEnumNoDelete;
}

impl BreakingRule for ReservedEnumNoDelete {
    fn check_enum_pair(&self, cx: &mut BCx, previous: &EnumDescriptor, current: &EnumDescriptor) {
        let (numbers, names) = super::helpers::lost_enum_reservations(previous, current);
        let file = current.parent_file();
        let lost = super::Reserve::enumeration(file.name(), current.path(), numbers, names);
        super::helpers::report_lost_reservations(cx, "enum", current.full_name(), lost);
    }
}
