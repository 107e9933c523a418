//! Hot paths on a generated tree (no files outside the checkout needed): load + compile + lint,
//! the breaking comparison, and rendering. With `PROTOFORGE_BENCH_CORPUS=DIR` (a googleapis-like
//! tree with `current/` and `previous/`), the same on that corpus. The side-by-side comparison
//! with buf is build-support/bench/compare.sh.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use protoforge::check::{Checks, Flags, Session};
use protoforge::internals::config::Config;
use protoforge::internals::source::LoadOptions;
use protoforge::render::{self, Format, HumanOptions};

/// One file of the generated tree: messages with scalar, repeated, map and message fields, an
/// enum, a service; every seventh message has a lint finding (a field not in lower_snake_case).
fn file_text(package: usize, file: usize, drop_fields: bool) -> String {
    let mut s = format!(
        "syntax = \"proto3\";\n\npackage bench.p{package}.v1;\n\nimport \"google/protobuf/timestamp.proto\";\n\n"
    );
    for m in 0..12 {
        let n = file * 100 + m;
        writeln!(
            s,
            "// Message {n} carries a little of everything.\nmessage M{n} {{"
        )
        .unwrap();
        writeln!(
            s,
            "  string id = 1;\n  int64 count = 2;\n  repeated string tags = 3;"
        )
        .unwrap();
        writeln!(
            s,
            "  map<string, int32> scores = 4;\n  google.protobuf.Timestamp created_at = 5;"
        )
        .unwrap();
        if !(drop_fields && m.is_multiple_of(5)) {
            writeln!(s, "  Kind{file} kind = 6;\n  bytes payload = 7;").unwrap();
        }
        if n.is_multiple_of(7) {
            writeln!(s, "  string Legacy_Name = 8;").unwrap();
        }
        writeln!(
            s,
            "  message Inner {{\n    double value = 1;\n  }}\n  Inner inner = 9;\n}}\n"
        )
        .unwrap();
    }
    writeln!(
        s,
        "enum Kind{file} {{\n  KIND{file}_UNSPECIFIED = 0;\n  KIND{file}_A = 1;\n  KIND{file}_B = 2;\n}}\n"
    )
    .unwrap();
    writeln!(s, "service S{file}Service {{").unwrap();
    for r in 0..4 {
        let n = file * 100 + r;
        writeln!(s, "  rpc Get{n}(Get{n}Request) returns (Get{n}Response);").unwrap();
    }
    s.push_str("}\n\n");
    for r in 0..4 {
        let n = file * 100 + r;
        writeln!(s, "message Get{n}Request {{\n  string id = 1;\n}}\n").unwrap();
        writeln!(s, "message Get{n}Response {{\n  M{n} item = 1;\n}}\n").unwrap();
    }
    s
}

/// Writes `packages` x `files` files under `dir`.
fn generate(dir: &Path, packages: usize, files: usize, drop_fields: bool) {
    for p in 0..packages {
        let pkg_dir = dir.join(format!("bench/p{p}/v1"));
        std::fs::create_dir_all(&pkg_dir).unwrap();
        for f in 0..files {
            let text = file_text(p, f, drop_fields);
            std::fs::write(pkg_dir.join(format!("file_{f}.proto")), text).unwrap();
        }
    }
}

fn options(dir: &Path) -> LoadOptions {
    LoadOptions {
        paths: Vec::new(),
        roots: Vec::new(),
        cwd: dir.to_path_buf(),
    }
}

fn bench_tree(c: &mut Criterion, name: &str, current: &Path, previous: Option<&Path>) {
    let session = Session::with_config(Config::defaults(current), options(current));
    let flags = Flags::default();
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.bench_function("lint", |b| {
        b.iter(|| session.run(&Checks::lint(), &flags).unwrap())
    });
    if let Some(previous) = previous {
        let checks = Checks::breaking(previous.display().to_string());
        group.bench_function("breaking", |b| {
            b.iter(|| session.run(&checks, &flags).unwrap())
        });
    }
    let report = session.report(&Checks::lint(), &flags).unwrap();
    let human = HumanOptions {
        color: false,
        width: 100,
    };
    group.bench_function(
        format!("render human ({} findings)", report.findings.len()),
        |b| b.iter(|| render::render(&report, Format::Human, human)),
    );
    group.bench_function(
        format!("render json ({} findings)", report.findings.len()),
        |b| b.iter(|| render::render(&report, Format::Json, human)),
    );
    group.finish();
}

fn generated(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("current");
    let previous = dir.path().join("previous");
    // 40 packages x 15 files: 600 files, about 7,000 messages.
    generate(&current, 40, 15, true);
    generate(&previous, 40, 15, false);
    bench_tree(c, "generated-600-files", &current, Some(&previous));

    // One file of the tree, as a pre-commit hook checks it.
    let file: PathBuf = current.join("bench/p0/v1/file_0.proto");
    let options = LoadOptions {
        paths: vec![file],
        roots: vec![current.clone()],
        cwd: current.clone(),
    };
    let session = Session::with_config(Config::defaults(&current), options);
    c.bench_function("one file of the tree", |b| {
        b.iter(|| session.run(&Checks::lint(), &Flags::default()).unwrap())
    });
}

fn corpus(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("PROTOFORGE_BENCH_CORPUS") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let previous = dir.join("previous");
    bench_tree(
        c,
        "corpus",
        &dir.join("current"),
        previous.is_dir().then_some(previous.as_path()),
    );
}

criterion_group!(benches, generated, corpus);
criterion_main!(benches);
