//! `protoforge format`: print, rewrite, diff or check files in buf format's layout.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{Cli, EXIT_CLEAN, EXIT_FINDINGS, FormatArgs, use_color};
use crate::diagnostic::{Finding, Report, Severity};
use crate::error::{Error, Result};
use crate::render::{self, HumanOptions};
use crate::source::syntax::{self, SyntaxError};
use crate::source::text::SourceText;
use crate::source::{COMPILE, discover};

/// One file's outcome.
enum Outcome {
    Unchanged(String),
    Changed {
        before: String,
        after: String,
    },
    Broken {
        findings: Vec<Finding>,
        text: String,
    },
}

pub fn run(cli: &Cli, args: &FormatArgs) -> Result<u8> {
    let cwd = std::env::current_dir().map_err(|err| Error::io(".", err))?;
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 || args.write {
            return Err(Error::usage(
                "`-` (standard input) is formatted alone and printed, never written",
                Some("pass either `-` or paths".into()),
            ));
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("stdin", e))?;
        let (result, matched) = outcome("<stdin>", text, &args.deprecate);
        nothing_matched(args, matched)?;
        return finish(cli, args, vec![("<stdin>".into(), None, result)]);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let files = discover::discover(&paths)?;
    if files.is_empty() {
        return Err(Error::usage(
            "no .proto files to format",
            Some("name .proto files or directories that hold some".into()),
        ));
    }
    // Files are read and formatted in parallel; results are written in order.
    use rayon::prelude::*;
    let results = files
        .into_par_iter()
        .map(|file| read_and_format(file, &cwd, &args.deprecate))
        .collect::<Result<Vec<_>>>()?;
    let matched = results.iter().any(|(_, _, _, matched)| *matched);
    nothing_matched(args, matched)?;
    let results = results
        .into_iter()
        .map(|(shown, path, result, _)| (shown, path, result))
        .collect();
    finish(cli, args, results)
}

/// `--deprecate` that names nothing is a mistake (a typo, a wrong package): nothing is written.
fn nothing_matched(args: &FormatArgs, matched: bool) -> Result<()> {
    if args.deprecate.is_empty() || matched {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "no declaration matched --deprecate {}",
            args.deprecate.join(", ")
        ),
        Some(
            "a prefix is a full name without a leading dot (`pkg.v1`, `pkg.v1.Message`); fields \
             and enum values need their exact name (`pkg.v1.Message.field`, `pkg.v1.ENUM_VALUE`)"
                .into(),
        ),
    ))
}

type Formatted = (String, Option<PathBuf>, Outcome, bool);

fn read_and_format(file: PathBuf, cwd: &Path, deprecate: &[String]) -> Result<Formatted> {
    let shown = discover::display_path(&file, cwd);
    let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
    let (result, matched) = match String::from_utf8(bytes) {
        Ok(text) => outcome(&shown, text, deprecate),
        Err(_) => (
            Outcome::Broken {
                findings: vec![finding(
                    &shown,
                    &SourceText::new(""),
                    0,
                    0,
                    "the file is not UTF-8".into(),
                )],
                text: String::new(),
            },
            false,
        ),
    };
    Ok((shown, Some(file), result, matched))
}

/// A file formatted, after `deprecate`'s edits when there are prefixes (and whether one matched).
fn outcome(shown: &str, text: String, deprecate: &[String]) -> (Outcome, bool) {
    let mut matched = false;
    let formatted = if deprecate.is_empty() {
        crate::format::format(&text)
    } else {
        crate::format::deprecate(&text, deprecate).and_then(|(edited, hit)| {
            matched = hit;
            // The edits only add statements and entries; if the result did not format, the
            // errors would point into text the user never saw.
            crate::format::format(&edited).map_err(|errors| {
                errors
                    .into_iter()
                    .map(|e| SyntaxError {
                        span: syntax::Span::default(),
                        message: format!(
                            "internal error: --deprecate wrote text that does not parse ({})",
                            e.message
                        ),
                    })
                    .collect()
            })
        })
    };
    let outcome = match formatted {
        Ok(after) if after == text => Outcome::Unchanged(text),
        Ok(after) => Outcome::Changed {
            before: text,
            after,
        },
        Err(errors) => {
            let source = SourceText::new(text.as_str());
            let findings = errors
                .into_iter()
                .map(|e| {
                    let (start, end) = (e.span.start as usize, e.span.end as usize);
                    finding(shown, &source, start, end, e.message)
                })
                .collect();
            Outcome::Broken { findings, text }
        }
    };
    (outcome, matched)
}

fn finding(shown: &str, source: &SourceText, start: usize, end: usize, message: String) -> Finding {
    Finding {
        rule: COMPILE,
        severity: Severity::Error,
        file: shown.to_owned(),
        span: source.span(start, end),
        message,
        label: None,
        help: Some("a file with syntax errors is not formatted".into()),
        related: Vec::new(),
        fix: None,
    }
}

fn finish(
    cli: &Cli,
    args: &FormatArgs,
    results: Vec<(String, Option<PathBuf>, Outcome)>,
) -> Result<u8> {
    let mut stdout = std::io::stdout().lock();
    let mut broken = Report::default();
    let mut changed = Vec::new();
    let mut total = 0;
    for (shown, path, result) in results {
        total += 1;
        match result {
            Outcome::Broken { findings, text } => {
                broken.sources.insert(shown.clone(), text.into());
                broken.checked.push(shown);
                broken.findings.extend(findings);
            }
            Outcome::Unchanged(text) => {
                if !args.write && !args.diff && !args.check {
                    write_out(&mut stdout, text.as_bytes())?;
                }
            }
            Outcome::Changed { before, after } => {
                if args.diff {
                    let diff = similar::TextDiff::from_lines(&before, &after);
                    let text = diff
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("{shown}.orig"), &shown)
                        .to_string();
                    write_out(&mut stdout, text.as_bytes())?;
                }
                if args.write {
                    if let Some(p) = &path {
                        write_file(p, &after)?;
                    }
                } else if !args.diff && !args.check {
                    write_out(&mut stdout, after.as_bytes())?;
                }
                changed.push(shown);
            }
        }
    }
    drop(stdout);
    if !broken.findings.is_empty() {
        broken.normalize();
        let options = HumanOptions {
            color: use_color(cli.color),
            width: super::terminal_width(),
        };
        eprint!("{}", render::human::render(&broken, options));
    }
    if !cli.quiet {
        if args.check && !args.diff && !args.write {
            for shown in &changed {
                eprintln!("{shown}: not formatted");
            }
        }
        if args.write || args.check {
            let verb = if args.write {
                "formatted"
            } else {
                "would be formatted"
            };
            eprintln!(
                "{} of {total} file(s) {verb}{}",
                changed.len(),
                if broken.checked.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} with syntax errors left as they are",
                        broken.checked.len()
                    )
                }
            );
        }
    }
    let failed = !broken.findings.is_empty() || (args.check && !changed.is_empty());
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn write_out(out: &mut impl Write, bytes: &[u8]) -> Result<()> {
    match out.write_all(bytes) {
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| Error::io("stdout", e)),
    }
}

/// Replaces `path` through a temporary file in the same directory, so that an interrupted run
/// never leaves half a file.
fn write_file(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.protoforge-format"));
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}
