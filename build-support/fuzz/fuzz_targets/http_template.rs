//! The HTTP path template parser and matcher (template and path split at the first newline).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (template, path) = text.split_once('\n').unwrap_or((text, "/v1/x"));
        protoforge::fuzzing::http_template(template, path);
    }
});
