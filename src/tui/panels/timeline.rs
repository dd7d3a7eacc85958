//! Events the viewer may see, turn by turn, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem};

use super::super::app::{App, Panel};
use super::{block, list_state};
use crate::session::narrator::Tone;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.strings;
    let t = &app.theme;
    let rows = app.timeline();
    let sel = (!rows.is_empty()).then(|| app.selected(Panel::Timeline));
    let items: Vec<ListItem> = rows
        .into_iter()
        .map(|(turn, text, tone)| {
            let c = match tone {
                Tone::Normal => t.text,
                Tone::Good => t.good,
                Tone::Bad => t.bad,
                Tone::Hidden => t.accent,
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("T{turn:<3} "), t.fg(t.dim)),
                Span::styled(text, t.fg(c)),
            ]))
        })
        .collect();
    let list = if items.is_empty() {
        List::new(vec![ListItem::new(Span::styled(
            s.get("timeline_empty"),
            t.fg(t.dim),
        ))])
    } else {
        List::new(items)
    };
    let mut state = list_state(sel, area.height.saturating_sub(2));
    frame.render_stateful_widget(
        list.block(block(app, s.get("tab_timeline").to_string()))
            .highlight_style(t.highlight()),
        area,
        &mut state,
    );
}
