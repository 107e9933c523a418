//! The build.rs API: `protoforge::configure().includes(["proto"]).compile_protos([...])`.
//!
//! Loads the files, runs the lint and ledger gate (findings print as rendered
//! diagnostics and fail the build; warnings become `cargo:warning` lines), then generates prost
//! messages, tonic services and protoforge's per-service code into OUT_DIR, and tells cargo which
//! files to watch. Never exits, never panics on user input: every problem is an `Err`.

use std::path::{Path, PathBuf};

use crate::cli::lint::{Checks, Flags, run_checks};
use crate::codegen::{self, DescriptorPath, Generated, Model};
use crate::config::Config;
use crate::diagnostic::{Report, Severity};
use crate::error::{Error, Result};
use crate::render::{HumanOptions, human};
use crate::source::{COMPILE, LoadOptions, Origin};

/// Starts a build configuration.
pub fn configure() -> Builder {
    Builder::default()
}

/// Settings of a build-script run (or of `protoforge generate`).
#[derive(Debug, Clone)]
pub struct Builder {
    includes: Vec<PathBuf>,
    lint: bool,
    out_dir: Option<PathBuf>,
    config: Option<PathBuf>,
    emit_rerun_if_changed: bool,
    base: Option<PathBuf>,
    descriptor_path: DescriptorPath,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            includes: Vec::new(),
            lint: true,
            out_dir: None,
            config: None,
            emit_rerun_if_changed: true,
            base: None,
            descriptor_path: DescriptorPath::OutDir,
        }
    }
}

/// What a build produced.
#[derive(Debug)]
pub struct Output {
    /// The generated code and descriptor set.
    pub generated: Generated,
    /// Every file the result depends on (protos read from disk, config, lock, lint baseline).
    pub inputs: Vec<PathBuf>,
    /// Findings that did not fail the build (warnings).
    pub warnings: Report,
}

impl Builder {
    /// Include roots (import paths are relative to them). Default: protoforge.toml's
    /// `[proto] roots`, else the directory of each file.
    pub fn includes<I, P>(mut self, dirs: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        self.includes = dirs.into_iter().map(|d| d.as_ref().to_path_buf()).collect();
        self
    }

    /// Whether lint and ledger findings fail the build (default `true`). Compile errors always do.
    pub fn lint(mut self, enabled: bool) -> Self {
        self.lint = enabled;
        self
    }

    /// Where the code goes. Default: `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The protoforge.toml (or buf.yaml) to use. Default: the nearest one above the crate.
    pub fn config(mut self, path: impl AsRef<Path>) -> Self {
        self.config = Some(path.as_ref().to_path_buf());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines (default `true`).
    pub fn emit_rerun_if_changed(mut self, enabled: bool) -> Self {
        self.emit_rerun_if_changed = enabled;
        self
    }

    /// The directory relative paths start from. Default: `CARGO_MANIFEST_DIR`, else the
    /// current directory.
    pub fn base_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.base = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Where generated code finds the descriptor set: next to itself (for `generate --out`) or
    /// in `OUT_DIR` (default, for build.rs).
    pub fn descriptor_path(mut self, path: DescriptorPath) -> Self {
        self.descriptor_path = path;
        self
    }

    fn base(&self) -> Result<PathBuf> {
        if let Some(base) = &self.base {
            return Ok(base.clone());
        }
        if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
            return Ok(PathBuf::from(dir));
        }
        std::env::current_dir().map_err(|e| Error::io(".", e))
    }

