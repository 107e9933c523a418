//! The README's rule table is generated from the registry; this test fails when it is stale.
//! `UPDATE_README=1 cargo test --test readme` rewrites it.

use protoforge::cli::{RulesFormat, rules_table};

#[test]
fn readme_rule_table_matches_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme
        .find(start)
        .expect("README has the rules:start marker")
        + start.len();
    let to = readme.find(end).expect("README has the rules:end marker");
    let table = rules_table(RulesFormat::Markdown);
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..from], table, &readme[to..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[from..to],
        table,
        "README rule table is stale: run `UPDATE_README=1 cargo test --test readme`"
    );
}
