use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Extension ranges are not deleted.
    ///
    /// ## What it does
    /// Checks that every extension range of a message is still covered by its extension ranges.
    ///
    /// ## Why
    /// Extensions that others declared in the range stop compiling.
    ///
    /// ## Example
    /// ```proto
    /// message Base {
    ///   // extensions 100 to 199; deleted
    /// }
    /// ```
    ///
    /// ## Fix
    /// Restore the extension range.
    pub struct ExtensionMessageNoDelete;
}

impl BreakingRule for ExtensionMessageNoDelete {
    fn check_message_pair(
        &self,
        cx: &mut BCx,
        previous: &MessageDescriptor,
        current: &MessageDescriptor,
    ) {
        let wide = |r: std::ops::Range<u32>| r.start as i64..r.end as i64;
        let now = super::helpers::Coverage::new(current.extension_ranges().map(wide));
        for range in previous.extension_ranges() {
            if now.covers(&wide(range.clone())) {
                continue;
            }
            cx.in_file(current.parent_file().name()).report(
                &super::name_of(current.path()),
                format!(
                    "extension range {} to {} of `{}` was deleted",
                    range.start,
                    range.end - 1,
                    current.full_name()
                ),
                Some(format!(
                    "restore `extensions {} to {};`",
                    range.start,
                    range.end - 1
                )),
            );
        }
    }
}
