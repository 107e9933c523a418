//! `protoforge format`: what it writes still parses, means the same and keeps every comment.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    protoforge::fuzzing::format_is_safe(data);
});
