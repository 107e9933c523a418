use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::rules::{LintRule, ModuleCx, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// Packages do not import each other in a cycle.
    ///
    /// ## What it does
    /// Checks that packages do not import each other in a cycle: if a file of `acme.a.v1`
    /// imports a file of `acme.b.v1`, no file of `acme.b.v1` may (directly or through other
    /// packages) import `acme.a.v1`. Imports of imported files count too.
    ///
    /// ## Why
    /// Files can be acyclic while their packages are not. Go, and any language that maps a
    /// package to a module, cannot compile a package cycle.
    ///
    /// ## Example
    /// ```proto
    /// // acme/a/v1/a.proto
    /// package acme.a.v1;
    /// import "acme/b/v1/b.proto";
    /// // acme/b/v1/b.proto
    /// package acme.b.v1;
    /// import "acme/a/v1/other.proto";
    /// ```
    ///
    /// ## Fix
    /// Move the shared types into a package that both import, or merge the packages.
    pub struct PackageNoImportCycle;
}

impl LintRule for PackageNoImportCycle {
    fn check_module(&self, cx: &mut ModuleCx) {
        // Package graph over every compiled file, imports included.
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for file in cx.pool().files() {
            let from = file.package_name();
            if from.is_empty() {
                continue;
            }
            for dep in file.dependencies() {
                let to = dep.package_name();
                if !to.is_empty() && to != from {
                    graph
                        .entry(from.to_owned())
                        .or_default()
                        .insert(to.to_owned());
                }
            }
        }
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        for (index, entry) in cx.files().iter().enumerate() {
            let from = entry.descriptor.package_name();
            if from.is_empty() {
                continue;
            }
            for (i, dep) in entry.descriptor.dependencies().enumerate() {
                let to = dep.package_name();
                if to.is_empty() || to == from {
                    continue;
                }
                if let Some(back) = shortest_path(&graph, to, from) {
                    let mut cycle = vec![from.to_owned()];
                    cycle.extend(back);
                    found.push((index, i, cycle.join(" -> ")));
                }
            }
        }
        for (index, i, cycle) in found {
            cx.in_file(index).report(
                &[path::FILE_DEPENDENCY, i as i32],
                format!("package import cycle: {cycle}"),
                "move the types both packages need into a third package they both import"
                    .to_owned(),
            );
        }
    }
}

/// The packages on a shortest import path from `from` to `to`, both included.
fn shortest_path(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
) -> Option<Vec<String>> {
    let mut previous: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to.to_owned()];
            let mut at = to;
            while let Some(&p) = previous.get(at) {
                path.push(p.to_owned());
                at = p;
            }
            path.reverse();
            return Some(path);
        }
        for next in graph.get(node).into_iter().flatten() {
            if seen.insert(next) {
                previous.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}
