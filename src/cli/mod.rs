//! Command-line interface: clap definitions, dispatch and exit codes. No rule logic.

mod build;
#[cfg(feature = "call")]
pub mod call;
mod format;
mod init;
mod lock;
mod openapi;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::{Checks, DefaultRoots, Flags, Inputs, Session};
use crate::diagnostic::Severity;
use crate::error::{Error, Result};
use crate::render::{self, Format, HumanOptions};
use crate::rules::{self, RULES, registry};

/// Exit codes: 0 clean, 1 findings, 2 usage, config or IO error.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Guards and builds gRPC APIs from their .proto files.
#[derive(Debug, Parser)]
#[command(name = "protoforge", version = env!("PROTOFORGE_VERSION"), about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Read this configuration file instead of looking for protoforge.toml upwards from here.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to colour human output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print nothing when the command succeeds (exit 0): for hooks and build scripts.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint .proto files (exit 0: clean, 1: findings, 2: usage, config or IO error).
    Lint(LintArgs),
    /// Compare with a previous version: a directory, a descriptor set or a git revision.
    Breaking(BreakingArgs),
    /// Lint, the protoforge.lock ledger and (with a baseline) the breaking check, in one run.
    Check(CheckArgs),
    /// Write or update protoforge.lock, the ledger of every number ever used.
    Lock(LockArgs),
    /// List every rule with its default and categories.
    Rules(RulesArgs),
    /// Start a service: protoforge.toml, build.rs, a proto and a handler skeleton, pre-commit
    /// and CI configuration (`--config-only`, `--from-buf`: just protoforge.toml).
    Init(InitArgs),
    /// Generate the Rust code build.rs would (prost, tonic, protoforge's servers and clients)
    /// into a directory, after the same lint gate.
    Generate(GenerateArgs),
    /// Compile .proto files and write their descriptor set (`-o FILE`), as protoc's
    /// `--descriptor_set_out` and `buf build -o` do; exit 1 on compile errors.
    Build(BuildArgs),
    /// Format .proto files in buf format's layout: print them, or rewrite them (`-w`), show a
    /// diff (`-d`) or check them (`--check`: exit 1 when one would change).
    Format(FormatArgs),
    /// Write the OpenAPI 3.1 document of the HTTP/JSON gateway (`google.api.http` routes,
    /// proto3 JSON schemas, auth) to stdout or `-o FILE`; exit 1 on compile errors.
    Openapi(OpenapiArgs),
    /// Call a gRPC server: `list` its services, `describe` a symbol, or call a method from JSON
    /// (every call kind; schema from server reflection or --schema files).
    #[cfg(feature = "call")]
    Call(call::CallArgs),
    /// Print the documentation of a rule.
    Explain {
        /// A rule ID such as PACKAGE_VERSION_SUFFIX.
        rule: String,
    },
}

