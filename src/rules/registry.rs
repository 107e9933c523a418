//! THE one table of rules: ID, kind, categories, default, summary, buf equivalent, documentation
//! and implementation. `protoforge rules`, `protoforge explain` and the README table come from here.

use super::LintRule;
use super::lint::*;

/// Lint rules look at one version of the files; breaking rules compare two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Lint,
    Breaking,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Lint => "lint",
            RuleKind::Breaking => "breaking",
        }
    }
}

/// buf's rule categories. MINIMAL ⊂ BASIC ⊂ STANDARD; COMMENTS and UNARY_RPC stand apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Minimal,
    Basic,
    Standard,
    Comments,
    UnaryRpc,
}

impl Category {
    pub const ALL: &[Category] = &[
        Category::Minimal,
        Category::Basic,
        Category::Standard,
        Category::Comments,
        Category::UnaryRpc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Minimal => "MINIMAL",
            Category::Basic => "BASIC",
            Category::Standard => "STANDARD",
            Category::Comments => "COMMENTS",
            Category::UnaryRpc => "UNARY_RPC",
        }
    }

    /// A category by name; `DEFAULT` is buf's older name for STANDARD.
    pub fn parse(name: &str) -> Option<Category> {
        match name {
            "DEFAULT" => Some(Category::Standard),
            _ => Category::ALL.iter().copied().find(|c| c.as_str() == name),
        }
    }
}

/// buf rules protoforge knows by name but does not implement yet. Configuration may name them;
/// they select nothing.
pub const PLANNED: &[&str] = &["PROTOVALIDATE", "VALIDATE_MESSAGE_NO_DISABLED"];

/// The rules a name stands for: one rule ID, or every rule of a category.
pub fn expand(name: &str) -> Option<Vec<&'static RuleInfo>> {
    if let Some(rule) = get(name) {
        return Some(vec![rule]);
    }
    if PLANNED.contains(&name) {
        return Some(Vec::new());
    }
    let category = Category::parse(name)?;
    Some(
        RULES
            .iter()
            .filter(|r| r.categories.contains(&category))
            .collect(),
    )
}

/// Names close to `name`, for "did you mean" hints.
pub fn suggest(name: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase().replace('-', "_");
    RULES
        .iter()
        .map(|r| r.id)
        .chain(Category::ALL.iter().map(|c| c.as_str()))
        .find(|candidate| *candidate == upper || candidate.contains(&upper) && upper.len() > 4)
}

const MINIMAL: &[Category] = &[Category::Minimal, Category::Basic, Category::Standard];
const BASIC: &[Category] = &[Category::Basic, Category::Standard];
const STANDARD: &[Category] = &[Category::Standard];

/// One row of the rule table.
pub struct RuleInfo {
    /// Upper-snake ID; buf's ID where buf has the same check.
    pub id: &'static str,
    pub kind: RuleKind,
    pub categories: &'static [Category],
    /// On when no configuration says otherwise.
    pub default: bool,
    /// One line for tables.
    pub summary: &'static str,
    /// The buf rule with the same meaning, if any.
    pub buf: Option<&'static str>,
    /// What it does / Why / Example / Fix.
    pub doc: &'static str,
    /// The implementation; `None` for `COMPILE`, which the loader reports.
    pub lint: Option<&'static dyn LintRule>,
}

impl std::fmt::Debug for RuleInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleInfo")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

macro_rules! lint_rule {
    ($id:literal, $cats:expr, $summary:literal, $ty:ident) => {
        lint_rule!($id, $cats, $summary, $ty, true)
    };
    ($id:literal, $cats:expr, $summary:literal, $ty:ident, $default:expr) => {
        RuleInfo {
            id: $id,
            kind: RuleKind::Lint,
            categories: $cats,
            default: $default,
            summary: $summary,
            buf: Some($id),
            doc: $ty::DOC,
            lint: Some(&$ty),
        }
    };
}

const COMMENTS: &[Category] = &[Category::Comments];
const UNARY_RPC: &[Category] = &[Category::UnaryRpc];

