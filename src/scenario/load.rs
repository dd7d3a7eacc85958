//! Loading a scenario: read the main file and its includes through a
//! [`Sources`], enforce size, nesting, include and entity limits before and
//! after parsing, parse, resolve, and turn every failure into located
//! [`Problem`]s.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use ron::error::{Error as RonError, SpannedError};
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use super::builtin::{self, DECISIONS_PATH, TECHNIQUES_PATH, TUNING_PATH};
use super::diagnostics::{Problem, ScenarioError, Target, TokenIndex, offset_of};
use super::model::Scenario;
use super::resolve::{self, Input, Issue};
use super::schema::{DecisionSpec, LibraryFile, ScenarioFile, Technique};
use super::sources::{
    BuiltinSources, DiskSources, ReadError, Sources, check_relative_path, resolve_include,
};
use super::tuning::Tuning;

/// Limits on untrusted scenario input. Every limit can be raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of `(`, `[` and `{`.
    pub max_nesting: usize,
    /// Most include files a scenario may name.
    pub max_includes: usize,
    /// Most entities (organisations, channels, assets, attackers, injects,
    /// objectives, teams, stages) across all files.
    pub max_entities: usize,
    /// Longest string literal, in bytes.
    pub max_string_bytes: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_bytes: 64 * 1024 * 1024,
            max_nesting: 64,
            max_includes: 64,
            max_entities: 1_000_000,
            max_string_bytes: 64 * 1024,
        }
    }
}

impl LoadOptions {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn max_file_bytes(mut self, n: u64) -> Self {
        self.max_file_bytes = n;
        self
    }
    pub fn max_nesting(mut self, n: usize) -> Self {
        self.max_nesting = n;
        self
    }
    pub fn max_includes(mut self, n: usize) -> Self {
        self.max_includes = n;
        self
    }
    pub fn max_entities(mut self, n: usize) -> Self {
        self.max_entities = n;
        self
    }
    pub fn max_string_bytes(mut self, n: usize) -> Self {
        self.max_string_bytes = n;
        self
    }
}

/// One file read while loading, by logical path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    /// Shared: every session of a sweep logs the same text.
    pub text: Arc<str>,
}

/// A loaded scenario with every file it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// Shared, so every session of a sweep uses the one copy.
    pub scenario: std::sync::Arc<Scenario>,
    /// Every file read: the main file first, then includes in the order
    /// named, then the technique table, the decision catalogue and the
    /// tuning table.
    pub files: Vec<SourceFile>,
    /// [`source_hash`] of `files`.
    pub source_hash: u64,
    /// `--set PATH=VALUE` parameters applied after loading, in order
    /// (see [`super::params`]).
    pub parameters: Vec<String>,
}

/// xxh3-64 over the files in order: path bytes, 0, text bytes, 0.
pub fn source_hash(files: &[SourceFile]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for f in files {
        h.update(f.path.as_bytes());
        h.update(&[0]);
        h.update(f.text.as_bytes());
        h.update(&[0]);
    }
    h.digest()
}

/// Loads a scenario file from disk; includes resolve next to it, and
/// `assets/…` from the built-in assets.
pub fn load_file(path: &Path, opts: &LoadOptions) -> Result<Loaded, ScenarioError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Problem::whole_file(&path.display().to_string(), "not a file name"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    load(&DiskSources::new(dir), name, opts)
}

/// Loads a built-in scenario by id.
pub fn load_builtin(id: &str, opts: &LoadOptions) -> Result<Loaded, ScenarioError> {
    match builtin::builtin_path(id) {
        Some(path) => load(&BuiltinSources, path, opts),
        None => {
            let ids: Vec<&str> = builtin::builtin_ids().iter().map(|(i, _)| *i).collect();
            Err(
                Problem::whole_file(id, format!("no built-in scenario '{id}'"))
                    .with_help(format!("built-in scenarios: {}", ids.join(", ")))
                    .into(),
            )
        }
    }
}

