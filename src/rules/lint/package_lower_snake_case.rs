use prost_reflect::FileDescriptor;

use crate::rules::naming::{is_lower_snake_case, to_lower_snake_case};
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// Package names are lower_snake.case.
    ///
    /// ## What it does
    /// Checks that every component of a package is lower_snake_case: `acme.order_history.v1`.
    ///
    /// ## Why
    /// Packages become directories, Go import paths, Java packages and C++ namespaces. Mixed case
    /// breaks on case-insensitive file systems and reads differently in every language.
    ///
    /// ## Example
    /// ```proto
    /// package acme.OrderHistory.v1;
    /// ```
    ///
    /// ## Fix
    /// ```proto
    /// package acme.order_history.v1;
    /// ```
    pub struct PackageLowerSnakeCase;
}

impl LintRule for PackageLowerSnakeCase {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let package = file.package_name();
        if package.is_empty() || package.split('.').all(is_lower_snake_case) {
            return;
        }
        let suggestion: Vec<String> = package.split('.').map(to_lower_snake_case).collect();
        cx.report(
            &[path::FILE_PACKAGE],
            format!("package `{package}` is not lower_snake_case"),
            format!("use `package {};`", suggestion.join(".")),
        );
    }
}
