use prost_reflect::FileDescriptor;

use crate::rules::naming::to_lower_snake_case;
use crate::rules::{Cx, LintRule, declare_rule};

declare_rule! {
    /// File names are lower_snake_case.
    ///
    /// ## What it does
    /// Checks that file names are lower_snake_case: `order_service.proto`.
    ///
    /// ## Why
    /// File names become module and header names in generated code, and mixed case breaks on
    /// case-insensitive file systems.
    ///
    /// ## Example
    /// ```text
    /// acme/shop/v1/OrderService.proto
    /// ```
    ///
    /// ## Fix
    /// Rename the file to `order_service.proto` and update the imports that name it.
    pub struct FileLowerSnakeCase;
}

impl LintRule for FileLowerSnakeCase {
    fn check_file(&self, cx: &mut Cx, _file: &FileDescriptor) {
        let base = cx
            .file_name()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let (stem, ext) = match base.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_owned(), format!(".{ext}")),
            None => (base.clone(), String::new()),
        };
        let expected = to_lower_snake_case(&stem);
        if stem == expected {
            return;
        }
        cx.report_top(
            format!("file name `{base}` is not lower_snake_case"),
            format!("rename the file to `{expected}{ext}` and update the imports that name it"),
        );
    }
}
