//! The end of the exercise, for everyone in the room: each objective and
//! why it was met or failed, the attacker's path revealed (each stage and
//! when it was reached, the first intrusion and when it was detected), the
//! key decision points, and how to get the written report.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::report::aar::{AfterActionReport, DecisionOutcome, Status};
use crate::sim::event::Event;

use super::super::app::App;
use super::block;

/// Decision points listed: the strategic ones and those that went wrong.
const KEY_DECISIONS: usize = 14;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let s = &app.strings;
    let t = &app.theme;
    let heading = |key: &str| {
        Line::from(Span::styled(
            s.get(key).to_string(),
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        ))
    };
    let mut lines: Vec<Line> = Vec::new();
    let Some(report) = app.end_report.as_deref() else {
        return;
    };
    lines.push(Line::from(Span::styled(
        s.fmt(
            "end_score",
            &[
                ("n", &report.metrics.final_score.to_string()),
                ("met", &report.metrics.objectives_met.to_string()),
                ("all", &report.metrics.objectives_total.to_string()),
            ],
        ),
        t.fg(t.text).add_modifier(Modifier::BOLD),
    )));
    lines.push(Line::from(""));
    lines.push(heading("end_objectives"));
    for o in &report.objectives {
        let (mark, colour) = match o.status {
            Status::Met => ("✓", t.good),
            Status::Failed => ("✗", t.bad),
            Status::Pending => ("…", t.warn),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), t.fg(colour)),
            Span::styled(o.title.clone(), t.fg(t.text).add_modifier(Modifier::BOLD)),
            Span::styled(
                format!(" — {} · {}", o.status_label, o.rating_label),
                t.fg(colour),
            ),
        ]));
        // Why: what went wrong first for a failure, what went right first
        // for a success.
        let why: Vec<String> = match o.status {
            Status::Failed => o
                .improvements
                .iter()
                .map(|f| f.text.clone())
                .take(2)
                .collect(),
            _ => o.strengths.iter().take(2).cloned().collect(),
        };
        for w in why {
            lines.push(Line::from(Span::styled(format!("    {w}"), t.fg(t.dim))));
        }
    }
    lines.push(Line::from(""));
    lines.push(heading("end_attacker_path"));
    attacker_path(app, report, &mut lines);
    lines.push(Line::from(""));
    lines.push(heading("end_decisions"));
    let key: Vec<_> = report
        .decisions
        .iter()
        .filter(|d| {
            d.strategic
                || matches!(
                    d.outcome,
                    DecisionOutcome::Refused | DecisionOutcome::Failed
                )
        })
        .take(KEY_DECISIONS)
        .collect();
    if key.is_empty() {
        lines.push(Line::from(Span::styled(
            s.get("end_no_decisions").to_string(),
            t.fg(t.dim),
        )));
    }
    for d in key {
        let colour = match d.outcome {
            DecisionOutcome::Succeeded => t.good,
            DecisionOutcome::Refused | DecisionOutcome::Failed => t.bad,
            DecisionOutcome::InProgress => t.text,
        };
        lines.push(Line::from(vec![
            Span::styled(format!("T{:<3}", d.turn), t.fg(t.dim)),
            Span::raw(format!("{} — {} ", d.organisation, d.decision)),
            Span::styled(format!("({})", d.outcome_label), t.fg(colour)),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(heading("end_report"));
    lines.push(Line::from(s.get("end_report_hint").to_string()));
    let r = super::page_area(area, 110);
    super::clear_overlay(frame, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                block(app, s.get("end_title").to_string()).title_bottom(Line::from(Span::styled(
                    s.get("end_keys").to_string(),
                    t.fg(t.dim),
                ))),
            ),
        r,
    );
}

/// Each campaign's stages with the turn each began (ground truth), then
/// when its first intrusion began and when it was first detected.
fn attacker_path(app: &App, report: &AfterActionReport, lines: &mut Vec<Line<'static>>) {
    let s = &app.strings;
    let t = &app.theme;
    let history = app.truth_history();
    for (a, threat) in report.overview.threats.iter().enumerate() {
        lines.push(Line::from(Span::styled(
            format!("{} ({})", threat.name, threat.sponsor),
            t.fg(t.text).add_modifier(Modifier::BOLD),
        )));
        for (n, stage) in threat.stages.iter().enumerate() {
            // The first stage is under way from the campaign's start (a
            // later start of it is a reset after an eviction).
            let began = if n == 0 {
                Some(threat.start_turn)
            } else {
                history.iter().find_map(|turn| {
                    turn.events.iter().find_map(|e| match e {
                        Event::StageStarted { attacker, stage }
                            if *attacker as usize == a && *stage as usize == n =>
                        {
                            Some(turn.turn)
                        }
                        _ => None,
                    })
                })
            };
            let (when, colour) = match began {
                Some(turn) => (
                    s.fmt("end_stage_reached", &[("n", &turn.to_string())]),
                    t.bad,
                ),
                None => (s.get("end_stage_not_reached").to_string(), t.good),
            };
            lines.push(Line::from(vec![
                Span::raw(format!("  {}. {stage} ", n + 1)),
                Span::styled(format!("— {when}"), t.fg(colour)),
            ]));
        }
        if let Some(first) = report
            .intrusions
            .iter()
            .filter(|i| i.attacker == threat.name)
            .min_by_key(|i| i.compromised_turn)
        {
            let detected = report
                .intrusions
                .iter()
                .filter(|i| i.attacker == threat.name)
                .filter_map(|i| i.detected_turn)
                .min();
            let text = match detected {
                Some(d) => s.fmt(
                    "end_first_detected",
                    &[
                        ("asset", &first.asset),
                        ("n", &first.compromised_turn.to_string()),
                        ("d", &d.to_string()),
                    ],
                ),
                None => s.fmt(
                    "end_never_detected",
                    &[
                        ("asset", &first.asset),
                        ("n", &first.compromised_turn.to_string()),
                    ],
                ),
            };
            lines.push(Line::from(Span::styled(format!("  {text}"), t.fg(t.warn))));
        }
    }
}
