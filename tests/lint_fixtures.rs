//! Fixture tests: every rule in the registry has testdata/lint/<RULE>/, whose files mark the
//! findings they expect with `// expect: RULE[, RULE...]` on the line the finding starts. The
//! harness compares (file, line, rule) sets and snapshots the human and JSON output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use protoforge::check::{Checks, Flags, Session};
use protoforge::internals::config::Config;
use protoforge::internals::rules::{RULES, RuleKind};
use protoforge::internals::source::LoadOptions;
use protoforge::render::{self, Format, HumanOptions};

type Key = (String, usize, String);

fn fixture_dir(rule: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/lint")
        .join(rule)
}

fn proto_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            proto_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}

/// (file, line, rule) for every `// expect:` marker under `dir`.
fn expected(dir: &Path) -> BTreeSet<Key> {
    let mut files = Vec::new();
    proto_files(dir, &mut files);
    let mut out = BTreeSet::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let rel = file
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (i, line) in text.lines().enumerate() {
            if let Some((_, rules)) = line.split_once("// expect:") {
                for rule in rules.split(',') {
                    out.insert((rel.clone(), i + 1, rule.trim().to_owned()));
                }
            }
        }
    }
    out
}

fn lint(dir: &Path) -> protoforge::Report {
    let options = LoadOptions {
        paths: Vec::new(),
        roots: Vec::new(),
        cwd: dir.to_path_buf(),
    };
    // A fixture's own protoforge.toml or buf.yaml, never one from above the checkout.
    let config = if dir.join("protoforge.toml").is_file() {
        Config::read(&dir.join("protoforge.toml")).expect("fixture config loads")
    } else if dir.join("buf.yaml").is_file() {
        protoforge::internals::config::buf::read(&dir.join("buf.yaml"))
            .expect("fixture buf.yaml loads")
    } else {
        Config::defaults(dir)
    };
    // As `check` runs: FORMAT too, where the fixture's configuration asks for it.
    let checks = Checks {
        format: true,
        ..Checks::lint()
    };
    Session::with_config(config, options)
        .report(&checks, &Flags::default())
        .expect("fixture loads")
}

/// Every fixture folder: `<RULE>` and its variants `<RULE>.<what>` (options, config, suppression).
fn fixture_folders() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/lint");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

#[test]
fn every_rule_has_a_fixture_and_matches_it() {
    for rule in RULES.iter().filter(|r| r.kind == RuleKind::Lint) {
        assert!(
            fixture_dir(rule.id).is_dir(),
            "rule {} has no fixture folder",
            rule.id
        );
    }
    let mut failures = Vec::new();
    for (name, dir) in fixture_folders() {
        let rule_id = name.split('.').next().unwrap();
        let rule = RULES
            .iter()
            .find(|r| r.id == rule_id && r.kind == RuleKind::Lint)
            .unwrap_or_else(|| panic!("fixture folder {name} names no rule"));
        let want = expected(&dir);
        assert!(
            want.iter().any(|(_, _, r)| r == rule.id),
            "fixture {name} expects no {} finding: it cannot fail",
            rule.id
        );
        // Compared: the folder's rule, COMPILE, and every rule a marker names.
        let mut compared: BTreeSet<&str> = want.iter().map(|(_, _, r)| r.as_str()).collect();
        compared.insert(rule.id);
        compared.insert("COMPILE");
        let report = lint(&dir);
        let got: BTreeSet<Key> = report
            .findings
            .iter()
            .filter(|f| compared.contains(f.rule))
            .map(|f| (f.file.clone(), f.span.line, f.rule.to_owned()))
            .collect();
        if got != want {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            failures.push(format!(
                "{name}:\n  missing {missing:?}\n  unexpected {extra:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn snapshots_of_human_and_json_output() {
    for (name, dir) in fixture_folders() {
        let report = lint(&dir);
        let human = render::render(
            &report,
            Format::Human,
            HumanOptions {
                color: false,
                width: 80,
            },
        );
        let json = render::render(
            &report,
            Format::Json,
            HumanOptions {
                color: false,
                width: 80,
            },
        );
        insta::assert_snapshot!(format!("{name}__human"), human);
        insta::assert_snapshot!(format!("{name}__json"), json);
    }
}

#[test]
fn findings_carry_spans_inside_their_files() {
    for (_, dir) in fixture_folders() {
        let report = lint(&dir);
        for f in &report.findings {
            let text = report
                .sources
                .get(&f.file)
                .expect("source of every finding");
            assert!(
                f.span.start <= f.span.end && f.span.end <= text.len(),
                "{f:?}"
            );
            assert!(f.span.line >= 1 && f.span.column >= 1, "{f:?}");
            assert!(
                (f.span.end_line, f.span.end_column) >= (f.span.line, f.span.column),
                "{f:?}"
            );
            for l in &f.related {
                assert!(l.span.end <= text.len(), "{f:?}");
            }
        }
    }
}
