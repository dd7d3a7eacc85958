//! Injects and intel the viewer received, newest first, TLP-marked, with
//! the selected message in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph, Wrap};

use crate::sim::decision::Tlp;

use super::super::app::{App, Panel};
use super::super::inbox::{InboxItem, InboxKind};
use super::super::layout::split_detail;
use super::{block, fit, list_state};

/// The entry's kind, or its TLP marking for intel.
fn kind_span(app: &App, m: &InboxItem) -> Span<'static> {
    let t = &app.theme;
    match (m.kind, m.tlp) {
        (InboxKind::Detection, _) => {
            Span::styled(format!("[{}] ", app.strings.get("detection")), t.fg(t.bad))
        }
        (_, None) => Span::styled(format!("[{}] ", app.strings.get("inject")), t.fg(t.accent)),
        (_, Some(x)) => {
            let c = match x {
                Tlp::Red => t.bad,
                Tlp::Amber => t.warn,
                Tlp::Green => t.good,
                Tlp::Clear => t.text,
            };
            Span::styled(
                format!("[TLP:{}] ", crate::session::narrator::tlp(x)),
                t.fg(c),
            )
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let (list_area, detail) = split_detail(area);
    let s = &app.strings;
    let items = app.inbox();
    let sel = (!items.is_empty()).then(|| app.selected(Panel::Inbox));
    let width = list_area.width.saturating_sub(2) as usize;
    let unread = items.iter().filter(|m| !app.is_read(m)).count();
    let rows: Vec<ListItem> = items
        .iter()
        .map(|m| {
            let fresh = !app.is_read(m);
            let title = if fresh {
                Span::styled(
                    m.title.clone(),
                    app.theme.fg(app.theme.text).add_modifier(Modifier::BOLD),
                )
            } else {
                Span::raw(m.title.clone())
            };
            ListItem::new(fit(
                Line::from(vec![
                    Span::styled(
                        if fresh { "• " } else { "  " },
                        app.theme.fg(app.theme.warn),
                    ),
                    Span::styled(format!("T{:<3}", m.turn), app.theme.fg(app.theme.dim)),
                    kind_span(app, m),
                    title,
                ]),
                width,
            ))
        })
        .collect();
    let mut state = list_state(sel, list_area.height.saturating_sub(2));
    let list = if rows.is_empty() {
        List::new(vec![ListItem::new(Span::styled(
            s.get("inbox_empty"),
            app.theme.fg(app.theme.dim),
        ))])
    } else {
        List::new(rows)
    };
    frame.render_stateful_widget(
        list.block(block(
            app,
            if unread > 0 {
                format!(
                    "{} — {}",
                    s.get("tab_inbox"),
                    s.fmt("inbox_unread", &[("n", &unread.to_string())])
                )
            } else {
                s.get("tab_inbox").to_string()
            },
        ))
        .highlight_style(app.theme.highlight()),
        list_area,
        &mut state,
    );
    let mut lines = Vec::new();
    if let Some(m) = sel.and_then(|i| items.get(i)) {
        lines.push(Line::from(vec![
            kind_span(app, m),
            Span::styled(
                m.title.clone(),
                app.theme.fg(app.theme.accent).add_modifier(Modifier::BOLD),
            ),
        ]));
        lines.push(Line::from(Span::styled(
            s.fmt("received_turn", &[("n", &m.turn.to_string())]),
            app.theme.fg(app.theme.dim),
        )));
        if !m.recipients.is_empty() {
            lines.push(Line::from(Span::styled(
                s.fmt("inbox_to", &[("orgs", &m.recipients.join(", "))]),
                app.theme.fg(app.theme.dim),
            )));
        }
        lines.push(Line::from(""));
        for l in m.body.lines() {
            lines.push(Line::from(crate::tui::i18n::breakable(l)));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll, 0))
            .block(block(app, s.get("detail").to_string())),
        detail,
    );
}
