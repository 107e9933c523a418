use crate::rules::{LintRule, ModuleCx, declare_rule};

declare_rule! {
    /// Files of a package agree on `ruby_package`.
    ///
    /// ## What it does
    /// Checks that all files of a package set the file option `ruby_package` to the same value (or all
    /// leave it unset).
    ///
    /// ## Why
    /// The Ruby code of one package is generated into one place; files that disagree about
    /// `ruby_package` scatter the package or make the generator fail.
    ///
    /// ## Example
    /// ```proto
    /// // a.proto
    /// package acme.shop.v1;
    /// option ruby_package = ...;
    /// // b.proto: same package, a different value or none
    /// ```
    ///
    /// ## Fix
    /// Give every file of the package the same `option ruby_package`.
    pub struct PackageSameRubyPackage;
}

impl LintRule for PackageSameRubyPackage {
    fn check_module(&self, cx: &mut ModuleCx) {
        super::check_package_same_option(cx, "ruby_package", 45, &|o| o.ruby_package.clone());
    }
}
