//! One file per lint rule.

mod compile;
mod directory_same_package;
mod enum_first_value_zero;
mod enum_zero_value_suffix;
mod field_lower_snake_case;
mod import_used;
mod message_pascal_case;
mod package_defined;
mod package_directory_match;
mod package_lower_snake_case;
mod package_same_directory;
mod package_version_suffix;
mod rpc_pascal_case;
mod service_pascal_case;
mod syntax_specified;

pub use compile::Compile;
pub use directory_same_package::DirectorySamePackage;
pub use enum_first_value_zero::EnumFirstValueZero;
pub use enum_zero_value_suffix::EnumZeroValueSuffix;
pub use field_lower_snake_case::FieldLowerSnakeCase;
pub use import_used::ImportUsed;
pub use message_pascal_case::MessagePascalCase;
pub use package_defined::PackageDefined;
pub use package_directory_match::PackageDirectoryMatch;
pub use package_lower_snake_case::PackageLowerSnakeCase;
pub use package_same_directory::PackageSameDirectory;
pub use package_version_suffix::{PackageVersionSuffix, is_package_version};
pub use rpc_pascal_case::RpcPascalCase;
pub use service_pascal_case::ServicePascalCase;
pub use syntax_specified::SyntaxSpecified;

/// SourceCodeInfo path of a descriptor's name.
pub(crate) fn name_path(path: &[i32]) -> Vec<i32> {
    let mut p = path.to_vec();
    p.push(crate::source::locate::path::NAME);
    p
}

/// The directory part of an import name (`acme/shop/v1` for `acme/shop/v1/shop.proto`, `` at the root).
pub(crate) fn dir_of(name: &str) -> &str {
    name.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("")
}

/// How a directory is shown in messages.
pub(crate) fn show_dir(dir: &str) -> String {
    if dir.is_empty() {
        "the include root".to_owned()
    } else {
        format!("`{dir}`")
    }
}
