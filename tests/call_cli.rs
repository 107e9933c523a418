//! `protoforge call` as the built binary: its forms in `--help`, and exit codes that scripts
//! can branch on (64 + the status code; 2 for usage). Calls against real servers are in the
//! example service's tests (tests/call.rs, tests/real_clients.rs).

mod common;

use common::protoforge_cmd;
use predicates::prelude::*;

#[test]
fn help_shows_every_form() {
    protoforge_cmd()
        .args(["call", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "protoforge call ADDR list SERVICE",
        ))
        .stdout(predicate::str::contains(
            "protoforge call ADDR describe SYMBOL",
        ))
        .stdout(predicate::str::contains("-d @- < requests.ndjson"))
        .stdout(predicate::str::contains("--schema <PATH>"));
}

#[test]
fn a_refused_connection_exits_as_unavailable() {
    // Port 1 on loopback: nothing listens there.
    protoforge_cmd()
        .args(["call", "127.0.0.1:1", "list"])
        .assert()
        .code(64 + 14)
        .stdout("")
        .stderr(predicate::str::contains(r#""code":14"#))
        .stderr(predicate::str::contains("cannot connect to 127.0.0.1:1"));
    protoforge_cmd()
        .args(["call", "127.0.0.1:1", "list", "--format", "text"])
        .assert()
        .code(64 + 14)
        .stderr(predicate::str::starts_with("ERROR:\n  Code: UNAVAILABLE\n"));
}

#[test]
fn usage_mistakes_exit_2_before_connecting() {
    for (args, says) in [
        (&["call", "localhost", "list"][..], "has no port"),
        (
            &["call", "127.0.0.1:1", "list", "-H", "x"],
            "bad header `x`",
        ),
        (&["call", "127.0.0.1:1"], "nothing to do"),
        (
            &["call", "ftp://127.0.0.1:1", "list"],
            "`ftp://` is not an address scheme",
        ),
        (
            &["call", "127.0.0.1:1", "pkg.S/M", "--cert", "c.pem"],
            "--key <FILE>",
        ),
    ] {
        protoforge_cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn local_schemas_list_and_describe_without_a_server() {
    let proto = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/build-support/example-service/proto/shop"
    );
    protoforge_cmd()
        .args([
            "call",
            "127.0.0.1:1",
            "list",
            "shop.v1.CatalogService",
            "--schema",
            proto,
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "shop.v1.CatalogService/WatchPrices\n",
        ));
    protoforge_cmd()
        .args([
            "call",
            "127.0.0.1:1",
            "describe",
            "shop.v1.Availability",
            "--schema",
            proto,
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "enum shop.v1.Availability {\n  AVAILABILITY_UNSPECIFIED = 0;\n",
        ));
}
