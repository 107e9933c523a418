//! The example service called by clients nobody here wrote: Python grpcio (reflection v1alpha,
//! gzip), `buf curl` (gRPC, gRPC-Web and Connect; reflection v1 and v1alpha) and a headless
//! Chromium running `@connectrpc/connect-web` from another origin (Connect and gRPC-Web, CORS). Each test installs its client into
//! `target/` from the files in `tests/clients/` on first use (pip, npm: their registries must be
//! reachable). Where that cannot work the test says why and passes, unless
//! `PROTOFORGE_REAL_CLIENTS=require` (as `.ci/run` sets), where it fails.

mod common;
mod protoforge_call;

use std::os::unix::process::CommandExt;
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

/// A Python grpcio server (the four call kinds, reflection v1alpha only, a TLS port with a
/// certificate from a CA it made), killed when dropped.
struct PythonServer {
    child: std::process::Child,
    plain: u16,
    tls: u16,
    /// The CA that signed the TLS port's certificate (PEM).
    cert: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python_server(python: &Path) -> PythonServer {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("shop.binpb");
    std::fs::write(&set, example_service::shop::v1::FILE_DESCRIPTOR_SET).unwrap();
    let mut child = Command::new(python)
        .arg(spec_dir().join("grpcio_server.py"))
        .arg(&set)
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ports: serde_json::Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("grpcio_server.py said {line:?}: {e}"));
    PythonServer {
        child,
        plain: ports["plain"].as_u64().unwrap() as u16,
        tls: ports["tls"].as_u64().unwrap() as u16,
        cert: dir.path().join("ca.pem"),
        _dir: dir,
    }
}

/// `protoforge call` against a server it shares no code with: grpcio's reflection (v1alpha
/// only, so the fallback is what finds the schema), all four call kinds, its error statuses,
/// and TLS: trusted through --cacert, refused without it, accepted with --insecure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protoforge_call_against_python_grpcio_with_reflection_and_tls() {
    use protoforge_call::call;

    let python = match tokio::task::spawn_blocking(python).await.unwrap() {
        Ok(python) => python,
        Err(why) => return unavailable("Python grpcio", why),
    };
    let server = tokio::task::spawn_blocking(move || python_server(&python))
        .await
        .unwrap();
    let plain = format!("127.0.0.1:{}", server.plain);
    let listed = call(&[&plain, "list"]).await;
    assert_eq!(
        (listed.code, listed.out.as_str()),
        (
            0,
            "grpc.reflection.v1alpha.ServerReflection\nshop.v1.CatalogService\n"
        ),
        "{}",
        listed.err
    );
    let described = call(&[
        &plain,
        "describe",
        "shop.v1.CatalogService/BatchCreateProducts",
    ])
    .await;
    assert_eq!(
        described.out,
        "rpc BatchCreateProducts(stream shop.v1.BatchCreateProductsRequest) returns \
         (google.protobuf.Empty);\n",
        "{}",
        described.err
    );
    let batch = call(&[
        &plain,
        "shop.v1.CatalogService/BatchCreateProducts",
        "-d",
        r#"{"product": {"name": "lamp"}} {"product": {"name": "chair", "priceCents": "250"}}"#,
    ])
    .await;
    assert_eq!(
        (batch.code, batch.out.as_str()),
        (0, "{}\n"),
        "{}",
        batch.err
    );
    let got = call(&[
        &plain,
        "shop.v1.CatalogService/GetProduct",
        "-d",
        r#"{"id": "py-2"}"#,
    ])
    .await;
    assert_eq!(got.code, 0, "{}", got.err);
    assert_eq!(
        got.json_lines()[0]["product"],
        serde_json::json!({"id": "py-2", "name": "chair", "priceCents": "250"})
    );
    let listed = call(&[&plain, "shop.v1.CatalogService/ListProducts"]).await;
    let names: Vec<serde_json::Value> = listed
        .json_lines()
        .iter()
        .map(|m| m["product"]["name"].clone())
        .collect();
    assert_eq!(names, ["lamp", "chair"]);
    let watched = call(&[
        &plain,
        "shop.v1.CatalogService/WatchPrices",
        "-d",
        r#"{"productId": "py-1", "priceCents": "5"} {"productId": "py-1", "priceCents": "7"}"#,
    ])
    .await;
    let prices: Vec<serde_json::Value> = watched
        .json_lines()
        .iter()
        .map(|m| m["priceCents"].clone())
        .collect();
    assert_eq!(prices, ["10", "14"], "{}", watched.err);
    let missing = call(&[
        &plain,
        "shop.v1.CatalogService/GetProduct",
        "-d",
        r#"{"id": "x"}"#,
    ])
    .await;
    assert_eq!(missing.code, 64 + 5);
    let status: serde_json::Value = serde_json::from_str(&missing.err).unwrap();
    assert_eq!(status["message"], "no product x here");

    // TLS: the server's own certificate, named by host or by IP address.
    let cert = server.cert.to_str().unwrap();
    for address in [
        format!("https://localhost:{}", server.tls),
        format!("127.0.0.1:{}", server.tls),
    ] {
        let got = call(&[
            &address,
            "shop.v1.CatalogService/GetProduct",
            "--cacert",
            cert,
            "-d",
            r#"{"id": "py-1"}"#,
        ])
        .await;
        assert_eq!(got.code, 0, "{address}: {}", got.err);
        assert_eq!(got.json_lines()[0]["product"]["name"], "lamp");
    }
    let untrusted = call(&[&format!("localhost:{}", server.tls), "list", "--tls"]).await;
    assert_eq!(untrusted.code, 64 + 14, "{}", untrusted.err);
    assert!(untrusted.err.contains("certificate"), "{}", untrusted.err);
    let insecure = call(&[&format!("localhost:{}", server.tls), "list", "--insecure"]).await;
    assert_eq!(insecure.code, 0, "{}", insecure.err);
    let wrong_name = call(&[
        &format!("localhost:{}", server.tls),
        "list",
        "--cacert",
        cert,
        "--servername",
        "example.com",
    ])
    .await;
    assert_eq!(wrong_name.code, 64 + 14, "{}", wrong_name.err);
    // Plaintext to the TLS port fails as a connection would, not as a hang.
    let plaintext = call(&[
        &format!("127.0.0.1:{}", server.tls),
        "list",
        "--timeout",
        "5s",
    ])
    .await;
    assert_ne!(plaintext.code, 0);
}

