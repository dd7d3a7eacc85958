//! Errors that say what and where, like rustc's: each [`Problem`] carries
//! its file, a byte span, a label and what was expected. Semantic errors are
//! located after the fact through a [`TokenIndex`] of the RON text, since
//! serde types carry no spans.

use std::fmt;
use std::sync::{Arc, OnceLock};

use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};

use super::excerpt::{Excerpt, printable};

/// One thing wrong with a scenario, at one place. Every text in it is made
/// printable (control characters shown as pictures), since it may quote
/// an untrusted file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The file as shown to people.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// Short text under the offending span.
    pub label: String,
    pub help: Option<String>,
    /// Byte offset and length in the file.
    pub span: SourceSpan,
    /// 1-based line and column (in characters) of the span's start.
    pub line: usize,
    pub col: usize,
    /// A second place to look at (e.g. the first of two duplicate ids).
    pub secondary: Option<(SourceSpan, String)>,
    /// The file's text, kept to build the excerpt when a second place is
    /// added; `None` for a file that could not be read.
    text: Option<Arc<str>>,
    /// What is shown of the file, and where the two labels fall in it:
    /// built when the problem is first rendered, since most are not.
    shown: OnceLock<Option<Shown>>,
}

#[derive(Debug, Clone)]
struct Shown {
    excerpt: Excerpt,
    primary: SourceSpan,
    secondary: Option<SourceSpan>,
}

impl Problem {
    /// A problem at a byte span of a file's text.
    pub fn at(
        path: &str,
        text: &Arc<str>,
        span: (usize, usize),
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(text, span.0.min(text.len()));
        let len = span.1.min(text.len() - start);
        let (line, col) = line_col(text, start);
        Problem {
            path: printable(path),
            message: printable(&message.into()),
            label: printable(&label.into()),
            help: None,
            span: SourceSpan::from((start, len)),
            line,
            col,
            secondary: None,
            text: Some(Arc::clone(text)),
            shown: OnceLock::new(),
        }
    }

