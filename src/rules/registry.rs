//! THE one table of rules: ID, kind, categories, default, summary, buf equivalent, documentation
//! and implementation. `protoforge rules`, `protoforge explain` and the table in docs/rules.md come from here.

use super::LintRule;
use super::breaking::{self, BreakingRule};
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
    File,
    Package,
    WireJson,
    Wire,
}

impl Category {
    pub const ALL: &[Category] = &[
        Category::Minimal,
        Category::Basic,
        Category::Standard,
        Category::Comments,
        Category::UnaryRpc,
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Minimal => "MINIMAL",
            Category::Basic => "BASIC",
            Category::Standard => "STANDARD",
            Category::Comments => "COMMENTS",
            Category::UnaryRpc => "UNARY_RPC",
            Category::File => "FILE",
            Category::Package => "PACKAGE",
            Category::WireJson => "WIRE_JSON",
            Category::Wire => "WIRE",
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
pub const PLANNED: &[&str] = &["VALIDATE_MESSAGE_NO_DISABLED"];

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
    /// The implementation of a lint rule; `None` for `COMPILE` (the loader reports it) and for
    /// breaking rules.
    pub lint: Option<&'static dyn LintRule>,
    /// The implementation of a breaking rule.
    pub breaking: Option<&'static dyn BreakingRule>,
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
            breaking: None,
        }
    };
}

macro_rules! ledger_rule {
    ($id:literal, $summary:literal, $ty:ident) => {
        RuleInfo {
            id: $id,
            kind: RuleKind::Lint,
            categories: &[],
            default: true,
            summary: $summary,
            buf: None,
            doc: super::ledger::$ty::DOC,
            lint: None,
            breaking: None,
        }
    };
}

/// Rules reported as warnings unless the configuration gives them a severity.
pub const WARNING_BY_DEFAULT: &[&str] = &["HTTP_RULE_STREAMING"];

/// Rules the ledger checks (kind lint, no lint implementation).
pub const LEDGER: &[&str] = &[
    "ENUM_VALUE_NUMBER_NOT_RESERVED",
    "ENUM_VALUE_NUMBER_REUSED",
    "FIELD_NUMBER_NOT_RESERVED",
    "FIELD_NUMBER_REUSED",
];

