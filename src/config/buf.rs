//! buf.yaml (v1 and v2, including v2 `modules`) and v1 buf.work.yaml workspaces, read with buf's
//! meaning so that a buf user needs no new configuration; and its translation to protoforge.toml
//! (`protoforge init --from-buf`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::policy::{BUF_BREAKING_DEFAULT, Dialect, LintSpec, Named};
use super::{Config, Module, Origin, PathSet, config_error};
use crate::error::{Error, Result};

#[derive(Debug, Default, Deserialize)]
struct BufYaml {
    version: Option<String>,
    #[serde(default)]
    build: BufBuild,
    #[serde(default)]
    modules: Vec<BufModule>,
    lint: Option<BufLint>,
    breaking: Option<BufBreaking>,
}

#[derive(Debug, Default, Clone, Deserialize)]
struct BufBreaking {
    #[serde(rename = "use")]
    use_: Option<Vec<String>>,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    ignore_only: std::collections::BTreeMap<String, Vec<String>>,
    ignore_unstable_packages: Option<bool>,
}

impl BufBreaking {
    fn spec(&self, text: &str, dialect: Dialect) -> LintSpec {
        // Without `use`, buf checks FILE in every buf.yaml version (protoforge.toml's default,
        // WIRE_JSON, is protoforge's own).
        let file = Some(vec![BUF_BREAKING_DEFAULT.to_owned()]);
        let use_ = if self.use_.is_some() {
            &self.use_
        } else {
            &file
        };
        let lists: RuleLists = (use_, &self.except, &self.ignore, &self.ignore_only);
        LintSpec {
            ignore_unstable_packages: self.ignore_unstable_packages,
            ..rule_lists(text, dialect, lists)
        }
    }
}

/// `use`, `except`, `ignore` and `ignore_only`, as a section has them.
type RuleLists<'a> = (
    &'a Option<Vec<String>>,
    &'a [String],
    &'a [String],
    &'a std::collections::BTreeMap<String, Vec<String>>,
);

/// The rule lists every buf.yaml section has, each rule ID located in `text` for messages.
fn rule_lists(text: &str, dialect: Dialect, lists: RuleLists) -> LintSpec {
    let (use_, except, ignore, ignore_only) = lists;
    let named = |name: &String| Named {
        name: name.clone(),
        span: locate(text, name),
    };
    LintSpec {
        use_: use_.as_ref().map(|v| v.iter().map(named).collect()),
        except: except.iter().map(named).collect(),
        ignore: ignore.to_vec(),
        ignore_only: ignore_only
            .iter()
            .map(|(k, v)| (named(k), v.clone()))
            .collect(),
        dialect,
        ..LintSpec::default()
    }
}

