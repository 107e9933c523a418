//! `protoforge openapi`: the OpenAPI 3.1 document of the HTTP/JSON gateway the generated routes
//! serve.

use super::{Cli, EXIT_CLEAN, EXIT_FINDINGS, OpenapiArgs};
use crate::codegen::{Model, openapi};
use crate::error::{Error, Result};
use crate::source::locate::Locations;

pub fn run(cli: &Cli, args: &OpenapiArgs) -> Result<u8> {
    let Some((cwd, config, compilation)) = super::build::compile(cli, &args.sources)? else {
        return Ok(EXIT_FINDINGS);
    };
    let model =
        Model::new(&compilation.pool, &config.codegen).map_err(|e| Error::usage(e, None))?;
    // The services declared in the files asked for, in file order.
    let mut services = Vec::new();
    for file in compilation.targets() {
        if let Some(descriptor) = compilation.pool.get_file_by_name(&file.name) {
            services.extend(descriptor.services().map(|s| s.full_name().to_owned()));
        }
    }
    let routes: usize = services
        .iter()
        .filter_map(|s| model.services.get(s))
        .flat_map(|s| &s.methods)
        .map(|m| m.http.len())
        .sum();
    if routes == 0 {
        return Err(Error::usage(
            "no HTTP routes to describe",
            Some(
                "add `option (google.api.http)` to methods, or set `[codegen] \
                 default_http_bindings = true`"
                    .into(),
            ),
        ));
    }
    let title = match &args.title {
        Some(title) => title.clone(),
        None => {
            // The packages of the services with routes.
            let mut packages: Vec<&str> = services
                .iter()
                .filter(|s| {
                    model
                        .services
                        .get(*s)
                        .is_some_and(|s| s.methods.iter().any(|m| !m.http.is_empty()))
                })
                .filter_map(|s| s.rsplit_once('.').map(|(package, _)| package))
                .collect();
            packages.dedup();
            packages.join(", ")
        }
    };
    let comments = |file: &str, path: &[i32]| {
        let info = compilation.file(file)?.source_info.as_ref()?;
        let locations = Locations::from_compact(info);
        let text = locations.get(path)?.leading_comments?.trim().to_owned();
        (!text.is_empty()).then_some(text)
    };
    let document = openapi::document(&compilation.pool, &model, &services, &title, &comments);
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|e| Error::usage(format!("cannot write the document: {e}"), None))?;
    text.push('\n');
    match &args.output {
        None => print!("{text}"),
        Some(out) => {
            std::fs::write(cwd.join(out), &text).map_err(|e| Error::io(out, e))?;
            if !cli.quiet {
                eprintln!(
                    "Wrote the OpenAPI document of {} route(s) to {}",
                    routes,
                    out.display()
                );
            }
        }
    }
    Ok(EXIT_CLEAN)
}
