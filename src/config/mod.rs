//! protoforge.toml: found by walking up from the working directory, or named with `--config`.

use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};

/// The file name protoforge looks for.
pub const FILE_NAME: &str = "protoforge.toml";

/// The configuration of a run.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub proto: ProtoSection,
    /// Where the file was read from; paths in it are relative to its directory.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// `[proto]`: where the proto files are.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtoSection {
    /// Include roots, relative to the config file.
    #[serde(default)]
    pub roots: Vec<PathBuf>,
}

impl Config {
    /// Reads the config file at `path`.
    pub fn read(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|err| Error::io(path, err))?;
        Self::parse(&text, path)
    }

    /// Parses config text; errors point at the offending line.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|err| {
            let span = err.span().map(|r| {
                SourceSpan::from(r.start..r.end.max(r.start + 1).min(text.len().max(r.start)))
            });
            Error::new(ErrorKind::Config {
                message: format!("invalid `{}`: {}", path.display(), err.message()),
                source_code: NamedSource::new(path.display().to_string(), text.to_owned()),
                span,
                label: "here".into(),
                help: Some(
                    "see the README's configuration section for the keys protoforge.toml accepts"
                        .into(),
                ),
            })
        })?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// The nearest protoforge.toml in `dir` or its parents.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// The directory the config's relative paths start from.
    pub fn base_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// Include roots as paths usable from anywhere.
    pub fn roots(&self) -> Vec<PathBuf> {
        let base = self.base_dir().unwrap_or(Path::new("."));
        self.proto.roots.iter().map(|r| base.join(r)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_roots_and_rejects_unknown_keys() {
        let config = Config::parse(
            "[proto]\nroots = [\"proto\"]\n",
            Path::new("/x/protoforge.toml"),
        )
        .unwrap();
        assert_eq!(config.roots(), vec![PathBuf::from("/x/proto")]);
        let err = Config::parse("[proto]\nrots = [\"proto\"]\n", Path::new("p.toml")).unwrap_err();
        assert!(err.to_string().contains("unknown field `rots`"), "{err}");
    }
}
