//! Snapshots of every output format on the bundled example.

use std::path::{Path, PathBuf};

use protoforge::check::{Checks, Flags, Session};
use protoforge::internals::config::Config;
use protoforge::internals::source::LoadOptions;
use protoforge::render::{self, Format, HumanOptions};

#[test]
fn every_format_on_the_example() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("build-support/example-service");
    let config = Config::read(&dir.join("protoforge.toml")).unwrap();
    let options = LoadOptions {
        paths: vec![PathBuf::from("proto")],
        roots: config.roots.clone(),
        cwd: dir.clone(),
    };
    let report = Session::with_config(config, options)
        .report(&Checks::lint(), &Flags::default())
        .unwrap();
    let human = HumanOptions {
        color: false,
        width: 80,
    };
    for (name, format) in [
        ("human", Format::Human),
        ("json", Format::Json),
        ("github", Format::Github),
        ("sarif", Format::Sarif),
    ] {
        let mut text = render::render(&report, format, human);
        if format == Format::Sarif {
            // The tool version changes with every release.
            text = text.replace(env!("CARGO_PKG_VERSION"), "[version]");
        }
        insta::assert_snapshot!(format!("example__{name}"), text);
    }
}
