//! Keys from the bytes a remote terminal sends. A local terminal is read
//! by crossterm; an SSH client sends the same escape sequences down the
//! channel, and this turns them into the key events the app takes.
//!
//! Sequences may be split across packets, so an unfinished one waits for
//! the next bytes; an escape byte that ends a packet is the Esc key, as a
//! person pressing it sends it alone.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Longest escape sequence kept while waiting for its end; anything longer
/// is not a key and is dropped.
const MAX_PENDING: usize = 32;

#[derive(Debug, Default)]
pub struct KeyDecoder {
    pending: Vec<u8>,
}

impl KeyDecoder {
    /// The keys in `bytes`, with whatever was left unfinished before.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<KeyEvent> {
        self.pending.extend_from_slice(bytes);
        let input = std::mem::take(&mut self.pending);
        let mut keys = Vec::new();
        let mut i = 0;
        while i < input.len() {
            match decode(&input[i..]) {
                Decoded::Key(key, used) => {
                    keys.extend(key);
                    i += used;
                }
                Decoded::Incomplete => {
                    if input.len() - i <= MAX_PENDING {
                        self.pending = input[i..].to_vec();
                    }
                    break;
                }
            }
        }
        keys
    }
}

enum Decoded {
    /// A key (or nothing, for bytes that are no key) and the bytes used.
    Key(Option<KeyEvent>, usize),
    Incomplete,
}

fn key(code: KeyCode) -> Option<KeyEvent> {
    Some(KeyEvent::new(code, KeyModifiers::NONE))
}

fn decode(b: &[u8]) -> Decoded {
    let Some(&first) = b.first() else {
        return Decoded::Incomplete;
    };
    match first {
        0x1b => escape(b),
        // A pasted or translated line end is one Enter.
        b'\r' if b.get(1) == Some(&b'\n') => Decoded::Key(key(KeyCode::Enter), 2),
        b'\r' | b'\n' => Decoded::Key(key(KeyCode::Enter), 1),
        b'\t' => Decoded::Key(key(KeyCode::Tab), 1),
        0x7f | 0x08 => Decoded::Key(key(KeyCode::Backspace), 1),
        0x01..=0x1a => {
            let letter = char::from(b'a' + first - 1);
            Decoded::Key(
                Some(KeyEvent::new(KeyCode::Char(letter), KeyModifiers::CONTROL)),
                1,
            )
        }
        0x00 | 0x1c..=0x1f => Decoded::Key(None, 1),
        _ => utf8(b),
    }
}

/// One character of UTF-8 text.
fn utf8(b: &[u8]) -> Decoded {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        // Not the start of a character.
        _ => return Decoded::Key(None, 1),
    };
    if b.len() < len {
        return Decoded::Incomplete;
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => Decoded::Key(key(KeyCode::Char(c)), len),
        None => Decoded::Key(None, 1),
    }
}

fn escape(b: &[u8]) -> Decoded {
    match b.get(1) {
        // Esc pressed on its own.
        None => Decoded::Key(key(KeyCode::Esc), 1),
        Some(b'[') => csi(b),
        Some(b'O') => match b.get(2) {
            None => Decoded::Incomplete,
            Some(&c) => Decoded::Key(ss3(c), 3),
        },
        Some(0x1b) => Decoded::Key(key(KeyCode::Esc), 1),
        // Alt with a key: the key, as the app has no Alt bindings.
        Some(_) => match decode(&b[1..]) {
            Decoded::Key(k, used) => Decoded::Key(k, used + 1),
            Decoded::Incomplete => Decoded::Incomplete,
        },
    }
}

/// The cursor keys, sent as `ESC [ X` or `ESC O X`.
fn cursor_key(c: u8) -> Option<KeyEvent> {
    match c {
        b'A' => key(KeyCode::Up),
        b'B' => key(KeyCode::Down),
        b'C' => key(KeyCode::Right),
        b'D' => key(KeyCode::Left),
        b'H' => key(KeyCode::Home),
        b'F' => key(KeyCode::End),
        _ => None,
    }
}

