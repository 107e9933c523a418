//! The result cache: a hit returns what a fresh run would, and any change to an input misses.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::write;

/// Runs `protoforge lint --format json` in `dir` with the cache in `cache`; returns stdout.
fn lint(dir: &Path, cache: &Path, extra: &[&str]) -> String {
    let out = Command::cargo_bin("protoforge")
        .unwrap()
        .current_dir(dir)
        .env("PROTOFORGE_CACHE_DIR", cache)
        .env_remove("PROTOFORGE_NO_CACHE")
        .args(["lint", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() <= 1, "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn entries(cache: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(cache)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

const A: &str = "syntax = \"proto3\";\npackage acme.v1;\nimport \"acme/v1/b.proto\";\nmessage A {\n  B b = 1;\n}\n";
const B: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage B {\n  int32 Bad_Name = 1;\n}\n";

#[test]
fn a_hit_matches_a_fresh_run_and_is_really_used() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/a.proto", A);
    write(dir.path(), "acme/v1/b.proto", B);
    let fresh = lint(dir.path(), cache.path(), &["--no-cache"]);
    assert!(
        entries(cache.path()).is_empty(),
        "--no-cache wrote an entry"
    );
    let first = lint(dir.path(), cache.path(), &[]);
    let second = lint(dir.path(), cache.path(), &[]);
    assert_eq!(fresh, first);
    assert_eq!(fresh, second);
    assert!(fresh.contains("FIELD_LOWER_SNAKE_CASE"), "{fresh}");

    // Prove the second run read the entry: doctor the stored message and see it come back.
    let [entry] = entries(cache.path()).try_into().unwrap();
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, text.replace("Bad_Name", "Doctored_Name")).unwrap();
    assert!(lint(dir.path(), cache.path(), &[]).contains("Doctored_Name"));
    // And --no-cache does not.
    assert_eq!(lint(dir.path(), cache.path(), &["--no-cache"]), fresh);
}

#[test]
fn a_changed_import_misses() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/a.proto", A);
    write(dir.path(), "acme/v1/b.proto", B);
    assert!(lint(dir.path(), cache.path(), &[]).contains("Bad_Name"));
    write(
        dir.path(),
        "acme/v1/b.proto",
        &B.replace("Bad_Name", "good_name"),
    );
    let after = lint(dir.path(), cache.path(), &[]);
    assert!(!after.contains("Bad_Name"), "{after}");
    assert_eq!(after, lint(dir.path(), cache.path(), &["--no-cache"]));
}

#[test]
fn a_missing_import_that_appears_misses() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    // The import lives outside the checked directory, under a second include root.
    write(dir.path(), "api/acme/v1/a.proto", A);
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    let args = ["-I", "api", "-I", "vendor", "api"];
    assert!(lint(dir.path(), cache.path(), &args).contains("not found"));
    write(dir.path(), "vendor/acme/v1/b.proto", B);
    let after = lint(dir.path(), cache.path(), &args);
    assert!(!after.contains("not found"), "{after}");
}

#[test]
fn a_new_file_and_a_config_change_miss() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/b.proto", B);
    let before = lint(dir.path(), cache.path(), &[]);
    write(
        dir.path(),
        "acme/v1/c.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage c {}\n",
    );
    let with_c = lint(dir.path(), cache.path(), &[]);
    assert_ne!(before, with_c);
    assert!(with_c.contains("MESSAGE_PASCAL_CASE"), "{with_c}");
    write(
        dir.path(),
        "protoforge.toml",
        "[lint]\nuse = [\"STANDARD\"]\nexcept = [\"MESSAGE_PASCAL_CASE\"]\n",
    );
    let configured = lint(dir.path(), cache.path(), &[]);
    assert!(!configured.contains("MESSAGE_PASCAL_CASE"), "{configured}");
}

