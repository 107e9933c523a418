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

/// buf's rule categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Minimal,
    Basic,
    Standard,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Minimal => "MINIMAL",
            Category::Basic => "BASIC",
            Category::Standard => "STANDARD",
        }
    }
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
        RuleInfo {
            id: $id,
            kind: RuleKind::Lint,
            categories: $cats,
            default: true,
            summary: $summary,
            buf: Some($id),
            doc: $ty::DOC,
            lint: Some(&$ty),
        }
    };
}

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
        "ENUM_ZERO_VALUE_SUFFIX",
        STANDARD,
        "The zero value of every enum ends in `_UNSPECIFIED`.",
        EnumZeroValueSuffix
    ),
    lint_rule!(
        "FIELD_LOWER_SNAKE_CASE",
        BASIC,
        "Field names are lower_snake_case.",
        FieldLowerSnakeCase
    ),
    lint_rule!("IMPORT_USED", BASIC, "Every import is used.", ImportUsed),
    lint_rule!(
        "MESSAGE_PASCAL_CASE",
        BASIC,
        "Message names are PascalCase.",
        MessagePascalCase
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
        "PACKAGE_SAME_DIRECTORY",
        MINIMAL,
        "All files of a package are in one directory.",
        PackageSameDirectory
    ),
    lint_rule!(
        "PACKAGE_VERSION_SUFFIX",
        STANDARD,
        "The last package component is a version (`v1`, `v1beta1`, ...).",
        PackageVersionSuffix
    ),
    lint_rule!(
        "RPC_PASCAL_CASE",
        BASIC,
        "RPC names are PascalCase.",
        RpcPascalCase
    ),
    lint_rule!(
        "SERVICE_PASCAL_CASE",
        BASIC,
        "Service names are PascalCase.",
        ServicePascalCase
    ),
    lint_rule!(
        "SYNTAX_SPECIFIED",
        BASIC,
        "Every file declares its syntax.",
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
