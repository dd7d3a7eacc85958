//! Any bytes as a session log: parsing must return a result, never panic;
//! a log that parses is replayed, which must also fail cleanly.
#![no_main]
#![forbid(unsafe_code)]

use kizuna::session::log::SessionLog;
use kizuna::session::replay::replay;
use libfuzzer_sys::fuzz_target;

/// Replaying is a full simulation per turn: a few turns find the bugs
/// without letting one input run for seconds.
const MAX_REPLAY_TURNS: u32 = 50;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    match SessionLog::parse("fuzz.log", &text) {
        Ok(log) => {
            if let Err(err) = replay(&log, Some(MAX_REPLAY_TURNS)) {
                assert!(!err.to_string().is_empty(), "a replay error says something");
            }
        }
        Err(err) => {
            assert!(!err.location_lines().is_empty(), "a parse error is located");
            let _ = format!("{:?}", miette::Report::new(err));
        }
    }
});