/// What every checking command takes.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Files or directories to check (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// An include root that import paths start from (repeatable). Default: `[proto] roots` of
    /// protoforge.toml, else each directory argument.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Apply safe fixes in place and report what changed on stderr.
    #[arg(long)]
    pub fix: bool,

    /// Exit 1 when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Ignore `// protoforge:ignore` and `// buf:lint:ignore` comments: enforce everything.
    #[arg(long)]
    pub no_inline_ignores: bool,

    /// Do not use or update the result cache (also `PROTOFORGE_NO_CACHE=1`).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Record the current findings in FILE and exit 0; point `[lint] baseline` at it so that only
    /// new findings fail.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BreakingArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// The previous version: a directory, a descriptor set (.binpb/.pb) or a git revision
    /// (`main`, `HEAD~1`, `origin/main`, a sha). Default: `[breaking] against`.
    #[arg(long, value_name = "BASELINE")]
    pub against: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,

    /// Also compare with this previous version (default: `[breaking] against`, if set).
    #[arg(long, value_name = "BASELINE")]
    pub against: Option<String>,

    /// Skip the breaking check even when `[breaking] against` is set (lint and ledger only).
    #[arg(long, conflicts_with = "against")]
    pub no_breaking: bool,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Files or directories (default: the current directory); `-` reads standard input and
    /// prints the result (for editors).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rewrite the files that change, in place.
    #[arg(short, long)]
    pub write: bool,

    /// Print a unified diff of what would change.
    #[arg(short, long)]
    pub diff: bool,

    /// Exit 1 when a file would change (buf's `--exit-code`); list them unless `-d` or `-w`.
    #[arg(long, visible_alias = "exit-code")]
    pub check: bool,

    /// Mark as deprecated before formatting (repeatable; `buf source edit deprecate --prefix`):
    /// files of a package, and messages, enums, services and methods, whose full name is PREFIX
    /// or starts with `PREFIX.`; fields and enum values whose full name is PREFIX. Fails, and
    /// writes nothing, when no declaration matches.
    #[arg(long, value_name = "PREFIX")]
    pub deprecate: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LockArgs {
    /// Files or directories (default: the current directory). Lock the whole tree: messages that
    /// are not loaded count as deleted.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// An include root (repeatable).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Record an intended reuse: `FIELD_NUMBER_REUSED:acme.v1.Order.3` (or `...Order.new_name`).
    #[arg(long, value_name = "RULE:ELEMENT")]
    pub accept: Vec<String>,

    /// Why the reuses named by --accept are fine (recorded in the lock).
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "accepted with protoforge lock --accept"
    )]
    pub reason: String,

    /// Rebuild the ledger from the repository's history: every commit that touched a proto file,
    /// oldest first, then the work tree.
    #[arg(long)]
    pub from_git: bool,

    /// Do not write: exit 1 when protoforge.lock is missing or stale, and say how to refresh it.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the files (default: the current directory).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Write only protoforge.toml.
    #[arg(long)]
    pub config_only: bool,

    /// Translate the buf.yaml in DIR (or the one named) into protoforge.toml.
    #[arg(long, value_name = "BUF_YAML", num_args = 0..=1)]
    pub from_buf: Option<Option<PathBuf>>,

    /// Install only the plain git pre-commit hook (lint and lock freshness of what is staged)
    /// into the repository that holds DIR, where git runs hooks from (`core.hooksPath` honoured).
    #[arg(long, conflicts_with_all = ["config_only", "from_buf"])]
    pub hooks: bool,

    /// Overwrite existing files (without it, `init` keeps them and writes the rest).
    #[arg(long)]
    pub force: bool,

    /// The skeleton depends on the protoforge source tree in DIR (written relative to the new
    /// service when DIR is relative). Default: the tree this binary was built from, while it
    /// exists, else the published version.
    #[arg(long, value_name = "DIR", group = "protoforge_source", conflicts_with_all = ["config_only", "from_buf", "hooks"])]
    pub protoforge_path: Option<PathBuf>,

    /// The skeleton depends on this version of protoforge from crates.io.
    #[arg(long, value_name = "VERSION", group = "protoforge_source", conflicts_with_all = ["config_only", "from_buf", "hooks"])]
    pub protoforge_version: Option<String>,

    /// The skeleton depends on protoforge from this git repository.
    #[arg(long, value_name = "URL", group = "protoforge_source", conflicts_with_all = ["config_only", "from_buf", "hooks"])]
    pub protoforge_git: Option<String>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Proto files or directories to generate code for.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// An include root that import paths start from (repeatable). Default: `[proto] roots` of
    /// protoforge.toml, else each file's directory.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Where to write the files (one `<package>.rs` per package, plus descriptor sets).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Generate even when lint or ledger findings are errors (compile errors still stop it).
    #[arg(long)]
    pub no_lint: bool,
}

/// The files a compiling command reads.
#[derive(Debug, Args)]
pub struct Sources {
    /// Files or directories to compile (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// An include root that import paths start from (repeatable). Default: `[proto] roots` of
    /// protoforge.toml, else each directory argument.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OpenapiArgs {
    #[command(flatten)]
    pub sources: Sources,

    /// Where to write the document (default: stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The document's title (default: the packages of the services with routes).
    #[arg(long)]
    pub title: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub sources: Sources,

    /// Write the encoded `google.protobuf.FileDescriptorSet` here (`-` for stdout). Without it,
    /// only check that the files compile.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write every file the named ones import, dependencies first (protoc's
    /// `--include_imports`; `buf build` includes them by default).
    #[arg(long)]
    pub include_imports: bool,

    /// Keep source locations and comments (protoc's `--include_source_info`; `buf build`
    /// includes them by default).
    #[arg(long)]
    pub include_source_info: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
    Json,
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let color = use_color(cli.color);
    match dispatch(&cli, color) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let code = if err.is_findings() {
                EXIT_FINDINGS
            } else {
                EXIT_ERROR
            };
            let handler = if color {
                miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode())
            } else {
                miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            };
            let mut out = String::new();
            if handler.render_report(&mut out, &err).is_err() {
                out = format!("error: {err}\n");
            }
            let _ = std::io::stderr().write_all(out.as_bytes());
            ExitCode::from(code)
        }
    }
}

