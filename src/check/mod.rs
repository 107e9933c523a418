//! The core: one [`Session`] per run over a tree of `.proto` files. It finds the configuration,
//! chooses the include roots, loads and compiles the files, runs lint, the ledger and the
//! breaking rules, applies the policy, caches results, fixes and generates code, and returns
//! values: reports, compilations, generated code. It prints nothing and never exits.
//!
//! The command line (`cli`), build scripts (`builder`) and the library entry points in `lib.rs`
//! are edges over it: they turn their inputs into [`Inputs`], call a session, and do their own
//! IO (rendering, exit codes, cargo directives).

mod cache;
mod fix;
mod generate;
mod run;

use std::path::{Path, PathBuf};

pub use cache::Cache;
pub use fix::Fixed;
pub use generate::Generation;
pub use run::report_of;

use crate::config::Config;
use crate::diagnostic::Report;
use crate::error::Result;
use crate::source::{self, Compilation, LoadOptions};

/// What a run is about, as a user gives it.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The directory relative paths start from and findings are shown relative to.
    pub cwd: PathBuf,
    /// Files or directories to check. Empty means the working directory (or the configured
    /// roots).
    pub paths: Vec<PathBuf>,
    /// Include roots (`-I`); empty means the configuration's `[proto] roots`, else
    /// [`DefaultRoots`].
    pub includes: Vec<PathBuf>,
    /// The configuration file (`--config`); None means the nearest protoforge.toml, else
    /// buf.yaml, above the first path (or the working directory).
    pub config: Option<PathBuf>,
    /// Where imports resolve from when neither `includes` nor the configuration name roots.
    pub default_roots: DefaultRoots,
}

/// Include roots when nothing names them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DefaultRoots {
    /// Files named one by one (as a pre-commit hook names them) resolve their imports from the
    /// configuration's directory, else the working directory, as they do in a whole-tree run;
    /// directory arguments are roots themselves. The CLI and the library.
    #[default]
    Anchored,
    /// Each directory argument is a root, and a file argument's directory is (build scripts).
    Arguments,
}

/// Switches from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Flags {
    /// Honour `// protoforge:ignore` comments (unless the config turns them off).
    pub inline_ignores: bool,
    /// Drop findings recorded in the configured baseline.
    pub use_baseline: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            inline_ignores: true,
            use_baseline: true,
        }
    }
}

/// Which checks a run makes.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// Lint rules.
    pub lint: bool,
    /// The protoforge.lock ledger, when the file exists.
    pub ledger: bool,
    /// Breaking rules against this baseline.
    pub against: Option<String>,
    /// The layout (FORMAT), when the configuration asks for it (`[format] check`).
    pub format: bool,
}

impl Checks {
    /// `protoforge lint`: the lint rules and the ledger.
    pub fn lint() -> Checks {
        Checks {
            lint: true,
            ledger: true,
            against: None,
            format: false,
        }
    }

    /// `protoforge breaking`: the breaking rules against `against` only.
    pub fn breaking(against: impl Into<String>) -> Checks {
        Checks {
            lint: false,
            ledger: false,
            against: Some(against.into()),
            format: false,
        }
    }

    /// `protoforge check`: everything; breaking rules when there is a baseline.
    pub fn all(against: Option<String>) -> Checks {
        Checks {
            lint: true,
            ledger: true,
            against,
            format: true,
        }
    }
}

/// One run's configuration and what it loads.
#[derive(Debug, Clone)]
pub struct Session {
    config: Config,
    options: LoadOptions,
}

impl Session {
    /// Finds the configuration for `inputs` and chooses the include roots.
    pub fn open(inputs: &Inputs) -> Result<Session> {
        let explicit = inputs.config.as_ref().map(|p| inputs.cwd.join(p));
        let config = Config::load(
            explicit.as_deref(),
            &config_start(&inputs.cwd, &inputs.paths),
        )?;
        let roots = roots(inputs, &config);
        Ok(Session {
            options: LoadOptions {
                paths: inputs.paths.clone(),
                roots,
                cwd: inputs.cwd.clone(),
            },
            config,
        })
    }

    /// A session with a configuration made elsewhere (tests, fuzzing, a baseline directory).
    pub fn with_config(config: Config, options: LoadOptions) -> Session {
        Session { config, options }
    }

    /// The configuration found.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// What the session loads: its paths, roots and working directory.
    pub fn load_options(&self) -> &LoadOptions {
        &self.options
    }

