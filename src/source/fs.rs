//! Where the loader reads files from: the disk (with a size limit), or memory (baselines from
//! git, fuzzing); and the content hash the result cache keys on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where source files are read from: the disk, or memory (a git revision's tree).
pub trait SourceFs: Sync {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    fn is_file(&self, path: &Path) -> bool;
}

/// The real file system.
pub struct DiskFs;

/// The largest .proto file protoforge reads (the largest in googleapis is under 1 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl SourceFs for DiskFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let file = std::fs::File::open(path)?;
        let mut bytes = Vec::new();
        // Read at most one byte past the limit, whatever the file claims to be.
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(std::io::Error::other(format!(
                "it is larger than {} MiB, the most protoforge reads",
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        Ok(bytes)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
}

/// Files held in memory, by absolute path.
#[derive(Debug, Default)]
pub struct MemFs {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl SourceFs for MemFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not in the revision"))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
}

/// The hash the result cache compares file contents by.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}
