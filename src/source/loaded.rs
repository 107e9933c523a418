//! What loading produces: each file as it was loaded ([`LoadedFile`], from disk, embedded or a
//! descriptor set) and the linked set of them ([`Compilation`]).

use std::collections::HashMap;
use std::path::PathBuf;

use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorProto;

use super::finding::Finding;
use super::link_errors::file_finding;
use super::locate::Locations;
use super::text::SourceText;

/// The rule ID of every problem the compiler reports about the user's files.
pub const COMPILE: &str = "COMPILE";

/// Where a loaded file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file under an include root; `display` is how it is shown to the user.
    Disk { path: PathBuf, display: String },
    /// One of protoforge's embedded files (google/api, protoforge/v1).
    Embedded,
    /// A well-known type (`google/protobuf/*.proto`).
    WellKnown,
}

/// One file of the compilation: a target, or something a target imports.
#[derive(Debug)]
pub struct LoadedFile {
    /// Import name, relative to its include root (`acme/shop/v1/shop.proto`).
    pub name: String,
    pub origin: Origin,
    /// Its text, for files read from source.
    pub text: Option<SourceText>,
    /// Hash of the bytes read from disk (`content_hash`), for the result cache.
    pub disk_hash: Option<u64>,
    /// Whether the user asked for this file to be checked.
    pub is_target: bool,
    /// No declarations at all.
    pub is_empty: bool,
    /// Linked into the pool without errors (and all its imports too).
    pub linked: bool,
    /// The parsed descriptor until it is moved into the pool.
    pub(super) proto: Option<FileDescriptorProto>,
    /// Source locations and comments (the pool's copy of the file has none: see `optpaths`).
    pub source_info: Option<super::locate::CompactInfo>,
    /// Files whose extensions this file's custom options use.
    pub option_files: Vec<String>,
    /// What the file is written in (proto2 when it says nothing).
    pub edition: super::syntax::features::Edition,
    /// For an editions file, what its linked (proto2) form adds or lacks, for writing its
    /// editions form (`descriptor_set::to_editions`).
    pub editions_form: crate::descriptor_set::EditionsForm,
    /// Fields linked with a stand-in `json_name` (colliding JSON names, which protoc accepts
    /// where the JSON format is LEGACY_BEST_EFFORT), and the JSON names protoc gives them.
    pub json_stand_ins: Vec<super::prelink::Renamed>,
    /// Edition 2024: the full names (no leading dot) of the file's messages and enums that
    /// are `local`, said so or by default; other files may not use them.
    pub local_types: std::collections::BTreeSet<String>,
}

impl LoadedFile {
    /// The path shown to users; the import name for embedded files.
    pub fn display(&self) -> &str {
        match &self.origin {
            Origin::Disk { display, .. } => display,
            _ => &self.name,
        }
    }

    pub fn is_disk(&self) -> bool {
        matches!(self.origin, Origin::Disk { .. })
    }

    /// The file's SourceCodeInfo index.
    pub fn locations(&self) -> Option<Locations<'_>> {
        self.source_info.as_ref().map(Locations::from_compact)
    }
}

/// A compiled set of files.
#[derive(Debug)]
pub struct Compilation {
    pub pool: DescriptorPool,
    pub files: Vec<LoadedFile>,
    pub(super) by_name: HashMap<String, usize>,
    pub findings: Vec<Finding>,
    /// Paths where import resolution looked and found nothing: creating one of them changes the
    /// result, so the result cache watches them.
    pub missed_imports: Vec<PathBuf>,
    /// How long each phase took, in order (`PROTOFORGE_TIMINGS=1` makes the CLI and build
    /// scripts print them). The loader records its own; the checks add theirs.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Compilation {
    pub fn file(&self, name: &str) -> Option<&LoadedFile> {
        self.by_name.get(name).map(|&i| &self.files[i])
    }

    /// Target files that compiled and have something to lint, in name order.
    pub fn lintable_targets(&self) -> impl Iterator<Item = &LoadedFile> {
        self.files
            .iter()
            .filter(|f| f.is_target && f.linked && !f.is_empty)
    }

