//! The lint policy of a run, resolved from protoforge.toml or buf.yaml: which rules run, at what
//! severity, where they are ignored, and their options.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::buf_rules;
use super::paths::PathSet;
use crate::diagnostic::Severity;
use crate::rules::RuleOptions;
use crate::rules::registry::{self, RULES, RuleInfo, RuleKind};

/// `error`, `warning` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// A name written in a config file (a rule ID or category) and where.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub span: Option<Range<usize>>,
}

/// The lint settings as written, before names are checked against the registry.
#[derive(Debug, Clone, Default)]
pub struct LintSpec {
    pub use_: Option<Vec<Named>>,
    pub except: Vec<Named>,
    pub ignore: Vec<String>,
    pub ignore_only: Vec<(Named, Vec<String>)>,
    pub severity: Vec<(Named, Level)>,
    pub baseline: Option<PathBuf>,
    pub inline_ignores: Option<bool>,
    pub enum_zero_value_suffix: Option<String>,
    pub rpc_allow_same_request_response: Option<bool>,
    pub rpc_allow_google_protobuf_empty_requests: Option<bool>,
    pub rpc_allow_google_protobuf_empty_responses: Option<bool>,
    pub service_suffix: Option<String>,
    /// Whose rule set names are read in: buf v1beta1 and v1 have categories, defaults and
    /// deprecated IDs of their own.
    pub dialect: Dialect,
    /// Breaking only: no finding in alpha, beta or test packages.
    pub ignore_unstable_packages: Option<bool>,
}

/// The rule set a configuration's names refer to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    /// protoforge.toml and buf.yaml `version: v2`: the registry's categories (buf v2's).
    #[default]
    V2,
    /// buf.yaml `version: v1`.
    BufV1,
    /// buf.yaml `version: v1beta1`, or a buf.yaml without a version.
    BufV1Beta1,
}

impl Dialect {
    /// The dialect of a buf.yaml `version:` value.
    pub fn of_buf_version(version: &str) -> Dialect {
        match version {
            "v2" => Dialect::V2,
            "v1" => Dialect::BufV1,
            _ => Dialect::BufV1Beta1,
        }
    }

    /// buf's own table for the older versions; None for v2 (the registry is the table).
    fn table(self) -> Option<&'static [buf_rules::SpecRow]> {
        match self {
            Dialect::V2 => None,
            Dialect::BufV1 => Some(buf_rules::V1),
            Dialect::BufV1Beta1 => Some(buf_rules::V1BETA1),
        }
    }

    /// The rule IDs a name stands for in this dialect (deprecated IDs replaced), or None when
    /// the name is unknown here.
    fn rule_ids(self, name: &str) -> Option<Vec<&'static str>> {
        let deprecated = buf_rules::DEPRECATED
            .iter()
            .find(|(id, _)| *id == name)
            .map(|(_, replacements)| replacements.to_vec());
        let Some(table) = self.table() else {
            if buf_rules::DEPRECATED_IN_V2.contains(&name) {
                return deprecated;
            }
            return registry::expand(name).map(|rules| rules.iter().map(|r| r.id).collect());
        };
        if let Some(&(id, _, _)) = table.iter().find(|(id, _, _)| *id == name) {
            return Some(deprecated.unwrap_or_else(|| vec![id]));
        }
        let mut members: Vec<&'static str> = table
            .iter()
            .filter(|(_, _, categories)| categories.contains(&name))
            .map(|(id, _, _)| *id)
            .collect();
        // protoforge's own rules (not buf's) keep the categories the registry gives them.
        if !members.is_empty()
            && let Some(category) = registry::Category::parse(name)
        {
            members.extend(
                RULES
                    .iter()
                    .filter(|r| r.buf.is_none() && r.categories.contains(&category))
                    .map(|r| r.id),
            );
        }
        (!members.is_empty()).then_some(members)
    }

    /// The rules on when `use` is not given.
    fn defaults(self, kind: RuleKind) -> Vec<&'static RuleInfo> {
        match self.table() {
            None => RULES
                .iter()
                .filter(|r| r.kind == kind && r.default)
                .collect(),
            Some(table) => table
                .iter()
                .filter(|(_, default, _)| *default)
                .filter_map(|(id, _, _)| registry::get(id))
                .chain(RULES.iter().filter(|r| r.buf.is_none() && r.default))
                .filter(|r| r.kind == kind)
                .collect(),
        }
    }
}