/// A built-in id if `arg` names one, else a path on disk.
pub fn load_scenario_arg(arg: &str, opts: &LoadOptions) -> Result<Loaded, ScenarioError> {
    if builtin::builtin_path(arg).is_some() {
        return load_builtin(arg, opts);
    }
    let path = Path::new(arg);
    // A bare word that names no file was meant as a built-in id.
    let bare = path.components().count() == 1 && path.extension().is_none();
    if bare && !path.exists() {
        let ids: Vec<&str> = builtin::builtin_ids().iter().map(|(i, _)| *i).collect();
        return Err(Problem::whole_file(
            arg,
            format!("'{arg}' is neither a built-in scenario nor a file"),
        )
        .with_help(format!("built-in scenarios: {}", ids.join(", ")))
        .into());
    }
    load_file(path, opts)
}

/// A file's text as read, with its logical and displayed paths.
struct FileText {
    logical: String,
    display: String,
    text: Arc<str>,
}

/// What a file must hold at its root.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Root {
    Scenario,
    Library,
    Techniques,
    Decisions,
    Tuning,
}

impl Root {
    fn describe(self) -> &'static str {
        match self {
            Root::Scenario => "a scenario",
            Root::Library => "a library",
            Root::Techniques => "a technique table",
            Root::Decisions => "a decision catalogue",
            Root::Tuning => "a tuning table",
        }
    }
    fn is_list(self) -> bool {
        matches!(self, Root::Techniques | Root::Decisions)
    }
    fn shape_help(self) -> &'static str {
        match self {
            Root::Scenario => {
                "a scenario file starts with `(` and has fields id, title, turn_minutes, start, turn_limit, teams, …"
            }
            Root::Library => {
                "a library file starts with `(` and has the field organisations: [ … ]"
            }
            Root::Techniques => {
                "a technique table is a list: [ (id: \"T1566.001\", name: \"…\", tactic: \"…\"), … ]"
            }
            Root::Decisions => {
                "a decision catalogue is a list: [ (kind: Monitor, name: (en: \"…\", ja: \"…\"), staff: 1, duration: 1, success: 8000), … ]"
            }
            Root::Tuning => {
                "a tuning table starts with `(` and names every model constant: (statement_informed_public_trust: 40, …)"
            }
        }
    }
}

