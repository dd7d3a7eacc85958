//! The session log: a self-contained record of a session. The header holds
//! everything needed to rebuild the world (every scenario file's text, the
//! seed, who played each team) and its own hash; each turn holds the
//! decisions, the facilitator's overrides and a state hash chained to the
//! previous link, starting from the header's; the end record seals the
//! number of turns and the abandoned branches onto the last link. So any
//! edit is caught, and named: the header, a turn, or the end.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::scenario::diagnostics::{Problem, ScenarioError, offset_of};
use crate::scenario::load::Exceeded;
use crate::scenario::load::SourceFile;
use crate::sim::decision::Decision;
use crate::sim::hash::Encoder;
use crate::sim::overrides::Override;

/// Format 3: the header and the end are hashed too, and every branch
/// carries the reason for its rewind. The facilitator's notes are an
/// optional part of it: sealed with the end only when there are any, so a
/// log without notes reads and hashes as before.
pub const LOG_FORMAT: u32 = 3;
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Deepest bracket nesting a log may have; checked before parsing, with
/// the scanner the scenario loader uses (strings and comments skipped).
pub const MAX_LOG_NESTING: usize = 256;
/// Logs larger than this are refused unless the limit is raised.
pub const DEFAULT_MAX_LOG_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionLog {
    pub format: u32,
    pub engine: String,
    pub scenario: String,
    /// Every file the scenario was loaded from; the first is the scenario.
    pub files: Vec<LoggedFile>,
    /// xxh3-64 of the files, hex.
    pub source_hash: String,
    pub seed: u64,
    /// `--set PATH=VALUE` parameters applied to the scenario, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<String>,
    /// The language the session was played in (`en`, `ja`), so a resume
    /// opens in it; hashed with the header when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    pub teams: Vec<TeamAssignment>,
    /// [`header_hash`] of everything above, hex: the first link of the chain.
    pub header_hash: String,
    pub turns: Vec<TurnRecord>,
    /// Lines of play abandoned by a rewind, kept for the record.
    #[serde(default)]
    pub branches: Vec<Branch>,
    /// The facilitator's notes, in the order taken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<FacilitatorNote>,
    pub end: LogEnd,
}

/// A note the facilitator took during play: the turn being decided, the
/// wall-clock time (UTC, RFC 3339) and the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilitatorNote {
    pub turn: u32,
    pub at: String,
    pub text: String,
}

