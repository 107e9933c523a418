// Lints the protos (protoforge.toml's rules and protoforge.lock), then generates prost messages,
// tonic services and protoforge's handler traits, adapters and clients into OUT_DIR.
fn main() -> Result<(), protoforge::Error> {
    protoforge::configure()
        .includes(["proto"])
        .compile_protos(["proto"])?;
    Ok(())
}
