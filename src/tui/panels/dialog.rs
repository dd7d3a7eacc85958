//! Facilitator forms and the quit confirmation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::app::{App, Dialog};
use super::block;
use super::help::centered;
use crate::session::table::Seat;
use crate::sim::overrides::Change;

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
        Dialog::Msel { selected } => {
            let rows = crate::report::msel::rows(app.scenario(), s);
            let states = app.truth().map(|t| t.injects.clone()).unwrap_or_default();
            let table = app.table();
            let pending = table.pending();
            let lines: Vec<String> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let when = match r.turn {
                        Some(n) => s.fmt("received_turn", &[("n", &n.to_string())]),
                        None => r.trigger.clone(),
                    };
                    let waiting = pending.iter().any(|o| {
                        matches!(o.change,
                            Change::FireInject { inject } | Change::HoldInject { inject, .. }
                                if inject as usize == i)
                    });
                    let state = match states.get(i) {
                        _ if waiting => s.get("msel_state_waiting").to_string(),
                        Some(st) if st.fired.is_some() => s.fmt(
                            "msel_state_fired",
                            &[("n", &st.fired.unwrap_or(0).to_string())],
                        ),
                        Some(st) if st.held => s.get("msel_state_held").to_string(),
                        _ => s.get("msel_state_scheduled").to_string(),
                    };
                    format!("{:>2}. [{state}] {when} — {}", r.number, r.title)
                })
                .collect();
            pick_list(
                frame,
                area,
                app,
                ListTexts {
                    title: s.get("help_msel").to_string(),
                    hint: s.get("dialog_msel").to_string(),
                    rows: &lines,
                },
                *selected,
                rows.get(*selected).map(|r| r.description.clone()),
            );
            return;
        }
        Dialog::EndOfExercise { scroll } => {
            super::end_debrief::draw(frame, area, app, *scroll);
            return;
        }
        Dialog::TurnStart { team, scroll } => {
            super::turn_start::draw_turn_start(frame, area, app, *team, *scroll);
            return;
        }
        Dialog::ConfirmEndTurn if app.seat() == Some(Seat::Facilitator) => {
            let waiting = app.deciding_names().join(", ");
            (
                s.get("confirm_force_title").to_string(),
                vec![
                    Line::from(s.fmt("confirm_force", &[("teams", &waiting)])),
                    Line::from(Span::styled(s.get("confirm_yes_no"), t.fg(t.dim))),
                ],
            )
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
        Dialog::Note { text } => (
            s.get("help_note").to_string(),
            vec![
                Line::from(Span::styled(s.get("dialog_note_hint"), t.fg(t.dim))),
                field(s.get("dialog_text"), text, true),
            ],
        ),
        Dialog::StandIn { selected } => {
            let table = app.table();
            let mut lines = vec![Line::from(s.get("dialog_stand_in")), Line::from("")];
            for (i, team) in app.human_teams().into_iter().enumerate() {
                let who = match table.stand_in(team) {
                    Some(p) => s.fmt("stand_in_policy", &[("policy", p.name())]),
                    None => s.get("stand_in_people").to_string(),
                };
                let style = if i == *selected {
                    t.highlight()
                } else {
                    t.fg(t.text)
                };
                lines.push(Line::from(Span::styled(
                    format!(" {:<24} {who}", app.team_name(team)),
                    style,
                )));
            }
            (s.get("help_stand_in").to_string(), lines)
        }
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
            to,
            reason,
            field: f,
            confirming,
        } => {
            let played = app.session().history().len();
            let rows: Vec<String> = (0..=played as u32)
                .map(|n| {
                    let turn = s.fmt("received_turn", &[("n", &n.to_string())]);
                    format!("{turn:>8}  {}", app.turn_headline(n))
                })
                .collect();
            let question = s.fmt(
                "rewind_confirm",
                &[
                    ("n", &to.to_string()),
                    ("k", &(played as u32).saturating_sub(*to).to_string()),
                ],
            );
            pick_form(
                frame,
                area,
                app,
                ListTexts {
                    title: s.get("help_rewind").to_string(),
                    hint: s.get("dialog_rewind").to_string(),
                    rows: &rows,
                },
                *to as usize,
                (reason, *f == 1),
                confirming.then_some(question),
            );
            return;
        }
        Dialog::Branches {
            selected,
            reason,
            field: f,
            confirming,
        } => {
            let branches = app.truth().map(|t| t.branches.clone()).unwrap_or_default();
            let rows: Vec<String> = branches
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    s.fmt(
                        "branch_row",
                        &[
                            ("i", &(i + 1).to_string()),
                            ("n", &b.rewound_to.to_string()),
                            ("k", &b.turns.to_string()),
                            ("why", &b.reason),
                        ],
                    )
                })
                .collect();
            let question = s.fmt(
                "branch_confirm",
                &[
                    ("i", &(selected + 1).to_string()),
                    ("n", &app.session().history().len().to_string()),
                ],
            );
            pick_form(
                frame,
                area,
                app,
                ListTexts {
                    title: s.get("help_branches").to_string(),
                    hint: s.get("dialog_branches").to_string(),
                    rows: &rows,
                },
                *selected,
                (reason, *f == 1),
                confirming.then_some(question),
            );
            return;
        }
    };
    let r = centered(area, 72, lines.len() as u16 + 4);
    super::clear_overlay(frame, r);
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

