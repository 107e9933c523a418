//! Configuration: protoforge.toml (found by walking up from the working directory, or named with
//! `--config`), or, when there is none, the lint section of a buf.yaml with buf's meaning.

pub mod buf;
mod buf_rules;
pub mod codegen;
pub mod paths;
pub mod policy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

pub use paths::PathSet;
pub use policy::{Level, LintPolicy, LintSpec, Named, SpecError};

use crate::error::{Error, ErrorKind, Result};

/// The file name protoforge looks for.
pub const FILE_NAME: &str = "protoforge.toml";

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// No file: defaults, paths relative to the working directory.
    Defaults,
    Toml(PathBuf),
    BufYaml(PathBuf),
    /// A buf v1 workspace: its buf.work.yaml and the buf.yaml of each directory that has one.
    BufWork {
        path: PathBuf,
        members: Vec<PathBuf>,
    },
}

/// A module: an include root with its own excludes and lint policy (buf.yaml v2 `modules`).
#[derive(Debug, Clone)]
pub struct Module {
    pub root: PathBuf,
    pub exclude: PathSet,
    pub lint: LintPolicy,
    pub breaking: LintPolicy,
}

/// The configuration of a run, with every path absolute.
#[derive(Debug, Clone)]
pub struct Config {
    pub origin: Origin,
    /// The directory relative paths start from.
    pub base: PathBuf,
    /// Include roots.
    pub roots: Vec<PathBuf>,
    /// Files never linted (they may still be imported).
    pub exclude: PathSet,
    /// The policy for files outside every module.
    pub lint: LintPolicy,
    /// The breaking-change policy for files outside every module.
    pub breaking: LintPolicy,
    /// The default baseline of `check` (`[breaking] against`).
    pub against: Option<String>,
    /// Per-module settings (buf.yaml v2); the first module whose root holds a file applies.
    pub modules: Vec<Module>,
    /// `[codegen]`: generated-code settings and method policy overrides.
    pub codegen: codegen::CodegenConfig,
    /// `[format] check`: `check` reports files `protoforge format` would change (FORMAT).
    pub format_check: bool,
}

impl Config {
    /// Defaults for a run in `base`.
    pub fn defaults(base: &Path) -> Config {
        Config {
            origin: Origin::Defaults,
            base: base.to_path_buf(),
            roots: Vec::new(),
            exclude: PathSet::empty(base),
            lint: LintPolicy::default_for(base),
            // No configuration file: buf's defaults, so a tree `buf breaking` checked without a
            // buf.yaml gets the same findings. protoforge.toml's own default is WIRE_JSON.
            breaking: LintSpec::buf_breaking_default()
                .resolve_kind(base, crate::rules::RuleKind::Breaking)
                .expect("the default spec is valid"),
            against: None,
            modules: Vec::new(),
            codegen: codegen::CodegenConfig::default(),
            format_check: false,
        }
    }

    /// The configuration for a run in `cwd`: `explicit` if given, else the nearest protoforge.toml,
    /// else the nearest buf.yaml, else defaults.
    pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config> {
        if let Some(path) = explicit {
            let path = cwd.join(path);
            let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            let is_work = path
                .file_name()
                .is_some_and(|n| n == "buf.work.yaml" || n == "buf.work.yml");
            return if is_work {
                buf::read_workspace(buf::Workspace::read(&path)?)
            } else if is_yaml {
                buf::read(&path)
            } else {
                Config::read(&path)
            };
        }
        if let Some(path) = find_upwards(cwd, FILE_NAME) {
            return Config::read(&path);
        }
        // A v1 buf.yaml may be one directory of a buf.work.yaml workspace: the workspace is the
        // configuration then (its other directories are import roots), as buf reads it.
        if let Some(path) = find_upwards(cwd, "buf.yaml") {
            return match buf::workspace_of(&path) {
                Some(work) => buf::read_workspace(work),
                None => buf::read(&path),
            };
        }
        if let Some(work) = find_upwards(cwd, "buf.work.yaml") {
            return buf::read_workspace(buf::Workspace::read(&work)?);
        }
        Ok(Config::defaults(cwd))
    }

