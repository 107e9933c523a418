use prost_reflect::FileDescriptor;

use super::{dir_of, show_dir};
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// A file's directory matches its package (`acme.shop.v1` in `acme/shop/v1/`).
    ///
    /// ## What it does
    /// Checks that a file's directory, relative to its include root, spells its package:
    /// package `acme.shop.v1` lives in `acme/shop/v1/`.
    ///
    /// ## Why
    /// When directories follow packages, a reader finds a type's file from its name, imports read
    /// like the package, and generated code for every language lands in predictable places.
    ///
    /// ## Example
    /// ```proto
    /// // file: shop/shop.proto
    /// package acme.shop.v1;
    /// ```
    ///
    /// ## Fix
    /// Move the file to `acme/shop/v1/shop.proto`, or change the package to match the directory.
    pub struct PackageDirectoryMatch;
}

impl LintRule for PackageDirectoryMatch {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let package = file.package_name();
        if package.is_empty() {
            return;
        }
        let expected = package.replace('.', "/");
        let actual = dir_of(cx.file_name());
        if actual == expected {
            return;
        }
        let base = cx
            .file_name()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let message = format!(
            "package `{package}` belongs in directory `{expected}`, but the file is in {}",
            show_dir(actual)
        );
        let help = format!("move the file to `{expected}/{base}`");
        cx.report(&[path::FILE_PACKAGE], message, help);
    }
}
