//! One module per panel; each `draw(frame, area, &App)` only reads state.

pub mod decisions;
pub mod dialog;
pub mod end_debrief;
pub mod header;
pub mod help;
pub mod inbox;
pub mod infrastructure;
pub mod map;
pub mod picker;
pub mod projector;
pub mod scores;
pub mod timeline;
pub mod turn_start;

use ratatui::widgets::{Block, Borders, ListState};

use super::app::App;
use super::layout::scroll_offset;

/// A bordered block with a title, in the theme's colours.
pub fn block<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.fg(app.theme.dim))
        .title(title)
}

/// List state showing `selected` in a list of inner `height`.
pub fn list_state(selected: Option<usize>, height: u16) -> ListState {
    let offset = selected.map_or(0, |s| scroll_offset(s, height as usize));
    ListState::default()
        .with_offset(offset)
        .with_selected(selected)
}

/// A page drawn over the panels, at most `max_width` wide: the header
/// stays visible above it, and the status and footer lines below it, so
/// what a key did is still said.
pub fn page_area(area: ratatui::layout::Rect, max_width: u16) -> ratatui::layout::Rect {
    let width = area.width.saturating_sub(4).min(max_width);
    let height = area.height.saturating_sub(3);
    ratatui::layout::Rect::new(
        area.x + (area.width - width) / 2,
        area.y + area.height.min(1),
        width,
        height,
    )
}

/// Clears the area an overlay is drawn in, and a column either side, so
/// a wide character underneath cannot straddle the overlay's border.
pub fn clear_overlay(frame: &mut ratatui::Frame, r: ratatui::layout::Rect) {
    let area = frame.area();
    let x = r.x.saturating_sub(1).max(area.x);
    let right = (r.right() + 1).min(area.right());
    let wide = ratatui::layout::Rect::new(x, r.y, right.saturating_sub(x), r.height);
    frame.render_widget(ratatui::widgets::Clear, wide.intersection(area));
}

/// Cuts a line to `width` display columns, ending it with `…` when
/// anything was cut, so nothing disappears at a border unannounced.
pub fn fit<'a>(line: ratatui::text::Line<'a>, width: usize) -> ratatui::text::Line<'a> {
    use ratatui::text::Span;
    use unicode_width::UnicodeWidthChar;
    if line.width() <= width {
        return line;
    }
    let mut left = width.saturating_sub(1);
    let mut spans = Vec::new();
    for span in line.spans {
        let mut kept = String::new();
        for ch in span.content.chars() {
            let w = ch.width().unwrap_or(0);
            if w > left {
                left = 0;
                break;
            }
            left -= w;
            kept.push(ch);
        }
        let full = kept.len() == span.content.len();
        spans.push(Span::styled(kept, span.style));
        if !full || left == 0 {
            break;
        }
    }
    if width > 0 {
        spans.push(Span::raw("…"));
    }
    ratatui::text::Line::from(spans).style(line.style)
}

#[cfg(test)]
mod tests {
    use super::fit;
    use ratatui::text::{Line, Span};

    #[test]
    fn long_lines_end_in_an_ellipsis_within_the_width() {
        let line = Line::from(vec![
            Span::raw("[ ] "),
            Span::raw("監視 Domain controllers"),
        ]);
        let cut = fit(line.clone(), 12);
        assert_eq!(cut.to_string(), "[ ] 監視 Do…");
        assert!(cut.width() <= 12);
        // A wide character that would straddle the edge is left out.
        let cut = fit(line.clone(), 8);
        assert_eq!(cut.to_string(), "[ ] 監…");
        assert_eq!(fit(line.clone(), 80), line, "short lines are untouched");
    }
}