/// Loads and resolves a scenario. Never panics on any input.
pub fn load(
    sources: &dyn Sources,
    main_path: &str,
    opts: &LoadOptions,
) -> Result<Loaded, ScenarioError> {
    let main_logical = check_relative_path(main_path)
        .map_err(|e| Problem::whole_file(main_path, format!("{e}: '{main_path}'")))?;
    let main = read(sources, &main_logical, opts).map_err(|p| ScenarioError::from(*p))?;
    let sf: ScenarioFile = parse(&main, Root::Scenario, opts)?;
    let mut files = vec![main];
    let mut problems = Vec::new();

    // Includes: checked paths, each file read once, libraries only.
    if sf.include.len() > opts.max_includes {
        let f = &files[0];
        let span = TokenIndex::new(&f.text).locate(&Target::top("include"), 0);
        problems.push(
            Problem::at(
                &f.display,
                &f.text,
                span,
                format!(
                    "too many includes: {} (at most {})",
                    sf.include.len(),
                    opts.max_includes
                ),
                "too many",
            )
            .with_help("raise the limit with --max-includes, or merge library files"),
        );
    }
    let mut libraries: Vec<(usize, LibraryFile)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut include_nth: BTreeMap<&str, usize> = BTreeMap::new();
    let main_text = Arc::clone(&files[0].text);
    let main_display = files[0].display.clone();
    let mut main_index: Option<TokenIndex> = None;
    let mut include_problem = |inc: &str, nth: usize, message: String| {
        let idx = main_index.get_or_insert_with(|| TokenIndex::new(&main_text));
        let span = idx.locate(&Target::top("include").value(inc).value_nth(nth), 0);
        Problem::at(&main_display, &main_text, span, message, "this include")
    };
    for inc in sf.include.iter().take(opts.max_includes) {
        let nth = {
            let n = include_nth.entry(inc.as_str()).or_insert(0);
            *n += 1;
            *n - 1
        };
        let logical = match resolve_include(&files[0].logical, inc) {
            Ok(l) => l,
            Err(e) => {
                problems.push(
                    include_problem(inc, nth, format!("{e}: '{inc}'")).with_help(
                        "includes stay inside the scenario's folder, or name the shared library as `assets/…`",
                    ),
                );
                continue;
            }
        };
        if !seen.insert(logical.clone()) {
            continue;
        }
        match read(sources, &logical, opts) {
            Ok(file) => {
                match parse::<LibraryFile>(&file, Root::Library, opts) {
                    Ok(lib) => libraries.push((files.len(), lib)),
                    Err(e) => problems.extend(e.problems().iter().cloned()),
                }
                files.push(file);
            }
            Err(p) => {
                let display = sources.display_path(&logical);
                let message = match p.message.as_str() {
                    m if m.starts_with("cannot find") => {
                        format!("cannot find included file '{inc}' (looked for {display})")
                    }
                    m => format!("cannot include '{inc}': {m}"),
                };
                problems.push(include_problem(inc, nth, message));
            }
        }
    }

    // The technique table and the decision catalogue.
    let mut tables = |path: &str, files: &mut Vec<FileText>| match read(sources, path, opts) {
        Ok(f) => {
            files.push(f);
            Some(files.len() - 1)
        }
        Err(p) => {
            problems.push(*p);
            None
        }
    };
    let tech_file = tables(TECHNIQUES_PATH, &mut files);
    let dec_file = tables(DECISIONS_PATH, &mut files);
    let tuning_file = tables(TUNING_PATH, &mut files);
    let techniques: Option<Vec<Technique>> = tech_file.and_then(|i| {
        parse(&files[i], Root::Techniques, opts)
            .map_err(|e| problems.extend(e.problems().iter().cloned()))
            .ok()
    });
    let decisions: Option<Vec<DecisionSpec>> = dec_file.and_then(|i| {
        parse(&files[i], Root::Decisions, opts)
            .map_err(|e| problems.extend(e.problems().iter().cloned()))
            .ok()
    });
    let tuning: Option<Tuning> = tuning_file.and_then(|i| {
        parse(&files[i], Root::Tuning, opts)
            .map_err(|e| problems.extend(e.problems().iter().cloned()))
            .ok()
    });
    if !problems.is_empty() {
        return Err(ScenarioError::new(problems));
    }
    let (
        Some(techniques),
        Some(decisions),
        Some(tuning),
        Some(tech_file),
        Some(dec_file),
        Some(tuning_file),
    ) = (
        techniques,
        decisions,
        tuning,
        tech_file,
        dec_file,
        tuning_file,
    )
    else {
        return Err(ScenarioError::new(problems));
    };

    // Entity count.
    let entities = sf.organisations.len()
        + sf.channels.len()
        + sf.assets.len()
        + sf.attackers.len()
        + sf.attackers.iter().map(|a| a.campaign.len()).sum::<usize>()
        + sf.injects.len()
        + sf.objectives.len()
        + sf.teams.len()
        + libraries
            .iter()
            .map(|(_, l)| l.organisations.len())
            .sum::<usize>();
    if entities > opts.max_entities {
        let f = &files[0];
        let span = TokenIndex::new(&f.text).locate(&Target::file(), 0);
        return Err(Problem::at(
            &f.display,
            &f.text,
            span,
            format!(
                "the scenario has {entities} entities, more than the limit of {}",
                opts.max_entities
            ),
            "too large",
        )
        .with_help("raise the limit with --max-entities to load larger worlds")
        .into());
    }

    let input = Input {
        main: (0, &sf),
        libraries: libraries.iter().map(|(i, l)| (*i, l)).collect(),
        techniques: (tech_file, &techniques),
        decisions: (dec_file, &decisions),
        tuning: (tuning_file, &tuning),
    };
    let scenario = resolve::resolve(&input).map_err(|issues| issues_to_error(&files, issues))?;
    let files: Vec<SourceFile> = files
        .into_iter()
        .map(|f| SourceFile {
            path: f.logical,
            text: Arc::clone(&f.text),
        })
        .collect();
    let source_hash = source_hash(&files);
    Ok(Loaded {
        scenario: std::sync::Arc::new(scenario),
        files,
        source_hash,
        parameters: Vec::new(),
    })
}

