//! One checking run, shared by `lint`, `breaking` and `check`: load and compile once, run the
//! enabled lint rules, the ledger check and the breaking rules, then apply the policy (severity,
//! ignores, inline suppressions, baseline).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{Checks, Flags};
use crate::config::Config;
use crate::diagnostic::baseline::{self, Baseline};
use crate::diagnostic::{Edit, Finding, Fix, Report, Severity, suppress};
use crate::error::{Error, Result};
use crate::rules::{self, RuleInfo};
use crate::source::{self, Compilation, LoadOptions};

pub(super) fn run(
    options: &LoadOptions,
    config: &Config,
    flags: &Flags,
    checks: &Checks,
) -> Result<(Report, Compilation)> {
    // The baseline first: once linked it keeps only its descriptor pool, so the current tree's
    // parse is never in memory at the same time as the baseline's (peak memory, not time, is
    // the constraint on a large tree; each compile already uses every core while parsing).
    let mut previous = checks
        .against
        .as_deref()
        .map(|against| load_previous(config, options, against))
        .transpose()?;
    let mut compilation = source::load_filtered(options, &|path: &Path| config.is_excluded(path))?;
    let lint_started = std::time::Instant::now();
    let mut enabled: BTreeMap<&str, &'static RuleInfo> = BTreeMap::new();
    for policy in config.policies() {
        for rule in policy.enabled() {
            enabled.insert(rule.id, rule);
        }
    }
    let enabled: Vec<&'static RuleInfo> = enabled.into_values().collect();
    let options_for = |file: &source::LoadedFile| match &file.origin {
        source::Origin::Disk { path, .. } => config.policy_for(path).options.clone(),
        _ => config.lint.options.clone(),
    };
    let mut findings = compilation.findings.clone();
    if checks.lint {
        findings.extend(rules::run_lint(
            &compilation,
            &enabled,
            &config.lint.options,
            &options_for,
        ));
    }
    let lint_time = lint_started.elapsed();
    if checks.ledger {
        findings.extend(ledger_findings(&compilation, config)?);
    }
    if checks.format && config.format_check {
        findings.extend(format_findings(&compilation));
    }
    let mut notes = Vec::new();
    let mut breaking_time = None;
    if let Some(previous) = &mut previous {
        let started = std::time::Instant::now();
        findings.extend(breaking_findings(&compilation, config, previous));
        notes.push(format!("compared against {}", previous.description));
        if !previous.skipped.is_empty() {
            notes.push(format!(
                "{} baseline file(s) did not compile and were not compared: {}",
                previous.skipped.len(),
                previous.skipped.join(", ")
            ));
        }
        breaking_time = Some(started.elapsed());
    }

    let paths: HashMap<&str, &Path> = compilation
        .files
        .iter()
        .filter_map(|f| match &f.origin {
            source::Origin::Disk { path, display } => Some((display.as_str(), path.as_path())),
            _ => None,
        })
        .collect();
    let baseline_pool = previous.as_ref().map(|p| &p.pool);
    let findings = apply_policy(findings, &compilation, baseline_pool, config, flags, &paths)?;

    let mut report = report_of(findings, &compilation);
    report.notes = notes;
    compilation.timings.push(("lint", lint_time));
    compilation
        .timings
        .extend(breaking_time.map(|t| ("breaking", t)));
    Ok((report, compilation))
}

/// FORMAT: one finding per target file `protoforge format` would change, at its first changed
/// line, with the formatted file as its fix. Files with syntax errors have COMPILE findings.
fn format_findings(compilation: &Compilation) -> Vec<Finding> {
    let mut out = Vec::new();
    for file in compilation.targets().filter(|f| f.is_disk()) {
        let Some(text) = &file.text else { continue };
        let Ok(formatted) = crate::format::format(text.as_str()) else {
            continue;
        };
        if formatted == text.as_str() {
            continue;
        }
        let first_diff = text
            .as_str()
            .bytes()
            .zip(formatted.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| text.as_str().len().min(formatted.len()));
        let line_start = text.as_str()[..first_diff].rfind('\n').map_or(0, |i| i + 1);
        let changed = similar::TextDiff::from_lines(text.as_str(), &formatted)
            .ops()
            .iter()
            .filter(|op| op.tag() != similar::DiffTag::Equal)
            .count();
        out.push(Finding {
            rule: "FORMAT",
            severity: Severity::Error,
            file: file.display().to_owned(),
            span: text.line_span_from(line_start),
            message: format!(
                "not laid out as `protoforge format` writes it ({changed} change{})",
                if changed == 1 { "" } else { "s" }
            ),
            label: None,
            help: Some(format!(
                "run `protoforge format -w {}` or `protoforge check --fix`",
                file.display()
            )),
            related: Vec::new(),
            fix: Some(Fix {
                description: "format the file".into(),
                edits: vec![Edit {
                    start: 0,
                    end: text.as_str().len(),
                    replacement: formatted,
                }],
            }),
        });
    }
    out
}

