use crate::rules::{LintRule, ModuleCx, declare_rule};

declare_rule! {
    /// Files of a package agree on `csharp_namespace`.
    ///
    /// ## What it does
    /// Checks that all files of a package set the file option `csharp_namespace` to the same value (or all
    /// leave it unset).
    ///
    /// ## Why
    /// The C# code of one package is generated into one place; files that disagree about
    /// `csharp_namespace` scatter the package or make the generator fail.
    ///
    /// ## Example
    /// ```proto
    /// // a.proto
    /// package acme.shop.v1;
    /// option csharp_namespace = ...;
    /// // b.proto: same package, a different value or none
    /// ```
    ///
    /// ## Fix
    /// Give every file of the package the same `option csharp_namespace`.
    pub struct PackageSameCsharpNamespace;
}

impl LintRule for PackageSameCsharpNamespace {
    fn check_module(&self, cx: &mut ModuleCx) {
        super::check_package_same_option(cx, "csharp_namespace", 37, &|o| {
            o.csharp_namespace.clone()
        });
    }
}
