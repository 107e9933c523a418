//! `protoforge rules` (the rule table as text, Markdown or JSON) and `protoforge explain RULE`.

use super::output::print;
use super::{EXIT_CLEAN, RulesFormat};
use crate::error::{Error, Result};
use crate::rules::{self, RULES, RuleInfo, registry};

fn on_off(rule: &RuleInfo) -> &'static str {
    if rule.default { "on" } else { "off" }
}

/// The rule's categories joined by `separator`, or `none` for a rule that is always on.
fn categories(rule: &RuleInfo, separator: &str, none: &str) -> String {
    if rule.categories.is_empty() {
        return none.to_owned();
    }
    let names: Vec<&str> = rule.categories.iter().map(|c| c.as_str()).collect();
    names.join(separator)
}

/// The rule list in a format; markdown is the table in docs/rules.md.
pub fn rules_table(format: RulesFormat) -> String {
    match format {
        RulesFormat::Text => {
            let mut out = String::new();
            for r in RULES {
                out.push_str(&format!(
                    "{:<26} {:<8} {:<4} {:<24} {}\n",
                    r.id,
                    r.kind.as_str(),
                    on_off(r),
                    categories(r, ",", "-"),
                    r.summary()
                ));
            }
            out.push_str(&format!(
                "\nNot yet available: {} (planned; accepted in configuration and ignored).\n",
                registry::PLANNED.join(", ")
            ));
            out.push_str("`protoforge explain RULE` prints a rule's documentation.\n");
            out
        }
        RulesFormat::Markdown => {
            let mut out = String::from(
                "| Rule | Kind | Default | Categories | buf | What it checks |\n|---|---|---|---|---|---|\n",
            );
            for r in RULES {
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} | {} |\n",
                    r.id,
                    r.kind.as_str(),
                    on_off(r),
                    categories(r, ", ", "always"),
                    if r.buf.is_some() { "same ID" } else { "—" },
                    r.summary().replace('|', "\\|")
                ));
            }
            out
        }
        RulesFormat::Json => {
            let rows: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "kind": r.kind.as_str(),
                        "default": r.default,
                        "categories": r.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                        "buf": r.buf,
                        "summary": r.summary(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n"
        }
    }
}

pub(super) fn explain(rule: &str) -> Result<u8> {
    let id = rule.to_ascii_uppercase();
    match registry::get(&id) {
        Some(info) => {
            print(&format!("{}\n\n{}", info.id, rules::doc_text(info.doc)));
            Ok(EXIT_CLEAN)
        }
        None => {
            let close: Vec<&str> = RULES
                .iter()
                .map(|r| r.id)
                .filter(|r| r.contains(&id) || id.contains(r))
                .collect();
            let help = if close.is_empty() {
                "`protoforge rules` lists every rule".to_owned()
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            Err(Error::usage(format!("unknown rule `{rule}`"), Some(help)))
        }
    }
}
