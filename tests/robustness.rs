//! Hostile input: every case ends with a located message and exit 1 (findings) or 2 (errors),
//! never a panic (101), a hang or a crash. Each run is bounded by a timeout.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{protoforge_cmd, write};

/// Runs `protoforge ARGS` in `dir` and returns (exit code, stdout + stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = protoforge_cmd()
        .current_dir(dir)
        .args(args)
        .arg("--no-cache")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed (timeout or signal): {text}"));
    assert!(code == 1 || code == 2, "exit {code}: {text}");
    (code, text)
}

const HEAD: &str = "syntax = \"proto3\";\npackage acme.v1;\n";

#[test]
fn broken_and_huge_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "truncated",
            format!("{HEAD}message M {{ string x = "),
            "a.proto:3",
        ),
        ("nul", format!("{HEAD}\0message M {{}}\0\n"), "a.proto:3"),
        (
            "one_long_line",
            format!("{HEAD}{}", "message M { string x = 1; } ".repeat(100_000)),
            "defined twice",
        ),
        (
            "deep_nesting",
            format!(
                "{HEAD}{}{}",
                "message M { ".repeat(100_000),
                "}".repeat(100_000)
            ),
            "nested",
        ),
        (
            "ten_thousand_fields",
            format!(
                "{HEAD}message M {{\n{}}}\n",
                (1..=10_000)
                    .map(|i| format!("  string f{i} = {};\n", i % 5000 + 1))
                    .collect::<String>()
            ),
            "a.proto:",
        ),
        (
            "not_utf8",
            format!("{HEAD}// \u{FFFD}\n").replace('\u{FFFD}', "\u{80}"),
            "a.proto",
        ),
    ];
    for (name, text, needle) in cases {
        let mut bytes = text.into_bytes();
        if name == "not_utf8" {
            bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
        }
        let path = dir.join(name).join("acme/v1/a.proto");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let (code, text) = run(&dir.join(name), &["lint", "."]);
        assert_eq!(code, 1, "{name}: {text}");
        assert!(
            text.contains(needle),
            "{name}: {needle} not in {}",
            &text[..text.len().min(2000)]
        );
        assert!(
            text.len() < 100_000,
            "{name}: {} bytes of output",
            text.len()
        );
    }

    // Over the size limit (a sparse file: nothing is written to disk).
    let big = dir.join("big/acme/v1/a.proto");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    std::fs::File::create(&big)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let (code, text) = run(&dir.join("big"), &["lint", "."]);
    assert_eq!(code, 1);
    assert!(text.contains("larger than 64 MiB"), "{text}");
}

#[cfg(unix)]
#[test]
fn odd_file_system_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "acme/v1/a.proto",
        &format!("{HEAD}import \"acme/v1/z.proto\";\nmessage M {{}}\n"),
    );
    // A loop, a dangling link and a link to an endless device.
    std::os::unix::fs::symlink("..", dir.join("acme/loop")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.proto", dir.join("acme/v1/dangling.proto")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("acme/v1/z.proto")).unwrap();
    let (code, text) = run(dir, &["lint", "-I", ".", "."]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("acme/v1/z.proto"), "{text}");
}

#[test]
fn nonsense_lock_config_and_buf_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "acme/v1/a.proto",
        &format!("{HEAD}message M {{ string x = 1; }}\n"),
    );
    let cases: [(&str, &[u8], &str); 6] = [
        (
            "protoforge.lock",
            b"garbage [[[\nversion = \"x\"\n",
            "protoforge.lock` line 1",
        ),
        ("protoforge.lock", b"\xff\xfe\x00binary", "protoforge.lock"),
        (
            "protoforge.lock",
            b"acme.v1.M 1 2 3 4 5 6 7 8 9\n",
            "protoforge.lock",
        ),
        ("protoforge.toml", b"[lint\nuse = 7", "protoforge.toml"),
        (
            "protoforge.toml",
            b"[codegen]\nclient_timeout = \"soon\"\n",
            "invalid duration",
        ),
        ("buf.yaml", b"version: v2\nlint: [[[: {\n", "buf.yaml"),
    ];
    for (file, bytes, needle) in cases {
        for other in ["protoforge.lock", "protoforge.toml", "buf.yaml"] {
            let _ = std::fs::remove_file(dir.join(other));
        }
        std::fs::write(dir.join(file), bytes).unwrap();
        let (code, text) = run(dir, &["check", "."]);
        assert_eq!(code, 2, "{file}: {text}");
        assert!(text.contains(needle), "{file}: {needle} not in {text}");
    }
}

