//! The build.rs API: `protoforge::configure().includes(["proto"]).compile_protos([...])`.
//!
//! An edge over the core ([`crate::check::Session::generate`]): it turns the settings into a
//! session, and does the build script's IO: findings print as rendered diagnostics and fail the
//! build, warnings become `cargo:warning` lines, the code goes to OUT_DIR, and cargo is told which
//! files to watch. Never exits, never panics on user input: every problem is an `Err`.

use std::path::{Path, PathBuf};

use crate::check::{DefaultRoots, Inputs, Session};
pub use crate::codegen::{DescriptorPath, Generated};
use crate::diagnostic::Report;
use crate::error::{Error, Result};
use crate::render::{HumanOptions, human};

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

    /// Checks and generates code for `protos`, in memory. When the files have errors, they are
    /// printed to stderr (with the `cargo:rerun-if-changed` lines that make fixing any input
    /// rerun the build script) and the result is an `Err`.
    pub fn generate<I, P>(self, protos: I) -> Result<Output>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let base = self.base()?;
        let paths: Vec<PathBuf> = protos.into_iter().map(|p| base.join(p)).collect();
        if paths.is_empty() {
            return Err(Error::usage(
                "no proto files to compile",
                Some("pass the files or directories to compile_protos".into()),
            ));
        }
        let session = Session::open(&Inputs {
            includes: self.includes.iter().map(|d| base.join(d)).collect(),
            config: self.config.as_ref().map(|p| base.join(p)),
            default_roots: DefaultRoots::Arguments,
            paths,
            cwd: base,
        })?;
        let generation = session.generate(self.lint, self.descriptor_path)?;
        if std::env::var_os("PROTOFORGE_TIMINGS").is_some() {
            for (phase, took) in &generation.timings {
                eprintln!("timing: {phase} {took:?}");
            }
        }
        let Some(generated) = generation.generated else {
            if self.emit_rerun_if_changed {
                // Fixing any input must rerun the build script.
                for input in &generation.inputs {
                    println!("cargo:rerun-if-changed={}", input.display());
                }
            }
            let options = HumanOptions {
                color: false,
                width: 100,
            };
            eprintln!("{}", human::render(&generation.errors, options));
            return Err(generation.failure());
        };
        Ok(Output {
            generated,
            inputs: generation.inputs,
            warnings: generation.warnings,
        })
    }
}
