//! The command line as clap parses it: every command and its arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;

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
    Call(super::call::CallArgs),
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
