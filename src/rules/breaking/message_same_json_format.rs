use prost_reflect::MessageDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Messages keep JSON support.
    ///
    /// ## What it does
    /// Checks that a message that supported the JSON mapping (proto3) still does.
    ///
    /// ## Why
    /// proto2 messages are mapped to JSON on a best-effort basis only.
    ///
    /// ## Example
    /// ```proto
    /// // the message's file moved from proto3 to proto2
    /// ```
    ///
    /// ## Fix
    /// Keep the message in a proto3 file.
    pub struct MessageSameJsonFormat;
}

impl BreakingRule for MessageSameJsonFormat {
    fn check_message_pair(
        &self,
        cx: &mut BCx,
        previous: &MessageDescriptor,
        current: &MessageDescriptor,
    ) {
        let allow = crate::source::resolved::message_json_allowed;
        if allow(previous) && !allow(current) && !current.is_map_entry() {
            cx.in_file(current.parent_file().name()).report(&crate::source::resolved::message_feature_path(
                current,
                crate::source::syntax::features::JSON_FORMAT,
            ), format!(
                    "message `{}` lost full JSON support (`json_format` ALLOW -> LEGACY_BEST_EFFORT)",
                    current.full_name()
                ), Some("keep the message in a proto3 file, or `features.json_format = ALLOW`".into()));
        }
    }
}