/// The texts of a list overlay: its title, the hint above the list, and
/// the rows.
struct ListTexts<'a> {
    title: String,
    hint: String,
    rows: &'a [String],
}

/// A list to pick from (a window around the selection), a reason, and,
/// once both are given, the question before anything happens.
fn pick_form(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    texts: ListTexts,
    selected: usize,
    (reason, on_reason): (&str, bool),
    question: Option<String>,
) {
    let s = &app.strings;
    let t = &app.theme;
    let style = if on_reason {
        t.highlight()
    } else {
        t.fg(t.text)
    };
    let mut below = vec![Line::from(vec![
        Span::styled(format!("{}: ", s.get("dialog_reason")), t.fg(t.accent)),
        Span::styled(format!("{reason}▏"), style),
    ])];
    if let Some(q) = question {
        below.push(Line::from(Span::styled(
            q,
            t.fg(t.warn).add_modifier(ratatui::style::Modifier::BOLD),
        )));
    }
    list_overlay(frame, area, app, texts, selected, !on_reason, below);
}

/// A list to act on with keys and the selected row in full below it.
fn pick_list(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    texts: ListTexts,
    selected: usize,
    detail: Option<String>,
) {
    let t = &app.theme;
    let below = detail.map_or_else(Vec::new, |d| {
        vec![Line::from(""), Line::from(Span::styled(d, t.fg(t.dim)))]
    });
    list_overlay(frame, area, app, texts, selected, true, below);
}

/// An overlay with a hint, a window of `rows` around `selected` (marked
/// as under the cursor while `focused`), and `below` under the list.
fn list_overlay(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    texts: ListTexts,
    selected: usize,
    focused: bool,
    below: Vec<Line<'static>>,
) {
    let t = &app.theme;
    let height = area.height.saturating_sub(4).clamp(8, 30);
    let width = area.width.saturating_sub(4).min(110);
    let list_rows = height.saturating_sub(4 + below.len() as u16) as usize;
    let first = selected.saturating_sub(list_rows.saturating_sub(1) / 2);
    let first = first.min(texts.rows.len().saturating_sub(list_rows));
    let inner = width.saturating_sub(2) as usize;
    let mut lines = vec![Line::from(Span::styled(texts.hint, t.fg(t.dim)))];
    for (i, row) in texts.rows.iter().enumerate().skip(first).take(list_rows) {
        let style = match (i == selected, focused) {
            (true, true) => t.highlight(),
            (true, false) => t.fg(t.accent),
            _ => t.fg(t.text),
        };
        lines.push(super::fit(
            Line::from(Span::styled(row.clone(), style)),
            inner,
        ));
    }
    lines.extend(below);
    let r = centered(area, width, height);
    super::clear_overlay(frame, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(app, texts.title)),
        r,
    );
}