/// A normalized report of `findings` on `compilation`: its targets as the files checked, the
/// text of its files on disk for snippets.
pub fn report_of(findings: Vec<Finding>, compilation: &Compilation) -> Report {
    let mut report = Report {
        findings,
        checked: compilation
            .targets()
            .map(|f| f.display().to_owned())
            .collect(),
        ..Report::default()
    };
    for file in &compilation.files {
        if let (Some(text), true) = (&file.text, file.is_disk()) {
            report
                .sources
                .insert(file.display().to_owned(), text.shared());
        }
    }
    report.normalize();
    report
}

fn apply_policy(
    findings: Vec<Finding>,
    compilation: &Compilation,
    baseline_pool: Option<&prost_reflect::DescriptorPool>,
    config: &Config,
    flags: &Flags,
    paths: &HashMap<&str, &Path>,
) -> Result<Vec<Finding>> {
    let mut suppressions: HashMap<String, Vec<suppress::Suppression>> = HashMap::new();
    let mut kept = Vec::with_capacity(findings.len());
    for mut finding in findings {
        // A file that is gone (FILE_NO_DELETE and its kin) is named by its import name: ignores
        // apply to it where it would be under the first root.
        let is_breaking = crate::rules::registry::get(finding.rule)
            .is_some_and(|r| r.kind == crate::rules::RuleKind::Breaking);
        let gone;
        let path = match paths.get(finding.file.as_str()).copied() {
            Some(path) => path,
            None if is_breaking
                && !finding.file.is_empty()
                && Path::new(&finding.file).is_relative() =>
            {
                gone = config
                    .roots
                    .first()
                    .unwrap_or(&config.base)
                    .join(&finding.file);
                gone.as_path()
            }
            None => {
                kept.push(finding);
                continue;
            }
        };
        let policy = if is_breaking {
            config.breaking_policy_for(path)
        } else {
            config.policy_for(path)
        };
        let Some(severity) = policy.severity(finding.rule, path) else {
            continue;
        };
        if policy.ignore_unstable_packages
            && in_unstable_package(&finding.file, path, compilation, baseline_pool)
        {
            continue;
        }
        finding.severity = severity;
        if finding.rule != "COMPILE" && flags.inline_ignores && policy.inline_ignores {
            let list = suppressions.entry(finding.file.clone()).or_insert_with(|| {
                file_suppressions(compilation, &finding.file).unwrap_or_default()
            });
            if suppress::is_suppressed(list, finding.rule, finding.span.start) {
                continue;
            }
        }
        kept.push(finding);
    }
    if flags.use_baseline && checks_lint_baseline(&kept) {
        let baselines: BTreeSet<&PathBuf> = config
            .policies()
            .filter_map(|p| p.baseline.as_ref())
            .collect();
        for path in baselines {
            let baseline = read_baseline(path)?;
            baseline.filter(&mut kept, |file| relative_to_base(config, paths, file));
        }
    }
    Ok(kept)
}

/// Baselines grandfather lint findings; a run with none has nothing to filter.
fn checks_lint_baseline(findings: &[Finding]) -> bool {
    !findings.is_empty()
}

/// Loads the baseline `against` for the run described by `options`.
fn load_previous(
    config: &Config,
    options: &LoadOptions,
    against: &str,
) -> Result<source::baseline::Previous> {
    let cwd = source::discover::absolute(&options.cwd)?;
    let paths: Vec<PathBuf> = if options.paths.is_empty() {
        vec![cwd.clone()]
    } else {
        options.paths.iter().map(|p| cwd.join(p)).collect()
    };
    let paths: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| source::discover::absolute(p).ok())
        .collect();
    let roots: Vec<PathBuf> = options
        .roots
        .iter()
        .filter_map(|r| source::discover::absolute(&cwd.join(r)).ok())
        .collect();
    let excluded = |p: &Path| config.is_excluded(p);
    // A baseline directory with a configuration of its own has its own roots.
    let against_dir = cwd.join(against);
    let baseline_roots = if ["buf.yaml", crate::config::FILE_NAME]
        .iter()
        .any(|name| against_dir.join(name).is_file())
    {
        Some(Config::load(None, &against_dir)?.roots)
    } else {
        None
    };
    let cx = source::baseline::Context {
        cwd: &cwd,
        base: &config.base,
        roots: &roots,
        paths: &paths,
        excluded: &excluded,
        baseline_roots,
    };
    source::baseline::load(against, &cx)
}

