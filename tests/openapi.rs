//! `protoforge openapi`: the document of the example service, kept current in the repository
//! (the example serves it; build-support/example-service/tests/real_clients.rs validates it with
//! openapi-spec-validator), and what it says about routes, schemas and auth.

mod common;

use common::protoforge_cmd;
use serde_json::{Value, json};

const EXAMPLE: &str = "build-support/example-service";

fn example_document() -> (String, Value) {
    let output = protoforge_cmd()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["openapi", &format!("{EXAMPLE}/proto")])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let json = serde_json::from_str(&text).unwrap();
    (text, json)
}

#[test]
fn the_example_services_document_is_current() {
    let (text, _) = example_document();
    let path = format!("{}/{EXAMPLE}/openapi.json", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        text == committed,
        "{EXAMPLE}/openapi.json is stale: run `cargo run -- openapi {EXAMPLE}/proto -o \
         {EXAMPLE}/openapi.json`"
    );
}

#[test]
fn routes_schemas_and_auth_as_the_gateway_serves_them() {
    let (_, doc) = example_document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "ledger.v1, shop.v1");
    let paths = doc["paths"].as_object().unwrap();
    let mut names: Vec<&str> = paths.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "/v1/ledger:record",
            "/v1/products",
            "/v1/products/{id}",
            "/v1/products/{id}:archive",
            "/v1/products/{product.id}",
            "/v1/{name}",
        ]
    );

    // A public GET: no security, the path parameter, the proto comment as its summary.
    let get = &paths["/v1/products/{id}"]["get"];
    assert_eq!(get["operationId"], "CatalogService_GetProduct");
    assert_eq!(get["summary"], "One product by id.");
    assert_eq!(get["security"], json!([]));
    assert_eq!(get["parameters"][0]["in"], "path");
    assert_eq!(get["parameters"][0]["name"], "id");
    // The additional binding, its variable's pattern described.
    let by_name = &paths["/v1/{name}"]["get"];
    assert_eq!(by_name["operationId"], "CatalogService_GetProduct2");
    let description = by_name["parameters"][0]["description"].as_str().unwrap();
    assert!(
        description.contains("shelves/*/products/*"),
        "{description}"
    );

    // A protected POST with `body: "product"` and `response_body: "product"`.
    let post = &paths["/v1/products"]["post"];
    assert_eq!(
        post["security"],
        json!([{"apiKey": []}, {"bearer": ["catalog.write"]}])
    );
    assert!(
        post["description"]
            .as_str()
            .unwrap()
            .contains("catalog.write")
    );
    let body = &post["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["$ref"], "#/components/schemas/shop.v1.Product");
    let ok = &post["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(ok["$ref"], "#/components/schemas/shop.v1.Product");
    assert_eq!(
        post["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/google.rpc.Status"
    );
    // The gateway's query parameters, JSON names, nested ones dotted; the FieldMask a string.
    let list = &paths["/v1/products"]["get"];
    let query: Vec<&str> = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        query,
        [
            "nameContains",
            "tags",
            "filter.availability",
            "filter.minPriceCents"
        ]
    );
    assert!(list["responses"]["200"]["content"]["application/x-ndjson"].is_object());
    let patch = &paths["/v1/products/{product.id}"]["patch"];
    let mask = patch["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "updateMask")
        .expect("updateMask");
    assert_eq!(mask["schema"]["type"], "string");

    // proto3 JSON: int64 as a string, enums by name, Timestamp as date-time, comments kept.
    let schemas = &doc["components"]["schemas"];
    let product = &schemas["shop.v1.Product"]["properties"];
    assert_eq!(product["priceCents"]["type"], "string");
    assert_eq!(product["createTime"]["format"], "date-time");
    assert_eq!(
        product["availability"]["$ref"],
        "#/components/schemas/shop.v1.Availability"
    );
    assert_eq!(
        schemas["shop.v1.Availability"]["enum"],
        json!([
            "AVAILABILITY_UNSPECIFIED",
            "AVAILABILITY_IN_STOCK",
            "AVAILABILITY_DISCONTINUED"
        ])
    );
    assert_eq!(
        schemas["ledger.v1.Entry"]["properties"]["delta"]["description"],
        "Units in (positive) or out (negative)."
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["apiKey"]["name"],
        "x-api-key"
    );
}

#[test]
fn no_routes_and_broken_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "a/v1/a.proto",
        "syntax = \"proto3\";\npackage a.v1;\nmessage M {}\nservice S { rpc Get(M) returns (M); }\n",
    );
    protoforge_cmd()
        .current_dir(dir.path())
        .arg("openapi")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no HTTP routes to describe"));
    common::write(
        dir.path(),
        "a/v1/b.proto",
        "syntax = \"proto3\";\nmessage {",
    );
    protoforge_cmd()
        .current_dir(dir.path())
        .args(["openapi", "-o", "out.json"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("COMPILE"));
    assert!(!dir.path().join("out.json").exists());
}
