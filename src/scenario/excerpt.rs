//! The part of a file a diagnostic shows: the lines around each labelled
//! span, each cut to a window around the span, with control characters
//! made visible. Scenario files are untrusted, so a diagnostic never copies
//! a whole line of one to the terminal: a 4 MB line would take the
//! renderer seconds (and columns past 65,535 make it panic), and an ESC or
//! BEL in it would reach the user's terminal.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// The most characters of one line a diagnostic shows; longer lines are cut
/// to a window around the error, marked `…` at each cut.
pub const MAX_SHOWN_LINE_CHARS: usize = 100;

/// Lines shown before and after the labelled line (miette's default).
const CONTEXT_LINES: usize = 1;

/// Spans on lines closer than this share one excerpt.
const JOIN_LINES: usize = 3 * CONTEXT_LINES + 1;

/// Replaces control characters with visible stand-ins: C0 controls and DEL
/// by their Unicode control pictures (`␛`, `␇`), C1 controls and bidi
/// overrides by `�`. Newlines and tabs are kept.
pub fn printable(text: &str) -> String {
    if !text.chars().any(needs_replacing) {
        return text.to_string();
    }
    text.chars().map(visible).collect()
}

fn needs_replacing(c: char) -> bool {
    c != '\n' && c != '\t' && (c.is_control() || is_bidi_control(c))
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

fn visible(c: char) -> char {
    if !needs_replacing(c) {
        return c;
    }
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// One run of shown lines, at its own place in the excerpt's coordinates.
#[derive(Debug, Clone)]
struct Region {
    /// The shown text, lines separated by `\n`.
    text: String,
    /// Where `text` starts in the excerpt's coordinates.
    at: usize,
    /// 0-based number of the region's first line in the file.
    first_line: usize,
    /// For each shown line, how many characters of the file's line were
    /// cut from its start, less the `…` shown there.
    cut: Vec<usize>,
}

/// What a diagnostic shows of a file, and where its labels fall in it.
#[derive(Debug, Clone)]
pub struct Excerpt {
    name: String,
    regions: Vec<Region>,
}

impl Excerpt {
    /// An excerpt around the given byte spans of `text` (each clamped to
    /// the text); returns it and each span in the excerpt's coordinates.
    pub fn around(name: &str, text: &str, spans: &[(usize, usize)]) -> (Excerpt, Vec<SourceSpan>) {
        let mut located: Vec<(usize, usize, usize)> = spans
            .iter()
            .enumerate()
            .map(|(i, &(start, len))| {
                let start = floor_boundary(text, start.min(text.len()));
                let end = floor_boundary(text, start.saturating_add(len).min(text.len()));
                (i, start, end)
            })
            .collect();
        located.sort_by_key(|&(_, start, _)| start);

        let mut regions: Vec<Region> = Vec::new();
        let mut mapped = vec![SourceSpan::from((0, 0)); spans.len()];
        let mut group: Vec<(usize, usize, usize)> = Vec::new();
        let mut group_last_line = 0;
        for (i, start, end) in located {
            let line = line_index(text, start);
            if !group.is_empty() && line > group_last_line + JOIN_LINES {
                push_region(text, &group, &mut regions, &mut mapped);
                group.clear();
            }
            group_last_line = line;
            group.push((i, start, end));
        }
        if !group.is_empty() {
            push_region(text, &group, &mut regions, &mut mapped);
        }
        (
            Excerpt {
                name: printable(name),
                regions,
            },
            mapped,
        )
    }

    fn region_at(&self, offset: usize) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| offset >= r.at && offset <= r.at + r.text.len())
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let region = self
            .region_at(span.offset())
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::from((
            span.offset() - region.at,
            span.len()
                .min(region.text.len() - (span.offset() - region.at)),
        ));
        let inner =
            region
                .text
                .as_str()
                .read_span(&local, context_lines_before, context_lines_after)?;
        // miette counts columns in bytes; people (and rustc) count characters.
        let offset = floor_boundary(&region.text, inner.span().offset().min(region.text.len()));
        let shown_line_start = region.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let column = region.text[shown_line_start..offset].chars().count()
            + region.cut.get(inner.line()).copied().unwrap_or(0);
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.name.clone(),
                inner.data(),
                SourceSpan::from((inner.span().offset() + region.at, inner.span().len())),
                inner.line() + region.first_line,
                column,
                inner.line_count(),
            )
            .with_language("ron"),
        ))
    }
}