/// buf's `ignore_unstable_packages`: whether the file a finding names is in an alpha, beta or test
/// package: a file of today's tree (by its path), else one that is gone (in the baseline).
fn in_unstable_package(
    file: &str,
    path: &Path,
    compilation: &Compilation,
    baseline_pool: Option<&prost_reflect::DescriptorPool>,
) -> bool {
    use crate::rules::lint::{Stability, package_stability};
    let current = compilation.files.iter().find(|f| match &f.origin {
        source::Origin::Disk { path: p, .. } => p == path,
        _ => false,
    });
    let descriptor = match current {
        Some(f) => compilation.pool.get_file_by_name(&f.name),
        None => baseline_pool.and_then(|pool| pool.get_file_by_name(file)),
    };
    descriptor
        .and_then(|d| package_stability(d.package_name()))
        .is_some_and(|s| s != Stability::Stable)
}

/// The breaking findings of the current compilation against the previous version.
fn breaking_findings(
    compilation: &Compilation,
    config: &Config,
    previous: &mut source::baseline::Previous,
) -> Vec<Finding> {
    use crate::rules::breaking::Side;
    // Files the current run only imports are not compared (a descriptor set with imports, or a
    // run on a few files).
    for f in compilation.files.iter().filter(|f| !f.is_target) {
        previous.scope.remove(&f.name);
    }
    let current_names: Vec<String> = compilation
        .lintable_targets()
        .map(|f| f.name.clone())
        .collect();
    let current = Side::new(&compilation.pool, current_names);
    let prev_side = Side::new(&previous.pool, previous.scope.iter().cloned());
    let mut enabled: BTreeMap<&str, &'static RuleInfo> = BTreeMap::new();
    for policy in config.breaking_policies() {
        for rule in policy.enabled() {
            enabled.insert(rule.id, rule);
        }
    }
    let enabled: Vec<&'static RuleInfo> = enabled.into_values().collect();
    crate::rules::breaking::context::run(&prev_side, &current, compilation, &enabled)
}

/// The ledger findings, when protoforge.lock exists next to the configuration.
fn ledger_findings(compilation: &Compilation, config: &Config) -> Result<Vec<Finding>> {
    let path = crate::ledger::lock_path(config);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let ledger = crate::ledger::read(&path)?;
    Ok(crate::ledger::check(&ledger, compilation))
}

fn file_suppressions(
    compilation: &Compilation,
    display: &str,
) -> Option<Vec<suppress::Suppression>> {
    let file = compilation.files.iter().find(|f| f.display() == display)?;
    let text = file.text.as_ref()?;
    match &file.source_info {
        Some(info) => Some(suppress::collect(info, text)),
        // Not linked: parse again just for the comments.
        None => crate::source::syntax::parse(&file.name, text.as_str())
            .ok()
            .and_then(|proto| proto.source_code_info)
            .map(|info| suppress::collect(&crate::source::locate::CompactInfo::new(&info), text)),
    }
}

fn read_baseline(path: &Path) -> Result<Baseline> {
    match baseline::read(path) {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(err)) => Err(Error::usage(
            format!(
                "baseline `{}` is not a protoforge baseline: {err}",
                path.display()
            ),
            Some("regenerate it with `protoforge lint --write-baseline FILE`".into()),
        )),
        Err(err) => Err(Error::io(path, err)),
    }
}

fn relative_to_base(config: &Config, paths: &HashMap<&str, &Path>, file: &str) -> String {
    match paths.get(file) {
        Some(path) => path
            .strip_prefix(&config.base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/"),
        None => file.to_owned(),
    }
}

/// Writes the report's findings as a baseline; returns how many were recorded.
pub(super) fn write_baseline(
    report: &Report,
    config: &Config,
    cwd: &Path,
    to: &Path,
) -> Result<usize> {
    let to = &cwd.join(to);
    let rel = |file: &str| {
        let abs =
            crate::source::discover::absolute(&cwd.join(file)).unwrap_or_else(|_| cwd.join(file));
        abs.strip_prefix(&config.base)
            .unwrap_or(&abs)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let baseline = Baseline::from_findings(&report.findings, rel);
    std::fs::write(to, baseline.to_json()).map_err(|err| Error::io(to, err))?;
    Ok(baseline.findings.len())
}
