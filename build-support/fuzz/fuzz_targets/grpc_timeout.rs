//! The `grpc-timeout` parser: what it accepts formats back to something it accepts.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        protoforge::fuzzing::grpc_timeout(text);
    }
});