    /// Checks and generates code for `protos` (files or directories) and writes it to the out
    /// directory. Findings are printed to stderr as rendered diagnostics; warnings also as
    /// `cargo:warning` lines.
    pub fn compile_protos<I, P>(self, protos: I) -> Result<()>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::build(
                        "OUT_DIR is not set",
                        Some("call compile_protos from build.rs, or set .out_dir(DIR)".into()),
                    )
                })?,
        };
        let emit = self.emit_rerun_if_changed;
        let output = self.generate(protos)?;
        if emit {
            for input in &output.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        for finding in &output.warnings.findings {
            println!(
                "cargo:warning={}",
                human::plain_line(finding).replace(['\n', '\r'], " ")
            );
        }
        output
            .generated
            .write(&out_dir)
            .map_err(|e| Error::io(&out_dir, e))?;
        Ok(())
    }

    /// Checks and generates code for `protos`, in memory.
    pub fn generate<I, P>(self, protos: I) -> Result<Output>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let base = self.base()?;
        let paths: Vec<PathBuf> = protos.into_iter().map(|p| base.join(p)).collect();
        let explicit = self.config.as_ref().map(|p| base.join(p));
        let config = Config::load(
            explicit.as_deref(),
            &crate::cli::config_start(&base, &paths),
        )?;
        let roots = if self.includes.is_empty() {
            config.roots.clone()
        } else {
            self.includes.iter().map(|d| base.join(d)).collect()
        };
        if paths.is_empty() {
            return Err(Error::usage(
                "no proto files to compile",
                Some("pass the files or directories to compile_protos".into()),
            ));
        }
        let options = LoadOptions {
            paths: paths.clone(),
            roots,
            cwd: base.clone(),
        };
        let checks = Checks {
            lint: self.lint,
            ledger: self.lint,
            against: None,
            format: false,
        };
        let timings = std::env::var_os("PROTOFORGE_TIMINGS").is_some();
        let started = std::time::Instant::now();
        let (report, compilation) = run_checks(&options, &config, &Flags::default(), &checks)?;
        if timings {
            eprintln!("timing: load+checks {:?}", started.elapsed());
        }

        let mut inputs: Vec<PathBuf> = compilation
            .files
            .iter()
            .filter_map(|f| match &f.origin {
                Origin::Disk { path, .. } => Some(path.clone()),
                _ => None,
            })
            .collect();
        inputs.extend(paths.iter().filter(|p| p.is_dir()).cloned());
        inputs.extend(config.files());
        let lock = crate::ledger::lock_path(&config);
        if lock.is_file() {
            inputs.push(lock);
        }
        inputs.extend(
            config
                .policies()
                .filter_map(|p| p.baseline.clone())
                .filter(|b| b.is_file()),
        );
        inputs.sort();
        inputs.dedup();

        // The report keeps its sources; its findings become the errors (printed, build fails) or
        // else the warnings (returned).
        let mut report = report;
        report.notes.clear();
        let (mut errors, warnings): (Vec<_>, Vec<_>) = std::mem::take(&mut report.findings)
            .into_iter()
            .partition(|f| f.severity == Severity::Error);
        // Files prost cannot be given (editions features without a proto2/proto3 form) fail
        // the build like compile errors, at their place.
        let codegen_inputs = compilation.codegen_inputs();
        if let Err(found) = &codegen_inputs {
            errors.extend(found.iter().cloned());
        }
        if !errors.is_empty() {
            if self.emit_rerun_if_changed {
                // Fixing any input must rerun the build script.
                for input in &inputs {
                    println!("cargo:rerun-if-changed={}", input.display());
                }
            }
            let compile_errors = errors.iter().filter(|f| f.rule == COMPILE).count();
            let count = errors.len();
            report.findings = errors;
            eprintln!(
                "{}",
                human::render(
                    &report,
                    HumanOptions {
                        color: false,
                        width: 100
                    }
                )
            );
            return Err(Error::findings(
                format!(
                    "protoforge: {} error(s) in the proto files{}",
                    count,
                    if compile_errors > 0 {
                        format!(", {compile_errors} of them compile errors")
                    } else {
                        String::new()
                    }
                ),
                Some(if compile_errors == count {
                    "fix the errors printed above".into()
                } else {
                    "fix the findings printed above, suppress them (see the README), or build with `.lint(false)`".into()
                }),
            ));
        }

        let started = std::time::Instant::now();
        let model = Model::new(&compilation.pool, &config.codegen)
            .map_err(|e| Error::build(format!("protoforge: {e}"), None))?;
        // (Its errors stopped the build above.)
        let (files, descriptor_set) = codegen_inputs
            .map_err(|_| Error::build("protoforge: no code generation input", None))?;
        let generated = codegen::generate(codegen::Input {
            files,
            descriptor_set,
            model,
            descriptor_path: self.descriptor_path,
        })
        .map_err(|e| Error::build(format!("protoforge: code generation failed: {e}"), None))?;
        if timings {
            eprintln!("timing: codegen {:?}", started.elapsed());
        }
        report.findings = warnings;
        Ok(Output {
            generated,
            inputs,
            warnings: report,
        })
    }
}
