//! The front end against protox-parse on a corpus: descriptors (SourceCodeInfo included) must be
//! equal on every file protox accepts, and the parse phase is timed on both.
//!
//! `cargo bench --bench front_end` uses testdata/; `PROTOFORGE_BENCH_CORPUS=DIR` another tree
//! (googleapis: `../shared/corpus/googleapis/current`). Exits 1 on any difference.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use prost_types::FileDescriptorProto;
use protoforge::internals::source::syntax;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}

fn normalized(mut proto: FileDescriptorProto) -> FileDescriptorProto {
    if let Some(info) = &mut proto.source_code_info {
        info.location.sort_by(|a, b| {
            (
                &a.path,
                &a.span,
                &a.leading_comments,
                &a.trailing_comments,
                &a.leading_detached_comments,
            )
                .cmp(&(
                    &b.path,
                    &b.span,
                    &b.leading_comments,
                    &b.trailing_comments,
                    &b.leading_detached_comments,
                ))
        });
    }
    proto
}

fn main() {
    let root = std::env::var_os("PROTOFORGE_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"));
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    let texts: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((
                p.strip_prefix(&root).unwrap_or(p).display().to_string(),
                text,
            ))
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{} files, {:.1} MB under {}",
        texts.len(),
        bytes as f64 / 1e6,
        root.display()
    );

    if std::env::var_os("PROTOFORGE_BENCH_PROFILE").is_some() {
        // Only our parser, many times: for a profiler.
        for _ in 0..10 {
            for (name, text) in &texts {
                let _ = std::hint::black_box(syntax::parse(name, text));
            }
        }
        return;
    }
    let (mut same, mut differ, mut both_reject, mut only_ours_reject, mut only_protox_reject) =
        (0, 0, 0, 0, 0);
    for (name, text) in &texts {
        let ours = syntax::parse(name, text);
        let theirs = protox_parse::parse(name, text);
        match (ours, theirs) {
            (Ok(a), Ok(b)) => {
                let (a, b) = (normalized(a), normalized(b));
                if a == b {
                    same += 1;
                } else {
                    differ += 1;
                    if differ <= 5 {
                        report_difference(name, &a, &b);
                    }
                }
            }
            (Err(_), Err(_)) => both_reject += 1,
            (Err(e), Ok(_)) => {
                only_ours_reject += 1;
                if only_ours_reject <= 5 {
                    println!("only protoforge rejects {name}: {:?}", &e[..e.len().min(3)]);
                }
            }
            (Ok(_), Err(e)) => {
                only_protox_reject += 1;
                if only_protox_reject <= 5 {
                    println!("only protox rejects {name}: {e}");
                }
            }
        }
    }
    println!(
        "equal {same}, different {differ}, both reject {both_reject}, only protoforge rejects {only_ours_reject}, only protox rejects {only_protox_reject}"
    );

    let time = |f: &dyn Fn(&str, &str)| {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            for (name, text) in &texts {
                f(name, text);
            }
            best = best.min(t.elapsed());
        }
        best
    };
    let ours = time(&|n, t| {
        let _ = std::hint::black_box(syntax::parse(n, t));
    });
    let theirs = time(&|n, t| {
        let _ = std::hint::black_box(protox_parse::parse(n, t));
    });
    println!(
        "parse, best of 5, one thread: protoforge {:.1} ms, protox-parse {:.1} ms ({:.2}x)",
        ours.as_secs_f64() * 1e3,
        theirs.as_secs_f64() * 1e3,
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    if differ + only_ours_reject > 0 {
        std::process::exit(1);
    }
}

fn report_difference(name: &str, a: &FileDescriptorProto, b: &FileDescriptorProto) {
    let mut a = a.clone();
    let mut b = b.clone();
    let (sa, sb) = (a.source_code_info.take(), b.source_code_info.take());
    if a != b {
        let (da, db) = (format!("{a:#?}"), format!("{b:#?}"));
        let line = da
            .lines()
            .zip(db.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        println!("{name}: descriptors differ at line {line}:");
        for (x, y) in da
            .lines()
            .zip(db.lines())
            .skip(line.saturating_sub(3))
            .take(8)
        {
            println!("  ours {x}\n  prot {y}");
        }
        return;
    }
    let (la, lb) = (
        sa.unwrap_or_default().location,
        sb.unwrap_or_default().location,
    );
    println!(
        "{name}: SourceCodeInfo differs ({} vs {} locations)",
        la.len(),
        lb.len()
    );
    let mut shown = 0;
    for l in &la {
        if !lb.contains(l) && shown < 4 {
            println!("  only ours: {l:?}");
            shown += 1;
        }
    }
    for l in &lb {
        if !la.contains(l) && shown < 8 {
            println!("  only protox: {l:?}");
            shown += 1;
        }
    }
}
