//! Breaking fixtures: testdata/breaking/<RULE>[.<what>]/{previous,current}/. Files in current/
//! mark expected findings with `// expect: RULE`; findings in files that no longer exist are
//! listed in expect.txt as `file:line:RULE`. The folder's rule and every rule a marker names are
//! enabled and compared; with a `compare_all` file, the default rules are enabled too and every
//! finding is compared.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use protoforge::check::{Checks, Flags, Session};
use protoforge::internals::config::{Config, LintSpec, Named};
use protoforge::internals::rules::{RULES, RuleKind};
use protoforge::internals::source::LoadOptions;
use protoforge::render::{self, Format, HumanOptions};

type Key = (String, usize, String);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/breaking")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "proto") {
            out.push(p);
        }
    }
}

fn expected(dir: &Path) -> BTreeSet<Key> {
    let current = dir.join("current");
    let mut protos = Vec::new();
    files(&current, &mut protos);
    let mut out = BTreeSet::new();
    for file in protos {
        let text = std::fs::read_to_string(&file).unwrap();
        let rel = file
            .strip_prefix(&current)
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
    if let Ok(extra) = std::fs::read_to_string(dir.join("expect.txt")) {
        for line in extra.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.rsplitn(3, ':');
            let rule = parts.next().unwrap().to_owned();
            let line_no: usize = parts.next().unwrap().parse().unwrap();
            let file = parts.next().unwrap().to_owned();
            out.insert((file, line_no, rule));
        }
    }
    out
}

/// Runs the breaking check of one fixture with `rules` (plus the defaults with `with_defaults`).
fn run(dir: &Path, rules: &BTreeSet<String>, with_defaults: bool) -> protoforge::Report {
    let current = dir.join("current");
    let mut config = Config::defaults(&current);
    let mut names: Vec<Named> = rules
        .iter()
        .map(|r| Named {
            name: r.clone(),
            span: None,
        })
        .collect();
    if with_defaults {
        names.push(Named {
            name: "WIRE_JSON".into(),
            span: None,
        });
    }
    let spec = LintSpec {
        use_: Some(names),
        ..LintSpec::default()
    };
    config.breaking = spec.resolve_kind(&current, RuleKind::Breaking).unwrap();
    let options = LoadOptions {
        paths: Vec::new(),
        roots: Vec::new(),
        cwd: current.clone(),
    };
    Session::with_config(config, options)
        .report(&Checks::breaking("../previous"), &Flags::default())
        .unwrap()
}

#[test]
fn every_breaking_rule_has_a_fixture_and_matches_it() {
    let mut folders: Vec<(String, PathBuf)> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    folders.sort();
    for rule in RULES.iter().filter(|r| r.kind == RuleKind::Breaking) {
        assert!(
            root().join(rule.id).is_dir(),
            "breaking rule {} has no fixture",
            rule.id
        );
    }
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for (name, dir) in folders {
        let rule = name.split('.').next().unwrap().to_owned();
        assert!(
            RULES
                .iter()
                .any(|r| r.id == rule && r.kind == RuleKind::Breaking),
            "fixture {name} names no breaking rule"
        );
        let want = expected(&dir);
        assert!(
            want.iter().any(|(_, _, r)| *r == rule),
            "fixture {name} expects no {rule} finding: it cannot fail"
        );
        let compare_all = dir.join("compare_all").is_file();
        let mut compared: BTreeSet<String> = want.iter().map(|(_, _, r)| r.clone()).collect();
        compared.insert(rule.clone());
        let report = run(&dir, &compared, compare_all);
        let got: BTreeSet<Key> = report
            .findings
            .iter()
            .filter(|f| compare_all || compared.contains(f.rule) || f.rule == "COMPILE")
            .map(|f| (f.file.clone(), f.span.line, f.rule.to_owned()))
            .collect();
        if got != want {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            failures.push(format!(
                "{name}:\n  missing {missing:?}\n  unexpected {extra:?}"
            ));
        }
        let human = render::render(
            &report,
            Format::Human,
            HumanOptions {
                color: false,
                width: 80,
            },
        );
        snapshots.push((name, human));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (name, human) in snapshots {
        insta::assert_snapshot!(format!("{name}__human"), human);
    }
}