/// A Chromium (or Chrome) binary: `$CHROMIUM`, else the first of the usual names on `PATH`.
fn chromium() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    let names = [
        "chromium-headless-shell",
        "chromium",
        "chromium-browser",
        "google-chrome",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            if dir.join(name).is_file() {
                return Ok(dir.join(name));
            }
        }
    }
    Err(format!(
        "no {} on PATH (.ci/run installs chromium-headless-shell with apt; or set CHROMIUM)",
        names.join(", ")
    ))
}

/// The import map that lets the page import the npm packages by name: each package's `exports`
/// (`import` conditions) under `/npm/`.
fn import_map(node_modules: &Path) -> Result<serde_json::Value, String> {
    let mut imports = serde_json::Map::new();
    for package in [
        "@bufbuild/protobuf",
        "@connectrpc/connect",
        "@connectrpc/connect-web",
    ] {
        let manifest = node_modules.join(package).join("package.json");
        let manifest: serde_json::Value = std::fs::read(&manifest)
            .map_err(|e| format!("{}: {e}", manifest.display()))
            .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))?;
        let exports = manifest["exports"]
            .as_object()
            .ok_or_else(|| format!("{package} has no exports"))?;
        for (subpath, targets) in exports {
            let Some(file) = targets["import"].as_str() else {
                continue;
            };
            let name = format!("{package}{}", subpath.trim_start_matches('.'));
            let url = format!("/npm/{package}/{}", file.trim_start_matches("./"));
            imports.insert(name, serde_json::Value::String(url));
        }
    }
    Ok(serde_json::json!({ "imports": imports }))
}

/// Serves the test page, the npm packages it imports, the example's descriptors, and takes the
/// page's report; returns the page's address and the report's receiver.
async fn serve_page(
    node_modules: PathBuf,
) -> (std::net::SocketAddr, tokio::sync::mpsc::Receiver<String>) {
    use axum::extract::{Path as UrlPath, State};
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;

    #[derive(Clone)]
    struct Page {
        html: String,
        node_modules: PathBuf,
        report: tokio::sync::mpsc::Sender<String>,
    }
    let map = import_map(&node_modules).unwrap_or_else(|e| panic!("{e}"));
    let html = std::fs::read_to_string(spec_dir().join("browser.html"))
        .unwrap()
        .replace("IMPORT_MAP", &map.to_string());
    let (report, reports) = tokio::sync::mpsc::channel(1);
    let page = Page {
        html,
        node_modules,
        report,
    };
    let router = axum::Router::new()
        .route(
            "/",
            axum::routing::get(|State(page): State<Page>| async move {
                ([(header::CONTENT_TYPE, "text/html")], page.html).into_response()
            }),
        )
        .route(
            "/descriptors",
            axum::routing::get(|| async {
                example_service::shop::v1::FILE_DESCRIPTOR_SET.into_response()
            }),
        )
        .route(
            "/npm/{*file}",
            axum::routing::get(
                |State(page): State<Page>, UrlPath(file): UrlPath<String>| async move {
                    // Inside node_modules only.
                    if file.split('/').any(|part| part == ".." || part.is_empty()) {
                        return StatusCode::FORBIDDEN.into_response();
                    }
                    match std::fs::read(page.node_modules.join(&file)) {
                        Ok(bytes) => {
                            ([(header::CONTENT_TYPE, "text/javascript")], bytes).into_response()
                        }
                        Err(_) => StatusCode::NOT_FOUND.into_response(),
                    }
                },
            ),
        )
        .route(
            "/result",
            axum::routing::post(|State(page): State<Page>, body: String| async move {
                let _ = page.report.send(body).await;
                StatusCode::NO_CONTENT
            }),
        )
        .with_state(page);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, reports)
}

