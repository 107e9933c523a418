use prost_reflect::FileDescriptor;

use crate::rules::{Cx, LintRule, declare_rule};
use crate::source::locate::path;

declare_rule! {
    /// The last package component is a version (`v1`, `v1beta1`, ...).
    ///
    /// ## What it does
    /// Checks that the last component of every package is a version: `v1`, `v2`, `v1beta1`,
    /// `v1alpha`, `v1p1beta1`, `v1test`, `v1testfoo`. Major versions start at 1, and a package
    /// needs a name before its version (`v1` alone is rejected).
    ///
    /// ## Why
    /// A version in the package lets a breaking change ship as a new package (`v2`) next to the
    /// old one, so existing clients keep working. An unversioned package can only be changed
    /// compatibly, forever.
    ///
    /// ## Example
    /// ```proto
    /// package acme.inventory;        // no version
    /// package acme.v3.ledger;        // version not last
    /// package acme.ledger.V2;        // not lower case
    /// ```
    ///
    /// ## Fix
    /// Make the version the last component and move the file to match:
    /// ```proto
    /// package acme.inventory.v1;     // in acme/inventory/v1/
    /// ```
    pub struct PackageVersionSuffix;
}

impl LintRule for PackageVersionSuffix {
    fn check_file(&self, cx: &mut Cx, file: &FileDescriptor) {
        let package = file.package_name();
        if package.is_empty() || is_package_version(package) {
            return;
        }
        let suggestion = suggest(package);
        cx.report(
            &[path::FILE_PACKAGE],
            format!("package `{package}` does not end in a version such as `v1` or `v1beta1`"),
            format!(
                "use `package {suggestion};` and move the file to `{}/`",
                suggestion.replace('.', "/")
            ),
        );
    }
}

/// Whether the package's last component is a version and it has a name before it.
pub fn is_package_version(package: &str) -> bool {
    match package.rsplit_once('.') {
        Some((rest, last)) => !rest.is_empty() && is_version_component(last),
        None => false,
    }
}

/// How stable a versioned package is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stability {
    Stable,
    Alpha,
    Beta,
    Test,
}

/// The stability of a versioned package (`None` when it has no version suffix).
pub fn package_stability(package: &str) -> Option<Stability> {
    if !is_package_version(package) {
        return None;
    }
    let last = package.rsplit('.').next()?;
    let rest = last
        .trim_start_matches('v')
        .trim_start_matches(|c: char| c.is_ascii_digit());
    Some(if rest.starts_with("test") {
        Stability::Test
    } else if rest.contains("alpha") {
        Stability::Alpha
    } else if rest.contains("beta") {
        Stability::Beta
    } else {
        Stability::Stable
    })
}

/// `v\d+`, `v\d+test.*`, `v\d+(alpha|beta)\d*`, `v\d+p\d+(alpha|beta)\d*`; every number >= 1.
fn is_version_component(component: &str) -> bool {
    fn number(s: &str) -> (Option<u64>, &str) {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        if end == 0 {
            return (None, s);
        }
        (s[..end].parse().ok(), &s[end..])
    }
    fn stability(s: &str) -> bool {
        let Some(rest) = s.strip_prefix("alpha").or_else(|| s.strip_prefix("beta")) else {
            return false;
        };
        match number(rest) {
            (None, "") => true,
            (Some(n), "") => n >= 1,
            _ => false,
        }
    }
    let Some(rest) = component.strip_prefix('v') else {
        return false;
    };
    let (Some(major), rest) = number(rest) else {
        return false;
    };
    if major < 1 {
        return false;
    }
    if rest.is_empty() || rest.starts_with("test") {
        return true;
    }
    if let Some(patch) = rest.strip_prefix('p') {
        return match number(patch) {
            (Some(p), stab) => p >= 1 && stability(stab),
            _ => false,
        };
    }
    stability(rest)
}

/// A versioned package close to the given one.
fn suggest(package: &str) -> String {
    let parts: Vec<&str> = package.split('.').collect();
    let last = parts.last().copied().unwrap_or_default();
    let lowered = last.to_ascii_lowercase();
    if parts.len() > 1 && is_version_component(&lowered) {
        let mut out = parts[..parts.len() - 1].to_vec();
        out.push(&lowered);
        return out.join(".");
    }
    if let Some(pos) = parts.iter().position(|p| is_version_component(p)) {
        let mut out: Vec<&str> = parts
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != pos)
            .map(|(_, p)| *p)
            .collect();
        if !out.is_empty() {
            out.push(parts[pos]);
            return out.join(".");
        }
    }
    format!("{package}.v1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_buf_forms() {
        for ok in [
            "foo.v1",
            "foo.v2",
            "foo.bar.v1",
            "foo.v1alpha1",
            "foo.v1beta2",
            "foo.v1p1alpha1",
            "foo.v1p1beta2",
            "foo.v1test",
            "foo.v1testfoo",
            "foo.v4test",
            "foo.v1alpha",
            "foo.v1beta",
            "foo.v1p1alpha",
            "foo.v1p1beta",
            "acme.shop.v1beta1",
        ] {
            assert!(is_package_version(ok), "{ok}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "foo",
            "foo.bar",
            "foo.v1.bar",
            "v1",
            "v1beta1",
            "foo.v0",
            "foo.v0alpha1",
            "foo.v0p1beta1",
            "foo.v0test",
            "foo.v1alpha0",
            "foo.v1beta0",
            "foo.v1p1alpha0",
            "foo.v1p0alpha1",
            "foo.vv1",
            "foo.v1aalpha1",
            "foo.v1p1test",
            "foo.v1p1",
            "inventory",
            "corp.v3.ledger",
            "corp.ledger.V2",
            "corp.ledger.release2",
            "foo.v",
            "foo.v99999999999999999999999",
        ] {
            assert!(!is_package_version(bad), "{bad}");
        }
    }

    #[test]
    fn stability() {
        assert_eq!(package_stability("a.v1"), Some(Stability::Stable));
        assert_eq!(package_stability("a.v1beta1"), Some(Stability::Beta));
        assert_eq!(package_stability("a.v1p1alpha"), Some(Stability::Alpha));
        assert_eq!(package_stability("a.v2test"), Some(Stability::Test));
        assert_eq!(package_stability("a"), None);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("inventory"), "inventory.v1");
        assert_eq!(suggest("corp.v3.ledger"), "corp.ledger.v3");
        assert_eq!(suggest("corp.ledger.V2"), "corp.ledger.v2");
        assert_eq!(suggest("corp.ledger.release2"), "corp.ledger.release2.v1");
    }
}
