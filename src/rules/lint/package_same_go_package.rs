use crate::rules::{LintRule, ModuleCx, declare_rule};

declare_rule! {
    /// Files of a package agree on `go_package`.
    ///
    /// ## What it does
    /// Checks that all files of a package set the file option `go_package` to the same value (or all
    /// leave it unset).
    ///
    /// ## Why
    /// The Go code of one package is generated into one place; files that disagree about
    /// `go_package` scatter the package or make the generator fail.
    ///
    /// ## Example
    /// ```proto
    /// // a.proto
    /// package acme.shop.v1;
    /// option go_package = ...;
    /// // b.proto: same package, a different value or none
    /// ```
    ///
    /// ## Fix
    /// Give every file of the package the same `option go_package`.
    pub struct PackageSameGoPackage;
}

impl LintRule for PackageSameGoPackage {
    fn check_module(&self, cx: &mut ModuleCx) {
        super::check_package_same_option(cx, "go_package", 11, &|o| o.go_package.clone());
    }
}
