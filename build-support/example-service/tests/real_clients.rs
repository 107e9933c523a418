//! The example service called by clients nobody here wrote: Python grpcio (reflection v1alpha,
//! gzip) and `buf curl` (gRPC, gRPC-Web and Connect; reflection v1 and v1alpha). Each test installs its client into
//! `target/` from the files in `tests/clients/` on first use (pip, npm: their registries must be
//! reachable). Where that cannot work the test says why and passes, unless
//! `PROTOFORGE_REAL_CLIENTS=require` (as `.ci/run` sets), where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use common::start;
use example_service::Catalog;

/// The tests' own corner of `target/`.
fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-clients")
}

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// `Ok(())` when it ran and succeeded; `Err` with the command and its output otherwise.
fn run(command: &mut Command) -> Result<Output, String> {
    let shown = format!("{command:?}");
    match command.output() {
        Ok(output) if output.status.success() => Ok(output),
        Ok(output) => Err(format!(
            "{shown} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )),
        Err(e) => Err(format!("{shown} could not start: {e}")),
    }
}

/// A client that could not be installed: a failure where real clients are required, else a
/// skip that says why.
fn unavailable(client: &str, why: String) {
    let required = std::env::var("PROTOFORGE_REAL_CLIENTS").is_ok_and(|v| v == "require");
    assert!(
        !required,
        "{client} is required here but unavailable: {why}"
    );
    eprintln!("skipped: {client} is unavailable here ({why}); set up is in tests/clients/");
}

/// Installs (once per build directory, and again when requirements.txt changes) a virtualenv
/// with tests/clients/requirements.txt; returns its python.
fn python() -> Result<PathBuf, String> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let requirements = spec_dir().join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| e.to_string())?;
    let venv = clients_dir().join("venv");
    let python = venv.join("bin/python");
    let stamp = venv.join("requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    let _ = std::fs::remove_dir_all(&venv);
    std::fs::create_dir_all(clients_dir()).map_err(|e| e.to_string())?;
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// Installs (once per build directory, and again when package.json changes)
/// tests/clients/package.json; returns its `node_modules/.bin`.
fn node_bin() -> Result<PathBuf, String> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let wanted =
        std::fs::read_to_string(spec_dir().join("package.json")).map_err(|e| e.to_string())?;
    let dir = clients_dir().join("npm");
    let stamp = dir.join("installed-package.json");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("package.json"), &wanted).map_err(|e| e.to_string())?;
        run(Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&dir))?;
        std::fs::write(&stamp, &wanted).map_err(|e| e.to_string())?;
    }
    Ok(dir.join("node_modules/.bin"))
}

