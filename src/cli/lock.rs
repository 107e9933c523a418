//! `protoforge lock`: write or refresh protoforge.lock; `--from-git` replays the history;
//! `--check` only says whether the file is current.

use std::path::{Path, PathBuf};

use super::{Cli, EXIT_CLEAN, EXIT_FINDINGS, LockArgs, print};
use crate::check::DefaultRoots;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ledger::{self, Accept, Ledger};
use crate::render::{self, Format, HumanOptions};
use crate::source::{self, Compilation, LoadOptions, git};

pub fn run(cli: &Cli, args: &LockArgs) -> Result<u8> {
    let session = super::open_session(cli, &args.paths, &args.include, DefaultRoots::Anchored)?;
    let cwd = session.load_options().cwd.clone();
    // With no path named, the lock covers the roots.
    let session = match args.paths.is_empty() {
        true => {
            let roots = session.load_options().roots.clone();
            session.with_paths(roots)
        }
        false => session,
    };
    let config = session.config();
    let options = session.load_options();
    let accepts = parse_accepts(&args.accept, &args.reason)?;
    let lock_path = ledger::lock_path(config);
    let existed = lock_path.is_file();
    let old = if existed {
        ledger::read(&lock_path)?
    } else {
        Ledger::default()
    };

    let mut ledger = old.clone();
    if args.from_git {
        ledger = replay_history(config, options, ledger, cli.quiet)?;
    }
    let compilation = session.compile()?;
    let shown = shown_path(&lock_path, &cwd);
    if !compilation.findings.is_empty() {
        if args.check {
            // The lint hook runs beside this one and shows every finding; one line is enough here.
            let mut files: Vec<&str> = compilation
                .findings
                .iter()
                .map(|f| f.file.as_str())
                .collect();
            files.sort_unstable();
            files.dedup();
            eprintln!(
                "{shown} cannot be checked until the files compile: fix the COMPILE findings in {} first (`protoforge lint` shows them)",
                files.join(", ")
            );
            return Ok(EXIT_FINDINGS);
        }
        let report = crate::diagnostic::Report {
            findings: compilation.findings.clone(),
            checked: compilation
                .targets()
                .map(|f| f.display().to_owned())
                .collect(),
            ..Default::default()
        };
        let mut report = with_sources(report, &compilation);
        report.normalize();
        print(&render::render(
            &report,
            Format::Human,
            HumanOptions {
                color: false,
                width: 100,
            },
        ));
        eprintln!("{shown} was not written: the files must compile first.");
        return Ok(EXIT_FINDINGS);
    }
    let outcome = ledger::update(&ledger, &compilation, &today(), &accepts, None);
    if !outcome.refused.is_empty() {
        eprintln!(
            "{shown} {} these numbers would be reused:",
            if args.check {
                "cannot be refreshed:"
            } else {
                "was not written:"
            }
        );
        for r in &outcome.refused {
            let element = r.split_whitespace().next().unwrap_or(r);
            eprintln!(
                "  {r}\n    if intended: protoforge lock --accept {element} --reason \"why\""
            );
        }
        return Ok(EXIT_FINDINGS);
    }
    // Retired numbers that are not reserved yet: locking alone leaves them failing lint.
    let unreserved = ledger::check(&outcome.ledger, &compilation)
        .iter()
        .filter(|f| ledger::NOT_RESERVED.contains(&f.rule))
        .count();
    let new_text = outcome.ledger.to_text();
    if args.check {
        let current = std::fs::read_to_string(&lock_path).unwrap_or_default();
        if existed && current == new_text {
            return Ok(EXIT_CLEAN);
        }
        let next = if unreserved > 0 {
            format!(
                "`{}` reserves the {} and refreshes it",
                ledger::NEXT_STEP,
                super::plural(unreserved, "deleted number", "deleted numbers")
            )
        } else {
            "refresh it with `protoforge lock`".to_owned()
        };
        eprintln!(
            "{shown} is {}; {next}, then commit it",
            if existed { "stale" } else { "missing" }
        );
        return Ok(EXIT_FINDINGS);
    }
    ledger::write(&lock_path, &outcome.ledger)?;
    for a in &outcome.accepted {
        eprintln!("accepted: {a}");
    }
    if !cli.quiet {
        eprintln!(
            "Wrote {shown}: {} entries, {} changed.",
            outcome.ledger.entries.len(),
            outcome.changes
        );
    }
    if !cli.quiet && !existed && !gitattributes_has_union(&config.base) {
        eprintln!(
            "hint: add `{} merge=union` to .gitattributes so that branches adding fields merge cleanly",
            ledger::FILE_NAME
        );
    }
    if unreserved > 0 {
        eprintln!(
            "note: {} no longer used but not reserved; `{}` reserves and records {}",
            super::plural(unreserved, "number is", "numbers are"),
            ledger::NEXT_STEP,
            if unreserved == 1 { "it" } else { "them" }
        );
    }
    Ok(EXIT_CLEAN)
}

