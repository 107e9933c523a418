//! Help added to `COMPILE` findings after linking: the option name meant (`java_pakage`) and the
//! import that defines an undefined name. prost-reflect reports undefined names in English only,
//! so `undefined_name` reads its wording; a test fails when that wording changes.

use std::collections::BTreeMap;

use prost_reflect::DescriptorPool;
use prost_types::{DescriptorProto, FileDescriptorProto};

use super::embedded;
use super::loaded::{COMPILE, Compilation};

/// For "option field 'X' is not defined": the closest standard option name.
pub(super) fn add_option_hints(c: &mut Compilation) {
    for finding in &mut c.findings {
        let Some(name) = finding
            .message
            .strip_prefix("option field '")
            .and_then(|r| r.strip_suffix("' is not defined"))
        else {
            continue;
        };
        let pool = DescriptorPool::global();
        let best = pool
            .all_messages()
            .filter(|m| m.package_name() == "google.protobuf" && m.name().ends_with("Options"))
            .flat_map(|m| m.fields().map(|f| f.name().to_owned()).collect::<Vec<_>>())
            .map(|candidate| (strsim::levenshtein(name, &candidate), candidate))
            .filter(|(d, _)| *d <= 2)
            .min();
        if let Some((_, candidate)) = best {
            finding.help = Some(format!("did you mean `{candidate}`?"));
        } else if finding.help.is_none() {
            finding.help = Some(
                "custom options are written in parentheses, `option (acme.v1.my_option) = ...;`, and need the import that defines them".into(),
            );
        }
    }
}

/// For "name 'X' is not defined": name the file that defines X and the import to add.
pub(super) fn add_missing_name_hints(c: &mut Compilation) {
    let wanted: Vec<usize> = c
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.rule == COMPILE && undefined_name(&f.message).is_some())
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut index: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |proto: &FileDescriptorProto| {
        let package = proto.package();
        let prefix = if package.is_empty() {
            String::new()
        } else {
            format!("{package}.")
        };
        for m in &proto.message_type {
            index_message(&mut index, &prefix, m, proto.name());
        }
        for e in &proto.enum_type {
            index.insert(format!("{prefix}{}", e.name()), proto.name().to_owned());
        }
    };
    for file in c.pool.files() {
        add(file.file_descriptor_proto());
    }
    for file in &c.files {
        if let Some(proto) = &file.proto {
            add(proto);
        }
    }
    for proto in embedded::well_known_files() {
        add(&proto);
    }
    for name in embedded::names() {
        if let Ok(proto) = super::syntax::parse(name, embedded::source(name).unwrap_or_default()) {
            add(&proto);
        }
    }
    for i in wanted {
        let finding = &mut c.findings[i];
        let Some(name) = undefined_name(&finding.message) else {
            continue;
        };
        let name = name.trim_start_matches('.');
        let suffix = format!(".{name}");
        let hit = index
            .iter()
            .find(|(full, _)| *full == name || full.ends_with(&suffix));
        if let Some((full, file)) = hit {
            finding.help = Some(format!(
                "`{full}` is defined in `{file}`; add `import \"{file}\";`"
            ));
        }
    }
}

pub(super) fn index_message(
    index: &mut BTreeMap<String, String>,
    prefix: &str,
    m: &DescriptorProto,
    file: &str,
) {
    let full = format!("{prefix}{}", m.name());
    let nested_prefix = format!("{full}.");
    for n in &m.nested_type {
        index_message(index, &nested_prefix, n, file);
    }
    for e in &m.enum_type {
        index.insert(format!("{nested_prefix}{}", e.name()), file.to_owned());
    }
    index.insert(full, file.to_owned());
}

/// The name in "name 'X' is not defined" and "'X' resolves to 'Y', which is not defined" (Y).
pub(super) fn undefined_name(message: &str) -> Option<&str> {
    if let Some(rest) = message.strip_prefix("name '") {
        return rest.strip_suffix("' is not defined");
    }
    let (_, resolved) = message.split_once("' resolves to '")?;
    resolved.strip_suffix("', which is not defined")
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::source::compile::compile_with;
    use crate::source::fs::MemFs;

    /// The hints read prost-reflect's English messages; these fail when its wording changes.
    #[test]
    fn the_linker_still_words_the_errors_the_hints_read() {
        let mut fs = MemFs::default();
        fs.files.insert(
            PathBuf::from("/p/a.proto"),
            "syntax = \"proto3\";\npackage a;\noption java_pakage = \"x\";\n".into(),
        );
        fs.files.insert(
            PathBuf::from("/p/c.proto"),
            "syntax = \"proto3\";\npackage a;\nmessage C {\n  B b = 1;\n}\n".into(),
        );
        fs.files.insert(
            PathBuf::from("/p/b.proto"),
            "syntax = \"proto3\";\npackage a;\nmessage B {}\n".into(),
        );
        let roots = [PathBuf::from("/p")];
        let targets = ["a.proto", "b.proto", "c.proto"]
            .map(|name| (Path::new("/p").join(name), name.to_owned()))
            .to_vec();
        let c = compile_with(&roots, targets, Path::new("/p"), &fs);
        let helps: Vec<String> = c.findings.iter().filter_map(|f| f.help.clone()).collect();
        assert!(
            helps.iter().any(|h| h.contains("java_package")),
            "no option hint in {:#?}",
            c.findings
        );
        assert!(
            helps.iter().any(|h| h.contains("import \"b.proto\"")),
            "no import hint in {:#?}",
            c.findings
        );
    }
}
