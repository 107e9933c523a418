//! PROTOVALIDATE's CEL parser and type checker on arbitrary expressions.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        protoforge::fuzzing::cel(text);
    }
});
