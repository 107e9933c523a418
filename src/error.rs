//! The tool's own errors: bad arguments, unreadable paths, broken configuration. Never lint findings.

use std::path::PathBuf;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error as ThisError;

/// An error that stops protoforge before it can report findings (exit code 2).
#[derive(ThisError, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct Error(Box<ErrorKind>);

/// The message and its help, as `fn main() -> Result<(), protoforge::Error>` in a build script
/// prints them (`Error: {:?}`).
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")?;
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        if let Some(help) = self.help() {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

#[derive(Debug, ThisError, Diagnostic)]
pub(crate) enum ErrorKind {
    #[error("cannot read `{}`", path.display())]
    #[diagnostic(code(protoforge::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` does not exist", path.display())]
    #[diagnostic(
        code(protoforge::usage),
        help("pass a .proto file or a directory that contains some")
    )]
    NoSuchPath { path: PathBuf },
    #[error("`{}` is not under any include root", path.display())]
    #[diagnostic(
        code(protoforge::usage),
        help(
            "include roots: {roots}; add the directory that import paths start from with `-I DIR` or `[proto] roots` in protoforge.toml"
        )
    )]
    NotUnderRoot { path: PathBuf, roots: String },
    #[error("include root `{}` is not a directory", path.display())]
    #[diagnostic(code(protoforge::usage))]
    BadRoot { path: PathBuf },
    #[error("{message}")]
    #[diagnostic(code(protoforge::config))]
    Config {
        message: String,
        #[source_code]
        source_code: NamedSource<String>,
        #[label("{label}")]
        span: Option<SourceSpan>,
        label: String,
        #[help]
        help: Option<String>,
    },
    #[error("{message}")]
    #[diagnostic(code(protoforge::findings))]
    Findings {
        message: String,
        #[help]
        help: Option<String>,
    },
    #[error("{message}")]
    #[diagnostic(code(protoforge::build))]
    Build {
        message: String,
        #[help]
        help: Option<String>,
    },
    #[error("{message}")]
    #[diagnostic(code(protoforge::usage))]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::new(ErrorKind::Io {
            path: path.into(),
            source,
        })
    }

    pub(crate) fn build(message: impl Into<String>, help: Option<String>) -> Self {
        Error::new(ErrorKind::Build {
            message: message.into(),
            help,
        })
    }

    pub(crate) fn findings(message: impl Into<String>, help: Option<String>) -> Self {
        Error::new(ErrorKind::Findings {
            message: message.into(),
            help,
        })
    }

    /// Whether the error is about findings in the user's files (exit 1) rather than about the
    /// run itself (exit 2).
    pub fn is_findings(&self) -> bool {
        matches!(*self.0, ErrorKind::Findings { .. })
    }

    pub(crate) fn usage(message: impl Into<String>, help: Option<String>) -> Self {
        Error::new(ErrorKind::Usage {
            message: message.into(),
            help,
        })
    }
}

/// protoforge's result: its own [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;
