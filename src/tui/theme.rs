//! Colour themes from `assets/ui/themes.ron`; `NO_COLOR` picks `mono`.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

const THEMES: &str = include_str!("../../assets/ui/themes.ron");

#[derive(Debug, Clone, Deserialize)]
struct ThemeFile {
    text: String,
    accent: String,
    good: String,
    warn: String,
    bad: String,
    dim: String,
    highlight_fg: String,
    highlight_bg: String,
    japan: String,
    us: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub mono: bool,
    pub text: Color,
    pub accent: Color,
    pub good: Color,
    pub warn: Color,
    pub bad: Color,
    pub dim: Color,
    pub highlight_fg: Color,
    pub highlight_bg: Color,
    pub japan: Color,
    pub us: Color,
}

fn color(s: &str) -> Color {
    s.parse().unwrap_or(Color::Reset)
}

impl Theme {
    /// The named theme (`default` or `mono`).
    pub fn named(name: &str) -> Theme {
        let all: BTreeMap<String, ThemeFile> = super::data::load("themes.ron", THEMES);
        let f = all
            .get(name)
            .or_else(|| all.get("default"))
            .expect("themes.ron has a default theme");
        Theme {
            mono: name == "mono",
            text: color(&f.text),
            accent: color(&f.accent),
            good: color(&f.good),
            warn: color(&f.warn),
            bad: color(&f.bad),
            dim: color(&f.dim),
            highlight_fg: color(&f.highlight_fg),
            highlight_bg: color(&f.highlight_bg),
            japan: color(&f.japan),
            us: color(&f.us),
        }
    }
    /// `mono` if `NO_COLOR` is set to anything non-empty.
    pub fn from_env(no_color: Option<&str>) -> Theme {
        match no_color {
            Some(v) if !v.is_empty() => Theme::named("mono"),
            _ => Theme::named("default"),
        }
    }
    pub fn highlight(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD);
        if self.mono {
            s.add_modifier(Modifier::REVERSED)
        } else {
            s.fg(self.highlight_fg).bg(self.highlight_bg)
        }
    }
    pub fn fg(&self, c: Color) -> Style {
        Style::default().fg(c)
    }
    /// Green, yellow or red for an availability in permille.
    pub fn health(&self, permille: u16) -> Color {
        if permille >= 900 {
            self.good
        } else if permille >= 500 {
            self.warn
        } else {
            self.bad
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_load_and_no_color_is_monochrome() {
        let d = Theme::from_env(None);
        assert!(!d.mono);
        assert_eq!(d.bad, Color::Red);
        let m = Theme::from_env(Some("1"));
        assert!(m.mono);
        assert_eq!(m.bad, Color::Reset);
    }
}
