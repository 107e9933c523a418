//! The lint policy of a run, resolved from protoforge.toml or buf.yaml: which rules run, at what
//! severity, where they are ignored, and their options.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

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
    /// buf.yaml v1 semantics: PACKAGE_NO_IMPORT_CYCLE is in no category and FIELD_NOT_REQUIRED
    /// does not exist, so categories (and the default) leave them out.
    pub buf_v1: bool,
}

/// Rules that buf v1 categories do not contain.
const NOT_IN_V1_CATEGORIES: &[&str] = &["PACKAGE_NO_IMPORT_CYCLE", "FIELD_NOT_REQUIRED"];

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
        let severity = *self.rules.get(rule)?;
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

fn expand(
    named: &Named,
    buf_v1: bool,
    kind: RuleKind,
) -> Result<Vec<&'static RuleInfo>, SpecError> {
    let rules = registry::expand(&named.name).ok_or_else(|| unknown(named))?;
    let is_category = registry::get(&named.name).is_none();
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
    Ok(rules
        .into_iter()
        .filter(|r| r.kind == kind)
        .filter(|r| !(buf_v1 && is_category && NOT_IN_V1_CATEGORIES.contains(&r.id)))
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

impl LintSpec {
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
                for rule in RULES.iter().filter(|r| r.kind == kind && r.default) {
                    if !(self.buf_v1 && NOT_IN_V1_CATEGORIES.contains(&rule.id)) {
                        selected.insert(rule.id, rule);
                    }
                }
            }
            Some(names) => {
                for named in names {
                    for rule in expand(named, self.buf_v1, kind)? {
                        selected.insert(rule.id, rule);
                    }
                }
            }
        }
        let mut excepted = std::collections::BTreeSet::new();
        for named in &self.except {
            let rules = expand(named, false, kind)?;
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
            for rule in expand(named, false, kind)? {
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
}