/// A path as findings show it: relative to the working directory when it is under it.
fn shown_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

fn with_sources(
    mut report: crate::diagnostic::Report,
    c: &Compilation,
) -> crate::diagnostic::Report {
    for file in &c.files {
        if let (Some(text), true) = (&file.text, file.is_disk()) {
            report
                .sources
                .insert(file.display().to_owned(), text.shared());
        }
    }
    report
}

fn parse_accepts(list: &[String], reason: &str) -> Result<Vec<Accept>> {
    list.iter()
        .map(|a| {
            let (rule, element) = a.split_once(':').ok_or_else(|| {
                Error::usage(
                    format!("`--accept {a}` must be RULE:ELEMENT"),
                    Some("for example `--accept FIELD_NUMBER_REUSED:acme.shop.v1.Order.3`".into()),
                )
            })?;
            if !matches!(rule, "FIELD_NUMBER_REUSED" | "ENUM_VALUE_NUMBER_REUSED") {
                return Err(Error::usage(
                    format!("`{rule}` cannot be accepted by `protoforge lock`"),
                    Some("accept FIELD_NUMBER_REUSED or ENUM_VALUE_NUMBER_REUSED".into()),
                ));
            }
            Ok(Accept {
                rule: rule.to_owned(),
                element: element.to_owned(),
                reason: reason.to_owned(),
            })
        })
        .collect()
}

fn gitattributes_has_union(base: &Path) -> bool {
    std::fs::read_to_string(base.join(".gitattributes"))
        .map(|t| {
            t.lines()
                .any(|l| l.contains(ledger::FILE_NAME) && l.contains("merge=union"))
        })
        .unwrap_or(false)
}

/// Today's date (UTC) as YYYY-MM-DD; `SOURCE_DATE_EPOCH` overrides the clock.
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    civil_date(secs.div_euclid(86_400))
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Replays every commit that touched the roots, oldest first.
fn replay_history(
    config: &Config,
    options: &LoadOptions,
    mut ledger: Ledger,
    quiet: bool,
) -> Result<Ledger> {
    let cwd = source::discover::absolute(&options.cwd)?;
    let top = source::discover::absolute(&git::toplevel(&cwd)?)?;
    let roots: Vec<PathBuf> = if options.roots.is_empty() {
        vec![cwd.clone()]
    } else {
        options
            .roots
            .iter()
            .filter_map(|r| source::discover::absolute(&cwd.join(r)).ok())
            .collect()
    };
    let rels: Vec<String> = roots
        .iter()
        .filter_map(|r| r.strip_prefix(&top).ok())
        .map(|r| {
            let s = r.to_string_lossy().replace('\\', "/");
            if s.is_empty() { ".".to_owned() } else { s }
        })
        .collect();
    let commits = git::commits_touching(&top, &rels)?;
    let bar = if !quiet && super::progress_wanted() {
        let bar = indicatif::ProgressBar::new(commits.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} replaying history {bar:30} {pos}/{len} commits ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let mut reuses = Vec::new();
    for (sha, date) in &commits {
        let short = &sha[..sha.len().min(10)];
        let files = git::list_files(&top, sha, &rels)?;
        let protos: Vec<String> = files
            .into_iter()
            .filter(|f| f.ends_with(".proto"))
            .collect();
        let mut fs = source::fs::MemFs::default();
        for (path, bytes) in git::read_files(&top, sha, &protos)? {
            fs.files.insert(top.join(path), bytes);
        }
        let targets: Vec<(PathBuf, String)> = fs
            .files
            .keys()
            .filter(|p| !config.is_excluded(p))
            .filter_map(|p| {
                let name = roots
                    .iter()
                    .find_map(|r| source::discover::import_name(r, p))?;
                Some((p.clone(), name))
            })
            .collect();
        let c = source::compile::compile_with(&roots, targets, &cwd, &fs);
        let stamp = format!("{date}@{short}");
        let outcome = ledger::update(
            &ledger,
            &c,
            &stamp,
            &[],
            Some(&format!(
                "reused in {short} ({date}), found by lock --from-git"
            )),
        );
        reuses.extend(outcome.accepted);
        ledger = outcome.ledger;
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if !quiet {
        eprintln!("Replayed {} commits.", commits.len());
    }
    for r in &reuses {
        eprintln!("history reused a number: {r}");
    }
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(20_413), "2025-11-21");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
    }
}
