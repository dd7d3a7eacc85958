//! Key bindings from `assets/ui/keys.ron`.

use std::collections::BTreeMap;

use ratatui::crossterm::event::KeyCode;

use super::action::UiAction;

const KEYS: &str = include_str!("../../assets/ui/keys.ron");

#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: Vec<(KeyCode, UiAction)>,
    /// Action name → key names, for the help overlay.
    pub names: BTreeMap<String, Vec<String>>,
}

/// A key named in `keys.ron`.
pub fn parse_key(name: &str) -> Option<KeyCode> {
    Some(match name {
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Space" => KeyCode::Char(' '),
        "Backspace" => KeyCode::Backspace,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        _ => {
            let mut chars = name.chars();
            let c = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            KeyCode::Char(c)
        }
    })
}

impl KeyMap {
    pub fn builtin() -> KeyMap {
        let names: BTreeMap<String, Vec<String>> = super::data::load("keys.ron", KEYS);
        let mut bindings = Vec::new();
        for (action, keys) in &names {
            let Some(a) = UiAction::from_name(action) else {
                continue;
            };
            for k in keys {
                if let Some(code) = parse_key(k) {
                    bindings.push((code, a));
                }
            }
        }
        KeyMap { bindings, names }
    }
    pub fn lookup(&self, code: KeyCode) -> Option<UiAction> {
        self.bindings
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, a)| *a)
    }
    /// The keys bound to an action, joined for display.
    pub fn label(&self, action: &str) -> String {
        self.names
            .get(action)
            .map(|v| v.join("/"))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binding_names_a_known_action_and_key() {
        let k = KeyMap::builtin();
        for (action, keys) in &k.names {
            assert!(UiAction::from_name(action).is_some(), "{action}");
            for key in keys {
                assert!(parse_key(key).is_some(), "{action}: {key}");
            }
        }
    }
}