fn dispatch(cli: &Cli, color: bool) -> Result<u8> {
    match &cli.command {
        Command::Lint(args) => {
            let checks = Checks::lint();
            run_command(
                cli,
                &args.common,
                checks,
                args.write_baseline.as_deref(),
                color,
                false,
            )
        }
        Command::Breaking(args) => {
            let checks = Checks {
                against: args.against.clone(),
                ..Checks::breaking("")
            };
            run_command(cli, &args.common, checks, None, color, true)
        }
        Command::Check(args) => {
            let checks = Checks::all(args.against.clone());
            let default_against = !args.no_breaking;
            run_command(cli, &args.common, checks, None, color, default_against)
        }
        Command::Lock(args) => lock::run(cli, args),
        Command::Init(args) => init::run(args),
        Command::Generate(args) => generate(cli, args),
        Command::Build(args) => build::run(cli, args),
        Command::Openapi(args) => openapi::run(cli, args),
        #[cfg(feature = "call")]
        Command::Call(args) => call::run(cli, args),
        Command::Format(args) => format::run(cli, args),
        Command::Rules(args) => {
            print(&rules_table(args.format));
            Ok(EXIT_CLEAN)
        }
        Command::Explain { rule } => explain(rule),
    }
}

/// The width human output wraps at: `COLUMNS`, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// The core's session for a command run in the working directory on `paths` with `-I include`.
fn open_session(
    cli: &Cli,
    paths: &[PathBuf],
    include: &[PathBuf],
    default_roots: DefaultRoots,
) -> Result<Session> {
    Session::open(&Inputs {
        cwd: std::env::current_dir().map_err(|err| Error::io(".", err))?,
        paths: paths.to_vec(),
        includes: include.to_vec(),
        config: cli.config.clone(),
        default_roots,
    })
}

/// `protoforge generate`: the build.rs pipeline, writing to `--out`.
fn generate(cli: &Cli, args: &GenerateArgs) -> Result<u8> {
    let session = open_session(cli, &args.paths, &args.include, DefaultRoots::Arguments)?;
    let generation = session.generate(!args.no_lint, crate::codegen::DescriptorPath::Relative)?;
    print_timings(&generation.timings);
    let options = HumanOptions {
        color: use_color(cli.color),
        width: terminal_width(),
    };
    let Some(generated) = &generation.generated else {
        eprint!("{}", render::human::render(&generation.errors, options));
        return Err(generation.failure());
    };
    if !generation.warnings.findings.is_empty() && !cli.quiet {
        eprint!("{}", render::human::render(&generation.warnings, options));
    }
    let written = generated
        .write(&args.out)
        .map_err(|e| Error::io(&args.out, e))?;
    if !cli.quiet {
        eprintln!(
            "Wrote {} file(s) to {}: include a package with `include!(\"{}/<package>.rs\")`",
            written.len(),
            args.out.display(),
            args.out.display()
        );
    }
    Ok(EXIT_CLEAN)
}