/// Runs `buf curl` with `args` (blocking) and returns what it printed.
fn buf_curl(bin: &Path, args: &[&str]) -> Result<String, String> {
    let output = run(Command::new(bin.join("buf"))
        .arg("curl")
        .args(["--timeout", "20s"])
        .args(args))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buf_curl_over_grpc_grpc_web_and_connect_with_both_reflections() {
    let bin = match tokio::task::spawn_blocking(node_bin).await.unwrap() {
        Ok(bin) => bin,
        Err(why) => return unavailable("buf curl (npm @bufbuild/buf)", why),
    };
    let addr = start(Catalog::new()).await;
    let base = format!("http://{addr}");
    let result = tokio::task::spawn_blocking(move || -> Result<(), String> {
        for (n, protocol) in ["grpc", "grpcweb", "connect"].into_iter().enumerate() {
            let services = buf_curl(&bin, &["--protocol", protocol, "--list-services", &base])?;
            let services: Vec<&str> = services.lines().collect();
            assert_eq!(
                services,
                [
                    "grpc.health.v1.Health",
                    "grpc.reflection.v1.ServerReflection",
                    "grpc.reflection.v1alpha.ServerReflection",
                    "ledger.v1.LedgerService",
                    "shop.v1.CatalogService",
                ],
                "{protocol}"
            );
            for reflect in ["grpc-v1", "grpc-v1alpha"] {
                let created = buf_curl(
                    &bin,
                    &[
                        "--protocol",
                        protocol,
                        "--reflect-protocol",
                        reflect,
                        "-H",
                        "x-api-key: admin-key",
                        "-d",
                        r#"{"product":{"name":"lamp","priceCents":"1999"}}"#,
                        &format!("{base}/shop.v1.CatalogService/CreateProduct"),
                    ],
                )?;
                let created: serde_json::Value = serde_json::from_str(&created).unwrap();
                assert_eq!(created["product"]["name"], "lamp", "{protocol} {reflect}");
                let health = buf_curl(
                    &bin,
                    &[
                        "--protocol",
                        protocol,
                        "--reflect-protocol",
                        reflect,
                        "-d",
                        r#"{"service":"shop.v1.CatalogService"}"#,
                        &format!("{base}/grpc.health.v1.Health/Check"),
                    ],
                )?;
                let health: serde_json::Value = serde_json::from_str(&health).unwrap();
                assert_eq!(health["status"], "SERVING", "{protocol} {reflect}");
            }
            // A server stream and a bidirectional one (HTTP/2 for the latter).
            let listed = buf_curl(
                &bin,
                &[
                    "--protocol",
                    protocol,
                    &format!("{base}/shop.v1.CatalogService/ListProducts"),
                ],
            )?;
            // Two lamps created per protocol so far.
            let lamps = listed.matches("\"lamp\"").count();
            assert_eq!(lamps, 2 * (n + 1), "{protocol}: {listed}");
            let echoed = buf_curl(
                &bin,
                &[
                    "--http2-prior-knowledge",
                    "--protocol",
                    protocol,
                    "-H",
                    "x-api-key: admin-key",
                    "-d",
                    r#"{"productId":"p-1","priceCents":"5"} {"productId":"p-1","priceCents":"7"}"#,
                    &format!("{base}/shop.v1.CatalogService/WatchPrices"),
                ],
            );
            let echoed = echoed?;
            assert!(echoed.contains("\"7\""), "{protocol}: {echoed}");
            // An error, as each protocol carries it.
            let error = buf_curl(
                &bin,
                &[
                    "--protocol",
                    protocol,
                    "-d",
                    r#"{"id":"p-404"}"#,
                    &format!("{base}/shop.v1.CatalogService/GetProduct"),
                ],
            )
            .unwrap_err();
            assert!(error.contains("not_found"), "{protocol}: {error}");
        }
        // Unknown names are buf curl's own errors, made from answers it could read.
        let error = buf_curl(
            &bin,
            &[
                "--protocol",
                "grpc",
                &format!("{base}/shop.v1.CatalogService/Nope"),
            ],
        )
        .unwrap_err();
        assert!(error.contains("contains no such method"), "{error}");
        let error = buf_curl(
            &bin,
            &["--protocol", "grpc", &format!("{base}/shop.v1.Nope/Nope")],
        )
        .unwrap_err();
        assert!(
            error.contains(r#"failed to find service named "shop.v1.Nope""#),
            "{error}"
        );
        Ok(())
    })
    .await
    .unwrap();
    result.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_grpcio_with_reflection_v1alpha_and_gzip() {
    let python = match tokio::task::spawn_blocking(python).await.unwrap() {
        Ok(python) => python,
        Err(why) => return unavailable("Python grpcio", why),
    };
    let addr = start(Catalog::new()).await;
    let script = spec_dir().join("grpcio_client.py");
    let output = tokio::task::spawn_blocking(move || {
        run(Command::new(python).arg(script).arg(addr.to_string()))
    })
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("{e}"));
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let expected = serde_json::json!({
        "services": [
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "ledger.v1.LedgerService",
            "shop.v1.CatalogService",
        ],
        "unknown_service": "not found",
        "client_streaming": "ok",
        "server_streaming": ["chair 0", "chair 1", "chair 2", "lamp"],
        "not_found": "NOT_FOUND",
        "no_key": "UNAUTHENTICATED",
        "health": {"status": "SERVING"},
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&seen[key], value, "{key}: {seen:#}");
    }
    let id = seen["unary"]["product"]["id"].as_str().unwrap();
    assert_eq!(seen["unary"]["product"]["name"], "lamp");
    assert_eq!(seen["unary"]["product"]["price_cents"], "1999");
    assert_eq!(
        seen["bidi"],
        serde_json::json!([
            {"product_id": id, "price_cents": "2100"},
            {"product_id": id, "price_cents": "2200"},
        ])
    );
    assert_eq!(
        seen["editions"],
        serde_json::json!({"balance": "5", "history": ["5"]})
    );
}
