//! Any bytes as a scenario file: parse, resolve and validate must return a
//! result, never panic, and every error must render as a diagnostic.
#![no_main]
#![forbid(unsafe_code)]

use kizuna::scenario::load::{LoadOptions, load};
use kizuna::scenario::sources::MemorySources;
use libfuzzer_sys::fuzz_target;

/// Small limits keep one input fast; the real defaults are far larger.
fn options() -> LoadOptions {
    LoadOptions::new()
        .max_file_bytes(1024 * 1024)
        .max_includes(16)
        .max_entities(10_000)
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let sources = MemorySources::new().with("main.ron", text.as_ref());
    if let Err(err) = load(&sources, "main.ron", &options()) {
        // Both ways an error reaches a user: the plain location lines and
        // miette's graphical report.
        let lines = err.location_lines();
        assert!(!lines.is_empty(), "an error names at least one location");
        let _ = format!("{:?}", miette::Report::new(err));
    }
});