#[derive(Debug, Default, Deserialize)]
struct BufBuild {
    #[serde(default)]
    excludes: Vec<String>,
    /// v1beta1's include roots, relative to buf.yaml (v1 has one module, buf.yaml's directory).
    #[serde(default)]
    roots: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct BufModule {
    #[serde(default = "dot")]
    path: String,
    #[serde(default)]
    excludes: Vec<String>,
    lint: Option<BufLint>,
    breaking: Option<BufBreaking>,
}

fn dot() -> String {
    ".".into()
}

#[derive(Debug, Default, Clone, Deserialize)]
struct BufLint {
    #[serde(rename = "use")]
    use_: Option<Vec<String>>,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    ignore_only: std::collections::BTreeMap<String, Vec<String>>,
    enum_zero_value_suffix: Option<String>,
    rpc_allow_same_request_response: Option<bool>,
    rpc_allow_google_protobuf_empty_requests: Option<bool>,
    rpc_allow_google_protobuf_empty_responses: Option<bool>,
    service_suffix: Option<String>,
    allow_comment_ignores: Option<bool>,
    disallow_comment_ignores: Option<bool>,
}

/// A buf.yaml read into protoforge's terms.
#[derive(Debug)]
pub struct BufConfig {
    pub version: String,
    /// (module root relative to buf.yaml, excludes relative to buf.yaml, lint spec).
    pub modules: Vec<(String, Vec<String>, Option<LintSpec>)>,
    pub lint: LintSpec,
    /// Per-module breaking specs, in module order (None: the top-level one).
    pub module_breaking: Vec<Option<LintSpec>>,
    pub breaking: LintSpec,
}

fn locate(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    text.find(name).map(|start| start..start + name.len())
}

impl BufLint {
    fn spec(&self, text: &str, dialect: Dialect) -> LintSpec {
        let v1 = dialect != Dialect::V2;
        LintSpec {
            severity: Vec::new(),
            baseline: None,
            inline_ignores: Some(if v1 {
                self.allow_comment_ignores.unwrap_or(false)
            } else {
                !self.disallow_comment_ignores.unwrap_or(false)
            }),
            enum_zero_value_suffix: self.enum_zero_value_suffix.clone(),
            rpc_allow_same_request_response: self.rpc_allow_same_request_response,
            rpc_allow_google_protobuf_empty_requests: self.rpc_allow_google_protobuf_empty_requests,
            rpc_allow_google_protobuf_empty_responses: self
                .rpc_allow_google_protobuf_empty_responses,
            service_suffix: self.service_suffix.clone(),
            ..rule_lists(
                text,
                dialect,
                (&self.use_, &self.except, &self.ignore, &self.ignore_only),
            )
        }
    }
}

/// Parses buf.yaml text.
pub fn parse(text: &str, path: &Path) -> Result<BufConfig> {
    let file: BufYaml = from_yaml(text, path)?;
    let version = file.version.clone().unwrap_or_else(|| "v1beta1".into());
    let dialect = Dialect::of_buf_version(&version);
    let v1 = dialect != Dialect::V2;
    let lint = file.lint.clone().unwrap_or_default().spec(text, dialect);
    let modules = if dialect == Dialect::BufV1Beta1 && !file.build.roots.is_empty() {
        file.build
            .roots
            .iter()
            .map(|r| {
                (
                    r.trim_end_matches('/').to_owned(),
                    file.build.excludes.clone(),
                    None,
                )
            })
            .collect()
    } else if v1 {
        vec![(".".to_owned(), file.build.excludes.clone(), None)]
    } else if file.modules.is_empty() {
        vec![(".".to_owned(), Vec::new(), None)]
    } else {
        file.modules
            .iter()
            .map(|m| {
                (
                    m.path.trim_end_matches('/').to_owned(),
                    m.excludes.clone(),
                    m.lint.as_ref().map(|l| l.spec(text, Dialect::V2)),
                )
            })
            .collect()
    };
    let breaking = file
        .breaking
        .clone()
        .unwrap_or_default()
        .spec(text, dialect);
    let module_breaking = if v1 || file.modules.is_empty() {
        vec![None]
    } else {
        file.modules
            .iter()
            .map(|m| m.breaking.as_ref().map(|b| b.spec(text, Dialect::V2)))
            .collect()
    };
    Ok(BufConfig {
        version,
        modules,
        lint,
        module_breaking,
        breaking,
    })
}

/// Reads a buf.yaml as the run's configuration.
pub fn read(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|err| Error::io(path, err))?;
    let buf = parse(&text, path)?;
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let base = crate::source::discover::absolute(&base)?;
    let spec_err = |e: super::SpecError| {
        config_error(
            path,
            &text,
            format!("{} in `{}`", e.message, path.display()),
            e.span,
            e.help,
        )
    };
    let lint = buf.lint.resolve(&base).map_err(spec_err)?;
    let breaking_kind = crate::rules::RuleKind::Breaking;
    let breaking = buf
        .breaking
        .resolve_kind(&base, breaking_kind)
        .map_err(spec_err)?;
    let mut modules = Vec::new();
    for (i, (root, excludes, spec)) in buf.modules.iter().enumerate() {
        let exclude = PathSet::new(&base, excludes).map_err(|(pattern, reason)| {
            config_error(
                path,
                &text,
                format!("invalid exclude `{pattern}`: {reason}"),
                None,
                None,
            )
        })?;
        let lint = match spec {
            Some(spec) => spec.resolve(&base).map_err(spec_err)?,
            None => lint.clone(),
        };
        let module_breaking = match buf.module_breaking.get(i).cloned().flatten() {
            Some(spec) => spec.resolve_kind(&base, breaking_kind).map_err(spec_err)?,
            None => breaking.clone(),
        };
        modules.push(Module {
            root: crate::source::discover::absolute(&base.join(root))?,
            exclude,
            lint,
            breaking: module_breaking,
        });
    }
    Ok(Config {
        origin: Origin::BufYaml(path.to_path_buf()),
        roots: modules.iter().map(|m| m.root.clone()).collect(),
        exclude: PathSet::empty(&base),
        lint,
        breaking,
        against: None,
        modules,
        base,
        codegen: super::codegen::CodegenConfig::default(),
        format_check: false,
    })
}

