//! Where things go on the screen; shared by drawing and by mouse clicks so
//! a click lands on what was drawn.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::Panel;
use super::i18n::Strings;

/// Below this size only a "terminal too small" message is drawn.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn areas(area: Rect) -> Areas {
    let [header, tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        header,
        tabs,
        body,
        status,
        footer,
    }
}

/// The list and the detail pane of a list-and-detail panel.
pub fn split_detail(body: Rect) -> (Rect, Rect) {
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
    (list, detail)
}

/// The decisions panel: staff line on top, the list, the selected one in full.
pub fn split_decisions(body: Rect) -> (Rect, Rect, Rect) {
    let [staff, list, detail] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(3),
        Constraint::Length(5),
    ])
    .areas(body);
    (staff, list, detail)
}

/// The bordered list a click in the body selects from, if the panel has one.
pub fn list_area(panel: Panel, body: Rect) -> Option<Rect> {
    match panel {
        Panel::Infrastructure | Panel::Inbox | Panel::Scores => Some(split_detail(body).0),
        Panel::Decisions => Some(split_decisions(body).1),
        Panel::Timeline => Some(body),
        Panel::Map => None,
    }
}

/// First visible row of a list of `height` rows with `selected` in view.
pub fn scroll_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        0
    } else {
        selected.saturating_sub(height - 1)
    }
}

/// Tab titles as drawn: " n title " separated by "│".
pub fn tab_titles(strings: &Strings) -> Vec<String> {
    Panel::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| format!(" {} {} ", i + 1, strings.get(p.key())))
        .collect()
}

/// Which tab a click at (column, row) falls on.
pub fn tab_at(strings: &Strings, tabs: Rect, column: u16, row: u16) -> Option<usize> {
    if row != tabs.y || column < tabs.x {
        return None;
    }
    let mut x = tabs.x;
    for (i, t) in tab_titles(strings).iter().enumerate() {
        let w = ratatui::text::Span::raw(t.as_str()).width() as u16;
        if column >= x && column < x + w {
            return Some(i);
        }
        x += w + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::i18n::Lang;

    #[test]
    fn tabs_are_found_by_column() {
        let s = Strings::new(Lang::En);
        let tabs = Rect::new(0, 1, 120, 1);
        assert_eq!(tab_at(&s, tabs, 0, 1), Some(0));
        let w0 = ratatui::text::Span::raw(tab_titles(&s)[0].as_str()).width() as u16;
        assert_eq!(tab_at(&s, tabs, w0 + 1, 1), Some(1));
        assert_eq!(tab_at(&s, tabs, 0, 0), None);
    }

    #[test]
    fn scrolling_keeps_the_selection_visible() {
        assert_eq!(scroll_offset(0, 10), 0);
        assert_eq!(scroll_offset(9, 10), 0);
        assert_eq!(scroll_offset(12, 10), 3);
        assert_eq!(scroll_offset(5, 0), 0);
    }
}