#[test]
fn a_corrupt_or_foreign_entry_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/v1/b.proto", B);
    let fresh = lint(dir.path(), cache.path(), &[]);
    let [entry] = entries(cache.path()).try_into().unwrap();
    for junk in [
        "",
        "{",
        "not json at all",
        "{\"version\":\"0.0.0\"}",
        "[1,2,3]",
    ] {
        std::fs::write(&entry, junk).unwrap();
        assert_eq!(lint(dir.path(), cache.path(), &[]), fresh, "entry {junk:?}");
    }
    // An unwritable cache directory does not fail the run either.
    let file_not_dir = cache.path().join("plain-file");
    std::fs::write(&file_not_dir, "").unwrap();
    assert_eq!(lint(dir.path(), &file_not_dir, &[]), fresh);
}

/// The parallel stages (parsing, linking in chunks, linting, rendering) give the same report in
/// any thread count.
#[test]
fn findings_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    // Enough files for several parse waves and link chunks, with findings and a broken file.
    for p in 0..6 {
        for f in 0..120 {
            let import = if f > 0 {
                format!("import \"acme/p{p}/v1/f{}.proto\";\n", f - 1)
            } else {
                String::new()
            };
            let body = if (p * 120 + f) % 97 == 0 {
                "message {\n".to_owned()
            } else {
                format!(
                    "message M{f} {{\n  string Bad_{f} = 1;\n}}\nenum e{f} {{\n  X{f} = 0;\n}}\n"
                )
            };
            write(
                dir.path(),
                &format!("acme/p{p}/v1/f{f}.proto"),
                &format!("syntax = \"proto3\";\npackage acme.p{p}.v1;\n{import}{body}"),
            );
        }
    }
    let run = |threads: &str, format: &str| {
        let out = Command::cargo_bin("protoforge")
            .unwrap()
            .current_dir(dir.path())
            .env("PROTOFORGE_CACHE_DIR", cache.path())
            .env("RAYON_NUM_THREADS", threads)
            .args(["lint", "--no-cache", "--format", format])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    for format in ["json", "human"] {
        let one = run("1", format);
        assert!(one.contains("COMPILE") && one.contains("FIELD_LOWER_SNAKE_CASE"));
        for threads in ["2", "3", "8"] {
            assert!(
                one == run(threads, format),
                "{format} output differs with {threads} threads"
            );
        }
    }
}

/// Directory and descriptor-set baselines are inputs too: changing the baseline misses.
#[test]
fn a_changed_directory_baseline_misses() {
    let root = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (old, new) = (root.path().join("old"), root.path().join("new"));
    write(&old, "acme/v1/b.proto", B);
    write(
        &new,
        "acme/v1/c.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage C {}\n",
    );
    write(
        &new,
        "acme/v1/b.proto",
        &B.replace("  int32 Bad_Name = 1;\n", ""),
    );
    let breaking = |extra: &[&str]| {
        let out = Command::cargo_bin("protoforge")
            .unwrap()
            .current_dir(&new)
            .env("PROTOFORGE_CACHE_DIR", cache.path())
            .args(["breaking", "--against", "../old", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let first = breaking(&[]);
    assert!(first.contains("FIELD_NO_DELETE"), "{first}");
    assert_eq!(
        entries(cache.path()).len(),
        1,
        "a directory baseline run is cached"
    );
    assert_eq!(breaking(&[]), first);
    // The deleted field was never in the baseline after all: nothing is breaking now.
    write(
        &old,
        "acme/v1/b.proto",
        &B.replace("  int32 Bad_Name = 1;\n", ""),
    );
    let after = breaking(&[]);
    assert!(!after.contains("FIELD_NO_DELETE"), "{after}");
    // A new file in the baseline changes the key: current c.proto now has a previous version.
    write(
        &old,
        "acme/v1/c.proto",
        "syntax = \"proto3\";\npackage acme.v1;\nmessage C {\n  int32 x = 1;\n}\n",
    );
    let with_gone = breaking(&[]);
    assert!(with_gone.contains("`x` of `acme.v1.C`"), "{with_gone}");
    assert_eq!(with_gone, breaking(&["--no-cache"]));
}
