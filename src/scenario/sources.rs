//! Where scenario text comes from: files on disk, an in-memory set (a
//! session log that embeds every file it was played from), or the built-in
//! set compiled into the binary.
//!
//! All of them are addressed by *logical* paths: `/`-separated, relative,
//! without `..`. A path starting with `assets/` names the shared asset
//! library; any other path is relative to the scenario's folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::builtin;

/// Why a source could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    /// Larger than the allowed size; `size` is what was found.
    TooLarge {
        size: u64,
    },
    /// A FIFO, a device, a folder: never opened, since reading one could
    /// block or never end.
    NotAFile {
        kind: &'static str,
    },
    /// Anything else the operating system reported.
    Io(String),
}

impl ReadError {
    /// How a refused file is over the limit, in words: its size when known
    /// before reading, else (a stream read one byte past it) only that.
    pub fn over_limit(size: u64, max_bytes: u64) -> String {
        if size == max_bytes.saturating_add(1) {
            format!("over the {max_bytes}-byte limit")
        } else {
            format!("{size} bytes, over the {max_bytes}-byte limit")
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::TooLarge { size } => write!(f, "too large ({size} bytes or more)"),
            ReadError::NotAFile { kind } => write!(f, "it is {kind}, not a regular file"),
            ReadError::Io(e) => f.write_str(e),
        }
    }
}

/// A set of files addressed by logical path.
pub trait Sources {
    /// Reads the file at a logical path, refusing files over `max_bytes`.
    fn read(&self, path: &str, max_bytes: u64) -> Result<Vec<u8>, ReadError>;

    /// How a logical path is shown to people in diagnostics.
    fn display_path(&self, path: &str) -> String {
        path.to_string()
    }
}

fn read_builtin(path: &str, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    match builtin::builtin_file(path) {
        Some(text) if text.len() as u64 > max_bytes => Err(ReadError::TooLarge {
            size: text.len() as u64,
        }),
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => Err(ReadError::NotFound),
    }
}

/// The scenarios and assets compiled into the binary.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinSources;

impl Sources for BuiltinSources {
    fn read(&self, path: &str, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
        read_builtin(path, max_bytes)
    }

    fn display_path(&self, path: &str) -> String {
        format!("<built-in>/{path}")
    }
}

/// Files held in memory, e.g. the sources embedded in a session log.
/// `assets/…` paths missing from the map fall back to the built-in assets.
#[derive(Debug, Clone, Default)]
pub struct MemorySources {
    pub files: BTreeMap<String, String>,
}

impl MemorySources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file.
    pub fn with(mut self, path: impl Into<String>, text: impl Into<String>) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }
}

impl Sources for MemorySources {
    fn read(&self, path: &str, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
        match self.files.get(path) {
            Some(text) if text.len() as u64 > max_bytes => Err(ReadError::TooLarge {
                size: text.len() as u64,
            }),
            Some(text) => Ok(text.as_bytes().to_vec()),
            None if path.starts_with("assets/") => read_builtin(path, max_bytes),
            None => Err(ReadError::NotFound),
        }
    }
}

/// Files on disk: the scenario's folder, and an optional asset library
/// folder (the folder that `assets/` names). Without an asset folder, and
/// for asset files it does not have, the built-in assets are used.
#[derive(Debug, Clone)]
pub struct DiskSources {
    pub scenario_dir: PathBuf,
    pub assets_dir: Option<PathBuf>,
}

impl DiskSources {
    pub fn new(scenario_dir: impl Into<PathBuf>) -> Self {
        Self {
            scenario_dir: scenario_dir.into(),
            assets_dir: None,
        }
    }

    pub fn with_assets_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.assets_dir = Some(dir.into());
        self
    }

    /// The folder and the file a logical path names on disk.
    fn locate(&self, path: &str) -> Option<(&Path, PathBuf)> {
        if let Some(rest) = path.strip_prefix("assets/") {
            let dir = self.assets_dir.as_deref()?;
            Some((dir, join_logical(dir, rest)))
        } else {
            Some((&self.scenario_dir, join_logical(&self.scenario_dir, path)))
        }
    }
}

fn join_logical(dir: &Path, path: &str) -> PathBuf {
    let mut out = dir.to_path_buf();
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        out.push(part);
    }
    out
}

fn read_disk(base: &Path, file: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let real = match file.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::NotFound),
        Err(e) => return Err(ReadError::Io(e.to_string())),
    };
    // A symbolic link must not lead out of the folder it was named in.
    if let Ok(base) = base.canonicalize()
        && !real.starts_with(&base)
    {
        return Err(ReadError::Io(format!(
            "{} leads outside {}",
            file.display(),
            base.display()
        )));
    }
    crate::store::read_bounded(&real, max_bytes)
}

