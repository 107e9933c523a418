use crate::rules::{LintRule, ModuleCx, declare_rule};

declare_rule! {
    /// Files of a package agree on `java_package`.
    ///
    /// ## What it does
    /// Checks that all files of a package set the file option `java_package` to the same value (or all
    /// leave it unset).
    ///
    /// ## Why
    /// The Java code of one package is generated into one place; files that disagree about
    /// `java_package` scatter the package or make the generator fail.
    ///
    /// ## Example
    /// ```proto
    /// // a.proto
    /// package acme.shop.v1;
    /// option java_package = ...;
    /// // b.proto: same package, a different value or none
    /// ```
    ///
    /// ## Fix
    /// Give every file of the package the same `option java_package`.
    pub struct PackageSameJavaPackage;
}

impl LintRule for PackageSameJavaPackage {
    fn check_module(&self, cx: &mut ModuleCx) {
        super::check_package_same_option(cx, "java_package", 1, &|o| o.java_package.clone());
    }
}