/// buf.work.yaml: a buf v1 workspace, a list of module directories.
#[derive(Debug, Default, Deserialize)]
struct BufWork {
    #[serde(default)]
    directories: Vec<String>,
}

/// YAML text as `T`, an error pointing at the offending place otherwise.
fn from_yaml<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T> {
    serde_yaml_ng::from_str(text).map_err(|err| {
        let span = err.location().map(|l| l.index()..l.index() + 1);
        config_error(
            path,
            text,
            format!("invalid `{}`: {err}", path.display()),
            span,
            None,
        )
    })
}

/// A buf.work.yaml, read and parsed: its path, text and directories.
pub struct Workspace {
    path: PathBuf,
    text: String,
    work: BufWork,
}

impl Workspace {
    pub fn read(path: &Path) -> Result<Workspace> {
        let text = std::fs::read_to_string(path).map_err(|err| Error::io(path, err))?;
        let work = from_yaml(&text, path)?;
        Ok(Workspace {
            path: path.to_path_buf(),
            text,
            work,
        })
    }
}

/// The buf.work.yaml whose `directories` hold the directory of `buf_yaml`, when that buf.yaml is
/// not a v2 one (a v2 buf.yaml is its own workspace).
pub fn workspace_of(buf_yaml: &Path) -> Option<Workspace> {
    let text = std::fs::read_to_string(buf_yaml).ok()?;
    let version = serde_yaml_ng::from_str::<BufYaml>(&text).ok()?.version;
    if version.as_deref() == Some("v2") {
        return None;
    }
    let module = crate::source::discover::absolute(buf_yaml.parent()?).ok()?;
    let work = module.parent()?.ancestors().find_map(|d| {
        let candidate = d.join("buf.work.yaml");
        candidate.is_file().then_some(candidate)
    })?;
    let base = work.parent()?;
    let parsed = Workspace::read(&work).ok()?;
    parsed
        .work
        .directories
        .iter()
        .any(|dir| crate::source::discover::absolute(&base.join(dir)).ok() == Some(module.clone()))
        .then_some(parsed)
}