impl Sources for DiskSources {
    fn read(&self, path: &str, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
        match self.locate(path) {
            Some((base, file)) => match read_disk(base, &file, max_bytes) {
                Err(ReadError::NotFound) if path.starts_with("assets/") => {
                    read_builtin(path, max_bytes)
                }
                other => other,
            },
            None => read_builtin(path, max_bytes),
        }
    }

    fn display_path(&self, path: &str) -> String {
        match self.locate(path) {
            Some((_, file)) => file.display().to_string(),
            None => format!("<built-in>/{path}"),
        }
    }
}

/// Why an include path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    Empty,
    Absolute,
    ParentDir,
    Backslash,
    Drive,
    Control,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PathError::Empty => "an include path may not be empty",
            PathError::Absolute => "an include path may not be absolute",
            PathError::ParentDir => "an include path may not contain `..`",
            PathError::Backslash => "an include path uses `/`, not `\\`",
            PathError::Drive => "an include path may not name a drive or scheme (`:`)",
            PathError::Control => "an include path may not contain control characters",
        })
    }
}

/// Checks a path as written by an author and normalises it (drops `.` and
/// empty components).
pub fn check_relative_path(path: &str) -> Result<String, PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    if path.chars().any(char::is_control) {
        return Err(PathError::Control);
    }
    if path.contains('\\') {
        return Err(PathError::Backslash);
    }
    if path.starts_with('/') {
        return Err(PathError::Absolute);
    }
    if path.contains(':') {
        return Err(PathError::Drive);
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(PathError::ParentDir),
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(PathError::Empty);
    }
    Ok(parts.join("/"))
}

/// The logical path an include names, seen from the file at `from`:
/// `assets/…` stays as it is, anything else is relative to `from`'s folder.
pub fn resolve_include(from: &str, include: &str) -> Result<String, PathError> {
    let clean = check_relative_path(include)?;
    if clean.starts_with("assets/") {
        return Ok(clean);
    }
    match from.rfind('/') {
        Some(i) => Ok(format!("{}/{}", &from[..i], clean)),
        None => Ok(clean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused() {
        assert_eq!(
            resolve_include("a.ron", "../x.ron"),
            Err(PathError::ParentDir)
        );
        assert_eq!(
            resolve_include("a.ron", "/etc/passwd"),
            Err(PathError::Absolute)
        );
        assert_eq!(
            resolve_include("a.ron", "assets/../../x"),
            Err(PathError::ParentDir)
        );
        assert_eq!(
            resolve_include("a.ron", "lib\\x.ron"),
            Err(PathError::Backslash)
        );
        assert_eq!(resolve_include("a.ron", "C:/x.ron"), Err(PathError::Drive));
        assert_eq!(resolve_include("a.ron", ""), Err(PathError::Empty));
        assert_eq!(resolve_include("a.ron", "./"), Err(PathError::Empty));
    }

    #[test]
    fn includes_resolve_against_the_scenario_folder_or_assets() {
        assert_eq!(
            resolve_include("scenarios/t.ron", "lib/orgs.ron").as_deref(),
            Ok("scenarios/lib/orgs.ron")
        );
        assert_eq!(
            resolve_include("t.ron", "./lib//orgs.ron").as_deref(),
            Ok("lib/orgs.ron")
        );
        assert_eq!(
            resolve_include("scenarios/t.ron", "assets/techniques.ron").as_deref(),
            Ok("assets/techniques.ron")
        );
    }

    #[test]
    fn disk_sources_fall_back_to_builtin_assets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("s.ron"), "()").unwrap();
        let src = DiskSources::new(dir.path());
        assert_eq!(src.read("s.ron", 100).unwrap(), b"()");
        assert_eq!(src.read("missing.ron", 100), Err(ReadError::NotFound));
        assert!(src.read(builtin::TECHNIQUES_PATH, 1 << 20).is_ok());
        assert!(matches!(
            src.read("s.ron", 1),
            Err(ReadError::TooLarge { size: 2 })
        ));
        let assets = tempfile::tempdir().unwrap();
        std::fs::write(assets.path().join("techniques.ron"), "[]").unwrap();
        let src = src.with_assets_dir(assets.path());
        assert_eq!(src.read(builtin::TECHNIQUES_PATH, 100).unwrap(), b"[]");
    }

    #[test]
    fn memory_sources_fall_back_only_for_assets() {
        let src = MemorySources::new().with("main.ron", "x");
        assert_eq!(src.read("main.ron", 10).unwrap(), b"x");
        assert_eq!(src.read("other.ron", 10), Err(ReadError::NotFound));
        assert!(src.read(builtin::DECISIONS_PATH, 1 << 20).is_ok());
    }
}
