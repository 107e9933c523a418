//! `--fix`: a file that compiled still compiles after its fixes, and fixing again changes nothing.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    protoforge::fuzzing::fix_is_safe_and_idempotent(data);
});
