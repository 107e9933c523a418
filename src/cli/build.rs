//! `protoforge build`: compile .proto files and write their descriptor set, as protoc's
//! `--descriptor_set_out` (and `buf build -o`) do.

use std::path::PathBuf;

use super::{BuildArgs, Cli, EXIT_CLEAN, EXIT_FINDINGS, Sources, use_color};
use crate::check::DefaultRoots;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::render::{self, HumanOptions};
use crate::source::{self, COMPILE, Compilation};

/// Loads `sources` with the configuration found for them; `None` after printing the compile
/// errors, when there are some.
pub(super) fn compile(
    cli: &Cli,
    sources: &Sources,
) -> Result<Option<(PathBuf, Config, Compilation)>> {
    let session = super::open_session(
        cli,
        &sources.paths,
        &sources.include,
        DefaultRoots::Anchored,
    )?;
    let cwd = session.load_options().cwd.clone();
    // Every file, excluded or not: a descriptor set holds what the files are, not what is linted.
    let compilation = source::load(session.load_options())?;
    let errors: Vec<_> = compilation
        .findings
        .iter()
        .filter(|f| f.rule == COMPILE)
        .cloned()
        .collect();
    if !errors.is_empty() {
        let report = crate::check::report_of(errors, &compilation);
        let options = HumanOptions {
            color: use_color(cli.color),
            width: super::terminal_width(),
        };
        eprint!("{}", render::human::render(&report, options));
        return Ok(None);
    }
    Ok(Some((cwd, session.config().clone(), compilation)))
}

pub fn run(cli: &Cli, args: &BuildArgs) -> Result<u8> {
    let Some((cwd, _, compilation)) = compile(cli, &args.sources)? else {
        return Ok(EXIT_FINDINGS);
    };
    let targets = compilation.targets().count();
    if targets == 0 {
        return Err(Error::usage(
            "no .proto files to build",
            Some("name .proto files or directories that hold some".into()),
        ));
    }
    let Some(out) = &args.output else {
        if !cli.quiet {
            eprintln!("{targets} file(s) compile (pass `-o FILE` to write their descriptor set)");
        }
        return Ok(EXIT_CLEAN);
    };
    let set = compilation.descriptor_set(args.include_imports, args.include_source_info);
    let written = if out.as_os_str() == "-" {
        use std::io::Write;
        std::io::stdout()
            .write_all(&set)
            .map_err(|e| Error::io("stdout", e))
    } else {
        std::fs::write(cwd.join(out), &set).map_err(|e| Error::io(out, e))
    };
    written?;
    if !cli.quiet {
        eprintln!(
            "Wrote the descriptor set of {targets} file(s) to {} ({} bytes)",
            out.display(),
            set.len()
        );
    }
    Ok(EXIT_CLEAN)
}
