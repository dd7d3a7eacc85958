//! The projector: what the whole room may see, large and spare, for the
//! screen on the wall. Drawn from the public view alone, so it shows
//! nothing private even while the facilitator's view is open.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::perspective::Viewer;
use crate::scenario::model::{AssetIdx, Goal, TeamIdx};
use crate::session::narrator::{Narrator, Tone, percent};
use crate::time;

use super::super::app::App;
use super::block;

/// Assets shown: those the objectives keep available, then the most
/// critical, up to this many.
const KEY_ASSETS: usize = 8;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.strings;
    let t = &app.theme;
    let sc = app.scenario();
    let public = &app.team_view().public;
    let turn = public.turn.min(sc.turn_limit.max(1));
    let when = time::format_minute(time::turn_start(sc.start_minute, sc.turn_minutes, turn));
    let [top, middle, bottom] = Layout::vertical([
        // One more line while a turn timer runs.
        Constraint::Length(5 + u16::from(app.turn_clock.is_some())),
        Constraint::Min(4),
        Constraint::Length(8),
    ])
    .areas(area);
    let deciding: Vec<&str> = public
        .teams
        .iter()
        .enumerate()
        .filter(|(_, st)| st.human && !st.ready)
        .map(|(i, _)| app.team_name(i as TeamIdx))
        .collect();
    let big = |text: String| {
        Line::from(Span::styled(
            text,
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        ))
    };
    let mut head = vec![
        big(app.text(&sc.title).to_string()),
        big(format!(
            "{}   ·   {}",
            when,
            s.fmt(
                "turn",
                &[("n", &turn.to_string()), ("m", &sc.turn_limit.to_string())]
            )
        )),
        Line::from(Span::styled(
            format!(
                "{}   ·   {}   ·   {}",
                s.fmt("score", &[("n", &public.score.to_string())]),
                s.fmt("public_trust", &[("n", &percent(public.public_trust))]),
                s.fmt("alliance_trust", &[("n", &percent(public.alliance_trust))]),
            ),
            t.fg(t.text).add_modifier(Modifier::BOLD),
        )),
    ];
    if let Some(clock) = app.clock_text() {
        head.push(Line::from(Span::styled(
            clock,
            t.fg(t.warn).add_modifier(Modifier::BOLD),
        )));
    }
    if !deciding.is_empty() && !public.ended {
        head.push(Line::from(Span::styled(
            s.fmt("projector_deciding", &[("teams", &deciding.join(", "))]),
            t.fg(t.warn),
        )));
    }
    if public.ended {
        head.push(Line::from(Span::styled(s.get("ended"), t.fg(t.bad))));
    }
    frame.render_widget(Paragraph::new(head).alignment(Alignment::Center), top);

    // Key assets as wide bars: outages are public.
    let mut lines = Vec::new();
    let width = middle.width.saturating_sub(4) as usize;
    let bar = width.saturating_sub(36).clamp(10, 60);
    for a in key_assets(app) {
        let v = public.availability.get(a as usize).copied().unwrap_or(0);
        let filled = bar * usize::from(v.min(1000)) / 1000;
        lines.push(Line::from(vec![
            Span::styled(padded(&app.narrator().asset(a), 28), t.fg(t.text)),
            Span::styled("█".repeat(filled), t.fg(t.health(v))),
            Span::styled("░".repeat(bar - filled), t.fg(t.dim)),
            Span::styled(format!(" {:>5}", percent(v)), t.fg(t.health(v))),
        ]));
        lines.push(Line::from(""));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(app, s.get("projector_assets").to_string())),
        middle,
    );

    // The last turn's public news, in a team's words (no attacker names).
    let narrator = Narrator::new(sc, Viewer::Team(0), &app.strings);
    let news: Vec<Line> = public
        .headlines
        .iter()
        .map(|e| {
            let (text, tone) = narrator.event(e);
            let colour = match tone {
                Tone::Good => t.good,
                Tone::Bad => t.bad,
                Tone::Normal | Tone::Hidden => t.text,
            };
            Line::from(Span::styled(format!("• {text}"), t.fg(colour)))
        })
        .collect();
    let news = if news.is_empty() {
        vec![Line::from(Span::styled(
            s.get("projector_no_news"),
            t.fg(t.dim),
        ))]
    } else {
        news
    };
    frame.render_widget(
        Paragraph::new(news)
            .wrap(Wrap { trim: true })
            .block(block(app, s.get("projector_news").to_string())),
        bottom,
    );
}

/// The assets objectives keep available, then the most critical others.
fn key_assets(app: &App) -> Vec<AssetIdx> {
    let sc = app.scenario();
    let mut out: Vec<AssetIdx> = Vec::new();
    for o in &sc.objectives {
        if let Goal::KeepAvailable { asset, .. } = o.goal
            && !out.contains(&asset)
        {
            out.push(asset);
        }
    }
    let mut rest: Vec<AssetIdx> = (0..sc.assets.len() as AssetIdx)
        .filter(|a| !out.contains(a))
        .collect();
    rest.sort_by_key(|&a| std::cmp::Reverse(sc.assets[a as usize].criticality));
    out.extend(rest);
    out.truncate(KEY_ASSETS);
    out
}

/// `text` cut to `width` display columns (with an ellipsis) and padded
/// to them, then a space: wide characters count double.
fn padded(text: &str, width: usize) -> String {
    let line = super::fit(Line::from(text.to_string()), width);
    let used = line.width();
    format!("{line}{} ", " ".repeat(width.saturating_sub(used)))
}
