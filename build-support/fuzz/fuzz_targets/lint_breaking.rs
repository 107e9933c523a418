//! Lint and breaking checks on a (previous, current) pair split at `\0\0`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let files = protoforge::fuzzing::split_files(data);
    let previous = files.first().map(|f| f.1.as_slice()).unwrap_or_default();
    let current = files.get(1).map(|f| f.1.as_slice()).unwrap_or(previous);
    let Ok(dir) = tempfile::tempdir() else { return };
    protoforge::fuzzing::lint_and_breaking(dir.path(), previous, current);
});
