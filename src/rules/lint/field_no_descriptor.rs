use prost_reflect::{ExtensionDescriptor, FieldDescriptor};

use super::name_path;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// No field is named `descriptor` in any case (buf v1beta1's MINIMAL).
    ///
    /// ## What it does
    /// Checks that no field is named `descriptor` in any capitalization, with any number of
    /// leading or trailing underscores (`Descriptor`, `_descriptor_`, `DESCRIPTOR`).
    ///
    /// ## Why
    /// Generated code gives messages a `descriptor` accessor of their own (Java's
    /// `getDescriptor()`, Python's `DESCRIPTOR`); a field of that name collides with it in some
    /// languages and fails to compile or shadows it. buf has this rule in its v1beta1
    /// configuration only, where its categories include it; elsewhere name it to turn it on.
    ///
    /// ## Example
    /// ```proto
    /// message Schema {
    ///   string descriptor = 1;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Rename the field, for example to `schema_descriptor`.
    pub struct FieldNoDescriptor;
}

/// Whether `name` is `descriptor` in any case, once its outer underscores are gone.
pub fn is_descriptor(name: &str) -> bool {
    name.trim_matches('_').eq_ignore_ascii_case("descriptor")
}

impl LintRule for FieldNoDescriptor {
    fn check_field(&self, cx: &mut Cx, field: &FieldDescriptor) {
        check(cx, field.name(), field.path(), field.full_name(), || {
            field.parent_message().name().to_owned()
        });
    }

    fn check_extension(&self, cx: &mut Cx, extension: &ExtensionDescriptor) {
        check(
            cx,
            extension.name(),
            extension.path(),
            extension.full_name(),
            || extension.containing_message().name().to_owned(),
        );
    }
}

/// `owner` names the message the field belongs to; it runs only when there is a finding.
fn check(cx: &mut Cx, name: &str, path: &[i32], full_name: &str, owner: impl FnOnce() -> String) {
    if !is_descriptor(name) {
        return;
    }
    let owner = owner().to_ascii_lowercase();
    cx.report(
        &name_path(path),
        format!("field `{full_name}` is named like the generated `descriptor` accessor"),
        format!("rename it, for example to `{owner}_descriptor`"),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn any_case_and_outer_underscores() {
        for yes in [
            "descriptor",
            "Descriptor",
            "DESCRIPTOR",
            "_descriptor",
            "__DeScRiPtOr___",
        ] {
            assert!(super::is_descriptor(yes), "{yes}");
        }
        for no in [
            "descriptors",
            "descriptor_id",
            "my_descriptor",
            "_",
            "",
            "des_criptor",
        ] {
            assert!(!super::is_descriptor(no), "{no}");
        }
    }
}
