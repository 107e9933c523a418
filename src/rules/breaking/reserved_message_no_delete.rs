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
        let (lost_numbers, lost_names) =
            super::helpers::lost_message_reservations(previous, current);
        if lost_numbers.is_empty() && lost_names.is_empty() {
            return;
        }
        let fix = super::reserve_fix(
            cx,
            &super::Reserve {
                file: current.parent_file().name(),
                decl: current.path(),
                ranges_field: 9,
                names_field: 10,
                numbers: lost_numbers.clone(),
                names: lost_names.clone(),
            },
        );
        let mut lost: Vec<String> = lost_numbers
            .iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a} to {b}")
                }
            })
            .collect();
        lost.extend(lost_names.iter().map(|n| format!("\"{n}\"")));
        for item in lost {
            cx.in_file(current.parent_file().name()).report_with_fix(
                &super::name_of(current.path()),
                format!(
                    "message `{}` no longer reserves {item}",
                    current.full_name()
                ),
                Some(format!("restore `reserved {item};`")),
                fix.clone(),
            );
        }
    }
}
