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

// Lint categories nest: a MINIMAL rule is in BASIC and STANDARD too.
const MINIMAL: &[Category] = &[Category::Minimal, Category::Basic, Category::Standard];
const BASIC: &[Category] = &[Category::Basic, Category::Standard];
const STANDARD: &[Category] = &[Category::Standard];
// Breaking categories nest the other way: a WIRE rule is in WIRE_JSON, PACKAGE and FILE too.
const FILE: &[Category] = &[Category::File];
const PACKAGE: &[Category] = &[Category::File, Category::Package];
const WIRE_JSON: &[Category] = &[Category::File, Category::Package, Category::WireJson];
const WIRE: &[Category] = &[
    Category::File,
    Category::Package,
    Category::WireJson,
    Category::Wire,
];

/// One row of the rule table.
pub struct RuleInfo {
    /// Upper-snake ID; buf's ID where buf has the same check.
    pub id: &'static str,
    pub kind: RuleKind,
    pub categories: &'static [Category],
    /// On when no configuration says otherwise.
    pub default: bool,
    /// The buf rule with the same meaning, if any.
    pub buf: Option<&'static str>,
    /// A summary paragraph, then What it does / Why / Example / Fix.
    pub doc: &'static str,
    /// The implementation of a lint rule; `None` for `COMPILE` (the loader reports it) and for
    /// breaking rules.
    pub lint: Option<&'static dyn LintRule>,
    /// The implementation of a breaking rule.
    pub breaking: Option<&'static dyn BreakingRule>,
}

impl RuleInfo {
    /// The first paragraph of the rule's documentation, on one line (for tables).
    pub fn summary(&self) -> String {
        let lines: Vec<&str> = self
            .doc
            .lines()
            .map(str::trim)
            .take_while(|line| !line.is_empty())
            .collect();
        lines.join(" ")
    }

    /// The documentation after the summary: What it does, Why, Example, Fix.
    pub fn details(&self) -> &'static str {
        let doc = self.doc.trim_start_matches('\n');
        match doc.find("\n\n") {
            Some(end) => doc[end..].trim_start_matches('\n'),
            None => doc,
        }
    }
}

/// Whether a rule is on when no configuration names it, from its kind and categories: a lint
/// rule in MINIMAL, BASIC or STANDARD, a breaking rule in WIRE_JSON (protoforge.toml's
/// defaults).
const fn on_by_default(kind: RuleKind, categories: &[Category]) -> bool {
    let mut i = 0;
    while i < categories.len() {
        let on = match kind {
            RuleKind::Lint => matches!(
                categories[i],
                Category::Minimal | Category::Basic | Category::Standard
            ),
            RuleKind::Breaking => matches!(categories[i], Category::WireJson),
        };
        if on {
            return true;
        }
        i += 1;
    }
    false
}

/// `MINIMAL` or `[File Package]`: the categories of a row of the table.
macro_rules! categories {
    ([$($category:ident)*]) => {
        &[$(Category::$category),*]
    };
    ($name:ident) => {
        $name
    };
}

/// The default of a row: `on`/`off` when written, else what the categories give.
macro_rules! default {
    ($kind:expr, $categories:expr, on) => {
        true
    };
    ($kind:expr, $categories:expr, off) => {
        false
    };
    ($kind:expr, $categories:expr,) => {
        on_by_default($kind, $categories)
    };
}