/// What is wrong with a spec, and where.
#[derive(Debug, Clone)]
pub struct SpecError {
    pub message: String,
    pub span: Option<Range<usize>>,
    pub help: Option<String>,
}

/// The resolved policy.
#[derive(Debug, Clone)]
pub struct LintPolicy {
    /// Enabled rules and their severity. COMPILE is always present.
    pub rules: BTreeMap<&'static str, Severity>,
    pub ignore: PathSet,
    pub ignore_only: Vec<(&'static str, PathSet)>,
    pub options: RuleOptions,
    pub inline_ignores: bool,
    /// Findings recorded here are not reported again.
    pub baseline: Option<PathBuf>,
    /// Lint or breaking.
    pub kind: RuleKind,
    /// Breaking: findings in alpha, beta and test packages are dropped (buf's
    /// `ignore_unstable_packages`).
    pub ignore_unstable_packages: bool,
}

impl LintPolicy {
    /// The default policy: STANDARD at error severity.
    pub fn default_for(base: &Path) -> LintPolicy {
        LintSpec::default()
            .resolve(base)
            .expect("the default spec is valid")
    }

    /// Severity of `rule` for the file at `path`, or None when it is off or ignored there.
    pub fn severity(&self, rule: &str, path: &Path) -> Option<Severity> {
        // FORMAT is asked for by `[format] check`, not by the rule lists.
        let severity = match self.rules.get(rule) {
            Some(s) => *s,
            None if rule == "FORMAT" => Severity::Error,
            None => return None,
        };
        if rule == "COMPILE" {
            return Some(severity);
        }
        if self.ignore.matches(path) {
            return None;
        }
        if self
            .ignore_only
            .iter()
            .any(|(id, set)| *id == rule && set.matches(path))
        {
            return None;
        }
        Some(severity)
    }

