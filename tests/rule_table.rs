//! The rule table in docs/rules.md is generated from the registry; this test fails when it is
//! stale. `UPDATE_RULE_TABLE=1 cargo test --test rule_table` rewrites it.

use protoforge::internals::cli::{RulesFormat, rules_table};

#[test]
fn the_rule_table_matches_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = doc
        .find(start)
        .expect("docs/rules.md has the rules:start marker")
        + start.len();
    let to = doc
        .find(end)
        .expect("docs/rules.md has the rules:end marker");
    let table = rules_table(RulesFormat::Markdown);
    if std::env::var_os("UPDATE_RULE_TABLE").is_some() {
        let updated = format!("{}{}{}", &doc[..from], table, &doc[to..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &doc[from..to],
        table,
        "the rule table in docs/rules.md is stale: run `UPDATE_RULE_TABLE=1 cargo test --test rule_table`"
    );
}
