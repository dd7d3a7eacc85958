//! Every committed fuzz input, run through the same paths as the fuzz
//! targets on every `cargo test`: the seeds and minimised corpus entries
//! under `fuzz/corpus/`, and the inputs of past failures under
//! `fuzz/regressions/` (nightly and libFuzzer are not needed).

use std::path::PathBuf;

use kizuna::scenario::load::{LoadOptions, load};
use kizuna::scenario::sources::MemorySources;
use kizuna::session::log::SessionLog;
use kizuna::session::replay::replay;

/// The files of `fuzz/<kind>/<target>/`, if the folder exists.
fn inputs(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            std::fs::read(&path).ok().map(|bytes| (path, bytes))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_input_loads_or_reports_a_printable_error() {
    let mut files = inputs("corpus", "scenario_loader");
    let regressions = inputs("regressions", "scenario_loader");
    assert!(
        regressions.len() >= 5,
        "the hardening regressions are committed"
    );
    files.extend(regressions);
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(&bytes);
        let sources = MemorySources::new().with("main.ron", text.as_ref());
        if let Err(err) = load(&sources, "main.ron", &LoadOptions::default()) {
            let shown = format!("{:?}", miette::Report::new(err));
            let raw: Vec<char> = shown
                .chars()
                .filter(|c| c.is_control() && *c != '\n' && *c != '\u{1b}')
                .collect();
            assert!(raw.is_empty(), "{}: {raw:?} in {shown:?}", path.display());
            // miette's own colours are the only escapes in the output.
            assert!(
                !shown.contains("\u{1b}]") && !shown.contains("\u{1b}[2J"),
                "{}: {shown:?}",
                path.display()
            );
        }
    }
}

#[test]
fn every_session_log_input_parses_or_is_refused_and_replays_or_is_refused() {
    let mut replayed = 0;
    for (path, bytes) in inputs("corpus", "session_log")
        .into_iter()
        .chain(inputs("regressions", "session_log"))
    {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(log) = SessionLog::parse(&path.display().to_string(), &text) {
            // Three turns are enough to reach the model; the rest is
            // covered by the replay tests.
            replayed += usize::from(replay(&log, Some(3)).is_ok());
        }
    }
    // The seeds are real logs of every shipped scenario: they replay.
    assert!(replayed >= 4, "only {replayed} logs replayed");
}
