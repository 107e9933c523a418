use crate::rules::{LintRule, ModuleCx, declare_rule};

declare_rule! {
    /// Files of a package agree on `php_namespace`.
    ///
    /// ## What it does
    /// Checks that all files of a package set the file option `php_namespace` to the same value (or all
    /// leave it unset).
    ///
    /// ## Why
    /// The PHP code of one package is generated into one place; files that disagree about
    /// `php_namespace` scatter the package or make the generator fail.
    ///
    /// ## Example
    /// ```proto
    /// // a.proto
    /// package acme.shop.v1;
    /// option php_namespace = ...;
    /// // b.proto: same package, a different value or none
    /// ```
    ///
    /// ## Fix
    /// Give every file of the package the same `option php_namespace`.
    pub struct PackageSamePhpNamespace;
}

impl LintRule for PackageSamePhpNamespace {
    fn check_module(&self, cx: &mut ModuleCx) {
        super::check_package_same_option(cx, "php_namespace", 41, &|o| o.php_namespace.clone());
    }
}