/// Builds the region for spans on nearby lines and maps each span into it.
fn push_region(
    text: &str,
    group: &[(usize, usize, usize)],
    regions: &mut Vec<Region>,
    mapped: &mut [SourceSpan],
) {
    let at = regions
        .last()
        .map_or(0, |r| r.at + r.text.len() + CONTEXT_LINES + 1);
    let first_start = group.iter().map(|g| g.1).min().unwrap_or(0);
    let last_start = group.iter().map(|g| g.1).max().unwrap_or(0);
    // The window's columns follow the first span, so every line of the
    // region is cut alike and the labels line up.
    let anchor_line_start = line_start(text, first_start);
    let anchor_col = text[anchor_line_start..first_start].chars().count();
    let window_from = anchor_col.saturating_sub(MAX_SHOWN_LINE_CHARS / 2);

    let mut begin = line_start(text, first_start);
    for _ in 0..CONTEXT_LINES {
        if begin == 0 {
            break;
        }
        begin = line_start(text, begin - 1);
    }
    let mut end = line_end(text, last_start);
    for _ in 0..CONTEXT_LINES {
        if end >= text.len() {
            break;
        }
        end = line_end(text, end + 1);
    }

    let mut shown = String::new();
    let mut cut = Vec::new();
    // Original byte offset → shown byte offset, for span ends.
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let mut line_begin = begin;
    loop {
        let this_end = line_end(text, line_begin);
        let line = &text[line_begin..this_end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let total = line.chars().count();
        let (from, to) = if total <= MAX_SHOWN_LINE_CHARS {
            (0, total)
        } else {
            let from = window_from.min(total - MAX_SHOWN_LINE_CHARS);
            (from, from + MAX_SHOWN_LINE_CHARS)
        };
        if from > 0 {
            shown.push('…');
            cut.push(from - 1);
        } else {
            cut.push(0);
        }
        for (n, (i, c)) in line.char_indices().enumerate().skip(from) {
            if n >= to {
                break;
            }
            marks.push((line_begin + i, shown.len()));
            shown.push(visible(c));
        }
        let stop = line_begin + line.char_indices().nth(to).map_or(line.len(), |(i, _)| i);
        marks.push((stop, shown.len()));
        if to < total {
            shown.push('…');
        }
        if this_end >= end || this_end >= text.len() {
            break;
        }
        shown.push('\n');
        line_begin = this_end + 1;
    }

    let to_shown = |offset: usize| -> usize {
        // The last mark at or before the offset; offsets cut from view fall
        // on the nearest shown character.
        let i = marks.partition_point(|&(orig, _)| orig <= offset);
        match i.checked_sub(1).and_then(|i| marks.get(i)) {
            Some(&(_, s)) => s,
            None => marks.first().map_or(0, |&(_, s)| s),
        }
    };
    for &(i, start, end) in group {
        let s = to_shown(start);
        let e = to_shown(end).max(s);
        if let Some(m) = mapped.get_mut(i) {
            *m = SourceSpan::from((at + s, e - s));
        }
    }
    regions.push(Region {
        text: shown,
        at,
        first_line: line_index(text, begin),
        cut,
    });
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i)
}

fn line_index(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, span: (usize, usize)) -> String {
        #[derive(Debug)]
        struct Shown {
            excerpt: Excerpt,
            at: SourceSpan,
        }
        impl std::fmt::Display for Shown {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("problem")
            }
        }
        impl std::error::Error for Shown {}
        impl miette::Diagnostic for Shown {
            fn source_code(&self) -> Option<&dyn SourceCode> {
                Some(&self.excerpt)
            }
            fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
                Some(Box::new(std::iter::once(
                    miette::LabeledSpan::new_primary_with_span(Some("here".into()), self.at),
                )))
            }
        }
        let (excerpt, at) = Excerpt::around("f.ron", text, &[span]);
        let mut out = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let shown = Shown { excerpt, at: at[0] };
        if let Err(e) = handler.render_report(&mut out, &shown) {
            panic!("render failed: {e}");
        }
        out
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_with_the_true_column() {
        let text = format!("(\n    a: 1,{}bogus: 2,\n)\n", " ".repeat(70_000));
        let at = text.find("bogus").unwrap_or(0);
        let out = render(&text, (at, 5));
        assert!(out.contains("[f.ron:2:70010]"), "{out}");
        assert!(out.contains("bogus"), "{out}");
        assert!(out.contains('…'), "{out}");
        assert!(
            out.lines()
                .all(|l| l.chars().count() < 2 * MAX_SHOWN_LINE_CHARS),
            "{out}"
        );
    }

    #[test]
    fn control_characters_are_shown_as_pictures() {
        let text = "(\n  id: \"a\u{1b}]0;x\u{7}b\",\n)\n";
        let at = text.find("id").unwrap_or(0);
        let out = render(text, (at, 2));
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("a␛]0;x␇b"), "{out}");
        assert_eq!(printable("ok\u{1b}[2J\u{202e}"), "ok␛[2J�");
    }

    #[test]
    fn far_apart_spans_get_a_region_each_and_near_ones_share_one() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let a = text.find("line 3").unwrap_or(0);
        let b = text.find("line 5").unwrap_or(0);
        let c = text.find("line 90").unwrap_or(0);
        let (excerpt, spans) = Excerpt::around("f", &text, &[(c, 7), (a, 6), (b, 6)]);
        assert_eq!(excerpt.regions.len(), 2);
        let shown = |s: SourceSpan| match excerpt.read_span(&s, 0, 0) {
            Ok(c) => (String::from_utf8_lossy(c.data()).into_owned(), c.line()),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(shown(spans[0]), ("line 90".to_string(), 90));
        assert_eq!(shown(spans[1]), ("line 3".to_string(), 3));
        assert_eq!(shown(spans[2]), ("line 5".to_string(), 5));
    }
}
