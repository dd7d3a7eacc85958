//! Any bytes as a stream of key presses, mouse clicks and resizes against
//! the terminal UI's app state, drawing a frame every few events: no
//! reachable state may panic the key handler or the drawing.
#![no_main]
#![forbid(unsafe_code)]

use std::sync::OnceLock;

use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin};
use kizuna::session::{Controller, Session};
use kizuna::tui::action::UiAction;
use kizuna::tui::app::App;
use kizuna::tui::i18n::{Lang, Strings};
use kizuna::tui::theme::Theme;
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

/// Events read from one input at most, so one input cannot run for long.
const MAX_EVENTS: usize = 2_000;
/// A frame is drawn after this many events (and once at the end).
const DRAW_EVERY: usize = 8;
/// Terminal sizes an input can pick, from the usual to the degenerate.
const SIZES: [(u16, u16); 8] = [
    (80, 24),
    (120, 40),
    (40, 12),
    (200, 60),
    (20, 6),
    (1, 1),
    (0, 0),
    (100, 30),
];
/// Keys that are not characters, picked by the control bytes 0x00–0x1F.
const SPECIAL_KEYS: [KeyCode; 32] = [
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Backspace,
    KeyCode::Delete,
    KeyCode::Insert,
    KeyCode::F(1),
    KeyCode::F(2),
    KeyCode::F(3),
    KeyCode::F(4),
    KeyCode::F(5),
    KeyCode::F(6),
    KeyCode::F(7),
    KeyCode::F(8),
    KeyCode::F(9),
    KeyCode::F(10),
    KeyCode::F(11),
    KeyCode::F(12),
    KeyCode::Null,
    KeyCode::CapsLock,
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Backspace,
];
/// Characters beyond ASCII that people type: Japanese, full-width, accents.
const WIDE_CHARS: [char; 16] = [
    'あ', '日', '本', 'ー', '、', '。', 'Ａ', '１', 'é', 'ß', '…', '\u{200B}', '\u{301}', '😀',
    '\u{7f}', '\u{0}',
];

/// The tutorial loads once; each input builds its own session from it.
fn tutorial() -> &'static Loaded {
    static TUTORIAL: OnceLock<Loaded> = OnceLock::new();
    TUTORIAL.get_or_init(|| {
        load_builtin("tutorial", &LoadOptions::default()).expect("the built-in tutorial loads")
    })
}

enum Event {
    Key(KeyEvent),
    Action(UiAction),
    Resize(u16, u16),
}

/// Reads the next event: one byte for a plain key, two or three for a
/// modified key, a non-ASCII character, a mouse event or a resize.
fn next_event(bytes: &mut std::slice::Iter<'_, u8>) -> Option<Event> {
    let b = *bytes.next()?;
    let mut arg = || bytes.next().copied().unwrap_or(0);
    let key = |code, modifiers| Event::Key(KeyEvent::new(code, modifiers));
    Some(match b {
        0x00..=0x1f => key(SPECIAL_KEYS[usize::from(b)], KeyModifiers::NONE),
        0x20..=0x7e => key(KeyCode::Char(char::from(b)), KeyModifiers::NONE),
        0x7f..=0x9f => {
            let c = char::from(b'a' + arg() % 26);
            key(KeyCode::Char(c), KeyModifiers::CONTROL)
        }
        0xa0..=0xbf => {
            let code = SPECIAL_KEYS[usize::from(arg() % 32)];
            let modifiers = match b % 4 {
                0 => KeyModifiers::SHIFT,
                1 => KeyModifiers::ALT,
                2 => KeyModifiers::CONTROL,
                _ => KeyModifiers::SHIFT | KeyModifiers::CONTROL,
            };
            key(code, modifiers)
        }
        0xc0..=0xcf => {
            let column = u16::from(arg());
            let row = u16::from(arg());
            Event::Action(UiAction::Click { column, row })
        }
        0xd0..=0xd7 => Event::Action(UiAction::ScrollUp),
        0xd8..=0xdf => Event::Action(UiAction::ScrollDown),
        0xe0..=0xe7 => {
            let (w, h) = SIZES[usize::from(b % 8)];
            Event::Resize(w, h)
        }
        0xe8..=0xef => Event::Resize(u16::from(arg()), u16::from(arg())),
        0xf0..=0xff => key(
            KeyCode::Char(WIDE_CHARS[usize::from(b % 16)]),
            KeyModifiers::NONE,
        ),
    })
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    let size = terminal.backend().buffer().area;
    app.size = Rect::new(0, 0, size.width, size.height);
    terminal
        .draw(|f| kizuna::tui::draw::draw(f, app))
        .expect("drawing to a test backend cannot fail");
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&setup, events)) = bytes.split_first() else {
        return;
    };
    let lang = if setup & 1 == 0 { Lang::En } else { Lang::Ja };
    let facilitator_run = setup & 2 != 0;
    let (width, height) = SIZES[usize::from((setup >> 2) & 7)];
    let loaded = tutorial();
    // One team played by the computer: the single-human paths.
    let teams: Vec<(String, Controller)> = if setup & 0x20 != 0 {
        vec![("us".to_string(), Controller::Policy(PolicyKind::Idle))]
    } else {
        Vec::new()
    };
    let controllers = Session::controllers_for(&loaded.scenario, &teams, Controller::Human)
        .expect("the tutorial has the team 'us'");
    let session = Session::new(loaded, 7, controllers, true);
    let mut app = App::new(session, Strings::new(lang), Theme::named("default"));
    if setup & 0x40 == 0 {
        app.begin(facilitator_run);
    }
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).expect("a test terminal opens");
    draw(&mut terminal, &mut app);
    let mut bytes = events.iter();
    for n in 1..=MAX_EVENTS {
        let Some(event) = next_event(&mut bytes) else {
            break;
        };
        match event {
            Event::Key(k) => app.on_key(k),
            Event::Action(a) => app.apply(a),
            Event::Resize(w, h) => terminal.backend_mut().resize(w, h),
        }
        if app.quit {
            break;
        }
        if n % DRAW_EVERY == 0 {
            draw(&mut terminal, &mut app);
        }
    }
    draw(&mut terminal, &mut app);
});
