//! Strings in English and Japanese, from `assets/ui/strings.ron`: the
//! narrator's words and the front ends' labels.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::scenario::model::Text;

const STRINGS: &str = include_str!("../../assets/ui/strings.ron");

/// Parses the embedded table; it ships with the binary and is checked by
/// tests, so a failure is a build defect.
fn table() -> BTreeMap<String, Pair> {
    match ron::from_str(STRINGS) {
        Ok(v) => v,
        Err(e) => panic!("assets/ui/strings.ron does not parse: {e}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    /// `ja` when the locale (e.g. `LANG=ja_JP.UTF-8`) starts with `ja`.
    /// The code kept in a session log: `en` or `ja`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    pub fn from_locale(lang: Option<&str>) -> Lang {
        match lang {
            Some(l) if l.starts_with("ja") => Lang::Ja,
            _ => Lang::En,
        }
    }
    pub fn pick(self, text: &Text) -> &str {
        match self {
            Lang::En => &text.en,
            Lang::Ja => &text.ja,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pair {
    pub en: String,
    pub ja: String,
}

#[derive(Debug, Clone)]
pub struct Strings {
    table: BTreeMap<String, Pair>,
    lang: Lang,
}

impl Strings {
    pub fn new(lang: Lang) -> Strings {
        Strings {
            table: table(),
            lang,
        }
    }
    pub fn lang(&self) -> Lang {
        self.lang
    }
    /// The string for `key`; a missing key shows as itself so it is noticed.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.table.get(key) {
            Some(p) => match self.lang {
                Lang::En => &p.en,
                Lang::Ja => &p.ja,
            },
            None => key,
        }
    }
    /// The string for `key` with `{name}` placeholders filled in.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
    pub fn text<'a>(&self, text: &'a Text) -> &'a str {
        self.lang.pick(text)
    }
    pub fn keys(&self) -> impl Iterator<Item = (&String, &Pair)> {
        self.table.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        let s = Strings::new(Lang::En);
        assert!(s.keys().count() > 50);
        for (key, pair) in s.keys() {
            assert!(!pair.en.trim().is_empty(), "{key} has no English");
            assert!(!pair.ja.trim().is_empty(), "{key} has no Japanese");
            // Placeholders agree between the languages.
            let holes = |t: &str| {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(holes(&pair.en), holes(&pair.ja), "{key}");
        }
    }

    #[test]
    fn locale_picks_language() {
        assert_eq!(Lang::from_locale(Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
        let s = Strings::new(Lang::Ja);
        assert_eq!(s.fmt("turn", &[("n", "2"), ("m", "12")]), "ターン 2/12");
    }
}
