//! SARIF 2.1.0 (typed through serde-sarif): one `rule` per rule ID that has findings, one
//! `result` per finding. GitHub code scanning accepts it.

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::diagnostic::{Report, Severity};
use crate::rules::registry;

pub fn render(report: &Report) -> String {
    let mut rule_ids: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();

    let rules: Vec<ReportingDescriptor> = rule_ids
        .iter()
        .map(|id| {
            let info = registry::get(id);
            let summary = info.map(|r| r.summary()).unwrap_or_default();
            let doc = info
                .map(|r| crate::rules::doc_text(r.details()))
                .unwrap_or_default();
            ReportingDescriptor::builder()
                .id(id.to_string())
                .name(id.to_string())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(summary.to_owned())
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(summary.to_owned())
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(doc.clone())
                        .markdown(doc)
                        .build(),
                )
                .build()
        })
        .collect();

    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            if let Some(help) = &f.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let region = Region::builder()
                .start_line(f.span.line as i64)
                .start_column(f.span.column as i64)
                .end_line(f.span.end_line as i64)
                .end_column(f.span.end_column as i64)
                .build();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(f.file.clone()).build())
                        .region(region)
                        .build(),
                )
                .build();
            SarifResult::builder()
                .rule_id(f.rule.to_owned())
                .rule_index(rule_ids.binary_search(&f.rule).unwrap_or_default() as i64)
                .level(match f.severity {
                    Severity::Error => ResultLevel::Error,
                    Severity::Warning => ResultLevel::Warning,
                })
                .message(Message::builder().text(text).build())
                .locations(vec![location])
                .build()
        })
        .collect();

    let driver = ToolComponent::builder()
        .name("protoforge".to_owned())
        .semantic_version(env!("CARGO_PKG_VERSION").to_owned())
        .information_uri("https://crates.io/crates/protoforge".to_owned())
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    let sarif = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json".to_owned())
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
