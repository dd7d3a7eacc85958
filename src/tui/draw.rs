//! The whole frame, as a pure function of the app state.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Panel};
use super::layout;
use super::panels;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if layout::too_small(area) {
        let msg = app.strings.fmt(
            "too_small",
            &[
                ("w", &layout::MIN_WIDTH.to_string()),
                ("h", &layout::MIN_HEIGHT.to_string()),
            ],
        );
        let y = area.height / 2;
        let line = Rect::new(area.x, area.y + y, area.width, 1.min(area.height));
        frame.render_widget(
            Paragraph::new(msg).alignment(Alignment::Center),
            line.intersection(area),
        );
        return;
    }
    if app.projector {
        panels::projector::draw(frame, area, app);
        if let Some(d) = &app.dialog {
            panels::dialog::draw(frame, area, app, d);
        }
        return;
    }
    let a = layout::areas(area);
    panels::header::draw(frame, a.header, app);
    draw_tabs(frame, a.tabs, app);
    match app.panel {
        Panel::Infrastructure => panels::infrastructure::draw(frame, a.body, app),
        Panel::Map => panels::map::draw(frame, a.body, app),
        Panel::Inbox => panels::inbox::draw(frame, a.body, app),
        Panel::Decisions => panels::decisions::draw(frame, a.body, app),
        Panel::Timeline => panels::timeline::draw(frame, a.body, app),
        Panel::Scores => panels::scores::draw(frame, a.body, app),
    }
    let status = app.status.clone().unwrap_or_default();
    frame.render_widget(
        Paragraph::new(Span::styled(status, app.theme.fg(app.theme.warn))),
        a.status,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            app.strings.get("footer"),
            app.theme.fg(app.theme.dim),
        )),
        a.footer,
    );
    if app.help {
        panels::help::draw(frame, area, app);
    }
    if let Some(d) = &app.dialog {
        panels::dialog::draw(frame, area, app, d);
    }
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    for (i, t) in layout::tab_titles(&app.strings).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", app.theme.fg(app.theme.dim)));
        }
        let style = if Panel::ALL[i] == app.panel {
            app.theme.highlight()
        } else {
            app.theme.fg(app.theme.text).add_modifier(Modifier::empty())
        };
        spans.push(Span::styled(t, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