/// `PROTOFORGE_TIMINGS=1`: how long each phase took, on stderr.
fn print_timings(timings: &[(&'static str, std::time::Duration)]) {
    if std::env::var_os("PROTOFORGE_TIMINGS").is_some() {
        for (phase, took) in timings {
            eprintln!("timing: {phase} {took:?}");
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Progress goes to stderr on a terminal, never in CI (`CI` set) or when piped.
pub(crate) fn progress_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A spinner on stderr for runs that take a while: it appears after 400 ms (a hook on a small
/// change never sees it) and is cleared when dropped.
struct Spinner(Option<(std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>)>);

impl Spinner {
    fn start(enabled: bool, message: &'static str) -> Spinner {
        if !enabled {
            return Spinner(None);
        }
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            use std::sync::mpsc::RecvTimeoutError::Timeout;
            if wait.recv_timeout(std::time::Duration::from_millis(400)) != Err(Timeout) {
                return;
            }
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.set_message(message);
            while wait.recv_timeout(std::time::Duration::from_millis(100)) == Err(Timeout) {
                bar.tick();
            }
            bar.finish_and_clear();
        });
        Spinner(Some((done, thread)))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some((done, thread)) = self.0.take() {
            // Dropping the sender wakes the thread, which clears the spinner and ends.
            drop(done);
            let _ = thread.join();
        }
    }
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`protoforge lint | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn run_command(
    cli: &Cli,
    args: &CommonArgs,
    mut checks: Checks,
    write_baseline: Option<&std::path::Path>,
    color: bool,
    default_against: bool,
) -> Result<u8> {
    let session = open_session(cli, &args.paths, &args.include, DefaultRoots::Anchored)?;
    let is_breaking_only = !checks.lint && !checks.ledger;
    if checks.against.is_none() && default_against {
        checks.against = session.default_against().map(str::to_owned);
    }
    if is_breaking_only && checks.against.is_none() {
        return Err(Error::usage(
            "`protoforge breaking` needs a baseline",
            Some("pass `--against BASELINE` (a directory, a .binpb descriptor set or a git revision such as `origin/main`), or set `[breaking] against` in protoforge.toml".into()),
        ));
    }
    let flags = Flags {
        inline_ignores: !args.no_inline_ignores,
        use_baseline: write_baseline.is_none(),
    };
    if let Some(path) = write_baseline {
        let report = session.report(&checks, &flags)?;
        let written = session.write_baseline(&report, path)?;
        eprintln!(
            "Wrote {} findings to {} (compile errors are never recorded).",
            written,
            path.display()
        );
        return Ok(EXIT_CLEAN);
    }
    let cache = if args.fix || args.no_cache {
        None
    } else {
        session.cache(&checks, &flags)
    };
    let spinner = Spinner::start(!cli.quiet && progress_wanted(), "checking .proto files");
    let report = if args.fix {
        let (report, fixed) = session.run_with_fixes(&checks, &flags)?;
        for line in &fixed.applied {
            eprintln!("fixed: {line}");
        }
        for line in &fixed.reverted {
            eprintln!("not fixed: {line}");
        }
        if !fixed.applied.is_empty() {
            eprintln!(
                "Applied {} in {}.",
                plural(fixed.applied.len(), "fix", "fixes"),
                plural(fixed.files, "file", "files")
            );
        }
        report
    } else if let Some(report) = cache
        .as_ref()
        .and_then(|c| c.lookup(session.load_options()))
    {
        report
    } else {
        let (report, compilation) = session.run(&checks, &flags)?;
        print_timings(&compilation.timings);
        if let Some(cache) = &cache {
            cache.store(&report, &compilation);
        }
        // The process ends right after printing: freeing a large tree's descriptors would only
        // cost time (about half a second on googleapis).
        std::mem::forget(compilation);
        report
    };
    drop(spinner);
    let width = terminal_width();
    let failing = report.count(Severity::Error) > 0
        || (args.deny_warnings && report.count(Severity::Warning) > 0);
    if !cli.quiet || failing {
        print(&render::render(
            &report,
            args.format,
            HumanOptions { color, width },
        ));
    }
    std::mem::forget(report);
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The rule list in a format; markdown is the README's rule table.
pub fn rules_table(format: RulesFormat) -> String {
    match format {
        RulesFormat::Text => {
            let mut out = String::new();
            for r in RULES {
                let cats: Vec<&str> = r.categories.iter().map(|c| c.as_str()).collect();
                out.push_str(&format!(
                    "{:<26} {:<8} {:<4} {:<24} {}\n",
                    r.id,
                    r.kind.as_str(),
                    if r.default { "on" } else { "off" },
                    if cats.is_empty() {
                        "-".to_owned()
                    } else {
                        cats.join(",")
                    },
                    r.summary
                ));
            }
            out.push_str(&format!(
                "\nNot yet available: {} (planned; accepted in configuration and ignored).\n",
                registry::PLANNED.join(", ")
            ));
            out.push_str("`protoforge explain RULE` prints a rule's documentation.\n");
            out
        }
        RulesFormat::Markdown => {
            let mut out = String::from(
                "| Rule | Kind | Default | Categories | buf | What it checks |\n|---|---|---|---|---|---|\n",
            );
            for r in RULES {
                let cats: Vec<&str> = r.categories.iter().map(|c| c.as_str()).collect();
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} | {} |\n",
                    r.id,
                    r.kind.as_str(),
                    if r.default { "on" } else { "off" },
                    if cats.is_empty() {
                        "always".to_owned()
                    } else {
                        cats.join(", ")
                    },
                    if r.buf.is_some() { "same ID" } else { "—" },
                    r.summary.replace('|', "\\|")
                ));
            }
            out
        }
        RulesFormat::Json => {
            let rows: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "kind": r.kind.as_str(),
                        "default": r.default,
                        "categories": r.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                        "buf": r.buf,
                        "summary": r.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n"
        }
    }
}

fn explain(rule: &str) -> Result<u8> {
    let id = rule.to_ascii_uppercase();
    match registry::get(&id) {
        Some(info) => {
            print(&format!("{}\n\n{}", info.id, rules::doc_text(info.doc)));
            Ok(EXIT_CLEAN)
        }
        None => {
            let close: Vec<&str> = RULES
                .iter()
                .map(|r| r.id)
                .filter(|r| r.contains(&id) || id.contains(r))
                .collect();
            let help = if close.is_empty() {
                "`protoforge rules` lists every rule".to_owned()
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            Err(Error::usage(format!("unknown rule `{rule}`"), Some(help)))
        }
    }
}