    pub fn targets(&self) -> impl Iterator<Item = &LoadedFile> {
        self.files.iter().filter(|f| f.is_target)
    }

    /// The SourceCodeInfo index of a loaded file.
    pub fn locations(&self, name: &str) -> Option<Locations<'_>> {
        self.file(name)?.locations()
    }

    /// What code generation needs: every linked file (prost-build needs the imports too, to
    /// know their messages), with SourceCodeInfo put back for doc comments, and every file of the
    /// pool encoded with its custom options (for reflection).
    ///
    /// Editions files go in the form prost can build (`editions::for_prost`); one that has
    /// none is a located error per field that stands in the way.
    pub fn codegen_inputs(
        &self,
    ) -> Result<(prost_types::FileDescriptorSet, Vec<u8>), Vec<Finding>> {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for file in self.pool.files() {
            let name = file.name();
            let mut proto = file.file_descriptor_proto().clone();
            let loaded = self.file(name);
            if let Some(info) = loaded.and_then(|f| f.source_info.as_ref()) {
                proto.source_code_info = Some(info.to_source_code_info());
            }
            if super::resolved::is_editions(&file)
                && let Err(found) = super::editions::for_prost(&mut proto, &file)
                && let Some(loaded) = loaded
            {
                let text = loaded.text.clone().unwrap_or_else(|| SourceText::new(""));
                for problem in found {
                    let span = loaded
                        .locations()
                        .map(|l| l.span_or_parent(&text, &problem.path))
                        .unwrap_or_else(|| text.first_line_span());
                    problems.push(file_finding(loaded, span, problem.message, Some(
                        "set the same presence on every field of the file (`features.field_presence`), or move the fields that need proto2 code to a file of their own".into(),
                    )));
                }
            }
            files.push(proto);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // Embedded and served in the form protoc writes: editions files as editions.
        let encoded =
            crate::descriptor_set::to_editions(&self.pool.encode_to_vec(), &self.editions_files());
        Ok((prost_types::FileDescriptorSet { file: files }, encoded))
    }

    /// The linked editions files, for `descriptor_set::to_editions`.
    fn editions_files(&self) -> HashMap<&str, crate::descriptor_set::EditionsFile<'_>> {
        self.files
            .iter()
            .filter(|f| f.edition.is_edition() && f.linked)
            .map(|f| {
                let info = crate::descriptor_set::EditionsFile {
                    edition: f.edition.number(),
                    form: &f.editions_form,
                };
                (f.name.as_str(), info)
            })
            .collect()
    }

    /// An encoded `FileDescriptorSet` as protoc's `--descriptor_set_out` writes it: the target
    /// files (with `include_imports`, every file they need, dependencies first), editions files
    /// in their editions form, SourceCodeInfo with `include_source_info`.
    pub fn descriptor_set(&self, include_imports: bool, include_source_info: bool) -> Vec<u8> {
        let mut set = Vec::new();
        for file in self.pool.files() {
            let loaded = self.file(file.name());
            if !include_imports && !loaded.is_some_and(|f| f.is_target) {
                continue;
            }
            let mut bytes = file.encode_to_vec();
            if include_source_info && let Some(info) = loaded.and_then(|f| f.source_info.as_ref()) {
                // Field 9 of FileDescriptorProto; the pool's copy has none.
                prost::encoding::message::encode(9, &info.to_source_code_info(), &mut bytes);
            }
            prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut set);
            prost::encoding::encode_varint(bytes.len() as u64, &mut set);
            set.extend_from_slice(&bytes);
        }
        let stand_ins: HashMap<&str, &[super::prelink::Renamed]> = self
            .files
            .iter()
            .filter(|f| f.linked && !f.json_stand_ins.is_empty())
            .map(|f| (f.name.as_str(), f.json_stand_ins.as_slice()))
            .collect();
        let set = crate::descriptor_set::restore_json_names(set, &stand_ins);
        crate::descriptor_set::to_editions(&set, &self.editions_files())
    }
}