fn issues_to_error(files: &[FileText], issues: Vec<Issue>) -> ScenarioError {
    let mut indices: BTreeMap<usize, TokenIndex> = BTreeMap::new();
    let mut counts: BTreeMap<(usize, Target), usize> = BTreeMap::new();
    let mut problems = Vec::with_capacity(issues.len());
    for issue in issues {
        let Some(f) = files.get(issue.file) else {
            continue;
        };
        let idx = indices
            .entry(issue.file)
            .or_insert_with(|| TokenIndex::new(&f.text));
        let skip = counts
            .entry((issue.file, issue.target.clone()))
            .or_insert(0);
        let span = idx.locate(&issue.target, *skip);
        *skip += 1;
        let mut p = Problem::at(&f.display, &f.text, span, issue.message, issue.label);
        if let Some(help) = issue.help {
            p = p.with_help(help);
        }
        if let Some((target, label)) = issue.also {
            p = p.with_secondary(idx.locate(&target, 0), label);
        }
        problems.push(p);
    }
    ScenarioError::new(problems)
}

/// Reads a file through the sources, checking size and encoding.
fn read(
    sources: &dyn Sources,
    logical: &str,
    opts: &LoadOptions,
) -> Result<FileText, Box<Problem>> {
    let display = sources.display_path(logical);
    let bytes = match sources.read(logical, opts.max_file_bytes) {
        Ok(b) => b,
        Err(ReadError::NotFound) => {
            return Err(Box::new(Problem::whole_file(
                &display,
                format!("cannot find {display}"),
            )));
        }
        Err(ReadError::TooLarge { size }) => {
            return Err(Box::new(
                Problem::whole_file(
                    &display,
                    format!(
                        "{display} is {}",
                        ReadError::over_limit(size, opts.max_file_bytes)
                    ),
                )
                .with_help("raise the limit with --max-file-bytes to load larger files"),
            ));
        }
        Err(e @ (ReadError::Io(_) | ReadError::NotAFile { .. })) => {
            return Err(Box::new(Problem::whole_file(
                &display,
                format!("cannot read {display}: {e}"),
            )));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            return Err(Box::new(
                Problem::at(
                    &display,
                    &text,
                    (at, 1),
                    "the file is not valid UTF-8",
                    "invalid byte here",
                )
                .with_help("save the file as UTF-8"),
            ));
        }
    };
    Ok(FileText {
        logical: logical.to_string(),
        display,
        text: Arc::from(text),
    })
}

/// Byte offset of the first character that is not whitespace or a comment.
fn first_meaningful(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth = depth.saturating_sub(1);
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            _ => return Some(i),
        }
    }
    None
}

/// "did you mean …? expected one of …" for a misspelt field or variant.
fn expected_help(found: &str, expected: &[&str]) -> String {
    match resolve::closest(found, expected.iter().copied()) {
        Some(s) => format!(
            "did you mean `{s}`? expected one of: {}",
            expected.join(", ")
        ),
        None => format!("expected one of: {}", expected.join(", ")),
    }
}

/// A structural limit a text goes past, found before it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// Nesting deeper than the limit, at a byte offset.
    Nesting { at: usize },
    /// A string literal (quotes included) longer than the limit.
    String { at: usize, len: usize },
    /// A control character in a string, written raw or as an escape, at
    /// a byte offset: shown in a terminal it could retitle or clear it.
    Control { at: usize, len: usize },
}

