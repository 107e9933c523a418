use std::collections::BTreeMap;

use super::{dir_of, show_dir};
use crate::rules::{LintRule, ModuleCx, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// All files in a directory declare the same package.
    ///
    /// ## What it does
    /// Checks that all files in one directory declare the same package.
    ///
    /// ## Why
    /// A directory is a package's home. Two packages in one directory make generated code for
    /// Go and others collide, and make the directory's meaning ambiguous.
    ///
    /// ## Example
    /// ```proto
    /// // acme/shop/v1/order.proto
    /// package acme.shop.v1;
    /// // acme/shop/v1/billing.proto
    /// package acme.billing.v1;
    /// ```
    ///
    /// ## Fix
    /// Move each file to the directory of its own package.
    pub struct DirectorySamePackage;
}

impl LintRule for DirectorySamePackage {
    fn check_module(&self, cx: &mut ModuleCx) {
        let mut packages: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
        for (i, entry) in cx.files().iter().enumerate() {
            packages
                .entry(dir_of(&entry.loaded.name))
                .or_default()
                .entry(entry.descriptor.package_name())
                .or_default()
                .push(i);
        }
        for (dir, by_package) in packages {
            if by_package.len() < 2 {
                continue;
            }
            let names: Vec<String> = by_package
                .keys()
                .map(|p| {
                    if p.is_empty() {
                        "(no package)".to_owned()
                    } else {
                        format!("`{p}`")
                    }
                })
                .collect();
            for (package, files) in &by_package {
                for &i in files {
                    let help = if package.is_empty() {
                        "declare the package the other files of the directory use".to_owned()
                    } else {
                        format!("move the file to `{}/`", package.replace('.', "/"))
                    };
                    cx.in_file(i).report(
                        &[path::FILE_PACKAGE],
                        format!(
                            "directory {} holds files of packages {}",
                            show_dir(dir),
                            names.join(", ")
                        ),
                        help,
                    );
                }
            }
        }
    }
}
