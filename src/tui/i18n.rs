//! The terminal's text helpers; the strings themselves are the
//! session's (`session::i18n`), shared with the narrator.

pub use crate::session::i18n::{Lang, Pair, Strings};

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
