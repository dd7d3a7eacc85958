//! UI strings in English and Japanese, from `assets/ui/strings.ron`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::scenario::model::Text;

const STRINGS: &str = include_str!("../../assets/ui/strings.ron");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    /// `ja` when the locale (e.g. `LANG=ja_JP.UTF-8`) starts with `ja`.
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
            table: super::data::load("strings.ron", STRINGS),
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

/// Text that wraps between Japanese characters as well as at spaces:
/// a zero-width space (a break opportunity to the wrapper, invisible on
/// screen) goes after each wide character, except before punctuation that
/// must not start a line.
pub fn breakable(text: &str) -> String {
    const NO_LINE_START: &str = "、。，．・：；？！）」』】〕〉》ー～…";
    let mut out = String::with_capacity(text.len() * 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let wide = matches!(c,
            '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}');
        if wide && chars.peek().is_some_and(|n| !NO_LINE_START.contains(*n)) {
            out.push('\u{200B}');
        }
    }
    out
}

#[cfg(test)]
mod breakable_tests {
    use super::breakable;

    #[test]
    fn japanese_gets_break_points_and_english_is_untouched() {
        assert_eq!(breakable("plain English text"), "plain English text");
        let b = breakable("東京大会、開会式");
        assert_eq!(b.replace('\u{200B}', ""), "東京大会、開会式");
        assert!(b.contains("東\u{200B}京"));
        assert!(!b.contains("\u{200B}、"), "no break before a comma");
    }
}