/// One row of the table as a [`RuleInfo`].
macro_rules! rule {
    (lint $id:ident $categories:tt $ty:ident $($default:ident)?) => {
        rule!(@ RuleKind::Lint, $id, $categories, $ty, Some(stringify!($id)), $ty::DOC,
            Some(&$ty), None, $($default)?)
    };
    (own $id:ident $categories:tt $ty:ident $($default:ident)?) => {
        rule!(@ RuleKind::Lint, $id, $categories, $ty, None, $ty::DOC, Some(&$ty), None,
            $($default)?)
    };
    (core $id:ident $categories:tt $ty:ident $($default:ident)?) => {
        rule!(@ RuleKind::Lint, $id, $categories, $ty, None, $ty::DOC, None, None, $($default)?)
    };
    (ledger $id:ident $categories:tt $ty:ident $($default:ident)?) => {
        rule!(@ RuleKind::Lint, $id, [], $ty, None, super::ledger::$ty::DOC, None, None, on)
    };
    (breaking $id:ident $categories:tt $ty:ident $($default:ident)?) => {
        rule!(@ RuleKind::Breaking, $id, $categories, $ty, Some(stringify!($id)),
            breaking::$ty::DOC, None, Some(&breaking::$ty), $($default)?)
    };
    (@ $kind:expr, $id:ident, $categories:tt, $ty:ident, $buf:expr, $doc:expr, $lint:expr,
        $breaking:expr, $($default:ident)?) => {
        RuleInfo {
            id: stringify!($id),
            kind: $kind,
            categories: categories!($categories),
            default: default!($kind, categories!($categories), $($default)?),
            buf: $buf,
            doc: $doc,
            lint: $lint,
            breaking: $breaking,
        }
    };
}

/// The table: a slice of rows.
macro_rules! rules {
    ($($kind:ident $id:ident $categories:tt $ty:ident $($default:ident)?;)*) => {
        &[$(rule!($kind $id $categories $ty $($default)?)),*]
    };
}

impl std::fmt::Debug for RuleInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleInfo")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
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

const COMMENTS: &[Category] = &[Category::Comments];
const UNARY_RPC: &[Category] = &[Category::UnaryRpc];