fn ss3(c: u8) -> Option<KeyEvent> {
    match c {
        // Enter on the keypad.
        b'M' => key(KeyCode::Enter),
        _ => cursor_key(c),
    }
}

/// `ESC [ params final`: cursor keys, Home/End, PageUp/Down, BackTab.
fn csi(b: &[u8]) -> Decoded {
    let body = &b[2..];
    let Some(end) = body.iter().position(|&c| (0x40..=0x7e).contains(&c)) else {
        return Decoded::Incomplete;
    };
    let params = &body[..end];
    let used = 2 + end + 1;
    // Modifiers (`1;5A`) are dropped: the app binds plain keys.
    let first: &[u8] = params.split(|&c| c == b';').next().unwrap_or(&[]);
    let k = match body[end] {
        b'Z' => Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        b'~' => match first {
            b"1" | b"7" => key(KeyCode::Home),
            b"4" | b"8" => key(KeyCode::End),
            b"3" => key(KeyCode::Delete),
            b"5" => key(KeyCode::PageUp),
            b"6" => key(KeyCode::PageDown),
            _ => None,
        },
        c => cursor_key(c),
    };
    Decoded::Key(k, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &mut KeyDecoder, bytes: &[u8]) -> Vec<KeyCode> {
        d.feed(bytes).into_iter().map(|k| k.code).collect()
    }

    #[test]
    fn keys_a_terminal_sends_become_key_events() {
        let mut d = KeyDecoder::default();
        assert_eq!(
            codes(&mut d, b"ey\r\x1b[A\x1b[B\x1bOC\x1b[D\t\x1b[Z\x7f"),
            vec![
                KeyCode::Char('e'),
                KeyCode::Char('y'),
                KeyCode::Enter,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Right,
                KeyCode::Left,
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Backspace,
            ]
        );
        assert_eq!(
            codes(&mut d, b"\x1b[5~\x1b[6~\x1b[1;5A\x1b[H\x1b[4~"),
            vec![
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Up,
                KeyCode::Home,
                KeyCode::End
            ]
        );
        assert_eq!(
            codes(&mut d, "日本".as_bytes()),
            vec![KeyCode::Char('日'), KeyCode::Char('本')]
        );
        assert_eq!(codes(&mut d, b"\r\n"), vec![KeyCode::Enter]);
        let ctrl_c = d.feed(b"\x03");
        assert_eq!(ctrl_c[0].code, KeyCode::Char('c'));
        assert!(ctrl_c[0].modifiers.contains(KeyModifiers::CONTROL));
    }

    #[test]
    fn a_lone_escape_is_esc_and_a_split_sequence_waits_for_its_end() {
        let mut d = KeyDecoder::default();
        assert_eq!(codes(&mut d, b"\x1b"), vec![KeyCode::Esc]);
        assert!(codes(&mut d, b"\x1b[").is_empty());
        assert_eq!(codes(&mut d, b"A"), vec![KeyCode::Up]);
        let ja = "日".as_bytes();
        assert!(codes(&mut d, &ja[..2]).is_empty());
        assert_eq!(codes(&mut d, &ja[2..]), vec![KeyCode::Char('日')]);
    }

    #[test]
    fn garbage_is_dropped_without_losing_the_keys_after_it() {
        let mut d = KeyDecoder::default();
        assert_eq!(codes(&mut d, b"\xff\xfe\x00q"), vec![KeyCode::Char('q')]);
        // An escape sequence that never ends is dropped once too long.
        let mut long = b"\x1b[".to_vec();
        long.extend(std::iter::repeat_n(b'1', 100));
        assert!(codes(&mut d, &long).is_empty());
        assert_eq!(codes(&mut d, b"q"), vec![KeyCode::Char('q')]);
    }
}
