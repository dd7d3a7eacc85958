//! What the active team's organisations may do this turn: staff cost,
//! duration, and why a decision is unavailable; queued ones are ticked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph, Wrap};

use super::super::app::{App, Panel};
use super::super::layout::split_decisions;
use super::{block, list_state};

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
    let title = format!("{} — {}", s.get("staff_left"), app.team_name(app.team()));
    frame.render_widget(
        Paragraph::new(Line::from(staff))
            .wrap(Wrap { trim: true })
            .block(block(app, title)),
        staff_area,
    );
    let cands = app.candidates();
    let sel = (!cands.is_empty()).then(|| app.selected(Panel::Decisions));
    let items: Vec<ListItem> = cands
        .iter()
        .map(|c| {
            let (mark, style) = match (&c.status, c.queued) {
                (_, true) => ("[x] ", t.fg(t.good)),
                (Ok(()), false) => ("[ ] ", t.fg(t.text)),
                (Err(_), false) => (" -  ", t.fg(t.dim)),
            };
            let mut spans = vec![
                Span::styled(mark, style),
                Span::styled(app.narrator().decision_short(&c.decision), style),
                Span::styled(
                    format!(
                        "  ({})",
                        s.fmt(
                            "cost",
                            &[("s", &c.cost.to_string()), ("d", &c.duration.to_string())]
                        )
                    ),
                    t.fg(t.dim),
                ),
            ];
            if let Err(r) = &c.status {
                spans.push(Span::styled(
                    format!("  {}", app.narrator().refusal(r)),
                    t.fg(t.warn),
                ));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list = if items.is_empty() {
        List::new(vec![ListItem::new(Span::styled(
            s.get("no_decisions"),
            t.fg(t.dim),
        ))])
    } else {
        List::new(items)
    };
    let mut state = list_state(sel, list_area.height.saturating_sub(2));
    frame.render_stateful_widget(
        list.block(block(app, s.get("decisions_title").to_string()))
            .highlight_style(t.highlight()),
        list_area,
        &mut state,
    );
    let mut lines = Vec::new();
    if let Some(c) = sel.and_then(|i| cands.get(i)) {
        lines.push(Line::from(vec![
            Span::raw(app.narrator().decision(&c.decision)),
            Span::styled(
                format!(
                    "  ({})",
                    s.fmt(
                        "cost",
                        &[("s", &c.cost.to_string()), ("d", &c.duration.to_string())]
                    )
                ),
                t.fg(t.dim),
            ),
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