/// The rule table, one row per rule: `kind ID categories implementation [on|off];`.
///
/// - kind: `lint` (buf's rule, same ID), `own` (protoforge's lint rule), `breaking` (buf's),
///   `ledger` (protoforge.lock's, checked by `crate::ledger`), `core` (checked outside rule
///   dispatch: the loader's COMPILE, `check`'s FORMAT);
/// - categories: a constant (`MINIMAL`, `BASIC`, ...) or a list of `Category` variants;
/// - implementation: the type whose doc comment is the rule's documentation (its first paragraph
///   the summary) and, for `lint`, `own` and `breaking`, its implementation;
/// - on/off: only where the default does not follow from the categories (a lint rule is on in
///   MINIMAL, BASIC and STANDARD, a breaking rule in WIRE_JSON, as protoforge.toml's defaults
///   are; the ledger's are on).
pub static RULES: &[RuleInfo] = rules! {
    // kind  ID                                             categories      implementation
    core     COMPILE                                        []              Compile on;
    lint     COMMENT_ENUM                                   COMMENTS        CommentEnum;
    lint     COMMENT_ENUM_VALUE                             COMMENTS        CommentEnumValue;
    lint     COMMENT_FIELD                                  COMMENTS        CommentField;
    lint     COMMENT_MESSAGE                                COMMENTS        CommentMessage;
    lint     COMMENT_ONEOF                                  COMMENTS        CommentOneof;
    lint     COMMENT_RPC                                    COMMENTS        CommentRpc;
    lint     COMMENT_SERVICE                                COMMENTS        CommentService;
    lint     DIRECTORY_SAME_PACKAGE                         MINIMAL         DirectorySamePackage;
    lint     ENUM_FIRST_VALUE_ZERO                          BASIC           EnumFirstValueZero;
    lint     ENUM_NO_ALLOW_ALIAS                            BASIC           EnumNoAllowAlias;
    lint     ENUM_PASCAL_CASE                               BASIC           EnumPascalCase;
    lint     ENUM_VALUE_PREFIX                              STANDARD        EnumValuePrefix;
    lint     ENUM_VALUE_UPPER_SNAKE_CASE                    BASIC           EnumValueUpperSnakeCase;
    lint     ENUM_ZERO_VALUE_SUFFIX                         STANDARD        EnumZeroValueSuffix;
    lint     FIELD_LOWER_SNAKE_CASE                         BASIC           FieldLowerSnakeCase;
    lint     FIELD_NOT_REQUIRED                             BASIC           FieldNotRequired;
    lint     FIELD_NO_DESCRIPTOR                            []              FieldNoDescriptor;
    lint     FILE_LOWER_SNAKE_CASE                          STANDARD        FileLowerSnakeCase;
    core     FORMAT                                         []              Format off;
    own      HTTP_RULE_STREAMING                            MINIMAL         HttpRuleStreaming;
    own      HTTP_RULE_VALID                                MINIMAL         HttpRuleValid;
    lint     IMPORT_NO_PUBLIC                               BASIC           ImportNoPublic;
    lint     IMPORT_NO_WEAK                                 BASIC           ImportNoWeak;
    lint     IMPORT_USED                                    BASIC           ImportUsed;
    lint     MESSAGE_PASCAL_CASE                            BASIC           MessagePascalCase;
    own      METHOD_POLICY_VALID                            MINIMAL         MethodPolicyValid;
    lint     ONEOF_LOWER_SNAKE_CASE                         BASIC           OneofLowerSnakeCase;
    lint     PACKAGE_DEFINED                                MINIMAL         PackageDefined;
    lint     PACKAGE_DIRECTORY_MATCH                        MINIMAL         PackageDirectoryMatch;
    lint     PACKAGE_LOWER_SNAKE_CASE                       BASIC           PackageLowerSnakeCase;
    lint     PACKAGE_NO_IMPORT_CYCLE                        MINIMAL         PackageNoImportCycle;
    lint     PACKAGE_SAME_CSHARP_NAMESPACE                  BASIC           PackageSameCsharpNamespace;
    lint     PACKAGE_SAME_DIRECTORY                         MINIMAL         PackageSameDirectory;
    lint     PACKAGE_SAME_GO_PACKAGE                        BASIC           PackageSameGoPackage;
    lint     PACKAGE_SAME_JAVA_MULTIPLE_FILES               BASIC           PackageSameJavaMultipleFiles;
    lint     PACKAGE_SAME_JAVA_PACKAGE                      BASIC           PackageSameJavaPackage;
    lint     PACKAGE_SAME_PHP_NAMESPACE                     BASIC           PackageSamePhpNamespace;
    lint     PACKAGE_SAME_RUBY_PACKAGE                      BASIC           PackageSameRubyPackage;
    lint     PACKAGE_SAME_SWIFT_PREFIX                      BASIC           PackageSameSwiftPrefix;
    lint     PACKAGE_VERSION_SUFFIX                         STANDARD        PackageVersionSuffix;
    lint     PROTOVALIDATE                                  STANDARD        Protovalidate;
    lint     RPC_NO_CLIENT_STREAMING                        UNARY_RPC       RpcNoClientStreaming;
    lint     RPC_NO_SERVER_STREAMING                        UNARY_RPC       RpcNoServerStreaming;
    lint     RPC_PASCAL_CASE                                BASIC           RpcPascalCase;
    lint     RPC_REQUEST_RESPONSE_UNIQUE                    STANDARD        RpcRequestResponseUnique;
    lint     RPC_REQUEST_STANDARD_NAME                      STANDARD        RpcRequestStandardName;
    lint     RPC_RESPONSE_STANDARD_NAME                     STANDARD        RpcResponseStandardName;
    lint     SERVICE_PASCAL_CASE                            BASIC           ServicePascalCase;
    lint     SERVICE_SUFFIX                                 STANDARD        ServiceSuffix;
    lint     STABLE_PACKAGE_NO_IMPORT_UNSTABLE              []              StablePackageNoImportUnstable;
    lint     SYNTAX_SPECIFIED                               BASIC           SyntaxSpecified;
    ledger   ENUM_VALUE_NUMBER_NOT_RESERVED                 []              EnumValueNumberNotReserved;
    ledger   ENUM_VALUE_NUMBER_REUSED                       []              EnumValueNumberReused;
    ledger   FIELD_NUMBER_NOT_RESERVED                      []              FieldNumberNotReserved;
    ledger   FIELD_NUMBER_REUSED                            []              FieldNumberReused;
    breaking ENUM_NO_DELETE                                 FILE            EnumNoDelete;
    breaking ENUM_SAME_JSON_FORMAT                          WIRE_JSON       EnumSameJsonFormat;
    breaking ENUM_SAME_TYPE                                 PACKAGE         EnumSameType;
    breaking ENUM_VALUE_NO_DELETE                           PACKAGE         EnumValueNoDelete;
    breaking ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED      [WireJson]      EnumValueNoDeleteUnlessNameReserved;
    breaking ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED    [WireJson Wire] EnumValueNoDeleteUnlessNumberReserved;
    breaking ENUM_VALUE_SAME_NAME                           WIRE_JSON       EnumValueSameName;
    breaking EXTENSION_MESSAGE_NO_DELETE                    PACKAGE         ExtensionMessageNoDelete;
    breaking EXTENSION_NO_DELETE                            FILE            ExtensionNoDelete;
    breaking FIELD_NO_DELETE                                PACKAGE         FieldNoDelete;
    breaking FIELD_NO_DELETE_UNLESS_NAME_RESERVED           [WireJson]      FieldNoDeleteUnlessNameReserved;
    breaking FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED         [WireJson Wire] FieldNoDeleteUnlessNumberReserved;
    breaking FIELD_SAME_CARDINALITY                         PACKAGE         FieldSameCardinality;
    breaking FIELD_SAME_CPP_STRING_TYPE                     PACKAGE         FieldSameCppStringType;
    breaking FIELD_SAME_DEFAULT                             WIRE            FieldSameDefault;
    breaking FIELD_SAME_JAVA_UTF8_VALIDATION                PACKAGE         FieldSameJavaUtf8Validation;
    breaking FIELD_SAME_JSON_NAME                           WIRE_JSON       FieldSameJsonName;
    breaking FIELD_SAME_JSTYPE                              PACKAGE         FieldSameJstype;
    breaking FIELD_SAME_NAME                                WIRE_JSON       FieldSameName;
    breaking FIELD_SAME_ONEOF                               WIRE            FieldSameOneof;
    breaking FIELD_SAME_TYPE                                PACKAGE         FieldSameType;
    breaking FIELD_SAME_UTF8_VALIDATION                     PACKAGE         FieldSameUtf8Validation;
    breaking FIELD_WIRE_COMPATIBLE_CARDINALITY              [Wire]          FieldWireCompatibleCardinality;
    breaking FIELD_WIRE_COMPATIBLE_TYPE                     [Wire]          FieldWireCompatibleType;
    breaking FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY         [WireJson]      FieldWireJsonCompatibleCardinality;
    breaking FIELD_WIRE_JSON_COMPATIBLE_TYPE                [WireJson]      FieldWireJsonCompatibleType;
    breaking FILE_NO_DELETE                                 FILE            FileNoDelete;
    breaking FILE_SAME_CC_ENABLE_ARENAS                     PACKAGE         FileSameCcEnableArenas;
    breaking FILE_SAME_CC_GENERIC_SERVICES                  PACKAGE         FileSameCcGenericServices;
    breaking FILE_SAME_CSHARP_NAMESPACE                     PACKAGE         FileSameCsharpNamespace;
    breaking FILE_SAME_GO_PACKAGE                           PACKAGE         FileSameGoPackage;
    breaking FILE_SAME_JAVA_GENERIC_SERVICES                PACKAGE         FileSameJavaGenericServices;
    breaking FILE_SAME_JAVA_MULTIPLE_FILES                  PACKAGE         FileSameJavaMultipleFiles;
    breaking FILE_SAME_JAVA_OUTER_CLASSNAME                 PACKAGE         FileSameJavaOuterClassname;
    breaking FILE_SAME_JAVA_PACKAGE                         PACKAGE         FileSameJavaPackage;
    breaking FILE_SAME_OBJC_CLASS_PREFIX                    PACKAGE         FileSameObjcClassPrefix;
    breaking FILE_SAME_OPTIMIZE_FOR                         PACKAGE         FileSameOptimizeFor;
    breaking FILE_SAME_PACKAGE                              WIRE            FileSamePackage;
    breaking FILE_SAME_PHP_CLASS_PREFIX                     PACKAGE         FileSamePhpClassPrefix;
    breaking FILE_SAME_PHP_METADATA_NAMESPACE               PACKAGE         FileSamePhpMetadataNamespace;
    breaking FILE_SAME_PHP_NAMESPACE                        PACKAGE         FileSamePhpNamespace;
    breaking FILE_SAME_PY_GENERIC_SERVICES                  PACKAGE         FileSamePyGenericServices;
    breaking FILE_SAME_RUBY_PACKAGE                         PACKAGE         FileSameRubyPackage;
    breaking FILE_SAME_SWIFT_PREFIX                         PACKAGE         FileSameSwiftPrefix;
    breaking FILE_SAME_SYNTAX                               PACKAGE         FileSameSyntax;
    breaking MESSAGE_NO_DELETE                              FILE            MessageNoDelete;
    breaking MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR PACKAGE         MessageNoRemoveStandardDescriptorAccessor;
    breaking MESSAGE_SAME_JSON_FORMAT                       WIRE_JSON       MessageSameJsonFormat;
    breaking MESSAGE_SAME_REQUIRED_FIELDS                   WIRE            MessageSameRequiredFields;
    breaking ONEOF_NO_DELETE                                PACKAGE         OneofNoDelete;
    breaking PACKAGE_ENUM_NO_DELETE                         [Package]       PackageEnumNoDelete;
    breaking PACKAGE_EXTENSION_NO_DELETE                    [Package]       PackageExtensionNoDelete;
    breaking PACKAGE_MESSAGE_NO_DELETE                      [Package]       PackageMessageNoDelete;
    breaking PACKAGE_NO_DELETE                              [Package]       PackageNoDelete;
    breaking PACKAGE_SERVICE_NO_DELETE                      [Package]       PackageServiceNoDelete;
    breaking RESERVED_ENUM_NO_DELETE                        WIRE            ReservedEnumNoDelete;
    breaking RESERVED_MESSAGE_NO_DELETE                     WIRE            ReservedMessageNoDelete;
    breaking RPC_NO_DELETE                                  PACKAGE         RpcNoDelete;
    breaking RPC_SAME_CLIENT_STREAMING                      WIRE            RpcSameClientStreaming;
    breaking RPC_SAME_IDEMPOTENCY_LEVEL                     WIRE            RpcSameIdempotencyLevel;
    breaking RPC_SAME_REQUEST_TYPE                          WIRE            RpcSameRequestType;
    breaking RPC_SAME_RESPONSE_TYPE                         WIRE            RpcSameResponseType;
    breaking RPC_SAME_SERVER_STREAMING                      WIRE            RpcSameServerStreaming;
    breaking SERVICE_NO_DELETE                              FILE            ServiceNoDelete;
};

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
            let summary = rule.summary();
            assert!(
                !summary.is_empty() && !summary.starts_with('#') && summary.ends_with('.'),
                "{}: the doc starts with a one-paragraph summary, not `{summary}`",
                rule.id
            );
            assert!(
                rule.details().trim_start().starts_with("## What it does"),
                "{}: What it does follows the summary",
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
