use prost_reflect::EnumDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Enums keep JSON support.
    ///
    /// ## What it does
    /// Checks that an enum that supported the JSON mapping (proto3) still does.
    ///
    /// ## Why
    /// proto2 enums are only mapped to JSON on a best-effort basis; moving an enum there can make JSON
    /// clients fail.
    ///
    /// ## Example
    /// ```proto
    /// // the enum's file moved from proto3 to proto2
    /// ```
    ///
    /// ## Fix
    /// Keep the enum in a proto3 file.
    pub struct EnumSameJsonFormat;
}

impl BreakingRule for EnumSameJsonFormat {
    fn check_enum_pair(&self, cx: &mut BCx, previous: &EnumDescriptor, current: &EnumDescriptor) {
        let allow = crate::source::resolved::enum_json_allowed;
        if allow(previous) && !allow(current) {
            cx.in_file(current.parent_file().name()).report(
                &crate::source::resolved::enum_feature_path(
                    current,
                    crate::source::syntax::features::JSON_FORMAT,
                ),
                format!(
                    "enum `{}` lost full JSON support (`json_format` ALLOW -> LEGACY_BEST_EFFORT)",
                    current.full_name()
                ),
                Some("keep the enum in a proto3 file, or `features.json_format = ALLOW`".into()),
            );
        }
    }
}