/// Reads a buf.work.yaml as the run's configuration: each directory is a module (an import root
/// of every other) with the lint and breaking settings of its own buf.yaml, or buf's v1 defaults
/// when it has none; paths in a module's buf.yaml are relative to its directory.
pub fn read_workspace(workspace: Workspace) -> Result<Config> {
    let Workspace { path, text, work } = workspace;
    let path = path.as_path();
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let base = crate::source::discover::absolute(&base)?;
    if work.directories.is_empty() {
        return Err(config_error(
            path,
            &text,
            format!("`{}` lists no `directories`", path.display()),
            None,
            Some("list the module directories: `directories: [proto]`".into()),
        ));
    }
    let mut members = Vec::new();
    let mut modules = Vec::new();
    for dir in &work.directories {
        let root = base.join(dir.trim_end_matches('/'));
        if !root.is_dir() {
            return Err(config_error(
                path,
                &text,
                format!("directory `{dir}` of `{}` does not exist", path.display()),
                text.find(dir.as_str()).map(|at| at..at + dir.len()),
                None,
            ));
        }
        let yaml = root.join("buf.yaml");
        if yaml.is_file() {
            members.push(yaml.clone());
            modules.extend(read(&yaml)?.modules);
        } else {
            // No buf.yaml: buf's v1 defaults (a v1 buf.yaml that says nothing).
            let v1 = LintSpec {
                dialect: Dialect::BufV1,
                ..LintSpec::default()
            };
            let expect = "buf's v1 defaults are valid";
            modules.push(Module {
                root: crate::source::discover::absolute(&root)?,
                exclude: PathSet::empty(&root),
                lint: v1.resolve(&root).expect(expect),
                breaking: LintSpec::buf_breaking_default()
                    .resolve_kind(&root, crate::rules::RuleKind::Breaking)
                    .expect(expect),
            });
        }
    }
    let outside = Config::defaults(&base);
    Ok(Config {
        origin: Origin::BufWork {
            path: path.to_path_buf(),
            members,
        },
        roots: modules.iter().map(|m| m.root.clone()).collect(),
        exclude: PathSet::empty(&base),
        lint: outside.lint,
        breaking: outside.breaking,
        against: None,
        modules,
        base,
        codegen: super::codegen::CodegenConfig::default(),
        format_check: false,
    })
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", quoted.join(", "))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn names(list: &[Named]) -> Vec<String> {
    list.iter().map(|n| n.name.clone()).collect()
}

