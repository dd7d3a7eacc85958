//! The header: scenario, simulated time, turn, who plays, alert level.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::session::table::Seat;
use crate::time;

use super::super::app::App;
use super::fit;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.strings;
    let sc = app.scenario();
    let public = &app.team_view().public;
    let turn = public.turn.min(sc.turn_limit.max(1));
    let when = time::format_minute(time::turn_start(sc.start_minute, sc.turn_minutes, turn));
    let who = app.team_name(app.team()).to_string();
    let t = &app.theme;
    let sep = || Span::styled(" │ ", t.fg(t.dim));
    // Most important first, so a narrow terminal cuts the least useful.
    let mut spans = vec![Span::styled(
        format!(
            " {}",
            s.fmt(
                "turn",
                &[("n", &turn.to_string()), ("m", &sc.turn_limit.to_string())]
            )
        ),
        t.fg(t.accent).add_modifier(Modifier::BOLD),
    )];
    if let Some(clock) = app.clock_text() {
        spans.push(sep());
        spans.push(Span::styled(
            clock,
            t.fg(t.warn).add_modifier(Modifier::BOLD),
        ));
    }
    // A served facilitator plays no team.
    if app.seat() != Some(Seat::Facilitator) {
        spans.push(sep());
        spans.push(Span::raw(s.fmt("playing", &[("team", &who)])));
    }
    // On a served screen, who the turn waits for: the other teams are elsewhere.
    let deciding = app.deciding_names();
    if app.seat().is_some() && !deciding.is_empty() {
        spans.push(sep());
        spans.push(Span::styled(
            s.fmt("deciding", &[("teams", &deciding.join(", "))]),
            t.fg(t.warn),
        ));
    }
    spans.push(sep());
    spans.push(Span::styled(
        s.fmt("alert", &[("n", &public.alert_level.to_string())]),
        t.fg(t.warn),
    ));
    if app.facilitator() {
        spans.push(sep());
        spans.push(Span::styled(
            s.get("facilitator"),
            t.fg(t.bad).add_modifier(Modifier::BOLD),
        ));
    }
    if public.paused {
        spans.push(sep());
        spans.push(Span::styled(
            s.get("paused"),
            t.fg(t.bad).add_modifier(Modifier::BOLD),
        ));
    }
    if public.ended {
        spans.push(sep());
        spans.push(Span::styled(s.get("ended"), t.fg(t.bad)));
    }
    spans.push(sep());
    spans.push(Span::raw(when));
    spans.push(sep());
    spans.push(Span::styled(
        app.text(&sc.title).to_string(),
        t.fg(t.accent),
    ));
    frame.render_widget(
        Paragraph::new(fit(Line::from(spans), area.width as usize)),
        area,
    );
}
