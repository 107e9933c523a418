use crate::rules::{LintRule, ModuleCx, declare_rule};

declare_rule! {
    /// Files of a package agree on `swift_prefix`.
    ///
    /// ## What it does
    /// Checks that all files of a package set the file option `swift_prefix` to the same value (or all
    /// leave it unset).
    ///
    /// ## Why
    /// The Swift code of one package is generated into one place; files that disagree about
    /// `swift_prefix` scatter the package or make the generator fail.
    ///
    /// ## Example
    /// ```proto
    /// // a.proto
    /// package acme.shop.v1;
    /// option swift_prefix = ...;
    /// // b.proto: same package, a different value or none
    /// ```
    ///
    /// ## Fix
    /// Give every file of the package the same `option swift_prefix`.
    pub struct PackageSameSwiftPrefix;
}

impl LintRule for PackageSameSwiftPrefix {
    fn check_module(&self, cx: &mut ModuleCx) {
        super::check_package_same_option(cx, "swift_prefix", 39, &|o| o.swift_prefix.clone());
    }
}
