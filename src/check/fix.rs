//! `--fix`: apply every safe fix, check again, and undo the fixes of a file that no longer
//! compiles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{Checks, Flags};
use crate::config::Config;
use crate::diagnostic::{Finding, Report, fix};
use crate::error::{Error, Result};
use crate::source::{self, LoadOptions};

/// What `--fix` did.
#[derive(Debug, Default)]
pub struct Fixed {
    /// `file:line: RULE description` per applied fix.
    pub applied: Vec<String>,
    /// Fixes undone because the file no longer compiled.
    pub reverted: Vec<String>,
    /// Files changed.
    pub files: usize,
}

/// Applies every safe fix, re-checks, and returns the report of what is left.
pub(super) fn run_with_fixes(
    options: &LoadOptions,
    config: &Config,
    flags: &Flags,
    checks: &Checks,
) -> Result<(Report, Fixed)> {
    let (report, compilation) = super::run::run(options, config, flags, checks)?;
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in report.findings.iter().filter(|f| f.fix.is_some()) {
        by_file.entry(&finding.file).or_default().push(finding);
    }
    if by_file.is_empty() {
        return Ok((report, Fixed::default()));
    }
    let mut fixed = Fixed::default();
    let mut originals: BTreeMap<PathBuf, (String, Vec<String>)> = BTreeMap::new();
    for (display, findings) in &by_file {
        let Some(file) = compilation.files.iter().find(|f| f.display() == *display) else {
            continue;
        };
        let (source::Origin::Disk { path, .. }, Some(text)) = (&file.origin, &file.text) else {
            continue;
        };
        // The layout (a whole-file edit) goes last, over what the other fixes made.
        let edits: Vec<_> = findings
            .iter()
            .filter(|f| f.rule != "FORMAT")
            .flat_map(|f| f.fix.iter().flat_map(|fix| fix.edits.iter().cloned()))
            .collect();
        let (mut new_text, _) = fix::apply(text.as_str(), &edits);
        if findings.iter().any(|f| f.rule == "FORMAT")
            && let Ok(formatted) = crate::format::format(&new_text)
        {
            new_text = formatted;
        }
        if new_text == text.as_str() {
            continue;
        }
        std::fs::write(path, &new_text).map_err(|err| Error::io(path, err))?;
        let lines = findings
            .iter()
            .map(|f| {
                format!(
                    "{}:{}: {} {}",
                    f.file,
                    f.span.line,
                    f.rule,
                    f.fix
                        .as_ref()
                        .map(|x| x.description.as_str())
                        .unwrap_or_default()
                )
            })
            .collect();
        originals.insert(path.clone(), (text.as_str().to_owned(), lines));
    }
    drop(compilation);

    // Re-check; undo the fixes of any file that no longer compiles.
    let compile_errors = |report: &Report| -> BTreeSet<String> {
        report
            .findings
            .iter()
            .filter(|f| f.rule == "COMPILE")
            .map(|f| f.file.clone())
            .collect()
    };
    let before = compile_errors(&report);
    let (mut after_report, after_compilation) = super::run::run(options, config, flags, checks)?;
    let after = compile_errors(&after_report);
    let mut reverted_any = false;
    for (path, (original, lines)) in &originals {
        let display = after_compilation
            .files
            .iter()
            .find(|f| matches!(&f.origin, source::Origin::Disk { path: p, .. } if p == path))
            .map(|f| f.display().to_owned())
            .unwrap_or_default();
        if after.contains(&display) && !before.contains(&display) {
            std::fs::write(path, original).map_err(|err| Error::io(path, err))?;
            fixed.reverted.extend(
                lines
                    .iter()
                    .map(|l| format!("{l} (the fixed file did not compile; left unchanged)")),
            );
            reverted_any = true;
        } else {
            fixed.applied.extend(lines.iter().cloned());
            fixed.files += 1;
        }
    }
    if reverted_any {
        after_report = super::run::run(options, config, flags, checks)?.0;
    }
    Ok((after_report, fixed))
}
