use super::package_version_suffix::{Stability, package_stability};
use crate::rules::{LintRule, ModuleCx, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// Stable packages import no alpha, beta or test package.
    ///
    /// ## What it does
    /// Checks that files in a stable package (`acme.shop.v1`) import nothing from unstable
    /// packages (`v1alpha1`, `v1beta1`, `v1test`). Off by default and in no category, as in buf.
    ///
    /// ## Why
    /// A stable API promises not to break. Depending on an alpha or beta package means its
    /// changes leak into the stable one.
    ///
    /// ## Example
    /// ```proto
    /// package acme.shop.v1;
    /// import "acme/pricing/v1beta1/price.proto";
    /// ```
    ///
    /// ## Fix
    /// Promote the imported types to a stable package, or copy what the stable API needs.
    pub struct StablePackageNoImportUnstable;
}

impl LintRule for StablePackageNoImportUnstable {
    fn check_module(&self, cx: &mut ModuleCx) {
        let mut reports = Vec::new();
        for (index, entry) in cx.files().iter().enumerate() {
            let package = entry.descriptor.package_name();
            if package_stability(package) != Some(Stability::Stable) {
                continue;
            }
            for (i, dep) in entry.descriptor.dependencies().enumerate() {
                match package_stability(dep.package_name()) {
                    Some(Stability::Stable) | None => {}
                    Some(_) => reports.push((
                        index,
                        i,
                        format!(
                            "stable package `{package}` imports `{}` from unstable package `{}`",
                            dep.name(),
                            dep.package_name()
                        ),
                    )),
                }
            }
        }
        for (index, i, message) in reports {
            cx.in_file(index).report(
                &[path::FILE_DEPENDENCY, i as i32],
                message,
                "move what the stable package needs into a stable package".to_owned(),
            );
        }
    }
}