/// The protoforge.toml equivalent of a buf.yaml, plus notes on what could not be carried over.
pub fn to_toml(buf: &BufConfig) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut out = String::from(
        "# protoforge.toml, translated from buf.yaml by `protoforge init --from-buf`.\n\n[proto]\n",
    );
    let roots: Vec<String> = buf.modules.iter().map(|(r, _, _)| r.clone()).collect();
    out.push_str(&format!("roots = {}\n", toml_list(&roots)));
    let excludes: Vec<String> = buf.modules.iter().flat_map(|(_, e, _)| e.clone()).collect();
    if !excludes.is_empty() {
        out.push_str(&format!("exclude = {}\n", toml_list(&excludes)));
    }
    let mut lint = &buf.lint;
    let module_specs: Vec<&LintSpec> = buf
        .modules
        .iter()
        .filter_map(|(_, _, s)| s.as_ref())
        .collect();
    if let Some(first) = module_specs.first() {
        lint = first;
        if module_specs.len() > 1 || module_specs.len() < buf.modules.len() {
            notes.push(
                "modules have different lint settings; protoforge.toml has one [lint] section, so the first module's was used".into(),
            );
        }
    }
    out.push_str("\n[lint]\n");
    if let Some(use_) = &lint.use_ {
        out.push_str(&format!("use = {}\n", toml_list(&names(use_))));
    }
    let mut except = names(&lint.except);
    if buf.version != "v2" {
        // buf v1 categories hold neither rule; protoforge's (v2) categories do.
        for id in ["PACKAGE_NO_IMPORT_CYCLE", "FIELD_NOT_REQUIRED"] {
            let named = lint.use_.iter().flatten().any(|n| n.name == id);
            if !named && !except.iter().any(|e| e == id) {
                except.push(id.to_owned());
            }
        }
    }
    if !except.is_empty() {
        out.push_str(&format!("except = {}\n", toml_list(&except)));
    }
    if !lint.ignore.is_empty() {
        out.push_str(&format!("ignore = {}\n", toml_list(&lint.ignore)));
    }
    if let Some(v) = &lint.enum_zero_value_suffix {
        out.push_str(&format!("enum_zero_value_suffix = {}\n", toml_string(v)));
    }
    for (key, value) in [
        (
            "rpc_allow_same_request_response",
            lint.rpc_allow_same_request_response,
        ),
        (
            "rpc_allow_google_protobuf_empty_requests",
            lint.rpc_allow_google_protobuf_empty_requests,
        ),
        (
            "rpc_allow_google_protobuf_empty_responses",
            lint.rpc_allow_google_protobuf_empty_responses,
        ),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("{key} = {v}\n"));
        }
    }
    if let Some(v) = &lint.service_suffix {
        out.push_str(&format!("service_suffix = {}\n", toml_string(v)));
    }
    if lint.inline_ignores == Some(false) {
        out.push_str("inline_ignores = false\n");
    }
    if !lint.ignore_only.is_empty() {
        out.push_str("\n[lint.ignore_only]\n");
        for (named, paths) in &lint.ignore_only {
            out.push_str(&format!("{} = {}\n", named.name, toml_list(paths)));
        }
    }
    let b = &buf.breaking;
    if b.use_.is_some() || !b.except.is_empty() || !b.ignore.is_empty() || !b.ignore_only.is_empty()
    {
        out.push_str("\n[breaking]\n");
        // Always set: a buf.yaml without `use` means FILE (`BufBreaking::spec`), not
        // protoforge.toml's WIRE_JSON.
        if let Some(use_) = &b.use_ {
            out.push_str(&format!("use = {}\n", toml_list(&names(use_))));
        }
        if !b.except.is_empty() {
            out.push_str(&format!("except = {}\n", toml_list(&names(&b.except))));
        }
        if !b.ignore.is_empty() {
            out.push_str(&format!("ignore = {}\n", toml_list(&b.ignore)));
        }
        if !b.ignore_only.is_empty() {
            out.push_str("\n[breaking.ignore_only]\n");
            for (named, paths) in &b.ignore_only {
                out.push_str(&format!("{} = {}\n", named.name, toml_list(paths)));
            }
        }
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_and_v2() {
        let v1 = "version: v1\nlint:\n  use: [DEFAULT]\n  except: [ENUM_ZERO_VALUE_SUFFIX]\n  ignore: [vendor]\n  service_suffix: API\nbuild:\n  excludes: [gen]\n";
        let buf = parse(v1, Path::new("buf.yaml")).unwrap();
        assert_eq!(buf.modules.len(), 1);
        assert_eq!(buf.modules[0].0, ".");
        assert_eq!(buf.modules[0].1, vec!["gen".to_owned()]);
        assert_eq!(buf.lint.service_suffix.as_deref(), Some("API"));
        assert_eq!(buf.lint.inline_ignores, Some(false));
        let (toml, notes) = to_toml(&buf);
        assert!(notes.is_empty());
        assert!(toml.contains("use = [\"DEFAULT\"]"), "{toml}");
        assert!(toml.contains("except = [\"ENUM_ZERO_VALUE_SUFFIX\", \"PACKAGE_NO_IMPORT_CYCLE\", \"FIELD_NOT_REQUIRED\"]"), "{toml}");
        let policy = buf.lint.resolve(Path::new("/")).unwrap();
        assert!(
            !policy.rules.contains_key("PACKAGE_NO_IMPORT_CYCLE"),
            "v1 DEFAULT has no PACKAGE_NO_IMPORT_CYCLE"
        );
        assert!(policy.rules.contains_key("PACKAGE_SAME_DIRECTORY"));
        assert!(toml.contains("exclude = [\"gen\"]"), "{toml}");
        // No `breaking` section: buf's FILE, written out so protoforge.toml keeps buf's meaning.
        assert!(toml.contains("[breaking]\nuse = [\"FILE\"]\n"), "{toml}");
        Config::parse(&toml, Path::new("/x/protoforge.toml")).unwrap();

        let v2 = "version: v2\nmodules:\n  - path: proto\n    excludes: [proto/vendor]\nlint:\n  use: [STANDARD]\n  ignore_only:\n    FIELD_LOWER_SNAKE_CASE: [proto/legacy]\nbreaking:\n  use: [WIRE_JSON]\n  except: [FIELD_SAME_DEFAULT]\n";
        let buf = parse(v2, Path::new("buf.yaml")).unwrap();
        assert_eq!(buf.modules[0].0, "proto");
        assert_eq!(buf.lint.inline_ignores, Some(true));
        let (toml, _) = to_toml(&buf);
        assert!(toml.contains("roots = [\"proto\"]"), "{toml}");
        assert!(
            toml.contains("FIELD_LOWER_SNAKE_CASE = [\"proto/legacy\"]"),
            "{toml}"
        );
        Config::parse(&toml, Path::new("/x/protoforge.toml")).unwrap();
    }
}
