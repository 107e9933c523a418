// The example service's build script: protoforge exactly as a user calls it.
fn main() -> Result<(), protoforge::Error> {
    // Lint gate (protoforge.toml's rules and the lock) + prost + tonic + protoforge's code.
    protoforge::configure()
        .includes(["proto"])
        .compile_protos(["proto/shop/v1/shop.proto"])?;
    // An edition 2023 file, generated as the proto3 code its features match.
    protoforge::configure()
        .includes(["proto"])
        .compile_protos(["proto/ledger/v1/ledger.proto"])?;
    // Awkward names, to prove the generated code compiles warning-free whatever the proto calls
    // things (no lint gate: these names break the naming rules on purpose).
    protoforge::configure()
        .includes(["../../testdata/codegen/awkward"])
        .lint(false)
        .compile_protos(["../../testdata/codegen/awkward/awkward/v1/awkward.proto"])?;
    Ok(())
}