/// The first place `text` nests deeper than `max_depth` or holds a string
/// longer than `max_string` bytes (or, with `control`, a control character
/// other than a newline or tab in a string), skipping comments.
pub fn over_limit(text: &str, max: usize, max_string: usize, control: bool) -> Option<Exceeded> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if control && let Some(len) = control_at(b, i) {
                        return Some(Exceeded::Control { at: i, len });
                    }
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                let len = i.min(b.len()) - start;
                if len > max_string.saturating_add(2) {
                    return Some(Exceeded::String { at: start, len });
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'#' | b'"')) => {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let start = i;
                j += 1;
                loop {
                    match b.get(j) {
                        None => break,
                        Some(b'"')
                            if b[j + 1..].iter().take_while(|&&c| c == b'#').count() >= hashes =>
                        {
                            j += 1 + hashes;
                            break;
                        }
                        Some(b'\\') => j += 1,
                        Some(_) => {
                            if control && let Some(len) = control_at(b, j) {
                                return Some(Exceeded::Control { at: j, len });
                            }
                            j += 1
                        }
                    }
                }
                i = j;
                let len = j.min(b.len()) - start;
                if len > max_string.saturating_add(2 + 2 * hashes + 1) {
                    return Some(Exceeded::String { at: start, len });
                }
            }
            b'/' if matches!(b.get(i + 1), Some(b'/' | b'*')) => {
                let rest = first_meaningful(&text[i..]).map_or(b.len(), |k| i + k);
                i = rest.max(i + 1);
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(Exceeded::Nesting { at: i });
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The length of a control character (other than newline, tab, or a
/// carriage return ending a line) at `i` in a string's bytes, raw or
/// written as an escape (`\u{1b}`, `\x07`, `\0`, `\r`, `\b`, `\f`).
fn control_at(b: &[u8], i: usize) -> Option<usize> {
    let is_control =
        |c: u32| char::from_u32(c).is_some_and(|c| c.is_control() && c != '\n' && c != '\t');
    match b[i] {
        b'\r' if b.get(i + 1) == Some(&b'\n') => None,
        c if c < 0x20 && c != b'\n' && c != b'\t' => Some(1),
        0x7f => Some(1),
        // C1 controls, U+0080..=U+009F, in UTF-8.
        0xc2 if b.get(i + 1).is_some_and(|c| (0x80..=0x9f).contains(c)) => Some(2),
        b'\\' => match b.get(i + 1)? {
            // A line ending as written by serialising CRLF text.
            b'r' if b.get(i + 2..i + 4) == Some(b"\\n") => None,
            b'0' | b'r' | b'b' | b'f' => Some(2),
            b'x' => {
                let hex = std::str::from_utf8(b.get(i + 2..i + 4)?).ok()?;
                is_control(u32::from_str_radix(hex, 16).ok()?).then_some(4)
            }
            b'u' if b.get(i + 2) == Some(&b'{') => {
                let close = b[i + 3..].iter().take(8).position(|&c| c == b'}')?;
                let hex = std::str::from_utf8(&b[i + 3..i + 3 + close]).ok()?;
                is_control(u32::from_str_radix(hex, 16).ok()?).then_some(close + 4)
            }
            _ => None,
        },
        _ => None,
    }
}

fn parse<T: DeserializeOwned>(
    file: &FileText,
    root: Root,
    opts: &LoadOptions,
) -> Result<T, ScenarioError> {
    let text = &file.text;
    let at = |span: (usize, usize), message: String, label: &str| {
        Problem::at(&file.display, text, span, message, label)
    };
    let Some(first) = first_meaningful(text) else {
        return Err(at(
            (0, 0),
            format!("the file is empty; expected {}", root.describe()),
            "nothing here",
        )
        .with_help(root.shape_help())
        .into());
    };
    // One pass over the text for every structural limit.
    match over_limit(text, opts.max_nesting, opts.max_string_bytes, true) {
        Some(Exceeded::String { at: start, len }) => {
            return Err(at(
                (start, 1),
                format!(
                    "a string of {len} bytes, longer than the limit of {} bytes",
                    opts.max_string_bytes
                ),
                "this string",
            )
            .with_help("check for an unclosed quote, or raise the limit with --max-string-bytes")
            .into());
        }
        Some(Exceeded::Control { at: start, len }) => {
            return Err(at(
                (start, len),
                "a control character in a string".to_string(),
                "not allowed here",
            )
            .with_help(
                "text players and reports see may hold newlines and tabs, but no other \
                 control characters: shown in a terminal they could change it",
            )
            .into());
        }
        Some(Exceeded::Nesting { at: deep }) => {
            return Err(at(
                (deep, 1),
                format!(
                    "nesting is deeper than the limit of {} levels",
                    opts.max_nesting
                ),
                "too deep",
            )
            .with_help("check for unclosed brackets, or raise the limit with --max-nesting")
            .into());
        }
        None => {}
    }
    // Wrong root: a list where a struct is expected, or the other way round.
    let c = text.as_bytes()[first];
    let wrong = if root.is_list() {
        c != b'['
    } else {
        !(c == b'(' || c == b'#' || c.is_ascii_alphabetic())
    };
    if wrong {
        let expected = if root.is_list() { "`[`" } else { "`(`" };
        let len = text[first..].chars().next().map_or(1, char::len_utf8);
        return Err(at(
            (first, len),
            format!("expected {} starting with {expected}", root.describe()),
            "unexpected start",
        )
        .with_help(root.shape_help())
        .into());
    }
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(opts.max_nesting.saturating_mul(3).saturating_add(8))
        .from_str::<T>(text)
        .map_err(|e| syntax_problem(file, &e, root).into())
}

/// The integer type of a numeric field, for out-of-range hints.
fn field_range(key: &str) -> Option<(&'static str, &'static str)> {
    const U8: (&str, &str) = ("u8", "0..=255");
    const U16: (&str, &str) = ("u16", "0..=65535");
    const U32: (&str, &str) = ("u32", "0..=4294967295");
    const U64: (&str, &str) = ("u64", "0..=18446744073709551615");
    Some(match key {
        "criticality" => U8,
        "ecosystem_exposure" | "default_trust" | "detection_skill" | "trust" | "availability"
        | "integrity" | "confidentiality" | "monitoring" | "exploitability" | "skill"
        | "stealth" | "strength" | "damage" | "min" | "threshold" | "success" => U16,
        "format" | "turn_minutes" | "turn_limit" | "staff" | "reporting_delay" | "delay"
        | "restore_turns" | "buffer" | "start_turn" | "infrastructure" | "min_turns"
        | "not_before" | "stage" | "weight" | "from" | "to" | "turns" | "turn" | "duration" => U32,
        "records" | "population" | "records_per_turn" | "max_lost" | "max_customer_hours" => U64,
        "delta" => ("i16", "-32768..=32767"),
        "location" => ("i32", "-2147483648..=2147483647"),
        _ => return None,
    })
}

fn syntax_problem(file: &FileText, e: &SpannedError, root: Root) -> Problem {
    let text = &file.text;
    let start = offset_of(text, e.span.start.line, e.span.start.col);
    let end = offset_of(text, e.span.end.line, e.span.end.col).max(start);
    // Point at the token ron stopped on: skip the whitespace it consumed.
    let start = start
        + text[start..end]
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map_or(end - start, |(i, _)| i);
    let len = (end - start).max(usize::from(start < text.len()));
    let mut help: Option<String> = None;
    let (message, label) = match &e.code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            help = Some(expected_help(found, expected));
            if found == "include" && root == Root::Library {
                help =
                    Some("libraries are flat: include every library from the scenario file".into());
            }
            (
                match outer {
                    Some(o) => format!("unknown field `{found}` in `{o}`"),
                    None => format!("unknown field `{found}`"),
                },
                "unknown field",
            )
        }
        RonError::MissingStructField { field, outer } => {
            help = Some(format!("add `{field}: …`"));
            (
                match outer {
                    Some(o) => format!("missing field `{field}` in `{o}`"),
                    None => format!("missing field `{field}`"),
                },
                "missing a field",
            )
        }
        RonError::NoSuchEnumVariant {
            expected, found, ..
        } => {
            help = Some(expected_help(found, expected));
            (format!("unknown variant `{found}`"), "unknown variant")
        }
        RonError::IntegerOutOfBounds => {
            let idx = TokenIndex::new(text);
            let key = idx.key_at(start).map(str::to_string);
            help = Some(
                match key.as_deref().and_then(|k| field_range(k).map(|r| (k, r))) {
                    Some((k, (ty, range))) => format!("`{k}` must fit in {ty}: {range}"),
                    None => "the value is too large (or negative) for this field".into(),
                },
            );
            ("integer out of range".to_string(), "out of range")
        }
        RonError::TrailingCharacters => {
            help = Some(format!(
                "the file must hold exactly one value, {}; remove what follows or check for an extra `)`",
                root.describe()
            ));
            (
                "unexpected text after the end of the value".into(),
                "trailing text",
            )
        }
        RonError::ExceededRecursionLimit => {
            help = Some("raise the nesting limit".into());
            ("nesting is too deep".into(), "too deep")
        }
        RonError::Eof => {
            help = Some("check for an unclosed `(`, `[`, `{` or `\"`".into());
            ("unexpected end of file".into(), "file ends here")
        }
        RonError::ExpectedStructLike | RonError::ExpectedNamedStructLike(_) if start == 0 => {
            help = Some(root.shape_help().into());
            (e.code.to_string(), "here")
        }
        code => (code.to_string(), "here"),
    };
    let p = Problem::at(&file.display, text, (start, len), message, label);
    match help {
        Some(h) => p.with_help(h),
        None => p,
    }
}