/// Ranges are handled as ranges, never number by number: `reserved 1000 to max;` in an enum spans
/// two billion numbers, and every command that compares, records or fixes reservations and
/// extension ranges must finish at once. (A walk over the numbers ran for minutes per range.)
#[test]
fn ranges_as_wide_as_the_number_space() {
    const WIDE: &str = "syntax = \"proto2\";\npackage acme.v1;\n\
        enum E {\n  reserved -2147483648 to -1000, 1000 to max;\n  reserved \"OLD\";\n  E_UNSPECIFIED = 0;\n  E_A = 1;\n}\n\
        message M {\n  reserved 1000 to max;\n  reserved \"old\";\n  optional string a = 1;\n}\n\
        message X {\n  extensions 100 to max;\n  optional int32 b = 1;\n}\n\
        extend X {\n  optional int32 ext = 100;\n}\n";
    // The next version drops every wide reservation and the extension range, and deletes the
    // fields and values, so each rule that compares ranges has work to do.
    let narrowed = WIDE
        .replace("reserved -2147483648 to -1000, 1000 to max;", "reserved 5;")
        .replace("reserved 1000 to max;", "reserved 6;")
        .replace("  E_A = 1;\n", "")
        .replace("  optional string a = 1;\n", "")
        .replace("extensions 100 to max;", "extensions 100 to 200;");
    let use_file = "[breaking]\nuse = [\"FILE\"]\n";
    for (name, previous, current) in [
        ("same", WIDE, WIDE.to_owned()),
        ("narrowed", WIDE, narrowed.clone()),
        ("widened", narrowed.as_str(), WIDE.to_owned()),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(dir, "protoforge.toml", use_file);
        write(dir, "cur/acme/v1/a.proto", &current);
        write(dir, "prev/acme/v1/a.proto", previous);
        let started = std::time::Instant::now();
        for args in [
            &["breaking", "cur", "--against", "prev"][..],
            &["check", "cur", "--against", "prev"],
            &["lock", "-I", "prev", "prev"],
            &["lock", "-I", "cur", "cur"],
            &["check", "cur", "--no-breaking"],
            &["check", "cur", "--against", "prev", "--fix"],
            &["lint", "cur", "--fix"],
        ] {
            let out = protoforge_cmd()
                .current_dir(dir)
                .args(args)
                .env("PROTOFORGE_NO_CACHE", "1")
                .timeout(Duration::from_secs(20))
                .output()
                .unwrap();
            let code = out.status.code();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                matches!(code, Some(0 | 1)),
                "{name}: {args:?} exit {code:?} (killed after 20 s when None): {text}"
            );
        }
        // Everything narrowed is reported as lost, with the reservation in the message.
        if name == "narrowed" {
            std::fs::write(dir.join("cur/acme/v1/a.proto"), &current).unwrap();
            let out = protoforge_cmd()
                .current_dir(dir)
                .args(["breaking", "cur", "--against", "prev", "--no-cache"])
                .timeout(Duration::from_secs(20))
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            for needle in [
                "RESERVED_ENUM_NO_DELETE",
                "RESERVED_MESSAGE_NO_DELETE",
                "EXTENSION_MESSAGE_NO_DELETE",
                "1000 to 2147483647",
                "1000 to 536870911",
            ] {
                assert!(text.contains(needle), "{needle} not in {text}");
            }
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{name}");
    }
}
