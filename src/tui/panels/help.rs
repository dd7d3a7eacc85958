//! The `?` overlay: every key binding from `keys.ron` with what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::app::{App, Panel};
use super::block;

/// The keys of one mode: (actions in keys.ron, string key of what they do).
type Group = &'static [(&'static [&'static str], &'static str)];

const GENERAL: Group = &[
    (&["up", "down"], "help_move"),
    (
        &["left", "right", "next_panel", "prev_panel"],
        "help_panels",
    ),
    (
        &[
            "panel_1", "panel_2", "panel_3", "panel_4", "panel_5", "panel_6",
        ],
        "help_panel_n",
    ),
    (&["page_up", "page_down", "first", "last"], "help_page"),
    (&["select", "toggle_queue"], "help_queue"),
    (&["end_turn"], "help_end"),
    (&["detail_up", "detail_down"], "help_detail"),
    (&["facilitator"], "help_fac"),
    (&["projector"], "help_projector"),
    (&["language"], "help_language"),
    (&["help"], "help_help"),
    (&["quit"], "help_quit"),
];

const DECISIONS: Group = &[
    (&["decision_tab"], "help_decision_tab"),
    (&["search"], "help_search"),
    (&["org_prev", "org_next"], "help_org_filter"),
    (&["kind_prev", "kind_next"], "help_kind_filter"),
    (&["clear_filters"], "help_clear_filters"),
];

const FACILITATOR: Group = &[
    (&["inject"], "help_inject"),
    (&["override"], "help_override"),
    (&["pause"], "help_pause"),
    (&["rewind"], "help_rewind"),
    (&["branches"], "help_branches"),
    (&["note"], "help_note"),
    (&["msel"], "help_msel"),
    (&["stand_in"], "help_stand_in"),
];

/// The groups of keys that work in the app's current mode, each with its
/// heading's string key.
pub fn groups(app: &App) -> Vec<(&'static str, Group)> {
    let mut out = vec![("help_general", GENERAL)];
    if app.panel == Panel::Decisions {
        out.push(("help_decisions", DECISIONS));
    }
    if app.facilitator() {
        out.push(("help_facilitator", FACILITATOR));
    }
    out
}

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
    let mut lines: Vec<Line> = Vec::new();
    for (heading, group) in groups(app) {
        lines.push(Line::from(Span::styled(
            s.get(heading).to_string(),
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        )));
        for (actions, what) in group.iter() {
            let keys: Vec<String> = actions.iter().map(|a| app.keys.label(a)).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("{:>28}  ", keys.join(" ")), t.fg(t.accent)),
                Span::raw(s.get(what).to_string()),
            ]));
        }
    }
    if !app.facilitator() {
        lines.push(Line::from(Span::styled(
            s.get("help_more_facilitator").to_string(),
            t.fg(t.dim),
        )));
    }
    lines.push(Line::from(Span::styled(s.get("help_close"), t.fg(t.dim))));
    let r = centered(area, 80, lines.len() as u16 + 2);
    super::clear_overlay(frame, r);
    frame.render_widget(
        Paragraph::new(lines).block(block(app, s.get("help_title").to_string())),
        r,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::UiAction;
    use crate::tui::fixture::tutorial;
    use crate::tui::i18n::Lang;

    /// Every bound action is listed in some mode, so `?` leaves no key out.
    #[test]
    fn every_bound_action_is_in_a_help_group() {
        let app = tutorial(Lang::En);
        let listed: Vec<&str> = [GENERAL, DECISIONS, FACILITATOR]
            .iter()
            .flat_map(|g| g.iter().flat_map(|(actions, _)| actions.iter().copied()))
            .collect();
        for action in app.keys.names.keys() {
            assert!(listed.contains(&action.as_str()), "{action} is not in help");
            assert!(UiAction::from_name(action).is_some());
        }
    }

    #[test]
    fn help_shows_the_keys_of_the_current_mode() {
        let mut app = tutorial(Lang::En);
        let names = |app: &App| groups(app).iter().map(|g| g.0).collect::<Vec<_>>();
        assert_eq!(names(&app), vec!["help_general"]);
        app.panel = Panel::Decisions;
        assert_eq!(names(&app), vec!["help_general", "help_decisions"]);
        app.set_facilitator(true);
        assert_eq!(
            names(&app),
            vec!["help_general", "help_decisions", "help_facilitator"]
        );
    }
}