    /// Enabled rules of the policy's kind, for running.
    pub fn enabled(&self) -> impl Iterator<Item = &'static RuleInfo> + '_ {
        RULES
            .iter()
            .filter(|r| r.kind == self.kind && self.rules.contains_key(r.id))
    }
}

fn unknown(named: &Named) -> SpecError {
    SpecError {
        message: format!("unknown rule or category `{}`", named.name),
        span: named.span.clone(),
        help: Some(match registry::suggest(&named.name) {
            Some(s) => format!("did you mean `{s}`? `protoforge rules` lists every rule"),
            None => "`protoforge rules` lists every rule and category".to_owned(),
        }),
    }
}

/// An unknown name, with a hint when another buf.yaml version knows it (a v1beta1 category in a
/// v1 file, a deprecated ID in protoforge.toml).
fn unknown_in(named: &Named, dialect: Dialect) -> SpecError {
    let mut err = unknown(named);
    let name = named.name.as_str();
    if let Some((_, replacements)) = buf_rules::DEPRECATED.iter().find(|(id, _)| *id == name) {
        err.help = Some(if replacements.is_empty() {
            format!("buf deprecated `{name}` and it checks nothing any more: remove it")
        } else {
            format!(
                "buf deprecated `{name}`; its replacement is {}",
                replacements
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        return err;
    }
    let known_in = [
        (Dialect::BufV1Beta1, "v1beta1"),
        (Dialect::BufV1, "v1"),
        (Dialect::V2, "v2 (and protoforge.toml)"),
    ]
    .into_iter()
    .filter(|(other, _)| *other != dialect && other.rule_ids(name).is_some())
    .map(|(_, version)| version)
    .collect::<Vec<_>>();
    if !known_in.is_empty() {
        err.help = Some(format!(
            "`{name}` exists in buf.yaml version {} only; `protoforge rules` lists what this file can name",
            known_in.join(" and ")
        ));
    }
    err
}

fn expand(
    named: &Named,
    dialect: Dialect,
    kind: RuleKind,
) -> Result<Vec<&'static RuleInfo>, SpecError> {
    let ids = dialect
        .rule_ids(&named.name)
        .ok_or_else(|| unknown_in(named, dialect))?;
    if let Some(rule) = registry::get(&named.name).filter(|r| r.kind != kind) {
        return Err(SpecError {
            message: format!(
                "`{}` is a {} rule, not a {} rule",
                rule.id,
                rule.kind.as_str(),
                kind.as_str()
            ),
            span: named.span.clone(),
            help: Some(format!("move it to the [{}] section", rule.kind.as_str())),
        });
    }
    // Names buf knows that protoforge does not implement yet (registry::PLANNED) select nothing.
    Ok(ids
        .into_iter()
        .filter_map(registry::get)
        .filter(|r| r.kind == kind)
        .collect())
}

fn paths(
    base: &Path,
    patterns: &[String],
    span: Option<Range<usize>>,
) -> Result<PathSet, SpecError> {
    PathSet::new(base, patterns).map_err(|(pattern, reason)| SpecError {
        message: format!("invalid path pattern `{pattern}`: {reason}"),
        span,
        help: Some(
            "patterns are globs relative to the configuration file, such as `proto/vendor/**`"
                .into(),
        ),
    })
}

/// buf's breaking category when `use` is absent: what a buf.yaml without `breaking.use` means,
/// in every version, and what a run with no configuration file means.
pub const BUF_BREAKING_DEFAULT: &str = "FILE";

impl LintSpec {
    /// `use: [FILE]`, buf's breaking default ([`BUF_BREAKING_DEFAULT`]).
    pub fn buf_breaking_default() -> LintSpec {
        LintSpec {
            use_: Some(vec![Named {
                name: BUF_BREAKING_DEFAULT.into(),
                span: None,
            }]),
            ..LintSpec::default()
        }
    }

    /// Checks every name against the registry and builds the lint policy. Paths are relative to
    /// `base`.
    pub fn resolve(&self, base: &Path) -> Result<LintPolicy, SpecError> {
        self.resolve_kind(base, RuleKind::Lint)
    }

    /// Like `resolve`, for lint or breaking rules.
    pub fn resolve_kind(&self, base: &Path, kind: RuleKind) -> Result<LintPolicy, SpecError> {
        let mut selected: BTreeMap<&'static str, &'static RuleInfo> = BTreeMap::new();
        match &self.use_ {
            None => {
                for rule in self.dialect.defaults(kind) {
                    selected.insert(rule.id, rule);
                }
            }
            Some(names) => {
                for named in names {
                    for rule in expand(named, self.dialect, kind)? {
                        selected.insert(rule.id, rule);
                    }
                }
                // The ledger's rules are on whenever protoforge.lock exists: no `use` list (a
                // buf.yaml's least of all) names them, so only `except` or a severity turns
                // them off.
                for id in registry::LEDGER {
                    if let Some(rule) = registry::get(id).filter(|r| r.kind == kind) {
                        selected.insert(rule.id, rule);
                    }
                }
            }
        }
        let mut excepted = std::collections::BTreeSet::new();
        for named in &self.except {
            let rules = expand(named, self.dialect, kind)?;
            if rules.iter().any(|r| r.id == "COMPILE") {
                return Err(compile_always_on(named));
            }
            for rule in rules {
                selected.remove(rule.id);
                excepted.insert(rule.id);
            }
        }

        // Severity: a rule's own entry wins over its categories' (the narrowest category first).
        let mut by_rule: BTreeMap<&str, Level> = BTreeMap::new();
        let mut by_category: BTreeMap<registry::Category, Level> = BTreeMap::new();
        for (named, level) in &self.severity {
            if let Some(rule) = registry::get(&named.name) {
                if rule.id == "COMPILE" && *level != Level::Error {
                    return Err(compile_always_on(named));
                }
                by_rule.insert(rule.id, *level);
            } else if let Some(category) = registry::Category::parse(&named.name) {
                by_category.insert(category, *level);
            } else {
                return Err(unknown(named));
            }
        }
        let mut rules = BTreeMap::new();
        rules.insert("COMPILE", Severity::Error);
        for rule in RULES.iter().filter(|r| r.kind == kind && r.id != "COMPILE") {
            let explicit = by_rule.get(rule.id).copied().or_else(|| {
                rule.categories
                    .iter()
                    .find_map(|c| by_category.get(c).copied())
            });
            let level = match (selected.contains_key(rule.id), explicit) {
                _ if excepted.contains(rule.id) => Level::Off,
                // A severity entry turns a rule on as well as setting its level.
                (_, Some(level)) => level,
                (true, None) if registry::WARNING_BY_DEFAULT.contains(&rule.id) => Level::Warning,
                (true, None) => Level::Error,
                (false, None) => Level::Off,
            };
            match level {
                Level::Error => rules.insert(rule.id, Severity::Error),
                Level::Warning => rules.insert(rule.id, Severity::Warning),
                Level::Off => None,
            };
        }

        let ignore = paths(base, &self.ignore, None)?;
        let mut ignore_only = Vec::new();
        for (named, patterns) in &self.ignore_only {
            let set = paths(base, patterns, named.span.clone())?;
            for rule in expand(named, self.dialect, kind)? {
                ignore_only.push((rule.id, set.clone()));
            }
        }
        let defaults = RuleOptions::default();
        let options = RuleOptions {
            enum_zero_value_suffix: self
                .enum_zero_value_suffix
                .clone()
                .unwrap_or(defaults.enum_zero_value_suffix),
            rpc_allow_same_request_response: self
                .rpc_allow_same_request_response
                .unwrap_or(defaults.rpc_allow_same_request_response),
            rpc_allow_google_protobuf_empty_requests: self
                .rpc_allow_google_protobuf_empty_requests
                .unwrap_or(defaults.rpc_allow_google_protobuf_empty_requests),
            rpc_allow_google_protobuf_empty_responses: self
                .rpc_allow_google_protobuf_empty_responses
                .unwrap_or(defaults.rpc_allow_google_protobuf_empty_responses),
            service_suffix: self
                .service_suffix
                .clone()
                .unwrap_or(defaults.service_suffix),
        };
        Ok(LintPolicy {
            rules,
            ignore,
            ignore_only,
            options,
            inline_ignores: self.inline_ignores.unwrap_or(true),
            baseline: self.baseline.as_ref().map(|b| base.join(b)),
            kind,
            ignore_unstable_packages: self.ignore_unstable_packages.unwrap_or(false),
        })
    }
}

fn compile_always_on(named: &Named) -> SpecError {
    SpecError {
        message: "COMPILE cannot be turned off".into(),
        span: named.span.clone(),
        help: Some(
            "a file that does not compile cannot be checked; fix the compile error instead".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(n: &str) -> Named {
        Named {
            name: n.into(),
            span: None,
        }
    }

    fn ids(dialect: Dialect, kind: RuleKind, names: Option<&[&str]>) -> Vec<&'static str> {
        let spec = LintSpec {
            use_: names.map(|n| n.iter().map(|n| named(n)).collect()),
            dialect,
            ..LintSpec::default()
        };
        let p = spec.resolve_kind(Path::new("/"), kind).unwrap();
        // COMPILE and the ledger's rules are always there.
        p.rules
            .keys()
            .copied()
            .filter(|id| *id != "COMPILE" && !registry::LEDGER.contains(id))
            .collect()
    }

    #[test]
    fn buf_versions_have_their_own_categories_and_defaults() {
        use Dialect::*;
        // v1beta1's style categories and its MINIMAL, which holds FIELD_NO_DESCRIPTOR.
        assert_eq!(
            ids(BufV1Beta1, RuleKind::Lint, Some(&["STYLE_BASIC"])),
            [
                "ENUM_PASCAL_CASE",
                "ENUM_VALUE_UPPER_SNAKE_CASE",
                "FIELD_LOWER_SNAKE_CASE",
                "MESSAGE_PASCAL_CASE",
                "ONEOF_LOWER_SNAKE_CASE",
                "PACKAGE_LOWER_SNAKE_CASE",
                "RPC_PASCAL_CASE",
                "SERVICE_PASCAL_CASE",
            ]
        );
        let minimal = ids(BufV1Beta1, RuleKind::Lint, Some(&["MINIMAL"]));
        assert!(
            minimal.contains(&"FIELD_NO_DESCRIPTOR")
                && minimal.contains(&"PACKAGE_SAME_GO_PACKAGE")
        );
        assert_eq!(
            ids(BufV1Beta1, RuleKind::Lint, Some(&["STYLE_DEFAULT"])),
            ids(BufV1Beta1, RuleKind::Lint, Some(&["STYLE_STANDARD"]))
        );
        // Defaults: v1beta1 has no IMPORT_USED or SYNTAX_SPECIFIED; FIELD_NO_DESCRIPTOR is on.
        let defaults = ids(BufV1Beta1, RuleKind::Lint, None);
        assert!(defaults.contains(&"FIELD_NO_DESCRIPTOR"));
        assert!(!defaults.contains(&"IMPORT_USED") && !defaults.contains(&"SYNTAX_SPECIFIED"));
        assert!(!ids(V2, RuleKind::Lint, None).contains(&"FIELD_NO_DESCRIPTOR"));
        // protoforge's own rules keep their registry categories in every version.
        for dialect in [BufV1, BufV1Beta1] {
            assert!(
                ids(dialect, RuleKind::Lint, Some(&["MINIMAL"])).contains(&"METHOD_POLICY_VALID")
            );
            assert!(ids(dialect, RuleKind::Lint, None).contains(&"HTTP_RULE_VALID"));
        }
        // v1's FILE has no EXTENSION_NO_DELETE or FIELD_SAME_DEFAULT; v2's has both.
        let v1_file = ids(BufV1, RuleKind::Breaking, Some(&["FILE"]));
        let v2_file = ids(V2, RuleKind::Breaking, Some(&["FILE"]));
        for id in ["EXTENSION_NO_DELETE", "FIELD_SAME_DEFAULT"] {
            assert!(!v1_file.contains(&id) && v2_file.contains(&id), "{id}");
        }
        // v1beta1's WIRE holds FIELD_SAME_TYPE, v2's does not.
        assert!(ids(BufV1Beta1, RuleKind::Breaking, Some(&["WIRE"])).contains(&"FIELD_SAME_TYPE"));
        assert!(!ids(V2, RuleKind::Breaking, Some(&["WIRE"])).contains(&"FIELD_SAME_TYPE"));
    }

    #[test]
    fn deprecated_ids_select_their_replacements() {
        use Dialect::*;
        assert_eq!(
            ids(BufV1, RuleKind::Breaking, Some(&["FIELD_SAME_LABEL"])),
            [
                "FIELD_SAME_CARDINALITY",
                "FIELD_WIRE_COMPATIBLE_CARDINALITY",
                "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
            ]
        );
        assert_eq!(
            ids(BufV1Beta1, RuleKind::Breaking, Some(&["FIELD_SAME_CTYPE"])),
            ["FIELD_SAME_CPP_STRING_TYPE"]
        );
        assert_eq!(
            ids(
                BufV1,
                RuleKind::Breaking,
                Some(&["FILE_SAME_JAVA_STRING_CHECK_UTF8"])
            ),
            ["FIELD_SAME_JAVA_UTF8_VALIDATION"]
        );
        // Accepted, and select nothing: buf made them no-ops.
        for dialect in [V2, BufV1, BufV1Beta1] {
            assert!(
                ids(
                    dialect,
                    RuleKind::Breaking,
                    Some(&["MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT", "FILE"])
                )
                .contains(&"FILE_NO_DELETE")
            );
        }
        // v2 no longer has the renamed ones.
        let spec = LintSpec {
            use_: Some(vec![named("FIELD_SAME_LABEL")]),
            ..LintSpec::default()
        };
        assert!(
            spec.resolve_kind(Path::new("/"), RuleKind::Breaking)
                .is_err()
        );
    }

    #[test]
    fn every_name_in_bufs_tables_is_known() {
        for (id, _, _) in buf_rules::V1BETA1.iter().chain(buf_rules::V1) {
            assert!(
                registry::get(id).is_some()
                    || registry::PLANNED.contains(id)
                    || buf_rules::DEPRECATED.iter().any(|(d, _)| d == id),
                "{id} is in buf's tables but protoforge does not know it"
            );
        }
        for (_, replacements) in buf_rules::DEPRECATED {
            for id in *replacements {
                assert!(registry::get(id).is_some(), "{id}");
            }
        }
    }

    #[test]
    fn default_is_standard() {
        let p = LintPolicy::default_for(Path::new("/"));
        assert!(p.rules.contains_key("PACKAGE_VERSION_SUFFIX"));
        assert!(p.rules.contains_key("COMPILE"));
        assert!(!p.rules.contains_key("COMMENT_FIELD"));
    }

    #[test]
    fn use_except_and_severity() {
        let spec = LintSpec {
            use_: Some(vec![named("MINIMAL"), named("COMMENT_FIELD")]),
            except: vec![named("PACKAGE_SAME_DIRECTORY")],
            severity: vec![
                (named("MINIMAL"), Level::Warning),
                (named("PACKAGE_DEFINED"), Level::Error),
                (named("UNARY_RPC"), Level::Warning),
            ],
            ..LintSpec::default()
        };
        let p = spec.resolve(Path::new("/")).unwrap();
        assert_eq!(p.rules.get("PACKAGE_DEFINED"), Some(&Severity::Error));
        assert_eq!(
            p.rules.get("PACKAGE_DIRECTORY_MATCH"),
            Some(&Severity::Warning)
        );
        assert_eq!(p.rules.get("COMMENT_FIELD"), Some(&Severity::Error));
        assert_eq!(
            p.rules.get("RPC_NO_CLIENT_STREAMING"),
            Some(&Severity::Warning)
        );
        assert!(!p.rules.contains_key("PACKAGE_SAME_DIRECTORY"));
        assert!(!p.rules.contains_key("FIELD_LOWER_SNAKE_CASE"));
    }

    #[test]
    fn unknown_names_and_compile() {
        let spec = LintSpec {
            except: vec![named("FIELD_LOWER_SNAKE")],
            ..LintSpec::default()
        };
        let err = spec.resolve(Path::new("/")).unwrap_err();
        assert!(err.message.contains("FIELD_LOWER_SNAKE"));
        assert!(err.help.unwrap().contains("FIELD_LOWER_SNAKE_CASE"));
        let spec = LintSpec {
            severity: vec![(named("COMPILE"), Level::Off)],
            ..LintSpec::default()
        };
        assert!(spec.resolve(Path::new("/")).is_err());
    }

    #[test]
    fn names_from_other_versions_say_where_they_belong() {
        let help = |name: &str, dialect: Dialect, kind: RuleKind| {
            let spec = LintSpec {
                use_: Some(vec![named(name)]),
                dialect,
                ..LintSpec::default()
            };
            spec.resolve_kind(Path::new("/"), kind)
                .unwrap_err()
                .help
                .unwrap()
        };
        let h = help("STYLE_BASIC", Dialect::BufV1, RuleKind::Lint);
        assert!(h.contains("version v1beta1 only"), "{h}");
        let h = help("FIELD_SAME_LABEL", Dialect::V2, RuleKind::Breaking);
        assert!(h.contains("`FIELD_SAME_CARDINALITY`"), "{h}");
        let h = help(
            "FILE_SAME_PHP_GENERIC_SERVICES",
            Dialect::V2,
            RuleKind::Breaking,
        );
        assert!(h.contains("remove it"), "{h}");
    }
}
