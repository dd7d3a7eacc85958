//! Facilitator forms and the quit confirmation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::super::app::{App, Dialog};
use super::block;
use super::help::centered;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, dialog: &Dialog) {
    let s = &app.strings;
    let t = &app.theme;
    let field = |label: &str, value: &str, active: bool| {
        let style = if active { t.highlight() } else { t.fg(t.text) };
        Line::from(vec![
            Span::styled(format!("{label}: "), t.fg(t.accent)),
            Span::styled(format!("{value}▏"), style),
        ])
    };
    let (title, lines) = match dialog {
        Dialog::HandOver { team } => {
            super::turn_start::draw_hand_over(frame, area, app, *team);
            return;
        }
        Dialog::TurnStart { team, scroll } => {
            super::turn_start::draw_turn_start(frame, area, app, *team, *scroll);
            return;
        }
        Dialog::ConfirmEndTurn => {
            let queued = app.team_view().queued.len();
            let left: u32 = app.staff_left().iter().map(|l| l.left()).sum();
            (
                s.fmt("confirm_end_title", &[("team", app.team_name(app.team()))]),
                vec![
                    Line::from(s.fmt(
                        "confirm_end",
                        &[("n", &queued.to_string()), ("staff", &left.to_string())],
                    )),
                    Line::from(Span::styled(s.get("confirm_yes_no"), t.fg(t.dim))),
                ],
            )
        }
        Dialog::SetPassphrase {
            first,
            second,
            field: f,
        } => (
            s.get("passphrase_title").to_string(),
            vec![
                Line::from(Span::styled(s.get("passphrase_hint"), t.fg(t.dim))),
                field(s.get("passphrase"), &mask(first), *f == 0),
                field(s.get("passphrase_again"), &mask(second), *f == 1),
            ],
        ),
        Dialog::Unlock { typed } => (
            s.get("unlock_title").to_string(),
            vec![field(s.get("passphrase"), &mask(typed), true)],
        ),
        Dialog::ConfirmQuit => (
            s.get("help_quit").to_string(),
            vec![Line::from(s.get("quit_confirm"))],
        ),
        Dialog::Inject {
            title,
            text,
            to,
            field: f,
        } => {
            let teams: Vec<Span> = app
                .scenario()
                .teams
                .iter()
                .enumerate()
                .map(|(i, team)| {
                    let on = to.get(i).copied().unwrap_or(false);
                    Span::raw(format!(
                        "{}[{}] {}  ",
                        i + 1,
                        if on { "x" } else { " " },
                        app.text(&team.name)
                    ))
                })
                .collect();
            let mut to_line = vec![Span::styled(
                format!("{}: ", s.get("dialog_to")),
                t.fg(t.accent),
            )];
            let to_style = if *f == 2 { t.highlight() } else { t.fg(t.text) };
            to_line.extend(teams.into_iter().map(|sp| sp.style(to_style)));
            (
                s.get("dialog_inject").to_string(),
                vec![
                    Line::from(Span::styled(s.get("dialog_inject_hint"), t.fg(t.dim))),
                    field(s.get("dialog_title"), title, *f == 0),
                    field(s.get("dialog_text"), text, *f == 1),
                    Line::from(to_line),
                ],
            )
        }
        Dialog::Availability {
            asset,
            value,
            reason,
            field: f,
            evict,
        } => (
            s.fmt(
                "dialog_override_asset",
                &[("asset", &app.narrator().asset(*asset))],
            ),
            vec![
                Line::from(Span::styled(s.get("dialog_field_hint"), t.fg(t.dim))),
                field(s.get("dialog_value"), value, *f == 0),
                field(s.get("dialog_reason"), reason, *f == 1),
                Line::from(Span::styled(
                    format!(
                        "[{}] {}",
                        if *evict { "x" } else { " " },
                        s.get("dialog_evict")
                    ),
                    if *f == 2 { t.highlight() } else { t.fg(t.text) },
                )),
            ],
        ),
        Dialog::Objective {
            objective,
            met,
            reason,
        } => (
            s.fmt(
                "dialog_override_objective",
                &[("obj", &app.narrator().objective_title(*objective))],
            ),
            vec![
                Line::from(Span::styled(s.get("dialog_field_hint"), t.fg(t.dim))),
                Line::from(Span::styled(
                    s.get(if *met { "met" } else { "failed" }).to_string(),
                    t.highlight(),
                )),
                field(s.get("dialog_reason"), reason, true),
            ],
        ),
        Dialog::Rewind {
            turn,
            reason,
            field: f,
        } => (
            s.get("help_rewind").to_string(),
            vec![
                Line::from(Span::styled(s.get("dialog_rewind"), t.fg(t.dim))),
                field(s.get("dialog_turn"), turn, *f == 0),
                field(s.get("dialog_reason"), reason, *f == 1),
            ],
        ),
    };
    let r = centered(area, 72, lines.len() as u16 + 4);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(app, title)),
        r,
    );
}

/// Typed secret text, shown as one dot per character.
fn mask(text: &str) -> String {
    "•".repeat(text.chars().count())
}
