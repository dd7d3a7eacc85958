//! Any bytes as a session log: parsing must return a result, never panic;
//! a log that parses is replayed, which must also fail cleanly. Almost any
//! change to a log breaks one of its hashes, so a parsed log is also
//! replayed again with its hashes brought in line with its content: that
//! is how changed decisions, overrides and parameters reach the model.
#![no_main]
#![forbid(unsafe_code)]

use kizuna::scenario::load::source_hash;
use kizuna::session::log::{SessionLog, header_hash, hex};
use kizuna::session::replay::{ReplayError, replay};
use libfuzzer_sys::fuzz_target;

/// Replaying is a full simulation per turn: a few turns find the bugs
/// without letting one input run for seconds.
const MAX_REPLAY_TURNS: u32 = 12;
/// Each hash put right costs a replay from the start, so only this many.
const MAX_HASH_FIXES: usize = 14;

/// Replays until a problem other than a stale hash, putting each stale
/// hash right first.
fn replay_with_matching_hashes(mut log: SessionLog) {
    let source = source_hash(&log.source_files());
    log.source_hash = hex(source);
    log.header_hash = hex(header_hash(&log, source));
    for _ in 0..MAX_HASH_FIXES {
        match replay(&log, Some(MAX_REPLAY_TURNS)) {
            Err(ReplayError::Mismatch { turn, actual, .. }) => {
                let Some(record) = log.turns.get_mut((turn as usize).saturating_sub(1)) else {
                    return;
                };
                record.state_hash = actual;
            }
            Err(ReplayError::TurnCount { found, .. }) => log.end.turns = found,
            Err(ReplayError::End { actual, .. }) => log.end.hash = actual,
            Err(other) => {
                assert!(
                    !other.to_string().is_empty(),
                    "a replay error says something"
                );
                return;
            }
            Ok(_) => return,
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    match SessionLog::parse("fuzz.log", &text) {
        Ok(log) => {
            if let Err(err) = replay(&log, Some(MAX_REPLAY_TURNS)) {
                assert!(!err.to_string().is_empty(), "a replay error says something");
            }
            replay_with_matching_hashes(log);
        }
        Err(err) => {
            assert!(!err.location_lines().is_empty(), "a parse error is located");
            let _ = format!("{:?}", miette::Report::new(err));
        }
    }
});
