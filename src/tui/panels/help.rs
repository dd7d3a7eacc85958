//! The `?` overlay: every key binding from `keys.ron` with what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::app::App;
use super::block;

/// (action in keys.ron, string key of its description).
const ENTRIES: [(&str, &str); 16] = [
    ("up", "help_move"),
    ("down", "help_move"),
    ("next_panel", "help_panels"),
    ("prev_panel", "help_panels"),
    ("select", "help_select"),
    ("toggle_queue", "help_queue"),
    ("end_turn", "help_end"),
    ("facilitator", "help_fac"),
    ("inject", "help_inject"),
    ("override", "help_override"),
    ("pause", "help_pause"),
    ("rewind", "help_rewind"),
    ("detail_down", "help_detail"),
    ("detail_up", "help_detail"),
    ("help", "help_help"),
    ("quit", "help_quit"),
];

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.strings;
    let t = &app.theme;
    let mut lines: Vec<Line> = ENTRIES
        .iter()
        .map(|(action, what)| {
            Line::from(vec![
                Span::styled(format!("{:>14}  ", app.keys.label(action)), t.fg(t.accent)),
                Span::raw(s.get(what).to_string()),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(s.get("help_close"), t.fg(t.dim))));
    let r = centered(area, 70, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(block(app, s.get("help_title").to_string())),
        r,
    );
}
