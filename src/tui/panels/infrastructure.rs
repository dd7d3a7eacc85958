//! Assets grouped by sector with health gauges; the selected asset's
//! details and dependencies. Compromises shown are the viewer's knowledge.

use ratatui::Frame;

use crate::session::narrator::percent;
use crate::sim::overrides::Change;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph, Wrap};

use super::super::app::{App, InfraRow, Panel};
use super::super::layout::split_detail;
use super::{block, list_state};

/// A ten-cell bar for a permille value.
pub fn gauge(permille: u16) -> String {
    let full = (usize::from(permille.min(1000)) + 50) / 100;
    format!("{}{}", "█".repeat(full), "░".repeat(10 - full))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let (list_area, detail) = split_detail(area);
    let s = &app.strings;
    let t = &app.theme;
    let avail = app.availability();
    let order = app.asset_order();
    let selected_asset = order.get(app.selected(Panel::Infrastructure)).copied();
    let rows = app.infra_rows();
    let mut items = Vec::with_capacity(rows.len());
    let mut selected_row = None;
    for (i, r) in rows.iter().enumerate() {
        match *r {
            InfraRow::Sector(sec) => items.push(ListItem::new(Line::from(Span::styled(
                s.get(&format!("sector_{sec:?}")).to_string(),
                t.fg(t.accent).add_modifier(Modifier::BOLD),
            )))),
            InfraRow::Asset(a) => {
                if Some(a) == selected_asset {
                    selected_row = Some(i);
                }
                let v = avail.get(a as usize).copied().unwrap_or(0);
                let comp = app.compromises_of(a);
                let mark = if comp.is_empty() {
                    Span::raw("  ")
                } else if comp.iter().any(|c| c.detected) {
                    Span::styled("! ", t.fg(t.bad).add_modifier(Modifier::BOLD))
                } else {
                    Span::styled("? ", t.fg(t.bad))
                };
                items.push(ListItem::new(Line::from(vec![
                    Span::raw(" "),
                    mark,
                    Span::styled(gauge(v), t.fg(t.health(v))),
                    Span::raw(format!(" {:>4} ", percent(v))),
                    Span::raw(app.narrator().asset(a)),
                ])));
            }
        }
    }
    let inner_h = list_area.height.saturating_sub(2);
    let mut state = list_state(selected_row, inner_h);
    frame.render_stateful_widget(
        List::new(items)
            .block(block(app, s.get("assets").to_string()))
            .highlight_style(t.highlight()),
        list_area,
        &mut state,
    );

    let mut lines = Vec::new();
    if let Some(a) = selected_asset {
        let asset = &app.scenario().assets[a as usize];
        let v = avail.get(a as usize).copied().unwrap_or(0);
        lines.push(Line::from(Span::styled(
            app.text(&asset.name).to_string(),
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        )));
        lines.push(Line::from(format!(
            "{}: {}",
            s.get("owner"),
            app.narrator().org(asset.owner)
        )));
        lines.push(Line::from(format!(
            "{}: {}  {}: {}",
            s.get("sector"),
            s.get(&format!("sector_{:?}", asset.sector)),
            s.get("criticality"),
            asset.criticality
        )));
        lines.push(Line::from(vec![
            Span::raw(format!("{}: ", s.get("availability"))),
            Span::styled(gauge(v), t.fg(t.health(v))),
            Span::raw(format!(" {}", percent(v))),
        ]));
        if let Some(m) = app.monitoring(a) {
            lines.push(Line::from(format!(
                "{}: {}",
                s.get("monitoring"),
                percent(m)
            )));
        }
        // The facilitator's changes to this asset wait for the turn to
        // resolve: say so beside the value they will replace.
        for o in app.truth().map_or(&[][..], |t| &t.pending[..]) {
            let about_this = match o.change {
                Change::SetAvailability { asset, .. } | Change::Evict { asset, .. } => asset == a,
                _ => false,
            };
            if about_this {
                lines.push(Line::from(Span::styled(
                    s.fmt(
                        "pending_change",
                        &[("what", &app.narrator().change(&o.change))],
                    ),
                    t.fg(t.warn),
                )));
            }
        }
        let comp = app.compromises_of(a);
        if comp.is_empty() {
            lines.push(Line::from(Span::styled(
                s.get("no_compromise_known"),
                t.fg(t.dim),
            )));
        }
        for c in comp {
            let (level, since, detected) = (c.level, c.since, c.detected);
            let text = if app.facilitator() {
                format!(
                    "{} — {}",
                    s.fmt(
                        "compromised",
                        &[("n", &level.to_string()), ("t", &since.to_string())]
                    ),
                    s.get(if detected { "detected" } else { "undetected" })
                )
            } else {
                format!(
                    "{} ({})",
                    s.get("known_compromise"),
                    s.fmt("received_turn", &[("n", &since.to_string())])
                )
            };
            lines.push(Line::from(Span::styled(text, t.fg(t.bad))));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            s.get("depends_on"),
            t.fg(t.accent),
        )));
        if asset.dependencies.is_empty() {
            lines.push(Line::from(Span::styled(
                s.get("no_dependencies"),
                t.fg(t.dim),
            )));
        }
        for d in &asset.dependencies {
            let dv = avail.get(d.asset as usize).copied().unwrap_or(0);
            lines.push(Line::from(vec![
                Span::raw(" "),
                Span::styled(gauge(dv), t.fg(t.health(dv))),
                Span::raw(format!(" {}", app.narrator().asset(d.asset))),
            ]));
        }
        let dependants: Vec<usize> = app
            .scenario()
            .assets
            .iter()
            .enumerate()
            .filter(|(_, x)| x.dependencies.iter().any(|d| d.asset == a))
            .map(|(i, _)| i)
            .collect();
        if !dependants.is_empty() {
            lines.push(Line::from(Span::styled(
                s.get("depended_on_by"),
                t.fg(t.accent),
            )));
        }
        for d in dependants {
            let dv = avail.get(d).copied().unwrap_or(0);
            lines.push(Line::from(vec![
                Span::raw(" "),
                Span::styled(gauge(dv), t.fg(t.health(dv))),
                Span::raw(format!(" {}", app.narrator().asset(d as u32))),
            ]));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(app, s.get("detail").to_string())),
        detail,
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn gauge_is_ten_cells() {
        assert_eq!(super::gauge(1000), "██████████");
        assert_eq!(super::gauge(0), "░░░░░░░░░░");
        assert_eq!(super::gauge(449).chars().count(), 10);
    }
}
