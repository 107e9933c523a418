//! Command-line interface: dispatch and exit codes. The arguments are in `args.rs`, the
//! checking commands in `check.rs`, one file per other command, and what they share for the
//! terminal in `output.rs`. No rule logic: the commands call the core (`crate::check`).

mod args;
mod build;
#[cfg(feature = "call")]
pub mod call;
mod check;
mod format;
mod init;
mod lock;
mod openapi;
mod output;
mod rules;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub use args::*;
pub use rules::rules_table;

use crate::check::{Checks, DefaultRoots, Inputs, Session};
use crate::error::{Error, Result};
use output::{plural, print, progress_wanted, terminal_width, use_color};

/// Exit codes: 0 clean, 1 findings, 2 usage, config or IO error.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

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
            check::run_command(
                cli,
                &args.common,
                checks,
                args.write_baseline.as_deref(),
                color,
                false,
            )
        }
        Command::Breaking(args) => {
            // No `--against` here means the configuration's `[breaking] against`.
            let checks = Checks {
                lint: false,
                ledger: false,
                against: args.against.clone(),
                format: false,
            };
            check::run_command(cli, &args.common, checks, None, color, true)
        }
        Command::Check(args) => {
            let checks = Checks::all(args.against.clone());
            let default_against = !args.no_breaking;
            check::run_command(cli, &args.common, checks, None, color, default_against)
        }
        Command::Lock(args) => lock::run(cli, args),
        Command::Init(args) => init::run(args),
        Command::Generate(args) => check::generate(cli, args),
        Command::Build(args) => build::run(cli, args),
        Command::Openapi(args) => openapi::run(cli, args),
        #[cfg(feature = "call")]
        Command::Call(args) => call::run(cli, args),
        Command::Format(args) => format::run(cli, args),
        Command::Rules(args) => {
            print(&rules_table(args.format));
            Ok(EXIT_CLEAN)
        }
        Command::Explain { rule } => rules::explain(rule),
    }
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
