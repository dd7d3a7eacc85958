//! The file store: session logs and sweep outputs read from and written to
//! disk. Logs are read with a size limit; every write is atomic, through a
//! temporary file with a random name created exclusively beside the
//! target (so a planted symlink is never followed), flushed to disk and
//! renamed over it, so a crash leaves the old file or the new one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::scenario::diagnostics::{Problem, ScenarioError};
use crate::scenario::sources::ReadError;
use crate::session::log::SessionLog;

/// Reads a regular file of at most `max_bytes`. Anything else is refused
/// before a byte is read: a FIFO or a device would block or never end. The
/// file is opened without blocking (so one swapped for a FIFO after the
/// check does not hang) and read no further than one byte past the limit,
/// whatever its size claims.
pub fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e.to_string()),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            kind: file_kind(&meta),
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            kind: file_kind(&meta),
        });
    }
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge { size: meta.len() });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// What a path that is not a regular file is, in words.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Reads a log file, refusing one larger than `max_bytes`.
pub fn read_log(path: &Path, max_bytes: u64) -> Result<SessionLog, ScenarioError> {
    let shown = path.display().to_string();
    let bytes = read_bounded(path, max_bytes).map_err(|e| match e {
        ReadError::TooLarge { size } => Problem::whole_file(
            &shown,
            format!("the log is {}", ReadError::over_limit(size, max_bytes)),
        )
        .with_help("raise the limit with --max-log-bytes if the log is genuine"),
        other => Problem::whole_file(&shown, format!("cannot read the log: {other}")),
    })?;
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

/// Writes a session log atomically.
pub fn write_log(path: &Path, log: &SessionLog) -> std::io::Result<()> {
    write_atomic(path, log.to_ron().as_bytes())
}

/// Writes `bytes` to `path` atomically (see the module comment).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".kizuna-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Whether two paths name the same existing file (through links and
/// relative parts), so an output never overwrites an input.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The scenario file (and each file it includes) that `output` would
/// overwrite, if any: an output never replaces an input.
pub fn overwrites_scenario(
    output: &Path,
    scenario_arg: &str,
    loaded: &crate::scenario::Loaded,
) -> Option<String> {
    let arg = Path::new(scenario_arg);
    if !arg.is_file() {
        return None;
    }
    let dir = arg.parent().unwrap_or(Path::new(""));
    std::iter::once(arg.to_path_buf())
        .chain(loaded.files.iter().map(|f| dir.join(&f.path)))
        .find(|input| same_file(output, input))
        .map(|input| {
            format!(
                "{} is the scenario file {}; choose another file for the output",
                output.display(),
                input.display()
            )
        })
}
