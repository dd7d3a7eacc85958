//! The session log: a self-contained record of a session. The header holds
//! everything needed to rebuild the world (every scenario file's text, the
//! seed, who played each team); each turn holds the decisions, the
//! facilitator's overrides and a state hash chained to the previous turn's,
//! so an edited log is caught at the turn that was changed.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::scenario::diagnostics::{Problem, ScenarioError, offset_of};
use crate::scenario::load::SourceFile;
use crate::sim::decision::Decision;
use crate::sim::hash::Encoder;
use crate::sim::overrides::Override;

pub const LOG_FORMAT: u32 = 1;
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Deepest bracket nesting a log may have; checked before parsing, with
/// the scanner the scenario loader uses (strings and comments skipped).
pub const MAX_LOG_NESTING: usize = 256;
/// Logs larger than this are refused unless the limit is raised.
pub const DEFAULT_MAX_LOG_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub teams: Vec<TeamAssignment>,
    pub turns: Vec<TurnRecord>,
    /// Lines of play abandoned by a rewind, kept for the record.
    #[serde(default)]
    pub branches: Vec<Branch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedFile {
    pub path: String,
    pub text: std::sync::Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamAssignment {
    pub team: String,
    /// `human` or a policy name.
    pub controller: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnRecord {
    pub turn: u32,
    pub decisions: Vec<Decision>,
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// Chained state hash after this turn, 16 hex digits.
    pub state_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// The turn play was rewound to; the abandoned turns followed it.
    pub rewound_to: u32,
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

/// The chain's starting value: the scenario's source hash, the seed and
/// the parameters applied to the scenario.
pub fn chain_start(source_hash: u64, seed: u64, parameters: &[String]) -> u64 {
    let mut enc = Encoder::default();
    enc.u64(source_hash);
    enc.u64(seed);
    enc.len(parameters.len());
    for p in parameters {
        enc.str(p);
    }
    enc.finish()
}

/// Links one turn into the chain: the previous link, the simulation's own
/// state hash, and what was decided and overridden this turn.
pub fn chain(previous: u64, state: u64, decisions: &[Decision], overrides: &[Override]) -> u64 {
    let mut enc = Encoder::default();
    enc.u64(previous);
    enc.u64(state);
    enc.len(decisions.len());
    for d in decisions {
        crate::sim::hash::decision(&mut enc, d);
    }
    enc.len(overrides.len());
    for o in overrides {
        // RON text is a stable encoding for these plain values.
        enc.str(&ron::to_string(o).unwrap_or_default());
    }
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
        if let Some(depth_at) = crate::scenario::load::too_deep(text, MAX_LOG_NESTING) {
            return Err(Problem::at(
                path,
                &text_arc,
                (depth_at, 1),
                format!("nesting deeper than {MAX_LOG_NESTING} levels"),
                "too deep",
            )
            .with_help("a session log is never nested this deeply; the file is damaged")
            .into());
        }
        opts.from_str::<SessionLog>(text).map_err(|e| {
            let start = offset_of(text, e.span.start.line, e.span.start.col);
            Problem::at(path, &text_arc, (start, 1), format!("not a valid session log: {}", e.code), "here")
                .with_help("a session log starts with `(format: 1, engine: …, scenario: …, files: [...], …)`; was the file edited or cut short?")
                .into()
        })
    }

    /// Reads a log file with a size limit.
    pub fn read(path: &Path, max_bytes: u64) -> Result<SessionLog, ScenarioError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path)
            .map_err(|e| Problem::whole_file(&shown, format!("cannot read the log: {e}")))?;
        if meta.len() > max_bytes {
            return Err(Problem::whole_file(
                &shown,
                format!(
                    "the log is {} bytes, over the {max_bytes}-byte limit",
                    meta.len()
                ),
            )
            .with_help("raise the limit with --max-log-bytes if the log is genuine")
            .into());
        }
        let bytes = std::fs::read(path)
            .map_err(|e| Problem::whole_file(&shown, format!("cannot read the log: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Problem::whole_file(
                &shown,
                format!(
                    "the log is not UTF-8 text (bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        SessionLog::parse(&shown, &text)
    }

    /// Writes atomically: a temporary file beside the target, flushed to
    /// disk, then renamed over it, so a crash leaves the old or the new log.
    pub fn write_atomic(&self, path: &Path) -> std::io::Result<()> {
        write_atomic(path, self.to_ron().as_bytes())
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "log".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
