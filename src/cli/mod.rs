//! Command-line interface: clap definitions, dispatch and exit codes. No rule logic.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::diagnostic::{Report, Severity};
use crate::error::{Error, Result};
use crate::render::{self, Format, HumanOptions};
use crate::rules::{self, RULES, RuleKind, registry};
use crate::source::{self, LoadOptions};

/// Exit codes: 0 clean, 1 findings, 2 usage, config or IO error.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Guards and builds gRPC APIs from their .proto files.
#[derive(Debug, Parser)]
#[command(name = "protoforge", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Read this configuration file instead of looking for protoforge.toml upwards from here.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to colour human output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
    /// List every rule with its default and categories.
    Rules(RulesArgs),
    /// Print the documentation of a rule.
    Explain {
        /// A rule ID such as PACKAGE_VERSION_SUFFIX.
        rule: String,
    },
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// An include root that import paths start from (repeatable). Default: `[proto] roots` of
    /// protoforge.toml, else each directory argument.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn dispatch(cli: &Cli, color: bool) -> Result<u8> {
    match &cli.command {
        Command::Lint(args) => lint(cli, args, color),
        Command::Rules(args) => {
            print(&rules_table(args.format));
            Ok(EXIT_CLEAN)
        }
        Command::Explain { rule } => explain(rule),
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

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`protoforge lint | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn load_config(cli: &Cli, cwd: &std::path::Path) -> Result<Config> {
    match &cli.config {
        Some(path) => Config::read(path),
        None => match Config::find(cwd) {
            Some(path) => Config::read(&path),
            None => Ok(Config::default()),
        },
    }
}

fn lint(cli: &Cli, args: &LintArgs, color: bool) -> Result<u8> {
    let cwd = std::env::current_dir().map_err(|err| Error::io(".", err))?;
    let config = load_config(cli, &cwd)?;
    let roots = if args.include.is_empty() {
        config.roots()
    } else {
        args.include.clone()
    };
    let options = LoadOptions {
        paths: args.paths.clone(),
        roots,
        cwd,
    };
    let report = lint_report(&options, &config)?;
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    print(&render::render(
        &report,
        args.format,
        HumanOptions { color, width },
    ));
    Ok(if report.count(Severity::Error) > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Loads, compiles and lints; the report holds compile findings and rule findings.
pub fn lint_report(options: &LoadOptions, _config: &Config) -> Result<Report> {
    let timings = std::env::var_os("PROTOFORGE_TIMINGS").is_some();
    let started = std::time::Instant::now();
    let compilation = source::load(options)?;
    if timings {
        eprintln!("timing: load+compile {:?}", started.elapsed());
    }
    let enabled: Vec<_> = RULES
        .iter()
        .filter(|r| r.kind == RuleKind::Lint && r.default)
        .map(|r| (r, Severity::Error))
        .collect();
    let mut report = Report {
        findings: compilation.findings.clone(),
        files_checked: compilation.targets().count(),
        ..Report::default()
    };
    let lint_started = std::time::Instant::now();
    report
        .findings
        .extend(rules::run_lint(&compilation, &enabled));
    if timings {
        eprintln!("timing: lint {:?}", lint_started.elapsed());
    }
    for file in &compilation.files {
        if let (Some(text), true) = (&file.text, file.is_disk()) {
            report
                .sources
                .insert(file.display().to_owned(), text.shared());
        }
    }
    report.normalize();
    Ok(report)
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
            out.push_str("\nNot yet available: PROTOVALIDATE (planned), the rest of buf's lint set and the breaking rules (in progress).\n");
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