/// A real browser: the page (one origin) calls the API (another origin, allowed by CORS) through
/// connect-web's Connect and gRPC-Web transports, unary and server streaming, and reports back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_with_connect_web_across_origins() {
    let browser = match chromium() {
        Ok(browser) => browser,
        Err(why) => return unavailable("a headless Chromium", why),
    };
    let bin = match tokio::task::spawn_blocking(node_bin).await.unwrap() {
        Ok(bin) => bin,
        Err(why) => return unavailable("@connectrpc/connect-web (npm)", why),
    };
    let node_modules = bin.parent().unwrap().to_path_buf();
    let (page, mut reports) = serve_page(node_modules).await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = listener.local_addr().unwrap();
    let origin = format!("http://{page}");
    let cors = protoforge::runtime::Cors::allow_origins([origin.as_str()]).unwrap();
    let server = example_service::server(
        Catalog::new(),
        example_service::authenticator(common::KEYS).unwrap(),
    )
    .cors(cors);
    tokio::spawn(server.serve_with_listener(listener, std::future::pending()));

    let profile = tempfile_dir();
    let log = profile.join("browser.log");
    // Its own process group, so that its helper processes go with it.
    let mut child = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{origin}/?api=http://{api}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("{} could not start: {e}", browser.display()));
    let report = tokio::time::timeout(std::time::Duration::from_secs(60), reports.recv()).await;
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.kill();
    let _ = child.wait();
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    let report = match report {
        Ok(Some(report)) => report,
        _ => panic!("the page reported nothing within 60 s; the browser said:\n{said}"),
    };
    let seen: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(seen["origin"], origin.as_str());
    assert!(seen.get("failure").is_none(), "{seen:#}");
    let mut created = Vec::new();
    for transport in ["connect", "grpcweb"] {
        let got = &seen[transport];
        assert!(got.get("failure").is_none(), "{transport}: {seen:#}");
        created.push(format!("lamp {transport}"));
        assert_eq!(got["created"], format!("lamp {transport}"), "{seen:#}");
        // Exposed through CORS, so the script can read it.
        assert!(
            got["requestId"].as_str().is_some_and(|id| !id.is_empty()),
            "{seen:#}"
        );
        assert_eq!(
            got["listed"],
            serde_json::json!(created),
            "{transport}: {seen:#}"
        );
        assert_eq!(got["notFound"], 5, "{transport}: NOT_FOUND, {seen:#}");
        assert_eq!(got["notFoundMessage"], "product `p-404` does not exist");
        assert_eq!(got["noKey"], 16, "{transport}: UNAUTHENTICATED, {seen:#}");
    }
}

/// A fresh directory under the tests' corner of `target/`.
fn tempfile_dir() -> PathBuf {
    let dir = clients_dir().join(format!("profile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The OpenAPI document the example serves passes an OpenAPI 3.1 validator nobody here wrote
/// (tests/openapi.rs in the protoforge crate keeps the file equal to what `protoforge openapi`
/// writes), and the server serves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_passes_openapi_spec_validator_and_is_served() {
    let python = match tokio::task::spawn_blocking(python).await.unwrap() {
        Ok(python) => python,
        Err(why) => return unavailable("openapi-spec-validator (PyPI)", why),
    };
    let document = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let output = tokio::task::spawn_blocking(move || {
        run(Command::new(python)
            .args(["-m", "openapi_spec_validator"])
            .arg(document))
    })
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("OK"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let addr = start(Catalog::new()).await;
    let served = reqwest::get(format!("http://{addr}/openapi.json"))
        .await
        .unwrap();
    assert_eq!(served.headers()["content-type"], "application/json");
    assert_eq!(
        served.text().await.unwrap(),
        include_str!("../openapi.json")
    );
}
