//! `protoforge lint`, `breaking` and `check` (one run of the core with different checks), and
//! `protoforge generate` (the build.rs pipeline, writing to `--out`).

use super::output::{
    Spinner, plural, print, print_timings, progress_wanted, terminal_width, use_color,
};
use super::{Cli, CommonArgs, EXIT_CLEAN, EXIT_FINDINGS, GenerateArgs, open_session};
use crate::check::{Checks, DefaultRoots, Flags};
use crate::diagnostic::Severity;
use crate::error::{Error, Result};
use crate::render::{self, HumanOptions};

/// `protoforge generate`: the build.rs pipeline, writing to `--out`.
pub(super) fn generate(cli: &Cli, args: &GenerateArgs) -> Result<u8> {
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

pub(super) fn run_command(
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