    /// Reads a protoforge.toml.
    pub fn read(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|err| Error::io(path, err))?;
        Config::parse(&text, path)
    }

    /// Parses protoforge.toml text; errors point at the offending line.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let file: TomlFile = toml::from_str(text).map_err(|err| {
            config_error(
                path,
                text,
                format!("invalid `{}`: {}", path.display(), err.message()),
                err.span(),
                Some("docs/configuration.md lists the keys protoforge.toml accepts".into()),
            )
        })?;
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let base = crate::source::discover::absolute(&base)?;
        let lint = file
            .lint
            .into_spec()
            .resolve(&base)
            .map_err(|e| spec_error(path, text, e))?;
        let against = file.breaking.against.clone();
        let breaking = file
            .breaking
            .into_spec()
            .resolve_kind(&base, crate::rules::RuleKind::Breaking)
            .map_err(|e| spec_error(path, text, e))?;
        let exclude = PathSet::new(&base, &file.proto.exclude).map_err(|(pattern, reason)| {
            config_error(
                path,
                text,
                format!("invalid exclude pattern `{pattern}`: {reason}"),
                None,
                None,
            )
        })?;
        let codegen = file
            .codegen
            .resolve()
            .map_err(|e| config_error(path, text, e.message, Some(e.span), None))?;
        Ok(Config {
            origin: Origin::Toml(path.to_path_buf()),
            codegen,
            format_check: file.format.check,
            roots: file.proto.roots.iter().map(|r| base.join(r)).collect(),
            exclude,
            lint,
            breaking,
            against,
            modules: Vec::new(),
            base,
        })
    }

    /// The config file, if any.
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Defaults => None,
            Origin::Toml(p) | Origin::BufYaml(p) | Origin::BufWork { path: p, .. } => Some(p),
        }
    }

    /// Every file the configuration was read from (a workspace has several).
    pub fn files(&self) -> Vec<PathBuf> {
        match &self.origin {
            Origin::BufWork { path, members } => {
                std::iter::once(path).chain(members).cloned().collect()
            }
            _ => self.path().map(Path::to_path_buf).into_iter().collect(),
        }
    }

    /// The policy for the file at the absolute `path`.
    pub fn policy_for(&self, path: &Path) -> &LintPolicy {
        self.modules
            .iter()
            .find(|m| path.starts_with(&m.root))
            .map(|m| &m.lint)
            .unwrap_or(&self.lint)
    }

    /// The breaking policy for the file at the absolute `path`.
    pub fn breaking_policy_for(&self, path: &Path) -> &LintPolicy {
        self.modules
            .iter()
            .find(|m| path.starts_with(&m.root))
            .map(|m| &m.breaking)
            .unwrap_or(&self.breaking)
    }

    /// Every breaking policy of the run.
    pub fn breaking_policies(&self) -> impl Iterator<Item = &LintPolicy> {
        std::iter::once(&self.breaking).chain(self.modules.iter().map(|m| &m.breaking))
    }

    /// Whether the file at the absolute `path` is excluded from checking.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.matches(path)
            || self
                .modules
                .iter()
                .any(|m| path.starts_with(&m.root) && m.exclude.matches(path))
    }

    /// Every policy of the run (the default one first).
    pub fn policies(&self) -> impl Iterator<Item = &LintPolicy> {
        std::iter::once(&self.lint).chain(self.modules.iter().map(|m| &m.lint))
    }
}

fn find_upwards(dir: &Path, name: &str) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(name))
        .find(|candidate| candidate.is_file())
}

pub(crate) fn config_error(
    path: &Path,
    text: &str,
    message: String,
    span: Option<std::ops::Range<usize>>,
    help: Option<String>,
) -> Error {
    let span = span.map(|r| {
        let end = r.end.max(r.start + 1).min(text.len().max(r.start));
        SourceSpan::from(r.start..end)
    });
    Error::new(ErrorKind::Config {
        message,
        source_code: NamedSource::new(path.display().to_string(), text.to_owned()),
        span,
        label: "here".into(),
        help,
    })
}

fn spec_error(path: &Path, text: &str, e: SpecError) -> Error {
    config_error(
        path,
        text,
        format!("{} in `{}`", e.message, path.display()),
        e.span,
        e.help,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    proto: ProtoSection,
    #[serde(default)]
    lint: LintSection,
    #[serde(default)]
    breaking: BreakingSection,
    #[serde(default)]
    codegen: codegen::CodegenSection,
    #[serde(default)]
    format: FormatSection,
}

/// `[format]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FormatSection {
    /// `check` also reports files that `protoforge format` would change.
    check: bool,
}

