//! Grandfathering: `--write-baseline FILE` records the current findings; with `baseline = FILE`
//! in the config only findings not in it are reported. Entries match by rule, file and message
//! (not line), so edits elsewhere in a file do not resurrect old findings.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Finding;

/// The baseline file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    /// Relative to the configuration's base directory, `/`-separated.
    pub file: String,
    pub message: String,
}

impl Baseline {
    /// Records `findings` (compile errors are never grandfathered). `relative` maps a finding's
    /// file to its path relative to the base directory.
    pub fn from_findings(findings: &[Finding], relative: impl Fn(&str) -> String) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .filter(|f| f.rule != "COMPILE")
            .map(|f| Entry {
                rule: f.rule.to_owned(),
                file: relative(&f.file),
                message: f.message.clone(),
            })
            .collect();
        entries.sort();
        Baseline {
            version: 1,
            findings: entries,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    pub fn parse(text: &str) -> Result<Baseline, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Removes the findings the baseline records (each entry absorbs one finding).
    pub fn filter(&self, findings: &mut Vec<Finding>, relative: impl Fn(&str) -> String) {
        let mut budget: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &self.findings {
            *budget
                .entry((e.rule.clone(), e.file.clone(), e.message.clone()))
                .or_default() += 1;
        }
        findings.retain(|f| {
            if f.rule == "COMPILE" {
                return true;
            }
            let key = (f.rule.to_owned(), relative(&f.file), f.message.clone());
            match budget.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
    }
}

/// Reads a baseline file.
pub fn read(path: &Path) -> std::io::Result<Result<Baseline, serde_json::Error>> {
    std::fs::read_to_string(path).map(|text| Baseline::parse(&text))
}
