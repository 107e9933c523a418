use std::collections::BTreeMap;

use super::dir_of;
use crate::rules::{LintRule, ModuleCx, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// All files of a package are in one directory.
    ///
    /// ## What it does
    /// Checks that all files declaring the same package are in the same directory.
    ///
    /// ## Why
    /// Many code generators emit one output directory per package. Spreading a package across
    /// directories makes them write into two places or fail, and hides where a type lives.
    ///
    /// ## Example
    /// ```proto
    /// // acme/shop/v1/order.proto
    /// package acme.shop.v1;
    /// // acme/shop/v1/extra/item.proto
    /// package acme.shop.v1;
    /// ```
    ///
    /// ## Fix
    /// Move the files of the package into one directory (the one the package names).
    pub struct PackageSameDirectory;
}

impl LintRule for PackageSameDirectory {
    fn check_module(&self, cx: &mut ModuleCx) {
        let mut dirs: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
        for (i, entry) in cx.files().iter().enumerate() {
            // Files without a package form a package of their own, as in buf.
            let package = entry.descriptor.package_name();
            dirs.entry(package)
                .or_default()
                .entry(dir_of(&entry.loaded.name))
                .or_default()
                .push(i);
        }
        for (package, by_dir) in dirs {
            if by_dir.len() < 2 {
                continue;
            }
            let names: Vec<String> = by_dir
                .keys()
                .map(|d| {
                    if d.is_empty() {
                        "`.`".to_owned()
                    } else {
                        format!("`{d}`")
                    }
                })
                .collect();
            let expected = package.replace('.', "/");
            for files in by_dir.values() {
                for &i in files {
                    if package.is_empty() {
                        cx.report_file(
                            i,
                            None,
                            format!(
                                "files without a package are spread over directories {}",
                                names.join(", ")
                            ),
                            "declare a package, or keep the files without one in one directory"
                                .to_owned(),
                        );
                        continue;
                    }
                    cx.in_file(i).report(
                        &[path::FILE_PACKAGE],
                        format!(
                            "package `{package}` is spread over directories {}",
                            names.join(", ")
                        ),
                        format!("keep every file of `{package}` in `{expected}/`"),
                    );
                }
            }
        }
    }
}
