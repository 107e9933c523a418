//! One file per lint rule.

mod comment_enum;
mod comment_enum_value;
mod comment_field;
mod comment_message;
mod comment_oneof;
mod comment_rpc;
mod comment_service;
mod compile;
mod directory_same_package;
mod enum_first_value_zero;
mod enum_no_allow_alias;
mod enum_pascal_case;
mod enum_value_prefix;
mod enum_value_upper_snake_case;
mod enum_zero_value_suffix;
mod field_lower_snake_case;
mod field_no_descriptor;
mod field_not_required;
mod file_lower_snake_case;
mod format;
mod http_rule_streaming;
mod http_rule_valid;
mod import_no_public;
mod import_no_weak;
mod import_used;
mod message_pascal_case;
mod method_policy_valid;
mod oneof_lower_snake_case;
mod package_defined;
mod package_directory_match;
mod package_lower_snake_case;
mod package_no_import_cycle;
mod package_same_csharp_namespace;
mod package_same_directory;
mod package_same_go_package;
mod package_same_java_multiple_files;
mod package_same_java_package;
mod package_same_php_namespace;
mod package_same_ruby_package;
mod package_same_swift_prefix;
mod package_version_suffix;
mod protovalidate;
mod rpc_no_client_streaming;
mod rpc_no_server_streaming;
mod rpc_pascal_case;
mod rpc_request_response_unique;
mod rpc_request_standard_name;
mod rpc_response_standard_name;
mod service_pascal_case;
mod service_suffix;
mod stable_package_no_import_unstable;
mod syntax_specified;

pub use comment_enum::CommentEnum;
pub use comment_enum_value::CommentEnumValue;
pub use comment_field::CommentField;
pub use comment_message::CommentMessage;
pub use comment_oneof::CommentOneof;
pub use comment_rpc::CommentRpc;
pub use comment_service::CommentService;
pub use compile::Compile;
pub use directory_same_package::DirectorySamePackage;
pub use enum_first_value_zero::EnumFirstValueZero;
pub use enum_no_allow_alias::EnumNoAllowAlias;
pub use enum_pascal_case::EnumPascalCase;
pub use enum_value_prefix::EnumValuePrefix;
pub use enum_value_upper_snake_case::EnumValueUpperSnakeCase;
pub use enum_zero_value_suffix::EnumZeroValueSuffix;
pub use field_lower_snake_case::FieldLowerSnakeCase;
pub use field_no_descriptor::FieldNoDescriptor;
pub use field_not_required::FieldNotRequired;
pub use file_lower_snake_case::FileLowerSnakeCase;
pub use format::Format;
pub use http_rule_streaming::HttpRuleStreaming;
pub use http_rule_valid::HttpRuleValid;
pub use import_no_public::ImportNoPublic;
pub use import_no_weak::ImportNoWeak;
pub use import_used::ImportUsed;
pub use message_pascal_case::MessagePascalCase;
pub use method_policy_valid::MethodPolicyValid;
pub use oneof_lower_snake_case::OneofLowerSnakeCase;
pub use package_defined::PackageDefined;
pub use package_directory_match::PackageDirectoryMatch;
pub use package_lower_snake_case::PackageLowerSnakeCase;
pub use package_no_import_cycle::PackageNoImportCycle;
pub use package_same_csharp_namespace::PackageSameCsharpNamespace;
pub use package_same_directory::PackageSameDirectory;
pub use package_same_go_package::PackageSameGoPackage;
pub use package_same_java_multiple_files::PackageSameJavaMultipleFiles;
pub use package_same_java_package::PackageSameJavaPackage;
pub use package_same_php_namespace::PackageSamePhpNamespace;
pub use package_same_ruby_package::PackageSameRubyPackage;
pub use package_same_swift_prefix::PackageSameSwiftPrefix;
pub use package_version_suffix::{PackageVersionSuffix, Stability, package_stability};
pub use protovalidate::Protovalidate;
pub(crate) use protovalidate::fuzz_cel;
pub use rpc_no_client_streaming::RpcNoClientStreaming;
pub use rpc_no_server_streaming::RpcNoServerStreaming;
pub use rpc_pascal_case::RpcPascalCase;
pub use rpc_request_response_unique::RpcRequestResponseUnique;
pub use rpc_request_standard_name::RpcRequestStandardName;
pub use rpc_response_standard_name::RpcResponseStandardName;
pub use service_pascal_case::ServicePascalCase;
pub use service_suffix::ServiceSuffix;
pub use stable_package_no_import_unstable::StablePackageNoImportUnstable;
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

/// COMMENT_* rules: the element at `decl` needs a leading comment with a line that is neither
/// empty nor a suppression directive. Reported at `at` (its name).
pub(crate) fn check_comment(
    cx: &mut crate::rules::Cx,
    decl: &[i32],
    at: &[i32],
    kind: &str,
    name: &str,
) {
    if !cx.has_location(decl) {
        return;
    }
    let documented = cx.leading_comment(decl).is_some_and(|c| {
        c.lines()
            .any(|l| !l.trim().is_empty() && !crate::diagnostic::suppress::is_directive(l))
    });
    if documented {
        return;
    }
    cx.report(
        at,
        format!("{kind} `{name}` has no comment"),
        format!("document the {kind} in a comment on the line(s) above it"),
    );
}

/// PACKAGE_SAME_* rules: every checked file of a package has the same value of a file option
/// (`None` when unset). Reported at the option, else (as buf does) at the file, with a label at
/// the package statement.
pub(crate) fn check_package_same_option(
    cx: &mut crate::rules::ModuleCx,
    option: &str,
    field_number: i32,
    get: &dyn Fn(&prost_types::FileOptions) -> Option<String>,
) {
    use std::collections::{BTreeMap, BTreeSet};
    let mut packages: BTreeMap<&str, Vec<(usize, Option<String>)>> = BTreeMap::new();
    for (i, entry) in cx.files().iter().enumerate() {
        let package = entry.descriptor.package_name();
        if package.is_empty() {
            continue;
        }
        let value = entry
            .descriptor
            .file_descriptor_proto()
            .options
            .as_ref()
            .and_then(get);
        packages.entry(package).or_default().push((i, value));
    }
    let mut reports = Vec::new();
    for (package, files) in packages {
        let values: BTreeSet<&Option<String>> = files.iter().map(|(_, v)| v).collect();
        if values.len() < 2 {
            continue;
        }
        let set: Vec<String> = values
            .iter()
            .filter_map(|v| v.as_ref().map(|v| format!("`{v}`")))
            .collect();
        let unset = values.contains(&None);
        let message = if unset {
            format!(
                "files of package `{package}` set `{option}` to {} and also leave it unset",
                set.join(", ")
            )
        } else {
            format!(
                "files of package `{package}` set `{option}` to different values: {}",
                set.join(", ")
            )
        };
        for (i, _) in files {
            reports.push((i, message.clone()));
        }
    }
    for (i, message) in reports {
        let at = [crate::source::locate::path::FILE_OPTIONS, field_number];
        let help = format!("use one `option {option} = ...;` in every file of the package");
        if cx.has_location(i, &at) {
            cx.in_file(i).report(&at, message, help);
        } else {
            let package: &[i32] = &[crate::source::locate::path::FILE_PACKAGE];
            let label = format!("`{option}` is not set in this file of the package");
            cx.report_file(i, Some((package, label.as_str())), message, help);
        }
    }
}
