use prost_reflect::FileDescriptor;

use crate::diagnostic::{Edit, Fix};
use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// Every import is used (fixable).
    ///
    /// ## What it does
    /// Checks that every import is used: a type, an extension or a custom option of the imported
    /// file (or of a file it re-exports with `import public`) appears in the importing file.
    ///
    /// ## Why
    /// Unused imports slow every build, add false dependencies between packages, and make
    /// generated code import modules it does not need (which some languages reject).
    ///
    /// ## Example
    /// ```proto
    /// import "google/protobuf/timestamp.proto"; // nothing uses Timestamp
    /// ```
    ///
    /// ## Fix
    /// Delete the import line.
    pub struct ImportUsed;
}

impl LintRule for ImportUsed {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let proto = file.file_descriptor_proto();
        let used = cx.used_files();
        for (i, dep) in file.dependencies().enumerate() {
            if proto.public_dependency.contains(&(i as i32)) {
                continue;
            }
            if reexports(&dep).iter().any(|name| used.contains(name)) {
                continue;
            }
            let name = dep.name().to_owned();
            let at = [path::FILE_DEPENDENCY, i as i32];
            let fix = match (cx.span_of(&at), cx.text()) {
                (Some(span), Some(text)) => {
                    let (start, end) = text.statement_removal(span.start, span.end);
                    Some(Fix {
                        description: format!("removed `import \"{name}\";`"),
                        edits: vec![Edit {
                            start,
                            end,
                            replacement: String::new(),
                        }],
                    })
                }
                _ => None,
            };
            let message = format!("import `{name}` is not used");
            let help = format!("remove `import \"{name}\";` (`--fix` does this)");
            match fix {
                Some(fix) => cx.report_with_fix(&at, message, help, fix),
                None => cx.report(&at, message, help),
            }
        }
    }
}

/// The file and every file it re-exports through `import public`, transitively.
fn reexports(file: &FileDescriptor) -> Vec<String> {
    let mut out = vec![file.name().to_owned()];
    let mut stack = vec![file.clone()];
    while let Some(f) = stack.pop() {
        for public in f.public_dependencies() {
            if !out.iter().any(|n| n == public.name()) {
                out.push(public.name().to_owned());
                stack.push(public);
            }
        }
    }
    out
}