pub static RULES: &[RuleInfo] = &[
    RuleInfo {
        id: "COMPILE",
        kind: RuleKind::Lint,
        categories: &[],
        default: true,
        summary: "The file parses, its imports resolve and it links (always on).",
        buf: None,
        doc: Compile::DOC,
        lint: None,
    },
    lint_rule!(
        "COMMENT_ENUM",
        COMMENTS,
        "Every enum has a comment.",
        CommentEnum,
        false
    ),
    lint_rule!(
        "COMMENT_ENUM_VALUE",
        COMMENTS,
        "Every enum value has a comment.",
        CommentEnumValue,
        false
    ),
    lint_rule!(
        "COMMENT_FIELD",
        COMMENTS,
        "Every field has a comment.",
        CommentField,
        false
    ),
    lint_rule!(
        "COMMENT_MESSAGE",
        COMMENTS,
        "Every message has a comment.",
        CommentMessage,
        false
    ),
    lint_rule!(
        "COMMENT_ONEOF",
        COMMENTS,
        "Every oneof has a comment.",
        CommentOneof,
        false
    ),
    lint_rule!(
        "COMMENT_RPC",
        COMMENTS,
        "Every RPC has a comment.",
        CommentRpc,
        false
    ),
    lint_rule!(
        "COMMENT_SERVICE",
        COMMENTS,
        "Every service has a comment.",
        CommentService,
        false
    ),
    lint_rule!(
        "DIRECTORY_SAME_PACKAGE",
        MINIMAL,
        "All files in a directory declare the same package.",
        DirectorySamePackage
    ),
    lint_rule!(
        "ENUM_FIRST_VALUE_ZERO",
        BASIC,
        "The first value of every enum is 0.",
        EnumFirstValueZero
    ),
    lint_rule!(
        "ENUM_NO_ALLOW_ALIAS",
        BASIC,
        "No enum sets `allow_alias`.",
        EnumNoAllowAlias
    ),
    lint_rule!(
        "ENUM_PASCAL_CASE",
        BASIC,
        "Enum names are PascalCase.",
        EnumPascalCase
    ),
    lint_rule!(
        "ENUM_VALUE_PREFIX",
        STANDARD,
        "Enum values start with the enum's name in UPPER_SNAKE_CASE.",
        EnumValuePrefix
    ),
    lint_rule!(
        "ENUM_VALUE_UPPER_SNAKE_CASE",
        BASIC,
        "Enum value names are UPPER_SNAKE_CASE.",
        EnumValueUpperSnakeCase
    ),
    lint_rule!(
        "ENUM_ZERO_VALUE_SUFFIX",
        STANDARD,
        "The zero value of every enum ends in `_UNSPECIFIED` (option `enum_zero_value_suffix`).",
        EnumZeroValueSuffix
    ),
    lint_rule!(
        "FIELD_LOWER_SNAKE_CASE",
        BASIC,
        "Field names are lower_snake_case.",
        FieldLowerSnakeCase
    ),
    lint_rule!(
        "FIELD_NOT_REQUIRED",
        BASIC,
        "No field is `required`.",
        FieldNotRequired
    ),
    lint_rule!(
        "FILE_LOWER_SNAKE_CASE",
        STANDARD,
        "File names are lower_snake_case.",
        FileLowerSnakeCase
    ),
    lint_rule!(
        "IMPORT_NO_PUBLIC",
        BASIC,
        "No import is `public`.",
        ImportNoPublic
    ),
    lint_rule!(
        "IMPORT_NO_WEAK",
        BASIC,
        "No import is `weak`.",
        ImportNoWeak
    ),
    lint_rule!(
        "IMPORT_USED",
        BASIC,
        "Every import is used (fixable).",
        ImportUsed
    ),
    lint_rule!(
        "MESSAGE_PASCAL_CASE",
        BASIC,
        "Message names are PascalCase.",
        MessagePascalCase
    ),
    lint_rule!(
        "ONEOF_LOWER_SNAKE_CASE",
        BASIC,
        "Oneof names are lower_snake_case.",
        OneofLowerSnakeCase
    ),
    lint_rule!(
        "PACKAGE_DEFINED",
        MINIMAL,
        "Every file declares a package.",
        PackageDefined
    ),
    lint_rule!(
        "PACKAGE_DIRECTORY_MATCH",
        MINIMAL,
        "A file's directory matches its package (`acme.shop.v1` in `acme/shop/v1/`).",
        PackageDirectoryMatch
    ),
    lint_rule!(
        "PACKAGE_LOWER_SNAKE_CASE",
        BASIC,
        "Package names are lower_snake.case.",
        PackageLowerSnakeCase
    ),
    lint_rule!(
        "PACKAGE_NO_IMPORT_CYCLE",
        MINIMAL,
        "Packages do not import each other in a cycle.",
        PackageNoImportCycle
    ),
    lint_rule!(
        "PACKAGE_SAME_CSHARP_NAMESPACE",
        BASIC,
        "Files of a package agree on `csharp_namespace`.",
        PackageSameCsharpNamespace
    ),
    lint_rule!(
        "PACKAGE_SAME_DIRECTORY",
        MINIMAL,
        "All files of a package are in one directory.",
        PackageSameDirectory
    ),
    lint_rule!(
        "PACKAGE_SAME_GO_PACKAGE",
        BASIC,
        "Files of a package agree on `go_package`.",
        PackageSameGoPackage
    ),
    lint_rule!(
        "PACKAGE_SAME_JAVA_MULTIPLE_FILES",
        BASIC,
        "Files of a package agree on `java_multiple_files`.",
        PackageSameJavaMultipleFiles
    ),
    lint_rule!(
        "PACKAGE_SAME_JAVA_PACKAGE",
        BASIC,
        "Files of a package agree on `java_package`.",
        PackageSameJavaPackage
    ),
    lint_rule!(
        "PACKAGE_SAME_PHP_NAMESPACE",
        BASIC,
        "Files of a package agree on `php_namespace`.",
        PackageSamePhpNamespace
    ),
    lint_rule!(
        "PACKAGE_SAME_RUBY_PACKAGE",
        BASIC,
        "Files of a package agree on `ruby_package`.",
        PackageSameRubyPackage
    ),
    lint_rule!(
        "PACKAGE_SAME_SWIFT_PREFIX",
        BASIC,
        "Files of a package agree on `swift_prefix`.",
        PackageSameSwiftPrefix
    ),
    lint_rule!(
        "PACKAGE_VERSION_SUFFIX",
        STANDARD,
        "The last package component is a version (`v1`, `v1beta1`, ...).",
        PackageVersionSuffix
    ),
    lint_rule!(
        "RPC_NO_CLIENT_STREAMING",
        UNARY_RPC,
        "No RPC is client streaming.",
        RpcNoClientStreaming,
        false
    ),
    lint_rule!(
        "RPC_NO_SERVER_STREAMING",
        UNARY_RPC,
        "No RPC is server streaming.",
        RpcNoServerStreaming,
        false
    ),
    lint_rule!(
        "RPC_PASCAL_CASE",
        BASIC,
        "RPC names are PascalCase.",
        RpcPascalCase
    ),
    lint_rule!(
        "RPC_REQUEST_RESPONSE_UNIQUE",
        STANDARD,
        "Each message is the request or response of one RPC only.",
        RpcRequestResponseUnique
    ),
    lint_rule!(
        "RPC_REQUEST_STANDARD_NAME",
        STANDARD,
        "Requests are named `<Method>Request` or `<Service><Method>Request`.",
        RpcRequestStandardName
    ),
    lint_rule!(
        "RPC_RESPONSE_STANDARD_NAME",
        STANDARD,
        "Responses are named `<Method>Response` or `<Service><Method>Response`.",
        RpcResponseStandardName
    ),
    lint_rule!(
        "SERVICE_PASCAL_CASE",
        BASIC,
        "Service names are PascalCase.",
        ServicePascalCase
    ),
    lint_rule!(
        "SERVICE_SUFFIX",
        STANDARD,
        "Service names end in `Service` (option `service_suffix`).",
        ServiceSuffix
    ),
    lint_rule!(
        "STABLE_PACKAGE_NO_IMPORT_UNSTABLE",
        &[],
        "Stable packages import no alpha, beta or test package.",
        StablePackageNoImportUnstable,
        false
    ),
    lint_rule!(
        "SYNTAX_SPECIFIED",
        BASIC,
        "Every file declares its syntax (fixable).",
        SyntaxSpecified
    ),
];

/// The rule with this ID.
pub fn get(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_upper_snake_and_documented() {
        for pair in RULES[1..].windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} / {} out of order",
                pair[0].id,
                pair[1].id
            );
        }
        for rule in RULES {
            assert!(
                rule.id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()),
                "{}",
                rule.id
            );
            for heading in ["## What it does", "## Why", "## Example", "## Fix"] {
                assert!(rule.doc.contains(heading), "{} lacks {heading}", rule.id);
            }
            assert_eq!(rule.lint.is_none(), rule.id == "COMPILE");
        }
    }
}
