//! `protoforge init`: writes protoforge.toml, from the template or translated from buf.yaml.

use std::path::Path;

use super::{EXIT_CLEAN, InitArgs};
use crate::config::{self, buf};
use crate::error::{Error, Result};

/// The protoforge.toml template.
pub const CONFIG_TEMPLATE: &str = include_str!("../../templates/protoforge.toml");

pub fn run(args: &InitArgs) -> Result<u8> {
    let target = args.dir.join(config::FILE_NAME);
    if target.exists() && !args.force {
        return Err(Error::usage(
            format!("`{}` already exists", target.display()),
            Some("pass --force to overwrite it".into()),
        ));
    }
    std::fs::create_dir_all(&args.dir).map_err(|err| Error::io(&args.dir, err))?;
    let text = match &args.from_buf {
        None => CONFIG_TEMPLATE.to_owned(),
        Some(path) => {
            let path = path.clone().unwrap_or_else(|| args.dir.join("buf.yaml"));
            translate(&path, &args.dir)?
        }
    };
    std::fs::write(&target, text).map_err(|err| Error::io(&target, err))?;
    eprintln!("Wrote {}", target.display());
    Ok(EXIT_CLEAN)
}

fn translate(buf_yaml: &Path, dir: &Path) -> Result<String> {
    let text = std::fs::read_to_string(buf_yaml).map_err(|err| Error::io(buf_yaml, err))?;
    let parsed = buf::parse(&text, buf_yaml)?;
    let (mut toml, notes) = buf::to_toml(&parsed);
    for note in &notes {
        eprintln!("note: {note}");
    }
    // Paths in buf.yaml are relative to it; in protoforge.toml to the new file's directory.
    let from = crate::source::discover::absolute(buf_yaml.parent().unwrap_or(Path::new(".")))?;
    let to = crate::source::discover::absolute(dir)?;
    if from != to {
        toml.insert_str(
            0,
            &format!(
                "# Note: buf.yaml was in {}; the paths below are relative to it. Move this file there or adjust them.\n",
                from.display()
            ),
        );
    }
    // Check the result reads back.
    config::Config::parse(&toml, &to.join(config::FILE_NAME))?;
    Ok(toml)
}
