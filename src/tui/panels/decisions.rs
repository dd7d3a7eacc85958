//! What the active team's organisations may do this turn: staff cost,
//! duration, and why a decision is unavailable; queued ones are ticked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph, Wrap};

use ratatui::style::Modifier;

use super::super::app::{App, Panel};
use super::super::decision_browser::{DecisionRow, DecisionTab};
use super::super::layout::split_decisions;
use super::{block, fit, list_state};
use crate::session::view::Candidate;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let (staff_area, list_area, detail_area) = split_decisions(area);
    let s = &app.strings;
    let t = &app.theme;
    let mut staff = Vec::new();
    for (i, line) in app.staff_left().iter().enumerate() {
        let (org, left, cap) = (line.org, line.left(), line.capacity);
        if i > 0 {
            staff.push(Span::styled("  ", t.fg(t.dim)));
        }
        let colour = if left == 0 { t.bad } else { t.good };
        staff.push(Span::raw(format!("{} ", app.narrator().org_short(org))));
        staff.push(Span::styled(format!("{left}/{cap}"), t.fg(colour)));
    }
    let committed: u32 = app.staff_left().iter().map(|l| l.promised).sum();
    let title = format!(
        "{} — {} · {}",
        s.get("staff_left"),
        app.team_name(app.team()),
        s.fmt("staff_committed", &[("n", &committed.to_string())])
    );
    frame.render_widget(
        Paragraph::new(Line::from(staff))
            .wrap(Wrap { trim: true })
            .block(block(app, title)),
        staff_area,
    );
    let cands = app.candidates();
    let order = app.decision_order();
    let browser = &app.decisions;
    let rows = browser.rows(cands, &order);
    // The order is worked out once per frame: with a search it words
    // every candidate.
    let row = app.rows[Panel::Decisions.index()].min(order.len().saturating_sub(1));
    let selected = order.get(row).copied();
    let width = list_area.width.saturating_sub(2) as usize;
    let narrator = app.narrator();
    let items: Vec<ListItem> = rows
        .iter()
        .map(|row| {
            let line = match *row {
                DecisionRow::Organisation(o) => Line::from(Span::styled(
                    narrator.org(o),
                    t.fg(t.accent).add_modifier(Modifier::BOLD),
                )),
                DecisionRow::Asset(a) => Line::from(Span::styled(
                    format!(" {}", narrator.asset(a)),
                    t.fg(t.accent),
                )),
                DecisionRow::Decision(i) => candidate_line(app, &cands[i]),
            };
            ListItem::new(fit(line, width))
        })
        .collect();
    let shown_at = selected.and_then(|c| rows.iter().position(|r| *r == DecisionRow::Decision(c)));
    let list = if items.is_empty() {
        let empty = if browser.narrowed() {
            "no_decisions_match"
        } else if browser.tab == DecisionTab::Queued {
            "no_decisions_queued"
        } else {
            "no_decisions"
        };
        List::new(vec![ListItem::new(Span::styled(s.get(empty), t.fg(t.dim)))])
    } else {
        List::new(items)
    };
    let mut state = list_state(shown_at, list_area.height.saturating_sub(2));
    frame.render_stateful_widget(
        list.block(
            block(app, String::new())
                .title(tab_titles(app))
                .title_bottom(filter_line(app)),
        )
        .highlight_style(t.highlight()),
        list_area,
        &mut state,
    );
    let sel = selected;
    let mut lines = Vec::new();
    if let Some(c) = sel.and_then(|i| cands.get(i)) {
        lines.push(Line::from(vec![
            Span::raw(app.narrator().decision(&c.decision)),
            cost_span(app, c),
        ]));
        match (&c.status, c.queued) {
            (_, true) => lines.push(Line::from(Span::styled(s.get("queued"), t.fg(t.good)))),
            (Err(r), false) => lines.push(Line::from(Span::styled(
                app.narrator().refusal(r),
                t.fg(t.warn),
            ))),
            (Ok(()), false) => {}
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(block(app, s.get("detail").to_string())),
        detail_area,
    );
}

/// "(staff 2, 1 turns)": what a decision costs and how long it takes.
fn cost_span(app: &App, c: &Candidate) -> Span<'static> {
    let cost = app.strings.fmt(
        "cost",
        &[("s", &c.cost.to_string()), ("d", &c.duration.to_string())],
    );
    Span::styled(format!("  ({cost})"), app.theme.fg(app.theme.dim))
}

/// One decision: queued mark, what it is, its cost, and why not.
fn candidate_line(app: &App, c: &Candidate) -> Line<'static> {
    let t = &app.theme;
    let (mark, style) = match (&c.status, c.queued) {
        (_, true) => ("[x] ", t.fg(t.good)),
        (Ok(()), false) => ("[ ] ", t.fg(t.text)),
        (Err(_), false) => (" -  ", t.fg(t.dim)),
    };
    let mut spans = vec![
        Span::styled(format!("  {mark}"), style),
        Span::styled(app.narrator().decision_short(&c.decision), style),
        cost_span(app, c),
    ];
    if let Err(r) = &c.status
        && !c.queued
    {
        spans.push(Span::styled(
            format!("  {}", app.narrator().refusal(r)),
            t.fg(t.warn),
        ));
    }
    Line::from(spans)
}

/// The panel's tabs, the open one highlighted; the queued tab counts.
fn tab_titles(app: &App) -> Line<'static> {
    let t = &app.theme;
    let mut spans = Vec::new();
    for (i, tab) in DecisionTab::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", t.fg(t.dim)));
        }
        let mut name = app.strings.get(tab.key()).to_string();
        if tab == DecisionTab::Queued {
            name = format!("{name} ({})", app.team_view().queued.len());
        }
        let style = if tab == app.decisions.tab {
            t.highlight()
        } else {
            t.fg(t.text)
        };
        spans.push(Span::styled(format!(" {name} "), style));
    }
    Line::from(spans)
}

/// The search and filters in force, or the keys that set them.
fn filter_line(app: &App) -> Line<'static> {
    let s = &app.strings;
    let t = &app.theme;
    let b = &app.decisions;
    if !b.narrowed() && !b.searching {
        return Line::from(Span::styled(
            s.get("decisions_keys").to_string(),
            t.fg(t.dim),
        ));
    }
    let mut parts = Vec::new();
    if b.searching || !b.query.is_empty() {
        let cursor = if b.searching { "▏" } else { "" };
        parts.push(format!("/{}{cursor}", b.query));
    }
    if let Some(o) = b.org {
        parts.push(s.fmt("filter_org", &[("org", &app.narrator().org_short(o))]));
    }
    if let Some(k) = b.kind {
        let name = app.scenario().decision(k).spec.name.clone();
        parts.push(s.fmt("filter_kind", &[("kind", app.text(&name))]));
    }
    Line::from(Span::styled(
        format!(" {} ", parts.join("  ")),
        t.fg(t.accent),
    ))
}