    /// A problem with a file that has no text to show (it could not be read).
    pub fn whole_file(path: &str, message: impl Into<String>) -> Self {
        Problem {
            path: printable(path),
            message: printable(&message.into()),
            label: String::new(),
            help: None,
            span: SourceSpan::from((0, 0)),
            line: 1,
            col: 1,
            secondary: None,
            text: None,
            shown: OnceLock::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(printable(&help.into()));
        self
    }

    pub fn with_secondary(mut self, span: (usize, usize), label: impl Into<String>) -> Self {
        if let Some(text) = &self.text {
            let start = floor_char_boundary(text, span.0.min(text.len()));
            let len = span.1.min(text.len() - start);
            self.secondary = Some((SourceSpan::from((start, len)), printable(&label.into())));
            self.shown = OnceLock::new();
        }
        self
    }

    /// The excerpt around the labelled spans, built on first use.
    fn shown(&self) -> Option<&Shown> {
        self.shown
            .get_or_init(|| {
                let text = self.text.as_ref()?;
                let mut spans = vec![(self.span.offset(), self.span.len())];
                if let Some((s, _)) = &self.secondary {
                    spans.push((s.offset(), s.len()));
                }
                let (excerpt, at) = Excerpt::around(&self.path, text, &spans);
                Some(Shown {
                    excerpt,
                    primary: at
                        .first()
                        .copied()
                        .unwrap_or_else(|| SourceSpan::from((0, 0))),
                    secondary: at.get(1).copied(),
                })
            })
            .as_ref()
    }

    /// Whether the problem points into the file's text (not at a file that
    /// could not be read).
    pub fn has_position(&self) -> bool {
        self.text.is_some()
    }

    /// `file:line:col: message`, line and column 1-based; `file: message`
    /// for a file that could not be read.
    pub fn location_line(&self) -> String {
        if self.has_position() {
            format!("{}:{}:{}: {}", self.path, self.line, self.col, self.message)
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

impl fmt::Display for Problem {
    /// The message; for a file that could not be read, led by the file's
    /// name unless the message already names it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.has_position() && !self.message.contains(&self.path) {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.shown().map(|s| &s.excerpt as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let shown = self.shown()?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(self.label.clone()).filter(|l| !l.is_empty()),
            shown.primary,
        )];
        if let (Some((_, label)), Some(span)) = (&self.secondary, shown.secondary) {
            labels.push(LabeledSpan::new_with_span(Some(label.clone()), span));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// Everything wrong with a scenario: one or more [`Problem`]s. The first is
/// the headline; the rest are reported as related diagnostics.
#[derive(Debug, Clone)]
pub struct ScenarioError {
    problems: Vec<Problem>,
}

impl ScenarioError {
    /// Builds an error; an empty list becomes a single generic problem so
    /// that an error always has something to say.
    pub fn new(mut problems: Vec<Problem>) -> Self {
        if problems.is_empty() {
            problems.push(Problem::whole_file("<scenario>", "the scenario is invalid"));
        }
        ScenarioError { problems }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// One `file:line:col: message` line per problem (`file: message` for
    /// a file that could not be read).
    pub fn location_lines(&self) -> Vec<String> {
        self.problems.iter().map(Problem::location_line).collect()
    }

    fn first(&self) -> &Problem {
        // `new` guarantees at least one problem.
        &self.problems[0]
    }
}

impl From<Problem> for ScenarioError {
    fn from(p: Problem) -> Self {
        ScenarioError::new(vec![p])
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.first(), f)?;
        match self.problems.len() {
            1 => Ok(()),
            2 => f.write_str(" (and 1 more problem)"),
            n => write!(f, " (and {} more problems)", n - 1),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Diagnostic for ScenarioError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.first().help()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.first().source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.first().labels()
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.problems.len() < 2 {
            return None;
        }
        Some(Box::new(
            self.problems[1..].iter().map(|p| p as &dyn Diagnostic),
        ))
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// 1-based line and column (in characters, as ron counts) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = 1 + before[line_start..].chars().count();
    (line, col)
}

/// Byte offset of a 1-based line and column (in characters); clamps to the
/// end of the line or text.
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    rest[..line_end]
        .char_indices()
        .nth(col.max(1) - 1)
        .map_or(start + line_end, |(i, _)| start + i)
}

// ---------------------------------------------------------------------------
// A located-token index of RON text.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    /// A string literal; the span covers the quotes, `inner` the content.
    Str,
    Number,
    Ident,
    Open(u8),
    Close,
    Colon,
    Comma,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct RawTok {
    kind: TokKind,
    start: usize,
    end: usize,
    inner: (usize, usize),
}

/// Splits RON text into tokens: skips whitespace, `//` and nested `/* */`
/// comments; reads strings with escapes, raw strings `r#"…"#`, numbers,
/// identifiers and punctuation. Never fails: anything odd becomes `Other`.
fn lex(text: &str) -> Vec<RawTok> {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut out = Vec::new();
    while i < n {
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            // An inner attribute (`#![enable(implicit_some)]`) is not part
            // of the value: skip it to its closing bracket.
            b'#' if b.get(i + 1) == Some(&b'!') && b.get(i + 2) == Some(&b'[') => {
                let mut depth = 0usize;
                while i < n {
                    match b[i] {
                        b'[' => depth += 1,
                        b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'/' if i + 1 < n && b[i + 1] == b'/' => {
                while i < n && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if i + 1 < n && b[i + 1] == b'*' => {
                let mut depth = 0usize;
                while i < n {
                    if b[i] == b'/' && i + 1 < n && b[i + 1] == b'*' {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && i + 1 < n && b[i + 1] == b'/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                i += 1;
                while i < n && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let inner_end = i.min(n);
                i = (i + 1).min(n);
                out.push(RawTok {
                    kind: TokKind::Str,
                    start,
                    end: i,
                    inner: (start + 1, inner_end),
                });
            }
            b'r' | b'b' if raw_string_start(b, i).is_some() => {
                let (hashes, body) = raw_string_start(b, i).unwrap_or((0, i));
                let mut j = body;
                let mut inner_end = n;
                while j < n {
                    if b[j] == b'"'
                        && b[j + 1..]
                            .iter()
                            .take(hashes)
                            .filter(|&&h| h == b'#')
                            .count()
                            == hashes
                        && j + hashes < n
                    {
                        inner_end = j;
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                i = j.min(n);
                out.push(RawTok {
                    kind: TokKind::Str,
                    start,
                    end: i,
                    inner: (body, inner_end.min(i)),
                });
            }
            b'0'..=b'9' | b'-' | b'+' | b'.' => {
                i += 1;
                while i < n && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.')) {
                    i += 1;
                }
                out.push(RawTok {
                    kind: TokKind::Number,
                    start,
                    end: i,
                    inner: (start, i),
                });
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                i += 1;
                while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                    i += 1;
                }
                // `r#ident` raw identifiers.
                out.push(RawTok {
                    kind: TokKind::Ident,
                    start,
                    end: i,
                    inner: (start, i),
                });
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                out.push(RawTok {
                    kind: TokKind::Open(c),
                    start,
                    end: i,
                    inner: (start, i),
                });
            }
            b')' | b']' | b'}' | b':' | b',' => {
                i += 1;
                let kind = match c {
                    b':' => TokKind::Colon,
                    b',' => TokKind::Comma,
                    _ => TokKind::Close,
                };
                out.push(RawTok {
                    kind,
                    start,
                    end: i,
                    inner: (start, i),
                });
            }
            _ => {
                i += 1;
                out.push(RawTok {
                    kind: TokKind::Other,
                    start,
                    end: i,
                    inner: (start, i),
                });
            }
        }
    }
    out
}

/// If a raw string (`r"`, `r#"`, `br#"`) starts at `i`: its hash count and
/// the offset where its content begins.
fn raw_string_start(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if b.get(j) == Some(&b'b') {
        j += 1;
    }
    if b.get(j) != Some(&b'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while b.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    if b.get(j) == Some(&b'"') {
        Some((hashes, j + 1))
    } else {
        None
    }
}

/// A value token: where it is, and which field key it sits under.
#[derive(Debug, Clone, Copy)]
struct ValTok {
    kind: TokKind,
    span: (usize, usize),
    inner: (usize, usize),
    frame: u32,
    /// Span of the field key active in its frame, if any.
    key: Option<(usize, usize)>,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    parent: Option<u32>,
    /// Field key active in the parent frame when this frame opened.
    key: Option<(usize, usize)>,
    /// Range of value tokens inside this frame (including nested frames).
    first: usize,
    end: usize,
    open: usize,
}

/// Where each value of a RON text is and under which field it sits.
pub struct TokenIndex<'t> {
    text: &'t str,
    toks: Vec<ValTok>,
    frames: Vec<Frame>,
    /// Every field key (`ident :`) and the frame it is in.
    keys: Vec<((usize, usize), u32)>,
}

/// What to point at: optionally a top-level section (`assets`), an entity
/// in it by id (and which occurrence of that id), a field under it, and a
/// value under that field (and which occurrence of that value).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub section: Option<&'static str>,
    pub entity: Option<String>,
    pub entity_nth: usize,
    pub field: Option<&'static str>,
    pub value: Option<String>,
    /// Which occurrence of the value to point at (0 = first).
    pub value_nth: usize,
}

impl Target {
    pub fn file() -> Self {
        Target::default()
    }
    pub fn top(field: &'static str) -> Self {
        Target {
            field: Some(field),
            ..Target::default()
        }
    }
    pub fn entity(section: &'static str, id: &str) -> Self {
        Target {
            section: Some(section),
            entity: Some(id.to_string()),
            ..Target::default()
        }
    }
    pub fn section(section: &'static str) -> Self {
        Target {
            section: Some(section),
            ..Target::default()
        }
    }
    pub fn nth(mut self, n: usize) -> Self {
        self.entity_nth = n;
        self
    }
    pub fn field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
    pub fn value(mut self, value: impl ToString) -> Self {
        self.value = Some(value.to_string());
        self
    }
    pub fn value_nth(mut self, n: usize) -> Self {
        self.value_nth = n;
        self
    }
}

impl<'t> TokenIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let raw = lex(text);
        let mut toks = Vec::new();
        let mut frames = vec![Frame {
            parent: None,
            key: None,
            first: 0,
            end: usize::MAX,
            open: 0,
        }];
        let mut stack: Vec<u32> = vec![0];
        let mut keys: Vec<Option<(usize, usize)>> = vec![None];
        let mut all_keys = Vec::new();
        for (i, t) in raw.iter().enumerate() {
            let frame = stack.last().copied().unwrap_or(0);
            let next_is_colon = raw.get(i + 1).is_some_and(|n| n.kind == TokKind::Colon);
            match t.kind {
                TokKind::Ident if next_is_colon => {
                    all_keys.push(((t.start, t.end), frame));
                    if let Some(k) = keys.last_mut() {
                        *k = Some((t.start, t.end));
                    }
                }
                TokKind::Str | TokKind::Number | TokKind::Ident => toks.push(ValTok {
                    kind: t.kind,
                    span: (t.start, t.end),
                    inner: t.inner,
                    frame,
                    key: keys.last().copied().flatten(),
                }),
                TokKind::Open(_) => {
                    let id = frames.len() as u32;
                    frames.push(Frame {
                        parent: Some(frame),
                        key: keys.last().copied().flatten(),
                        first: toks.len(),
                        end: usize::MAX,
                        open: t.start,
                    });
                    stack.push(id);
                    keys.push(None);
                }
                TokKind::Close => {
                    if stack.len() > 1 {
                        stack.pop();
                        keys.pop();
                        if let Some(f) = frames.get_mut(frame as usize) {
                            f.end = toks.len();
                        }
                    }
                }
                TokKind::Comma | TokKind::Colon | TokKind::Other => {}
            }
        }
        let len = toks.len();
        for f in &mut frames {
            f.end = f.end.min(len);
        }
        TokenIndex {
            text,
            toks,
            frames,
            keys: all_keys,
        }
    }

    fn slice(&self, span: (usize, usize)) -> &str {
        self.text.get(span.0..span.1).unwrap_or("")
    }

    fn key_is(&self, key: Option<(usize, usize)>, name: &str) -> bool {
        key.is_some_and(|k| self.slice(k) == name)
    }

    /// True if `name` is a field key on the path from token `t` up to (but
    /// not beyond) the frame `base`.
    fn under_field(&self, t: &ValTok, base: u32, name: &str) -> bool {
        if self.key_is(t.key, name) {
            return true;
        }
        let mut f = t.frame;
        while f != base {
            let Some(frame) = self.frames.get(f as usize) else {
                return false;
            };
            if self.key_is(frame.key, name) {
                return true;
            }
            match frame.parent {
                Some(p) => f = p,
                None => return false,
            }
        }
        false
    }

    fn value_is(&self, t: &ValTok, value: &str) -> bool {
        let raw = self.slice(t.inner);
        match t.kind {
            TokKind::Str if raw.contains('\\') => unescape(raw) == value,
            _ => raw == value,
        }
    }

    /// The root struct frame: the first frame opened at the top level.
    fn root(&self) -> u32 {
        self.frames
            .iter()
            .position(|f| f.parent == Some(0))
            .map_or(0, |i| i as u32)
    }

    /// The frame holding a top-level section's value (e.g. the `[` after `assets:`).
    fn section_frame(&self, section: &str) -> Option<u32> {
        let root = self.root();
        self.frames
            .iter()
            .position(|f| f.parent == Some(root) && self.key_is(f.key, section))
            .map(|i| i as u32)
    }

    /// The byte span (offset, length) a target names, with fallbacks: the
    /// value, else the field, else the entity's id, else the section, else
    /// the start of the file. `skip` skips earlier matches of the value.
    pub fn locate(&self, target: &Target, skip: usize) -> (usize, usize) {
        let mut lo = 0;
        let mut hi = self.toks.len();
        let mut base = 0u32;
        let mut fallback = self.first_token_span();
        if let Some(section) = target.section {
            if let Some(f) = self.section_frame(section) {
                let frame = self.frames[f as usize];
                (lo, hi, base) = (frame.first, frame.end, f);
                fallback = (frame.open, 1);
            }
        } else {
            let root = self.root();
            if let Some(frame) = self.frames.get(root as usize) {
                (lo, hi, base) = (frame.first, frame.end, root);
            }
        }
        if let Some(id) = &target.entity {
            let found = self.toks[lo..hi]
                .iter()
                .filter(|t| {
                    t.kind == TokKind::Str && self.key_is(t.key, "id") && self.value_is(t, id)
                })
                .nth(target.entity_nth);
            if let Some(t) = found {
                let frame = self.frames[t.frame as usize];
                (lo, hi, base) = (frame.first, frame.end, t.frame);
                fallback = (t.span.0, t.span.1 - t.span.0);
            }
        }
        let by_field = |t: &&ValTok| target.field.is_none_or(|f| self.under_field(t, base, f));
        if let Some(value) = &target.value {
            let hit = self.toks[lo..hi]
                .iter()
                .filter(by_field)
                .filter(|t| self.value_is(t, value))
                .nth(target.value_nth.saturating_add(skip));
            if let Some(t) = hit {
                return (t.span.0, t.span.1 - t.span.0);
            }
        }
        if target.field.is_some()
            && let Some(t) = self.toks[lo..hi].iter().find(by_field)
        {
            return (t.span.0, t.span.1 - t.span.0);
        }
        if let Some(field) = target.field
            && let Some((span, _)) = self
                .keys
                .iter()
                .find(|(k, f)| self.slice(*k) == field && self.within(*f, base))
        {
            return (span.0, span.1 - span.0);
        }
        fallback
    }

    /// True if frame `f` is `base` or nested inside it.
    fn within(&self, mut f: u32, base: u32) -> bool {
        loop {
            if f == base {
                return true;
            }
            match self.frames.get(f as usize).and_then(|fr| fr.parent) {
                Some(p) => f = p,
                None => return false,
            }
        }
    }

    fn first_token_span(&self) -> (usize, usize) {
        let start = self
            .text
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map_or(0, |(i, _)| i);
        let len = self.text[start..].chars().next().map_or(0, char::len_utf8);
        (start, len)
    }

    /// The field key in effect at a byte offset (for syntax-error hints).
    pub fn key_at(&self, offset: usize) -> Option<&str> {
        let i = self.toks.partition_point(|t| t.span.0 <= offset);
        let t = self.toks.get(i.checked_sub(1)?)?;
        t.key.map(|k| self.slice(k))
    }
}

/// Minimal unescaping of a RON string body, enough to compare ids.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r##"// comment with "quotes" and (parens
(
    id: "x", /* nested /* comment */ still */
    assets: [
        (id: "a", links: ["b"]),
        (id: "b", dependencies: [(asset: "zz", buffer: 2)], links: [r#"raw"#]),
        (id: "b", criticality: 9),
    ],
)
"##;

    fn line_of(idx: &TokenIndex, t: &Target) -> usize {
        line_col(idx.text, idx.locate(t, 0).0).0
    }

    #[test]
    fn locates_values_under_fields_inside_entities() {
        let idx = TokenIndex::new(SRC);
        let t = Target::entity("assets", "b")
            .field("dependencies")
            .value("zz");
        assert_eq!(line_of(&idx, &t), 6);
        let (off, len) = idx.locate(&t, 0);
        assert_eq!(&SRC[off..off + len], "\"zz\"");
        let t = Target::entity("assets", "b")
            .nth(1)
            .field("criticality")
            .value("9");
        assert_eq!(line_of(&idx, &t), 7);
        let t = Target::entity("assets", "b").field("links").value("raw");
        assert_eq!(line_of(&idx, &t), 6);
        // Unknown value falls back to the entity id.
        let t = Target::entity("assets", "a").field("links").value("nope");
        let (off, len) = idx.locate(&t, 0);
        assert_eq!(&SRC[off..off + len], "\"b\"", "field fallback");
        let t = Target::entity("assets", "a").value("nope");
        let (off, len) = idx.locate(&t, 0);
        assert_eq!(&SRC[off..off + len], "\"a\"", "entity fallback");
        assert_eq!(line_of(&idx, &Target::top("id")), 3);
        assert_eq!(line_of(&idx, &Target::file()), 1);
    }

    #[test]
    fn line_col_and_offset_round_trip() {
        let text = "ab\nçd\n\nxyz";
        for off in [0, 1, 3, 5, 6, 7, 8, 10] {
            if !text.is_char_boundary(off) {
                continue;
            }
            let (l, c) = line_col(text, off);
            assert_eq!(offset_of(text, l, c), off, "offset {off}");
        }
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(offset_of(text, 99, 1), text.len());
    }

    #[test]
    fn lexer_survives_unterminated_input() {
        for s in [
            "\"abc", "/* open", "r#\"abc", "(((", ")))", "\\", "r", "br#",
        ] {
            let idx = TokenIndex::new(s);
            let _ = idx.locate(&Target::entity("assets", "a").field("f").value("v"), 3);
        }
    }

    #[test]
    fn an_inner_attribute_is_not_taken_for_the_root_value() {
        let text = "#![enable(implicit_some)]\n(\n  include: [\"x.ron\"],\n)";
        let idx = TokenIndex::new(text);
        let span = idx.locate(&Target::top("include").value("x.ron"), 0);
        assert_eq!(&text[span.0..span.0 + span.1], "\"x.ron\"");
    }

    #[test]
    fn error_reports_every_problem() {
        let text: Arc<str> = Arc::from("(\n  a: 1,\n)");
        let e = ScenarioError::new(vec![
            Problem::at("f.ron", &text, (4, 1), "first", "here"),
            Problem::whole_file("g.ron", "second"),
        ]);
        assert_eq!(
            e.location_lines(),
            vec!["f.ron:2:3: first".to_string(), "g.ron: second".to_string()]
        );
        assert_eq!(e.related().map(Iterator::count), Some(1));
        assert_eq!(e.to_string(), "first (and 1 more problem)");
    }
}
