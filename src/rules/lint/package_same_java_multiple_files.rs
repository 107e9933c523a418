use crate::rules::{LintRule, ModuleCx, declare_rule};

declare_rule! {
    /// Files of a package agree on `java_multiple_files`.
    ///
    /// ## What it does
    /// Checks that all files of a package set the file option `java_multiple_files` to the same value (or all
    /// leave it unset).
    ///
    /// ## Why
    /// The Java code of one package is generated into one place; files that disagree about
    /// `java_multiple_files` scatter the package or make the generator fail.
    ///
    /// ## Example
    /// ```proto
    /// // a.proto
    /// package acme.shop.v1;
    /// option java_multiple_files = ...;
    /// // b.proto: same package, a different value or none
    /// ```
    ///
    /// ## Fix
    /// Give every file of the package the same `option java_multiple_files`.
    pub struct PackageSameJavaMultipleFiles;
}

impl LintRule for PackageSameJavaMultipleFiles {
    fn check_module(&self, cx: &mut ModuleCx) {
        super::check_package_same_option(cx, "java_multiple_files", 10, &|o| {
            o.java_multiple_files.map(|v| v.to_string())
        });
    }
}