/// `[breaking]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct BreakingSection {
    #[serde(rename = "use")]
    use_: Option<Vec<Spanned<String>>>,
    except: Vec<Spanned<String>>,
    ignore: Vec<String>,
    ignore_only: BTreeMap<Spanned<String>, Vec<String>>,
    severity: BTreeMap<Spanned<String>, Level>,
    inline_ignores: Option<bool>,
    /// The baseline `check` compares against when `--against` is not given.
    against: Option<String>,
    /// buf's option: no breaking finding in alpha, beta or test packages (`foo.v1beta1`).
    ignore_unstable_packages: Option<bool>,
}

impl BreakingSection {
    /// The lists `[breaking]` shares with `[lint]`, read the same way.
    fn into_spec(self) -> LintSpec {
        LintSpec {
            ignore_unstable_packages: self.ignore_unstable_packages,
            ..LintSection {
                use_: self.use_,
                except: self.except,
                ignore: self.ignore,
                ignore_only: self.ignore_only,
                severity: self.severity,
                inline_ignores: self.inline_ignores,
                ..LintSection::default()
            }
            .into_spec()
        }
    }
}

/// `[proto]`: where the proto files are.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtoSection {
    #[serde(default)]
    roots: Vec<PathBuf>,
    #[serde(default)]
    exclude: Vec<String>,
}

/// `[lint]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LintSection {
    #[serde(rename = "use")]
    use_: Option<Vec<Spanned<String>>>,
    except: Vec<Spanned<String>>,
    ignore: Vec<String>,
    ignore_only: BTreeMap<Spanned<String>, Vec<String>>,
    severity: BTreeMap<Spanned<String>, Level>,
    baseline: Option<PathBuf>,
    inline_ignores: Option<bool>,
    enum_zero_value_suffix: Option<String>,
    rpc_allow_same_request_response: Option<bool>,
    rpc_allow_google_protobuf_empty_requests: Option<bool>,
    rpc_allow_google_protobuf_empty_responses: Option<bool>,
    service_suffix: Option<String>,
}

fn named(s: &Spanned<String>) -> Named {
    Named {
        name: s.get_ref().clone(),
        span: Some(s.span()),
    }
}

impl LintSection {
    fn into_spec(self) -> LintSpec {
        LintSpec {
            use_: self.use_.map(|v| v.iter().map(named).collect()),
            except: self.except.iter().map(named).collect(),
            ignore: self.ignore,
            ignore_only: self
                .ignore_only
                .iter()
                .map(|(k, v)| (named(k), v.clone()))
                .collect(),
            severity: self.severity.iter().map(|(k, v)| (named(k), *v)).collect(),
            baseline: self.baseline,
            inline_ignores: self.inline_ignores,
            enum_zero_value_suffix: self.enum_zero_value_suffix,
            rpc_allow_same_request_response: self.rpc_allow_same_request_response,
            rpc_allow_google_protobuf_empty_requests: self.rpc_allow_google_protobuf_empty_requests,
            rpc_allow_google_protobuf_empty_responses: self
                .rpc_allow_google_protobuf_empty_responses,
            service_suffix: self.service_suffix,
            dialect: Default::default(),
            ignore_unstable_packages: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_roots_and_rejects_unknown_keys() {
        let config = Config::parse(
            "[proto]\nroots = [\"proto\"]\n",
            Path::new("/x/protoforge.toml"),
        )
        .unwrap();
        assert_eq!(config.roots, vec![PathBuf::from("/x/proto")]);
        let err =
            Config::parse("[proto]\nrots = [\"proto\"]\n", Path::new("/x/p.toml")).unwrap_err();
        assert!(err.to_string().contains("unknown field `rots`"), "{err}");
    }

    #[test]
    fn unknown_rule_is_located() {
        let text = "[lint]\nexcept = [\"NOT_A_RULE\"]\n";
        let err = Config::parse(text, Path::new("/x/protoforge.toml")).unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown rule or category `NOT_A_RULE`"),
            "{err}"
        );
        let text = "[lint.severity]\nIMPORT_USED = \"loud\"\n";
        let err = Config::parse(text, Path::new("/x/protoforge.toml")).unwrap_err();
        assert!(err.to_string().contains("loud"), "{err}");
    }
}
