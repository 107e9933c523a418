//! `protoforge init` as a newcomer meets it: `cargo install --path .`, `protoforge init`, then
//! the skeleton builds exactly as written (warning-free, no edits to what init wrote), `cargo
//! run` serves it and a real gRPC client (tonic's) gets an answer from its method. A second run
//! of init keeps what exists.

mod common;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::protoforge_cmd;

/// The skeleton's messages, as the client side declares them (tag numbers from its proto).
#[derive(Clone, PartialEq, prost::Message)]
struct SayHelloRequest {
    #[prost(string, tag = "1")]
    name: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct SayHelloResponse {
    #[prost(string, tag = "1")]
    message: String,
}

/// Builds go here, apart from the workspace's target/ (which `cargo test` holds locked), shared
/// by the install and the skeleton so that their common dependencies are built once.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/init-skeleton")
}

fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap()
}

/// `cargo install --path <this checkout>`, as the README says, into `root`.
fn install(root: &Path) -> PathBuf {
    let repo = env!("CARGO_MANIFEST_DIR");
    let root_arg = root.display().to_string();
    let out = cargo(
        Path::new(repo),
        &[
            "install", "--path", repo, "--locked", "--debug", "--root", &root_arg,
        ],
    );
    assert!(
        out.status.success(),
        "cargo install failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    root.join("bin/protoforge")
}

/// A running `cargo run`; its process group is stopped when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_secs(30) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// The skeleton's one method, called as any client would, by its path.
async fn say_hello(
    client: &mut tonic::client::Grpc<tonic::transport::Channel>,
    name: &str,
) -> Result<tonic::Response<SayHelloResponse>, tonic::Status> {
    client.ready().await.unwrap();
    client
        .unary(
            tonic::Request::new(SayHelloRequest { name: name.into() }),
            tonic::codegen::http::uri::PathAndQuery::from_static(
                "/hello.v1.GreeterService/SayHello",
            ),
            tonic_prost::ProstCodec::default(),
        )
        .await
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn installed_init_writes_a_skeleton_that_builds_runs_and_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let binary = install(&tmp.path().join("root"));
    let init = || {
        let mut cmd = protoforge_cmd();
        cmd.current_dir(tmp.path());
        cmd
    };
    let dir = tmp.path().join("hello-svc");
    let out = Command::new(&binary)
        .current_dir(tmp.path())
        .args(["init", "hello-svc"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for file in [
        "protoforge.toml",
        "Cargo.toml",
        "build.rs",
        "proto/hello/v1/greeter.proto",
        "src/main.rs",
        ".pre-commit-config.yaml",
        ".github/workflows/protoforge.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file} was not written");
    }
    // Installed from a source tree that still exists: the dependency is that tree, never a
    // crates.io name that may belong to someone else.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"hello-svc\""), "{manifest}");
    let path = format!("path = {:?}", env!("CARGO_MANIFEST_DIR"));
    assert_eq!(manifest.matches(&path).count(), 2, "{manifest}");
    assert!(!manifest.contains("protoforge = { version"), "{manifest}");
    assert!(stderr.contains("comes from the source tree"), "{stderr}");

    // The proto is lint-clean.
    protoforge_cmd()
        .current_dir(&dir)
        .args(["check", "--no-cache"])
        .assert()
        .success();

    // A second run keeps the user's edits; --force overwrites them.
    let main_rs = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    std::fs::write(dir.join("src/main.rs"), "// mine\n").unwrap();
    let out = init().args(["init", "hello-svc"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.join("src/main.rs")).unwrap(),
        "// mine\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Kept"));
    init()
        .args(["init", "hello-svc", "--force"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.join("src/main.rs")).unwrap(),
        main_rs
    );

    // Build what init wrote, unchanged. The workspace's lock file pins the versions this
    // checkout is tested with (and lets the build reuse the install's); Cargo.toml is untouched.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let build = || {
        let out = cargo(&dir, &["build", "-v"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "the skeleton does not build:\n{stderr}"
        );
        // How often hello-svc's build script ran.
        stderr
            .lines()
            .filter(|l| {
                l.contains("Running")
                    && l.contains("hello-svc-")
                    && l.contains("build-script-build")
            })
            .count()
    };
    build();
    assert_eq!(
        std::fs::read_to_string(dir.join("Cargo.toml")).unwrap(),
        manifest,
        "the build changed Cargo.toml"
    );
    // rerun-if-changed: nothing changed, the build script does not run; a proto change runs it
    // once.
    assert_eq!(build(), 0, "a no-op rebuild reran the build script");
    let proto = dir.join("proto/hello/v1/greeter.proto");
    let text = std::fs::read_to_string(&proto).unwrap();
    std::fs::write(&proto, format!("{text}\n// edited\n")).unwrap();
    assert_eq!(build(), 1, "a proto change did not rerun the build script");
    assert_eq!(
        build(),
        0,
        "the build script ran again with nothing changed"
    );

    // `cargo run`, then call the method from a gRPC client.
    let addr: SocketAddr = ([127, 0, 0, 1], free_port()).into();
    let mut run = Command::new(env!("CARGO"));
    run.current_dir(&dir)
        .args(["run", "--quiet"])
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", "-D warnings")
        .env("ADDR", addr.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(&mut run, 0);
    let mut server = Running(run.spawn().unwrap());
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        if let Some(status) = server.0.try_wait().unwrap() {
            panic!("`cargo run` ended with {status} before serving");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the skeleton did not listen on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (answer, refused) = runtime.block_on(async {
        let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect()
            .await
            .unwrap();
        let mut client = tonic::client::Grpc::new(channel);
        (
            say_hello(&mut client, "world").await,
            say_hello(&mut client, " ").await,
        )
    });
    // The client's connection closes with its runtime: SIGTERM then stops the server at once.
    drop(runtime);
    assert_eq!(answer.unwrap().into_inner().message, "Hello, world!");
    let refused = refused.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument, "{refused:?}");
    let stopping = Instant::now();
    drop(server);
    assert!(
        stopping.elapsed() < Duration::from_secs(20),
        "SIGTERM did not stop the skeleton promptly"
    );
}

#[test]
fn init_takes_protoforge_from_where_it_is_told() {
    let tmp = tempfile::tempdir().unwrap();
    let manifest = |name: &str| std::fs::read_to_string(tmp.path().join(name).join("Cargo.toml"));
    let init = |args: &[&str]| {
        protoforge_cmd()
            .current_dir(tmp.path())
            .arg("init")
            .args(args)
            .output()
            .unwrap()
    };

    let out = init(&["by-version", "--protoforge-version", "0.1"]);
    assert!(out.status.success());
    let text = manifest("by-version").unwrap();
    // Both: the runtime at run time, the build half (not the `call` client) in build.rs.
    assert!(
        text.contains(
            "protoforge = { version = \"0.1\", default-features = false, features = [\"runtime\"] }"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "protoforge = { version = \"0.1\", default-features = false, features = [\"build\"] }"
        ),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("from crates.io"));

    let out = init(&[
        "by-git",
        "--protoforge-git",
        "https://example.com/protoforge.git",
    ]);
    assert!(out.status.success());
    let text = manifest("by-git").unwrap();
    assert_eq!(
        text.matches("git = \"https://example.com/protoforge.git\"")
            .count(),
        2,
        "{text}"
    );

    // A relative --protoforge-path is written relative to the new service.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut from_tmp = PathBuf::new();
    for _ in tmp.path().canonicalize().unwrap().components().skip(1) {
        from_tmp.push("..");
    }
    let relative = from_tmp.join(repo.strip_prefix("/").unwrap());
    let out = init(&[
        "nested/by-path",
        "--protoforge-path",
        relative.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = manifest("nested/by-path").unwrap();
    let paths: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("protoforge = { path = \""))
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(paths.len(), 2, "{text}");
    for path in paths {
        assert!(Path::new(path).is_relative(), "{text}");
        let service = tmp.path().join("nested/by-path");
        assert_eq!(
            std::fs::canonicalize(service.join(path)).unwrap(),
            std::fs::canonicalize(repo).unwrap(),
            "{text}"
        );
    }

    // Bad input is refused before anything is written.
    for (args, says) in [
        (
            &["no-tree", "--protoforge-path", "/"][..],
            "holds no Cargo.toml",
        ),
        (
            &["bad-version", "--protoforge-version", "latest"][..],
            "is not a version requirement",
        ),
        (
            &["two", "--protoforge-version", "1", "--protoforge-git", "x"][..],
            "cannot be used with",
        ),
    ] {
        let out = init(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!tmp.path().join(args[0]).exists(), "{args:?} wrote files");
    }
}
