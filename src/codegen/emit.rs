//! Runs prost-build and tonic's generator over the descriptor set, appends protoforge's code to
//! each service's package module, formats it (prettyplease) and writes the files.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use prost_build::{Module, ServiceGenerator};
use prost_types::FileDescriptorSet;
use quote::quote;

use super::model::{Model, Service};
use super::{client, ident, policy, server};

/// The file, next to the generated module of `package`, that holds the encoded descriptor set
/// (one per package with services, so that several build runs can share an out directory).
pub fn descriptor_set_file(package: &str) -> String {
    if package.is_empty() {
        "_.protoforge.bin".to_owned()
    } else {
        format!("{package}.protoforge.bin")
    }
}

/// The deadline generated clients give calls to methods without a timeout, unless
/// `[codegen] client_timeout` says otherwise.
pub const DEFAULT_CLIENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Where generated code finds the descriptor set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescriptorPath {
    /// `concat!(env!("OUT_DIR"), "/...")`: build.rs output, brought in with `include_proto!`.
    OutDir,
    /// Next to the including file: `protoforge generate --out DIR`.
    Relative,
}

/// The generated files: `(file name, Rust code)` per package, and the descriptor set (written
/// next to each package that has services).
#[derive(Debug, Clone)]
pub struct Generated {
    /// `(file name, Rust code)`, one file per package.
    pub files: Vec<(String, String)>,
    /// Every file of the compilation, encoded with custom options (for reflection).
    pub descriptor_set: Vec<u8>,
    /// The names the descriptor set is written under, one per package with services.
    pub descriptor_files: Vec<String>,
}

/// What to generate from.
pub struct Input {
    /// The files to generate code for, with source info (for doc comments).
    pub files: FileDescriptorSet,
    /// Every file of the compilation, encoded with custom options intact (for reflection).
    pub descriptor_set: Vec<u8>,
    pub model: Model,
    pub descriptor_path: DescriptorPath,
}

/// Generates everything in memory.
pub fn generate(input: Input) -> Result<Generated, String> {
    let errors = Rc::new(RefCell::new(Vec::new()));
    let packages = Rc::new(RefCell::new(Vec::new()));
    let mut config = prost_build::Config::new();
    config.service_generator(Box::new(Forge {
        tonic: tonic_prost_build::configure().service_generator(),
        model: input.model,
        descriptor_path: input.descriptor_path,
        errors: Rc::clone(&errors),
        packages: Rc::clone(&packages),
    }));
    // Packages that only protoforge's own option files or the well-known types define get no
    // module: nothing generated refers to them.
    let wanted: std::collections::HashSet<Module> = input
        .files
        .file
        .iter()
        .filter(|f| !is_tool_file(f.name()))
        .map(|f| Module::from_protobuf_package_name(f.package()))
        .collect();
    let requests = input
        .files
        .file
        .into_iter()
        .map(|file| (Module::from_protobuf_package_name(file.package()), file))
        .collect();
    let modules = config.generate(requests).map_err(|e| e.to_string())?;
    if let Some(error) = errors.borrow().first() {
        return Err(error.clone());
    }
    let mut files: Vec<(String, String)> = modules
        .into_iter()
        .filter(|(module, _)| wanted.contains(module))
        .map(|(module, code)| (module.to_file_name_or("_"), code))
        .collect();
    files.sort();
    let mut descriptor_files: Vec<String> = packages
        .borrow()
        .iter()
        .map(|p| descriptor_set_file(p))
        .collect();
    descriptor_files.sort();
    Ok(Generated {
        files,
        descriptor_set: input.descriptor_set,
        descriptor_files,
    })
}

impl Generated {
    /// Writes the files into `dir`, leaving unchanged files untouched (so cargo does not rebuild).
    pub fn write(&self, dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let mut written = Vec::new();
        let mut write = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
            let path = dir.join(name);
            if std::fs::read(&path).ok().as_deref() != Some(bytes) {
                std::fs::write(&path, bytes)?;
            }
            written.push(path);
            Ok(())
        };
        for (name, code) in &self.files {
            write(name, code.as_bytes())?;
        }
        for name in &self.descriptor_files {
            write(name, &self.descriptor_set)?;
        }
        Ok(written)
    }
}

fn is_tool_file(name: &str) -> bool {
    name.starts_with("google/protobuf/") || name.starts_with("protoforge/")
}

/// tonic's service generator, followed by protoforge's code for the same service.
struct Forge {
    tonic: Box<dyn ServiceGenerator>,
    model: Model,
    descriptor_path: DescriptorPath,
    errors: Rc<RefCell<Vec<String>>>,
    packages: Rc<RefCell<Vec<String>>>,
}

impl ServiceGenerator for Forge {
    fn generate(&mut self, service: prost_build::Service, buf: &mut String) {
        let full = if service.package.is_empty() {
            service.proto_name.clone()
        } else {
            format!("{}.{}", service.package, service.proto_name)
        };
        let code = match self.model.services.get(&full) {
            Some(model) => forge_code(&service, model, self.model.client_timeout),
            None => Err(format!("service `{full}` is not in the model")),
        };
        self.tonic.generate(service, buf);
        match code {
            Ok(code) => buf.push_str(&code),
            Err(e) => self.errors.borrow_mut().push(e),
        }
    }

    fn finalize(&mut self, buf: &mut String) {
        self.tonic.finalize(buf);
    }

    fn finalize_package(&mut self, package: &str, buf: &mut String) {
        self.tonic.finalize_package(package, buf);
        self.packages.borrow_mut().push(package.to_owned());
        let file = descriptor_set_file(package);
        let include = match self.descriptor_path {
            DescriptorPath::OutDir => {
                format!("include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\"))")
            }
            DescriptorPath::Relative => format!("include_bytes!(\"{file}\")"),
        };
        buf.push_str(&format!(
            "/// The encoded `FileDescriptorSet` of every file this code was generated from (custom\n\
             /// options included), for gRPC reflection.\n\
             pub const FILE_DESCRIPTOR_SET: &[u8] = {include};\n"
        ));
    }
}

/// The `<service>_forge` module: policy constants, handler trait, adapter, client.
fn forge_code(
    prost: &prost_build::Service,
    model: &Service,
    client_timeout: Option<std::time::Duration>,
) -> Result<String, String> {
    let prost_names: Vec<&str> = prost
        .methods
        .iter()
        .map(|m| m.proto_name.as_str())
        .collect();
    let model_names: Vec<&str> = model.methods.iter().map(|m| m.name.as_str()).collect();
    if prost_names != model_names {
        return Err(format!(
            "service `{}`: methods {prost_names:?} and {model_names:?} differ",
            model.full_name
        ));
    }
    let module = ident::forge_module(&prost.name);
    // A module's outer doc resolves links from its parent: name the items through the module.
    let doc = format!(
        " protoforge's server and client for `{}`: method policies, the [`Handler`]({module}::Handler) \
         trait, the [`Adapter`]({module}::Adapter) that serves it through tonic, and a \
         [`Client`]({module}::Client) with default deadlines.",
        model.full_name
    );
    let specs = policy::emit(model);
    let handler = server::handler(prost, model);
    let adapter = server::adapter(prost, model);
    let client = client::emit(
        prost,
        model,
        Some(client_timeout.unwrap_or(DEFAULT_CLIENT_TIMEOUT)),
    );
    let tokens = quote! {
        #[doc = #doc]
        pub mod #module {
            #specs
            #handler
            #adapter
            #client
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
