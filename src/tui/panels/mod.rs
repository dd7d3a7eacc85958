//! One module per panel; each `draw(frame, area, &App)` only reads state.

pub mod decisions;
pub mod dialog;
pub mod header;
pub mod help;
pub mod inbox;
pub mod infrastructure;
pub mod map;
pub mod picker;
pub mod scores;
pub mod timeline;

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
