use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Reserved numbers and names of a message are not deleted.
    ///
    /// ## What it does
    /// Checks that every number range and name reserved in a message stays reserved.
    ///
    /// ## Why
    /// Reservations keep old numbers and names from being reused. Dropping one invites a new field that
    /// old data misreads.
    ///
    /// ## Example
    /// ```proto
    /// message X {
    ///   // reserved 3; deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the reservation (`--fix` adds it back).
    pub struct ReservedMessageNoDelete;
}

impl BreakingRule for ReservedMessageNoDelete {
    fn check_message_pair(
        &self,
        cx: &mut BCx,
        previous: &MessageDescriptor,
        current: &MessageDescriptor,
    ) {
        let (numbers, names) = super::helpers::lost_message_reservations(previous, current);
        let file = current.parent_file();
        let lost = super::Reserve::message(file.name(), current.path(), numbers, names);
        super::helpers::report_lost_reservations(cx, "message", current.full_name(), lost);
    }
}
