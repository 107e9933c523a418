use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;
use crate::source::locate::path;

declare_rule! {
    /// Messages keep their standard descriptor accessor.
    ///
    /// ## What it does
    /// Checks that `no_standard_descriptor_accessor` does not change from false to true.
    ///
    /// ## Why
    /// Generated code that calls `descriptor()` stops compiling.
    ///
    /// ## Example
    /// ```proto
    /// option no_standard_descriptor_accessor = true; // was false
    /// ```
    ///
    /// ## Fix
    /// Remove the option.
    pub struct MessageNoRemoveStandardDescriptorAccessor;
}

impl BreakingRule for MessageNoRemoveStandardDescriptorAccessor {
    fn check_message_pair(
        &self,
        cx: &mut BCx,
        previous: &MessageDescriptor,
        current: &MessageDescriptor,
    ) {
        let flag = |m: &MessageDescriptor| {
            m.descriptor_proto()
                .options
                .as_ref()
                .and_then(|o| o.no_standard_descriptor_accessor)
                .unwrap_or(false)
        };
        if !flag(previous) && flag(current) {
            cx.in_file(current.parent_file().name()).report(
                &super::sub(
                    current.path(),
                    &[
                        path::MESSAGE_OPTIONS,
                        path::message_options::NO_STANDARD_DESCRIPTOR_ACCESSOR,
                    ],
                ),
                format!(
                    "message `{}` set `no_standard_descriptor_accessor`",
                    current.full_name()
                ),
                Some("remove `option no_standard_descriptor_accessor = true;`".into()),
            );
        }
    }
}