    /// The same session over other paths (`protoforge lock` checks the roots when no path is
    /// named).
    pub fn with_paths(mut self, paths: Vec<PathBuf>) -> Session {
        self.options.paths = paths;
        self
    }

    /// Loads and compiles the files the configuration does not exclude; problems in the files
    /// are findings in the compilation.
    pub fn compile(&self) -> Result<Compilation> {
        source::load_filtered(&self.options, &|p: &Path| self.config.is_excluded(p))
    }

    /// The baseline `check` compares against when none is named: `[breaking] against`.
    pub fn default_against(&self) -> Option<&str> {
        self.config.against.as_deref()
    }

    /// Runs `checks`; returns the report of what the policy lets through and the compilation
    /// it was made from.
    pub fn run(&self, checks: &Checks, flags: &Flags) -> Result<(Report, Compilation)> {
        run::run(&self.options, &self.config, flags, checks)
    }

    /// Runs `checks` and returns the report only.
    pub fn report(&self, checks: &Checks, flags: &Flags) -> Result<Report> {
        Ok(self.run(checks, flags)?.0)
    }

    /// Applies every safe fix, checks again, and returns the report of what is left.
    pub fn run_with_fixes(&self, checks: &Checks, flags: &Flags) -> Result<(Report, Fixed)> {
        fix::run_with_fixes(&self.options, &self.config, flags, checks)
    }

    /// Writes the report's findings as a lint baseline at `to`; returns how many were recorded.
    pub fn write_baseline(&self, report: &Report, to: &Path) -> Result<usize> {
        run::write_baseline(report, &self.config, &self.options.cwd, to)
    }

    /// The result cache's slot for `checks`, or None when caching is off or not possible.
    pub fn cache(&self, checks: &Checks, flags: &Flags) -> Option<Cache> {
        Cache::for_run(&self.config, &self.options, flags, checks)
    }

    /// Every file a result made from `compilation` depends on: the files read from disk, the
    /// directories named, the configuration, the lock and the lint baselines. Sorted.
    pub fn inputs(&self, compilation: &Compilation) -> Vec<PathBuf> {
        let mut inputs: Vec<PathBuf> = compilation
            .files
            .iter()
            .filter_map(|f| match &f.origin {
                source::Origin::Disk { path, .. } => Some(path.clone()),
                _ => None,
            })
            .collect();
        inputs.extend(
            self.options
                .paths
                .iter()
                .map(|p| self.options.cwd.join(p))
                .filter(|p| p.is_dir()),
        );
        inputs.extend(self.config.files());
        let lock = crate::ledger::lock_path(&self.config);
        if lock.is_file() {
            inputs.push(lock);
        }
        inputs.extend(
            self.config
                .policies()
                .filter_map(|p| p.baseline.clone())
                .filter(|b| b.is_file()),
        );
        inputs.sort();
        inputs.dedup();
        inputs
    }
}

/// Where to look for configuration: the first path argument (its directory for a file), else the
/// working directory. The search walks up from there.
fn config_start(cwd: &Path, paths: &[PathBuf]) -> PathBuf {
    match paths.first() {
        Some(first) => {
            let p = cwd.join(first);
            if p.is_dir() {
                p
            } else {
                p.parent()
                    .map(|d| d.to_path_buf())
                    .unwrap_or_else(|| cwd.to_path_buf())
            }
        }
        None => cwd.to_path_buf(),
    }
}

/// Include roots: `includes`, else `[proto] roots`, else [`DefaultRoots`].
fn roots(inputs: &Inputs, config: &Config) -> Vec<PathBuf> {
    if !inputs.includes.is_empty() {
        return inputs.includes.clone();
    }
    if !config.roots.is_empty() || inputs.default_roots == DefaultRoots::Arguments {
        return config.roots.clone();
    }
    let cwd = &inputs.cwd;
    let absolute =
        |p: &Path| source::discover::absolute(&cwd.join(p)).unwrap_or_else(|_| cwd.join(p));
    let (files, dirs): (Vec<PathBuf>, Vec<PathBuf>) = inputs
        .paths
        .iter()
        .map(|p| absolute(p))
        .partition(|p| p.is_file());
    if files.is_empty() {
        return Vec::new();
    }
    let anchor = absolute(if config.path().is_some() {
        &config.base
    } else {
        cwd
    });
    if !files.iter().all(|f| f.starts_with(&anchor)) {
        return Vec::new();
    }
    std::iter::once(anchor).chain(dirs).collect()
}
