use prost_reflect::FileDescriptor;

use super::dir_of;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// Every file declares a package.
    ///
    /// ## What it does
    /// Checks that every file declares a package.
    ///
    /// ## Why
    /// Without a package every message lands in one global namespace, where two files defining
    /// `Order` collide, and no version can be attached to the API.
    ///
    /// ## Example
    /// ```proto
    /// syntax = "proto3";
    /// message Order {}
    /// ```
    ///
    /// ## Fix
    /// Declare a versioned package that matches the file's directory:
    /// ```proto
    /// syntax = "proto3";
    /// package acme.shop.v1;
    /// ```
    pub struct PackageDefined;
}

impl LintRule for PackageDefined {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        if !file.package_name().is_empty() {
            return;
        }
        let dir = dir_of(cx.file_name());
        let help = if dir.is_empty() {
            "add a versioned package such as `package acme.shop.v1;` and move the file to `acme/shop/v1/`".to_owned()
        } else {
            format!(
                "add `package {};` after the syntax line",
                dir.replace('/', ".")
            )
        };
        let message = format!("`{}` does not declare a package", cx.file_name());
        cx.report_top(message, help);
    }
}
