use prost_reflect::EnumDescriptor;

use super::{BCx, BreakingRule};
use crate::rules::declare_rule;

declare_rule! {
    /// Enums stay open or closed.
    ///
    /// ## What it does
    /// Checks that an enum does not change between open (proto3) and closed (proto2).
    ///
    /// ## Why
    /// Closed enums drop unknown values into unknown fields; open enums keep them. Changing this
    /// changes what readers see for values they do not know.
    ///
    /// ## Example
    /// ```proto
    /// // the enum's file moved from proto3 to proto2
    /// ```
    ///
    /// ## Fix
    /// Keep the enum in a file of its previous syntax.
    pub struct EnumSameType;
}

impl BreakingRule for EnumSameType {
    fn check_enum_pair(&self, cx: &mut BCx, previous: &EnumDescriptor, current: &EnumDescriptor) {
        let closed = crate::source::resolved::enum_is_closed;
        if closed(previous) == closed(current) {
            return;
        }
        let word = |c: bool| if c { "closed" } else { "open" };
        cx.in_file(current.parent_file().name()).report(
            &crate::source::resolved::enum_feature_path(
                current,
                crate::source::syntax::features::ENUM_TYPE,
            ),
            format!(
                "enum `{}` changed from {} to {}",
                current.full_name(),
                word(closed(previous)),
                word(closed(current))
            ),
            Some("keep the enum's previous syntax or `features.enum_type`".into()),
        );
    }
}
