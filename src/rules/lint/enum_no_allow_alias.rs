use prost_reflect::EnumDescriptor;

use super::name_path;
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// No enum sets `allow_alias`.
    ///
    /// ## What it does
    /// Checks that no enum sets `option allow_alias = true;`.
    ///
    /// ## Why
    /// Aliases give one number several names. JSON and text formats print only one of them, so
    /// a value written as one name reads back as another, and renames become impossible to track.
    ///
    /// ## Example
    /// ```proto
    /// enum Status {
    ///   option allow_alias = true;
    ///   STATUS_UNSPECIFIED = 0;
    ///   STATUS_DONE = 1;
    ///   STATUS_FINISHED = 1;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the option and the alias values; if an old name must stay readable, reserve it.
    pub struct EnumNoAllowAlias;
}

impl LintRule for EnumNoAllowAlias {
    fn check_enum(&self, cx: &mut Cx, en: &EnumDescriptor) {
        let allows = en
            .enum_descriptor_proto()
            .options
            .as_ref()
            .and_then(|o| o.allow_alias)
            .unwrap_or(false);
        if !allows {
            return;
        }
        // enum options (3) -> allow_alias (2)
        let mut at = en.path().to_vec();
        at.extend([path::ENUM_OPTIONS, path::enum_options::ALLOW_ALIAS]);
        if !cx.has_location(&at) {
            at = name_path(en.path());
        }
        cx.report(
            &at,
            format!("enum `{}` sets `allow_alias`", en.full_name()),
            "remove `option allow_alias = true;` and the aliased values".to_owned(),
        );
    }
}