/// The seal: how many turns the log holds, and [`end_hash`] of the last
/// link, that number and the branches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEnd {
    pub turns: u32,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedFile {
    pub path: String,
    pub text: std::sync::Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamAssignment {
    pub team: String,
    /// `human` or a policy name.
    pub controller: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnRecord {
    pub turn: u32,
    pub decisions: Vec<Decision>,
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// Chained state hash after this turn, 16 hex digits.
    pub state_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// The turn play was rewound to; the abandoned turns followed it.
    pub rewound_to: u32,
    /// Why the facilitator rewound.
    pub reason: String,
    /// The chain value after turn `rewound_to` on the line the branch
    /// left, hex: a branch can be taken back only onto that same line.
    pub base: String,
    pub abandoned: Vec<TurnRecord>,
}

pub fn hex(h: u64) -> String {
    format!("{h:016x}")
}

pub fn parse_hex(s: &str) -> Option<u64> {
    if s.len() != 16 {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

/// The chain's first link: every field of the header (format, engine,
/// scenario id, source hash, seed, parameters, who plays each team), so a
/// header edit is caught before any turn is replayed.
pub fn header_hash(log: &SessionLog, source_hash: u64) -> u64 {
    let mut enc = Encoder::default();
    enc.u64(u64::from(log.format));
    enc.str(&log.engine);
    enc.str(&log.scenario);
    enc.u64(source_hash);
    enc.u64(log.seed);
    enc.len(log.parameters.len());
    for p in &log.parameters {
        enc.str(p);
    }
    enc.len(log.teams.len());
    for t in &log.teams {
        enc.str(&t.team);
        enc.str(&t.controller);
    }
    // Only when recorded, so logs without a language hash as before.
    if let Some(lang) = &log.lang {
        enc.str(lang);
    }
    enc.finish()
}

/// The seal over the last link: the number of turns, the branches hash
/// ([`branches_hash`]) and the notes, so removing turns or editing a
/// branch or a note is caught. With no notes the seal is format 3's.
pub fn end_hash(last: u64, turns: u32, branches: u64, notes: &[FacilitatorNote]) -> u64 {
    let mut enc = Encoder::default();
    enc.u64(last);
    enc.u64(u64::from(turns));
    enc.u64(branches);
    if !notes.is_empty() {
        enc.len(notes.len());
        for n in notes {
            enc.u64(u64::from(n.turn));
            enc.str(&n.at);
            enc.str(&n.text);
        }
    }
    enc.finish()
}

/// Every abandoned branch: where it was rewound to, why, and its records
/// (inputs and their hashes). Branches change only on a rewind, so a
/// session keeps this value rather than re-encoding them every turn.
pub fn branches_hash(branches: &[Branch]) -> u64 {
    let mut enc = Encoder::default();
    enc.len(branches.len());
    for b in branches {
        enc.u64(u64::from(b.rewound_to));
        enc.str(&b.reason);
        enc.str(&b.base);
        enc.len(b.abandoned.len());
        for t in &b.abandoned {
            enc.u64(u64::from(t.turn));
            encode_inputs(&mut enc, &t.decisions, &t.overrides);
            enc.str(&t.state_hash);
        }
    }
    enc.finish()
}

fn encode_inputs(enc: &mut Encoder, decisions: &[Decision], overrides: &[Override]) {
    enc.len(decisions.len());
    for d in decisions {
        crate::sim::hash::decision(enc, d);
    }
    enc.len(overrides.len());
    for o in overrides {
        // RON text is a stable encoding for these plain values.
        enc.str(&ron::to_string(o).unwrap_or_default());
    }
}

/// Links one turn into the chain: the previous link, the simulation's own
/// state hash, and what was decided and overridden this turn.
pub fn chain(previous: u64, state: u64, decisions: &[Decision], overrides: &[Override]) -> u64 {
    let mut enc = Encoder::default();
    enc.u64(previous);
    enc.u64(state);
    encode_inputs(&mut enc, decisions, overrides);
    enc.finish()
}

impl SessionLog {
    pub fn source_files(&self) -> Vec<SourceFile> {
        self.files
            .iter()
            .map(|f| SourceFile {
                path: f.path.clone(),
                text: f.text.clone(),
            })
            .collect()
    }

    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .depth_limit(4)
            .struct_names(false)
            .separate_tuple_members(false)
            // The embedded scenario files stay readable, line by line.
            .escape_strings(false);
        ron::ser::to_string_pretty(self, config).unwrap_or_default()
    }

    /// Parses a log, with located errors.
    pub fn parse(path: &str, text: &str) -> Result<SessionLog, ScenarioError> {
        let opts = ron::Options::default().with_recursion_limit(MAX_LOG_NESTING);
        let text_arc: Arc<str> = Arc::from(text);
        match crate::scenario::load::over_limit(text, MAX_LOG_NESTING, usize::MAX, true) {
            Some(Exceeded::Nesting { at }) => {
                return Err(Problem::at(
                    path,
                    &text_arc,
                    (at, 1),
                    format!("nesting deeper than {MAX_LOG_NESTING} levels"),
                    "too deep",
                )
                .with_help("a session log is never nested this deeply; the file is damaged")
                .into());
            }
            // Notes and reasons are printed by `report`: a control
            // character in one could change the reader's terminal.
            Some(Exceeded::Control { at, len }) => {
                return Err(Problem::at(
                    path,
                    &text_arc,
                    (at, len),
                    "a control character in a string",
                    "not allowed here",
                )
                .with_help("kizuna never writes one into a log; the file was edited")
                .into());
            }
            _ => {}
        }
        opts.from_str::<SessionLog>(text).map_err(|e| {
            let start = offset_of(text, e.span.start.line, e.span.start.col);
            Problem::at(path, &text_arc, (start, 1), format!("not a valid session log: {}", e.code), "here")
                .with_help("a session log starts with `(format: 3, engine: …, scenario: …, files: [...], …)`; was the file edited or cut short?")
                .into()
        })
    }
}