macro_rules! breaking_rule {
    ($id:literal, $cats:expr, $summary:literal, $ty:ident, $default:expr) => {
        RuleInfo {
            id: $id,
            kind: RuleKind::Breaking,
            categories: $cats,
            default: $default,
            summary: $summary,
            buf: Some($id),
            doc: breaking::$ty::DOC,
            lint: None,
            breaking: Some(&breaking::$ty),
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
        breaking: None,
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
        "FIELD_NO_DESCRIPTOR",
        &[],
        "No field is named `descriptor` in any case (buf v1beta1's MINIMAL).",
        FieldNoDescriptor,
        false
    ),
    lint_rule!(
        "FILE_LOWER_SNAKE_CASE",
        STANDARD,
        "File names are lower_snake_case.",
        FileLowerSnakeCase
    ),
    // protoforge's own: buf formats, its lint does not check the layout.
    RuleInfo {
        id: "FORMAT",
        kind: RuleKind::Lint,
        categories: &[],
        default: false,
        summary: "The file is laid out as `protoforge format` (and `buf format`) writes it (`check`, with `[format] check = true`).",
        buf: None,
        doc: Format::DOC,
        lint: None,
        breaking: None,
    },
    // protoforge's own: no buf equivalent.
    RuleInfo {
        id: "HTTP_RULE_STREAMING",
        kind: RuleKind::Lint,
        categories: MINIMAL,
        default: true,
        summary: "No client-streaming or bidirectional RPC carries a `google.api.http` rule (warning).",
        buf: None,
        doc: HttpRuleStreaming::DOC,
        lint: Some(&HttpRuleStreaming),
        breaking: None,
    },
    RuleInfo {
        id: "HTTP_RULE_VALID",
        kind: RuleKind::Lint,
        categories: MINIMAL,
        default: true,
        summary: "`google.api.http` rules have valid templates, fields and bodies.",
        buf: None,
        doc: HttpRuleValid::DOC,
        lint: Some(&HttpRuleValid),
        breaking: None,
    },
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
    // protoforge's own: no buf equivalent.
    RuleInfo {
        id: "METHOD_POLICY_VALID",
        kind: RuleKind::Lint,
        categories: MINIMAL,
        default: true,
        summary: "`protoforge.v1` method and service options hold valid timeouts and scopes.",
        buf: None,
        doc: MethodPolicyValid::DOC,
        lint: Some(&MethodPolicyValid),
        breaking: None,
    },
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
        "PROTOVALIDATE",
        STANDARD,
        "protovalidate (`buf.validate`) rules fit their fields, can be satisfied and are not redundant.",
        Protovalidate
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
    // The ledger's rules (protoforge.lock); checked with lint when the lock exists.
    ledger_rule!(
        "ENUM_VALUE_NUMBER_NOT_RESERVED",
        "Enum value numbers in protoforge.lock are used or reserved (fixable).",
        EnumValueNumberNotReserved
    ),
    ledger_rule!(
        "ENUM_VALUE_NUMBER_REUSED",
        "No enum value number is given a new name (protoforge.lock).",
        EnumValueNumberReused
    ),
    ledger_rule!(
        "FIELD_NUMBER_NOT_RESERVED",
        "Field numbers in protoforge.lock are used or reserved (fixable).",
        FieldNumberNotReserved
    ),
    ledger_rule!(
        "FIELD_NUMBER_REUSED",
        "No field number is given a new name or incompatible type (protoforge.lock).",
        FieldNumberReused
    ),
    // Breaking rules: previous version against current. Default: WIRE_JSON.
    breaking_rule!(
        "ENUM_NO_DELETE",
        &[Category::File],
        "Enums are not deleted from a file.",
        EnumNoDelete,
        false
    ),
    breaking_rule!(
        "ENUM_SAME_JSON_FORMAT",
        &[Category::File, Category::Package, Category::WireJson],
        "Enums keep JSON support.",
        EnumSameJsonFormat,
        true
    ),
    breaking_rule!(
        "ENUM_SAME_TYPE",
        &[Category::File, Category::Package],
        "Enums stay open or closed.",
        EnumSameType,
        false
    ),
    breaking_rule!(
        "ENUM_VALUE_NO_DELETE",
        &[Category::File, Category::Package],
        "Enum values are not deleted.",
        EnumValueNoDelete,
        false
    ),
    breaking_rule!(
        "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
        &[Category::WireJson],
        "Deleted enum values have their name reserved (fixable).",
        EnumValueNoDeleteUnlessNameReserved,
        true
    ),
    breaking_rule!(
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        &[Category::WireJson, Category::Wire],
        "Deleted enum values have their number reserved (fixable).",
        EnumValueNoDeleteUnlessNumberReserved,
        true
    ),
    breaking_rule!(
        "ENUM_VALUE_SAME_NAME",
        &[Category::File, Category::Package, Category::WireJson],
        "Enum values keep their names.",
        EnumValueSameName,
        true
    ),
    breaking_rule!(
        "EXTENSION_MESSAGE_NO_DELETE",
        &[Category::File, Category::Package],
        "Extension ranges are not deleted.",
        ExtensionMessageNoDelete,
        false
    ),
    breaking_rule!(
        "EXTENSION_NO_DELETE",
        &[Category::File],
        "Extensions are not deleted from a file.",
        ExtensionNoDelete,
        false
    ),
    breaking_rule!(
        "FIELD_NO_DELETE",
        &[Category::File, Category::Package],
        "Fields are not deleted.",
        FieldNoDelete,
        false
    ),
    breaking_rule!(
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
        &[Category::WireJson],
        "Deleted fields have their name reserved (fixable).",
        FieldNoDeleteUnlessNameReserved,
        true
    ),
    breaking_rule!(
        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        &[Category::WireJson, Category::Wire],
        "Deleted fields have their number reserved (fixable).",
        FieldNoDeleteUnlessNumberReserved,
        true
    ),
    breaking_rule!(
        "FIELD_SAME_CARDINALITY",
        &[Category::File, Category::Package],
        "Fields keep their cardinality.",
        FieldSameCardinality,
        false
    ),
    breaking_rule!(
        "FIELD_SAME_CPP_STRING_TYPE",
        &[Category::File, Category::Package],
        "String fields keep their C++ string type.",
        FieldSameCppStringType,
        false
    ),
    breaking_rule!(
        "FIELD_SAME_DEFAULT",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "Fields keep their default values.",
        FieldSameDefault,
        true
    ),
    breaking_rule!(
        "FIELD_SAME_JAVA_UTF8_VALIDATION",
        &[Category::File, Category::Package],
        "String fields keep their Java UTF-8 validation.",
        FieldSameJavaUtf8Validation,
        false
    ),
    breaking_rule!(
        "FIELD_SAME_JSON_NAME",
        &[Category::File, Category::Package, Category::WireJson],
        "Fields keep their JSON names.",
        FieldSameJsonName,
        true
    ),
    breaking_rule!(
        "FIELD_SAME_JSTYPE",
        &[Category::File, Category::Package],
        "64-bit fields keep their `jstype`.",
        FieldSameJstype,
        false
    ),
    breaking_rule!(
        "FIELD_SAME_NAME",
        &[Category::File, Category::Package, Category::WireJson],
        "Fields keep their names.",
        FieldSameName,
        true
    ),
    breaking_rule!(
        "FIELD_SAME_ONEOF",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "Fields stay in (or out of) the same oneof.",
        FieldSameOneof,
        true
    ),
    breaking_rule!(
        "FIELD_SAME_TYPE",
        &[Category::File, Category::Package],
        "Fields keep their types.",
        FieldSameType,
        false
    ),
    breaking_rule!(
        "FIELD_SAME_UTF8_VALIDATION",
        &[Category::File, Category::Package],
        "String fields keep their UTF-8 validation.",
        FieldSameUtf8Validation,
        false
    ),
    breaking_rule!(
        "FIELD_WIRE_COMPATIBLE_CARDINALITY",
        &[Category::Wire],
        "Fields keep a wire-compatible cardinality.",
        FieldWireCompatibleCardinality,
        false
    ),
    breaking_rule!(
        "FIELD_WIRE_COMPATIBLE_TYPE",
        &[Category::Wire],
        "Field type changes are wire-compatible.",
        FieldWireCompatibleType,
        false
    ),
    breaking_rule!(
        "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
        &[Category::WireJson],
        "Fields keep a wire- and JSON-compatible cardinality.",
        FieldWireJsonCompatibleCardinality,
        true
    ),
    breaking_rule!(
        "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
        &[Category::WireJson],
        "Field type changes are wire- and JSON-compatible.",
        FieldWireJsonCompatibleType,
        true
    ),
    breaking_rule!(
        "FILE_NO_DELETE",
        &[Category::File],
        "Files are not deleted.",
        FileNoDelete,
        false
    ),
    breaking_rule!(
        "FILE_SAME_CC_ENABLE_ARENAS",
        &[Category::File, Category::Package],
        "Files keep the same `cc_enable_arenas`.",
        FileSameCcEnableArenas,
        false
    ),
    breaking_rule!(
        "FILE_SAME_CC_GENERIC_SERVICES",
        &[Category::File, Category::Package],
        "Files keep the same `cc_generic_services`.",
        FileSameCcGenericServices,
        false
    ),
    breaking_rule!(
        "FILE_SAME_CSHARP_NAMESPACE",
        &[Category::File, Category::Package],
        "Files keep the same `csharp_namespace`.",
        FileSameCsharpNamespace,
        false
    ),
    breaking_rule!(
        "FILE_SAME_GO_PACKAGE",
        &[Category::File, Category::Package],
        "Files keep the same `go_package`.",
        FileSameGoPackage,
        false
    ),
    breaking_rule!(
        "FILE_SAME_JAVA_GENERIC_SERVICES",
        &[Category::File, Category::Package],
        "Files keep the same `java_generic_services`.",
        FileSameJavaGenericServices,
        false
    ),
    breaking_rule!(
        "FILE_SAME_JAVA_MULTIPLE_FILES",
        &[Category::File, Category::Package],
        "Files keep the same `java_multiple_files`.",
        FileSameJavaMultipleFiles,
        false
    ),
    breaking_rule!(
        "FILE_SAME_JAVA_OUTER_CLASSNAME",
        &[Category::File, Category::Package],
        "Files keep the same `java_outer_classname`.",
        FileSameJavaOuterClassname,
        false
    ),
    breaking_rule!(
        "FILE_SAME_JAVA_PACKAGE",
        &[Category::File, Category::Package],
        "Files keep the same `java_package`.",
        FileSameJavaPackage,
        false
    ),
    breaking_rule!(
        "FILE_SAME_OBJC_CLASS_PREFIX",
        &[Category::File, Category::Package],
        "Files keep the same `objc_class_prefix`.",
        FileSameObjcClassPrefix,
        false
    ),
    breaking_rule!(
        "FILE_SAME_OPTIMIZE_FOR",
        &[Category::File, Category::Package],
        "Files keep the same `optimize_for`.",
        FileSameOptimizeFor,
        false
    ),
    breaking_rule!(
        "FILE_SAME_PACKAGE",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "Files keep the same package.",
        FileSamePackage,
        true
    ),
    breaking_rule!(
        "FILE_SAME_PHP_CLASS_PREFIX",
        &[Category::File, Category::Package],
        "Files keep the same `php_class_prefix`.",
        FileSamePhpClassPrefix,
        false
    ),
    breaking_rule!(
        "FILE_SAME_PHP_METADATA_NAMESPACE",
        &[Category::File, Category::Package],
        "Files keep the same `php_metadata_namespace`.",
        FileSamePhpMetadataNamespace,
        false
    ),
    breaking_rule!(
        "FILE_SAME_PHP_NAMESPACE",
        &[Category::File, Category::Package],
        "Files keep the same `php_namespace`.",
        FileSamePhpNamespace,
        false
    ),
    breaking_rule!(
        "FILE_SAME_PY_GENERIC_SERVICES",
        &[Category::File, Category::Package],
        "Files keep the same `py_generic_services`.",
        FileSamePyGenericServices,
        false
    ),
    breaking_rule!(
        "FILE_SAME_RUBY_PACKAGE",
        &[Category::File, Category::Package],
        "Files keep the same `ruby_package`.",
        FileSameRubyPackage,
        false
    ),
    breaking_rule!(
        "FILE_SAME_SWIFT_PREFIX",
        &[Category::File, Category::Package],
        "Files keep the same `swift_prefix`.",
        FileSameSwiftPrefix,
        false
    ),
    breaking_rule!(
        "FILE_SAME_SYNTAX",
        &[Category::File, Category::Package],
        "Files keep the same syntax.",
        FileSameSyntax,
        false
    ),
    breaking_rule!(
        "MESSAGE_NO_DELETE",
        &[Category::File],
        "Messages are not deleted from a file.",
        MessageNoDelete,
        false
    ),
    breaking_rule!(
        "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
        &[Category::File, Category::Package],
        "Messages keep their standard descriptor accessor.",
        MessageNoRemoveStandardDescriptorAccessor,
        false
    ),
    breaking_rule!(
        "MESSAGE_SAME_JSON_FORMAT",
        &[Category::File, Category::Package, Category::WireJson],
        "Messages keep JSON support.",
        MessageSameJsonFormat,
        true
    ),
    breaking_rule!(
        "MESSAGE_SAME_REQUIRED_FIELDS",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "No required field is added or deleted.",
        MessageSameRequiredFields,
        true
    ),
    breaking_rule!(
        "ONEOF_NO_DELETE",
        &[Category::File, Category::Package],
        "Oneofs are not deleted.",
        OneofNoDelete,
        false
    ),
    breaking_rule!(
        "PACKAGE_ENUM_NO_DELETE",
        &[Category::Package],
        "Enums are not deleted from a package.",
        PackageEnumNoDelete,
        false
    ),
    breaking_rule!(
        "PACKAGE_EXTENSION_NO_DELETE",
        &[Category::Package],
        "Extensions are not deleted from a package.",
        PackageExtensionNoDelete,
        false
    ),
    breaking_rule!(
        "PACKAGE_MESSAGE_NO_DELETE",
        &[Category::Package],
        "Messages are not deleted from a package.",
        PackageMessageNoDelete,
        false
    ),
    breaking_rule!(
        "PACKAGE_NO_DELETE",
        &[Category::Package],
        "Packages are not deleted.",
        PackageNoDelete,
        false
    ),
    breaking_rule!(
        "PACKAGE_SERVICE_NO_DELETE",
        &[Category::Package],
        "Services are not deleted from a package.",
        PackageServiceNoDelete,
        false
    ),
    breaking_rule!(
        "RESERVED_ENUM_NO_DELETE",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "Reserved numbers and names of a enum are not deleted.",
        ReservedEnumNoDelete,
        true
    ),
    breaking_rule!(
        "RESERVED_MESSAGE_NO_DELETE",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "Reserved numbers and names of a message are not deleted.",
        ReservedMessageNoDelete,
        true
    ),
    breaking_rule!(
        "RPC_NO_DELETE",
        &[Category::File, Category::Package],
        "RPCs are not deleted.",
        RpcNoDelete,
        false
    ),
    breaking_rule!(
        "RPC_SAME_CLIENT_STREAMING",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "RPCs keep their client streaming.",
        RpcSameClientStreaming,
        true
    ),
    breaking_rule!(
        "RPC_SAME_IDEMPOTENCY_LEVEL",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "RPCs keep their idempotency level.",
        RpcSameIdempotencyLevel,
        true
    ),
    breaking_rule!(
        "RPC_SAME_REQUEST_TYPE",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "RPCs keep their request type.",
        RpcSameRequestType,
        true
    ),
    breaking_rule!(
        "RPC_SAME_RESPONSE_TYPE",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "RPCs keep their response type.",
        RpcSameResponseType,
        true
    ),
    breaking_rule!(
        "RPC_SAME_SERVER_STREAMING",
        &[
            Category::File,
            Category::Package,
            Category::WireJson,
            Category::Wire
        ],
        "RPCs keep their server streaming.",
        RpcSameServerStreaming,
        true
    ),
    breaking_rule!(
        "SERVICE_NO_DELETE",
        &[Category::File],
        "Services are not deleted from a file.",
        ServiceNoDelete,
        false
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
        for kind in [RuleKind::Lint, RuleKind::Breaking] {
            let ids: Vec<&str> = RULES[1..]
                .iter()
                .filter(|r| r.kind == kind && !LEDGER.contains(&r.id))
                .map(|r| r.id)
                .collect();
            for pair in ids.windows(2) {
                assert!(pair[0] < pair[1], "{} / {} out of order", pair[0], pair[1]);
            }
        }
        let mut all: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), RULES.len(), "rule IDs are unique");
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
            match rule.kind {
                RuleKind::Lint => assert_eq!(
                    rule.lint.is_none(),
                    rule.id == "COMPILE" || rule.id == "FORMAT" || LEDGER.contains(&rule.id),
                    "{}",
                    rule.id
                ),
                RuleKind::Breaking => assert!(rule.breaking.is_some() && rule.lint.is_none()),
            }
        }
    }
}
