//! Loading one to three files (split at `\0\0`; `a.proto` may import `b.proto`) and linting them.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    protoforge::fuzzing::load_and_lint(&protoforge::fuzzing::split_files(data));
});
