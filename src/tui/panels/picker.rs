//! The scenario picker shown by `kizuna play` without a scenario.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};
use serde::Deserialize;

use crate::scenario::builtin;
use crate::scenario::model::Text;

use super::super::i18n::Strings;
use super::super::theme::Theme;

#[derive(Deserialize)]
struct Head {
    title: Text,
    description: Text,
}

/// (id, title, description) of every built-in scenario.
pub fn entries() -> Vec<(String, Text, Text)> {
    builtin::builtin_ids()
        .iter()
        .map(|(id, path)| {
            let head = builtin::builtin_file(path).and_then(|text| {
                ron::Options::default()
                    .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
                    .from_str::<Head>(text)
                    .ok()
            });
            let fallback = Text {
                en: (*id).to_string(),
                ja: (*id).to_string(),
            };
            match head {
                Some(h) => ((*id).to_string(), h.title, h.description),
                None => ((*id).to_string(), fallback.clone(), fallback),
            }
        })
        .collect()
}

pub fn draw(frame: &mut Frame, strings: &Strings, theme: &Theme, selected: usize) {
    let area = frame.area();
    let items = entries();
    let [list_area, desc] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(6)]).areas(area);
    let rows: Vec<ListItem> = items
        .iter()
        .map(|(id, title, _)| {
            ListItem::new(Line::from(vec![
                Span::styled(format!("{id:<16} "), theme.fg(theme.accent)),
                Span::raw(strings.text(title).to_string()),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        List::new(rows)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(strings.get("picker_title").to_string()),
            )
            .highlight_style(theme.highlight().add_modifier(Modifier::BOLD)),
        list_area,
        &mut state,
    );
    if let Some((_, _, d)) = items.get(selected) {
        frame.render_widget(
            Paragraph::new(crate::tui::i18n::breakable(strings.text(d)))
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            desc,
        );
    }
}
