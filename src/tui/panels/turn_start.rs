//! The hot-seat screens: the hand-over that covers everything until the
//! next team is at the keyboard, and the opening of a team's turn (the
//! briefing, injects arriving now, the debrief of the turn just played).

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::scenario::model::TeamIdx;
use crate::session::debrief::TurnDebrief;
use crate::session::narrator::{Tone, percent};
use crate::sim::event::Event;

use super::super::app::App;
use super::block;

/// Covers the whole screen: only the clock, who is next and who is still
/// deciding, all of it public.
pub fn draw_hand_over(frame: &mut Frame, area: Rect, app: &App, team: TeamIdx) {
    let s = &app.strings;
    let t = &app.theme;
    frame.render_widget(ratatui::widgets::Clear, area);
    let public = &app.team_view().public;
    let mut lines = vec![
        Line::from(Span::styled(
            s.fmt(
                "turn",
                &[
                    ("n", &public.turn.to_string()),
                    ("m", &public.turn_limit.to_string()),
                ],
            ),
            t.fg(t.accent),
        )),
        Line::from(""),
        Line::from(Span::styled(
            s.fmt("handover", &[("team", app.team_name(team))]),
            t.fg(t.text).add_modifier(Modifier::BOLD),
        )),
        Line::from(""),
        Line::from(Span::styled(s.get("handover_hint"), t.fg(t.dim))),
    ];
    let ready: Vec<String> = public
        .teams
        .iter()
        .enumerate()
        .filter(|(_, st)| st.human && st.ready)
        .map(|(i, _)| app.team_name(i as TeamIdx).to_string())
        .collect();
    if !ready.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            s.fmt("handover_ready", &[("teams", &ready.join(", "))]),
            t.fg(t.dim),
        )));
    }
    let height = lines.len() as u16;
    let y = area.y + area.height.saturating_sub(height) / 2;
    let r = Rect::new(area.x, y, area.width, height.min(area.height));
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}

/// The opening of the team's turn, scrolled by `scroll` lines.
pub fn draw_turn_start(frame: &mut Frame, area: Rect, app: &App, team: TeamIdx, scroll: u16) {
    let s = &app.strings;
    let t = &app.theme;
    let view = app.team_view();
    let turn = view.public.turn;
    let mut lines: Vec<Line> = Vec::new();
    let heading = |key: &str| {
        Line::from(Span::styled(
            s.get(key).to_string(),
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        ))
    };
    if turn == 1 {
        lines.push(heading("briefing"));
        lines.push(Line::from(
            app.text(&app.scenario().description).to_string(),
        ));
        lines.push(Line::from(""));
    }
    if !view.arriving.is_empty() {
        lines.push(heading("arriving_now"));
        for &i in &view.arriving {
            if let Some(inject) = app.scenario().injects.get(i as usize) {
                lines.push(Line::from(Span::styled(
                    format!("• {}", app.text(&inject.title)),
                    t.fg(t.warn),
                )));
                lines.push(Line::from(format!("  {}", app.text(&inject.text))));
            }
        }
        lines.push(Line::from(""));
    }
    if let Some(d) = turn.checked_sub(1).and_then(|p| view.debrief(p)) {
        debrief_lines(app, &d, &mut lines);
    }
    if view.public.ended {
        lines.push(Line::from(Span::styled(
            s.get("ended").to_string(),
            t.fg(t.bad),
        )));
    }
    let title = s.fmt(
        "turn_start_title",
        &[
            ("team", app.team_name(team)),
            ("n", &turn.min(view.public.turn_limit).to_string()),
        ],
    );
    let r = super::page_area(area, 100);
    super::clear_overlay(frame, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(block(app, title).title_bottom(Line::from(Span::styled(
                s.get("turn_start_keys").to_string(),
                t.fg(t.dim),
            )))),
        r,
    );
}

/// The debrief of one turn, section by section, in the narrator's words.
pub fn debrief_lines(app: &App, d: &TurnDebrief, lines: &mut Vec<Line<'static>>) {
    let s = &app.strings;
    let t = &app.theme;
    let narrator = app.narrator();
    lines.push(Line::from(Span::styled(
        s.fmt("debrief_title", &[("n", &d.turn.to_string())]),
        t.fg(t.accent).add_modifier(Modifier::BOLD),
    )));
    if d.is_quiet() {
        lines.push(Line::from(Span::styled(
            s.get("debrief_quiet").to_string(),
            t.fg(t.dim),
        )));
        return;
    }
    let mut score = match d.score_before {
        Some(before) => s.fmt(
            "debrief_score_moved",
            &[
                ("from", &before.to_string()),
                ("to", &d.score_after.to_string()),
            ],
        ),
        None => s.fmt("debrief_score", &[("n", &d.score_after.to_string())]),
    };
    for (key, moved) in [
        ("debrief_public_trust", d.public_trust),
        ("debrief_alliance_trust", d.alliance_trust),
    ] {
        if let Some((from, to)) = moved {
            score.push_str("  ");
            score.push_str(&s.fmt(key, &[("from", &percent(from)), ("to", &percent(to))]));
        }
    }
    lines.push(Line::from(score));
    let sections: [(&str, &Vec<Event>); 6] = [
        ("debrief_decisions", &d.decisions),
        ("debrief_detections", &d.detections),
        ("debrief_received", &d.received),
        ("debrief_public", &d.public),
        ("debrief_trust", &d.trust),
        ("debrief_objectives", &d.objectives),
    ];
    for (key, events) in sections {
        if events.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(
            s.get(key).to_string(),
            t.fg(t.accent),
        )));
        for e in events {
            let (text, tone) = narrator.event(e);
            let colour = match tone {
                Tone::Normal => t.text,
                Tone::Good => t.good,
                Tone::Bad => t.bad,
                Tone::Hidden => t.accent,
            };
            lines.push(Line::from(Span::styled(
                format!("  • {text}"),
                t.fg(colour),
            )));
        }
    }
}
