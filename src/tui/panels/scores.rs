//! Objectives and their status, the score, public and alliance trust, a
//! chart of the score per turn (turn and score axes); the facilitator also sees the
//! attackers' progress.

use ratatui::Frame;

use crate::session::narrator::percent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, List, ListItem, Paragraph, Wrap};

use crate::sim::resources::ObjectiveStatus;

use super::super::app::{App, Panel};
use super::super::layout::split_detail;
use super::{block, list_state};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let (list_area, right) = split_detail(area);
    let s = &app.strings;
    let t = &app.theme;
    let public = &app.team_view().public;
    let status = &public.objectives;
    let items: Vec<ListItem> = app
        .scenario()
        .objectives
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let (key, c) = match status.get(i) {
                Some(ObjectiveStatus::Met) => ("met", t.good),
                Some(ObjectiveStatus::Failed) => ("failed", t.bad),
                _ => ("pending", t.warn),
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:<6} ", s.get(key)), t.fg(c)),
                Span::raw(format!("×{} ", o.weight)),
                Span::raw(app.text(&o.title).to_string()),
            ]))
        })
        .collect();
    let sel = (!items.is_empty()).then(|| app.selected(Panel::Scores));
    let mut state = list_state(sel, list_area.height.saturating_sub(2));
    frame.render_stateful_widget(
        List::new(items)
            .block(block(app, s.get("objectives").to_string()))
            .highlight_style(t.highlight()),
        list_area,
        &mut state,
    );

    let [info, chart_area] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(9)]).areas(right);
    let mut lines = vec![
        Line::from(Span::styled(
            {
                let pending = public
                    .objectives
                    .iter()
                    .filter(|o| **o == crate::sim::resources::ObjectiveStatus::Pending)
                    .count();
                // Pending objectives count as met until judged: say so.
                if pending > 0 && !public.ended {
                    s.fmt(
                        "score_provisional",
                        &[
                            ("n", &public.score.to_string()),
                            ("k", &pending.to_string()),
                        ],
                    )
                } else {
                    s.fmt("score", &[("n", &public.score.to_string())])
                }
            },
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        )),
        Line::from(s.fmt("public_trust", &[("n", &percent(public.public_trust))])),
        Line::from(s.fmt("alliance_trust", &[("n", &percent(public.alliance_trust))])),
        Line::from(s.fmt("impact", &[("n", &percent(public.impact))])),
    ];
    if let Some(truth) = app.truth() {
        // Changes waiting for the turn to resolve, so the screen does not
        // pass off the old value as the new.
        for o in &truth.pending {
            lines.push(Line::from(Span::styled(
                s.fmt(
                    "pending_change",
                    &[("what", &app.narrator().change(&o.change))],
                ),
                t.fg(t.warn),
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(s.get("attackers"), t.fg(t.bad))));
        for (i, a) in app.scenario().attackers.iter().enumerate() {
            let Some(c) = truth.attackers.get(i) else {
                continue;
            };
            let name = app.text(&a.name).to_string();
            let text = if c.finished {
                s.fmt("attacker_done", &[("name", &name)])
            } else {
                let stage = a
                    .campaign
                    .get(c.stage as usize)
                    .map_or("", |st| st.name.as_str());
                s.fmt(
                    "attacker_stage",
                    &[
                        ("name", &name),
                        ("s", &(c.stage + 1).to_string()),
                        ("n", &a.campaign.len().to_string()),
                        ("stage", stage),
                    ],
                )
            };
            lines.push(Line::from(text));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(app, s.get("tab_scores").to_string())),
        info,
    );
    // Score by turn, with the turn on x and the score (0–100) on y.
    let points: Vec<(f64, f64)> = app
        .score_history()
        .iter()
        .enumerate()
        .map(|(i, &v)| ((i + 1) as f64, v as f64))
        .collect();
    let limit = f64::from(app.scenario().turn_limit.max(1));
    let datasets = vec![
        Dataset::default()
            .marker(ratatui::symbols::Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.fg(t.good))
            .data(&points),
    ];
    let chart = Chart::new(datasets)
        .block(block(app, s.get("score_history").to_string()))
        .x_axis(
            Axis::default()
                .title(Span::styled(s.get("axis_turn").to_string(), t.fg(t.dim)))
                .style(t.fg(t.dim))
                .bounds([1.0, limit])
                .labels(["1".to_string(), format!("{}", limit as u32)]),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled(s.get("axis_score").to_string(), t.fg(t.dim)))
                .style(t.fg(t.dim))
                .bounds([0.0, 100.0])
                .labels(["0", "50", "100"]),
        );
    frame.render_widget(chart, chart_area);
}
