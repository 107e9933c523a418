//! The ledger reader on arbitrary text.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        protoforge::fuzzing::ledger(text);
    }
});
