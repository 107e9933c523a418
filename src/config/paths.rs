//! Path patterns in configuration: globs (`proto/vendor/**`) or plain paths (a file, or a
//! directory meaning everything under it), relative to the configuration file.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A set of path patterns relative to `base`.
#[derive(Debug, Clone)]
pub struct PathSet {
    base: PathBuf,
    globs: GlobSet,
    plain: Vec<String>,
    patterns: Vec<String>,
}

impl PathSet {
    pub fn empty(base: &Path) -> PathSet {
        PathSet {
            base: base.to_path_buf(),
            globs: GlobSet::empty(),
            plain: Vec::new(),
            patterns: Vec::new(),
        }
    }

    /// Builds the set; an invalid glob is returned as `Err((pattern, reason))`.
    pub fn new(base: &Path, patterns: &[String]) -> Result<PathSet, (String, String)> {
        let mut globs = GlobSetBuilder::new();
        let mut plain = Vec::new();
        for pattern in patterns {
            let cleaned = pattern
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_owned();
            if cleaned.contains(['*', '?', '[', '{']) {
                let glob = GlobBuilder::new(&cleaned)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| (pattern.clone(), e.kind().to_string()))?;
                globs.add(glob);
            } else {
                plain.push(cleaned);
            }
        }
        let globs = globs
            .build()
            .map_err(|e| (patterns.join(", "), e.to_string()))?;
        Ok(PathSet {
            base: base.to_path_buf(),
            globs,
            plain,
            patterns: patterns.to_vec(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether the absolute `path` is matched.
    pub fn matches(&self, path: &Path) -> bool {
        if self.is_empty() {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.base) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if self.globs.is_match(&rel) {
            return true;
        }
        // A glob naming a directory (`vendor/*`) covers what is under it too.
        let mut parent = rel.as_str();
        while let Some((dir, _)) = parent.rsplit_once('/') {
            if self.globs.is_match(dir) {
                return true;
            }
            parent = dir;
        }
        self.plain
            .iter()
            .any(|p| p.is_empty() || p == "." || rel == *p || rel.starts_with(&format!("{p}/")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_plain_paths() {
        let base = Path::new("/repo");
        let set = PathSet::new(
            base,
            &[
                "proto/vendor/**".into(),
                "legacy".into(),
                "gen/*.proto".into(),
                "one/a.proto".into(),
            ],
        )
        .unwrap();
        assert!(set.matches(Path::new("/repo/proto/vendor/x/y.proto")));
        assert!(set.matches(Path::new("/repo/legacy/a/b.proto")));
        assert!(!set.matches(Path::new("/repo/legacyx/b.proto")));
        assert!(set.matches(Path::new("/repo/gen/a.proto")));
        assert!(!set.matches(Path::new("/repo/gen/sub/a.proto")));
        assert!(set.matches(Path::new("/repo/one/a.proto")));
        assert!(!set.matches(Path::new("/other/legacy/a.proto")));
        assert!(PathSet::new(base, &["a/[".into()]).is_err());
        assert!(!PathSet::empty(base).matches(Path::new("/repo/a.proto")));
    }
}
