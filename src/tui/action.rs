//! What the user asks for, as plain data, and the mapping from keys and
//! mouse events to it. The app never sees a raw key outside text entry.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::keys::KeyMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiAction {
    Up,
    Down,
    Left,
    Right,
    NextPanel,
    PrevPanel,
    Select,
    ToggleQueue,
    EndTurn,
    ToggleFacilitator,
    Help,
    Quit,
    Inject,
    Override,
    Pause,
    Rewind,
    /// The facilitator's list of abandoned lines of play.
    Branches,
    /// A facilitator's note for the record.
    Note,
    /// The scripted injects' running order.
    Msel,
    /// The projector layout on or off.
    Projector,
    Panel(usize),
    /// A click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    ScrollUp,
    ScrollDown,
    /// Scroll the detail pane of the inbox.
    DetailUp,
    DetailDown,
    /// A screenful up or down, or to the first or last row.
    PageUp,
    PageDown,
    First,
    Last,
    /// Start typing a search of the decisions.
    Search,
    /// The next tab of the decisions panel.
    DecisionTab,
    /// Step the decisions' organisation or kind filter.
    OrgFilter(i8),
    KindFilter(i8),
    /// Back to the whole list.
    ClearFilters,
    /// English or Japanese, for this screen.
    Language,
    /// The facilitator hands a team to a policy, or back to its people.
    StandIn,
}

impl UiAction {
    /// The action named in `keys.ron`.
    pub fn from_name(name: &str) -> Option<UiAction> {
        Some(match name {
            "up" => UiAction::Up,
            "down" => UiAction::Down,
            "left" => UiAction::Left,
            "right" => UiAction::Right,
            "next_panel" => UiAction::NextPanel,
            "prev_panel" => UiAction::PrevPanel,
            "select" => UiAction::Select,
            "toggle_queue" => UiAction::ToggleQueue,
            "end_turn" => UiAction::EndTurn,
            "language" => UiAction::Language,
            "stand_in" => UiAction::StandIn,
            "facilitator" => UiAction::ToggleFacilitator,
            "help" => UiAction::Help,
            "quit" => UiAction::Quit,
            "inject" => UiAction::Inject,
            "override" => UiAction::Override,
            "pause" => UiAction::Pause,
            "rewind" => UiAction::Rewind,
            "branches" => UiAction::Branches,
            "note" => UiAction::Note,
            "msel" => UiAction::Msel,
            "projector" => UiAction::Projector,
            "detail_up" => UiAction::DetailUp,
            "detail_down" => UiAction::DetailDown,
            "page_up" => UiAction::PageUp,
            "page_down" => UiAction::PageDown,
            "first" => UiAction::First,
            "last" => UiAction::Last,
            "search" => UiAction::Search,
            "decision_tab" => UiAction::DecisionTab,
            "org_next" => UiAction::OrgFilter(1),
            "org_prev" => UiAction::OrgFilter(-1),
            "kind_next" => UiAction::KindFilter(1),
            "kind_prev" => UiAction::KindFilter(-1),
            "clear_filters" => UiAction::ClearFilters,
            _ => {
                let n: usize = name.strip_prefix("panel_")?.parse().ok()?;
                UiAction::Panel(n.checked_sub(1)?)
            }
        })
    }
}

/// The action a key asks for, if any.
pub fn map_key(keys: &KeyMap, key: KeyEvent) -> Option<UiAction> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(UiAction::Quit);
    }
    keys.lookup(key.code)
}

/// The action a mouse event asks for, if any.
pub fn map_mouse(m: MouseEvent) -> Option<UiAction> {
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(UiAction::Click {
            column: m.column,
            row: m.row,
        }),
        MouseEventKind::ScrollUp => Some(UiAction::ScrollUp),
        MouseEventKind::ScrollDown => Some(UiAction::ScrollDown),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_actions() {
        let keys = KeyMap::builtin();
        assert_eq!(map_key(&keys, k(KeyCode::Up)), Some(UiAction::Up));
        assert_eq!(map_key(&keys, k(KeyCode::Char('k'))), Some(UiAction::Up));
        assert_eq!(map_key(&keys, k(KeyCode::Char('j'))), Some(UiAction::Down));
        assert_eq!(map_key(&keys, k(KeyCode::Char('h'))), Some(UiAction::Left));
        assert_eq!(map_key(&keys, k(KeyCode::Char('l'))), Some(UiAction::Right));
        assert_eq!(map_key(&keys, k(KeyCode::Tab)), Some(UiAction::NextPanel));
        assert_eq!(
            map_key(&keys, k(KeyCode::BackTab)),
            Some(UiAction::PrevPanel)
        );
        assert_eq!(map_key(&keys, k(KeyCode::Enter)), Some(UiAction::Select));
        assert_eq!(
            map_key(&keys, k(KeyCode::Char(' '))),
            Some(UiAction::ToggleQueue)
        );
        assert_eq!(
            map_key(&keys, k(KeyCode::Char('e'))),
            Some(UiAction::EndTurn)
        );
        assert_eq!(
            map_key(&keys, k(KeyCode::Char('f'))),
            Some(UiAction::ToggleFacilitator)
        );
        assert_eq!(map_key(&keys, k(KeyCode::Char('?'))), Some(UiAction::Help));
        assert_eq!(map_key(&keys, k(KeyCode::Char('q'))), Some(UiAction::Quit));
        assert_eq!(
            map_key(&keys, k(KeyCode::Char('3'))),
            Some(UiAction::Panel(2))
        );
        assert_eq!(map_key(&keys, k(KeyCode::Char('z'))), None);
        assert_eq!(
            map_key(
                &keys,
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(UiAction::Quit)
        );
    }

    #[test]
    fn mouse_maps_to_clicks_and_scrolls() {
        let m = |kind| MouseEvent {
            kind,
            column: 3,
            row: 4,
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(
            map_mouse(m(MouseEventKind::Down(MouseButton::Left))),
            Some(UiAction::Click { column: 3, row: 4 })
        );
        assert_eq!(
            map_mouse(m(MouseEventKind::ScrollDown)),
            Some(UiAction::ScrollDown)
        );
        assert_eq!(map_mouse(m(MouseEventKind::Moved)), None);
    }
}
