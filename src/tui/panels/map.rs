//! A world map with Japan and the US marked and located assets plotted,
//! coloured by health; the selected asset is labelled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Map, MapResolution, Points};

use super::super::app::{App, Panel};
use super::block;

/// Longitude and latitude in degrees of an asset's location.
pub fn degrees(location: (i32, i32)) -> (f64, f64) {
    (
        f64::from(location.1) / 1000.0,
        f64::from(location.0) / 1000.0,
    )
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = &app.strings;
    let t = app.theme;
    let avail = app.availability();
    let scenario = app.scenario();
    let selected = app.asset_order().get(app.selected(Panel::Map)).copied();
    let points: Vec<((f64, f64), u16)> = scenario
        .assets
        .iter()
        .enumerate()
        .filter_map(|(i, a)| Some((degrees(a.location?), avail.get(i).copied().unwrap_or(0))))
        .collect();
    let label = selected.and_then(|a| {
        let loc = scenario.assets[a as usize].location?;
        Some((degrees(loc), app.narrator().asset(a)))
    });
    let per_column = 360.0 / f64::from(area.width.saturating_sub(2).max(1));
    let japan = s.get("japan").to_string();
    let us = s.get("united_states").to_string();
    let canvas = Canvas::default()
        .block(block(app, s.get("map_title").to_string()))
        .marker(Marker::Braille)
        .x_bounds([-180.0, 180.0])
        .y_bounds([-70.0, 80.0])
        .paint(move |ctx| {
            ctx.draw(&Map {
                resolution: MapResolution::High,
                color: t.dim,
            });
            ctx.layer();
            // Country labels sit off the coast, clear of the assets' own.
            ctx.print(
                146.0,
                50.0,
                Line::from(Span::styled(
                    format!("◆{japan}"),
                    t.fg(t.japan).add_modifier(Modifier::BOLD),
                )),
            );
            ctx.print(
                -112.0,
                52.0,
                Line::from(Span::styled(
                    format!("◆{us}"),
                    t.fg(t.us).add_modifier(Modifier::BOLD),
                )),
            );
            for ((x, y), v) in &points {
                ctx.draw(&Points {
                    coords: &[(*x, *y)],
                    color: t.health(*v),
                });
            }
            if let Some(((x, y), name)) = &label {
                // Kept inside the map: a label that would run off the
                // right edge ends at it instead.
                let wide = f64::from(Span::raw(name.as_str()).width() as u16 + 2) * per_column;
                let x = if *x + wide > 180.0 {
                    (180.0 - wide).max(-180.0)
                } else {
                    *x
                };
                ctx.print(
                    x,
                    *y - 6.0,
                    Line::from(Span::styled(format!("▲ {name}"), t.highlight())),
                );
            }
        });
    frame.render_widget(canvas, area);
}
